// Quarter over quarter: compares two assessments of one org and scope, each scored with the rubric
// it was answered against. Pure: two (state, rubric) pairs in, a plain JSON progress model out.
//
// How levels are compared when the rubric changed between the quarters:
// - Questions are paired by id, or through `replaces` (questionMatch.ts). Added and removed
//   questions are listed, and left out of the like-for-like comparison.
// - Like for like: both quarters' answers to the questions the two versions share are scored with
//   the newer (TO) rubric's definition of those questions — its weights, gates, conditions and
//   choice levels — so the two numbers differ only because answers differ.
// - Where that like-for-like value equals what each quarter reported, the reported values are
//   compared (basis "reported"); otherwise the like-for-like values are (basis "common-questions"),
//   and the reported values stay in the model so a reader can see both.
// - A shared question whose earlier answer names a choice the newer version no longer has cannot be
//   scored under the newer rubric; it is left out of the like-for-like comparison, with the reason.

import { sameAnswer, type AnswerValue } from '../assessment/events.js';
import { answerLevel, findQuestion, score, type AspectScore, type EffectiveAnswer, type Scorecard } from '../assessment/scoring.js';
import { openDisagreements } from '../assessment/respondents.js';
import { plan } from '../assessment/roadmap.js';
import type { StepStatusValue } from '../assessment/events.js';
import {
  combinedAnswers,
  combineResponses,
  effectiveAnswers,
  scoreAssessment,
  type AssessmentState,
  type Response,
} from '../assessment/state.js';
import type { Level, Rubric, RubricRef, Nouns } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { levelName, nounsOf } from '../rubric/levels.js';
import { plural } from '../text.js';
import { questionsOf, type QuestionMatch } from './questionMatch.js';
import { diffRubrics, type RubricChange } from './rubricDiff.js';

/** One quarter, as the comparison needs it. */
export interface Quarter {
  readonly state: AssessmentState;
  readonly rubric: Rubric;
}

export interface LevelValue {
  readonly level: number | null;
  readonly levelName: string | null;
  readonly score: number | null;
  readonly answered: number;
  readonly applicable: number;
  readonly coverage: number;
}

export type AspectChange = 'up' | 'down' | 'same' | 'added' | 'removed' | 'unscored';
export type Basis = 'reported' | 'common-questions' | 'none';
export type TargetStatus = 'kept' | 'reached' | 'missed' | 'lost';

export interface AspectProgress {
  readonly aspect: string;
  readonly title: string;
  /** As the FROM quarter reported it, with its own rubric; null when the aspect is new. */
  readonly before: LevelValue | null;
  /** As the TO quarter reports it; null when the aspect was removed. */
  readonly after: LevelValue | null;
  /** Which values the change is measured on (see the comment at the top of this file). */
  readonly basis: Basis;
  /** The values `change` and the deltas come from: the reported ones, or the like-for-like ones. */
  readonly compared: { readonly before: LevelValue; readonly after: LevelValue } | null;
  readonly change: AspectChange;
  readonly levelDelta: number | null;
  readonly scoreDelta: number | null;
  readonly target: {
    readonly before: number | null;
    readonly after: number | null;
    readonly level: number;
    readonly status: TargetStatus;
  } | null;
}

export interface AnswerSnapshot {
  readonly answer: AnswerValue;
  /** The answer's level under the rubric it was given against; null for n/a. */
  readonly level: number | null;
  readonly note: string | null;
  readonly at: string;
  readonly carried: boolean;
}

export interface AnswerChange {
  /** The question's id in the TO rubric. */
  readonly question: string;
  /** Its id in the FROM rubric, when renamed. */
  readonly previousId: string;
  readonly aspect: string;
  readonly respondent: string;
  /** changed: a different answer; new: first answer from this respondent; withdrawn: their answer is gone. */
  readonly kind: 'changed' | 'new' | 'withdrawn';
  readonly before: AnswerSnapshot | null;
  readonly after: AnswerSnapshot | null;
}

