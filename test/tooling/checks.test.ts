// The runner of the checks `npm test` makes before vitest (test/support/checks.mjs), on a package of its own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('keeps the order of what a script prints on stdout and stderr, and runs every script a name ending in * stands for', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `echo out-${i} && echo err-${i} >&2`).join(' && ');
    const r = runChecks({ 'lint:one': lines, 'lint:two': 'echo two', other: 'echo other' }, ['lint:*']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const printed = Array.from({ length: 20 }, (_, i) => `out-${i}\nerr-${i}\n`).join('');
    expect(r.stdout).toContain(`> lint:one: ${lines}\n${printed}`);
    expect(r.stdout).toContain('> lint:two: echo two\ntwo\n');
    expect(r.stdout).not.toContain('other');
  });

  it('passes when every script passes, with the package’s own programs on the PATH', () => {
    const r = runChecks({ a: 'echo a', b: 'node -e "console.log(process.env.PATH.split(require(\'path\').delimiter)[0])"' }, ['a', 'b']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/node_modules[/\\]\.bin\n/);
  });

  it('stops the scripts it started when it is stopped, and exits 143 on SIGTERM', async () => {
    const dir = tempDir('cnassess-checks-');
    // A script whose shell does not hand over to its last command: stopping the shell alone would leave sleep running.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { slow: 'echo $$ > started; sleep 30; echo never' } }));
    const child = spawn(process.execPath, [CHECKS, 'slow'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = join(dir, 'started');
    while (!existsSync(started) || readFileSync(started, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 20));
    const shell = Number(readFileSync(started, 'utf8'));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // The shell's process group ends, its sleep too (once the sleep, orphaned, is reaped; a cap against a hang).
    const alive = () => {
      try {
        process.kill(-shell, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waited = 0; alive() && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive()).toBe(false);
  });

  it('refuses a name that is not a script of the package, running nothing', () => {
    const r = runChecks({ a: 'echo ran-a' }, ['a', 'lint:nope', 'b*']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a script of package.json: lint:nope, b*');
    expect(r.stdout).not.toContain('ran-a');
    // Run from a folder that is not a package's: said, with exit 2.
    const elsewhere = spawnSync(process.execPath, [CHECKS, 'lint:*'], { cwd: tempDir('cnassess-checks-'), encoding: 'utf8' });
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/^checks\.mjs: cannot read the scripts of .*package\.json .*: run it from the package's folder\n$/);
  });
});
