import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHASES, plan, raisesOf, type Plan } from '../../src/assessment/roadmap.js';
import { conditionMet, score, type EffectiveAnswer } from '../../src/assessment/scoring.js';
import { parseRubric } from '../../src/rubric/parse.js';
import { BUILT_IN_RUBRIC_PATH } from '../../src/source/rubricFile.js';
import type { Question, Rubric } from '../../src/rubric/types.js';
import { aspect, question, recommendation, rubric } from '../support/rubrics.js';

const rec = recommendation;
const ids = (p: Plan) => p.steps.map((s) => s.recommendation.id);
const answered = (...choices: string[]): EffectiveAnswer => ({ status: 'answered', choices });

/** Given each aspect's level (every question of it answered at that level), the plan. */
function planAt(r: Rubric, levels: Record<string, number | undefined>, targets: Record<string, number> = {}): Plan {
  const answers = new Map<string, EffectiveAnswer>();
  for (const a of r.aspects) {
    const level = levels[a.id];
    if (level !== undefined) for (const q of a.questions) answers.set(q.id, answered(`l${level}`));
  }
  return plan(r, score(r, answers), answers, new Map(Object.entries(targets)));
}

function planOf(r: Rubric, answers: Record<string, EffectiveAnswer>, targets: Record<string, number> = {}): Plan {
  const map = new Map(Object.entries(answers));
  return plan(r, score(r, map), map, new Map(Object.entries(targets)));
}