export interface EffectiveSnapshot {
  readonly answer: AnswerValue;
  readonly level: number | null;
}

export interface QuestionChange {
  readonly question: string;
  readonly previousId: string;
  readonly aspect: string;
  readonly kind: 'newly-answered' | 'cleared' | 'changed';
  readonly before: EffectiveSnapshot | null;
  readonly after: EffectiveSnapshot | null;
}

export interface QuarterRef {
  readonly id: string;
  readonly period: string;
  readonly status: 'open' | 'completed';
  readonly updatedAt: string;
  readonly rubric: RubricRef;
}

export type Comparability = 'same-rubric' | 'compatible' | 'like-for-like';

export interface Progress {
  readonly org: string;
  readonly scope: string;
  readonly from: QuarterRef;
  readonly to: QuarterRef;
  readonly rubric: {
    /** same-rubric: one rubric; compatible: versions differ but no aspect's level moved because of it; like-for-like: some did, see basis. */
    readonly comparability: Comparability;
    readonly summary: string;
    readonly renamed: readonly { readonly from: string; readonly to: string; readonly aspect: string }[];
    readonly added: readonly { readonly question: string; readonly aspect: string; readonly after: EffectiveSnapshot | null }[];
    readonly removed: readonly { readonly question: string; readonly aspect: string; readonly before: EffectiveSnapshot | null }[];
    /** Shared questions left out of the like-for-like comparison, and why. */
    readonly leftOut: readonly { readonly question: string; readonly reason: string }[];
    /** Every difference between the two rubric versions (empty when they are the same). */
    readonly changes: readonly RubricChange[];
  };
  /** The TO rubric's levels, so a reader of the JSON can name every level in it. */
  readonly levels: readonly Level[];
  /** What the TO rubric calls an aspect (a pillar, a category…). */
  readonly nouns: Nouns;
  readonly overall: Omit<AspectProgress, 'aspect' | 'title' | 'target'>;
  readonly aspects: readonly AspectProgress[];
  readonly regressions: readonly string[];
  readonly answerChanges: readonly AnswerChange[];
  readonly questionChanges: readonly QuestionChange[];
  /** Answers in TO still carried over from an earlier quarter and not yet confirmed. */
  readonly carried: readonly { readonly question: string; readonly respondent: string }[];
  /** The answers respondents agreed on in TO; `holds` is false once a respondent answered after the decision. */
  readonly consensus: readonly ConsensusDecision[];
  /** Questions of TO where respondents still disagree and settling could move the aspect's level. */
  readonly provisional: readonly { readonly question: string; readonly aspect: string }[];
  /** Roadmap steps whose status changed from FROM to TO (a status carried unchanged is no change). */
  readonly steps: readonly StepChange[];
  /** Steps marked done in TO whose answers in TO still call for them, changed or not. */
  readonly doneButOpen: readonly { readonly step: string; readonly title: string; readonly stillOpen: readonly string[] }[];
}

export interface StepChange {
  readonly step: string;
  readonly title: string;
  readonly before: StepStatusValue | null;
  readonly after: StepStatusValue | null;
  /** Who set the TO status, and when; null when TO has none. */
  readonly by: string | null;
  readonly at: string | null;
  readonly note: string | null;
  /** The later quarter's rubric has no such step, so its status was not carried. */
  readonly notInRubric: boolean;
}

export interface ConsensusDecision {
  readonly question: string;
  readonly answer: AnswerValue;
  readonly level: number | null;
  readonly rationale: string;
  readonly facilitator: string;
  readonly at: string;
  readonly holds: boolean;
}

export interface CompareOptions {
  /** Other versions of the rubric (from the log), to follow renames made between FROM and TO. */
  readonly history?: readonly Rubric[];
}

