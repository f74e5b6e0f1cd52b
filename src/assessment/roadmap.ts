// The roadmap: which of the rubric's recommendations to do, in what order, grouped into phases. Planning, not a view:
// the report, and later the portfolio and step tracking, all read the same plan. Pure: (rubric, scorecard, effective
// answers, targets) → plan.
//
// The rule (also in the README and in the report's appendix):
// - Each aspect aims at its target level: the one set with `cnassess target`, else one level above its current level
//   (its current level at the top). An aspect with no answer yet and no target has no steps of its own.
// - A recommendation says what it `raises`: questions (to the step's level) or practices of a multi question. A raised
//   entry is open when its question is asked, answered (not n/a) and below the step: the answer's level is below the
//   step's level, or the practice is not ticked. A step of an aspect, at or below that aspect's target, is recommended
//   when at least one entry it raises is open — and only then, so the roadmap never recommends what the answers say
//   is done. A step whose raised questions are only unanswered is not guessed at: its questions go to the list of what
//   to find out first. (A recommendation from a rubric that predates `raises` raises every question of its aspect
//   that can be answered both below and at its level.)
// - Everything a recommended step `requires` is recommended too, transitively, when it is open; a requirement that
//   is met is shown as met, and one whose questions are unanswered goes to the find-out list.
// - Phases: the "next-level work" is every step at or below its aspect's next level, plus everything such a step
//   requires. Now = next-level work that needs nothing else first. Next = the rest of the next-level work (it waits
//   on a step in Now or Next). Later = steps toward targets beyond the next level. So no step is ever in an earlier
//   phase than something it requires.
// - Order: phase by phase; within a phase, a step never comes before what it requires, and among the steps that are
//   ready, higher impact first, then smaller effort, then lower level, then the aspect with fewer steps placed so far
//   (so equally valuable steps take turns across aspects), then rubric order.

import type { Effort, Impact, Raise, Recommendation, Rubric } from '../rubric/types.js';
import type { EffectiveAnswer, QuestionScore, Scorecard } from './scoring.js';

export type PhaseId = 'now' | 'next' | 'later';
export const PHASES: readonly PhaseId[] = ['now', 'next', 'later'];

/** An answer a step addresses: a raised entry that is answered and below the step. */
export interface Addressed {
  readonly question: string;
  /** The effective answer's level. */
  readonly level: number;
  /** The effective answer's choices. */
  readonly choices: readonly string[];
  /** For a practice entry: the practice (choice id) the answer does not tick. */
  readonly practice?: string;
}

export interface PlannedStep {
  readonly recommendation: Recommendation;
  readonly aspect: string;
  /** The aspect's current level; undefined when the aspect has no answer yet. */
  readonly aspectLevel: number | undefined;
  readonly phase: PhaseId;
  /** True when the step is in the plan only because another step requires it. */
  readonly pulledIn: boolean;
  /** The answers that make this step needed: never empty. */
  readonly addresses: readonly Addressed[];
  /** Ids of planned steps this one requires. */
  readonly requires: readonly string[];
  /** Ids of requirements the answers show are already met. */
  readonly requiresMet: readonly string[];
  /** Ids of requirements whose questions are not answered yet (see Plan.findOut). */
  readonly requiresUnknown: readonly string[];
  /** Ids of planned steps that require this one. */
  readonly requiredBy: readonly string[];
}

export interface AspectTarget {
  readonly aspect: string;
  readonly current: number | undefined;
  /** The level the roadmap aims at; undefined when the aspect has no answer and no target. */
  readonly target: number | undefined;
  readonly source: 'set' | 'default' | 'none';
}

/** A question to answer before the roadmap can say whether these steps are needed. */
export interface FindOut {
  readonly question: string;
  readonly aspect: string;
  /** Recommendation ids that wait on its answer. */
  readonly steps: readonly string[];
}

/** An answer that holds its aspect below the target and that no planned step raises: the rubric has no step for it. */
export interface Uncovered {
  readonly aspect: string;
  readonly question: string;
  readonly level: number;
}

export interface Plan {
  readonly targets: readonly AspectTarget[];
  /** Every step, in the order to do them. */
  readonly steps: readonly PlannedStep[];
  readonly findOut: readonly FindOut[];
  readonly uncovered: readonly Uncovered[];
  /**
   * Every recommendation some answer still calls for, in the roadmap or not (beyond the target, say), with those
   * answers: what a step marked done is checked against.
   */
  readonly open: ReadonlyMap<string, readonly Addressed[]>;
}

const IMPACT_RANK: Readonly<Record<Impact, number>> = { high: 0, medium: 1, low: 2 };
const EFFORT_RANK: Readonly<Record<Effort, number>> = { S: 0, M: 1, L: 2 };
const PHASE_RANK: Readonly<Record<PhaseId, number>> = { now: 0, next: 1, later: 2 };

