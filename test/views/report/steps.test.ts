// The roadmap, tracked: step statuses in the decider, the report model and the CSV backlog export.
import { refusalOf } from '../../support/refusal.js';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/assessment/decider.js';
import { evolve, type AssessmentState } from '../../../src/assessment/state.js';
import { DomainError } from '../../../src/errors.js';
import { csvCell, renderRoadmapCsv } from '../../../src/views/report/csv.js';
import { buildReportModel } from '../../../src/views/report/model.js';
import { aspect, question, recommendation, rubric } from '../../support/rubrics.js';
import { assessment } from './fixtures.js';

// One aspect of two questions; its steps raise q-a to 3 and q-b to 3 and 4.
const r = rubric([
  aspect('ops', [question('q-a'), question('q-b')], {
    recommendations: [
      recommendation('ops-a3', 3, { raises: [{ question: 'q-a' }], title: '=HYPERLINK("https://evil.example","click")' }),
      recommendation('ops-b3', 3, { raises: [{ question: 'q-b' }], title: 'Write, "review" and\nship it' }),
      recommendation('ops-b4', 4, { raises: [{ question: 'q-b' }], title: '@SUM(1+1)' }),
    ],
  }),
]);

/** Applies commands through the decider and evolve, as the workspace does. */
function run(state: AssessmentState, ...commands: Parameters<typeof decide>[0][]): AssessmentState {
  let s = state;
  let seq = s.lastSeq;
  for (const c of commands)
    for (const e of decide(c, s, r))
      s = evolve(s, e, {
        stream: `assessment/${s.id}`,
        seq: ++seq,
        version: seq,
        at: '2026-11-20T10:00:00.000Z',
        actor: 'lead',
      })!;
  return s;
}

const refused = (f: () => unknown): string => refusalOf(DomainError, f);

const answered = () =>
  assessment(r, {
    period: '2026-Q4',
    answers: [
      { question: 'q-a', answer: ['l2'] },
      { question: 'q-b', answer: ['l3'] },
    ],
    targets: { ops: 4 },
  });

describe('step statuses', () => {
  it('refuse an unknown step (naming the near one or those with its word), an unknown status, a bad date, a wont-do without why', () => {
    const s = answered();
    expect(refused(() => run(s, { type: 'SetStepStatus', step: 'ops-a', status: 'done' }))).toMatch(
      /no step "ops-a"; did you mean "ops-a3"/,
    );
    expect(refused(() => run(s, { type: 'SetStepStatus', step: 'zzz', status: 'done' }))).toMatch(/the report shows each step’s id/);
    expect(refused(() => run(s, { type: 'SetStepStatus', step: 'ops-a3', status: 'finished' as never }))).toMatch(
      /not a step status.*planned, in-progress, done, wont-do/,
    );
    expect(refused(() => run(s, { type: 'SetStepStatus', step: 'ops-a3', status: 'planned', due: '2027-02-30' }))).toMatch(/not a date/);
    expect(refused(() => run(s, { type: 'SetStepStatus', step: 'ops-a3', status: 'wont-do' }))).toMatch(/needs a note: the risk accepted/);
  });

  it('keep owner and due date across status changes, drop a note that explained another status, and repeat nothing', () => {
    let s = run(answered(), {
      type: 'SetStepStatus',
      step: 'ops-a3',
      status: 'in-progress',
      owner: 'priya',
      due: '2027-03-31',
      note: 'waiting on CI',
    });
    s = run(s, { type: 'SetStepStatus', step: 'ops-a3', status: 'done' });
    expect(s.steps.get('ops-a3')).toMatchObject({ status: 'done', owner: 'priya', due: '2027-03-31', by: 'lead' });
    expect(s.steps.get('ops-a3')?.note).toBeUndefined();
    const again = decide({ type: 'SetStepStatus', step: 'ops-a3', status: 'done' }, s, r);
    expect(again).toEqual([]);
  });

  it('can be set on a completed assessment: the work its roadmap started goes on', () => {
    const s = run(answered(), { type: 'CompleteAssessment' }, { type: 'SetStepStatus', step: 'ops-b3', status: 'planned' });
    expect(s.status).toBe('completed');
    expect(s.steps.get('ops-b3')?.status).toBe('planned');
  });
});

