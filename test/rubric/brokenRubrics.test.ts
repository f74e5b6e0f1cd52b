// The broken-rubric corpus: every fixture under test/fixtures/rubrics/broken/ declares, in its first
// comment lines, exactly which problems it must produce (`# expect: LINE:COL code`, or
// `# expect-warning:` for a warning; `# builtin: true` parses it as the built-in rubric). Cases that
// cannot be committed as readable YAML (empty, binary, other encodings, huge or very deep files) are
// generated here.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Lexer } from 'yaml';
import { formatProblem, type FileProblem } from '../../src/errors.js';
import { parseRubric, type RubricParse } from '../../src/rubric/parse.js';
import { MAX_FILE_BYTES } from '../../src/source/fileSize.js';
import { MAX_DEPTH, MAX_LISTED_PROBLEMS, parseYamlSource } from '../../src/source/yamlSource.js';
import { aliases, duplicateKeys, nestedLists, requiresChain, requiresList } from '../support/hostileRubrics.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rubrics/', import.meta.url));
const BROKEN = join(FIXTURES, 'broken');
const fixtureText = (dir: string, name: string) => readFileSync(join(FIXTURES, dir, name), 'utf8');
/** A valid rubric to build generated cases from. */
const MINIMAL = fixtureText('valid', 'minimal.yaml');

interface Fixture {
  readonly name: string;
  readonly what: string;
  readonly builtIn: boolean;
  /** `LINE:COL severity code`, sorted. */
  readonly expected: readonly string[];
}

