// The PEMM and DSOMM importers on the real public model files (test/fixtures/models): the rubrics they write validate,
// and score as each model's own tool does — PEMM a category by the mean of its answers, DSOMM a sub-dimension by the
// highest level at which every activity up to it is implemented.
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { score, type EffectiveAnswer } from '../../src/assessment/scoring.js';
import { parseRubric } from '../../src/rubric/parse.js';
import type { Rubric } from '../../src/rubric/types.js';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');

async function imported(from: string, file: string): Promise<{ rubric: Rubric; stderr: string }> {
  const out = join(tempDir(), 'rubric.yaml');
  const r = await cnassess(['rubric', 'import', '--from', from, join(FIXTURES, file), '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  const parsed = parseRubric(out, readFileSync(out), { builtIn: false });
  expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return { rubric: parsed.rubric!, stderr: r.stderr };
}

const answered = (choice: string): EffectiveAnswer => ({ status: 'answered', choices: [choice] });

describe('the CNCF Platform Engineering Maturity Model', () => {
  interface Pemm {
    categories: { id: string; questions: { field_name: string; options: { value: number }[] }[] }[];
  }
  const source = parse(readFileSync(join(FIXTURES, 'pemm-questions-en.yaml'), 'utf8')) as Pemm;

  it('imports its five categories of four questions, scored by the mean, and says what it invented', async () => {
    const { rubric, stderr } = await imported('pemm', 'pemm-questions-en.yaml');
    expect(rubric).toMatchObject({ aspectRule: 'mean', nouns: { aspect: 'category', aspects: 'categories' } });
    expect(rubric.aspects.map((a) => a.sourceId)).toEqual(source.categories.map((c) => c.id));
    expect(rubric.aspects.flatMap((a) => a.questions.map((q) => q.sourceId))).toEqual(
      source.categories.flatMap((c) => c.questions.map((q) => q.field_name)),
    );
    expect(stderr).toMatch(/level names .* are the CNCF whitepaper’s/);
    expect(stderr).toMatch(/no recommendations/);
  });

  it('gives each category the score the assessment tool gives it: the mean of its answered values, to two decimals', async () => {
    const { rubric } = await imported('pemm', 'pemm-questions-en.yaml');
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), { minLength: 4, maxLength: 4 }), {
          minLength: 5,
          maxLength: 5,
        }),
        (values) => {
          const answers = new Map<string, EffectiveAnswer>();
          rubric.aspects.forEach((a, c) =>
            a.questions.forEach((q, i) => {
              const v = values[c]?.[i];
              if (v !== undefined) answers.set(q.id, answered(q.choices.find((x) => x.sourceId === String(v))!.id));
            }),
          );
          const card = score(rubric, answers);
          values.forEach((category, c) => {
            const given = category.filter((v): v is number => v !== undefined);
            // pemm-assessment's calculateCategoryScore: (total / answered).toFixed(2), or 0 with no answer.
            const tool = given.length === 0 ? undefined : Number((given.reduce((a, b) => a + b, 0) / given.length).toFixed(2));
            expect(card.aspects[c]?.mean).toBe(tool);
          });
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
  });
});

