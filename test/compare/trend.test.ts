// Level and score per aspect across periods, and how that reads as a table.
import { describe, expect, it } from 'vitest';
import { renderTrend } from '../../src/views/trend.js';
import { sparkline, trendOf } from '../../src/compare/trend.js';
import { displayWidth } from '../../src/text.js';
import { quarterOf, v1, v2 } from './quarters.js';

const periods = ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1'];
const quarters = periods.map((p, i) =>
  quarterOf(i < 4 ? v1 : v2, p, [
    ['build', `l${1 + (i % 5)}`],
    ['metrics', 'l3'],
  ]),
);
const t = trendOf([...quarters].reverse());

describe('trend', () => {
  it('orders periods oldest first and scores each with its own rubric', () => {
    expect(t.periods.map((p) => p.period)).toEqual(periods);
    expect(t.aspects.find((a) => a.aspect === 'delivery')!.points.map((p) => p?.level)).toEqual([1, 2, 3, 4, 5, 1, 2, 3]);
    expect(t.rubricChanges).toEqual([{ period: '2026-Q2', from: quarters[0]!.state.rubric, to: quarters[4]!.state.rubric }]);
  });

  it('shows the latest periods that fit 80 columns, marks the rubric change, and draws a sparkline only when asked', () => {
    const text = renderTrend(t, { width: 80, sparkline: false });
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toMatch(/the last 7 of 8 periods; --json has them all/);
    expect(text).toContain('2027-Q1');
    expect(text).toMatch(/^aspect +2025-Q3 +2025-Q4 /m);
    expect(text).toMatch(/2026-Q2†/);
    expect(text).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(renderTrend(t, { width: 200, sparkline: true })).toMatch(/^delivery .* ▁▃▅▇█▁▃▅$/m);
  });

  it('draws scores on a fixed 0–100 scale, with a gap for a missing period', () => {
    expect(sparkline([0, 50, 100, null, 99])).toBe('▁▅█ █');
  });
});
