import { describe, expect, it } from 'vitest';
import { buildReportModel, relatedAssessments, type Assessed } from '../../../src/views/report/model.js';
import { aspect, question, recommendation, rubric } from '../../support/rubrics.js';
import { assessment, history } from './fixtures.js';
import { loadRubric } from '../../../src/source/rubricFile.js';
import { reportPage } from '../../../src/views/report/page.js';
import { evenRuns, MOST_ASPECT_COLUMNS } from '../../../src/views/columns.js';
import type { Rubric } from '../../../src/rubric/types.js';
import { importedRubric } from '../../support/models.js';

const rec = recommendation;

const r = rubric([
  aspect('ops', [question('ops-a', { gate: true }), question('ops-b'), question('ops-c', { notApplicable: true })], {
    title: 'Operations',
    recommendations: [
      rec('ops-2', 2),
      rec('ops-3', 3, { impact: 'high', links: [{ title: 'Docs', url: 'https://docs.example.com/ops' }] }),
      rec('ops-4', 4),
    ],
  }),
  aspect('sec', [question('sec-a'), question('sec-b')], {
    title: 'Security',
    recommendations: [rec('sec-2', 2, { effort: 'S' }), rec('sec-3', 3, { requires: ['ops-3'] })],
  }),
  aspect('data', [question('data-a')], { title: 'Data', recommendations: [rec('data-2', 2)] }),
]);
const GENERATED = '2026-10-02T08:00:00.000Z';
const model = (current: Assessed, all: readonly Assessed[] = [current]) =>
  buildReportModel({ ...current, ...relatedAssessments(all, current.state), generatedAt: GENERATED });

