// Which two assessments a diff compares, and which series a trend shows.
import { describe, expect, it } from 'vitest';
import type { AssessmentState } from '../../src/assessment/state.js';
import { UsageError } from '../../src/errors.js';
import { compareVersions } from '../../src/compare/rubricDiff.js';
import { choosePair, choosePrevious, chooseSeries } from '../../src/compare/select.js';

let seq = 0;
const a = (id: string, lastSeq = ++seq): AssessmentState => {
  const [org, scope, period] = id.split('/') as [string, string, string];
  return { id, org, scope, period: period.toUpperCase(), lastSeq } as AssessmentState;
};
const all = [
  a('acme/platform/2026-q1', 10),
  a('acme/platform/2026-q3', 11),
  a('acme/platform/2026-q2', 12),
  a('acme/data/2026-q2', 5),
  a('acme/data/2026-q3', 6),
];
const ids = (p: { from: AssessmentState; to: AssessmentState }) => [p.from.id, p.to.id];
const usage = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('choosing FROM and TO', () => {
  it('defaults to the two latest periods of the most recently changed assessment’s org and scope', () => {
    expect(ids(choosePair(all, []))).toEqual(['acme/platform/2026-q2', 'acme/platform/2026-q3']);
  });
  it('takes periods in any case, within --org and --scope', () => {
    expect(ids(choosePair(all, ['2026-q2', '2026-Q3'], { org: 'ACME', scope: 'Data' }))).toEqual([
      'acme/data/2026-q2',
      'acme/data/2026-q3',
    ]);
  });
  it('compares one named period with the period before it', () => {
    expect(ids(choosePair(all, ['2026-Q2']))).toEqual(['acme/platform/2026-q1', 'acme/platform/2026-q2']);
  });
  it('takes ids, and periods in the series of the id given', () => {
    expect(ids(choosePair(all, ['acme/data/2026-q2', '2026-Q3']))).toEqual(['acme/data/2026-q2', 'acme/data/2026-q3']);
  });
  it('refuses two assessments of different scopes', () => {
    expect(usage(() => choosePair(all, ['acme/data/2026-q2', 'acme/platform/2026-q3']))).toMatch(/must be the same org and scope/);
  });
  it('refuses a period the series does not have, listing the ones it has', () => {
    expect(usage(() => choosePair(all, ['2025-Q4', '2026-Q1']))).toMatch(
      /no assessment for 2025-Q4 \(periods: 2026-Q1, 2026-Q2, 2026-Q3\)/,
    );
  });
  it('explains that a single period has nothing to compare with', () => {
    expect(usage(() => choosePair([a('solo/all/2026-q4')], []))).toMatch(/no earlier period.*only assessment of solo\/all.*--from/s);
  });
  it('asks for --scope when an org has several', () => {
    expect(usage(() => chooseSeries(all, { org: 'acme' }))).toMatch(/2 scopes; say which with --scope/);
  });
});

describe('choosing the assessment to carry over', () => {
  it('takes a period of the new assessment’s org and scope, or any id', () => {
    expect(choosePrevious(all, '2026-Q3', { org: 'acme', scope: 'data' }).id).toBe('acme/data/2026-q3');
    expect(choosePrevious(all, 'acme/platform/2026-q1', { org: 'acme', scope: 'data' }).id).toBe('acme/platform/2026-q1');
  });
});

describe('rubric versions', () => {
  it.each([
    ['1.10.0', '1.9.0', 1],
    ['1.0.0', '1.0', 0],
    ['1.0.0', '1.1.0', -1],
    // A pre-release comes before its release: a re-run keeps 1.0.0 over 1.0.0-rc.1.
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['2.0.0', '1.99.99', 1],
  ])('orders %s against %s as %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
