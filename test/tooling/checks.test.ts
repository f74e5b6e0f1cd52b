// The runner of the checks `npm test` makes before vitest (test/support/checks.mjs), on a package of its own.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';

const CHECKS = join(ROOT, 'test', 'support', 'checks.mjs');

function runChecks(scripts: Record<string, string>, names: string[]) {
  const dir = tempDir('cnassess-checks-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', scripts }));
  return spawnSync(process.execPath, [CHECKS, ...names], { cwd: dir, encoding: 'utf8' });
}

describe('the checks before the tests', () => {
  it('runs every named script, prints each one whole, and fails when any failed, naming each', () => {
    const r = runChecks(
      {
        fine: 'echo fine-1 && echo fine-2',
        broken: 'echo broken-out && echo broken-err >&2 && exit 3',
        slow: 'sleep 0.2 && echo slow-1 && exit 4',
        unused: 'echo never',
      },
      ['broken', 'fine', 'slow'],
    );
    expect(r.status).toBe(1);
    // Each script's output under its name, in one piece, stdout and stderr together.
    expect(r.stdout).toContain('> fine: echo fine-1 && echo fine-2\nfine-1\nfine-2\n');
    expect(r.stdout).toMatch(/> broken: .*\nbroken-out\nbroken-err\n/);
    expect(r.stdout).toMatch(/> slow: .*\nslow-1\n/);
    expect(r.stdout).not.toContain('never');
    expect(r.stderr).toMatch(/^\nfailed: (broken, slow|slow, broken)\n$/);
  });

  it('passes when every script passes, with the package’s own programs on the PATH', () => {
    const r = runChecks({ a: 'echo a', b: 'node -e "console.log(process.env.PATH.split(require(\'path\').delimiter)[0])"' }, ['a', 'b']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/node_modules[/\\]\.bin\n/);
  });

  it('refuses a name that is not a script of the package, running nothing', () => {
    const r = runChecks({ a: 'echo ran-a' }, ['a', 'lint:nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a script of package.json: lint:nope');
    expect(r.stdout).not.toContain('ran-a');
  });
});
