// The roadmap: which of the rubric's recommendations to do, in what order, grouped into phases.
// Pure: (rubric, scorecard, targets) → plan.
//
// The rule (also in the README and in the report's appendix):
// - Each aspect aims at its target level: the one set with `cnassess target`, else one level above
//   its current level. An aspect with no answer yet has no current level and gets no steps of its own.
// - An aspect's steps are its recommendations whose level lies above its current level and at or
//   below its target. Everything those steps `require`, in any aspect, is added too, transitively —
//   except a requirement whose aspect already stands at or above that requirement's level.
// - Phases: the "next-level work" is every step toward an aspect's next level, plus everything such
//   a step requires. Now = next-level work that needs nothing else first. Next = the rest of the
//   next-level work (it waits on a step in Now or Next). Later = steps toward targets beyond the next level.
//   So no step is ever in an earlier phase than something it requires.
// - Order: phase by phase; within a phase, a step never comes before what it requires, and among the
//   steps that are ready, higher impact first, then smaller effort, then lower level, then the aspect
//   with fewer steps placed so far (so equally valuable steps take turns across aspects), then rubric order.

import type { Scorecard } from '../assessment/scoring.js';
import type { Effort, Impact, Recommendation, Rubric } from '../rubric/types.js';

export type PhaseId = 'now' | 'next' | 'later';
export const PHASES: readonly PhaseId[] = ['now', 'next', 'later'];

export interface PlannedStep {
  readonly recommendation: Recommendation;
  readonly aspect: string;
  /** The aspect's current level; undefined when the aspect has no answer yet. */
  readonly aspectLevel: number | undefined;
  readonly phase: PhaseId;
  /** True when the step is in the plan only because another step requires it. */
  readonly pulledIn: boolean;
  /** Ids of planned steps this one requires (unmet requirements only). */
  readonly requires: readonly string[];
  /** Ids of planned steps that require this one. */
  readonly requiredBy: readonly string[];
}

export interface AspectTarget {
  readonly aspect: string;
  readonly current: number | undefined;
  /** The level the roadmap aims at; undefined when the aspect has no answer or is at the top. */
  readonly target: number | undefined;
  readonly source: 'set' | 'default' | 'none';
}

export interface Plan {
  readonly targets: readonly AspectTarget[];
  /** Every step, in the order to do them. */
  readonly steps: readonly PlannedStep[];
}

const IMPACT_RANK: Readonly<Record<Impact, number>> = { high: 0, medium: 1, low: 2 };
const EFFORT_RANK: Readonly<Record<Effort, number>> = { S: 0, M: 1, L: 2 };
const PHASE_RANK: Readonly<Record<PhaseId, number>> = { now: 0, next: 1, later: 2 };

/** The target of each aspect: the one set, else one level up from the current level. */
export function aspectTargets(rubric: Rubric, card: Scorecard, targets: ReadonlyMap<string, number>): AspectTarget[] {
  const levels = rubric.levels.map((l) => l.level).sort((a, b) => a - b);
  return card.aspects.map((a): AspectTarget => {
    const set = targets.get(a.aspect);
    if (set !== undefined) return { aspect: a.aspect, current: a.level, target: set, source: 'set' };
    if (a.level === undefined) return { aspect: a.aspect, current: undefined, target: undefined, source: 'none' };
    const up = levels.find((l) => l > a.level!);
    return up === undefined ? { aspect: a.aspect, current: a.level, target: undefined, source: 'none' } : { aspect: a.aspect, current: a.level, target: up, source: 'default' };
  });
}

