// The state of one assessment, folded from its events, and how respondents' answers combine.

import { createHash } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { Rubric, RubricRef } from '../rubric/types.js';
import { sameAnswer, type AnswerValue, type AssessmentEvent, type StepStatusData } from './events.js';
import { answerLevel, findQuestion, score, type EffectiveAnswer, type Scorecard } from './scoring.js';

export interface Response {
  readonly respondent: string;
  readonly answer: AnswerValue;
  readonly note?: string;
  readonly at: string;
  readonly seq: number;
  readonly carried: boolean;
}

/** An agreed answer to a question respondents answered differently (see effectiveAnswer for when it counts). */
export interface Consensus {
  readonly question: string;
  readonly answer: AnswerValue;
  readonly rationale: string;
  readonly facilitator: string;
  readonly settled: readonly { readonly respondent: string; readonly answer: AnswerValue }[];
  readonly at: string;
  readonly seq: number;
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
  /** Who is expected to answer (RespondentsInvited), in the order invited. */
  readonly expected: readonly string[];
  /** question id → the consensus recorded for it last. */
  readonly consensus: ReadonlyMap<string, Consensus>;
  /** Respondent names merged into another (RespondentRenamed): from → to. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Recommendation id → where the work on that roadmap step stands (StepStatusSet, the latest). */
  readonly steps: ReadonlyMap<string, StepStatus>;
}

export interface StepStatus extends StepStatusData {
  /** Who set it (the event's actor). */
  readonly by: string;
  readonly at: string;
  readonly seq: number;
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
      expected: [],
      consensus: new Map(),
      aliases: new Map(),
      steps: new Map(),
    };
  }
  // Events before a start cannot be produced by decide; a hand-edited log is caught by verify, not here.
  if (!state) return state;
  const next = { ...state, updatedAt: meta.at, lastSeq: meta.seq, version: meta.version };
  switch (event.type) {
    case 'AnswerRecorded': {
      const d = { ...event.data, respondent: state.aliases.get(event.data.respondent) ?? event.data.respondent };
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
      byRespondent.delete(state.aliases.get(event.data.respondent) ?? event.data.respondent);
      if (byRespondent.size === 0) responses.delete(event.data.question);
      else responses.set(event.data.question, byRespondent);
      return { ...next, responses };
    }
    case 'TargetSet': {
      const targets = new Map(state.targets);
      targets.set(event.data.aspect, event.data.level);
      const targetSetBy = new Map(state.targetSetBy);
      targetSetBy.set(event.data.aspect, state.aliases.get(meta.actor ?? '') ?? meta.actor ?? '');
      return { ...next, targets, targetSetBy };
    }
    case 'AssessmentCompleted':
      return { ...next, status: 'completed' };
    case 'AssessmentReopened':
      return { ...next, status: 'open' };
    case 'RespondentsInvited': {
      const invited = event.data.respondents.map((r) => state.aliases.get(r) ?? r);
      return { ...next, expected: [...new Set([...state.expected, ...invited])] };
    }
    case 'ConsensusRecorded': {
      const as = (name: string) => state.aliases.get(name) ?? name;
      const consensus = new Map(state.consensus);
      consensus.set(event.data.question, {
        ...event.data,
        facilitator: as(event.data.facilitator),
        settled: event.data.settled.map((x) => ({ ...x, respondent: as(x.respondent) })),
        at: meta.at,
        seq: meta.seq,
      });
      return { ...next, consensus };
    }
    case 'RespondentRenamed':
      return { ...next, ...renamed(state, event.data.from, event.data.to) };
    case 'StepStatusSet': {
      const steps = new Map(state.steps);
      steps.set(event.data.step, { ...event.data, by: meta.actor ?? '', at: meta.at, seq: meta.seq });
      return { ...next, steps };
    }
  }
}

/**
 * `from` becomes `to` in every view: their answers (the later one where both answered a question), the invited and
 * the respondents lists, targets; and `from` in later events too. Names already merged into `from` follow it.
 */
function renamed(state: AssessmentState, from: string, to: string): Partial<AssessmentState> {
  const as = (name: string) => (name === from ? to : name);
  const aliases = new Map([...state.aliases].map(([a, b]) => [a, as(b)] as const));
  aliases.set(from, to);
  const responses = new Map(
    [...state.responses].map(([question, byRespondent]) => {
      const moved = new Map<string, Response>();
      for (const r of [...byRespondent.values()].sort((a, b) => a.seq - b.seq))
        moved.set(as(r.respondent), { ...r, respondent: as(r.respondent) });
      return [question, moved] as const;
    }),
  );
  return {
    aliases,
    responses,
    respondents: [...new Set(state.respondents.map(as))],
    expected: [...new Set(state.expected.map(as))],
    targetSetBy: new Map([...state.targetSetBy].map(([aspect, who]) => [aspect, as(who)] as const)),
    consensus: new Map(
      [...state.consensus].map(([question, c]) => [
        question,
        { ...c, facilitator: as(c.facilitator), settled: c.settled.map((x) => ({ ...x, respondent: as(x.respondent) })) },
      ]),
    ),
  };
}

