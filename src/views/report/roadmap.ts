// The roadmap as the report shows it: phases, steps with the answers behind them, what to find out first, what the
// rubric has no step for, and the rule in sentences. The plan itself is the core's (assessment/roadmap.ts).

import { nounsOf } from '../../rubric/levels.js';
import type { Addressed, PhaseId, Plan, PlannedStep } from '../../assessment/roadmap.js';
import type { Scorecard } from '../../assessment/scoring.js';
import type { Effort, Impact, Rubric } from '../../rubric/types.js';
import { safeHref } from '../escape.js';
import { capitalise, list, plural, article } from '../../text.js';
import type { ReportModel, RoadmapStep, StepTracking } from './types.js';
import { countSteps, type TrackedStep } from '../../assessment/stepTracking.js';
import type { StepStatusValue } from '../../assessment/events.js';
import { answerText, findQuestionIn, levelLabel, recommendationTitle } from './words.js';

export const PHASE_TEXT: Readonly<Record<PhaseId, { name: string; description: string }>> = {
  now: { name: 'Now', description: 'Start here: steps toward each aspect’s next level that need nothing else first.' },
  next: { name: 'Next', description: 'The rest of the next-level work: each step waits on a step above it.' },
  later: { name: 'Later', description: 'Steps toward targets beyond the next level.' },
};

export const EFFORT_TEXT: Readonly<Record<Effort, string>> = { S: 'small effort', M: 'medium effort', L: 'large effort' };

export const IMPACT_TEXT: Readonly<Record<Impact, string>> = { high: 'high impact', medium: 'medium impact', low: 'low impact' };

/** How the roadmap is built, in the rubric's own nouns. */
export function roadmapRule(rubric: Pick<Rubric, 'nouns'>): string[] {
  const { aspect, aspects } = nounsOf(rubric);
  return [
    `Each ${aspect} aims at its target level: the one set with “cnassess target”, else one level above where it stands.`,
    'Each recommendation says which answers it raises. A step up to the target is in the roadmap only while one of those answers is below it — answered at a lower level, or without the practice it names — so the roadmap never recommends what the answers show is done. Answers of “not applicable”, and questions not asked, never call for a step.',
    'A step whose questions are not answered yet is not guessed at: those questions are listed under “To find out first”.',
    'Every step a recommended step requires is recommended too, when its own answers call for it; a requirement already met is shown as met.',
    `Now: steps up to ${article(aspect).toLowerCase()} ${aspect}’s next level (or required by one) that need nothing else first. Next: the rest of that next-level work. Later: steps toward targets beyond the next level.`,
    `Within a phase, no step comes before a step it requires; otherwise higher impact comes first, then smaller effort, then the lower level; equally valuable steps take turns across ${aspects}.`,
  ];
}

export function roadmapStep(
  rubric: Rubric,
  s: PlannedStep,
  numbers: Map<string, number>,
  p: Plan,
  aspectTitle: (id: string) => string,
  tracked: TrackedStep | undefined,
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
    status: tracked?.status?.status ?? null,
    tracking: stepTrackingOf(rubric, tracked),
  };
}

const STATUS_TEXT: Readonly<Record<StepStatusValue | 'not-started', string>> = {
  'not-started': 'Not started',
  planned: 'Planned',
  'in-progress': 'In progress',
  done: 'Done',
  'wont-do': 'Won’t do',
};

/** A step's status, owner, due date and note in words, and whether the answers agree with a "done". */
export function stepTrackingOf(rubric: Rubric, tracked: TrackedStep | undefined): StepTracking {
  const s = tracked?.status;
  const open = tracked?.stillOpen ?? [];
  return {
    statusText: STATUS_TEXT[s?.status ?? 'not-started'],
    owner: s?.owner ?? null,
    due: s?.due ?? null,
    dueText: s?.due === undefined ? null : `due ${s.due}${tracked?.overdue === true ? ', overdue' : ''}`,
    overdue: tracked?.overdue === true,
    note: s?.note ?? null,
    disagreementText:
      tracked?.doneButOpen === true && s !== undefined
        ? `Marked done on ${s.at.slice(0, 10)}${s.by !== '' ? ` by ${s.by}` : ''}, but the answers still call for it: ${list(open.map((x) => addressedText(rubric, x)))}.`
        : null,
  };
}

