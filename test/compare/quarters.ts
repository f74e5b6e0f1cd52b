// Building assessments of small test rubrics for the progress tests: events folded with evolve,
// each at its own time, so responses carry realistic seq and `at`.
import type { AssessmentEvent } from '../../src/assessment/events.js';
import { assessmentId, evolve, type AssessmentState } from '../../src/assessment/state.js';
import type { Quarter } from '../../src/compare/compare.js';
import { rubricRef } from '../../src/rubric/ref.js';
import type { Question, Rubric } from '../../src/rubric/types.js';
import { aspect, question, rubric } from '../support/rubrics.js';

export type Answer = readonly [question: string, answer: readonly string[] | string, respondent?: string, note?: string];

/** An assessment of Acme's platform in `period`, answered (in order) with `answers`; `l3` is shorthand for ['l3']. */
export function quarterOf(
  r: Rubric,
  period: string,
  answers: readonly Answer[],
  extra: { targets?: Record<string, number>; events?: AssessmentEvent[] } = {},
): Quarter {
  const events: AssessmentEvent[] = [
    { type: 'AssessmentStarted', data: { org: 'Acme', scope: 'platform', period, rubric: rubricRef(r) } },
    ...answers.map(([q, a, respondent = 'alice', note]): AssessmentEvent => ({
      type: 'AnswerRecorded',
      data: { question: q, answer: typeof a === 'string' && a !== 'n/a' ? [a] : a, respondent, ...(note !== undefined && { note }) },
    })),
    ...Object.entries(extra.targets ?? {}).map(([a, level]): AssessmentEvent => ({ type: 'TargetSet', data: { aspect: a, level } })),
    ...(extra.events ?? []),
  ];
  const id = assessmentId('Acme', 'platform', period);
  const month = (Number(period.slice(-1)) - 1) * 3 + 1;
  const state = events.reduce<AssessmentState | undefined>(
    (s, e, i) =>
      evolve(s, e, {
        stream: `assessment/${id}`,
        seq: i + 1,
        version: i + 1,
        at: new Date(Date.UTC(Number(period.slice(0, 4)), month, 1, 9, i)).toISOString(),
      }),
    undefined,
  )!;
  return { state, rubric: r };
}

/** Version 1.0.0: delivery (build, deploy as a gate, freq) and ops (metrics, alerts, legacy). */
export const v1 = rubric([
  aspect('delivery', [question('build'), question('deploy', { gate: true }), question('freq')]),
  aspect('ops', [question('metrics', { weight: 2 }), question('alerts'), question('legacy')]),
]);

/** Version 1.1.0: alerts renamed paging, legacy removed, tracing added. */
export const v2: Rubric = {
  ...v1,
  version: '1.1.0',
  aspects: [
    v1.aspects[0]!,
    { ...v1.aspects[1]!, questions: [question('metrics', { weight: 2 }), question('paging', { replaces: 'alerts' }), question('tracing')] },
  ],
};

/** A copy of `r` with one question changed. */
export function withQuestion(r: Rubric, id: string, change: (q: Question) => Question, version = '1.0.1'): Rubric {
  return { ...r, version, aspects: r.aspects.map((a) => ({ ...a, questions: a.questions.map((q) => (q.id === id ? change(q) : q)) })) };
}

/**
 * Two quarters across the v1 → v2 rubric change, as the diff views show them: delivery up, ops down past its target,
 * one question renamed, one added, one removed. `who` gave the 2026-Q2 build and deploy answers, with `note` on build;
 * Jonas changed metrics, with `metricsNote`.
 */
export function acrossRename(o: {
  note: string;
  who?: string;
  metricsNote?: string;
  targets?: Record<string, number>;
}): [Quarter, Quarter] {
  const before = quarterOf(
    v1,
    '2026-Q1',
    [
      ['build', 'l2'],
      ['deploy', 'l2'],
      ['metrics', 'l3'],
      ['alerts', 'l3'],
      ['legacy', 'l2'],
    ],
    { targets: o.targets ?? { ops: 3 } },
  );
  const who = o.who ?? 'alice';
  const after = quarterOf(v2, '2026-Q2', [
    ['build', 'l3', who, o.note],
    ['deploy', 'l3', who],
    ['metrics', 'l2', ...(o.metricsNote !== undefined ? (['Jonas Berg', o.metricsNote] as const) : (['alice'] as const))],
    ['paging', 'l2'],
    ['tracing', 'l4'],
  ]);
  return [before, after];
}
