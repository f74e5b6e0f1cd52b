// `cnassess rubric validate` and `rubric show`, through the CLI's main(), on real files.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cnassess as run } from '../support/cli.js';
import { BUILT_IN_ASPECT_IDS, MATURITY_LEVELS } from '../support/rubrics.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BROKEN = 'test/fixtures/rubrics/broken';
const tmp = mkdtempSync(join(tmpdir(), 'cnassess-cli-'));

async function cnassess(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await run(args, { env: { CNASSESS_STORE: join(tmp, 'store') } });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Expected `LINE:COL` of a fixture's errors, from its `# expect:` lines. */
function expectedPositions(fixture: string): string[] {
  return [...readFileSync(join(ROOT, BROKEN, fixture), 'utf8').matchAll(/^# expect: (\d+:\d+) /gm)].map((m) => m[1]!);
}

const STACK_TRACE = /^\s+at .+[(:]\d+/m;
/** What a rubric that never says what its steps raise is told, once; most fixtures predate `raises`. */
const SILENT_ON_RAISES = /: warning: no recommendation says which answers it raises/;
const PROBLEM = /^(?<file>[^:]+):(?<line>\d+):(?<col>\d+): (?<warning>warning: )?(?<message>.+?)(?: \(at (?<pointer>\/[^)]*)\))?$/;

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cnassess rubric validate', () => {
  it('accepts the built-in rubric with one ok line and exit code 0', async () => {
    const run = await cnassess('rubric', 'validate', 'rubric/cloud-native.yaml');
    expect(run.stdout).toBe('ok rubric/cloud-native.yaml (6 aspects, 45 questions)\n');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('prints every problem of a broken rubric as FILE:LINE:COL: message (at /pointer), then a count, and exits 1', async () => {
    const file = `${BROKEN}/several-problems.yaml`;
    const run = await cnassess('rubric', 'validate', file);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('4 errors, 1 warning in 1 file');
    expect(run.stderr).toMatch(SILENT_ON_RAISES);
    const problems = lines.slice(0, -1).map((line) => PROBLEM.exec(line)?.groups);
    for (const [i, p] of problems.entries()) {
      expect(p, lines[i]).toBeDefined();
      expect(p!.file).toBe(file);
      expect(p!.pointer, lines[i]).toMatch(/^\/aspects\/\d+\//);
    }
    expect(problems.map((p) => `${p!.line}:${p!.col}`)).toEqual(expectedPositions('several-problems.yaml'));
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(run.status).toBe(1);
  });

  it('reports the whole broken corpus in one run, every line positioned, with a matching count', async () => {
    const fixtures = readdirSync(join(ROOT, BROKEN))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    const run = await cnassess('rubric', 'validate', ...fixtures.map((f) => `${BROKEN}/${f}`));
    const output = `${run.stdout}${run.stderr}`.trimEnd().split('\n');
    const count = output.find((line) => /^\d+ errors?, \d+ warnings? in \d+ files?$/.test(line));
    const problems = output.filter((line) => line !== count && !line.startsWith('ok '));
    for (const line of problems) expect(line).toMatch(PROBLEM);
    // Validated as a custom rubric, the one `# builtin: true` fixture's error is a warning here.
    const expected = fixtures.flatMap((f) => readFileSync(join(ROOT, BROKEN, f), 'utf8').match(/^# expect(-warning)?: /gm) ?? []);
    // And each fixture that gets as far as its recommendations without saying what they raise is told so once.
    const silent = problems.filter((line) => SILENT_ON_RAISES.test(line));
    for (const line of silent) expect(readFileSync(join(ROOT, line.split(':')[0]!), 'utf8')).not.toContain('raises');
    expect(silent.length).toBeGreaterThan(10);
    const warnings = expected.filter((e) => e.includes('warning')).length + 1 + silent.length;
    expect(count).toBe(`${expected.length + silent.length - warnings} errors, ${warnings} warnings in ${fixtures.length} files`);
    expect(problems).toHaveLength(expected.length + silent.length);
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(run.status).toBe(1);
  });

  it('reports each of two files, one valid and one broken, and exits 1', async () => {
    const broken = `${BROKEN}/yaml-duplicate-key.yaml`;
    const run = await cnassess('rubric', 'validate', 'rubric/cloud-native.yaml', broken);
    expect(run.stdout.split('\n')).toEqual([
      'ok rubric/cloud-native.yaml (6 aspects, 45 questions)',
      `${broken}:13:5: YAML syntax error: duplicate key "title": each key may appear only once in a mapping`,
      '1 error, 0 warnings in 2 files',
      '',
    ]);
    expect(run.status).toBe(1);
  });

  it('accepts a rubric that has only warnings, printing them, and exits 0', async () => {
    const file = `${BROKEN}/missing-recommendation-warning.yaml`;
    const run = await cnassess('rubric', 'validate', file);
    expect(run.stderr).toMatch(new RegExp(`^${file}:29:5: warning: aspect "delivery" has no recommendation for level step 2→3`, 'm'));
    expect(run.stdout).toContain(`ok ${file}`);
    expect(run.stderr).toMatch(SILENT_ON_RAISES);
    expect(run.stdout).toContain('0 errors, 2 warnings in 1 file');
    expect(run.status).toBe(0);
  });

  it('says clearly that a missing file cannot be read, and exits 1', async () => {
    const run = await cnassess('rubric', 'validate', 'no-such-rubric.yaml');
    expect(run.stdout).toContain('no-such-rubric.yaml:1:1: cannot read: no such file');
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(run.status).toBe(1);
  });

  it('says a directory is not a file, and exits 1', async () => {
    mkdirSync(join(tmp, 'a-folder'), { recursive: true });
    const run = await cnassess('rubric', 'validate', join(tmp, 'a-folder'));
    expect(run.stdout).toContain('cannot read: it is a folder, not a regular file');
    expect(run.status).toBe(1);
  });

  it('refuses a file over 2 MB without parsing it, and exits 1', async () => {
    const huge = join(tmp, 'huge.yaml');
    writeFileSync(huge, `id: huge\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const run = await cnassess('rubric', 'validate', huge);
    expect(run.stdout).toMatch(new RegExp(`^${huge}:1:1: cannot read: it is 2\\.0 MB; files over 2\\.0 MB are refused\n`));
    expect(run.status).toBe(1);
  });

  it('refuses a binary file at its NUL byte, and exits 1', async () => {
    const binary = join(tmp, 'logo.yaml');
    writeFileSync(binary, Buffer.from([0x69, 0x64, 0x3a, 0x20, 0x78, 0x0a, 0x00, 0x01, 0x02]));
    const run = await cnassess('rubric', 'validate', binary);
    expect(run.stdout).toContain(`${binary}:2:1: file contains a NUL byte`);
    expect(run.status).toBe(1);
  });
});

describe('cnassess rubric show', () => {
  it('refuses a broken rubric with exit code 2, listing every problem with its position', async () => {
    const file = `${BROKEN}/several-problems.yaml`;
    const run = await cnassess('rubric', 'show', '--rubric', file);
    const lines = run.stderr.trimEnd().split('\n');
    const positions = lines
      .filter((l) => l.startsWith(`${file}:`) && PROBLEM.test(l) && !SILENT_ON_RAISES.test(l))
      .map((l) => l.split(':').slice(1, 3).join(':'));
    expect(positions).toEqual(expectedPositions('several-problems.yaml'));
    expect(lines.at(-1)).toContain('is not a valid rubric');
    expect(run.stdout).toBe('');
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(run.status).toBe(2);
  });

  it('prints the built-in rubric as JSON with levels, aspects, questions and choices', async () => {
    const run = await cnassess('rubric', 'show', '--json');
    expect(run.status).toBe(0);
    const rubric = JSON.parse(run.stdout) as {
      id: string;
      version: string;
      title: string;
      levels: { level: number; name: string }[];
      aspects: {
        id: string;
        title: string;
        questions: { id: string; type: string; text: string; choices: { id: string; label: string; level: number }[] }[];
      }[];
    };
    expect(rubric).toMatchObject({ id: 'cloud-native', version: expect.stringMatching(/^\d+\.\d+\.\d+/), title: expect.any(String) });
    expect(rubric.levels.map((l) => [l.level, l.name])).toEqual(MATURITY_LEVELS);
    expect(rubric.aspects.map((a) => a.id)).toEqual(BUILT_IN_ASPECT_IDS);
    for (const aspect of rubric.aspects) {
      expect(aspect.title).toEqual(expect.any(String));
      for (const q of aspect.questions) {
        expect(q).toMatchObject({
          id: expect.any(String),
          type: expect.stringMatching(/^(single|multi|scale|yes-no)$/),
          text: expect.any(String),
        });
        for (const c of q.choices)
          expect(c).toMatchObject({ id: expect.any(String), label: expect.any(String), level: expect.any(Number) });
      }
    }
  });

  it('shows the hostile-strings rubric without writing terminal control characters', async () => {
    const run = await cnassess('rubric', 'show', '--rubric', 'test/fixtures/rubrics/hostile/hostile-strings.yaml');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('<script>alert(1)</script>');
    expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
