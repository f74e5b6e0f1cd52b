// parseRubric keeps its last few results: the same bytes give the same (readonly) rubric under any name, problems
// name the file they were asked about, and any change of the bytes or the options parses anew.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/parse.js';
import { ROOT } from '../support/cli.js';

const BUILT_IN = readFileSync(join(ROOT, 'rubric', 'cloud-native.yaml'));

describe('parseRubric, called again', () => {
  // As another test file in this process may have: the same bytes, parsed before under another name.
  beforeAll(() => {
    for (const builtIn of [false, true]) expect(parseRubric('elsewhere.yaml', BUILT_IN, { builtIn }).problems).toEqual([]);
  });

  it('gives the same result for the same bytes, and parses changed bytes anew', () => {
    const first = parseRubric('r.yaml', BUILT_IN, { builtIn: false });
    expect(first.rubric?.version).toBe('2.0.0');
    expect(parseRubric('r.yaml', Buffer.from(BUILT_IN), { builtIn: false })).toBe(first);

    const edited = Buffer.from(BUILT_IN.toString('utf8').replace(/^version: 2\.0\.0$/m, 'version: 2.0.1'));
    expect(parseRubric('r.yaml', edited, { builtIn: false }).rubric?.version).toBe('2.0.1');
    const broken = Buffer.from(BUILT_IN.toString('utf8').replace(/^version: 2\.0\.0$/m, 'version: [2]'));
    const refused = parseRubric('r.yaml', broken, { builtIn: false });
    expect(refused.rubric).toBeUndefined();
    expect(refused.problems[0]).toMatchObject({ file: 'r.yaml', code: expect.any(String) });

    // The same bytes under another name (the copy a store keeps): the same rubric, and problems that name that file.
    expect(parseRubric('copy.yaml', BUILT_IN, { builtIn: false }).rubric).toBe(first.rubric);
    const elsewhere = parseRubric('other.yaml', broken, { builtIn: false });
    expect(elsewhere.problems.map((p) => p.file)).toEqual(refused.problems.map(() => 'other.yaml'));
    expect(elsewhere.problems.map(({ file: _, ...p }) => p)).toEqual(refused.problems.map(({ file: _, ...p }) => p));
    expect(refused.problems[0]?.file).toBe('r.yaml');
    // The built-in rubric is held to more (a missing recommendation is an error): other options, another parse.
    expect(parseRubric('r.yaml', BUILT_IN, { builtIn: true })).not.toBe(first);
  });

  it('keeps the rubric asked for most while one-off files come and go', () => {
    const first = parseRubric('r.yaml', BUILT_IN, { builtIn: true });
    for (let i = 0; i < 20; i++) {
      expect(parseRubric(`one-off-${i}.yaml`, Buffer.from(`id: [${i}`), { builtIn: false }).problems).not.toEqual([]);
      expect(parseRubric('r.yaml', BUILT_IN, { builtIn: true }), `after ${i + 1} other files`).toBe(first);
    }
  });
});
