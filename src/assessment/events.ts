// The assessment's events: plain readonly data in a discriminated union, and the upcasters that
// turn older stored shapes into the current one. History is never rewritten; it is read forward.

import { CnassessError, ImpossibleEventError, UnreadableEventError } from '../errors.js';
import type { StoredEvent } from '../store/eventStore.js';
import { payloadProblem } from './eventSchemas.js';
import type { Rubric, RubricRef } from '../rubric/types.js';

/** A recorded answer: the chosen choice ids, or "not applicable". */
export type AnswerValue = readonly string[] | 'n/a';

/** The same answer: both not applicable, or the same choices in any order. */
export function sameAnswer(a: AnswerValue, b: AnswerValue): boolean {
  if (a === 'n/a' || b === 'n/a') return a === b;
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((c, i) => c === sorted[i]);
}

export type AssessmentEvent =
  | {
      readonly type: 'AssessmentStarted';
      readonly data: {
        readonly org: string;
        readonly scope: string;
        readonly period: string;
        readonly rubric: RubricRef;
        /** The assessment whose answers were carried over as a baseline, if any. */
        readonly carriedFrom?: string;
      };
    }
  | {
      readonly type: 'AnswerRecorded';
      readonly data: {
        readonly question: string;
        readonly answer: AnswerValue;
        readonly respondent: string;
        /** Evidence (a link, a ticket, a sentence), or the reason for "not applicable". */
        readonly note?: string;
        /** True when carried over from the previous period and not yet confirmed. */
        readonly carried?: boolean;
      };
    }
  | { readonly type: 'AnswerCleared'; readonly data: { readonly question: string; readonly respondent: string } }
  | { readonly type: 'TargetSet'; readonly data: { readonly aspect: string; readonly level: number } }
  | { readonly type: 'AssessmentCompleted'; readonly data: Record<string, never> }
  | { readonly type: 'AssessmentReopened'; readonly data: { readonly reason?: string } }
  /** Who is expected to answer: their progress is shown, and anyone else who answers is named as not invited. */
  | { readonly type: 'RespondentsInvited'; readonly data: { readonly respondents: readonly string[] } }
  /**
   * The answer respondents agreed on for a question they answered differently, with why: the question's effective
   * answer until a respondent changes their answer after it.
   */
  | {
      readonly type: 'ConsensusRecorded';
      readonly data: {
        readonly question: string;
        readonly answer: AnswerValue;
        readonly rationale: string;
        readonly facilitator: string;
        /** The answers it settled, as they stood. */
        readonly settled: readonly { readonly respondent: string; readonly answer: AnswerValue }[];
      };
    }
  /** One respondent known under two names (a typo, git's user name): views show `from`'s answers as `to`'s. */
  | { readonly type: 'RespondentRenamed'; readonly data: { readonly from: string; readonly to: string } }
  /** Where the work on a roadmap step stands: a recommendation id, its status, who owns it and by when. */
  | { readonly type: 'StepStatusSet'; readonly data: StepStatusData };

export const STEP_STATUSES = ['planned', 'in-progress', 'done', 'wont-do'] as const;
export type StepStatusValue = (typeof STEP_STATUSES)[number];

export interface StepStatusData {
  /** The recommendation's id in the rubric: stable from quarter to quarter, unlike the step's number. */
  readonly step: string;
  readonly status: StepStatusValue;
  /** Why; required for wont-do (the accepted risk). */
  readonly note?: string;
  readonly owner?: string;
  /** YYYY-MM-DD. */
  readonly due?: string;
  /** Carried over from the previous quarter by `start --from`. */
  readonly carried?: boolean;
}

/** Registers a rubric's full content in the log once, so every assessment can be scored from the log alone. */
export interface RubricRegistered {
  readonly type: 'RubricRegistered';
  readonly data: { readonly ref: RubricRef; readonly rubric: Rubric };
}

export type DomainEvent = AssessmentEvent | RubricRegistered;
export type DomainEventType = DomainEvent['type'];