describe('a step is recommended only for answers below it', () => {
  // Two questions in one aspect; each step raises one of them.
  const r = rubric([
    aspect('a', [question('q1'), question('q2')], {
      recommendations: [
        rec('q1-to-3', 3, { raises: [{ question: 'q1' }] }),
        rec('q2-to-3', 3, { raises: [{ question: 'q2' }] }),
        rec('q1-to-2', 2, { raises: [{ question: 'q1' }] }),
      ],
    }),
  ]);

  it('leaves out a step whose raised answer is already at or above its level, whatever the aspect level', () => {
    // The aspect stands at 2 (q2 is 2, weights equal), aims at 3; q1 already answered at 4.
    const p = planOf(r, { q1: answered('l4'), q2: answered('l2') });
    expect(ids(p)).toEqual(['q2-to-3']);
    expect(p.steps[0]?.addresses).toEqual([{ question: 'q2', level: 2, choices: ['l2'] }]);
  });

  it('recommends a lower step for an answer that lags far behind the aspect', () => {
    const three = rubric([
      aspect('a', [question('q1'), question('q2'), question('q3')], { recommendations: r.aspects[0]!.recommendations }),
    ]);
    // The aspect stands at 3 (two of three answers), aims at 4: q1, at 1, needs both of its steps.
    const p = planOf(three, { q1: answered('l1'), q2: answered('l3'), q3: answered('l3') });
    expect(ids(p).sort()).toEqual(['q1-to-2', 'q1-to-3']);
  });

  it('never recommends a step for an answer of not applicable, or a question not asked', () => {
    const withWhen = rubric([
      aspect(
        'a',
        [
          question('base'),
          question('asked-later', { when: { question: 'base', atLeast: 3 }, notApplicable: true }),
          question('na', { notApplicable: true }),
        ],
        {
          recommendations: [
            rec('raise-later', 2, { raises: [{ question: 'asked-later' }] }),
            rec('raise-na', 2, { raises: [{ question: 'na' }] }),
            rec('raise-base', 2, { raises: [{ question: 'base' }] }),
          ],
        },
      ),
    ]);
    const p = planOf(withWhen, { base: answered('l1'), na: { status: 'not-applicable' } });
    expect(ids(p)).toEqual(['raise-base']);
    expect(p.findOut).toEqual([]);
  });

  it('never pulls in a requirement the answers already meet; it is shown as met', () => {
    const r2 = rubric([
      aspect('a', [question('q1')], {
        recommendations: [rec('needs-b', 3, { raises: [{ question: 'q1' }], requires: ['b-done', 'b-na'] })],
      }),
      aspect('b', [question('b1'), question('b2', { notApplicable: true })], {
        recommendations: [rec('b-done', 4, { raises: [{ question: 'b1' }] }), rec('b-na', 2, { raises: [{ question: 'b2' }] })],
      }),
    ]);
    const p = planOf(r2, { q1: answered('l2'), b1: answered('l5'), b2: { status: 'not-applicable' } });
    expect(ids(p)).toEqual(['needs-b']);
    expect(p.steps[0]).toMatchObject({ requires: [], requiresMet: ['b-done', 'b-na'], requiresUnknown: [] });
  });

  it('pulls in a requirement that an answer calls for, transitively, across aspects', () => {
    const r2 = rubric([
      aspect('a', [question('q1')], { recommendations: [rec('a3', 3, { raises: [{ question: 'q1' }], requires: ['b3'] })] }),
      aspect('b', [question('b1')], {
        recommendations: [rec('b2', 2, { raises: [{ question: 'b1' }] }), rec('b3', 3, { raises: [{ question: 'b1' }], requires: ['b2'] })],
      }),
    ]);
    const p = planOf(r2, { q1: answered('l2'), b1: answered('l1') });
    expect(ids(p)).toEqual(['b2', 'b3', 'a3']);
    expect(p.steps.find((s) => s.recommendation.id === 'b3')).toMatchObject({ pulledIn: true, requiredBy: ['a3'], requires: ['b2'] });
  });

  it('does not guess for unanswered questions: their steps wait in the find-out list', () => {
    const p = planOf(r, { q2: answered('l2') }, { a: 3 });
    expect(ids(p)).toEqual(['q2-to-3']);
    expect(p.findOut).toEqual([{ question: 'q1', aspect: 'a', steps: ['q1-to-3', 'q1-to-2'] }]);
  });

  it('takes a practice as met when its choice is ticked, and as open when it is not', () => {
    const multi: Question = {
      ...question('m'),
      type: 'multi',
      choices: [
        { id: 'none', label: 'None', level: 1, exclusive: true },
        { id: 'p2', label: 'P2', level: 2 },
        { id: 'p3', label: 'P3', level: 3 },
      ],
    };
    const r2 = {
      ...rubric([
        aspect('a', [multi], {
          recommendations: [
            rec('do-p2', 2, { raises: [{ question: 'm', choice: 'p2' }] }),
            rec('do-p3', 3, { raises: [{ question: 'm', choice: 'p3' }] }),
          ],
        }),
      ]),
      multiChoice: 'ladder' as const,
    };
    expect(ids(planOf(r2, { m: answered('p3') }, { a: 3 }))).toEqual(['do-p2']); // ticked p3 is met; the gap below is not
    expect(planOf(r2, { m: answered('p3') }, { a: 3 }).steps[0]?.addresses).toEqual([
      { question: 'm', level: 1, choices: ['p3'], practice: 'p2' },
    ]);
    expect(ids(planOf(r2, { m: answered('none') }, { a: 3 })).sort()).toEqual(['do-p2', 'do-p3']);
    expect(ids(planOf(r2, { m: answered('p2', 'p3') }, { a: 3 }))).toEqual([]);
  });

  it('names an answer that holds its aspect back but that no step raises', () => {
    const r2 = rubric([
      aspect('a', [question('q1'), question('q2')], { recommendations: [rec('q1-to-3', 3, { raises: [{ question: 'q1' }] })] }),
    ]);
    const p = planOf(r2, { q1: answered('l2'), q2: answered('l2') });
    expect(ids(p)).toEqual(['q1-to-3']);
    expect(p.uncovered).toEqual([{ aspect: 'a', question: 'q2', level: 2 }]);
  });

  it('reads a recommendation from a rubric without `raises` as raising every question of its aspect it can move', () => {
    const old = rubric([aspect('a', [question('q1'), question('q2')], { recommendations: [rec('old-3', 3)] })]);
    expect(raisesOf(old, old.aspects[0]!.recommendations[0]!, 'a')).toEqual([{ question: 'q1' }, { question: 'q2' }]);
    expect(ids(planOf(old, { q1: answered('l3'), q2: answered('l2') }))).toEqual(['old-3']);
    expect(ids(planOf(old, { q1: answered('l3'), q2: answered('l3') }, { a: 3 }))).toEqual([]);
  });
});