describe('the view model', () => {
  const state = assessment(r, {
    period: '2026-Q4',
    answers: [
      { question: 'ops-a', answer: ['l2'], respondent: 'alice', note: 'Runbooks at https://wiki.example.com/ops and javascript:alert(1)' },
      { question: 'ops-a', answer: ['l4'], respondent: 'bob' },
      { question: 'ops-b', answer: ['l3'], respondent: 'alice' },
      { question: 'ops-c', answer: 'n/a', respondent: 'alice', note: 'no batch jobs' },
      { question: 'sec-a', answer: ['l1'], respondent: 'alice' },
    ],
  });
  const m = model({ state, rubric: r });

  it('is plain JSON with a schema version and the injected clock', () => {
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    expect(m.schemaVersion).toBe(1);
    expect(m.generatedAt).toBe(GENERATED);
  });

  it('says how much of an unfinished assessment is answered', () => {
    // ops: a, b answered (c is n/a); sec: a of a, b; data: none → 3 of 5 applicable.
    expect(m.progress).toMatchObject({ answered: 3, applicable: 5, percent: 60, complete: false });
    expect(m.progress.text).toBe(
      'In progress: 3 of 5 applicable questions answered (60%). Levels can still change as the remaining 2 are answered.',
    );
  });

  it('names the overall level and its meaning, the strongest and weakest aspects, and what is not assessed', () => {
    expect(m.summary.headline).toBe('Acme (platform) is at level 1, Build, overall in 2026-Q4.');
    expect(m.summary.paragraphs.join(' ')).toContain('The strongest aspect is Operations (2 · Operate');
    expect(m.summary.paragraphs.join(' ')).toContain('the weakest is Security (1 · Build');
    expect(m.summary.paragraphs).toContain('Not assessed yet: Data.');
    expect(m.summary.paragraphs.join(' ')).toContain('first assessment of Acme (platform)');
  });

  it('offers the first three roadmap steps as the most valuable next steps', () => {
    expect(m.summary.nextSteps.map((s) => s.title)).toEqual(
      m.roadmap.phases
        .flatMap((p) => p.steps)
        .slice(0, 3)
        .map((s) => s.title),
    );
    // Operations aims at 3 (ops-3), Security at 2 (sec-2); Data has no level to plan from.
    expect(m.summary.nextStepsIntro).toBe('The two most valuable next steps:');
  });

  it('shows per aspect the level, what holds it back, the evidence and the disagreements', () => {
    const ops = m.aspects[0]!;
    // The gate ops-a: alice 2, bob 4 → lower median 2; ops-b at 3 → majority 2, gate 2 → level 2.
    expect(ops).toMatchObject({
      level: 2,
      levelName: 'Operate',
      levelText: '2 · Operate',
      anchor: 'aspect-1',
      coverageText: '2 of 2 answered (100%), 1 not applicable',
    });
    expect(ops.holdingBack.map((h) => [h.questionId, h.question, h.answer, h.gate])).toEqual([['ops-a', 'ops-a?', 'level 2', true]]);
    expect(ops.disagreements).toEqual([
      {
        questionId: 'ops-a',
        question: 'ops-a?',
        spread: 2,
        spreadText: 'answers 2 levels apart',
        consequential: true,
        impactText: 'The aspect stands at 2 · Operate. Settled at an answer at 2 · Operate → 2 · Operate; at 4 · Improve → 3 · Scale.',
        countsAsText: 'Until it is settled, it counts at the median answer: 2 · Operate.',
        lapsedText: null,
        distribution: [
          { levelText: '4 · Improve', count: 1, percent: 50 },
          { levelText: '2 · Operate', count: 1, percent: 50 },
        ],
        distributionText: '2 respondents: 1 at 4 · Improve, 1 at 2 · Operate; median 2 · Operate.',
        answers: [
          { respondent: 'alice', answer: 'level 2', levelText: '2 · Operate' },
          { respondent: 'bob', answer: 'level 4', levelText: '4 · Improve' },
        ],
      },
    ]);
    // The lower answer decides the gate, so the level rests on a disagreement that could move it: provisional.
    expect(ops.provisional).toBe(true);
    expect(ops.provisionalText).toMatch(/^Respondents disagree on “ops-a\?”, and settling it could move this level/);
    expect(m.summary.paragraphs.join(' ')).toContain('Provisional: the level of Operations rests on disagreements nobody has settled yet');
    expect(ops.evidence.map((e) => [e.questionId, e.respondent])).toEqual([
      ['ops-a', 'alice'],
      ['ops-c', 'alice'],
    ]);
    expect(ops.evidence[0]!.segments.filter((s) => s.href !== null).map((s) => s.href)).toEqual(['https://wiki.example.com/ops']);
    expect(m.aspects[2]).toMatchObject({
      level: null,
      levelText: 'not assessed yet',
      unanswered: [{ questionId: 'data-a', question: 'data-a?' }],
    });
  });

  it('calls answers one level apart a disagreement, provisional only where settling could move the level', () => {
    const s = assessment(r, {
      period: '2026-Q4',
      answers: [
        { question: 'sec-a', answer: ['l2'], respondent: 'a' },
        { question: 'sec-a', answer: ['l3'], respondent: 'b' },
        { question: 'sec-b', answer: ['l2'], respondent: 'a' },
      ],
    });
    const sec = model({ state: s, rubric: r }).aspects[1]!;
    expect(sec.disagreements.map((d) => [d.questionId, d.spreadText, d.consequential])).toEqual([
      ['sec-a', 'answers 1 level apart', false],
    ]);
    expect(sec.provisional).toBe(false);
  });

  it('shows a consensus in force with its rationale instead of the disagreement it settled, and who is still answering', () => {
    const s = assessment(r, {
      period: '2026-Q4',
      answers: [
        { question: 'ops-a', answer: ['l2'], respondent: 'alice' },
        { question: 'ops-a', answer: ['l4'], respondent: 'bob' },
        { question: 'ops-b', answer: ['l3'], respondent: 'alice' },
      ],
      events: [
        { type: 'RespondentsInvited', data: { respondents: ['alice', 'bob', 'carol'] } },
        {
          type: 'ConsensusRecorded',
          data: {
            question: 'ops-a',
            answer: ['l3'],
            rationale: 'Agreed in the review: the runbooks cover 7 of 9 services',
            facilitator: 'carol',
            settled: [
              { respondent: 'alice', answer: ['l2'] },
              { respondent: 'bob', answer: ['l4'] },
            ],
          },
        },
      ],
    });
    const built = model({ state: s, rubric: r });
    const ops = built.aspects[0]!;
    expect(ops.disagreements).toEqual([]);
    expect(ops.provisional).toBe(false);
    expect(ops.level).toBe(3);
    expect(ops.consensus).toEqual([
      {
        questionId: 'ops-a',
        question: 'ops-a?',
        answer: 'level 3',
        levelText: '3 · Scale',
        rationale: 'Agreed in the review: the runbooks cover 7 of 9 services',
        facilitator: 'carol',
        on: '2026-07-01',
        settledText: 'Settled alice (level 2) and bob (level 4).',
      },
    ]);
    expect(built.respondents.rows.map((x) => [x.respondent, x.invitedText, x.answeredText, x.done])).toEqual([
      ['alice', 'invited', '2 of 6', false],
      ['bob', 'invited', '1 of 6', false],
      ['carol', 'invited', '0 of 6', false],
    ]);
    expect(built.respondents.text).toBe(
      '3 respondents were expected: 0 done; still answering: alice (2 of 6), bob (1 of 6) and carol (0 of 6).',
    );
  });

  it('plans the roadmap in phases, each step with why, effort and only http(s) links', () => {
    const steps = m.roadmap.phases.flatMap((p) => p.steps);
    expect(steps.map((s) => s.number)).toEqual(steps.map((_, i) => i + 1));
    const ops3 = steps.find((s) => s.id === 'ops-3')!;
    expect(ops3).toMatchObject({
      why: 'Because ops-3',
      effortText: 'medium effort',
      impactText: 'high impact',
      links: [{ title: 'Docs', href: 'https://docs.example.com/ops' }],
    });
    const sec2 = steps.find((s) => s.id === 'sec-2')!;
    expect(sec2.reason).toBe('Part of taking Security from 1 · Build toward 2 · Operate.');
    expect(m.roadmap.notPlanned).toBe('Not planned until answered: Data.');
  });

  it('lists every answer in the appendix, with who gave it and when', () => {
    expect(m.appendix.answerCount).toBe(5);
    expect(m.appendix.aspects.map((a) => a.title)).toEqual(['Operations', 'Security']);
    expect(m.appendix.aspects[0]!.answers.map((a) => [a.questionId, a.respondent, a.answer])).toEqual([
      ['ops-a', 'alice', 'level 2'],
      ['ops-a', 'bob', 'level 4'],
      ['ops-b', 'alice', 'level 3'],
      ['ops-c', 'alice', 'Not applicable'],
    ]);
    expect(m.appendix.aspects[0]!.answers[0]!.at).toMatch(/^2026-07-01 09:01 UTC$/);
  });

  it('records the rubric id, version and digest', () => {
    expect(m.rubric).toMatchObject({ id: 'test', version: '1.0.0', digest: state.rubric.digest });
    expect(m.rubric.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('compared with the previous assessment of the same org and scope', () => {
  const before = assessment(r, {
    period: '2026-Q3',
    firstSeq: 1,
    answers: ['ops-a', 'ops-b', 'sec-a', 'sec-b'].map((q) => ({ question: q, answer: ['l1'] })),
  });
  const after = assessment(r, {
    period: '2026-Q4',
    firstSeq: 100,
    answers: [
      ...['ops-a', 'ops-b'].map((q) => ({ question: q, answer: ['l3'] })),
      ...['sec-a', 'sec-b'].map((q) => ({ question: q, answer: ['l1'] })),
    ],
  });
  const otherScope = assessment(r, { period: '2026-Q2', scope: 'payments', answers: [{ question: 'ops-a', answer: ['l5'] }] });
  const later = assessment(r, { period: '2027-Q1', answers: [{ question: 'ops-a', answer: ['l5'] }] });
  const all = [otherScope, later, after, before].map((state) => ({ state, rubric: r }));

  it('finds the latest earlier period of the same org and scope, and the history up to this one', () => {
    const related = relatedAssessments(all, after);
    expect(related.previous?.state.id).toBe('acme/platform/2026-q3');
    expect(related.history.map((h) => h.state.period)).toEqual(['2026-Q3', '2026-Q4']);
  });

  it('says what changed, overall and per aspect', () => {
    const m = model({ state: after, rubric: r }, all);
    const change = m.summary.paragraphs.find((p) => p.startsWith('Since 2026-Q3'))!;
    expect(change).toBe(
      'Since 2026-Q3, the overall level is unchanged at 1 · Build and the score rose from 0 to 25. Operations rose from 1 · Build to 3 · Scale.',
    );
    expect(m.aspects[0]!.changeText).toBe('Up from 1 · Build in 2026-Q3.');
    expect(m.radar.rows[0]).toMatchObject({ currentText: '3 · Scale', previousText: '1 · Build', changeText: '▲ up 2' });
    expect(m.radar.hasPrevious).toBe(true);
  });

  it('draws a trend only when there are several periods', () => {
    expect(model({ state: after, rubric: r }, all).trend).toMatchObject({
      show: true,
      columns: ['Overall', 'Operations', 'Security', 'Data'],
    });
    expect(model({ state: before, rubric: r }, [{ state: before, rubric: r }]).trend.show).toBe(false);
  });
});

describe('an assessment without answers', () => {
  it('says there is no level yet and plans nothing', () => {
    const m = model({ state: assessment(r, { period: '2026-Q4', answers: [] }), rubric: r });
    expect(m.summary.headline).toBe('Acme (platform) has no answered question yet for 2026-Q4, so there is no level to report.');
    expect(m.overall).toMatchObject({ level: null, score: null, levelText: 'not assessed yet' });
    expect(m.roadmap.empty).toBe(true);
    expect(m.appendix.answerCount).toBe(0);
  });
});

describe('the built-in rubric with a year of history', () => {
  it('shows twelve periods in the trend, with the current one marked', async () => {
    const { rubric: builtIn } = await loadRubric();
    const all = history(builtIn, 12);
    const m = model(all.at(-1)!, all);
    expect(m.trend.rows).toHaveLength(12);
    expect(m.trend.rows.filter((row) => row.current).map((row) => row.period)).toEqual(['2026-Q4']);
    expect(m.radar.rows).toHaveLength(6);
  });
});

describe('targets', () => {
  it('say when a set target is already reached', () => {
    const state = assessment(r, {
      period: '2026-Q4',
      answers: [
        { question: 'sec-a', answer: ['l3'] },
        { question: 'ops-a', answer: ['l2'] },
      ],
      targets: { sec: 2, ops: 4 },
    });
    const m = model({ state, rubric: r });
    expect(m.aspects.map((a) => a.targetText)).toEqual(['4 · Improve (set)', '2 · Operate (set; reached)', 'none until assessed']);
    expect(m.radar.rows.map((row) => row.targetText)).toEqual(['4 · Improve (set)', '2 · Operate (set; reached)', '–']);
    expect(m.roadmap.phases.flatMap((p) => p.steps).map((s) => s.id)).toEqual(['ops-3', 'ops-4']);
  });
});

describe('the trend on the HTML page', () => {
  const pageOf = (rubricOf: Rubric, periods: number) => {
    const all = history(rubricOf, periods);
    return reportPage(model(all.at(-1)!, all));
  };

  it('is one table for the built-in rubric’s six aspects: the model’s columns and rows, as they are', async () => {
    const page = pageOf((await loadRubric()).rubric, 4);
    expect(page.trendTables).toEqual([{ caption: 'Level (and score) by period', columns: page.trend.columns, rows: page.trend.rows }]);
  });

  it(`is cut into tables of at most ${MOST_ASPECT_COLUMNS} about equal aspects for more, the overall level first, every period in each`, () => {
    const page = pageOf(importedRubric('dsomm'), 3);
    const { columns, rows } = page.trend;
    expect(columns).toHaveLength(20);
    expect(page.trendTables.map((t) => t.columns.length)).toEqual([6, 5, 5, 4]);
    expect(page.trendTables.map((t) => t.caption)).toEqual([
      'Level (and score) by period: overall and sub-dimensions 1–5 of 19',
      'Level (and score) by period: sub-dimensions 6–10 of 19',
      'Level (and score) by period: sub-dimensions 11–15 of 19',
      'Level (and score) by period: sub-dimensions 16–19 of 19',
    ]);
    // Put back together, the tables are the model's one table, row by row.
    expect(page.trendTables.flatMap((t) => t.columns)).toEqual(columns);
    rows.forEach((row, i) => {
      expect(page.trendTables.map((t) => t.rows[i]?.period)).toEqual(Array<string>(4).fill(row.period));
      expect(page.trendTables.flatMap((t) => t.rows[i]?.cells ?? [])).toEqual(row.cells);
    });
  });
});

describe('cutting a wide table into tables that fit', () => {
  it('makes the fewest tables of at most six columns, their sizes one apart at most, every column once and in order', () => {
    const sizes = (n: number) => evenRuns(n).map(([from, to]) => to - from);
    expect(sizes(6)).toEqual([6]);
    expect(sizes(7)).toEqual([4, 3]);
    expect(sizes(13)).toEqual([5, 4, 4]);
    expect(sizes(19)).toEqual([5, 5, 5, 4]);
    expect(sizes(31)).toEqual([6, 5, 5, 5, 5, 5]);
    expect(evenRuns(0)).toEqual([[0, 0]]);
    for (let n = 1; n <= 200; n++) {
      const runs = evenRuns(n);
      expect(runs.length, `${n}`).toBe(Math.ceil(n / MOST_ASPECT_COLUMNS));
      expect(
        runs.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i)),
        `${n}`,
      ).toEqual(Array.from({ length: n }, (_, i) => i));
      const lengths = runs.map(([from, to]) => to - from);
      expect(Math.max(...lengths) - Math.min(...lengths), `${n}`).toBeLessThanOrEqual(1);
      expect(Math.max(...lengths), `${n}`).toBeLessThanOrEqual(MOST_ASPECT_COLUMNS);
    }
  });
});
