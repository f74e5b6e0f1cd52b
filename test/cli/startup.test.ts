// What `cnassess --help` and `--version` load, and what they print.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cnassess, cnassessProcess, ROOT, tempDir } from '../support/cli.js';

/** The modules `bin` (by default the built one) loads for `args`, through import and through require. */
function loadedModules(args: string[], bin = BIN): string[] {
  const trace = join(tempDir(), 'imports.txt');
  const hooks = ['--import', join(ROOT, 'test/support/traceImports.mjs'), '--require', join(ROOT, 'test/support/traceRequires.cjs')];
  const r = spawnSync(process.execPath, [...hooks, bin, ...args], {
    env: { ...process.env, TRACE_IMPORTS: trace },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

const COMPILER = /\/ajv\/dist\/(ajv|core|compile\/index)\.js$/;

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

  it("loads the validators the build precompiled, never ajv's compiler, for a command that reads the log", async () => {
    const store = tempDir();
    expect((await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    const modules = loadedModules(['--store', store, 'list']);
    expect(modules.some((m) => m.endsWith('/dist/validators.cjs'))).toBe(true);
    expect(modules.some((m) => m.includes('/ajv/dist/runtime/'))).toBe(true); // the trace sees ajv's modules
    expect(modules.filter((m) => COMPILER.test(m))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/yaml/'))).toEqual([]);
  });

  it('loads no YAML parser for a command that reads or appends to the log, and the template engine only for HTML', async () => {
    const heavy = (modules: string[]) =>
      new Set(
        modules
          .filter((m) => m.includes('/node_modules/yaml/') || m.includes('/node_modules/handlebars/'))
          .map((m) => m.replace(/.*\/node_modules\/([^/]+)\/.*/, '$1')),
      );
    const store = tempDir();
    // The trace sees them where they are needed: the parser to read the rubric file, the template engine for HTML.
    expect(heavy(loadedModules(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4']))).toEqual(new Set(['yaml']));
    const json = join(tempDir(), 'report.json');
    expect(heavy(loadedModules(['--store', store, 'answer', 'app-deploy', 'manual', '--respondent', 'alice']))).toEqual(new Set());
    expect(heavy(loadedModules(['--store', store, 'trend']))).toEqual(new Set()); // diff's module too
    expect(heavy(loadedModules(['--store', store, 'report', '--format', 'json', '-o', json]))).toEqual(new Set());
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveProperty('assessment');
    const html = join(tempDir(), 'report.html');
    expect(heavy(loadedModules(['--store', store, 'report', '-o', html]))).toEqual(new Set(['handlebars']));
  });

  it('loads the width tables only for text that needs them: not for names in ASCII, but for a name in Japanese', async () => {
    const widths = (modules: string[]) => modules.filter((m) => m.includes('/string-width/'));
    const ascii = tempDir();
    expect((await cnassess(['--store', ascii, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    expect(widths(loadedModules(['--store', ascii, 'list']))).toEqual([]);
    expect(widths(loadedModules(['--store', ascii, 'score']))).toEqual([]);
    const japanese = tempDir();
    expect((await cnassess(['--store', japanese, 'start', '--org', '北海運輸', '--period', '2026-Q4'])).code).toBe(0);
    expect(widths(loadedModules(['--store', japanese, 'score']))).not.toEqual([]);
  });

  it('compiles a schema at run time when its precompiled validator was compiled from another, and says the same', async () => {
    // A copy of the package whose precompiled rubric validator does not match the rubric schema any more.
    const copy = tempDir();
    for (const part of ['package.json', 'rubric', 'dist']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const validators = join(copy, 'dist', 'validators.cjs');
    const stale = readFileSync(validators, 'utf8').replace(/("rubric\.schema\.json": ")[0-9a-f]{64}/, `$1${'0'.repeat(64)}`);
    expect(stale).not.toBe(readFileSync(validators, 'utf8'));
    writeFileSync(validators, stale);
    const store = tempDir();
    expect((await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    const modules = loadedModules(['--store', store, 'list'], join(copy, 'dist', 'bin.js'));
    expect(modules.filter((m) => COMPILER.test(m)).length).toBeGreaterThan(0);
    const run = (bin: string) => spawnSync(process.execPath, [bin, '--store', store, 'list'], { encoding: 'utf8' }).stdout;
    expect(run(join(copy, 'dist', 'bin.js'))).toBe(run(BIN));
  });

  it('is built as a program: dist/bin.js runs by itself, as npx and a linked install run it', () => {
    const r = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cnassessProcess(['--version']).stdout.trim()).toBe(pkg.version);
  });
});
