// How the report puts levels, scores, answers and names into words; shared by its sections.

import { answerLevel } from '../../assessment/scoring.js';
import type { AssessmentState, Response } from '../../assessment/state.js';
import { levelName } from '../../rubric/levels.js';
import { NOT_APPLICABLE, type Question, type Rubric } from '../../rubric/types.js';
import type { LevelFields } from './types.js';

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
