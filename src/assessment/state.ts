// The state of one assessment, folded from its events, and how respondents' answers combine.

import { createHash } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { Rubric, RubricRef } from '../rubric/types.js';
import type { AnswerValue, AssessmentEvent } from './events.js';
import { answerLevel, findQuestion, score, type EffectiveAnswer, type Scorecard } from './scoring.js';

export interface Response {
  readonly respondent: string;
  readonly answer: AnswerValue;
  readonly note?: string;
  readonly at: string;
  readonly seq: number;
  readonly carried: boolean;
}

export interface AssessmentState {
  readonly id: string;
  readonly org: string;
  readonly scope: string;
  readonly period: string;
  readonly rubric: RubricRef;
  readonly carriedFrom?: string;
  readonly status: 'open' | 'completed';
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Seq of the last event folded in. */
  readonly lastSeq: number;
  /** Stream version of the last event folded in: what the next append expects. */
  readonly version: number;
  /** question id → respondent → that respondent's latest answer. Maps, because respondent names are untrusted keys. */
  readonly responses: ReadonlyMap<string, ReadonlyMap<string, Response>>;
  /** aspect id → target level. */
  readonly targets: ReadonlyMap<string, number>;
  /** aspect id → who set its target last (the event's actor), so `export` writes only a respondent's own targets. */
  readonly targetSetBy: ReadonlyMap<string, string>;
  /** Who changed what, in order: kept for history and diffs. */
  readonly respondents: readonly string[];
}

/** Where an event came from in the log: what evolve needs besides the event itself. */
export interface EventMeta {
  readonly stream: string;
  readonly seq: number;
  readonly version: number;
  readonly at: string;
  /** Who recorded the event; absent where events are only planned, not stored. */
  readonly actor?: string;
}

export const ASSESSMENT_STREAM_PREFIX = 'assessment/';

export function assessmentStream(id: string): string {
  return `${ASSESSMENT_STREAM_PREFIX}${id}`;
}

/** Folds one event into the state; `undefined` is the state of a stream with no events. */
export function evolve(state: AssessmentState | undefined, event: AssessmentEvent, meta: EventMeta): AssessmentState | undefined {
  if (event.type === 'AssessmentStarted') {
    const d = event.data;
    return {
      id: meta.stream.slice(ASSESSMENT_STREAM_PREFIX.length),
      org: d.org,
      scope: d.scope,
      period: d.period,
      rubric: d.rubric,
      ...(d.carriedFrom !== undefined && { carriedFrom: d.carriedFrom }),
      status: 'open',
      startedAt: meta.at,
      updatedAt: meta.at,
      lastSeq: meta.seq,
      version: meta.version,
      responses: new Map(),
      targets: new Map(),
      targetSetBy: new Map(),
      respondents: [],
    };
  }
  // Events before a start cannot be produced by decide; a hand-edited log is caught by verify, not here.
  if (!state) return state;
  const next = { ...state, updatedAt: meta.at, lastSeq: meta.seq, version: meta.version };
  switch (event.type) {
    case 'AnswerRecorded': {
      const d = event.data;
      const responses = new Map(state.responses);
      const byRespondent = new Map(responses.get(d.question));
      byRespondent.set(d.respondent, {
        respondent: d.respondent,
        answer: d.answer,
        ...(d.note !== undefined && { note: d.note }),
        at: meta.at,
        seq: meta.seq,
        carried: d.carried === true,
      });
      responses.set(d.question, byRespondent);
      const respondents = state.respondents.includes(d.respondent) ? state.respondents : [...state.respondents, d.respondent];
      return { ...next, responses, respondents };
    }
    case 'AnswerCleared': {
      const responses = new Map(state.responses);
      const byRespondent = new Map(responses.get(event.data.question));
      byRespondent.delete(event.data.respondent);
      if (byRespondent.size === 0) responses.delete(event.data.question);
      else responses.set(event.data.question, byRespondent);
      return { ...next, responses };
    }
    case 'TargetSet': {
      const targets = new Map(state.targets);
      targets.set(event.data.aspect, event.data.level);
      const targetSetBy = new Map(state.targetSetBy);
      targetSetBy.set(event.data.aspect, meta.actor ?? '');
      return { ...next, targets, targetSetBy };
    }
    case 'AssessmentCompleted':
      return { ...next, status: 'completed' };
    case 'AssessmentReopened':
      return { ...next, status: 'open' };
  }
}

export interface CombinedAnswer {
  readonly effective: EffectiveAnswer;
  /** Highest minus lowest level among respondents who chose an answer; 0 with one respondent. */
  readonly spread: number;
  readonly responses: readonly Response[];
}

/**
 * Combines respondents' answers to one question. More than half saying "not applicable" makes it
 * not applicable; otherwise the effective answer is the one at the lower median level (the latest
 * such), so one optimist cannot lift a level and one pessimist cannot sink it.
 */