export function compareAssessments(from: Quarter, to: Quarter, options: CompareOptions = {}): Progress {
  const sameRubric = from.state.rubric.digest === to.state.rubric.digest;
  const rubricDiff = diffRubrics(from.rubric, to.rubric, options.history);
  const match = rubricDiff.match;
  const reportedBefore = scoreAssessment(from.rubric, from.state);
  const reportedAfter = scoreAssessment(to.rubric, to.state);
  const like = likeForLike(from, to, match);

  const fromAspects = new Map(from.rubric.aspects.map((a) => [a.id, a]));
  const toAspects = new Map(to.rubric.aspects.map((a) => [a.id, a]));
  const aspectIds = [...to.rubric.aspects.map((a) => a.id), ...from.rubric.aspects.map((a) => a.id).filter((id) => !toAspects.has(id))];

  const aspects = aspectIds.map((id): AspectProgress => {
    const title = toAspects.get(id)?.title ?? fromAspects.get(id)!.title;
    const before = fromAspects.has(id) ? levelValue(from.rubric, aspectOf(reportedBefore, id)) : null;
    const after = toAspects.has(id) ? levelValue(to.rubric, aspectOf(reportedAfter, id)) : null;
    const likeBefore = before && after ? levelValue(to.rubric, aspectOf(like.before, id)) : null;
    const likeAfter = before && after ? levelValue(to.rubric, aspectOf(like.after, id)) : null;
    const measured = measure(before, after, likeBefore, likeAfter);
    const targetBefore = from.state.targets.get(id) ?? null;
    const targetAfter = to.state.targets.get(id) ?? null;
    const goal = targetAfter ?? targetBefore;
    return {
      aspect: id,
      title,
      before,
      after,
      ...measured,
      target:
        goal === null
          ? null
          : {
              before: targetBefore,
              after: targetAfter,
              level: goal,
              status: targetStatus(goal, before?.level ?? null, after?.level ?? null),
            },
    };
  });

  const overallBefore = levelValue(from.rubric, reportedBefore.overall);
  const overallAfter = levelValue(to.rubric, reportedAfter.overall);
  const overall = {
    before: overallBefore,
    after: overallAfter,
    ...measure(overallBefore, overallAfter, levelValue(to.rubric, like.before.overall), levelValue(to.rubric, like.after.overall)),
  };

  const rescored = aspects.some((a) => a.basis === 'common-questions') || overall.basis === 'common-questions';
  const comparability: Comparability = sameRubric ? 'same-rubric' : rescored ? 'like-for-like' : 'compatible';
  const answers = answerChanges(from, to, match);
  const fromEffective = effectiveAnswers(from.rubric, from.state);
  const toEffective = effectiveAnswers(to.rubric, to.state);

  return {
    org: to.state.org,
    scope: to.state.scope,
    from: quarterRef(from.state),
    to: quarterRef(to.state),
    rubric: {
      comparability,
      summary: rubricSummary(from.state.rubric, to.state.rubric, comparability, rubricDiff.counts, [
        ...aspects,
        { aspect: 'overall', basis: overall.basis },
      ]),
      renamed: match.pairs.filter((p) => p.renamed).map((p) => ({ from: p.from, to: p.to, aspect: p.toAspect })),
      added: match.added.map((q) => ({
        question: q.id,
        aspect: q.aspect,
        after: effectiveSnapshot(to.rubric, q.id, toEffective.get(q.id)),
      })),
      removed: match.removed.map((q) => ({
        question: q.id,
        aspect: q.aspect,
        before: effectiveSnapshot(from.rubric, q.id, fromEffective.get(q.id)),
      })),
      leftOut: like.leftOut,
      changes: sameRubric ? [] : rubricDiff.changes,
    },
    levels: to.rubric.levels,
    nouns: nounsOf(to.rubric),
    overall,
    aspects,
    regressions: aspects.filter((a) => a.change === 'down').map((a) => a.aspect),
    answerChanges: answers.answerChanges,
    questionChanges: answers.questionChanges,
    carried: [...to.state.responses].flatMap(([question, byRespondent]) =>
      [...byRespondent.values()].filter((r) => r.carried).map((r) => ({ question, respondent: r.respondent })),
    ),
    consensus: consensusDecisions(to),
    ...stepChanges(from, to, reportedAfter, toEffective),
    provisional: openDisagreements(to.rubric, to.state)
      .filter((d) => d.consequential)
      .map((d) => ({ question: d.question.id, aspect: d.aspect })),
  };
}

