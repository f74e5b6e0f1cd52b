// Level and score per aspect across every period of one org and scope. Each period is scored with
// the rubric it was answered against, as its own report said; where the rubric version changes the
// series says so, because a step there may come from the rubric rather than from the organisation.

import type { AspectScore } from '../assessment/scoring.js';
import { scoreAssessment } from '../assessment/state.js';
import type { Nouns, Rubric, RubricRef } from '../rubric/types.js';
import { levelName, nounsOf } from '../rubric/levels.js';
import type { Quarter } from './compare.js';

export interface TrendPoint {
  readonly level: number | null;
  readonly levelName: string | null;
  readonly score: number | null;
  readonly coverage: number;
  readonly target: number | null;
}

export interface TrendSeries {
  readonly aspect: string;
  readonly title: string;
  /** One per period, aligned with `periods`; null where that period's rubric has no such aspect. */
  readonly points: readonly (TrendPoint | null)[];
}

export interface Trend {
  readonly org: string;
  readonly scope: string;
  readonly periods: readonly {
    readonly id: string;
    readonly period: string;
    readonly status: 'open' | 'completed';
    readonly rubric: RubricRef;
    /** Roadmap steps marked done in that period, of those given any status (`cnassess step`). */
    readonly steps: { readonly done: number; readonly tracked: number };
  }[];
  /** Where the rubric changed: the first period answered against the new one. */
  readonly rubricChanges: readonly { readonly period: string; readonly from: RubricRef; readonly to: RubricRef }[];
  readonly overall: readonly TrendPoint[];
  readonly aspects: readonly TrendSeries[];
  /** What the newest rubric calls an aspect. */
  readonly nouns: Nouns;
}

/** Orders periods ("2026-Q3") oldest first, whatever their case. */
export function comparePeriods(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `quarters` in any order; the trend runs oldest period first. */
export function trendOf(quarters: readonly Quarter[]): Trend {
  const sorted = [...quarters].sort((a, b) => comparePeriods(a.state.period, b.state.period));
  const cards = sorted.map((q) => ({ q, card: scoreAssessment(q.rubric, q.state) }));
  const latest = sorted.at(-1);

  // The newest rubric's aspects first, then any that only older periods had.
  const titles = new Map<string, string>();
  for (const { q } of [...cards].reverse()) for (const a of q.rubric.aspects) if (!titles.has(a.id)) titles.set(a.id, a.title);

  const point = (
    rubric: Rubric,
    a: AspectScore | { level?: number; score?: number; coverage: number },
    target: number | null,
  ): TrendPoint => ({
    level: a.level ?? null,
    levelName: a.level === undefined ? null : levelName(rubric, a.level),
    score: a.score ?? null,
    coverage: a.coverage,
    target,
  });

  const rubricChanges = sorted.flatMap((q, i) => {
    const previous = sorted[i - 1];
    return previous && previous.state.rubric.digest !== q.state.rubric.digest
      ? [{ period: q.state.period, from: previous.state.rubric, to: q.state.rubric }]
      : [];
  });

  return {
    nouns: latest === undefined ? nounsOf({}) : nounsOf(latest.rubric),
    org: latest?.state.org ?? '',
    scope: latest?.state.scope ?? '',
    periods: sorted.map((q) => ({
      id: q.state.id,
      period: q.state.period,
      status: q.state.status,
      rubric: q.state.rubric,
      steps: { done: [...q.state.steps.values()].filter((s) => s.status === 'done').length, tracked: q.state.steps.size },
    })),
    rubricChanges,
    overall: cards.map(({ q, card }) => point(q.rubric, card.overall, null)),
    aspects: [...titles].map(([aspect, title]) => ({
      aspect,
      title,
      points: cards.map(({ q, card }) => {
        const a = card.aspects.find((x) => x.aspect === aspect);
        return a ? point(q.rubric, a, q.state.targets.get(aspect) ?? null) : null;
      }),
    })),
  };
}

const TICKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Scores 0–100 as block characters on a fixed scale, so two sparklines compare; a gap is a space. */
export function sparkline(scores: readonly (number | null)[]): string {
  return scores
    .map((s) => (s === null ? ' ' : TICKS[Math.min(TICKS.length - 1, Math.floor((Math.max(0, Math.min(100, s)) / 100) * TICKS.length))]))
    .join('');
}