describe('the OWASP DevSecOps Maturity Model', () => {
  type Model = Record<string, Record<string, Record<string, { uuid: string; level: number }>>>;
  const text = readFileSync(join(FIXTURES, 'dsomm-model.yaml'), 'utf8');
  const model = parse(text.split(/^---$/m)[2] ?? '') as Model;
  const subDimensions = Object.entries(model).flatMap(([dimension, subs]) =>
    Object.entries(subs).map(([name, activities]) => ({ dimension, name, activities: Object.values(activities) })),
  );

  it('imports its 19 sub-dimensions under their dimensions, each activity a yes-no question at its level', async () => {
    const { rubric } = await imported('dsomm', 'dsomm-model.yaml');
    expect(rubric).toMatchObject({ aspectRule: 'cumulative', version: '4.3.1' });
    expect(rubric.aspects.map((a) => [a.group, a.title])).toEqual(subDimensions.map((s) => [s.dimension, s.name]));
    expect(rubric.aspects.length).toBe(19);
    const yesLevels = rubric.aspects.flatMap((a) => a.questions.map((q) => [q.sourceId, q.choices.find((c) => c.id === 'yes')?.level]));
    expect(yesLevels).toEqual(subDimensions.flatMap((s) => s.activities.map((a) => [a.uuid, a.level])));
  });

  it('levels every sub-dimension as DSOMM does, for random sets of implemented activities', async () => {
    const { rubric } = await imported('dsomm', 'dsomm-model.yaml');
    // DSOMM: level L when every activity of level L and below is implemented, up to the sub-dimension's highest level.
    const dsommLevel = (levels: readonly number[], done: readonly boolean[]) => {
      let reached = 0;
      for (let level = 1; level <= Math.max(...levels); level++) {
        if (levels.every((l, i) => l > level || done[i] === true)) reached = level;
        else break;
      }
      return reached;
    };
    rubric.aspects.forEach((aspect, s) => {
      const levels = subDimensions[s]!.activities.map((a) => a.level);
      fc.assert(
        fc.property(fc.array(fc.boolean(), { minLength: levels.length, maxLength: levels.length }), (done) => {
          const answers = new Map(aspect.questions.map((q, i) => [q.id, answered(done[i] === true ? 'yes' : 'no')]));
          const only: Rubric = { ...rubric, aspects: [aspect] };
          expect(score(only, answers).aspects[0]?.level, aspect.title).toBe(dsommLevel(levels, done));
        }),
        { numRuns: 40, seed: 20261203 },
      );
    });
  });
});

describe('a broken PEMM or DSOMM file', () => {
  it('gets each problem at its line and column, and nothing is written', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'pemm.yaml'),
      readFileSync(join(FIXTURES, 'pemm-questions-en.yaml'), 'utf8').replace('- value: 3\n', '- value: 7\n'),
    );
    const pemm = await cnassess(['rubric', 'import', '--from', 'pemm', 'pemm.yaml', '-o', 'out.yaml'], { cwd: dir });
    expect(pemm.code).toBe(2);
    expect(pemm.stderr).toMatch(/^pemm\.yaml:\d+:\d+: 7 is not a value of the model \(expected 1, 2, 3 or 4\)/);

    writeFileSync(
      join(dir, 'model.yaml'),
      readFileSync(join(FIXTURES, 'dsomm-model.yaml'), 'utf8').replace('      level: 1\n', '      level: seven\n'),
    );
    const dsomm = await cnassess(['rubric', 'import', '--from', 'dsomm', 'model.yaml', '-o', 'out.yaml'], { cwd: dir });
    expect(dsomm.code).toBe(2);
    expect(dsomm.stderr).toMatch(/^model\.yaml:\d+:\d+: "seven" is not a level of an activity \(expected 1 to 5\)/);
    expect(() => readFileSync(join(dir, 'out.yaml'))).toThrow();
  });
});

describe('a PEMM assessment in the terminal', () => {
  it('shows a category’s mean beside its level, in text and JSON: answers 1, 1, 4 and 4 are 2.50, level 2', async () => {
    const dir = tempDir();
    expect(
      (await cnassess(['rubric', 'import', '--from', 'pemm', join(FIXTURES, 'pemm-questions-en.yaml'), '-o', join(dir, 'pemm.yaml')])).code,
    ).toBe(0);
    const run = (...args: string[]) => cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q4', '--rubric', 'pemm.yaml')).code).toBe(0);
    const { rubric } = await imported('pemm', 'pemm-questions-en.yaml');
    const investment = rubric.aspects[0]!;
    for (const [i, value] of [1, 1, 4, 4].entries()) {
      const q = investment.questions[i]!;
      expect((await run('answer', q.id, q.choices.find((c) => c.sourceId === String(value))!.id)).code).toBe(0);
    }
    const text = (await run('score')).stdout;
    expect(text).toMatch(/^category\s+level/m);
    expect(text).toMatch(/^Investment\s+2 Operational \(mean 2\.50\)/m);
    const json = JSON.parse((await run('score', '--json')).stdout) as {
      aspects: { id: string; rule: string; level: number; mean: number }[];
    };
    expect(json.aspects[0]).toMatchObject({ id: 'investment', rule: 'mean', level: 2, mean: 2.5 });
  });
});