describe('order and phases', () => {
  const raising = (id: string, level: number, q: string, extra: Parameters<typeof rec>[2] = {}) =>
    rec(id, level, { raises: [{ question: q }], ...extra });

  it('aims one level up when no target is set, and at the target when one is', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [2, 3, 4, 5].map((l) => raising(`a${l}`, l, 'a1')) }),
      aspect('b', [question('b1')], { recommendations: [2, 3, 4, 5].map((l) => raising(`b${l}`, l, 'b1')) }),
    ]);
    expect(ids(planAt(r, { a: 2, b: 1 })).sort()).toEqual(['a3', 'b2']);
    expect(ids(planAt(r, { a: 2, b: 5 }, { a: 5 })).sort()).toEqual(['a3', 'a4', 'a5']);
  });

  it('plans nothing of its own for an aspect without answers and without a target', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [raising('a2', 2, 'a1')] }),
      aspect('b', [question('b1')], { recommendations: [raising('b2', 2, 'b1')] }),
    ]);
    const p = planAt(r, { a: 1 });
    expect(ids(p)).toEqual(['a2']);
    expect(p.targets.find((t) => t.aspect === 'b')).toMatchObject({ current: undefined, target: undefined, source: 'none' });
  });

  it('puts higher impact first, then smaller effort, among steps that are ready', () => {
    const r = rubric([
      aspect('a', [question('a1')], {
        recommendations: [
          raising('low-s', 2, 'a1', { impact: 'low', effort: 'S' }),
          raising('high-l', 2, 'a1', { impact: 'high', effort: 'L' }),
          raising('high-s', 2, 'a1', { impact: 'high', effort: 'S' }),
          raising('med-m', 2, 'a1'),
        ],
      }),
    ]);
    expect(ids(planAt(r, { a: 1 }))).toEqual(['high-s', 'high-l', 'med-m', 'low-s']);
  });

  it('never puts a step before what it requires, even when the step is more valuable', () => {
    const r = rubric([
      aspect('a', [question('a1')], {
        recommendations: [
          raising('first', 2, 'a1', { impact: 'low', effort: 'L' }),
          raising('second', 2, 'a1', { impact: 'high', effort: 'S', requires: ['first'] }),
        ],
      }),
    ]);
    expect(ids(planAt(r, { a: 1 }))).toEqual(['first', 'second']);
  });

  it('groups into Now (next level, nothing unmet), Next (next level, waits on a step) and Later (beyond)', () => {
    const r = rubric([
      aspect('a', [question('a1')], {
        recommendations: [
          raising('a2', 2, 'a1'),
          raising('a2-after', 2, 'a1', { requires: ['a2'] }),
          raising('a3', 3, 'a1'),
          raising('a4', 4, 'a1', { requires: ['b3'] }),
        ],
      }),
      aspect('b', [question('b1')], { recommendations: [raising('b2', 2, 'b1'), raising('b3', 3, 'b1')] }),
    ]);
    const p = planAt(r, { a: 1, b: 1 }, { a: 4 });
    expect(Object.fromEntries(p.steps.map((s) => [s.recommendation.id, s.phase]))).toEqual({
      a2: 'now',
      b2: 'now',
      'a2-after': 'next',
      a3: 'later',
      a4: 'later',
      b3: 'later',
    });
  });

  it('take turns across aspects among equally valuable steps', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [raising('a-one', 2, 'a1'), raising('a-two', 2, 'a1')] }),
      aspect('b', [question('b1')], { recommendations: [raising('b-one', 2, 'b1'), raising('b-two', 2, 'b1')] }),
    ]);
    expect(ids(planAt(r, { a: 1, b: 1 }))).toEqual(['a-one', 'b-one', 'a-two', 'b-two']);
  });

  it('keeps every requirement before its step and in the same or an earlier phase, for any acyclic rubric', () => {
    const arbitraryRubric = fc
      .array(
        fc.record({
          aspect: fc.integer({ min: 0, max: 2 }),
          level: fc.integer({ min: 2, max: 5 }),
          impact: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
          effort: fc.constantFrom('S' as const, 'M' as const, 'L' as const),
          requires: fc.array(fc.nat(), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 20 },
      )
      .map((specs) => {
        // Each recommendation may require only earlier ones, so the graph is acyclic.
        const names = ['x', 'y', 'z'];
        const recs = specs.map((s, i) => ({
          ...s,
          rec: raising(`r${i}`, s.level, `${names[s.aspect]}1`, {
            impact: s.impact,
            effort: s.effort,
            requires: i === 0 ? [] : [...new Set(s.requires.map((n) => `r${n % i}`))],
          }),
        }));
        return rubric(
          names.map((id, a) => aspect(id, [question(`${id}1`)], { recommendations: recs.filter((r) => r.aspect === a).map((r) => r.rec) })),
        );
      });
    // The property must be seen to bite: count the requirements it checked. Over 400 seeds the count ran from 41 to
    // 137 (median 82), so 50 failed one run in fifty; 20 is far below anything a working generator gives.
    let checkedRequirements = 0;
    fc.assert(
      fc.property(
        arbitraryRubric,
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
        fc.integer({ min: 1, max: 5 }),
        (r, [x, y, z], target) => {
          const p = planAt(r, { x, y, z }, { x: target });
          const position = new Map(p.steps.map((s, i) => [s.recommendation.id, i]));
          for (const [i, step] of p.steps.entries()) {
            checkedRequirements += step.requires.length;
            for (const required of step.requires) {
              const at = position.get(required) ?? Infinity;
              expect(at).toBeLessThan(i);
              expect(PHASES.indexOf(p.steps[at]?.phase ?? 'later')).toBeLessThanOrEqual(PHASES.indexOf(step.phase));
            }
            if (step.phase === 'now') expect(step.requires).toEqual([]);
          }
        },
      ),
    );
    expect(checkedRequirements).toBeGreaterThan(20);
  });
});