/** The target of each aspect: the one set, else one level up from the current level (the top stays the top). */
export function aspectTargets(rubric: Rubric, card: Scorecard, targets: ReadonlyMap<string, number>): AspectTarget[] {
  const levels = rubric.levels.map((l) => l.level).sort((a, b) => a - b);
  return card.aspects.map((a): AspectTarget => {
    const set = targets.get(a.aspect);
    if (set !== undefined) return { aspect: a.aspect, current: a.level, target: set, source: 'set' };
    if (a.level === undefined) return { aspect: a.aspect, current: undefined, target: undefined, source: 'none' };
    const current = a.level;
    return { aspect: a.aspect, current, target: levels.find((l) => l > current) ?? current, source: 'default' };
  });
}

type EntryStatus =
  { kind: 'open'; addressed: Addressed } | { kind: 'met' } | { kind: 'unanswered'; question: string } | { kind: 'not-asked' };
type StepStatus = { kind: 'open'; addresses: Addressed[] } | { kind: 'met' } | { kind: 'unknown'; questions: string[] };

export function plan(
  rubric: Rubric,
  card: Scorecard,
  answers: ReadonlyMap<string, EffectiveAnswer>,
  targets: ReadonlyMap<string, number>,
): Plan {
  const levels = rubric.levels.map((l) => l.level).sort((a, b) => a - b);
  const aimed = aspectTargets(rubric, card, targets);
  const aimOf = new Map(aimed.map((t) => [t.aspect, t.target]));
  const current = new Map(card.aspects.map((a) => [a.aspect, a.level]));
  const scores = new Map<string, QuestionScore>();
  for (const a of card.aspects) for (const q of a.questions) scores.set(q.question, q);
  const nextLevelOf = (aspect: string): number | undefined => {
    const level = current.get(aspect);
    return level === undefined ? undefined : (levels.find((l) => l > level) ?? level);
  };

  // Every recommendation by id, with its aspect and its position in the rubric (the last tie-break).
  const byId = new Map<string, { rec: Recommendation; aspect: string; position: number }>();
  let position = 0;
  for (const aspect of rubric.aspects)
    for (const rec of aspect.recommendations) byId.set(rec.id, { rec, aspect: aspect.id, position: position++ });
  const entry = (id: string): { rec: Recommendation; aspect: string; position: number } => {
    const found = byId.get(id);
    if (found === undefined) throw new Error(`no recommendation ${id}`); // only ids taken from byId reach here
    return found;
  };

  const entryStatus = (raise: Raise, level: number): EntryStatus => {
    const score = scores.get(raise.question);
    if (score === undefined || score.status === 'condition-not-met' || score.status === 'not-applicable') return { kind: 'not-asked' };
    const answer = answers.get(raise.question);
    if (score.status === 'unanswered' || score.level === undefined || answer?.status !== 'answered')
      return { kind: 'unanswered', question: raise.question };
    const addressed = { question: raise.question, level: score.level, choices: answer.choices };
    if (raise.choice !== undefined) {
      return answer.choices.includes(raise.choice)
        ? { kind: 'met' }
        : { kind: 'open', addressed: { ...addressed, practice: raise.choice } };
    }
    return score.level < level ? { kind: 'open', addressed } : { kind: 'met' };
  };
  const statusCache = new Map<string, StepStatus>();
  const stepStatus = (id: string): StepStatus => {
    const cached = statusCache.get(id);
    if (cached !== undefined) return cached;
    const { rec, aspect } = entry(id);
    const statuses = raisesOf(rubric, rec, aspect).map((r) => entryStatus(r, rec.level));
    const addresses = statuses.flatMap((s) => (s.kind === 'open' ? [s.addressed] : []));
    const unanswered = statuses.flatMap((s) => (s.kind === 'unanswered' ? [s.question] : []));
    const status: StepStatus =
      addresses.length > 0
        ? { kind: 'open', addresses }
        : unanswered.length > 0
          ? { kind: 'unknown', questions: [...new Set(unanswered)] }
          : { kind: 'met' };
    statusCache.set(id, status);
    return status;
  };

  const findOut = new Map<string, { aspect: string; steps: string[] }>();
  const waitOnAnswers = (id: string): void => {
    const status = stepStatus(id);
    if (status.kind !== 'unknown') return;
    for (const question of status.questions) {
      const item = findOut.get(question) ?? { aspect: aspectOfQuestion(rubric, question), steps: [] };
      if (!item.steps.includes(id)) item.steps.push(id);
      findOut.set(question, item);
    }
  };

  // 1. The aspects' own steps: at or below the aim, and needed by some answer.
  const chosen = new Map<string, { pulledIn: boolean }>();
  for (const [id, { rec, aspect }] of byId) {
    const aim = aimOf.get(aspect);
    if (aim === undefined || rec.level > aim) continue;
    if (stepStatus(id).kind === 'open') chosen.set(id, { pulledIn: false });
    else waitOnAnswers(id);
  }
  // 2. Their open requirements, transitively.
  const queue = [...chosen.keys()];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const required of entry(id).rec.requires) {
      if (!byId.has(required) || chosen.has(required)) continue; // an unknown id: rubric validation reports it
      if (stepStatus(required).kind !== 'open') {
        waitOnAnswers(required);
        continue;
      }
      chosen.set(required, { pulledIn: true });
      queue.push(required);
    }
  }

  const knownRequires = (id: string): string[] => entry(id).rec.requires.filter((r) => byId.has(r));
  const requiresOf = (id: string): string[] => knownRequires(id).filter((r) => chosen.has(r));
  const requiredBy = new Map<string, string[]>();
  for (const id of chosen.keys()) for (const r of requiresOf(id)) requiredBy.set(r, [...(requiredBy.get(r) ?? []), id]);

  // 3. Phases. Next-level work: steps at or below their aspect's next level, and everything they require.
  const nearWork = new Set<string>();
  const mark = (id: string): void => {
    if (nearWork.has(id)) return;
    nearWork.add(id);
    for (const r of requiresOf(id)) mark(r);
  };
  for (const id of chosen.keys()) {
    const { rec, aspect } = entry(id);
    const next = nextLevelOf(aspect);
    if (next !== undefined && rec.level <= next) mark(id);
  }
  const phaseOf = (id: string): PhaseId => (!nearWork.has(id) ? 'later' : requiresOf(id).length === 0 ? 'now' : 'next');

  // 4. Order: topological (Kahn), choosing the best ready step each time. A cycle (which rubric validation refuses)
  // is broken by taking the best remaining step anyway.
  const placedIn = new Map<string, number>();
  const rank = (id: string): readonly number[] => {
    const { rec, aspect, position: p } = entry(id);
    return [PHASE_RANK[phaseOf(id)], IMPACT_RANK[rec.impact], EFFORT_RANK[rec.effort], rec.level, placedIn.get(aspect) ?? 0, p];
  };
  const better = (a: string, b: string): boolean => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) < (rb[i] ?? 0);
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
    if (best === undefined) break;
    remaining.delete(best);
    placed.add(best);
    const aspect = entry(best).aspect;
    placedIn.set(aspect, (placedIn.get(aspect) ?? 0) + 1);
    ordered.push(best);
  }

  const steps = ordered.map((id): PlannedStep => {
    const { rec, aspect } = entry(id);
    const status = stepStatus(id);
    return {
      recommendation: rec,
      aspect,
      aspectLevel: current.get(aspect),
      phase: phaseOf(id),
      pulledIn: chosen.get(id)?.pulledIn ?? false,
      addresses: status.kind === 'open' ? status.addresses : [],
      requires: requiresOf(id),
      requiresMet: knownRequires(id).filter((r) => stepStatus(r).kind === 'met'),
      requiresUnknown: knownRequires(id).filter((r) => stepStatus(r).kind === 'unknown'),
      requiredBy: requiredBy.get(id) ?? [],
    };
  });

  // What holds an aspect back and the roadmap agree: an answer below the next level that no step raises is named.
  const raisedByPlan = new Set(steps.flatMap((s) => s.addresses.map((a) => a.question)));
  const uncovered = card.aspects.flatMap((a) =>
    aimOf.get(a.aspect) === undefined
      ? []
      : a.holdingBack.filter((h) => !raisedByPlan.has(h.question)).map((h) => ({ aspect: a.aspect, question: h.question, level: h.level })),
  );
  const order = questionOrder(rubric);
  return {
    targets: aimed,
    steps,
    findOut: [...findOut]
      .map(([question, item]) => ({ question, ...item }))
      .sort((x, y) => (order.get(x.question) ?? 0) - (order.get(y.question) ?? 0)),
    uncovered,
    open: new Map(
      [...byId.keys()].flatMap((id) => {
        const status = stepStatus(id);
        return status.kind === 'open' ? [[id, status.addresses] as const] : [];
      }),
    ),
  };
}

/**
 * What a recommendation raises. A rubric written before `raises` existed does not say: its step then raises every
 * question of its aspect that can be answered both below its level and at it — the closest reading of the old rule.
 */
export function raisesOf(rubric: Rubric, rec: Recommendation, aspectId: string): readonly Raise[] {
  if (rec.raises !== undefined) return rec.raises;
  const aspect = rubric.aspects.find((a) => a.id === aspectId);
  return (aspect?.questions ?? [])
    .filter((q) => q.choices.some((c) => c.level < rec.level) && q.choices.some((c) => c.level >= rec.level))
    .map((q) => ({ question: q.id }));
}

function aspectOfQuestion(rubric: Rubric, question: string): string {
  return rubric.aspects.find((a) => a.questions.some((q) => q.id === question))?.id ?? '';
}

function questionOrder(rubric: Rubric): Map<string, number> {
  return new Map(rubric.aspects.flatMap((a) => a.questions).map((q, i) => [q.id, i]));
}
