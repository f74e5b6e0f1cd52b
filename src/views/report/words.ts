// How the report puts levels, scores, answers and names into words; shared by its sections.

import { answerLevel } from '../../assessment/scoring.js';
import type { AssessmentState, Response } from '../../assessment/state.js';
import { levelName } from '../../rubric/levels.js';
import { NOT_APPLICABLE, type Question, type Rubric } from '../../rubric/types.js';
import type { LevelFields } from './types.js';
import { plural } from '../../text.js';

export class OrgNames {
  readonly full: string;
  constructor(state: AssessmentState) {
    this.full = isWholeOrg(state.scope) ? state.org : `${state.org} (${state.scope})`;
  }
}

export function isWholeOrg(scope: string): boolean {
  return scope.trim().toLowerCase() === 'all' || scope.trim() === '';
}

export function levelFields(rubric: Rubric, level: number | undefined | null): LevelFields {
  if (level === undefined || level === null) return { level: null, levelName: null, levelSummary: null, levelText: 'not assessed yet' };
  return {
    level,
    levelName: levelName(rubric, level),
    levelSummary: rubric.levels.find((l) => l.level === level)?.summary ?? null,
    levelText: levelLabel(rubric, level),
  };
}

export function levelLabel(rubric: Rubric, level: number): string {
  return `${level} · ${levelName(rubric, level)}`;
}

export function scoreText(score: number | undefined): string {
  return score === undefined ? '–' : `${Math.round(score)} of 100`;
}

export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

/** Anchors built from positions, never from (untrusted) ids. */
export function aspectAnchors(rubric: Rubric): Map<string, string> {
  return new Map(rubric.aspects.map((a, i) => [a.id, `aspect-${i + 1}`]));
}

export function answerText(question: Question | undefined, answer: Response['answer'] | readonly string[]): string {
  if (answer === NOT_APPLICABLE) return 'Not applicable';
  return answer.map((id) => question?.choices.find((c) => c.id === id)?.label ?? id).join('; ');
}

export function responseLevel(rubric: Rubric, question: Question | undefined, answer: Response['answer']): number | undefined {
  return answer === NOT_APPLICABLE || !question ? undefined : answerLevel(rubric, question, answer);
}

export function findQuestionIn(rubric: Rubric, id: string): Question | undefined {
  for (const a of rubric.aspects) for (const q of a.questions) if (q.id === id) return q;
  return undefined;
}

export function recommendationTitle(rubric: Rubric, id: string): string {
  for (const a of rubric.aspects) for (const r of a.recommendations) if (r.id === id) return r.title;
  return id;
}

/** More respondents than this, and the HTML shows distributions rather than every individual answer. */
export const MANY_RESPONDENTS = 8;

/** How many respondents answered a question at each level (highest first, "not applicable" last), and the median. */
export function levelDistribution(
  rubric: Rubric,
  question: Question | undefined,
  responses: readonly Response[],
): {
  readonly rows: readonly { readonly levelText: string; readonly count: number; readonly percent: number }[];
  readonly text: string;
  readonly medianText: string;
} {
  const levels = responses.map((r) => responseLevel(rubric, question, r.answer)).filter((l): l is number => l !== undefined);
  const notApplicable = responses.length - levels.length;
  const counted = [...new Set(levels)]
    .sort((a, b) => b - a)
    .map((l) => ({ levelText: levelLabel(rubric, l), count: levels.filter((x) => x === l).length }));
  if (notApplicable > 0) counted.push({ levelText: 'Not applicable', count: notApplicable });
  const rows = counted.map((b) => ({ ...b, percent: percentOf(b.count, responses.length) }));
  const sorted = [...levels].sort((a, b) => a - b);
  // The lower median, as combining answers takes it.
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    rows,
    text: `${plural(responses.length, 'respondent')}: ${rows.map((x) => `${x.count} at ${x.levelText}`).join(', ')}`,
    medianText: median === undefined ? 'no median: nobody chose an answer' : `median ${levelLabel(rubric, median)}`,
  };
}
