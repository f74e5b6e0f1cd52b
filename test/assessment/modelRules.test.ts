// The scoring rules other maturity models use: answer rules over ticked choices (AWS Well-Architected risk rules),
// and the aspect rules worst, mean (CNCF PEMM's category mean) and cumulative (OWASP DSOMM's levels). Each is checked
// against the source's own rule written independently here, over random answer sets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerLevel, conditionHolds, score, type EffectiveAnswer } from '../../src/assessment/scoring.js';
import type { AspectRule, ChoiceCondition, Question, Rubric } from '../../src/rubric/types.js';
import { evaluateRiskCondition as evaluateExpression } from '../support/awsRiskRules.js';
import { aspect, question, rubric as makeRubric } from '../support/rubrics.js';

const answered = (...choices: string[]): EffectiveAnswer => ({ status: 'answered', choices });
const withRule = (r: Rubric, rule: AspectRule): Rubric => ({ ...r, aspectRule: rule });

/** A multi question of practices p1…pN scored by the given rules, as an imported AWS lens question is. */
function ruled(rules: NonNullable<Question['rules']>, practices = 6): Question {
  return {
    ...question('q'),
    type: 'multi',
    multiChoice: 'rules',
    rules,
    choices: [
      { id: 'none', label: 'None of these', level: 1, exclusive: true },
      ...Array.from({ length: practices }, (_, i) => ({ id: `p${i + 1}`, label: `practice ${i + 1}`, level: 3 })),
    ],
  };
}

describe('answer rules', () => {
  const q = ruled([
    { when: { all: ['p1', 'p2', { any: ['p3', 'p4'] }] }, level: 3 },
    { when: { any: ['p1', 'p2'] }, level: 2 },
    { when: { none: ['none', 'p5'] }, level: 2 },
    { default: true, level: 1 },
  ]);
  const r = makeRubric([aspect('a', [q])]);

  it('give the level of the first rule that holds, nested all / any / none included', () => {
    expect(answerLevel(r, q, ['p1', 'p2', 'p4'])).toBe(3);
    expect(answerLevel(r, q, ['p1', 'p2'])).toBe(2); // the nested any fails; the second rule holds
    expect(answerLevel(r, q, ['p6'])).toBe(2); // none of none and p5
    expect(answerLevel(r, q, ['p5'])).toBe(1);
    expect(answerLevel(r, q, ['none'])).toBe(1);
  });

  it('are what a question scored by rules counts, whatever levels its choices carry', () => {
    // Under `highest`, any one ticked practice (level 3) would read as the top level.
    expect(answerLevel({ ...r, multiChoice: 'highest' }, { ...q, multiChoice: 'highest' }, ['p5'])).toBe(3);
    expect(score(r, new Map([['q', answered('p5')]])).aspects[0]?.level).toBe(1);
  });

  it('evaluate as a boolean expression over the ticked choices does, for random conditions and answers', () => {
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const condition = fc.letrec<{ c: ChoiceCondition }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(...ids),
        fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
        fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
        fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((none) => ({ none })),
      ),
    })).c;
    // The same condition written as AWS writes a risk rule ("p1 && (p2 || !p3)"), evaluated as the AWS
    // documentation defines it: a choice id is true when selected; &&, || and ! as in boolean algebra.
    const asExpression = (c: ChoiceCondition): string =>
      typeof c === 'string'
        ? c
        : 'all' in c
          ? `(${c.all.map(asExpression).join(' && ')})`
          : 'any' in c
            ? `(${c.any.map(asExpression).join(' || ')})`
            : `!(${c.none.map(asExpression).join(' || ')})`;
    fc.assert(
      fc.property(condition, fc.subarray(ids), (c, ticked) => {
        const holds = conditionHolds(c, new Set(ticked));
        expect(holds).toBe(evaluateExpression(asExpression(c), new Set(ticked)));
      }),
      { numRuns: 500, seed: 20261203 },
    );
  });
});