describe('the built-in rubric', () => {
  const parsed = parseRubric(BUILT_IN_RUBRIC_PATH, readFileSync(BUILT_IN_RUBRIC_PATH), { builtIn: true });
  const builtIn = parsed.rubric!;
  const questions = builtIn.aspects.flatMap((a) => a.questions);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const levelOf = (q: Question, choice: string) => q.choices.find((c) => c.id === choice)?.level ?? 0;

  /** Every question answered with the choice at `level` (or the nearest below), multi-choice questions up to it. */
  function answersAt(level: number, overrides: Record<string, EffectiveAnswer> = {}): Map<string, EffectiveAnswer> {
    const answers = new Map<string, EffectiveAnswer>();
    for (const q of questions) {
      if (q.type === 'multi') {
        const ticked = q.choices.filter((c) => c.exclusive !== true && c.level <= level).map((c) => c.id);
        answers.set(
          q.id,
          answered(...(ticked.length > 0 ? ticked : [q.choices.find((c) => c.exclusive === true)?.id ?? q.choices[0]!.id])),
        );
      } else {
        const below = q.choices.filter((c) => c.level <= level).sort((a, b) => b.level - a.level)[0] ?? q.choices[0]!;
        answers.set(q.id, answered(below.id));
      }
    }
    for (const [id, a] of Object.entries(overrides)) answers.set(id, a);
    return answers;
  }

  it('validates, and every recommendation says what it raises', () => {
    expect(parsed.problems).toEqual([]);
    for (const a of builtIn.aspects) for (const r of a.recommendations) expect(r.raises?.length ?? 0, r.id).toBeGreaterThan(0);
  });

  it.each([
    ['app-deploy', 'gitops', 'app-definition'],
    ['obs-incident-reviews', 'actions-done', 'observability'],
    ['prov-access', 'jit', 'provisioning'],
  ])('never recommends what %s = %s already reaches (the issue’s own examples)', (questionId, choice, aspectId) => {
    const answers = answersAt(2, { [questionId]: answered(choice) });
    const p = plan(builtIn, score(builtIn, answers), answers, new Map([[aspectId, 5]]));
    const level = levelOf(byId.get(questionId)!, choice);
    const offending = p.steps.filter(
      (s) => s.recommendation.level <= level && (s.recommendation.raises ?? []).every((r) => r.question === questionId),
    );
    expect(offending.map((s) => s.recommendation.id)).toEqual([]);
    for (const s of p.steps) expect(s.addresses.some((x) => x.question === questionId && s.recommendation.level <= level)).toBe(false);
  });

  it('never recommends a step that raises only a question answered not applicable', () => {
    const answers = answersAt(2, { 'orch-mesh': { status: 'not-applicable' } });
    const p = plan(builtIn, score(builtIn, answers), answers, new Map([['orchestration', 5]]));
    for (const s of p.steps) expect(s.addresses.map((x) => x.question)).not.toContain('orch-mesh');
    expect(p.steps.filter((s) => (s.recommendation.raises ?? []).every((r) => r.question === 'orch-mesh'))).toEqual([]);
  });

  /** A random answer set for the built-in rubric: each question unanswered, n/a (where allowed) or a valid answer. */
  const answerSet = fc.tuple(
    ...questions.map((q) => {
      const options: fc.Arbitrary<EffectiveAnswer | undefined>[] = [fc.constant(undefined)];
      if (q.notApplicable) options.push(fc.constant<EffectiveAnswer>({ status: 'not-applicable' }));
      if (q.type === 'multi') {
        const practices = q.choices.filter((c) => c.exclusive !== true).map((c) => c.id);
        const none = q.choices.find((c) => c.exclusive === true)?.id;
        options.push(fc.subarray(practices, { minLength: 1 }).map((c) => answered(...c)));
        if (none !== undefined) options.push(fc.constant(answered(none)));
      } else {
        options.push(fc.constantFrom(...q.choices.map((c) => c.id)).map((c) => answered(c)));
      }
      return fc.oneof(...options);
    }),
  );
  const targetSet = fc.array(fc.tuple(fc.constantFrom(...builtIn.aspects.map((a) => a.id)), fc.integer({ min: 1, max: 5 })), {
    maxLength: 6,
  });

  it('never plans, for any answer set, a step all of whose raised answers already meet it, or that raises only n/a or unasked questions', () => {
    fc.assert(
      fc.property(answerSet, targetSet, (values, targets) => {
        const answers = new Map<string, EffectiveAnswer>();
        questions.forEach((q, i) => values[i] !== undefined && answers.set(q.id, values[i]));
        const card = score(builtIn, answers);
        const p = plan(builtIn, card, answers, new Map(targets));
        for (const step of p.steps) {
          const raises = step.recommendation.raises ?? [];
          // At least one raised entry is asked, answered and below the step.
          const open = raises.filter((r) => {
            const q = byId.get(r.question)!;
            const a = answers.get(r.question);
            if (!conditionMet(builtIn, q, answers) || a?.status !== 'answered') return false;
            const level = card.aspects.flatMap((x) => x.questions).find((x) => x.question === r.question)?.level ?? 0;
            return r.choice !== undefined ? !a.choices.includes(r.choice) : level < step.recommendation.level;
          });
          expect(open.length, step.recommendation.id).toBeGreaterThan(0);
          expect(step.addresses.length).toBe(open.length);
        }
        // What holds an aspect back and the roadmap agree: every such answer has a step, or is named as uncovered.
        const raised = new Set(p.steps.flatMap((s) => s.addresses.map((x) => x.question)));
        const uncovered = new Set(p.uncovered.map((u) => u.question));
        for (const a of card.aspects) {
          if (p.targets.find((t) => t.aspect === a.aspect)?.target === undefined) continue;
          for (const h of a.holdingBack) expect(raised.has(h.question) || uncovered.has(h.question), h.question).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plans Kubernetes only after what it requires', () => {
    const answers = answersAt(1);
    const p = plan(builtIn, score(builtIn, answers), answers, new Map([['orchestration', 3]]));
    const order = ids(p);
    for (const step of p.steps) {
      for (const required of step.requires)
        expect(order.indexOf(required), `${required} before ${step.recommendation.id}`).toBeLessThan(order.indexOf(step.recommendation.id));
    }
    expect(p.steps.length).toBeGreaterThan(0);
  });
});
