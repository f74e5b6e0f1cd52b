// What the report's HTML page shows besides its view model: the trend table cut into tables narrow enough to read on
// a screen and to print on A4, as the organisation view cuts its heatmap (portfolio/page.ts). A rubric of up to
// MOST_ASPECT_COLUMNS aspects (views/columns.ts; the built-in one has six) gets one table; more (DSOMM's 19
// sub-dimensions, which printed one letter a line in 20 columns) get several of about equal width, each repeating the
// period, the first with the overall level. The JSON and Markdown views keep the model's one table. Pure.

import { evenRuns } from '../columns.js';
import type { ReportModel } from './model.js';
import type { TrendRow } from './types.js';

export interface TrendTable {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly TrendRow[];
}

export interface ReportPage extends ReportModel {
  readonly trendTables: readonly TrendTable[];
}

const WHOLE = 'Level (and score) by period';

export function reportPage(model: ReportModel): ReportPage {
  const { columns, rows } = model.trend;
  // The model's columns and cells: the overall level first, then one per aspect.
  const aspects = Math.max(0, columns.length - 1);
  const runs = evenRuns(aspects);
  const count = runs.length;
  const trendTables = runs.map(([from, to], t): TrendTable => {
    const part = <T>(list: readonly T[]): T[] => [...list.slice(t === 0 ? 0 : 1 + from, 1 + to)];
    return {
      caption: count === 1 ? WHOLE : `${WHOLE}: ${t === 0 ? 'overall and ' : ''}${model.nouns.aspects} ${from + 1}–${to} of ${aspects}`,
      columns: part(columns),
      rows: rows.map((row) => ({ ...row, cells: part(row.cells) })),
    };
  });
  return { ...model, trendTables };
}