function consensusDecisions(to: Quarter): ConsensusDecision[] {
  return [...combinedAnswers(to.rubric, to.state).values()].flatMap((c) => {
    const decision = c.consensus ?? c.lapsed;
    if (decision === undefined) return [];
    const question = findQuestion(to.rubric, decision.question);
    return [
      {
        question: decision.question,
        answer: decision.answer,
        level:
          question === undefined || decision.answer === NOT_APPLICABLE ? null : (answerLevel(to.rubric, question, decision.answer) ?? null),
        rationale: decision.rationale,
        facilitator: decision.facilitator,
        at: decision.at,
        holds: c.consensus !== undefined,
      },
    ];
  });
}

/** Both quarters' answers to the shared questions, scored with the TO rubric's definition of them. */
export function likeForLike(
  from: Quarter,
  to: Quarter,
  match: QuestionMatch,
): { before: Scorecard; after: Scorecard; leftOut: { question: string; reason: string }[] } {
  const leftOut: { question: string; reason: string }[] = [];
  const mappedBefore = new Map<string, EffectiveAnswer>();
  const common = new Set<string>();
  const pairsByTo = new Map(match.pairs.map((p) => [p.to, p]));

  for (const { question } of questionsOf(to.rubric)) {
    const pair = pairsByTo.get(question.id);
    if (!pair) continue;
    if (question.when && !common.has(question.when.question)) {
      leftOut.push({
        question: question.id,
        reason: `asked only depending on ${question.when.question}, which the earlier rubric did not have`,
      });
      continue;
    }
    const responses = from.state.responses.get(pair.from);
    const valid = new Set(question.choices.map((c) => c.id));
    const unknown = [...(responses?.values() ?? [])].flatMap((r) =>
      r.answer === NOT_APPLICABLE ? [] : r.answer.filter((c) => !valid.has(c)),
    );
    if (unknown.length > 0) {
      leftOut.push({
        question: question.id,
        reason: `the earlier answer ${[...new Set(unknown)].join(', ')} is not a choice of the newer version`,
      });
      continue;
    }
    common.add(question.id);
    const combined = responses && combineResponses(to.rubric, question.id, responses);
    if (combined) mappedBefore.set(question.id, combined.effective);
  }

  const restricted: Rubric = {
    ...to.rubric,
    aspects: to.rubric.aspects.map((a) => ({ ...a, questions: a.questions.filter((q) => common.has(q.id)) })),
  };
  const afterAnswers = new Map([...effectiveAnswers(to.rubric, to.state)].filter(([id]) => common.has(id)));
  return { before: score(restricted, mappedBefore), after: score(restricted, afterAnswers), leftOut };
}

function measure(
  before: LevelValue | null,
  after: LevelValue | null,
  likeBefore: LevelValue | null,
  likeAfter: LevelValue | null,
): Pick<AspectProgress, 'basis' | 'compared' | 'change' | 'levelDelta' | 'scoreDelta'> {
  if (!before || !after || !likeBefore || !likeAfter) {
    return { basis: 'none', compared: null, change: before ? 'removed' : 'added', levelDelta: null, scoreDelta: null };
  }
  const reported = sameValue(before, likeBefore) && sameValue(after, likeAfter);
  const compared = reported ? { before, after } : { before: likeBefore, after: likeAfter };
  const basis: Basis = reported ? 'reported' : 'common-questions';
  const b = compared.before;
  const a = compared.after;
  if (b.level === null || a.level === null) return { basis, compared, change: 'unscored', levelDelta: null, scoreDelta: null };
  const levelDelta = a.level - b.level;
  return {
    basis,
    compared,
    change: levelDelta > 0 ? 'up' : levelDelta < 0 ? 'down' : 'same',
    levelDelta,
    scoreDelta: Math.round(((a.score ?? 0) - (b.score ?? 0)) * 10) / 10,
  };
}