export function combineResponses(rubric: Rubric, questionId: string, responses: ReadonlyMap<string, Response>): CombinedAnswer | undefined {
  const all = [...responses.values()].sort((a, b) => a.seq - b.seq);
  if (all.length === 0) return undefined;
  const question = findQuestion(rubric, questionId);
  const chosen = all
    .filter((r): r is Response & { answer: readonly string[] } => r.answer !== 'n/a')
    .map((r) => ({ r, level: question ? (answerLevel(rubric, question, r.answer) ?? 0) : 0 }));
  if (chosen.length * 2 < all.length || chosen.length === 0) {
    return { effective: { status: 'not-applicable' }, spread: 0, responses: all };
  }
  const levels = chosen.map((c) => c.level).sort((a, b) => a - b);
  const median = levels[Math.floor((levels.length - 1) / 2)]!;
  const representative = chosen.filter((c) => c.level === median).at(-1)!;
  return {
    effective: { status: 'answered', choices: representative.r.answer },
    spread: levels.at(-1)! - levels[0]!,
    responses: all,
  };
}

export function effectiveAnswers(rubric: Rubric, state: AssessmentState): Map<string, EffectiveAnswer> {
  const answers = new Map<string, EffectiveAnswer>();
  for (const [question, responses] of state.responses) {
    const combined = combineResponses(rubric, question, responses);
    if (combined) answers.set(question, combined.effective);
  }
  return answers;
}

export function scoreAssessment(rubric: Rubric, state: AssessmentState): Scorecard {
  return score(rubric, effectiveAnswers(rubric, state));
}

/**
 * An assessment's id, derived from what it assesses so that a second start of the same org, scope and period finds
 * the first: `acme/platform/2026-q4`. Case, accents and punctuation are folded, so "ACME" and "Acme." are one
 * organisation; names that lose more than that in a slug (another script, or longer than 40 characters) get a short
 * hash of their full name, so different names never share an id.
 */
export function assessmentId(org: string, scope: string, period: string): string {
  return `${slug(org)}/${slug(scope)}/${period.toLowerCase()}`;
}

/**
 * The ids an assessment of these names may have: its id, then the one cnassess before 0.2 gave it (when that differs),
 * which named every non-Latin org `x`. A lookup by name accepts the older id only when the assessment there was
 * recorded with these same names (see sameNames).
 */
export function assessmentIdCandidates(org: string, scope: string, period: string): string[] {
  const id = assessmentId(org, scope, period);
  const legacy = `${asciiSlug(org, 'x')}/${asciiSlug(scope, 'x')}/${period.toLowerCase()}`;
  return legacy === id ? [id] : [id, legacy];
}

/** Whether two names are one name as ids see it: equal once case, accents and punctuation are folded. */
export function sameName(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

/** Whether `state` is an assessment of these org and scope names. */
export function sameNames(state: Pick<AssessmentState, 'org' | 'scope'>, org: string, scope: string): boolean {
  return sameName(state.org, org) && sameName(state.scope, scope);
}

/**
 * Where an assessment of these names is, or would be: its id and, when it exists, its state. An id held by other
 * names is refused (DomainError `id-taken`), so a start or import never records into another org's assessment.
 */
export function locateAssessment(
  assessments: ReadonlyMap<string, AssessmentState>,
  org: string,
  scope: string,
  period: string,
): { id: string; existing?: AssessmentState } {
  const [id, legacy] = assessmentIdCandidates(org, scope, period) as [string, string?];
  const existing = assessments.get(id);
  if (existing !== undefined) {
    if (!sameNames(existing, org, scope)) {
      throw new DomainError(
        'id-taken',
        `the id ${id} belongs to an assessment of ${existing.org} / ${existing.scope}, not of ${org} / ${scope}; nothing was recorded`,
      );
    }
    return { id, existing };
  }
  const older = legacy === undefined ? undefined : assessments.get(legacy);
  if (legacy !== undefined && older !== undefined && sameNames(older, org, scope)) return { id: legacy, existing: older };
  return { id };
}

/** The series an assessment belongs to — one org and scope across periods — as ids name it: `acme/platform`. */
export function seriesKeyOf(org: string, scope: string): string {
  return `${slug(org)}/${slug(scope)}`;
}

/** The series of an assessment, from its names, so assessments with ids from before 0.2 join the same series. */
export function seriesOf(state: Pick<AssessmentState, 'org' | 'scope'>): string {
  return seriesKeyOf(state.org, state.scope);
}

const SLUG_LENGTH = 40;
const HASH_LENGTH = 8;

/**
 * A name as lower-case ASCII letters, digits and single hyphens, never empty: safe in ids and file names. When that
 * loses more than case, accents and punctuation, a hash of the folded full name keeps different names apart.
 */
export function slug(text: string, fallback = 'x'): string {
  const folded = fold(text);
  const ascii = asciiSlug(text, '');
  if (ascii === folded && ascii.length <= SLUG_LENGTH && ascii !== '') return ascii;
  const hash = createHash('sha256').update(folded).digest('hex').slice(0, HASH_LENGTH);
  const base = (ascii === '' ? fallback : ascii).slice(0, SLUG_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}

/** The slug of cnassess before 0.2: ASCII only, cut at 40 characters. */
function asciiSlug(text: string, fallback: string): string {
  const s = stripMarks(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_LENGTH)
    .replace(/-+$/, '');
  return s === '' ? fallback : s;
}

/** Case, accents, punctuation and signs folded; letters, digits and pictographs (emoji) of every script kept. */
function fold(text: string): string {
  return stripMarks(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{So}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function stripMarks(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC');
}
