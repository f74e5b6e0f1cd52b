// The roadmap, tracked: the status each step was given (StepStatusSet) set against what the answers say. A step
// marked done whose answers still call for it is flagged — the roadmap and the answers must agree or say why not.
// Pure.

import type { StepStatusValue } from './events.js';
import type { Addressed, Plan, PlannedStep } from './roadmap.js';
import type { AssessmentState, StepStatus } from './state.js';

export interface TrackedStep {
  /** The recommendation id. */
  readonly step: string;
  readonly status: StepStatus | undefined;
  /** The step in this roadmap, when the answers call for it. */
  readonly planned: PlannedStep | undefined;
  /** Marked done, but its answers still sit below it: those answers (empty when they agree). */
  readonly stillOpen: readonly Addressed[];
  readonly doneButOpen: boolean;
  /** Has a due date before `today` and is neither done nor given up. */
  readonly overdue: boolean;
}

export interface StepCounts {
  /** Steps in the roadmap or with a status. */
  readonly total: number;
  readonly byStatus: Readonly<Record<StepStatusValue | 'not-started', number>>;
  readonly overdue: number;
  readonly doneButOpen: number;
}

/** Every step of the roadmap and every step with a status, roadmap order first. `today` is YYYY-MM-DD. */
export function trackSteps(roadmap: Plan, state: AssessmentState, today: string): TrackedStep[] {
  const planned = new Map(roadmap.steps.map((s) => [s.recommendation.id, s] as const));
  const ids = [...planned.keys(), ...[...state.steps.keys()].filter((id) => !planned.has(id))];
  return ids.map((step) => {
    const status = state.steps.get(step);
    const inPlan = planned.get(step);
    return {
      step,
      status,
      planned: inPlan,
      stillOpen: status?.status === 'done' ? (roadmap.open.get(step) ?? []) : [],
      doneButOpen: status?.status === 'done' && roadmap.open.has(step),
      overdue: status?.due !== undefined && status.due < today && status.status !== 'done' && status.status !== 'wont-do',
    };
  });
}

export function countSteps(tracked: readonly TrackedStep[]): StepCounts {
  const byStatus = { planned: 0, 'in-progress': 0, done: 0, 'wont-do': 0, 'not-started': 0 };
  for (const t of tracked) byStatus[t.status?.status ?? 'not-started']++;
  return {
    total: tracked.length,
    byStatus,
    overdue: tracked.filter((t) => t.overdue).length,
    doneButOpen: tracked.filter((t) => t.doneButOpen).length,
  };
}