export interface CombinedAnswer {
  readonly effective: EffectiveAnswer;
  /** Highest minus lowest level among respondents who chose an answer; 0 with one respondent. */
  readonly spread: number;
  readonly responses: readonly Response[];
  /** Respondents disagree: their answers are a level or more apart, or some say "not applicable" and some do not. */
  readonly disputed: boolean;
  /** The consensus that decides the effective answer, when one is in force. */
  readonly consensus: Consensus | undefined;
  /** A consensus that no longer decides: a respondent changed their answer after it. */
  readonly lapsed: Consensus | undefined;
}

/**
 * Combines respondents' answers to one question.
 *
 * A consensus (ConsensusRecorded) is the effective answer while no respondent has changed their answer since it was
 * recorded — confirming an answer, adding a note to it, or answering the agreed answer is no change — and while
 * someone's answer stands behind it; after a change the question is unsettled again and the rule below applies.
 *
 * Without one, more than half saying "not applicable" makes it not applicable; otherwise the effective answer is the
 * one at the lower median level (the latest such), so one optimist cannot lift a level and one pessimist cannot sink
 * it. With two respondents that is the lower answer: the report marks the level as resting on an unsettled
 * disagreement ("provisional") wherever settling it could change the level.
 */
export function combineResponses(
  rubric: Rubric,
  questionId: string,
  responses: ReadonlyMap<string, Response>,
  consensus?: Consensus,
): CombinedAnswer | undefined {
  const all = [...responses.values()].sort((a, b) => a.seq - b.seq);
  const inForce = consensus !== undefined && all.length > 0 && all.every((r) => stillAgreed(r, consensus)) ? consensus : undefined;
  const lapsed = consensus !== undefined && inForce === undefined ? consensus : undefined;
  const agreed = (): EffectiveAnswer | undefined =>
    inForce === undefined
      ? undefined
      : inForce.answer === 'n/a'
        ? { status: 'not-applicable' }
        : { status: 'answered', choices: inForce.answer };
  if (all.length === 0) {
    const effective = agreed();
    return effective === undefined ? undefined : { effective, spread: 0, responses: [], disputed: false, consensus: inForce, lapsed };
  }
  const question = findQuestion(rubric, questionId);
  const chosen = all
    .filter((r): r is Response & { answer: readonly string[] } => r.answer !== 'n/a')
    .map((r) => ({ r, level: question ? (answerLevel(rubric, question, r.answer) ?? 0) : 0 }));
  const levels = chosen.map((c) => c.level).sort((a, b) => a - b);
  const spread = (levels.at(-1) ?? 0) - (levels[0] ?? 0);
  const disputed = spread >= 1 || (chosen.length > 0 && chosen.length < all.length);
  const common = { spread, responses: all, disputed, consensus: inForce, lapsed };
  const effective = agreed();
  if (effective !== undefined) return { effective, ...common };
  if (chosen.length * 2 < all.length || chosen.length === 0) return { effective: { status: 'not-applicable' }, ...common };
  const median = levels[Math.floor((levels.length - 1) / 2)];
  const representative = chosen.filter((c) => c.level === median).at(-1) ?? chosen[0];
  return { effective: representative ? { status: 'answered', choices: representative.r.answer } : { status: 'not-applicable' }, ...common };
}

/** Every question's combined answer: respondents' answers and the consensus recorded for it. */
export function combinedAnswers(rubric: Rubric, state: AssessmentState): Map<string, CombinedAnswer> {
  const result = new Map<string, CombinedAnswer>();
  const questions = new Set([...state.responses.keys(), ...state.consensus.keys()]);
  for (const question of questions) {
    const c = combineResponses(rubric, question, state.responses.get(question) ?? new Map(), state.consensus.get(question));
    if (c) result.set(question, c);
  }
  return result;
}

export function effectiveAnswers(rubric: Rubric, state: AssessmentState): Map<string, EffectiveAnswer> {
  return effectiveOf(combinedAnswers(rubric, state));
}

/** The effective answers of combined ones, for a caller that has them already. */
export function effectiveOf(combined: ReadonlyMap<string, CombinedAnswer>): Map<string, EffectiveAnswer> {
  return new Map([...combined].map(([question, c]) => [question, c.effective] as const));
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

/** A response leaves a consensus standing unless it came after it with an answer other than the settled or agreed one. */
function stillAgreed(r: Response, consensus: Consensus): boolean {
  if (r.seq < consensus.seq) return true;
  if (sameAnswer(r.answer, consensus.answer)) return true;
  const settled = consensus.settled.find((s) => s.respondent === r.respondent);
  return settled !== undefined && sameAnswer(r.answer, settled.answer);
}
