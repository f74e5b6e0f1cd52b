// A trend as text: one row per aspect, one column per period (the latest that fit), and a
// sparkline of the scores when the output is a terminal. Pure: model in, string out.

import { table } from './terminal.js';
import { safeText, wrap } from '../text.js';
import { sparkline, type Trend, type TrendPoint } from '../compare/trend.js';

/** The trend as a table: one row per aspect, one column per period (the latest that fit), a sparkline on a terminal. */
export function renderTrend(t: Trend, options: { width: number; sparkline: boolean }): string {
  const cell = (p: TrendPoint | null) => (p === null ? '' : p.level === null ? '–' : `L${p.level} ${p.score!.toFixed(0).padStart(3)}`);
  const changedAt = new Set(t.rubricChanges.map((c) => c.period));
  const spark = options.sparkline ? t.periods.length + 2 : 0;
  // Each period takes 10 columns with its gap; the aspect column gives up to 30 before periods are dropped.
  const titleWidth = Math.min(30, Math.max('Overall'.length, ...t.aspects.map((a) => [...a.title].length)));
  const room = Math.max(1, Math.floor((options.width - titleWidth - spark) / 10));
  const shown = t.periods.length <= room ? t.periods.map((_, i) => i) : t.periods.map((_, i) => i).slice(-room);
  const columns = [
    { header: t.nouns.aspect, flexible: true, overflow: 'wrap' as const },
    ...shown.map((i) => ({ header: `${t.periods[i]!.period}${changedAt.has(t.periods[i]!.period) ? '†' : ''}`, align: 'right' as const })),
    ...(options.sparkline ? [{ header: 'trend' }] : []),
  ];
  const row = (title: string, points: readonly (TrendPoint | null)[]) => [
    safeText(title),
    ...shown.map((i) => cell(points[i] ?? null)),
    ...(options.sparkline ? [sparkline(points.map((p) => p?.score ?? null))] : []),
  ];
  const rows = [...t.aspects.map((a) => row(a.title, a.points)), row('Overall', t.overall)];
  // The roadmap, tracked: how many steps were done by each period, once any step has a status.
  if (t.periods.some((p) => p.steps.tracked > 0))
    rows.push([
      'Steps done, of tracked',
      ...shown.map((i) => {
        const s = t.periods[i]?.steps;
        return s === undefined || s.tracked === 0 ? '' : `${s.done} of ${s.tracked}`;
      }),
      ...(options.sparkline ? [''] : []),
    ]);

  const out: string[] = [];
  out.push(
    `${safeText(t.org)} / ${safeText(t.scope)}: ${t.periods.length} period${t.periods.length === 1 ? '' : 's'}, ${t.periods[0]?.period} to ${t.periods.at(-1)?.period}`,
  );
  out.push(...wrap('Each cell: level and score (0–100), as that period was scored with its own rubric.', options.width, ''), '');
  out.push(table(columns, rows, options.width).trimEnd());
  if (shown.length < t.periods.length) out.push(`(the last ${shown.length} of ${t.periods.length} periods; --json has them all)`);
  for (const c of t.rubricChanges) {
    out.push(
      ...wrap(
        `† ${c.period} onwards: rubric ${c.to.id} ${c.to.version} (before: ${c.from.version}). A step here may come from the rubric; \`cnassess diff\` across it compares like for like.`,
        options.width,
        '',
        '  ',
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
