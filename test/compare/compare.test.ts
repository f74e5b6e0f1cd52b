// Comparing two quarters: given two assessments (and the rubrics they used), then this progress.
import { describe, expect, it } from 'vitest';
import { compareAssessments } from '../../src/compare/compare.js';
import { quarterOf, v1, v2, withQuestion } from './quarters.js';

const aspect = (p: ReturnType<typeof compareAssessments>, id: string) => p.aspects.find((a) => a.aspect === id)!;

describe('quarters answered against the same rubric', () => {
  const before = quarterOf(v1, '2026-Q1', [
    ['build', 'l2'],
    ['deploy', 'l2'],
    ['freq', 'l2'],
    ['metrics', 'l3'],
    ['alerts', 'l3'],
    ['legacy', 'l3'],
  ]);
  const after = quarterOf(v1, '2026-Q2', [
    ['build', 'l3'],
    ['deploy', 'l3'],
    ['freq', 'l3'],
    ['metrics', 'l2'],
    ['alerts', 'l2'],
    ['legacy', 'l3'],
  ]);
  const p = compareAssessments(before, after);

  it('compares the levels each quarter reported, and says they are directly comparable', () => {
    expect(p.rubric.comparability).toBe('same-rubric');
    expect(p.rubric.changes).toEqual([]);
    expect(p.aspects.map((a) => [a.aspect, a.basis, a.before?.level, a.after?.level, a.change, a.levelDelta])).toEqual([
      ['delivery', 'reported', 2, 3, 'up', 1],
      ['ops', 'reported', 3, 2, 'down', -1],
    ]);
    expect(aspect(p, 'delivery').scoreDelta).toBe(25);
  });

  it('names the aspects whose level went down as regressions', () => {
    expect(p.regressions).toEqual(['ops']);
  });

  it('does not call a lower score within the same level a regression', () => {
    const lower = quarterOf(v1, '2026-Q2', [
      ['build', 'l2'],
      ['deploy', 'l2'],
      ['freq', 'l2'],
      ['metrics', 'l3'],
      ['alerts', 'l3'],
      ['legacy', 'l4'],
    ]);
    const q = compareAssessments(lower, before);
    expect(aspect(q, 'ops')).toMatchObject({ change: 'same', levelDelta: 0 });
    expect(aspect(q, 'ops').scoreDelta).toBeLessThan(0);
    expect(q.regressions).toEqual([]);
  });
});

describe('changed answers', () => {
  const before = quarterOf(v1, '2026-Q1', [
    ['build', 'l2', 'alice', 'CI builds, tests do not block'],
    ['build', 'l3', 'bob'],
    ['freq', 'l2', 'alice'],
  ]);
  const after = quarterOf(v1, '2026-Q2', [
    ['build', 'l4', 'alice', 'images are scanned now (SEC-12)'],
    ['build', 'l3', 'carol'],
    ['deploy', 'l3', 'alice'],
  ]);
  const p = compareAssessments(before, after);

  it('lists every changed answer: old and new, who, when, and the note', () => {
    const build = p.answerChanges.filter((c) => c.question === 'build');
    expect(build.map((c) => [c.respondent, c.kind, c.before?.answer, c.after?.answer])).toEqual([
      ['bob', 'withdrawn', ['l3'], undefined],
      ['alice', 'changed', ['l2'], ['l4']],
      ['carol', 'new', undefined, ['l3']],
    ]);
    const alice = build.find((c) => c.respondent === 'alice')!;
    expect(alice.after).toMatchObject({
      level: 4,
      note: 'images are scanned now (SEC-12)',
      at: expect.stringMatching(/^2026-05-01T/),
      carried: false,
    });
    expect(alice.before).toMatchObject({ level: 2, note: 'CI builds, tests do not block' });
  });

  it('lists questions newly answered and no longer answered', () => {
    expect(p.questionChanges.map((q) => [q.question, q.kind])).toEqual([
      ['build', 'changed'],
      ['deploy', 'newly-answered'],
      ['freq', 'cleared'],
    ]);
  });

  it('leaves an unchanged answer out, even when it was re-recorded', () => {
    const again = quarterOf(v1, '2026-Q2', [
      ['build', 'l2', 'alice', 'reworded note'],
      ['build', 'l3', 'bob'],
      ['freq', 'l2', 'alice'],
    ]);
    expect(compareAssessments(before, again).answerChanges).toEqual([]);
  });
});

describe('targets', () => {
  const answers = (d: string, o: string) =>
    [
      ['build', d],
      ['deploy', d],
      ['freq', d],
      ['metrics', o],
      ['alerts', o],
      ['legacy', o],
    ] as const;
  it.each([
    [
      { delivery: 3, ops: 3 },
      { delivery: 'reached', ops: 'lost' },
    ],
    [
      { delivery: 2, ops: 4 },
      { delivery: 'kept', ops: 'missed' },
    ],
  ])('says whether each target %j was met', (targets, expected) => {
    const before = quarterOf(v1, '2026-Q1', answers('l2', 'l3'), { targets });
    const after = quarterOf(v1, '2026-Q2', answers('l3', 'l2'));
    const p = compareAssessments(before, after);
    expect(Object.fromEntries(p.aspects.map((a) => [a.aspect, a.target?.status]))).toEqual(expected);
  });
});