function sameValue(a: LevelValue, b: LevelValue): boolean {
  return a.level === b.level && a.score === b.score && a.answered === b.answered && a.applicable === b.applicable;
}

function targetStatus(goal: number, before: number | null, after: number | null): TargetStatus {
  const wasMet = before !== null && before >= goal;
  const isMet = after !== null && after >= goal;
  return isMet ? (wasMet ? 'kept' : 'reached') : wasMet ? 'lost' : 'missed';
}

function aspectOf(card: Scorecard, id: string): AspectScore | undefined {
  return card.aspects.find((a) => a.aspect === id);
}

function nameOf(rubric: Rubric, level: number | undefined): string | null {
  return level === undefined ? null : levelName(rubric, level);
}

function levelValue(
  rubric: Rubric,
  a: Pick<AspectScore, 'level' | 'score' | 'answered' | 'applicable' | 'coverage'> | undefined,
): LevelValue {
  if (!a) return { level: null, levelName: null, score: null, answered: 0, applicable: 0, coverage: 0 };
  return {
    level: a.level ?? null,
    levelName: nameOf(rubric, a.level),
    score: a.score ?? null,
    answered: a.answered,
    applicable: a.applicable,
    coverage: a.coverage,
  };
}

function quarterRef(state: AssessmentState): QuarterRef {
  return { id: state.id, period: state.period, status: state.status, updatedAt: state.updatedAt, rubric: state.rubric };
}

function snapshot(rubric: Rubric, questionId: string, r: Response): AnswerSnapshot {
  const question = findQuestion(rubric, questionId);
  const level = r.answer === NOT_APPLICABLE || !question ? undefined : answerLevel(rubric, question, r.answer);
  return { answer: r.answer, level: level ?? null, note: r.note ?? null, at: r.at, carried: r.carried };
}

function effectiveSnapshot(rubric: Rubric, questionId: string, e: EffectiveAnswer | undefined): EffectiveSnapshot | null {
  if (!e) return null;
  if (e.status === 'not-applicable') return { answer: NOT_APPLICABLE, level: null };
  const question = findQuestion(rubric, questionId);
  return { answer: e.choices, level: (question && answerLevel(rubric, question, e.choices)) ?? null };
}

function answerChanges(
  from: Quarter,
  to: Quarter,
  match: QuestionMatch,
): { answerChanges: AnswerChange[]; questionChanges: QuestionChange[] } {
  const fromEffective = effectiveAnswers(from.rubric, from.state);
  const toEffective = effectiveAnswers(to.rubric, to.state);
  const answerChanges: AnswerChange[] = [];
  const questionChanges: QuestionChange[] = [];
  for (const pair of match.pairs) {
    const base = { question: pair.to, previousId: pair.from, aspect: pair.toAspect };
    const before = from.state.responses.get(pair.from) ?? new Map<string, Response>();
    const after = to.state.responses.get(pair.to) ?? new Map<string, Response>();
    const respondents = [...new Set([...before.keys(), ...after.keys()])];
    const changes: AnswerChange[] = [];
    for (const respondent of respondents) {
      const b = before.get(respondent);
      const a = after.get(respondent);
      if (b && a && sameAnswer(b.answer, a.answer)) continue;
      changes.push({
        ...base,
        respondent,
        kind: b && a ? 'changed' : a ? 'new' : 'withdrawn',
        before: b ? snapshot(from.rubric, pair.from, b) : null,
        after: a ? snapshot(to.rubric, pair.to, a) : null,
      });
    }
    // Within a question, in the order they happened.
    answerChanges.push(
      ...changes.sort((x, y) => (x.after?.at ?? '').localeCompare(y.after?.at ?? '') || x.respondent.localeCompare(y.respondent)),
    );

    const eb = effectiveSnapshot(from.rubric, pair.from, fromEffective.get(pair.from));
    const ea = effectiveSnapshot(to.rubric, pair.to, toEffective.get(pair.to));
    if (!eb && ea) questionChanges.push({ ...base, kind: 'newly-answered', before: null, after: ea });
    else if (eb && !ea) questionChanges.push({ ...base, kind: 'cleared', before: eb, after: null });
    else if (eb && ea && !sameAnswer(eb.answer, ea.answer)) questionChanges.push({ ...base, kind: 'changed', before: eb, after: ea });
  }
  return { answerChanges, questionChanges };
}