/** Reads the declarations from a fixture's leading comment lines. */
function readFixture(name: string): Fixture {
  const header: string[] = [];
  for (const line of fixtureText('broken', name).split('\n')) {
    if (!line.startsWith('#')) break;
    header.push(line);
  }
  const expected = header.flatMap((line) => {
    const m = /^# expect(-warning)?: (\d+):(\d+) ([a-zA-Z0-9_-]+)$/.exec(line);
    return m ? [`${m[2]}:${m[3]} ${m[1] ? 'warning' : 'error'} ${m[4]}`] : [];
  });
  return { name, what: header[0]?.replace(/^# /, '') ?? '', builtIn: header.includes('# builtin: true'), expected: expected.sort() };
}

const fixtures = readdirSync(BROKEN)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map(readFixture);

const positioned = (problems: readonly FileProblem[]) => problems.map((p) => `${p.line}:${p.col} ${p.severity} ${p.code}`).sort();

/** What every problem must look like, whatever the file: one positioned line, no stack trace. */
function expectWellFormed(parse: RubricParse): void {
  for (const p of parse.problems) {
    const line = formatProblem(p);
    expect(line).toMatch(/^[^:]+:\d+:\d+: /);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.message).not.toMatch(/\n\s+at /);
    expect(p.message).not.toMatch(/[\n\r]/);
    expect(p.message.length).toBeGreaterThan(10);
  }
}

/** What a rubric that never says what its steps raise is told about it; tested on its own fixtures below. */
const SILENT_ON_RAISES = new Set(['raises-missing', 'question-not-raised']);

function parse(name: string, bytes: Uint8Array, builtIn = false): RubricParse {
  const result = parseRubric(name, bytes, { builtIn });
  expectWellFormed(result);
  // Most fixtures were written before `raises` existed, each to show one other problem: where a fixture never uses
  // `raises`, the problems about its absence are left out, and the fixtures that use it are compared in full.
  if (Buffer.from(bytes).includes('raises')) return result;
  const problems = result.problems.filter((p) => !SILENT_ON_RAISES.has(p.code));
  // As the built-in rubric, those problems are errors that stop the load: load it as a custom one instead.
  const loaded =
    result.rubric ?? (problems.some((p) => p.severity === 'error') ? undefined : parseRubric(name, bytes, { builtIn: false }).rubric);
  return { ...(loaded !== undefined && { rubric: loaded }), problems };
}

describe('the broken-rubric corpus', () => {
  it('has at least 35 fixtures, each declaring what it must report', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
    for (const f of fixtures) expect(f.expected, f.name).not.toHaveLength(0);
  });

  it('covers every kind of problem the loader reports', () => {
    const codes = new Set(fixtures.flatMap((f) => f.expected.map((e) => e.split(' ')[2])));
    const required = [
      ...['yaml-unclosed', 'yaml-bad_indent', 'yaml-duplicate_key', 'yaml-tab_as_indent', 'yaml-unclosed_quote', 'yaml-multiple_docs'],
      ...['alias', 'too-many-problems', 'forbidden-key', 'too-deep', 'empty', 'not-a-mapping'],
      ...[
        'schema-required',
        'schema-additionalProperties',
        'schema-type',
        'schema-enum',
        'schema-pattern',
        'schema-minItems',
        'schema-oneOf',
      ],
      ...['duplicate-id', 'duplicate-choice', 'when-unknown', 'when-not-earlier', 'when-unknown-choice', 'unknown-level'],
      ...['requires-unknown', 'requires-cycle', 'levels-not-ascending', 'recommendation-to-lowest', 'yes-no-choices', 'scale-order'],
      ...['replaces-existing', 'missing-recommendation', 'level-name-long'],
      ...['raises-unknown', 'raises-unknown-choice', 'raises-choice-not-multi', 'raises-exclusive-choice', 'raises-nothing-below'],
      ...[
        'raises-unreachable',
        'raises-missing',
        'question-not-raised',
        'exclusive-not-multi',
        'multi-choice-rule-not-multi',
        'duplicate-term',
      ],
    ];
    expect(required.filter((code) => !codes.has(code))).toEqual([]);
  });

  it.each(fixtures.map((f) => [`${f.name}: ${f.what}`, f] as const))('%s', (_, f) => {
    const file = `test/fixtures/rubrics/broken/${f.name}`;
    const result = parse(file, readFileSync(join(BROKEN, f.name)), f.builtIn);
    expect(positioned(result.problems)).toEqual(f.expected);
    const onlyWarnings = f.expected.every((e) => e.includes(' warning '));
    if (onlyWarnings) expect(result.rubric).toBeDefined();
    else expect(result.rubric).toBeUndefined();
    for (const p of result.problems) expect(p.file).toBe(file);
  });

  it('reports a missing recommendation as a warning for a custom rubric and loads it anyway', () => {
    const result = parse('custom.yaml', readFileSync(join(BROKEN, 'missing-recommendation-warning.yaml')), false);
    expect(result.rubric?.aspects[0]?.recommendations).toHaveLength(1);
    expect(result.problems.map((p) => [p.code, p.severity])).toEqual([['missing-recommendation', 'warning']]);
    expect(formatProblem(result.problems[0]!)).toMatch(
      /^custom\.yaml:\d+:\d+: warning: aspect "delivery" has no recommendation for level step 2→3/,
    );
  });

  it('reports the same missing recommendation as an error for the built-in rubric', () => {
    const result = parse('built-in.yaml', readFileSync(join(BROKEN, 'missing-recommendation-warning.yaml')), true);
    expect(result.rubric).toBeUndefined();
    expect(result.problems.map((p) => [p.code, p.severity])).toEqual([['missing-recommendation', 'error']]);
  });

  it('reports problems found by the schema and by the semantic checks together, in file order', () => {
    const result = parse('several.yaml', readFileSync(join(BROKEN, 'several-problems.yaml')));
    expect(result.problems.map((p) => p.code)).toEqual(['schema-enum', 'schema-additionalProperties', 'duplicate-id', 'when-unknown']);
  });
});