describe('the report, tracked', () => {
  const model = (s: AssessmentState, generatedAt = '2026-12-01T08:00:00.000Z') =>
    buildReportModel({ state: s, rubric: r, history: [{ state: s, rubric: r }], generatedAt });

  it('shows each step’s status, owner and due date, counts them in the summary, and flags overdue and done-but-open', () => {
    const s = run(
      answered(),
      { type: 'SetStepStatus', step: 'ops-a3', status: 'done' },
      { type: 'SetStepStatus', step: 'ops-b4', status: 'in-progress', owner: 'jonas', due: '2026-11-30' },
    );
    const m = model(s);
    const steps = m.roadmap.phases.flatMap((p) => p.steps);
    const a3 = steps.find((x) => x.id === 'ops-a3');
    // q-a is still at 2: the answers say the step is not done.
    expect(a3?.status).toBe('done');
    expect(a3?.tracking.disagreementText).toBe(
      'Marked done on 2026-11-20 by lead, but the answers still call for it: q-a is “level 2” (2 · Operate).',
    );
    const b4 = steps.find((x) => x.id === 'ops-b4');
    expect(b4?.tracking).toMatchObject({ statusText: 'In progress', owner: 'jonas', dueText: 'due 2026-11-30, overdue', overdue: true });
    expect(m.roadmap.trackingText).toBe(
      '1 done and 1 in progress (of 2 steps); 1 overdue; 1 step marked done that the answers do not show done yet.',
    );
    expect(m.summary.paragraphs.at(-1)).toMatch(/^Roadmap steps: 1 done and 1 in progress/);
    // Not overdue on the day it is due, nor as of an earlier date, nor as of a seq number recorded before it was due.
    expect(model(s, '2026-11-30T20:00:00.000Z').roadmap.trackingText).not.toMatch(/overdue/);
    const asOfSeq = buildReportModel({
      state: s,
      rubric: r,
      history: [{ state: s, rubric: r }],
      generatedAt: '2026-12-01T08:00:00.000Z',
      asOf: String(s.lastSeq),
    });
    expect(asOfSeq.roadmap.trackingText).not.toMatch(/overdue/);
  });

  it('lists steps done and confirmed by the answers apart from the roadmap', () => {
    const s = run(answered(), { type: 'SetStepStatus', step: 'ops-b3', status: 'done', note: 'merged in October' });
    const m = model(s);
    // q-b is at 3 already: ops-b3 is not in the roadmap, and the report still shows it was tracked and done.
    expect(m.roadmap.phases.flatMap((p) => p.steps).map((x) => x.id)).not.toContain('ops-b3');
    expect(m.roadmap.trackedElsewhere).toMatchObject([
      { id: 'ops-b3', statusText: 'Done', note: 'merged in October', disagreementText: null },
    ]);
  });
});

describe('the roadmap as CSV', () => {
  it('is RFC 4180 that a CSV parser reads back cell for cell, with formula-like cells neutralised', () => {
    // q-b at 2: every step of the aspect is in the roadmap.
    const low = assessment(r, {
      period: '2026-Q4',
      answers: [
        { question: 'q-a', answer: ['l2'] },
        { question: 'q-b', answer: ['l2'] },
      ],
      targets: { ops: 4 },
    });
    const s = run(low, {
      type: 'SetStepStatus',
      step: 'ops-b4',
      status: 'planned',
      owner: '-2+3',
      due: '2027-03-31',
    });
    const m = buildReportModel({ state: s, rubric: r, history: [{ state: s, rubric: r }], generatedAt: '2026-12-01T08:00:00.000Z' });
    const csv = renderRoadmapCsv(m);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse<Record<string, string>>(csv, { columns: true, relax_quotes: false });
    const steps = m.roadmap.phases.flatMap((p) => p.steps);
    expect(rows.map((row) => row.id)).toEqual(steps.map((x) => x.id));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'title',
      'description',
      'id',
      'aspect',
      'phase',
      'level',
      'impact',
      'effort',
      'status',
      'owner',
      'due date',
      'status note',
      'requires',
      'why',
      'links',
    ]);
    const byId = new Map(rows.map((row) => [row.id, row] as const));
    expect(byId.get('ops-a3')?.title).toBe('\'=HYPERLINK("https://evil.example","click")');
    expect(byId.get('ops-b3')?.title).toBe('Write, "review" and\nship it'); // a comma, quotes and a line break, quoted
    expect(byId.get('ops-b4')).toMatchObject({ title: "'@SUM(1+1)", owner: "'-2+3", status: 'planned', 'due date': '2027-03-31' });
    expect(byId.get('ops-b4')?.description).toMatch(/^Because ops-b4\n\nBecause q-b is/);
    // No cell of any row starts as a formula.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('quotes only what needs it', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('\tx')).toBe("'\tx");
  });
});
