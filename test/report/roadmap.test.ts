import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { score, type EffectiveAnswer } from '../../src/assessment/scoring.js';
import { PHASES, plan } from '../../src/report/roadmap.js';
import { aspect, question, recommendation, rubric } from '../support/rubrics.js';

const rec = recommendation;

/** Given each aspect's level (every question of it answered at that level), the scorecard. */
function cardAt(r: ReturnType<typeof rubric>, levels: Record<string, number | undefined>) {
  const answers = new Map<string, EffectiveAnswer>();
  for (const a of r.aspects) {
    const level = levels[a.id];
    if (level !== undefined) for (const q of a.questions) answers.set(q.id, { status: 'answered', choices: [`l${level}`] });
  }
  return score(r, answers);
}

const ids = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.recommendation.id);

describe('which recommendations the roadmap plans', () => {
  const r = rubric([
    aspect('a', [question('a1')], { recommendations: [rec('a2', 2), rec('a3', 3), rec('a4', 4), rec('a5', 5)] }),
    aspect('b', [question('b1')], { recommendations: [rec('b2', 2), rec('b3', 3, { requires: ['a3'] }), rec('b4', 4, { requires: ['b3'] })] }),
  ]);

  it('aims one level up when no target is set', () => {
    expect(ids(plan(r, cardAt(r, { a: 2, b: 1 }), new Map())).sort()).toEqual(['a3', 'b2']);
  });

  it('plans every level between the current level and a set target', () => {
    expect(ids(plan(r, cardAt(r, { a: 2, b: 5 }), new Map([['a', 5]]))).sort()).toEqual(['a3', 'a4', 'a5']);
  });

  it('plans nothing for an aspect whose target is at or below its level', () => {
    expect(ids(plan(r, cardAt(r, { a: 4, b: 5 }), new Map([['a', 3]])))).toEqual([]);
  });

  it('plans nothing of its own for an aspect without answers', () => {
    const p = plan(r, cardAt(r, { a: 5 }), new Map());
    expect(ids(p)).toEqual([]);
    expect(p.targets.find((t) => t.aspect === 'b')).toMatchObject({ current: undefined, target: undefined, source: 'none' });
  });

  it('adds what a step requires in another aspect, transitively', () => {
    // b at 3 aims at 4: b4 requires b3 — but b already stands at 3, so b3 is done. a at 1: a3 is not.
    const p = plan(r, cardAt(r, { a: 1, b: 2 }), new Map([['b', 4]]));
    expect(ids(p).sort()).toEqual(['a2', 'a3', 'b3', 'b4']);
    expect(p.steps.find((s) => s.recommendation.id === 'a3')).toMatchObject({ pulledIn: true, requiredBy: ['b3'] });
    expect(p.steps.find((s) => s.recommendation.id === 'b4')!.requires).toEqual(['b3']);
  });

  it('skips a requirement whose aspect already stands at its level', () => {
    const p = plan(r, cardAt(r, { a: 3, b: 2 }), new Map());
    expect(ids(p)).toEqual(['b3', 'a4']); // same impact and effort: the lower level first
    expect(p.steps.find((s) => s.recommendation.id === 'b3')!.requires).toEqual([]);
  });
});

