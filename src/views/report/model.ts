// The report's view model: plain JSON built by pure code from an assessment, its rubric, the
// previous assessment of the same org and scope, and the history of that org and scope. Every
// sentence a leader reads is written here, so templates hold nothing but loops and conditionals.
// `--format json` prints this object; `schemaVersion` changes only when a field is removed or changes meaning.

import { PHASES, plan, type Addressed, type PhaseId, type Plan, type PlannedStep } from '../../assessment/roadmap.js';
import { answerLevel, type AspectScore, type Scorecard } from '../../assessment/scoring.js';
import {
  combineResponses,
  effectiveAnswers,
  scoreAssessment,
  seriesOf,
  type AssessmentState,
  type CombinedAnswer,
  type Response,
} from '../../assessment/state.js';
import { answerTerms, howToAnswerSections } from '../../rubric/howToAnswer.js';
import { levelName } from '../../rubric/levels.js';
import type { Aspect, Effort, Impact, Question, Rubric } from '../../rubric/types.js';
import { NOT_APPLICABLE } from '../../rubric/types.js';
import { linkify, safeHref, type TextSegment } from '../escape.js';
import { radarSvg, trendSvg } from '../svg.js';

export const SCHEMA_VERSION = 1;

/** One assessment with the rubric it was answered against. */
export interface Assessed {
  readonly state: AssessmentState;
  readonly rubric: Rubric;
}

export interface ReportInput extends Assessed {
  /** The latest assessment of the same org and scope in an earlier period, if any. */
  readonly previous?: Assessed;
  /** Every assessment of the same org and scope up to and including this one, in any order. */
  readonly history: readonly Assessed[];
  /** ISO timestamp, from the injected clock. */
  readonly generatedAt: string;
  /** The `--as-of` bound the log was read with, as the user wrote it. */
  readonly asOf?: string;
}

// ---------------------------------------------------------------------------------------------
// The shape (documented in the README under "The report")

export interface ReportModel {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly generatedOn: string;
  readonly title: string;
  readonly subtitle: string;
  readonly assessment: {
    readonly id: string;
    readonly org: string;
    readonly scope: string;
    readonly period: string;
    readonly status: 'open' | 'completed';
    readonly statusText: string;
    readonly startedOn: string;
    readonly updatedOn: string;
    readonly asOf: string | null;
    readonly lastSeq: number;
    readonly respondents: readonly string[];
  };
  readonly rubric: {
    readonly id: string;
    readonly version: string;
    readonly digest: string;
    readonly title: string;
    readonly levels: readonly { readonly level: number; readonly name: string; readonly summary: string }[];
  };
  readonly progress: {
    readonly answered: number;
    readonly applicable: number;
    readonly percent: number;
    readonly complete: boolean;
    readonly carried: number;
    readonly text: string;
  };
  readonly overall: LevelFields & { readonly score: number | null; readonly scoreText: string };
  readonly summary: {
    readonly headline: string;
    readonly paragraphs: readonly string[];
    readonly nextStepsIntro: string;
    readonly nextSteps: readonly StepRef[];
  };
  readonly radar: {
    readonly svg: string;
    readonly title: string;
    readonly description: string;
    readonly hasPrevious: boolean;
    readonly previousPeriod: string | null;
    readonly rows: readonly RadarRow[];
  };
  readonly aspects: readonly AspectSection[];
  readonly roadmap: {
    readonly stepCount: number;
    readonly empty: boolean;
    readonly emptyText: string;
    readonly phases: readonly RoadmapPhase[];
    readonly notPlanned: string | null;
    /** Questions to answer before the roadmap can say whether some steps are needed. */
    readonly findOut: readonly {
      readonly questionId: string;
      readonly question: string;
      readonly aspectTitle: string;
      readonly stepsText: string;
    }[];
    readonly findOutText: string | null;
    /** Answers below their aspect's target that no recommendation of the rubric raises up to it. */
    readonly uncovered: readonly {
      readonly questionId: string;
      readonly question: string;
      readonly aspectTitle: string;
      readonly levelText: string;
    }[];
    readonly uncoveredText: string | null;
    readonly rule: readonly string[];
  };
  readonly trend: {
    readonly show: boolean;
    readonly svg: string | null;
    readonly title: string;
    readonly description: string;
    readonly columns: readonly string[];
    readonly rows: readonly TrendRow[];
  };
  readonly appendix: {
    readonly answerCount: number;
    /** Every response, grouped by aspect in rubric order; aspects without answers are left out. */
    readonly aspects: readonly { readonly title: string; readonly answers: readonly AppendixAnswer[] }[];
    readonly method: readonly string[];
    /** How the rubric says to answer (scope, between two choices, unknown and n/a, evidence); empty if it says not. */
    readonly howToAnswer: readonly { readonly title: string; readonly text: string }[];
    /** Words with one meaning in every question (the coverage words). */
    readonly terms: readonly { readonly term: string; readonly meaning: string }[];
  };
}

export interface LevelFields {
  readonly level: number | null;
  readonly levelName: string | null;
  readonly levelSummary: string | null;
  /** "3 · Scale", or a phrase when there is no level. */
  readonly levelText: string;
}

export interface StepRef {
  readonly number: number;
  readonly anchor: string;
  readonly title: string;
  readonly aspectTitle: string;
  readonly effortText: string;
  readonly impactText: string;
  readonly why: string;
}

