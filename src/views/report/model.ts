// The report's view model, built by pure code from an assessment, its rubric, the previous assessment of the same org
// and scope, and the history of that org and scope. Every sentence a leader reads is written in this folder, so
// templates hold nothing but loops and conditionals.

import { PHASES, plan } from '../../assessment/roadmap.js';
import type { Scorecard } from '../../assessment/scoring.js';
import { combinedAnswers, effectiveOf, scoreAssessment, seriesOf, type AssessmentState } from '../../assessment/state.js';
import { comparePeriods } from '../../compare/trend.js';
import { numberWord, plural } from '../../text.js';
import { openDisagreements } from '../../assessment/respondents.js';
import { appendixOf } from './appendix.js';
import { respondentsSection } from './respondents.js';
import { aspectSection } from './aspects.js';
import { radarOf, trendOf } from './charts.js';
import { headingNounsOf } from '../../rubric/levels.js';
import {
  findOutOf,
  noStepsText,
  notPlannedText,
  PHASE_TEXT,
  roadmapRule,
  roadmapStep,
  trackedElsewhereOf,
  trackingText,
  uncoveredOf,
} from './roadmap.js';
import { trackSteps } from '../../assessment/stepTracking.js';
import { headline, progressOf, summaryParagraphs } from './summary.js';
import { SCHEMA_VERSION, type Assessed, type ReportInput, type ReportModel, type RoadmapPhase } from './types.js';
import { aspectAnchors, levelFields, OrgNames, scoreText } from './words.js';

export type { Assessed, ReportInput, ReportModel } from './types.js';

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
  const combined = combinedAnswers(rubric, state);
  const roadmapPlan = plan(rubric, card, effectiveOf(combined), state.targets);
  const disagreements = openDisagreements(rubric, state);
  const respondents = respondentsSection(rubric, state);
  const previous = input.previous && { ...input.previous, card: cardOf(input.previous) };
  const names = new OrgNames(state);
  const lv = (level: number | undefined | null) => levelFields(rubric, level);

  const aspectTitle = (id: string) => rubric.aspects.find((a) => a.id === id)?.title ?? id;
  const anchors = aspectAnchors(rubric);

  // Roadmap steps, numbered in order, with their anchors.
  const stepNumber = new Map(roadmapPlan.steps.map((s, i) => [s.recommendation.id, i + 1]));
  // The roadmap, tracked: each step's status, as of the day the report is for (an --as-of date, else the day it is made).
  // As of a seq number: the day of the assessment's last event then.
  const asOfDay = input.asOf === undefined ? input.generatedAt : /^\d{4}-\d{2}-\d{2}/.test(input.asOf) ? input.asOf : state.updatedAt;
  const tracked = trackSteps(roadmapPlan, state, asOfDay.slice(0, 10));
  const trackedById = new Map(tracked.map((t) => [t.step, t] as const));
  const steps = roadmapPlan.steps.map((s) =>
    roadmapStep(rubric, s, stepNumber, roadmapPlan, aspectTitle, trackedById.get(s.recommendation.id)),
  );
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
      previousGroup: rubric.aspects[i - 1]?.group,
      target: roadmapPlan.targets[i]!,
      previousLevel: previous ? previousLevelOf(aspect.id) : undefined,
      previousPeriod: previous?.state.period,
      combined,
      disagreements,
      stepsRaising,
      manyRespondents: respondents.many,
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
    nouns: headingNounsOf(rubric),
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
    respondents,
    summary: {
      headline: headline(names, state, overall),
      paragraphs: summaryParagraphs(rubric, card, state, progress, names, previous, {
        respondentsText: respondents.text,
        provisional: aspects.filter((a) => a.provisional).map((a) => a.title),
        trackingText: trackingText(tracked),
      }),
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
      rule: roadmapRule(rubric),
      trackingText: trackingText(tracked),
      trackedElsewhere: trackedElsewhereOf(rubric, tracked, aspectTitle),
    },
    trend: trendOf(rubric, state, input.history),
    appendix: appendixOf(rubric, state, combined, respondents.many),
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
