// The layering the README's "Folders" section promises, checked on the sources: a pure core that touches no file,
// process, clock or terminal; commands that share helpers only through context.ts and session.ts; `process` only in
// bin.ts and the store's lock (which records the pid).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const imports = [...text.matchAll(/^(?:import|export)\b[^'"]*?from '([^']+)'/gm)].map((m) => m[1] ?? '');
  return { name: relative(SRC, path), text, imports };
});

const CORE = /^(rubric|assessment|answers|compare|demo|models|views)\/|^text\.ts$/;
const SHELL_ONLY = [
  /^node:(fs|fs\/promises|child_process|os|readline|tty)$/,
  /\/(commands|terminal)\//,
  /\/store\/(fileStore|lock|gitRevision)\.js$/,
  /\/source\/(inputFile|rubricFile|templateFiles)\.js$/,
  /\/workspace\.js$/,
  /^@inquirer\//,
];

describe('the layers', () => {
  it('finds the sources it checks', () => {
    expect(files.filter((f) => CORE.test(f.name)).length).toBeGreaterThan(30);
    expect(files.some((f) => f.imports.includes('node:fs'))).toBe(true);
  });

  it('keeps the core pure: no file, process, terminal or command import', () => {
    const offending = files
      .filter((f) => CORE.test(f.name))
      .flatMap((f) => f.imports.filter((i) => SHELL_ONLY.some((rule) => rule.test(i))).map((i) => `${f.name} imports ${i}`));
    expect(offending).toEqual([]);
  });

  it('reads no clock in the core: time comes in as data', () => {
    const offending = files.filter((f) => CORE.test(f.name) && /\bDate\.now\(|new Date\(\)/.test(f.text)).map((f) => f.name);
    expect(offending).toEqual([]);
  });

  it('touches the global process only in bin.ts and the store', () => {
    const offending = files
      .filter((f) => f.name !== 'bin.ts' && !f.name.startsWith('store/'))
      .filter((f) => /(^|[^.\w])process\.(?!pid\b)\w/m.test(f.text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
      .map((f) => f.name);
    expect(offending).toEqual([]);
  });

  it('lets commands share helpers only through context.ts and session.ts', () => {
    const offending = files
      .filter((f) => f.name.startsWith('commands/'))
      .flatMap((f) =>
        f.imports.filter((i) => i.startsWith('./') && !/^\.\/(context|session)\.js$/.test(i)).map((i) => `${f.name} imports ${i}`),
      );
    expect(offending).toEqual([]);
  });
});

describe("the README's Folders section", () => {
  it('names every folder and top-level file of src/, and nothing that is not there', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const section = /## Folders\n[\s\S]*?```\nsrc\/\n([\s\S]*?)\nrubric\//.exec(readme)?.[1] ?? '';
    const named = [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1] ?? '').sort();
    const actual = readdirSync(SRC, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort();
    expect(named).toEqual(actual);
  });
});