export interface RadarRow {
  readonly anchor: string;
  readonly title: string;
  readonly currentText: string;
  readonly targetText: string;
  readonly previousText: string;
  readonly changeText: string;
  readonly scoreText: string;
}

export interface AnswerRef {
  readonly questionId: string;
  readonly question: string;
  readonly answer: string;
  readonly levelText: string;
  readonly gate: boolean;
  /** For a multi question scored as a ladder: the practices whose absence caps the answer, in words. */
  readonly missingText: string | null;
  /** The roadmap steps that raise this answer. */
  readonly steps: readonly { readonly number: number; readonly anchor: string }[];
  /** Why no step raises it, when none does. */
  readonly noStepText: string | null;
}

export interface AspectSection extends LevelFields {
  readonly id: string;
  readonly anchor: string;
  readonly number: number;
  readonly title: string;
  readonly summary: string;
  readonly score: number | null;
  readonly scoreText: string;
  readonly answered: number;
  readonly applicable: number;
  readonly notApplicable: number;
  readonly coveragePercent: number;
  readonly coverageText: string;
  readonly targetText: string;
  readonly changeText: string | null;
  readonly cappedByText: string | null;
  readonly nextLevelText: string | null;
  readonly holdingBack: readonly AnswerRef[];
  readonly evidence: readonly {
    readonly questionId: string;
    readonly question: string;
    readonly respondent: string;
    readonly on: string;
    readonly segments: readonly TextSegment[];
  }[];
  readonly disagreements: readonly {
    readonly questionId: string;
    readonly question: string;
    readonly spread: number;
    readonly answers: readonly { readonly respondent: string; readonly answer: string; readonly levelText: string }[];
  }[];
  readonly unanswered: readonly { readonly questionId: string; readonly question: string }[];
  readonly steps: readonly { readonly number: number; readonly anchor: string; readonly title: string; readonly phaseName: string }[];
}

export interface RoadmapStep extends StepRef {
  readonly id: string;
  readonly aspectId: string;
  readonly level: number;
  readonly levelText: string;
  readonly effort: Effort;
  readonly impact: Impact;
  readonly reason: string;
  /** The answers that make this step needed, in words ("app-deploy is “pipeline”, level 3"). */
  readonly addresses: readonly { readonly questionId: string; readonly text: string }[];
  readonly addressesText: string;
  readonly requires: readonly { readonly number: number; readonly anchor: string; readonly title: string }[];
  /** What it must come after that the answers show is in place already. */
  readonly requiresMetText: string | null;
  readonly links: readonly { readonly title: string; readonly href: string }[];
}

export interface RoadmapPhase {
  readonly id: PhaseId;
  readonly name: string;
  readonly description: string;
  readonly empty: boolean;
  readonly steps: readonly RoadmapStep[];
}

export interface TrendRow {
  readonly period: string;
  readonly current: boolean;
  readonly statusText: string;
  /** Overall first, then one per aspect of this report's rubric. */
  readonly cells: readonly { readonly levelText: string; readonly scoreText: string }[];
}

export interface AppendixAnswer {
  readonly questionId: string;
  readonly question: string;
  readonly respondent: string;
  readonly answer: string;
  readonly levelText: string;
  readonly at: string;
  readonly carried: boolean;
  readonly note: readonly TextSegment[] | null;
}

// ---------------------------------------------------------------------------------------------

const PHASE_TEXT: Readonly<Record<PhaseId, { name: string; description: string }>> = {
  now: { name: 'Now', description: 'Start here: steps toward each aspect’s next level that need nothing else first.' },
  next: { name: 'Next', description: 'The rest of the next-level work: each step waits on a step above it.' },
  later: { name: 'Later', description: 'Steps toward targets beyond the next level.' },
};
const EFFORT_TEXT: Readonly<Record<Effort, string>> = { S: 'small effort', M: 'medium effort', L: 'large effort' };
const IMPACT_TEXT: Readonly<Record<Impact, string>> = { high: 'high impact', medium: 'medium impact', low: 'low impact' };

export const ROADMAP_RULE: readonly string[] = [
  'Each aspect aims at its target level: the one set with “cnassess target”, else one level above where it stands.',
  'Each recommendation says which answers it raises. A step up to the target is in the roadmap only while one of those answers is below it — answered at a lower level, or without the practice it names — so the roadmap never recommends what the answers show is done. Answers of “not applicable”, and questions not asked, never call for a step.',
  'A step whose questions are not answered yet is not guessed at: those questions are listed under “To find out first”.',
  'Every step a recommended step requires is recommended too, when its own answers call for it; a requirement already met is shown as met.',
  'Now: steps up to an aspect’s next level (or required by one) that need nothing else first. Next: the rest of that next-level work. Later: steps toward targets beyond the next level.',
  'Within a phase, no step comes before a step it requires; otherwise higher impact comes first, then smaller effort, then the lower level; equally valuable steps take turns across aspects.',
];

