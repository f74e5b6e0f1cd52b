// What `cnassess --help` and `--version` load, and what they print.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cnassessProcess, ROOT, tempDir } from '../support/cli.js';

function loadedModules(args: string[]): string[] {
  const trace = join(tempDir(), 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test/support/traceImports.mjs'), BIN, ...args], {
    env: { ...process.env, TRACE_IMPORTS: trace },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

describe('start-up', () => {
  it.each([['--help'], ['--version']])('%s loads no prompts, templates, schema compiler, YAML parser or width tables', (flag) => {
    const modules = loadedModules([flag]);
    expect(modules.some((m) => m.endsWith('/dist/cli.js'))).toBe(true); // the trace works
    for (const heavy of ['@inquirer', 'handlebars', 'ajv', '/yaml/', 'playwright', 'string-width', 'semver']) {
      expect(modules.filter((m) => m.includes(heavy))).toEqual([]);
    }
  });

  it('documents every command, the store, colour, --json and the exit codes in --help', () => {
    const help = cnassessProcess(['--help']).stdout;
    for (const command of ['assess', 'start', 'answer', 'import', 'export', 'list', 'score', 'history', 'verify', 'rubric']) {
      expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    for (const text of ['--store', 'CNASSESS_STORE', 'NO_COLOR', '--no-color', '--json', '130', 'Examples:']) expect(help).toContain(text);
  });

  it('exits 2 on an unknown command or option, with a hint', () => {
    const r = cnassessProcess(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
    expect(cnassessProcess(['list', '--frob']).code).toBe(2);
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cnassessProcess(['--version']).stdout.trim()).toBe(pkg.version);
  });
});
