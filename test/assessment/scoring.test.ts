import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majorityLevel, score, type EffectiveAnswer } from '../../src/assessment/scoring.js';
import { aspect, question, rubric } from '../support/rubrics.js';

const answered = (...choices: string[]): EffectiveAnswer => ({ status: 'answered', choices });
const answers = (entries: Record<string, EffectiveAnswer>) => new Map(Object.entries(entries));

describe('aspect level: more than half of the answered weight at or above the level, capped by gates', () => {
  const r = rubric([aspect('a', [question('q1'), question('q2'), question('q3', { weight: 2 }), question('g', { gate: true })])]);
  const cases: { name: string; given: Record<string, string>; level: number; score: number }[] = [
    { name: 'all at 3 is level 3', given: { q1: 'l3', q2: 'l3', q3: 'l3', g: 'l3' }, level: 3, score: 50 },
    // weights: q1 1, q2 1, q3 2, g 1 = 5. At ≥4: q3+g = 3/5 > half → 4.
    { name: 'a heavy question tips the majority', given: { q1: 'l1', q2: 'l1', q3: 'l4', g: 'l4' }, level: 4, score: 45 },
    // Weights 1 + 1 + 2 = 4; at ≥2 only q3 (2 of 4): exactly half is not a majority.
    { name: 'exactly half is not enough', given: { q1: 'l1', q2: 'l1', q3: 'l3' }, level: 1, score: 25 },
    { name: 'a gate caps the level below the majority', given: { q1: 'l5', q2: 'l5', q3: 'l5', g: 'l2' }, level: 2, score: 85 },
    { name: 'the lowest level when every answer is at it', given: { q1: 'l1', q2: 'l1', q3: 'l1', g: 'l1' }, level: 1, score: 0 },
    { name: 'top level when every answer is at the top', given: { q1: 'l5', q2: 'l5', q3: 'l5', g: 'l5' }, level: 5, score: 100 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const card = score(r, answers(Object.fromEntries(Object.entries(c.given).map(([q, a]) => [q, answered(a)]))));
      expect(card.aspects[0]!.level).toBe(c.level);
      expect(card.aspects[0]!.score).toBe(c.score);
    });
  }

  it('names the gate that caps the level and lists it first among what holds the aspect back', () => {
    const a = score(r, answers({ q1: answered('l5'), q2: answered('l5'), q3: answered('l5'), g: answered('l2') })).aspects[0]!;
    expect(a.cappedBy).toBe('g');
    expect(a.holdingBack[0]).toMatchObject({ question: 'g', gate: true, level: 2 });
    expect(a.nextLevel).toBe(3);
  });
});

describe('coverage: unanswered and not-applicable questions are excluded, never zero', () => {
  const r = rubric([
    aspect('a', [
      question('q1'),
      question('q2', { notApplicable: true }),
      question('q3'),
      question('q4', { when: { question: 'q1', atLeast: 3 } }),
    ]),
  ]);

  it('leaves unanswered questions out of the score and shows them as coverage', () => {
    const a = score(r, answers({ q1: answered('l2') })).aspects[0]!;
    expect(a.score).toBe(25);
    expect(a.level).toBe(2);
    expect(a.answered).toBe(1);
    expect(a.applicable).toBe(3); // q1, q2, q3; q4's condition is not met
    expect(a.coverage).toBeCloseTo(1 / 3);
  });

  it('removes not-applicable answers from what applies', () => {
    const a = score(r, answers({ q1: answered('l2'), q2: { status: 'not-applicable' } })).aspects[0]!;
    expect(a.applicable).toBe(2);
    expect(a.notApplicable).toBe(1);
    expect(a.coverage).toBe(0.5);
  });

  it('treats a question whose condition is not met as not applicable, even if an old answer remains', () => {
    const a = score(r, answers({ q1: answered('l2'), q4: answered('l1') })).aspects[0]!;
    expect(a.questions.find((q) => q.question === 'q4')!.status).toBe('condition-not-met');
    expect(a.score).toBe(25);
  });

  it('counts a conditional question once its condition is met', () => {
    const a = score(r, answers({ q1: answered('l3'), q4: answered('l1') })).aspects[0]!;
    expect(a.applicable).toBe(4);
    expect(a.answered).toBe(2);
  });

  it('gives coverage 0 and no level when nothing is answered, without failing', () => {
    const card = score(r, new Map());
    expect(card.aspects[0]!.level).toBeUndefined();
    expect(card.aspects[0]!.score).toBeUndefined();
    expect(card.aspects[0]!.coverage).toBe(0);
    expect(card.overall.level).toBeUndefined();
    expect(card.overall.coverage).toBe(0);
  });
});

describe('multi-choice and overall', () => {
  it('scores a multi-choice answer at the highest chosen practice', () => {
    const multi = question('m', { type: 'multi' });
    const a = score(rubric([aspect('a', [multi])]), answers({ m: answered('l1', 'l4', 'l2') })).aspects[0]!;
    expect(a.level).toBe(4);
  });

  it('applies the majority rule to aspect levels, weighted by aspect weight, for the overall level', () => {
    const r = rubric([aspect('a', [question('a1')], { weight: 3 }), aspect('b', [question('b1')]), aspect('c', [question('c1')])]);
    const card = score(r, answers({ a1: answered('l4'), b1: answered('l1'), c1: answered('l2') }));
    expect(card.overall.level).toBe(4); // 3 of 5 weight at ≥ 4
    expect(card.overall.score).toBe(50); // (3·75 + 0 + 25) / 5
  });

  it('leaves unanswered aspects out of the overall level', () => {
    const r = rubric([aspect('a', [question('a1')]), aspect('b', [question('b1')])]);
    const card = score(r, answers({ a1: answered('l3') }));
    expect(card.overall.level).toBe(3);
    expect(card.overall.coverage).toBe(0.5);
  });
});