describe('quarters answered against different rubric versions', () => {
  it('matches a renamed question through `replaces` and compares its answers as one question', () => {
    const before = quarterOf(v1, '2026-Q1', [['alerts', 'l3']]);
    const after = quarterOf(v2, '2026-Q2', [['paging', 'l4']]);
    const p = compareAssessments(before, after);
    expect(p.rubric.renamed).toEqual([{ from: 'alerts', to: 'paging', aspect: 'ops' }]);
    expect(p.answerChanges.map((c) => [c.question, c.previousId, c.kind])).toEqual([['paging', 'alerts', 'changed']]);
    expect(aspect(p, 'ops')).toMatchObject({ change: 'up', levelDelta: 1 });
  });

  it('lists added and removed questions and leaves them out of like-for-like deltas', () => {
    const before = quarterOf(v1, '2026-Q1', [
      ['metrics', 'l3'],
      ['alerts', 'l3'],
      ['legacy', 'l1'],
    ]);
    const after = quarterOf(v2, '2026-Q2', [
      ['metrics', 'l3'],
      ['paging', 'l3'],
      ['tracing', 'l5'],
    ]);
    const p = compareAssessments(before, after);
    const ops = aspect(p, 'ops');

    expect(p.rubric.added).toEqual([{ question: 'tracing', aspect: 'ops', after: { answer: ['l5'], level: 5 } }]);
    expect(p.rubric.removed).toEqual([{ question: 'legacy', aspect: 'ops', before: { answer: ['l1'], level: 1 } }]);
    // As reported, ops went from 37.5 to 62.5 — but only because one question left and another came.
    expect([ops.before?.score, ops.after?.score]).toEqual([37.5, 62.5]);
    expect(ops.basis).toBe('common-questions');
    expect(ops.compared).toMatchObject({ before: { level: 3, score: 50, answered: 2 }, after: { level: 3, score: 50, answered: 2 } });
    expect(ops).toMatchObject({ change: 'same', scoreDelta: 0 });
    expect(p.rubric.comparability).toBe('like-for-like');
    expect(p.rubric.summary).toMatch(
      /test 1\.0\.0 → test 1\.1\.0: 1 question renamed, 1 question added, 1 question removed; ops compared like for like/,
    );
    // An aspect the revision did not touch is still compared on what each quarter reported.
    expect(aspect(p, 'delivery').basis).toBe('reported');
  });

  it('scores both quarters with the newer weights when a question was re-weighted, so the rubric change is not counted as progress', () => {
    const reweighted = withQuestion(v1, 'metrics', (q) => ({ ...q, weight: 1 }));
    const answers = [
      ['metrics', 'l3'],
      ['alerts', 'l1'],
      ['legacy', 'l1'],
    ] as const;
    const p = compareAssessments(quarterOf(v1, '2026-Q1', answers), quarterOf(reweighted, '2026-Q2', answers));
    const ops = aspect(p, 'ops');
    expect([ops.before?.score, ops.after?.score]).toEqual([25, 16.7]);
    expect(ops).toMatchObject({ basis: 'common-questions', change: 'same', scoreDelta: 0 });
    expect(p.rubric.changes.map((c) => [c.kind, c.subject, c.before, c.after])).toEqual([['question-reweighted', 'metrics', 2, 1]]);
  });

  it('compares the overall level like for like when only an aspect weight changed', () => {
    const heavier = { ...v1, version: '1.0.1', aspects: [v1.aspects[0]!, { ...v1.aspects[1]!, weight: 3 }] };
    const answers = [
      ['build', 'l2'],
      ['metrics', 'l4'],
    ] as const;
    const p = compareAssessments(quarterOf(v1, '2026-Q1', answers), quarterOf(heavier, '2026-Q2', answers));
    expect(p.aspects.every((a) => a.basis === 'reported')).toBe(true);
    expect(p.overall).toMatchObject({ basis: 'common-questions', change: 'same', scoreDelta: 0 });
    expect(p.rubric.summary).toMatch(/overall compared like for like/);
  });

  it('says levels are directly comparable when the versions differ only in wording', () => {
    const reworded = withQuestion(v1, 'build', (q) => ({ ...q, text: 'What does CI do on every merge?' }));
    const answers = [
      ['build', 'l2'],
      ['metrics', 'l3'],
    ] as const;
    const p = compareAssessments(quarterOf(v1, '2026-Q1', answers), quarterOf(reworded, '2026-Q2', answers));
    expect(p.rubric.comparability).toBe('compatible');
    expect(p.aspects.every((a) => a.basis === 'reported')).toBe(true);
    expect(p.rubric.summary).toMatch(/directly comparable/);
  });

  it('leaves out a shared question whose earlier answer the newer version no longer offers', () => {
    const narrowed = withQuestion(v1, 'build', (q) => ({ ...q, choices: q.choices.filter((c) => c.id !== 'l1') }));
    const p = compareAssessments(
      quarterOf(v1, '2026-Q1', [
        ['build', 'l1'],
        ['deploy', 'l2'],
      ]),
      quarterOf(narrowed, '2026-Q2', [
        ['build', 'l2'],
        ['deploy', 'l2'],
      ]),
    );
    expect(p.rubric.leftOut).toEqual([{ question: 'build', reason: expect.stringMatching(/l1 is not a choice of the newer version/) }]);
    expect(aspect(p, 'delivery')).toMatchObject({
      basis: 'common-questions',
      compared: { before: { answered: 1 }, after: { answered: 1 } },
      change: 'same',
    });
  });

  it('marks an aspect only one of the versions has as added or removed, never as a regression', () => {
    const fewer = { ...v1, version: '2.0.0', aspects: [v1.aspects[0]!] };
    const p = compareAssessments(quarterOf(v1, '2026-Q1', [['metrics', 'l5']]), quarterOf(fewer, '2026-Q2', []));
    expect(aspect(p, 'ops')).toMatchObject({ change: 'removed', basis: 'none', after: null });
    expect(p.regressions).toEqual([]);
  });
});