export function buildReportModel(input: ReportInput): ReportModel {
  const { rubric, state } = input;
  // Each assessment is scored once, though the summary, the radar and the trend all use it.
  const scored = new Map<string, Scorecard>();
  const cardOf = (a: Assessed): Scorecard => {
    let c = scored.get(a.state.id);
    if (!c) scored.set(a.state.id, (c = scoreAssessment(a.rubric, a.state)));
    return c;
  };
  const card = cardOf(input);
  const roadmapPlan = plan(rubric, card, effectiveAnswers(rubric, state), state.targets);
  const combined = combineAll(rubric, state);
  const previous = input.previous && { ...input.previous, card: cardOf(input.previous) };
  const names = new OrgNames(state);
  const lv = (level: number | undefined | null) => levelFields(rubric, level);

  const aspectTitle = (id: string) => rubric.aspects.find((a) => a.id === id)?.title ?? id;
  const anchors = aspectAnchors(rubric);

  // Roadmap steps, numbered in order, with their anchors.
  const stepNumber = new Map(roadmapPlan.steps.map((s, i) => [s.recommendation.id, i + 1]));
  const steps = roadmapPlan.steps.map((s) => roadmapStep(rubric, s, stepNumber, roadmapPlan, aspectTitle));
  const stepsRaising = (question: string) =>
    roadmapPlan.steps.flatMap((s, n) =>
      s.addresses.some((x) => x.question === question) ? [{ number: n + 1, anchor: `step-${n + 1}` }] : [],
    );
  const phases = PHASES.map((id): RoadmapPhase => {
    const inPhase = steps.filter((_, i) => roadmapPlan.steps[i]!.phase === id);
    return { id, ...PHASE_TEXT[id], empty: inPhase.length === 0, steps: inPhase };
  });

  const previousLevelOf = (aspectId: string): number | undefined => previous?.card.aspects.find((a) => a.aspect === aspectId)?.level;
  const aspects = rubric.aspects.map((aspect, i) =>
    aspectSection(rubric, aspect, card.aspects[i]!, {
      anchor: anchors.get(aspect.id)!,
      number: i + 1,
      target: roadmapPlan.targets[i]!,
      previousLevel: previous ? previousLevelOf(aspect.id) : undefined,
      previousPeriod: previous?.state.period,
      combined,
      stepsRaising,
      steps: roadmapPlan.steps.flatMap((s, n) =>
        s.aspect === aspect.id
          ? [{ number: n + 1, anchor: `step-${n + 1}`, title: s.recommendation.title, phaseName: PHASE_TEXT[s.phase].name }]
          : [],
      ),
    }),
  );

  const progress = progressOf(card, state);
  const overall = { ...lv(card.overall.level), score: card.overall.score ?? null, scoreText: scoreText(card.overall.score) };
  const nextSteps = steps.slice(0, 3);

  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    generatedOn: input.generatedAt.slice(0, 10),
    title: `${rubric.title} report`,
    subtitle: `${names.full} · ${state.period}`,
    assessment: {
      id: state.id,
      org: state.org,
      scope: state.scope,
      period: state.period,
      status: state.status,
      statusText: state.status === 'completed' ? 'completed' : 'in progress',
      startedOn: state.startedAt.slice(0, 10),
      updatedOn: state.updatedAt.slice(0, 10),
      asOf: input.asOf ?? null,
      lastSeq: state.lastSeq,
      respondents: [...state.respondents],
    },
    rubric: {
      id: rubric.id,
      version: rubric.version,
      digest: state.rubric.digest,
      title: rubric.title,
      levels: rubric.levels.map((l) => ({ level: l.level, name: l.name, summary: l.summary })),
    },
    progress,
    overall,
    summary: {
      headline: headline(names, state, overall),
      paragraphs: summaryParagraphs(rubric, card, state, progress, names, previous),
      nextStepsIntro:
        nextSteps.length === 0
          ? card.overall.level === undefined
            ? 'Next steps appear once questions are answered.'
            : roadmapPlan.findOut.length > 0
              ? `No step is called for by the answers given so far; ${plural(roadmapPlan.findOut.length, 'question')} must be answered first (see the roadmap).`
              : noStepsText(rubric, roadmapPlan)
          : `The ${nextSteps.length === 1 ? 'most valuable next step' : `${numberWord(nextSteps.length)} most valuable next steps`}:`,
      nextSteps: nextSteps.map(({ number, anchor, title, aspectTitle: at, effortText, impactText, why }) => ({
        number,
        anchor,
        title,
        aspectTitle: at,
        effortText,
        impactText,
        why,
      })),
    },
    radar: radarOf(rubric, card, roadmapPlan, previous, anchors),
    aspects,
    roadmap: {
      stepCount: steps.length,
      empty: steps.length === 0,
      emptyText:
        card.overall.level === undefined
          ? 'No roadmap yet: answer questions first, so each aspect has a level to plan from.'
          : roadmapPlan.findOut.length > 0
            ? 'No step is called for by the answers given so far; answer the questions under “To find out first”.'
            : noStepsText(rubric, roadmapPlan),
      phases,
      notPlanned: notPlannedText(rubric, card),
      ...findOutOf(rubric, roadmapPlan, stepNumber, aspectTitle),
      ...uncoveredOf(rubric, roadmapPlan, aspectTitle),
      rule: ROADMAP_RULE,
    },
    trend: trendOf(rubric, state, input.history, cardOf),
    appendix: appendixOf(rubric, state),
  };
}

/** The assessments related to one: the previous period of the same org and scope, and all periods up to it. */
export function relatedAssessments(all: readonly Assessed[], state: AssessmentState): { previous?: Assessed; history: Assessed[] } {
  const key = seriesOf(state);
  const period = state.period.toUpperCase();
  const history = all
    .filter((a) => seriesOf(a.state) === key && a.state.period.toUpperCase() <= period)
    .sort((a, b) => comparePeriods(a.state.period, b.state.period));
  const earlier = history.filter((a) => a.state.period.toUpperCase() < period);
  const previous = earlier.at(-1);
  return { ...(previous && { previous }), history };
}

