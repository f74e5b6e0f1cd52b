// What the organisation view's HTML page shows besides its view model: the heatmap cut into tables narrow enough to
// read on a screen and to print on A4 without the browser shrinking the whole page. A rubric of up to
// MOST_ASPECT_COLUMNS aspects (views/columns.ts; the built-in one has six) gets one table; more (DSOMM's 19
// sub-dimensions) get several of about equal width, each repeating the scope column, the last with the overall level
// and the coverage (as in the Markdown table). The JSON and Markdown views keep the model's one heatmap. Pure.

import { evenRuns } from '../columns.js';
import type { HeatmapRow, PortfolioModel } from './model.js';

/**
 * Column headings and level cells keep their words whole ("Orchestration", "4 · Improve"); text with a word longer than
 * this (a compound, a hostile string) may break anywhere, or it would widen the table past the page.
 */
export const LONGEST_WHOLE_WORD = 16;

const hasLongWord = (text: string): boolean => text.split(/\s+/).some((w) => [...w].length > LONGEST_WHOLE_WORD);

export interface HeatmapColumn {
  readonly aspect: string;
  readonly title: string;
  /** The title has a word longer than LONGEST_WHOLE_WORD characters: its heading may break inside words. */
  readonly longWord: boolean;
}

export interface HeatmapTable {
  readonly caption: string;
  /** Shown when the heatmap is cut into several tables, which the reader must tell apart; else for screen readers. */
  readonly captionClass: 'part-caption' | 'visually-hidden';
  /** The last table holds the overall level and the coverage. */
  readonly last: boolean;
  /**
   * No level or coverage text in the table has a word longer than LONGEST_WHOLE_WORD: its cells break only between
   * words. (Cells that may break anywhere were squeezed by the table layout into "4 · Improv / e" on A4.)
   */
  readonly wholeWords: boolean;
  readonly columns: readonly HeatmapColumn[];
  readonly rows: readonly HeatmapRow[];
  readonly org: HeatmapRow;
}

export interface PortfolioPage extends PortfolioModel {
  readonly heatmapTables: readonly HeatmapTable[];
}

export function portfolioPage(model: PortfolioModel): PortfolioPage {
  const { columns, rows, org } = model.heatmap;
  const runs = evenRuns(columns.length);
  const count = runs.length;
  const whole = `Level of each scope in each ${model.nouns.aspect}`;
  const heatmapTables = runs.map(([from, to], t): HeatmapTable => {
    const part = (row: HeatmapRow): HeatmapRow => ({ ...row, cells: row.cells.slice(from, to) });
    return {
      caption: count === 1 ? whole : `Level of each scope in ${model.nouns.aspects} ${from + 1}–${to} of ${columns.length}`,
      captionClass: count === 1 ? 'visually-hidden' : 'part-caption',
      last: t === count - 1,
      columns: columns.slice(from, to).map((c) => ({ ...c, longWord: hasLongWord(c.title) })),
      rows: rows.map(part),
      org: part(org),
      wholeWords: ![...rows, org].some(
        (row) => hasLongWord(row.overallText) || hasLongWord(row.coverageText) || row.cells.some((c) => hasLongWord(c.levelText)),
      ),
    };
  });
  return { ...model, heatmapTables };
}