function rubricSummary(
  from: RubricRef,
  to: RubricRef,
  comparability: Comparability,
  counts: { renamed: number; added: number; removed: number; affectsScoring: number },
  rows: readonly Pick<AspectProgress, 'aspect' | 'basis'>[],
): string {
  const name = (r: RubricRef) => `${r.id} ${r.version}`;
  if (comparability === 'same-rubric') return `both quarters used ${name(to)}; levels are directly comparable`;
  const versions = name(from) === name(to) ? `${name(from)} (edited without a version bump)` : `${name(from)} → ${name(to)}`;
  const parts = [
    counts.renamed > 0 && plural(counts.renamed, 'question') + ' renamed',
    counts.added > 0 && plural(counts.added, 'question') + ' added',
    counts.removed > 0 && plural(counts.removed, 'question') + ' removed',
  ].filter(Boolean);
  const what = parts.length > 0 ? parts.join(', ') : `${plural(counts.affectsScoring, 'change')} that can move scores`;
  if (comparability === 'compatible')
    return `${versions}: ${what}; no aspect's level or score moved because of it, so levels are directly comparable`;
  // The overall row follows its aspects; it is named only when no aspect is (a change of aspect weights).
  const named = rows.filter((a) => a.basis === 'common-questions').map((a) => a.aspect);
  const rescored = named.length > 1 ? named.filter((a) => a !== 'overall') : named;
  return `${versions}: ${what}; ${rescored.join(', ')} compared like for like, over the questions both versions share, scored with ${name(to)}`;
}

function stepChanges(
  from: Quarter,
  to: Quarter,
  card: Scorecard,
  effective: ReadonlyMap<string, EffectiveAnswer>,
): Pick<Progress, 'steps' | 'doneButOpen'> {
  const roadmap = plan(to.rubric, card, effective, to.state.targets);
  const open = new Map([...roadmap.open].map(([id, addressed]) => [id, [...new Set(addressed.map((a) => a.question))]] as const));
  const titles = new Map(
    [...from.rubric.aspects, ...to.rubric.aspects].flatMap((a) => a.recommendations.map((r) => [r.id, r.title] as const)),
  );
  const ids = [...new Set([...from.state.steps.keys(), ...to.state.steps.keys()])];
  const toSteps = new Set(to.rubric.aspects.flatMap((a) => a.recommendations.map((r) => r.id)));
  const steps = ids.flatMap((step): StepChange[] => {
    const before = from.state.steps.get(step);
    const after = to.state.steps.get(step);
    if (before?.status === after?.status) return [];
    return [
      {
        step,
        title: titles.get(step) ?? step,
        before: before?.status ?? null,
        after: after?.status ?? null,
        by: after?.by ?? null,
        at: after?.at ?? null,
        note: after?.note ?? null,
        notInRubric: !toSteps.has(step),
      },
    ];
  });
  const doneButOpen = [...to.state.steps.values()].flatMap((s) => {
    const stillOpen = s.status === 'done' ? open.get(s.step) : undefined;
    return stillOpen === undefined ? [] : [{ step: s.step, title: titles.get(s.step) ?? s.step, stillOpen }];
  });
  return { steps, doneButOpen };
}
