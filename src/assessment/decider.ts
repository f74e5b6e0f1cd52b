// The decider: decide(command, state, rubric) → events, or a DomainError and no event. Pure.

import { DomainError } from '../errors.js';
import { didYouMean } from '../text.js';
import type { Question, Rubric, RubricRef } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { sameAnswer, type AnswerValue, type AssessmentEvent } from './events.js';
import { conditionMet, findQuestion } from './scoring.js';
import { effectiveAnswers, type AssessmentState } from './state.js';

export type AssessmentCommand =
  | {
      readonly type: 'StartAssessment';
      readonly org: string;
      readonly scope: string;
      readonly period: string;
      readonly rubric: RubricRef;
      readonly carriedFrom?: string;
    }
  | {
      readonly type: 'RecordAnswer';
      readonly question: string;
      readonly answer: AnswerValue;
      readonly respondent: string;
      readonly note?: string;
      readonly carried?: boolean;
    }
  | { readonly type: 'ClearAnswer'; readonly question: string; readonly respondent: string }
  | { readonly type: 'SetTarget'; readonly aspect: string; readonly level: number }
  | { readonly type: 'CompleteAssessment' }
  | { readonly type: 'ReopenAssessment'; readonly reason?: string }
  | { readonly type: 'InviteRespondents'; readonly respondents: readonly string[] }
  | {
      readonly type: 'RecordConsensus';
      readonly question: string;
      readonly answer: AnswerValue;
      readonly rationale: string;
      readonly facilitator: string;
    }
  | { readonly type: 'RenameRespondent'; readonly from: string; readonly to: string };

const PERIOD = /^(\d{4})-Q([1-4])$/;
const MAX_TEXT = 2000;

export function decide(command: AssessmentCommand, state: AssessmentState | undefined, rubric: Rubric): AssessmentEvent[] {
  if (command.type === 'StartAssessment') {
    if (state) throw new DomainError('already-exists', `an assessment of ${describe(state)} already exists (${state.id})`);
    // Ids are lowercase (2026-q4), so a period typed as one is the same quarter.
    const period = command.period.toUpperCase();
    if (!PERIOD.test(period)) {
      throw new DomainError('malformed-period', `period "${command.period}" is not a quarter; write it as YYYY-Qn, for example 2026-Q4`);
    }
    requireText(command.org, 'org');
    requireText(command.scope, 'scope');
    return [
      {
        type: 'AssessmentStarted',
        data: {
          org: command.org,
          scope: command.scope,
          period,
          rubric: command.rubric,
          ...(command.carriedFrom !== undefined && { carriedFrom: command.carriedFrom }),
        },
      },
    ];
  }

  if (!state) throw new DomainError('no-assessment', 'no such assessment; start one with `cnassess start` or `cnassess assess`');
  if (command.type === 'ReopenAssessment') {
    if (state.status !== 'completed') throw new DomainError('not-completed', `${state.id} is not completed, so there is nothing to reopen`);
    return [{ type: 'AssessmentReopened', data: command.reason !== undefined ? { reason: command.reason } : {} }];
  }
  if (state.status === 'completed') {
    // Repeating what is already recorded is not a change: a re-run import of a completed assessment succeeds.
    if (alreadyRecorded(command, state)) return [];
    throw new DomainError('completed', `${state.id} is completed; reopen it first with \`cnassess reopen ${state.id}\``);
  }

  switch (command.type) {
    case 'RecordAnswer':
      return decideAnswer(command, state, rubric);
    case 'ClearAnswer': {
      requireQuestion(rubric, command.question, state);
      // Clearing what is not there records nothing: the state already says what the user wants.
      if (!state.responses.get(command.question)?.has(command.respondent)) return [];
      return [{ type: 'AnswerCleared', data: { question: command.question, respondent: command.respondent } }];
    }
    case 'SetTarget': {
      if (!rubric.aspects.some((a) => a.id === command.aspect)) {
        throw new DomainError(
          'unknown-aspect',
          `unknown aspect "${command.aspect}"${didYouMean(
            command.aspect,
            rubric.aspects.map((a) => a.id),
          )} (aspects: ${rubric.aspects.map((a) => a.id).join(', ')})`,
        );
      }
      if (!rubric.levels.some((l) => l.level === command.level)) {
        throw new DomainError(
          'unknown-level',
          `unknown level ${command.level} (levels: ${rubric.levels.map((l) => `${l.level} ${l.name}`).join(', ')})`,
        );
      }
      if (state.targets.get(command.aspect) === command.level) return [];
      return [{ type: 'TargetSet', data: { aspect: command.aspect, level: command.level } }];
    }
    case 'CompleteAssessment':
      return [{ type: 'AssessmentCompleted', data: {} }];
    case 'InviteRespondents': {
      for (const name of command.respondents) requireText(name, 'respondent');
      const fresh = [...new Set(command.respondents.map((r) => r.trim()))].filter(
        (r) => !state.expected.includes(state.aliases.get(r) ?? r),
      );
      return fresh.length === 0 ? [] : [{ type: 'RespondentsInvited', data: { respondents: fresh } }];
    }
    case 'RecordConsensus':
      return decideConsensus(command, state, rubric);
    case 'RenameRespondent': {
      requireText(command.to, 'respondent');
      const known = new Set([...state.respondents, ...state.expected]);
      if (!known.has(command.from))
        throw new DomainError(
          'unknown-respondent',
          `${state.id} has no respondent "${command.from}"${didYouMean(command.from, known)} (respondents: ${[...known].join(', ') || 'none yet'})`,
        );
      if (command.from === command.to) return [];
      if (state.aliases.has(command.to))
        throw new DomainError(
          'renamed-away',
          `"${command.to}" was itself renamed to "${state.aliases.get(command.to) ?? ''}"; rename to that name`,
        );
      return [{ type: 'RespondentRenamed', data: { from: command.from, to: command.to } }];
    }
  }
}