describe('order and phases', () => {
  it('puts higher impact first, then smaller effort, among steps that are ready', () => {
    const r = rubric([
      aspect('a', [question('a1')], {
        recommendations: [rec('low-s', 2, { impact: 'low', effort: 'S' }), rec('high-l', 2, { impact: 'high', effort: 'L' }), rec('high-s', 2, { impact: 'high', effort: 'S' }), rec('med-m', 2)],
      }),
    ]);
    expect(ids(plan(r, cardAt(r, { a: 1 }), new Map()))).toEqual(['high-s', 'high-l', 'med-m', 'low-s']);
  });

  it('never puts a step before what it requires, even when the step is more valuable', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [rec('first', 2, { impact: 'low', effort: 'L' }), rec('second', 2, { impact: 'high', effort: 'S', requires: ['first'] })] }),
    ]);
    expect(ids(plan(r, cardAt(r, { a: 1 }), new Map()))).toEqual(['first', 'second']);
  });

  it('groups into Now (next level, nothing unmet), Next (next level, waits on a step) and Later (beyond)', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [rec('a2', 2), rec('a2-after', 2, { requires: ['a2'] }), rec('a3', 3), rec('a4', 4, { requires: ['b3'] })] }),
      aspect('b', [question('b1')], { recommendations: [rec('b2', 2), rec('b3', 3)] }),
    ]);
    const p = plan(r, cardAt(r, { a: 1, b: 1 }), new Map([['a', 4]]));
    const phase = Object.fromEntries(p.steps.map((s) => [s.recommendation.id, s.phase]));
    expect(phase).toEqual({ a2: 'now', b2: 'now', 'a2-after': 'next', a3: 'later', a4: 'later', b3: 'later' });
  });

  it('counts a requirement of next-level work as next-level work, whatever its own level', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [rec('a2', 2, { requires: ['b4'] })] }),
      aspect('b', [question('b1')], { recommendations: [rec('b4', 4)] }),
    ]);
    const p = plan(r, cardAt(r, { a: 1, b: 1 }), new Map());
    expect(p.steps.map((s) => [s.recommendation.id, s.phase])).toEqual([
      ['b4', 'now'],
      ['a2', 'next'],
    ]);
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
        const recs = specs.map((s, i) => ({ ...s, rec: rec(`r${i}`, s.level, { impact: s.impact, effort: s.effort, requires: i === 0 ? [] : [...new Set(s.requires.map((n) => `r${n % i}`))] }) }));
        return rubric(['x', 'y', 'z'].map((id, a) => aspect(id, [question(`${id}1`)], { recommendations: recs.filter((r) => r.aspect === a).map((r) => r.rec) })));
      });
    fc.assert(
      fc.property(arbitraryRubric, fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), fc.integer({ min: 1, max: 5 }), (r, [x, y, z], target) => {
        const p = plan(r, cardAt(r, { x, y, z }), new Map([['x', target]]));
        const position = new Map(p.steps.map((s, i) => [s.recommendation.id, i]));
        for (const [i, step] of p.steps.entries()) {
          for (const required of step.requires) {
            expect(position.get(required)!).toBeLessThan(i);
            expect(PHASES.indexOf(p.steps[position.get(required)!]!.phase)).toBeLessThanOrEqual(PHASES.indexOf(step.phase));
          }
          if (step.phase === 'now') expect(step.requires).toEqual([]);
        }
      }),
    );
  });
});

describe('the built-in rubric', () => {
  it('plans Kubernetes only after the image, the infrastructure code and the health checks it requires', async () => {
    const { loadRubric } = await import('../../src/rubric/load.js');
    const { rubric: builtIn } = await loadRubric();
    const answers = new Map<string, EffectiveAnswer>();
    for (const a of builtIn.aspects) for (const q of a.questions) answers.set(q.id, { status: 'answered', choices: [[...q.choices].sort((x, y) => x.level - y.level)[1]!.id] });
    const card = score(builtIn, answers);
    const p = plan(builtIn, card, new Map([['orchestration', 3]]));
    const order = ids(p);
    const k8s = order.indexOf('orch-adopt-managed-k8s');
    expect(k8s).toBeGreaterThan(-1);
    for (const required of ['app-build-container-images', 'prov-declarative-iac', 'orch-add-health-checks']) {
      if (order.includes(required)) expect(order.indexOf(required)).toBeLessThan(k8s);
    }
  });
});

describe('equally valuable steps', () => {
  it('take turns across aspects', () => {
    const r = rubric([
      aspect('a', [question('a1')], { recommendations: [rec('a-one', 2), rec('a-two', 2)] }),
      aspect('b', [question('b1')], { recommendations: [rec('b-one', 2), rec('b-two', 2)] }),
    ]);
    expect(ids(plan(r, cardAt(r, { a: 1, b: 1 }), new Map()))).toEqual(['a-one', 'b-one', 'a-two', 'b-two']);
  });
});