/** How the tracked steps stand, in one sentence; null when no step has a status. */
export function trackingText(tracked: readonly TrackedStep[]): string | null {
  if (!tracked.some((t) => t.status !== undefined)) return null;
  const c = countSteps(tracked);
  const parts = (['done', 'in-progress', 'planned', 'wont-do', 'not-started'] as const)
    .filter((k) => c.byStatus[k] > 0)
    .map((k) => `${c.byStatus[k]} ${STATUS_TEXT[k].toLowerCase()}`);
  const flags = [
    ...(c.overdue > 0 ? [`${c.overdue} overdue`] : []),
    ...(c.doneButOpen > 0 ? [`${plural(c.doneButOpen, 'step')} marked done that the answers do not show done yet`] : []),
  ];
  return `${capitalise(list(parts))} (of ${plural(c.total, 'step')})${flags.length > 0 ? `; ${flags.join('; ')}` : ''}.`;
}

/** The steps with a status that the roadmap does not hold: done, given up, or beyond the aspect's target. */
export function trackedElsewhereOf(
  rubric: Rubric,
  tracked: readonly TrackedStep[],
  aspectTitle: (id: string) => string,
): ReportModel['roadmap']['trackedElsewhere'] {
  return tracked.flatMap((t) => {
    if (t.planned !== undefined || t.status === undefined) return [];
    const aspect = rubric.aspects.find((a) => a.recommendations.some((r) => r.id === t.step));
    return [
      {
        id: t.step,
        title: recommendationTitle(rubric, t.step),
        aspectTitle: aspect === undefined ? '' : aspectTitle(aspect.id),
        ...stepTrackingOf(rubric, t),
      },
    ];
  });
}

/** "app-deploy is “A CD pipeline…” (level 3)", or for a practice "obs-alerting does not include “Runbooks…”". */
export function addressedText(rubric: Rubric, x: Addressed): string {
  const question = findQuestionIn(rubric, x.question);
  const label = (id: string) => question?.choices.find((c) => c.id === id)?.label ?? id;
  if (x.practice !== undefined) return `${x.question} does not include “${label(x.practice)}” (answered at ${levelLabel(rubric, x.level)})`;
  return `${x.question} is “${answerText(question, x.choices)}” (${levelLabel(rubric, x.level)})`;
}

/** Why the roadmap is empty although questions are answered: each sentence true for the plan at hand. */
export function noStepsText(rubric: Rubric, p: Plan): string {
  if (p.uncovered.length > 0)
    return `No steps: the rubric has no recommendation for the answers that hold the ${nounsOf(rubric).aspects} below their targets (listed in the roadmap).`;
  const belowTarget = p.targets.filter((t) => t.target !== undefined && t.current !== undefined && t.current < t.target).length;
  if (belowTarget > 0)
    return `No steps: no answer calls for one, though not every ${nounsOf(rubric).aspect} has reached its target yet — the remaining gap is in questions not answered.`;
  if (!rubric.aspects.some((a) => a.recommendations.length > 0)) return 'No steps: this rubric has no recommendations.';
  return `Every assessed ${nounsOf(rubric).aspect} has reached its target, and no answer calls for a step; set higher targets with “cnassess target” to plan further.`;
}

export function findOutOf(
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

export function uncoveredOf(
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
        : `The rubric has no recommendation that raises ${uncovered.length === 1 ? 'this answer' : 'these answers'}, though ${uncovered.length === 1 ? `it holds its ${nounsOf(rubric).aspect}` : `they hold their ${nounsOf(rubric).aspects}`} below the next level:`,
  };
}

export function notPlannedText(rubric: Rubric, card: Scorecard): string | null {
  const missing = card.aspects
    .filter((a) => a.level === undefined)
    .map((a) => rubric.aspects.find((x) => x.id === a.aspect)?.title ?? a.aspect);
  return missing.length === 0 ? null : `Not planned until answered: ${list(missing)}.`;
}