/**
 * A facilitated consensus: the agreed answer (checked as any answer is) and why, recording the answers it settles.
 * The same agreement again records nothing.
 */
function decideConsensus(
  command: Extract<AssessmentCommand, { type: 'RecordConsensus' }>,
  state: AssessmentState,
  rubric: Rubric,
): AssessmentEvent[] {
  const question = requireQuestion(rubric, command.question, state);
  requireText(command.facilitator, 'facilitator');
  const rationale = command.rationale.trim();
  if (rationale === '') throw new DomainError('empty-rationale', 'a consensus needs its rationale: why this answer, agreed by whom');
  if (rationale.length > MAX_TEXT)
    throw new DomainError('note-too-long', `the rationale is ${rationale.length} characters; keep it under ${MAX_TEXT}`);
  checkAnswer(rubric, question, command.answer, state);
  const responses = [...(state.responses.get(question.id)?.values() ?? [])];
  if (responses.length === 0)
    throw new DomainError('nothing-to-settle', `nobody has answered "${question.id}" yet: there is nothing to settle`);
  const current = state.consensus.get(question.id);
  const inForce = current !== undefined && responses.every((r) => r.seq < current.seq);
  if (inForce && sameAnswer(current.answer, command.answer) && current.rationale === rationale) return [];
  return [
    {
      type: 'ConsensusRecorded',
      data: {
        question: question.id,
        answer: command.answer === NOT_APPLICABLE ? command.answer : [...command.answer].sort(),
        rationale,
        facilitator: command.facilitator,
        settled: responses.map((r) => ({ respondent: r.respondent, answer: r.answer })),
      },
    },
  ];
}

function decideAnswer(
  command: Extract<AssessmentCommand, { type: 'RecordAnswer' }>,
  state: AssessmentState,
  rubric: Rubric,
): AssessmentEvent[] {
  const question = requireQuestion(rubric, command.question, state);
  requireText(command.respondent, 'respondent');
  if (command.note !== undefined && command.note.length > MAX_TEXT) {
    throw new DomainError(
      'note-too-long',
      `the note is ${command.note.length} characters; keep it under ${MAX_TEXT} (link to longer evidence)`,
    );
  }
  const answer = command.answer;
  checkAnswer(rubric, question, answer, state);

  // The same answer and note again records nothing, so re-running an import or a command is harmless.
  const normalised: AnswerValue = answer === NOT_APPLICABLE ? answer : [...answer].sort();
  const note = command.note === '' ? undefined : command.note;
  if (alreadyRecorded(command, state)) return [];

  return [
    {
      type: 'AnswerRecorded',
      data: {
        question: question.id,
        answer: normalised,
        respondent: command.respondent,
        ...(note !== undefined && { note }),
        ...(command.carried === true && { carried: true }),
      },
    },
  ];
}