export function plan(rubric: Rubric, card: Scorecard, targets: ReadonlyMap<string, number>): Plan {
  const levels = rubric.levels.map((l) => l.level).sort((a, b) => a - b);
  const aimed = aspectTargets(rubric, card, targets);
  const current = new Map(card.aspects.map((a) => [a.aspect, a.level]));
  const nextLevelOf = (aspect: string): number | undefined => {
    const level = current.get(aspect);
    return level === undefined ? undefined : levels.find((l) => l > level);
  };

  // Every recommendation by id, with its aspect and its position in the rubric (the last tie-break).
  const byId = new Map<string, { rec: Recommendation; aspect: string; position: number }>();
  let position = 0;
  for (const aspect of rubric.aspects) for (const rec of aspect.recommendations) byId.set(rec.id, { rec, aspect: aspect.id, position: position++ });

  const done = (id: string): boolean => {
    const entry = byId.get(id);
    if (!entry) return true; // an unknown id cannot be planned; rubric validation reports it
    const level = current.get(entry.aspect);
    return level !== undefined && level >= entry.rec.level;
  };

  // 1. The aspects' own steps.
  const chosen = new Map<string, { pulledIn: boolean }>();
  for (const t of aimed) {
    if (t.current === undefined || t.target === undefined || t.target <= t.current) continue;
    for (const rec of rubric.aspects.find((a) => a.id === t.aspect)?.recommendations ?? []) {
      if (rec.level > t.current && rec.level <= t.target) chosen.set(rec.id, { pulledIn: false });
    }
  }
  // 2. Their unmet requirements, transitively.
  const queue = [...chosen.keys()];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const required of byId.get(id)?.rec.requires ?? []) {
      if (done(required) || chosen.has(required)) continue;
      chosen.set(required, { pulledIn: true });
      queue.push(required);
    }
  }

  const requiresOf = (id: string): string[] => (byId.get(id)?.rec.requires ?? []).filter((r) => chosen.has(r));
  const requiredBy = new Map<string, string[]>();
  for (const id of chosen.keys()) for (const r of requiresOf(id)) requiredBy.set(r, [...(requiredBy.get(r) ?? []), id]);

  // 3. Phases. Next-level work: steps at their aspect's next level, and everything they require.
  const nearWork = new Set<string>();
  const mark = (id: string): void => {
    if (nearWork.has(id)) return;
    nearWork.add(id);
    for (const r of requiresOf(id)) mark(r);
  };
  for (const id of chosen.keys()) {
    const entry = byId.get(id)!;
    if (entry.rec.level === nextLevelOf(entry.aspect)) mark(id);
  }
  const phaseOf = (id: string): PhaseId => (!nearWork.has(id) ? 'later' : requiresOf(id).length === 0 ? 'now' : 'next');

  // 4. Order: topological (Kahn), choosing the best ready step each time. A cycle (which rubric
  // validation should have refused) is broken by taking the best remaining step anyway.
  const placedIn = new Map<string, number>();
  const rank = (id: string): readonly number[] => {
    const { rec, aspect, position: p } = byId.get(id)!;
    return [PHASE_RANK[phaseOf(id)], IMPACT_RANK[rec.impact], EFFORT_RANK[rec.effort], rec.level, placedIn.get(aspect) ?? 0, p];
  };
  const better = (a: string, b: string): boolean => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! < rb[i]!;
    return false;
  };
  const remaining = new Set(chosen.keys());
  const placed = new Set<string>();
  const ordered: string[] = [];
  while (remaining.size > 0) {
    let best: string | undefined;
    let bestReady = false;
    for (const id of remaining) {
      const ready = requiresOf(id).every((r) => placed.has(r));
      if (best === undefined || (ready && !bestReady) || (ready === bestReady && better(id, best))) {
        best = id;
        bestReady = ready;
      }
    }
    remaining.delete(best!);
    placed.add(best!);
    const aspect = byId.get(best!)!.aspect;
    placedIn.set(aspect, (placedIn.get(aspect) ?? 0) + 1);
    ordered.push(best!);
  }

  return {
    targets: aimed,
    steps: ordered.map((id): PlannedStep => {
      const entry = byId.get(id)!;
      return {
        recommendation: entry.rec,
        aspect: entry.aspect,
        aspectLevel: current.get(entry.aspect),
        phase: phaseOf(id),
        pulledIn: chosen.get(id)!.pulledIn,
        requires: requiresOf(id),
        requiredBy: requiredBy.get(id) ?? [],
      };
    }),
  };
}
