// The decider: decide(command, state, rubric) → events, or a DomainError and no event. Pure.

import { DomainError } from '../errors.js';
import { didYouMean } from '../text.js';
import type { Question, Rubric, RubricRef } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { sameAnswer, STEP_STATUSES, type AnswerValue, type AssessmentEvent, type StepStatusData } from './events.js';
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
  | { readonly type: 'RenameRespondent'; readonly from: string; readonly to: string }
  | ({ readonly type: 'SetStepStatus' } & StepStatusData);

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
  // Tracking the roadmap is not changing the answers: the work an assessment's roadmap started goes on after it is
  // completed, so a step's status can be set on a completed assessment too.
  if (command.type === 'SetStepStatus') return decideStepStatus(command, state, rubric);
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
      if (!state.responses.get(command.question)?.has(state.aliases.get(command.respondent) ?? command.respondent)) return [];
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
      return !state.responses.get(command.question)?.has(state.aliases.get(command.respondent) ?? command.respondent);
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A roadmap step's status. The step is a recommendation of the rubric (its id, which stays the same from quarter to
 * quarter). Owner and due date stay as they were unless given; a note belongs to the status it explains, so a new
 * status drops the old note. Won't do needs a note: the risk accepted.
 */
function decideStepStatus(
  command: Extract<AssessmentCommand, { type: 'SetStepStatus' }>,
  state: AssessmentState,
  rubric: Rubric,
): AssessmentEvent[] {
  const ids = rubric.aspects.flatMap((a) => a.recommendations.map((r) => r.id));
  if (!ids.includes(command.step)) {
    // Step ids are long; a word of one ("gitops") finds it when no id is near enough to be meant: the rarest word.
    const near = didYouMean(command.step, ids);
    const matches = command.step
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 3)
      .map((w) => ids.filter((id) => id.includes(w)))
      .filter((found) => found.length > 0)
      .sort((a, b) => a.length - b.length)[0];
    const hint =
      near !== '' ? near : matches ? ` (steps with that word: ${matches.slice(0, 5).join(', ')})` : ' (the report shows each step’s id)';
    throw new DomainError('unknown-step', `${rubric.id} ${rubric.version} has no step "${command.step}"${hint}`);
  }
  if (!(STEP_STATUSES as readonly string[]).includes(command.status))
    throw new DomainError(
      'unknown-status',
      `"${command.status}" is not a step status${didYouMean(command.status, STEP_STATUSES)} (statuses: ${STEP_STATUSES.join(', ')})`,
    );
  const note = command.note?.trim();
  if (note !== undefined && note.length > MAX_TEXT)
    throw new DomainError('note-too-long', `the note is ${note.length} characters; keep it under ${MAX_TEXT}`);
  if (command.owner !== undefined) requireText(command.owner, 'owner');
  if (command.due !== undefined && !isDate(command.due))
    throw new DomainError('malformed-date', `due date "${command.due}" is not a date; write it as YYYY-MM-DD, for example 2027-03-31`);
  const current = state.steps.get(command.step);
  const owner = command.owner ?? current?.owner;
  const due = command.due ?? current?.due;
  const kept = note === undefined || note === '' ? (current?.status === command.status ? current.note : undefined) : note;
  if (command.status === 'wont-do' && kept === undefined)
    throw new DomainError('needs-note', `"wont-do" needs a note: the risk accepted by not doing ${command.step}, and who accepted it`);
  const data: StepStatusData = {
    step: command.step,
    status: command.status,
    ...(kept !== undefined && { note: kept }),
    ...(owner !== undefined && { owner }),
    ...(due !== undefined && { due }),
    ...(command.carried === true && { carried: true }),
  };
  const same =
    current !== undefined &&
    current.status === data.status &&
    current.note === data.note &&
    current.owner === data.owner &&
    current.due === data.due &&
    (current.carried === true) === (data.carried === true);
  return same ? [] : [{ type: 'StepStatusSet', data }];
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
