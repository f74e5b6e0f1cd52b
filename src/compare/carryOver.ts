// The quarterly re-run: last quarter's answers become this quarter's baseline. Each respondent's
// latest answer is recorded again, marked as carried, under the question's id in the new rubric;
// the questionnaire then asks that respondent to confirm or change it. Pure: it plans commands, and
// checks them with the decider itself, so the batch it returns is one the decider accepts.

import { decide, type AssessmentCommand } from '../assessment/decider.js';
import { combinedAnswers, evolve, type AssessmentState } from '../assessment/state.js';
import { DomainError } from '../errors.js';
import type { Rubric } from '../rubric/types.js';
import { matchQuestions, questionsOf } from './questionMatch.js';

export type RecordAnswer = Extract<AssessmentCommand, { type: 'RecordAnswer' }>;
export type SetTarget = Extract<AssessmentCommand, { type: 'SetTarget' }>;
export type SetStepStatus = Extract<AssessmentCommand, { type: 'SetStepStatus' }>;
export type RecordConsensus = Extract<AssessmentCommand, { type: 'RecordConsensus' }>;

export interface CarryOverPlan {
  /** RecordAnswer commands with `carried: true`, in questionnaire order; run them right after StartAssessment. */
  readonly answers: readonly RecordAnswer[];
  /**
   * The answers, each question's followed by the consensus that decided it last quarter (carried, so a follow-up
   * question that the agreed answer opens is carried too): what carriedCommands records.
   */
  readonly answersAndConsensus: readonly (RecordAnswer | RecordConsensus)[];
  /** SetTarget commands for the previous targets of aspects the new rubric still has. */
  readonly targets: readonly SetTarget[];
  /** The roadmap steps' statuses, for the steps the new rubric still recommends, marked carried. */
  readonly steps: readonly SetStepStatus[];
  /** Statuses of steps the new rubric no longer has: not carried. */
  readonly stepsLeftOut: readonly { readonly step: string; readonly status: string; readonly reason: string }[];
  /** Previous answers that are not carried, and why (the question was removed, a choice is gone…). */
  readonly leftOut: readonly { readonly question: string; readonly respondent: string; readonly reason: string }[];
}

/** The carried answers only: what `start --from` and the questionnaire record after StartAssessment. */
export function carryOver(
  previousState: AssessmentState,
  previousRubric: Rubric,
  newRubric: Rubric,
  history: readonly Rubric[] = [],
): RecordAnswer[] {
  return [...planCarryOver(previousState, previousRubric, newRubric, history).answers];
}

export function planCarryOver(
  previousState: AssessmentState,
  previousRubric: Rubric,
  newRubric: Rubric,
  history: readonly Rubric[] = [],
): CarryOverPlan {
  const match = matchQuestions(previousRubric, newRubric, history);
  const leftOut: { question: string; respondent: string; reason: string }[] = [];
  for (const removed of match.removed) {
    for (const r of previousState.responses.get(removed.id)?.values() ?? []) {
      leftOut.push({ question: removed.id, respondent: r.respondent, reason: `${newRubric.id} ${newRubric.version} no longer asks it` });
    }
  }

  // Fold as the workspace will, so each answer is checked against the ones carried before it.
  const meta = (seq: number) => ({ stream: 'assessment/carry-over', seq, version: seq, at: previousState.updatedAt });
  let state: AssessmentState | undefined = evolve(
    undefined,
    {
      type: 'AssessmentStarted',
      data: { org: previousState.org, scope: previousState.scope, period: previousState.period, rubric: previousState.rubric },
    },
    meta(1),
  );
  let seq = 1;
  const answers: RecordAnswer[] = [];
  const answersAndConsensus: (RecordAnswer | RecordConsensus)[] = [];
  const agreed = combinedAnswers(previousRubric, previousState);
  for (const { question } of questionsOf(newRubric)) {
    const previousId = match.fromOf.get(question.id);
    if (previousId === undefined) continue;
    const responses = [...(previousState.responses.get(previousId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    for (const r of responses) {
      const command: RecordAnswer = {
        type: 'RecordAnswer',
        question: question.id,
        answer: r.answer,
        respondent: r.respondent,
        ...(r.note !== undefined && { note: r.note }),
        carried: true,
      };
      try {
        for (const event of decide(command, state, newRubric)) state = evolve(state, event, meta(++seq));
        answers.push(command);
        answersAndConsensus.push(command);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        leftOut.push({ question: previousId, respondent: r.respondent, reason: e.message });
      }
    }
    const consensus = agreed.get(previousId)?.consensus;
    if (consensus !== undefined) {
      const command: RecordConsensus = {
        type: 'RecordConsensus',
        question: question.id,
        answer: consensus.answer,
        rationale: `Carried from ${previousState.period}: ${consensus.rationale.replace(/^Carried from \d{4}-Q[1-4]: /, '')}`.slice(
          0,
          2000,
        ),
        facilitator: consensus.facilitator,
      };
      try {
        for (const event of decide(command, state, newRubric)) state = evolve(state, event, meta(++seq));
        answersAndConsensus.push(command);
      } catch (e) {
        // A consensus whose answer the new rubric no longer offers is not carried; its answers are, unsettled.
        if (!(e instanceof DomainError)) throw e;
      }
    }
  }

  const aspects = new Set(newRubric.aspects.map((a) => a.id));
  const levels = new Set(newRubric.levels.map((l) => l.level));
  const targets = [...previousState.targets]
    .filter(([aspect, level]) => aspects.has(aspect) && levels.has(level))
    .map(([aspect, level]): SetTarget => ({ type: 'SetTarget', aspect, level }));
  const recommendations = new Set(newRubric.aspects.flatMap((a) => a.recommendations.map((r) => r.id)));
  const steps = [...previousState.steps.values()]
    .filter((s) => recommendations.has(s.step))
    .map((s): SetStepStatus => ({
      type: 'SetStepStatus',
      step: s.step,
      status: s.status,
      ...(s.note !== undefined && { note: s.note }),
      ...(s.owner !== undefined && { owner: s.owner }),
      ...(s.due !== undefined && { due: s.due }),
      carried: true,
    }));
  const stepsLeftOut = [...previousState.steps.values()]
    .filter((s) => !recommendations.has(s.step))
    .map((s) => ({ step: s.step, status: s.status, reason: `${newRubric.id} ${newRubric.version} has no such step` }));
  return { answers, answersAndConsensus, targets, steps, stepsLeftOut, leftOut };
}

/** Everything a carry-over records after StartAssessment, in order. */
export function carriedCommands(plan: CarryOverPlan): AssessmentCommand[] {
  return [...plan.answersAndConsensus, ...plan.targets, ...plan.steps];
}