describe('valid and hostile fixtures', () => {
  it.each(readdirSync(join(FIXTURES, 'valid')).filter((f) => f.endsWith('.yaml')))('loads valid/%s with no problems at all', (name) => {
    const result = parse(name, readFileSync(join(FIXTURES, 'valid', name)));
    expect(result.problems).toEqual([]);
    expect(result.rubric).toBeDefined();
  });

  it('loads the every-feature rubric with its defaults filled in', () => {
    const rubric = parse('every-feature.yaml', readFileSync(join(FIXTURES, 'valid', 'every-feature.yaml'))).rubric!;
    const questions = rubric.aspects.flatMap((a) => a.questions);
    expect(new Set(questions.map((q) => q.type))).toEqual(new Set(['single', 'multi', 'scale', 'yes-no']));
    expect(questions.find((q) => q.id === 'deploy')).toMatchObject({
      gate: true,
      weight: 3,
      replaces: 'deploy-method',
      notApplicable: false,
    });
    expect(questions.find((q) => q.id === 'rollback')).toMatchObject({
      notApplicable: true,
      when: { question: 'deploy', anyOf: ['pipeline', 'gitops'] },
    });
    expect(questions.find((q) => q.id === 'deploy-frequency')?.when).toEqual({ question: 'deploy', atLeast: 1 });
    expect(rubric.aspects[1]?.weight).toBe(1);
    expect(rubric.aspects[0]?.recommendations[0]).toMatchObject({ requires: [], links: [] });
  });

  it('loads the hostile-strings rubric without problems and keeps every string verbatim', () => {
    const result = parse('hostile-strings.yaml', readFileSync(join(FIXTURES, 'hostile', 'hostile-strings.yaml')));
    expect(result.problems).toEqual([]);
    const rubric = result.rubric!;
    const strings = JSON.stringify(rubric);
    for (const needle of [
      '<script>alert(1)</script>',
      '" onmouseover="alert(1)',
      '</svg><script>',
      '</style>',
      '{{constructor}}',
      '\u001b[31m',
      '\u202e',
      '\u2028',
    ]) {
      expect(strings).toContain(JSON.stringify(needle).slice(1, -1));
    }
    expect(rubric.title).toBe('<script>alert(1)</script>');
    expect(rubric.aspects[0]?.recommendations[0]?.title).toBe('javascript:alert(1)');
    expect(rubric.description).toHaveLength(400);
    // Nothing hostile reached an object's prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('generated files the loader refuses', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cnassess-rubric-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const only = (result: RubricParse) => {
    expect(result.rubric).toBeUndefined();
    return positioned(result.problems);
  };

  it('refuses an empty file', () => {
    expect(only(parse('empty.yaml', new Uint8Array(0)))).toEqual(['1:1 error empty']);
  });

  it('refuses a file of only spaces, tabs and newlines', () => {
    expect(only(parse('blank.yaml', Buffer.from('  \n\t\n   \n')))).toEqual(['1:1 error empty']);
  });

  it('refuses a binary file at its first NUL byte', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(only(parse('logo.png', png))).toEqual(['3:1 error binary']);
  });

  it('refuses UTF-16 (little-endian, with a byte-order mark) and says to save as UTF-8', () => {
    const result = parse('utf16.yaml', Buffer.from(`\ufeff${MINIMAL}`, 'utf16le'));
    expect(only(result)).toEqual(['1:1 error utf16']);
    expect(result.problems[0]?.message).toMatch(/UTF-16.*UTF-8/);
  });

  it('refuses UTF-16 big-endian too', () => {
    const le = Buffer.from(`\ufeff${MINIMAL}`, 'utf16le');
    expect(only(parse('utf16be.yaml', Buffer.from(le).swap16()))).toEqual(['1:1 error utf16']);
  });

  it('accepts UTF-8 with a byte-order mark', () => {
    const result = parse('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MINIMAL)]));
    expect(result.problems).toEqual([]);
    expect(result.rubric?.id).toBe('minimal');
  });

  it('refuses invalid UTF-8 at the first bad byte', () => {
    // "title: Caf\xe9 rubric" as Latin-1 on line 4.
    const latin1 = Buffer.from(MINIMAL.replace('title: Minimal rubric', 'title: Caf\u00e9 rubric'), 'latin1');
    const result = parse('latin1.yaml', latin1);
    expect(only(result)).toEqual(['4:11 error not-utf8']);
    expect(result.problems[0]?.message).toContain('0xE9');
  });

  it('counts columns in characters, not bytes, before an invalid byte', () => {
    const bytes = Buffer.concat([Buffer.from('id: x\ntitle: ééé '), Buffer.from([0xff]), Buffer.from('\n')]);
    expect(only(parse('bad.yaml', bytes))).toEqual(['2:12 error not-utf8']);
  });

  it('refuses a file over 2 MB before parsing it', () => {
    const path = join(tmp, 'huge.yaml');
    writeFileSync(path, `${MINIMAL}# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    const result = parse(path, readFileSync(path));
    expect(only(result)).toEqual(['1:1 error too-large']);
    expect(result.problems[0]?.message).toMatch(/2\.0 MB/);
  });

  it('accepts a rubric of exactly 2 MB', () => {
    const padding = MAX_FILE_BYTES - Buffer.byteLength(MINIMAL) - 3;
    const bytes = Buffer.from(`${MINIMAL}# ${'x'.repeat(padding)}\n`);
    expect(bytes.length).toBe(MAX_FILE_BYTES);
    expect(parse('big.yaml', bytes).problems).toEqual([]);
  });

  // How long these take is measured by `npm run bench` (test/bench/rubric.bench.ts), against parsing the built-in
  // rubric in the same run: never timed here, on a shared machine.
  it('refuses a hundred thousand nested lists at the first level too deep', () => {
    const result = parse('deep.yaml', Buffer.from(nestedLists(100_000)));
    expect(only(result)).toEqual([`1:${MAX_DEPTH + 1} error too-deep`]);
  });

  it('refuses 2 MB of nested flow mappings', () => {
    const bytes = Buffer.from('{a: '.repeat(MAX_FILE_BYTES / 4 - 1));
    expect(only(parse('deep.yaml', bytes))).toEqual([`1:${4 * MAX_DEPTH + 1} error too-deep`]);
  });

  it('refuses deeply indented block mappings at the line that goes too deep', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    expect(only(parse('deep.yaml', Buffer.from(`${text} 1\n`)))).toEqual([`${MAX_DEPTH + 1}:${MAX_DEPTH + 1} error too-deep`]);
  });

  it('accepts nesting up to the limit, leaving the value to the schema', () => {
    const text = `${MINIMAL}extra: ${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}\n`;
    const line = MINIMAL.split('\n').length;
    expect(positioned(parse('nested.yaml', Buffer.from(text)).problems)).toEqual([`${line}:1 error schema-additionalProperties`]);
  });

  it('lists the first ten of sixty thousand aliases and counts the rest, without expanding them', () => {
    const count = 60_000;
    const result = parse('bomb.yaml', Buffer.from(aliases(count)));
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(result.problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${p.line}:${p.col} ${p.code}`)).toEqual(
      Array.from({ length: MAX_LISTED_PROBLEMS }, (_, i) => `2:${5 + 4 * i} alias`),
    );
    expect(result.problems.at(-1)).toMatchObject({ code: 'too-many-problems', line: 2, col: 5 + 4 * MAX_LISTED_PROBLEMS });
    expect(result.problems.at(-1)?.message).toMatch(new RegExp(`^${count - MAX_LISTED_PROBLEMS} more problems`));
  });

  it('lists the first ten of fifty thousand duplicate keys and counts the rest', () => {
    const result = parse('dup.yaml', Buffer.from(duplicateKeys(50_000)));
    expect(result.problems.map((p) => p.code)).toEqual([
      ...Array<string>(MAX_LISTED_PROBLEMS).fill('yaml-duplicate_key'),
      'too-many-problems',
    ]);
    expect(result.problems.at(-1)?.message).toMatch(new RegExp(`^${50_000 - 1 - MAX_LISTED_PROBLEMS} more problems`));
  });

  it('refuses a requires list of 100 000 ids before the schema compares every pair', () => {
    const result = parse('requires.yaml', Buffer.from(requiresList(MINIMAL, 100_000)));
    expect(positioned(result.problems)).toEqual([`${MINIMAL.split('\n').length}:19 error too-many-requires`]);
  });

  it('survives a requires chain longer than the call stack is deep', () => {
    const result = parse('chain.yaml', Buffer.from(requiresChain(MINIMAL, 12_000)));
    expect(result.problems.map((p) => p.code)).toEqual(['schema-maxItems', 'requires-unknown']);
  }, 20_000);
});

describe('any damage to a valid rubric', () => {
  const lines = MINIMAL.split('\n');
  const edit = fc.oneof(
    // Delete, duplicate or swap lines; insert a character anywhere; change a line's indentation.
    fc.nat().map((n) => (ls: string[]) => ls.filter((_, i) => i !== n % ls.length)),
    fc.nat().map((n) => (ls: string[]) => ls.flatMap((l, i) => (i === n % ls.length ? [l, l] : [l]))),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (ls: string[]) => {
      const out = [...ls];
      [out[a % ls.length], out[b % ls.length]] = [ls[b % ls.length]!, ls[a % ls.length]!];
      return out;
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...'[]{}:-&*!|>"\'#%@`,?\t\u0000\u202e'.split(''))).map(([n, c, ch]) => (ls: string[]) => {
      const i = n % ls.length;
      const l = ls[i]!;
      const at = c % (l.length + 1);
      return ls.map((x, j) => (j === i ? l.slice(0, at) + ch + l.slice(at) : x));
    }),
    fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(
      ([n, d]) =>
        (ls: string[]) =>
          ls.map((l, j) =>
            j === n % ls.length ? (d > 0 ? ' '.repeat(d) + l : l.slice(Math.min(-d, l.length - l.trimStart().length))) : l,
          ),
    ),
  );

  it('never throws, and every problem is one positioned line', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, builtIn) => {
        const text = edits.reduce((ls, f) => f(ls), lines).join('\n');
        const result = parse('damaged.yaml', Buffer.from(text), builtIn);
        if (result.rubric === undefined) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
        for (const p of result.problems) expect(p.line).toBeLessThanOrEqual(lines.length + edits.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parse('random.bin', bytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a misspelt id in when, requires or raises', () => {
  it('is named with the id it most likely meant', () => {
    const text = fixtureText('valid', 'raises-and-practices.yaml')
      .replace('requires: [script-deploys]', 'requires: [script-deploy]')
      .replace('raises: [deploy]', 'raises: [depoly]');
    const withWhen = fixtureText('valid', 'every-feature.yaml').replace(
      'when: { question: deploy, atLeast: 1 }',
      'when: { question: dpeloy, atLeast: 1 }',
    );
    const messages = [
      ...parse('typos.yaml', new TextEncoder().encode(text)).problems,
      ...parse('when.yaml', new TextEncoder().encode(withWhen)).problems,
    ].map((p) => `${p.code}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^requires-unknown: requires "script-deploy", .*; did you mean "script-deploys"\?$/),
        expect.stringMatching(/^raises-unknown: raises "depoly", .*; did you mean "deploy"\?$/),
        expect.stringMatching(/^when-unknown: when names question "dpeloy", which is not in the rubric; did you mean "deploy"\?$/),
      ]),
    );
  });
});

describe('a bug while parsing', () => {
  // Problems in the file are made without stack traces (they become positioned lines); a bug must keep its stack.
  it('is thrown with its stack trace, and stack traces are on again afterwards', () => {
    const limit = Error.stackTraceLimit;
    const lex = vi.spyOn(Lexer.prototype, 'lex').mockImplementation(function* () {
      yield* [];
      throw new TypeError('a bug in the lexer');
    });
    let thrown: unknown;
    try {
      parseYamlSource('bug.yaml', Buffer.from('a: 1\n'));
    } catch (err) {
      thrown = err;
    } finally {
      lex.mockRestore();
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).stack).toMatch(/a bug in the lexer\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