describe('majorityLevel', () => {
  it('returns the lowest level for an empty list rather than failing', () => {
    expect(majorityLevel([1, 2, 3], [])).toBe(1);
  });
});

describe('properties', () => {
  // Rubrics without `when`: with conditions, raising one answer can make another question apply.
  const r = rubric([
    aspect('a', [question('a1', { weight: 2 }), question('a2', { gate: true }), question('a3', { type: 'multi' })]),
    aspect('b', [question('b1'), question('b2', { weight: 3 }), question('b3', { notApplicable: true })], { weight: 2 }),
  ]);
  const ids = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
  const level = fc.integer({ min: 1, max: 5 });
  const answerSet = fc.dictionary(fc.constantFrom(...ids), fc.option(level, { nil: undefined }), { minKeys: 0 });
  const toAnswers = (levels: Record<string, number | undefined>) =>
    new Map(
      Object.entries(levels).map(([q, l]): [string, EffectiveAnswer] => [
        q,
        l === undefined ? { status: 'not-applicable' } : answered(`l${l}`),
      ]),
    );

  it('raising any answer never lowers a score or a level', () => {
    fc.assert(
      fc.property(answerSet, fc.constantFrom(...ids), level, (levels, raised, to) => {
        const before = levels[raised];
        if (before === undefined || to <= before) return;
        const cardBefore = score(r, toAnswers(levels));
        const cardAfter = score(r, toAnswers({ ...levels, [raised]: to }));
        // The raised question was answered before, so every aspect and the overall have a level before and after.
        for (const [a, b] of [
          ...cardBefore.aspects.map((x, i) => [x, cardAfter.aspects[i]!] as const),
          [cardBefore.overall, cardAfter.overall] as const,
        ]) {
          if (a.level === undefined) continue; // an aspect with no answers stays without a level
          expect(b.level).toBeGreaterThanOrEqual(a.level);
          expect(b.score).toBeGreaterThanOrEqual(a.score!);
        }
      }),
    );
  });

  it('keeps scores within 0–100, levels among the rubric levels, coverage within 0–1', () => {
    fc.assert(
      fc.property(answerSet, (levels) => {
        const card = score(r, toAnswers(levels));
        for (const a of [...card.aspects, card.overall]) {
          if (a.score !== undefined) expect(a.score).toBeGreaterThanOrEqual(0);
          if (a.score !== undefined) expect(a.score).toBeLessThanOrEqual(100);
          if (a.level !== undefined) expect([1, 2, 3, 4, 5]).toContain(a.level);
          expect(a.coverage).toBeGreaterThanOrEqual(0);
          expect(a.coverage).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('never places an aspect above its lowest answered gate', () => {
    fc.assert(
      fc.property(answerSet, (levels) => {
        const gate = levels.a2;
        const a = score(r, toAnswers(levels)).aspects[0]!;
        if (gate !== undefined && a.level !== undefined) expect(a.level).toBeLessThanOrEqual(gate);
      }),
    );
  });
});

describe('the worked example in the README', () => {
  it('scores observability at 2 Operate, 37.5, 6 of 7 answered: a missing runbook practice holds alerting, and so the aspect, below Scale', async () => {
    const { loadRubric } = await import('../../src/source/rubricFile.js');
    const { rubric: builtIn } = await loadRubric();
    const given = {
      'obs-metrics': answered('golden'),
      'obs-logging': answered('structured'),
      'obs-tracing': answered('some'),
      'obs-alerting': answered('on-call', 'symptom-alerts', 'owner-routing', 'noise-review'),
      'obs-incident-reviews': answered('some-reviewed'),
      'obs-cost': answered('tagged'),
    };
    const card = score(builtIn, answers(given));
    const obs = card.aspects.find((a) => a.aspect === 'observability')!;
    expect(obs).toMatchObject({ level: 2, score: 37.5, answered: 6, applicable: 7, nextLevel: 3, nextLevelShare: 0.5 });
    expect(obs.questions.find((q) => q.question === 'obs-alerting')).toMatchObject({ level: 2, missingPractices: ['runbooks'] });
    expect(obs.holdingBack.map((h) => h.question)).toEqual(['obs-alerting', 'obs-tracing', 'obs-incident-reviews', 'obs-cost']);

    // With runbooks ticked, alerting climbs to 4 (noise review is already ticked), and observability to Scale.
    const withRunbooks = score(
      builtIn,
      answers({ ...given, 'obs-alerting': answered('on-call', 'symptom-alerts', 'owner-routing', 'runbooks', 'noise-review') }),
    );
    expect(withRunbooks.aspects.find((a) => a.aspect === 'observability')).toMatchObject({ level: 3, score: 47.5 });

    const allAlerting = builtIn.aspects
      .find((a) => a.id === 'observability')!
      .questions.find((q) => q.id === 'obs-alerting')!
      .choices.filter((c) => c.exclusive !== true)
      .map((c) => c.id);
    const gated = score(
      builtIn,
      answers({
        'obs-metrics': answered('platform'),
        'obs-logging': answered('analysed'),
        'obs-alerting': answered(...allAlerting),
        'obs-tracing': answered('automated'),
      }),
    );
    const capped = gated.aspects.find((a) => a.aspect === 'observability')!;
    expect(capped.level).toBe(2);
    expect(capped.cappedBy).toBe('obs-metrics');
  });
});