/** The current shape version of each event type; written into every new record's `schema`. */
export const CURRENT_SCHEMA: Readonly<Record<DomainEventType, number>> = {
  AssessmentStarted: 1,
  AnswerRecorded: 2,
  AnswerCleared: 1,
  TargetSet: 1,
  AssessmentCompleted: 1,
  AssessmentReopened: 1,
  RespondentsInvited: 1,
  ConsensusRecorded: 1,
  RespondentRenamed: 1,
  StepStatusSet: 1,
  RubricRegistered: 1,
};

type Upcaster = (data: unknown, actor: string) => unknown;

/**
 * Upcasters keyed by `type@schema`: each turns that shape into the next version.
 * AnswerRecorded@1 (before 0.1.0) stored the answer as one string ("a,b" for several choices) and
 * took the respondent from the record's actor.
 */
const UPCASTERS: Readonly<Record<string, Upcaster>> = {
  'AnswerRecorded@1': (data, actor) => {
    const old = data as { question: string; answer: string; note?: string };
    if (typeof old.answer !== 'string') throw new TypeError('AnswerRecorded@1 holds its answer as one string');
    return {
      question: old.question,
      answer:
        old.answer === 'n/a'
          ? 'n/a'
          : old.answer
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
      respondent: actor,
      ...(old.note !== undefined && { note: old.note }),
    };
  },
};

/**
 * A stored event as the domain reads it: upcast to the current shape of its type, then checked against that shape.
 * Throws ImpossibleEventError for data no cnassess wrote, UnreadableEventError for an event from a newer cnassess.
 */
export function readEvent(record: StoredEvent): DomainEvent {
  let upcast: { type: DomainEventType; data: unknown };
  try {
    upcast = upcastData(record.type, record.schema, record.data, record.actor);
  } catch (e) {
    if (e instanceof UnreadableEventError) throw new UnreadableEventError(e.detail, record.seq);
    if (e instanceof CnassessError) throw e;
    // An upcaster met data that an old version could not have written either.
    throw new ImpossibleEventError(record.seq, `${record.type} schema ${record.schema} has data it could never have had`);
  }
  const problem = payloadProblem(upcast.type, upcast.data);
  if (problem !== undefined) throw new ImpossibleEventError(record.seq, `this ${record.type} is impossible: ${problem}`);
  // An assessment's stream begins with its start, and only there: a second start (a bad merge, a hand edit) would
  // silently wipe every answer before it from every view.
  if (record.stream.startsWith('assessment/') && (upcast.type === 'AssessmentStarted') !== (record.version === 1))
    throw new ImpossibleEventError(
      record.seq,
      upcast.type === 'AssessmentStarted'
        ? `this AssessmentStarted is event ${record.version} of ${record.stream}: the assessment was started twice`
        : `this ${record.type} is the first event of ${record.stream}, which must begin with AssessmentStarted`,
    );
  // The one place stored data becomes a typed event: just after its payload matched the schema of its type.
  return upcast as DomainEvent;
}

/** Brings a stored event's data up to the current shape of its type; the result is unchecked until validated. */
function upcastData(type: string, schema: number, data: unknown, actor: string): { type: DomainEventType; data: unknown } {
  // Own keys only: "constructor" or "__proto__" is in every object, and is no event type.
  if (!isEventType(type)) throw new UnreadableEventError(`unknown event type "${type}"`);
  const target = CURRENT_SCHEMA[type];
  if (schema > target)
    throw new UnreadableEventError(`${type} schema ${schema} is newer than this cnassess understands (${target}); upgrade cnassess`);
  let current = data;
  for (let v = schema; v < target; v++) {
    const up = UPCASTERS[`${type}@${v}`];
    if (!up) throw new UnreadableEventError(`no upcaster for ${type} schema ${v}`);
    current = up(current, actor);
  }
  return { type, data: current };
}

function isEventType(type: string): type is DomainEventType {
  return Object.hasOwn(CURRENT_SCHEMA, type);
}