function comparePeriods(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------

class OrgNames {
  readonly full: string;
  constructor(state: AssessmentState) {
    this.full = isWholeOrg(state.scope) ? state.org : `${state.org} (${state.scope})`;
  }
}

function isWholeOrg(scope: string): boolean {
  return scope.trim().toLowerCase() === 'all' || scope.trim() === '';
}

function levelFields(rubric: Rubric, level: number | undefined | null): LevelFields {
  if (level === undefined || level === null) return { level: null, levelName: null, levelSummary: null, levelText: 'not assessed yet' };
  return {
    level,
    levelName: levelName(rubric, level),
    levelSummary: rubric.levels.find((l) => l.level === level)?.summary ?? null,
    levelText: levelLabel(rubric, level),
  };
}

function levelLabel(rubric: Rubric, level: number): string {
  return `${level} · ${levelName(rubric, level)}`;
}

function scoreText(score: number | undefined): string {
  return score === undefined ? '–' : `${Math.round(score)} of 100`;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

function numberWord(n: number): string {
  return ['zero', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** Anchors built from positions, never from (untrusted) ids. */
function aspectAnchors(rubric: Rubric): Map<string, string> {
  return new Map(rubric.aspects.map((a, i) => [a.id, `aspect-${i + 1}`]));
}

function combineAll(rubric: Rubric, state: AssessmentState): Map<string, CombinedAnswer> {
  const result = new Map<string, CombinedAnswer>();
  for (const [question, responses] of state.responses) {
    const c = combineResponses(rubric, question, responses);
    if (c) result.set(question, c);
  }
  return result;
}

export function answerText(question: Question | undefined, answer: Response['answer'] | readonly string[]): string {
  if (answer === NOT_APPLICABLE) return 'Not applicable';
  return answer.map((id) => question?.choices.find((c) => c.id === id)?.label ?? id).join('; ');
}

function responseLevel(rubric: Rubric, question: Question | undefined, answer: Response['answer']): number | undefined {
  return answer === NOT_APPLICABLE || !question ? undefined : answerLevel(rubric, question, answer);
}

function progressOf(card: Scorecard, state: AssessmentState): ReportModel['progress'] {
  const { answered, applicable } = card.overall;
  const percent = percentOf(answered, applicable);
  const complete = applicable > 0 && answered === applicable;
  let carried = 0;
  for (const byRespondent of state.responses.values()) for (const r of byRespondent.values()) if (r.carried) carried++;
  const base = `${answered} of ${plural(applicable, 'applicable question')} answered (${percent}%)`;
  const text =
    state.status === 'completed'
      ? complete
        ? `Completed: all ${plural(applicable, 'applicable question')} answered.`
        : `Marked complete with ${base}.`
      : complete
        ? `In progress: all ${plural(applicable, 'applicable question')} answered, not yet marked complete.`
        : `In progress: ${base}. Levels can still change as the remaining ${applicable - answered} are answered.`;
  return { answered, applicable, percent, complete, carried, text };
}

function headline(names: OrgNames, state: AssessmentState, overall: LevelFields): string {
  if (overall.level === null) return `${names.full} has no answered question yet for ${state.period}, so there is no level to report.`;
  return `${names.full} is at level ${overall.level}, ${overall.levelName}, overall in ${state.period}.`;
}

function summaryParagraphs(
  rubric: Rubric,
  card: Scorecard,
  state: AssessmentState,
  progress: ReportModel['progress'],
  names: OrgNames,
  previous: (Assessed & { card: Scorecard }) | undefined,
): string[] {
  const paragraphs: string[] = [];
  const { level, score } = card.overall;
  if (level !== undefined) {
    const meaning = rubric.levels.find((l) => l.level === level)?.summary ?? '';
    paragraphs.push(
      `${levelName(rubric, level)} means: ${meaning} The overall score is ${Math.round(score ?? 0)} of 100; it shows movement within a level.`,
    );
  }
  const respondents = state.respondents.length;
  paragraphs.push(
    `${progress.text}${respondents > 0 ? ` Answers came from ${plural(respondents, 'respondent')}.` : ''}${
      progress.carried > 0
        ? ` ${plural(progress.carried, 'answer was', 'answers were')} carried over from the previous period and not yet confirmed.`
        : ''
    }`,
  );

  const title = (id: string) => rubric.aspects.find((a) => a.id === id)?.title ?? id;
  const assessed = card.aspects.filter((a): a is AspectScore & { level: number; score: number } => a.level !== undefined);
  const unassessed = card.aspects.filter((a) => a.level === undefined).map((a) => title(a.aspect));
  if (assessed.length >= 2) {
    const ranked = [...assessed].sort((a, b) => b.level - a.level || b.score - a.score);
    const best = ranked[0]!;
    const worst = ranked.at(-1)!;
    const describe = (a: AspectScore & { level: number; score: number }) =>
      `${title(a.aspect)} (${levelLabel(rubric, a.level)}, score ${Math.round(a.score)})`;
    paragraphs.push(
      best.level === worst.level && best.score === worst.score
        ? `All assessed aspects stand at ${levelLabel(rubric, best.level)} with the same score.`
        : `The strongest aspect is ${describe(best)}; the weakest is ${describe(worst)}.`,
    );
  }
  if (unassessed.length > 0) paragraphs.push(`Not assessed yet: ${list(unassessed)}.`);

  if (previous) {
    const before = previous.card.overall;
    const parts: string[] = [];
    if (before.level !== undefined && level !== undefined) {
      parts.push(
        before.level === level
          ? `the overall level is unchanged at ${levelLabel(rubric, level)}`
          : `the overall level ${level > before.level ? 'rose' : 'fell'} from ${levelLabel(previous.rubric, before.level)} to ${levelLabel(rubric, level)}`,
      );
    }
    if (before.score !== undefined && score !== undefined) {
      const a = Math.round(before.score);
      const b = Math.round(score);
      parts.push(a === b ? `the score held at ${b}` : `the score ${b > a ? 'rose' : 'fell'} from ${a} to ${b}`);
    }
    const moves: string[] = [];
    for (const a of card.aspects) {
      const was = previous.card.aspects.find((p) => p.aspect === a.aspect)?.level;
      if (was === undefined || a.level === undefined || was === a.level) continue;
      moves.push(
        `${title(a.aspect)} ${a.level > was ? 'rose' : 'fell'} from ${levelLabel(previous.rubric, was)} to ${levelLabel(rubric, a.level)}`,
      );
    }
    const since = `Since ${previous.state.period}`;
    const first = parts.length > 0 ? `${since}, ${list(parts)}.` : `${since}: the levels cannot be compared yet.`;
    // Each period is scored with its own rubric; across a rubric change, `diff` is the like-for-like view.
    const rubricChanged =
      previous.state.rubric.digest !== state.rubric.digest
        ? ` ${previous.state.period} was answered against ${previous.rubric.id} ${previous.rubric.version} and ${state.period} against ${rubric.id} ${rubric.version}; each is scored with its own rubric, and \`cnassess diff\` compares the two like for like.`
        : '';
    paragraphs.push(`${first} ${moves.length > 0 ? `${capitalise(list(moves))}.` : 'No aspect changed level.'}${rubricChanged}`);
  } else {
    paragraphs.push(`This is the first assessment of ${names.full} in this log, so there is no earlier period to compare with yet.`);
  }
  return paragraphs;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function roadmapStep(
  rubric: Rubric,
  s: PlannedStep,
  numbers: Map<string, number>,
  p: Plan,
  aspectTitle: (id: string) => string,
): RoadmapStep {
  const rec = s.recommendation;
  const number = numbers.get(rec.id)!;
  const target = p.targets.find((t) => t.aspect === s.aspect);
  const ref = (id: string) => {
    const n = numbers.get(id)!;
    return { number: n, anchor: `step-${n}`, title: p.steps[n - 1]!.recommendation.title };
  };
  const from = s.aspectLevel === undefined ? 'not yet assessed' : levelLabel(rubric, s.aspectLevel);
  const toward = `${target?.target !== undefined ? levelLabel(rubric, target.target) : levelLabel(rubric, rec.level)}${target?.source === 'set' ? ' (its target)' : ''}`;
  const reason = s.pulledIn
    ? `${aspectTitle(s.aspect)} is at ${from}; this step is needed first by ${list(s.requiredBy.map((id) => `step ${numbers.get(id)!}`))}.`
    : s.aspectLevel !== undefined && rec.level <= s.aspectLevel
      ? `${aspectTitle(s.aspect)} stands at ${from}, but these answers lag behind it; this brings them up on the way to ${toward}.`
      : `Part of taking ${aspectTitle(s.aspect)} from ${from} toward ${toward}.`;
  return {
    number,
    anchor: `step-${number}`,
    id: rec.id,
    title: rec.title,
    why: rec.why,
    aspectId: s.aspect,
    aspectTitle: aspectTitle(s.aspect),
    level: rec.level,
    levelText: levelLabel(rubric, rec.level),
    effort: rec.effort,
    effortText: EFFORT_TEXT[rec.effort],
    impact: rec.impact,
    impactText: IMPACT_TEXT[rec.impact],
    reason,
    addresses: s.addresses.map((x) => ({ questionId: x.question, text: addressedText(rubric, x) })),
    addressesText: `Because ${list(s.addresses.map((x) => addressedText(rubric, x)))}.`,
    requires: s.requires.map(ref),
    requiresMetText:
      s.requiresMet.length === 0
        ? null
        : `Already in place, as the answers show: ${list(s.requiresMet.map((id) => `“${recommendationTitle(rubric, id)}”`))}.`,
    links: rec.links.flatMap((l) => {
      const href = safeHref(l.url);
      return href === undefined ? [] : [{ title: l.title, href }];
    }),
  };
}

/** "app-deploy is “A CD pipeline…” (level 3)", or for a practice "obs-alerting does not include “Runbooks…”". */
function addressedText(rubric: Rubric, x: Addressed): string {
  const question = findQuestionIn(rubric, x.question);
  const label = (id: string) => question?.choices.find((c) => c.id === id)?.label ?? id;
  if (x.practice !== undefined) return `${x.question} does not include “${label(x.practice)}” (answered at ${levelLabel(rubric, x.level)})`;
  return `${x.question} is “${answerText(question, x.choices)}” (${levelLabel(rubric, x.level)})`;
}

function findQuestionIn(rubric: Rubric, id: string): Question | undefined {
  for (const a of rubric.aspects) for (const q of a.questions) if (q.id === id) return q;
  return undefined;
}

function recommendationTitle(rubric: Rubric, id: string): string {
  for (const a of rubric.aspects) for (const r of a.recommendations) if (r.id === id) return r.title;
  return id;
}

/** Why the roadmap is empty although questions are answered: each sentence true for the plan at hand. */
function noStepsText(rubric: Rubric, p: Plan): string {
  if (p.uncovered.length > 0)
    return 'No steps: the rubric has no recommendation for the answers that hold the aspects below their targets (listed in the roadmap).';
  const belowTarget = p.targets.filter((t) => t.target !== undefined && t.current !== undefined && t.current < t.target).length;
  if (belowTarget > 0)
    return 'No steps: no answer calls for one, though not every aspect has reached its target yet — the remaining gap is in questions not answered.';
  if (!rubric.aspects.some((a) => a.recommendations.length > 0)) return 'No steps: this rubric has no recommendations.';
  return 'Every assessed aspect has reached its target, and no answer calls for a step; set higher targets with “cnassess target” to plan further.';
}

function findOutOf(
  rubric: Rubric,
  p: Plan,
  numbers: ReadonlyMap<string, number>,
  aspectTitle: (id: string) => string,
): Pick<ReportModel['roadmap'], 'findOut' | 'findOutText'> {
  const findOut = p.findOut.map((f) => ({
    questionId: f.question,
    question: findQuestionIn(rubric, f.question)?.text ?? f.question,
    aspectTitle: aspectTitle(f.aspect),
    stepsText: `decides whether ${list(f.steps.map((id) => (numbers.has(id) ? `step ${numbers.get(id) ?? ''}` : `“${recommendationTitle(rubric, id)}”`)))} ${f.steps.length === 1 ? 'is' : 'are'} needed`,
  }));
  return {
    findOut,
    findOutText:
      findOut.length === 0
        ? null
        : `${plural(findOut.length, 'question is', 'questions are')} not answered yet; each decides whether a step of the roadmap is needed, so answer ${findOut.length === 1 ? 'it' : 'them'} before planning:`,
  };
}

function uncoveredOf(
  rubric: Rubric,
  p: Plan,
  aspectTitle: (id: string) => string,
): Pick<ReportModel['roadmap'], 'uncovered' | 'uncoveredText'> {
  const uncovered = p.uncovered.map((u) => ({
    questionId: u.question,
    question: findQuestionIn(rubric, u.question)?.text ?? u.question,
    aspectTitle: aspectTitle(u.aspect),
    levelText: levelLabel(rubric, u.level),
  }));
  return {
    uncovered,
    uncoveredText:
      uncovered.length === 0
        ? null
        : `The rubric has no recommendation that raises ${uncovered.length === 1 ? 'this answer' : 'these answers'}, though ${uncovered.length === 1 ? 'it holds its aspect' : 'they hold their aspects'} below the next level:`,
  };
}

function notPlannedText(rubric: Rubric, card: Scorecard): string | null {
  const missing = card.aspects
    .filter((a) => a.level === undefined)
    .map((a) => rubric.aspects.find((x) => x.id === a.aspect)?.title ?? a.aspect);
  return missing.length === 0 ? null : `Not planned until answered: ${list(missing)}.`;
}

interface SectionContext {
  readonly anchor: string;
  readonly number: number;
  readonly target: Plan['targets'][number];
  readonly previousLevel: number | undefined;
  readonly previousPeriod: string | undefined;
  readonly combined: ReadonlyMap<string, CombinedAnswer>;
  readonly stepsRaising: (question: string) => AnswerRef['steps'];
  readonly steps: AspectSection['steps'];
}

function aspectSection(rubric: Rubric, aspect: Aspect, a: AspectScore, c: SectionContext): AspectSection {
  const question = (id: string) => aspect.questions.find((q) => q.id === id);
  const effectiveText = (id: string): string => {
    const e = c.combined.get(id)?.effective;
    return e?.status === 'answered' ? answerText(question(id), e.choices) : 'Not applicable';
  };
  const { target } = c;
  const targetText =
    target.target === undefined
      ? a.level === undefined
        ? 'none until assessed'
        : 'top level reached'
      : `${levelLabel(rubric, target.target)}${target.source === 'set' ? (a.level !== undefined && a.level >= target.target ? ' (set; reached)' : ' (set)') : ' (one level up)'}`;
  const changeText =
    c.previousPeriod === undefined
      ? null
      : c.previousLevel === undefined || a.level === undefined
        ? `Not comparable with ${c.previousPeriod}: not assessed in both periods.`
        : c.previousLevel === a.level
          ? `Unchanged since ${c.previousPeriod}.`
          : `${a.level > c.previousLevel ? 'Up' : 'Down'} from ${levelLabel(rubric, c.previousLevel)} in ${c.previousPeriod}.`;
  const capped = a.cappedBy !== undefined ? question(a.cappedBy) : undefined;
  const nextName = a.nextLevel !== undefined ? levelName(rubric, a.nextLevel) : undefined;
  const hasGates = aspect.questions.some((q) => q.gate);

  const evidence: AspectSection['evidence'][number][] = [];
  const disagreements: AspectSection['disagreements'][number][] = [];
  for (const q of aspect.questions) {
    const answers = c.combined.get(q.id);
    if (!answers) continue;
    for (const r of answers.responses) {
      if (r.note !== undefined && r.note.trim() !== '')
        evidence.push({ questionId: q.id, question: q.text, respondent: r.respondent, on: r.at.slice(0, 10), segments: linkify(r.note) });
    }
    if (answers.spread >= 2) {
      disagreements.push({
        questionId: q.id,
        question: q.text,
        spread: answers.spread,
        answers: answers.responses.map((r) => {
          const l = responseLevel(rubric, q, r.answer);
          return { respondent: r.respondent, answer: answerText(q, r.answer), levelText: l === undefined ? '–' : levelLabel(rubric, l) };
        }),
      });
    }
  }

  return {
    id: aspect.id,
    anchor: c.anchor,
    number: c.number,
    title: aspect.title,
    summary: aspect.summary,
    ...levelFields(rubric, a.level),
    score: a.score ?? null,
    scoreText: scoreText(a.score),
    answered: a.answered,
    applicable: a.applicable,
    notApplicable: a.notApplicable,
    coveragePercent: percentOf(a.answered, a.applicable),
    coverageText: `${a.answered} of ${a.applicable} answered (${percentOf(a.answered, a.applicable)}%)${a.notApplicable > 0 ? `, ${a.notApplicable} not applicable` : ''}`,
    targetText,
    changeText,
    cappedByText:
      a.cappedBy !== undefined && a.level !== undefined
        ? `Capped at ${levelLabel(rubric, a.level)} by a gate question — “${capped?.text ?? a.cappedBy}” — answered at that level. An aspect cannot stand above its lowest gate answer.`
        : null,
    nextLevelText:
      a.nextLevel !== undefined && nextName !== undefined
        ? `To reach ${levelLabel(rubric, a.nextLevel)}, answers at ${nextName} or above must carry more than half of the answered weight (now ${percentOf(a.nextLevelShare ?? 0, 1)}%)${hasGates ? `, and every gate question must be answered at ${nextName} or above` : ''}.`
        : null,
    holdingBack: a.holdingBack.map((h): AnswerRef => {
      const q = question(h.question);
      const missing = a.questions.find((s) => s.question === h.question)?.missingPractices ?? [];
      const steps = c.stepsRaising(h.question);
      const reached = target.target !== undefined && a.level !== undefined && a.level >= target.target;
      return {
        questionId: h.question,
        question: q?.text ?? h.question,
        answer: effectiveText(h.question),
        levelText: levelLabel(rubric, h.level),
        gate: h.gate,
        missingText:
          missing.length === 0
            ? null
            : `Held at ${levelLabel(rubric, h.level)} by a missing practice: ${list(missing.map((id) => `“${q?.choices.find((x) => x.id === id)?.label ?? id}”`))}. A practice counts only with every practice below it.`,
        steps,
        noStepText:
          steps.length > 0
            ? null
            : reached
              ? 'No step: the aspect has reached its target.'
              : 'No step: the rubric has no recommendation that raises this answer toward the target.',
      };
    }),
    evidence,
    disagreements,
    unanswered: a.questions
      .filter((q) => q.status === 'unanswered')
      .map((q) => ({ questionId: q.question, question: question(q.question)?.text ?? q.question })),
    steps: c.steps,
  };
}

function radarOf(
  rubric: Rubric,
  card: Scorecard,
  p: Plan,
  previous: (Assessed & { card: Scorecard }) | undefined,
  anchors: ReadonlyMap<string, string>,
): ReportModel['radar'] {
  const levels = [...rubric.levels].sort((a, b) => a.level - b.level);
  const current = card.aspects.map((a) => a.level ?? null);
  // An aspect at the top level, or not yet assessed, has no target of its own: draw it where it stands.
  const target = p.targets.map((t, i) => t.target ?? current[i] ?? null);
  const before = previous ? card.aspects.map((a) => previous.card.aspects.find((x) => x.aspect === a.aspect)?.level ?? null) : undefined;
  const title = 'Level by aspect';
  const word = (v: number | null) => (v === null ? 'not assessed' : levelLabel(rubric, v));
  const range = `${levelLabel(rubric, levels[0]!.level)} at the centre to ${levelLabel(rubric, levels.at(-1)!.level)} at the rim`;
  const description = `Radar chart of each aspect’s level, from ${range}: ${rubric.aspects
    .map(
      (aspect, i) =>
        `${aspect.title}: now ${word(current[i]!)}, target ${word(target[i]!)}${before ? `, in ${previous!.state.period} ${word(before[i]!)}` : ''}`,
    )
    .join('; ')}.`;
  const svg = radarSvg({
    title,
    description,
    idPrefix: 'radar',
    levels,
    axes: rubric.aspects.map((aspect, i) => ({
      label: aspect.title,
      note: current[i] === null ? 'not assessed' : levelLabel(rubric, current[i]!),
    })),
    series: [
      ...(before ? [{ key: 'previous' as const, name: `${previous!.state.period}`, values: before }] : []),
      { key: 'target' as const, name: 'Target', values: target },
      { key: 'current' as const, name: 'Now', values: current },
    ],
  });
  return {
    svg,
    title,
    description,
    hasPrevious: before !== undefined,
    previousPeriod: previous?.state.period ?? null,
    rows: rubric.aspects.map((aspect, i) => {
      const now = current[i] ?? null;
      const was = before?.[i] ?? null;
      const t = p.targets[i]!;
      return {
        anchor: anchors.get(aspect.id)!,
        title: aspect.title,
        currentText: word(now),
        targetText:
          t.target === undefined
            ? now === null
              ? '–'
              : 'top reached'
            : `${levelLabel(rubric, t.target)}${t.source !== 'set' ? '' : now !== null && now >= t.target ? ' (set; reached)' : ' (set)'}`,
        previousText: before ? word(was) : '',
        changeText:
          !before || was === null || now === null ? '–' : now > was ? `▲ up ${now - was}` : now < was ? `▼ down ${was - now}` : '= same',
        scoreText: scoreText(card.aspects[i]!.score),
      };
    }),
  };
}

function trendOf(
  rubric: Rubric,
  state: AssessmentState,
  history: readonly Assessed[],
  cardOf: (a: Assessed) => Scorecard,
): ReportModel['trend'] {
  const sorted = [...history].sort((a, b) => comparePeriods(a.state.period, b.state.period));
  const cards = sorted.map(cardOf);
  const columns = ['Overall', ...rubric.aspects.map((a) => a.title)];
  const title = 'Score by period';
  if (sorted.length < 2) return { show: false, svg: null, title, description: '', columns, rows: [] };

  const levels = [...rubric.levels].sort((a, b) => a.level - b.level);
  const lowest = levels[0]!.level;
  const highest = levels.at(-1)!.level;
  const scoreAt = (level: number) => (highest === lowest ? 100 : (100 * (level - lowest)) / (highest - lowest));
  const series = [
    { name: 'Overall', values: cards.map((c) => c.overall.score ?? null) },
    ...rubric.aspects.map((aspect) => ({
      name: aspect.title,
      values: cards.map((c) => c.aspects.find((a) => a.aspect === aspect.id)?.score ?? null),
    })),
  ];
  const periods = sorted.map((h) => h.state.period);
  const description = `Line chart of scores from 0 to 100 for ${periods.length} periods, ${periods[0]!} to ${periods.at(-1)!}. ${series
    .map((s) => `${s.name}: ${s.values.map((v, i) => `${periods[i]!} ${v === null ? 'not assessed' : Math.round(v)}`).join(', ')}`)
    .join('. ')}.`;
  const svg = trendSvg({
    title,
    description,
    idPrefix: 'trend',
    periods,
    levelLines: levels.map((l) => ({ name: l.name, score: scoreAt(l.level) })),
    series,
  });
  const cell = (h: Assessed, level: number | undefined, score: number | undefined) =>
    level === undefined
      ? { levelText: '–', scoreText: '' }
      : { levelText: levelLabel(h.rubric, level), scoreText: `score ${Math.round(score ?? 0)}` };
  return {
    show: true,
    svg,
    title,
    description,
    columns,
    rows: sorted.map((h, i) => {
      const c = cards[i]!;
      return {
        period: h.state.period,
        current: h.state.id === state.id,
        statusText: h.state.status === 'completed' ? 'completed' : 'in progress',
        cells: [
          cell(h, c.overall.level, c.overall.score),
          ...rubric.aspects.map((aspect) => {
            const a = c.aspects.find((x) => x.aspect === aspect.id);
            return cell(h, a?.level, a?.score);
          }),
        ],
      };
    }),
  };
}

function appendixOf(rubric: Rubric, state: AssessmentState): ReportModel['appendix'] {
  const aspects = rubric.aspects
    .map((aspect) => ({
      title: aspect.title,
      answers: aspect.questions.flatMap((q) =>
        [...(state.responses.get(q.id)?.values() ?? [])].sort((a, b) => a.seq - b.seq).map((r) => appendixAnswer(rubric, q, r)),
      ),
    }))
    .filter((a) => a.answers.length > 0);
  const lowest = rubric.levels.reduce((a, b) => (b.level < a.level ? b : a));
  const highest = rubric.levels.reduce((a, b) => (b.level > a.level ? b : a));
  return {
    answerCount: aspects.reduce((n, a) => n + a.answers.length, 0),
    aspects,
    howToAnswer: howToAnswerSections(rubric),
    terms: answerTerms(rubric).map((x) => ({ term: x.term, meaning: x.meaning })),
    method: [
      rubric.multiChoice === 'ladder'
        ? 'Each answer has a level: the level of the chosen option. Where several practices can be ticked, the answer is at the highest level whose practices, and those of every level below, are all ticked — a missing basic practice holds it down, however advanced the others.'
        : 'Each answer has a level: the level of the chosen option (where several practices can be ticked, the highest of them).',
      'When several people answer a question, the answer at their median level counts (the lower middle one for an even number), so one optimist cannot lift a level and one pessimist cannot sink it. If more than half say “not applicable”, the question is not applicable. Answers two or more levels apart are shown as disagreements.',
      `An aspect is at level L when answers at L or above carry more than half of the weight of its answered questions, and no answered gate question is below L. So a level reads as “most of what we do is at ${levelName(rubric, rubric.levels[Math.floor(rubric.levels.length / 2)]?.level ?? lowest.level)}”, not as an average.`,
      `An aspect’s score (0–100) is the weighted mean of its answers, with ${lowest.name} counting 0 and ${highest.name} 100. It shows movement within a level; the level is what counts.`,
      'Unanswered and not-applicable questions, and follow-up questions whose condition is not met, are left out of both and shown as coverage. They never count as zero.',
      'Overall: the same majority rule over the aspects’ levels (weighted by aspect weight), and the weighted mean of the aspects’ scores, over the aspects with any answer.',
    ],
  };
}

function appendixAnswer(rubric: Rubric, q: Question, r: Response): AppendixAnswer {
  const l = responseLevel(rubric, q, r.answer);
  return {
    questionId: q.id,
    question: q.text,
    respondent: r.respondent,
    answer: answerText(q, r.answer),
    levelText: l === undefined ? '–' : levelLabel(rubric, l),
    at: `${r.at.slice(0, 16).replace('T', ' ')} UTC`,
    carried: r.carried,
    note: r.note !== undefined && r.note.trim() !== '' ? linkify(r.note) : null,
  };
}