describe('aspect rules', () => {
  const four = makeRubric([aspect('a', [question('q1'), question('q2'), question('q3'), question('q4')])]);
  const answers = (...levels: number[]) => new Map(levels.map((l, i) => [`q${i + 1}`, answered(`l${l}`)]));

  it('majority: the weighted lower median (the default)', () => {
    expect(score(four, answers(1, 1, 4, 4)).aspects[0]).toMatchObject({ rule: 'majority', level: 1 });
    expect(score(four, answers(3, 3, 3, 1)).aspects[0]?.level).toBe(3);
  });

  it('worst: the lowest answer', () => {
    expect(score(withRule(four, 'worst'), answers(5, 5, 5, 2)).aspects[0]).toMatchObject({ rule: 'worst', level: 2 });
  });

  it('mean: the weighted mean of the levels, kept to two decimals, and the level it rounds down to (PEMM’s 1, 1, 4, 4 → 2.5)', () => {
    expect(score(withRule(four, 'mean'), answers(1, 1, 4, 4)).aspects[0]).toMatchObject({ rule: 'mean', level: 2, mean: 2.5 });
    const weighted = makeRubric([aspect('a', [question('q1', { weight: 3 }), question('q2')])]);
    expect(score(withRule(weighted, 'mean'), answers(4, 2)).aspects[0]).toMatchObject({ level: 3, mean: 3.5 });
  });

  it('an aspect can follow another rule than the rubric', () => {
    const mixed = makeRubric([
      aspect('a', [question('q1'), question('q2')], { rule: 'worst' }),
      aspect('b', [question('q3'), question('q4')]),
    ]);
    const card = score(mixed, answers(5, 1, 5, 1));
    expect(card.aspects.map((a) => [a.rule, a.level])).toEqual([
      ['worst', 1],
      ['majority', 1],
    ]);
  });

  it('overall follows the rubric’s rule over the aspects: mean of means, lowest for worst and cumulative', () => {
    const two = makeRubric([aspect('a', [question('q1'), question('q2')]), aspect('b', [question('q3'), question('q4')])]);
    expect(score(withRule(two, 'mean'), answers(1, 2, 4, 5)).overall).toMatchObject({ level: 3, mean: 3 });
    expect(score(withRule(two, 'worst'), answers(3, 4, 5, 5)).overall.level).toBe(3);
  });

  it('cumulative: the highest level at which every activity up to it is done, as OWASP DSOMM levels a sub-dimension', () => {
    // Activities are yes/no questions at their DSOMM level; levels from 0.
    const levels = [0, 1, 2, 3, 4].map((level) => ({ level, name: `L${level}`, summary: 's' }));
    const activity = (id: string, level: number): Question => ({
      ...question(id),
      type: 'yes-no',
      choices: [
        { id: 'yes', label: 'Done', level },
        { id: 'no', label: 'Not done', level: 0 },
      ],
    });
    const dsomm = (activities: readonly number[]): Rubric => ({
      ...makeRubric([
        aspect(
          'sub',
          activities.map((level, i) => activity(`act${i}`, level)),
        ),
      ]),
      levels,
      aspectRule: 'cumulative',
    });
    // The rule as DSOMM states it: level L when every activity of level ≤ L is implemented, up to its highest level.
    const dsommLevel = (activities: readonly number[], done: readonly boolean[]): number => {
      let reached = 0;
      for (let level = 1; level <= Math.max(...activities); level++) {
        if (activities.every((l, i) => l > level || done[i] === true)) reached = level;
        else break;
      }
      return reached;
    };
    expect(
      score(
        dsomm([1, 1, 2, 3]),
        new Map([
          ['act0', answered('yes')],
          ['act1', answered('yes')],
          ['act2', answered('no')],
          ['act3', answered('yes')],
        ]),
      ).aspects[0]?.level,
    ).toBe(1);

    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 })
          .chain((activities) =>
            fc.tuple(fc.constant(activities), fc.array(fc.boolean(), { minLength: activities.length, maxLength: activities.length })),
          ),
        ([activities, done]) => {
          const answers = new Map(done.map((d, i) => [`act${i}`, answered(d ? 'yes' : 'no')]));
          expect(score(dsomm(activities), answers).aspects[0]?.level).toBe(dsommLevel(activities, done));
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it('mean equals the arithmetic mean of the answers, as PEMM scores a category, for random answers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), (levels) => {
        const r = withRule(
          makeRubric([
            aspect(
              'a',
              levels.map((_, i) => question(`q${i + 1}`)),
            ),
          ]),
          'mean',
        );
        const a = score(r, answers(...levels)).aspects[0]!;
        const mean = levels.reduce((x, y) => x + y, 0) / levels.length;
        expect(a.mean).toBeCloseTo(mean, 2);
        expect(a.level).toBe(Math.floor(mean + 1e-9));
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