/** Whether a command would record nothing new: the same answer and note, the same target, nothing to clear. */
function alreadyRecorded(command: AssessmentCommand, state: AssessmentState): boolean {
  switch (command.type) {
    case 'RecordAnswer': {
      const current = state.responses.get(command.question)?.get(state.aliases.get(command.respondent) ?? command.respondent);
      const note = command.note === '' ? undefined : command.note;
      // A carried answer is recorded again when confirmed, so the log shows who re-checked it.
      return (
        current !== undefined && !current.carried && !command.carried && sameAnswer(current.answer, command.answer) && current.note === note
      );
    }
    case 'SetTarget':
      return state.targets.get(command.aspect) === command.level;
    case 'ClearAnswer':
      return !state.responses.get(command.question)?.has(command.respondent);
    default:
      return false;
  }
}

/** An answer the rubric allows for this question in this state: its choices, their count, n/a, and its condition. */
function checkAnswer(rubric: Rubric, question: Question, answer: AnswerValue, state: AssessmentState): void {
  if (answer === NOT_APPLICABLE) {
    if (!question.notApplicable) {
      throw new DomainError(
        'not-applicable-forbidden',
        `question "${question.id}" must be answered; the rubric does not allow "not applicable" for it`,
      );
    }
  } else {
    const valid = question.choices.map((c) => c.id);
    if (answer.length === 0) throw new DomainError('empty-answer', `no choice given for "${question.id}" (choices: ${valid.join(', ')})`);
    const unknown = answer.filter((c) => !valid.includes(c));
    if (unknown.length > 0) {
      throw new DomainError(
        'unknown-choice',
        `"${unknown.join(', ')}" is not a choice of "${question.id}"${unknown.length === 1 ? didYouMean(unknown[0] ?? '', valid) : ''} (choices: ${valid.join(', ')}${question.notApplicable ? ', n/a' : ''})`,
      );
    }
    if (question.type !== 'multi' && answer.length > 1) {
      throw new DomainError('one-choice-only', `"${question.id}" takes exactly one choice, got ${answer.length}`);
    }
    if (new Set(answer).size !== answer.length) throw new DomainError('repeated-choice', `a choice is given twice for "${question.id}"`);
    const exclusive = question.choices.find((c) => c.exclusive === true && answer.includes(c.id));
    if (exclusive !== undefined && answer.length > 1) {
      throw new DomainError(
        'exclusive-choice',
        `"${exclusive.id}" (${exclusive.label}) of "${question.id}" cannot be given together with other choices`,
      );
    }
  }
  if (!conditionMet(rubric, question, effectiveAnswers(rubric, state))) {
    const when = question.when!;
    const condition =
      'atLeast' in when
        ? `"${when.question}" is at level ${when.atLeast} or above`
        : `"${when.question}" is one of ${when.anyOf.join(', ')}`;
    throw new DomainError('condition-not-met', `"${question.id}" is only asked when ${condition}`);
  }
}

function requireQuestion(rubric: Rubric, id: string, state: AssessmentState) {
  const question = findQuestion(rubric, id);
  if (!question) {
    const ids = rubric.aspects.flatMap((a) => a.questions.map((q) => q.id));
    throw new DomainError(
      'unknown-question',
      `unknown question "${id}" in ${rubric.id} ${rubric.version}, the rubric of ${state.id}${didYouMean(id, ids)}`,
    );
  }
  return question;
}

function requireText(value: string, what: string): void {
  if (value.trim() === '') throw new DomainError(`empty-${what}`, `${what} must not be empty`);
  if (value.length > 200) throw new DomainError(`long-${what}`, `${what} is longer than 200 characters`);
  // Control characters in names would corrupt tables and reports; a name is one line of text.
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new DomainError(`control-${what}`, `${what} must be one line of text without control characters`);
}

function describe(state: AssessmentState): string {
  return `${state.org} / ${state.scope} / ${state.period}`;
}
