// Assessments for report tests, built in memory by folding real events through evolve.

import type { AnswerValue, AssessmentEvent } from '../../../src/assessment/events.js';
import { assessmentId, assessmentStream, evolve, type AssessmentState } from '../../../src/assessment/state.js';
import { rubricRef } from '../../../src/rubric/ref.js';
import type { Rubric } from '../../../src/rubric/types.js';
import type { Assessed } from '../../../src/views/report/model.js';
import type { ReportModel } from '../../../src/views/report/types.js';

export interface AnswerSpec {
  readonly question: string;
  readonly answer: AnswerValue;
  readonly respondent?: string;
  readonly note?: string;
  readonly carried?: boolean;
}

export interface AssessmentSpec {
  readonly org?: string;
  readonly scope?: string;
  readonly period: string;
  readonly answers: readonly AnswerSpec[];
  readonly targets?: Readonly<Record<string, number>>;
  readonly completed?: boolean;
  /** Where this assessment's events start in the (imaginary) log. */
  readonly firstSeq?: number;
  /** The day of its first event, as YYYY-MM-DD. */
  readonly day?: string;
  /** More events after the answers and targets (invitations, consensus). */
  readonly events?: readonly AssessmentEvent[];
}

export function assessment(rubric: Rubric, spec: AssessmentSpec): AssessmentState {
  const org = spec.org ?? 'Acme';
  const scope = spec.scope ?? 'platform';
  const id = assessmentId(org, scope, spec.period);
  const events: AssessmentEvent[] = [
    { type: 'AssessmentStarted', data: { org, scope, period: spec.period, rubric: rubricRef(rubric) } },
    ...spec.answers.map((a): AssessmentEvent => ({
      type: 'AnswerRecorded',
      data: {
        question: a.question,
        answer: a.answer,
        respondent: a.respondent ?? 'alice',
        ...(a.note !== undefined && { note: a.note }),
        ...(a.carried && { carried: true }),
      },
    })),
    ...Object.entries(spec.targets ?? {}).map(([aspect, level]): AssessmentEvent => ({ type: 'TargetSet', data: { aspect, level } })),
    ...(spec.events ?? []),
    ...(spec.completed ? [{ type: 'AssessmentCompleted', data: {} } as AssessmentEvent] : []),
  ];
  const start = Date.parse(`${spec.day ?? '2026-07-01'}T09:00:00.000Z`);
  let state: AssessmentState | undefined;
  events.forEach((event, i) => {
    state = evolve(state, event, {
      stream: assessmentStream(id),
      seq: (spec.firstSeq ?? 1) + i,
      version: i + 1,
      at: new Date(start + i * 60_000).toISOString(),
    });
  });
  return state!;
}

/** Answers every question of the rubric with the choice at `level(question index)` (nearest level at or below). */
export function answerAll(
  rubric: Rubric,
  level: (questionId: string, index: number) => number,
  extra: Partial<AnswerSpec> = {},
): AnswerSpec[] {
  const questions = rubric.aspects.flatMap((a) => a.questions);
  return questions.map((q, i) => {
    const wanted = level(q.id, i);
    const choice = [...q.choices].filter((c) => c.level <= wanted).sort((a, b) => b.level - a.level)[0] ?? q.choices[0]!;
    return { question: q.id, answer: [choice.id], ...extra };
  });
}

/** A year (or more) of quarterly history of one org, improving slowly, oldest first. */
export function history(rubric: Rubric, periods: number, options: { org?: string; scope?: string } = {}): Assessed[] {
  const result: Assessed[] = [];
  let seq = 1;
  for (let p = 0; p < periods; p++) {
    const year = 2024 + Math.floor(p / 4);
    const period = `${year}-Q${(p % 4) + 1}`;
    // A deterministic spread: each question starts at 1 or 2 and climbs about a level every year and a half.
    const level = (_: string, i: number) => Math.min(5, 1 + ((i * 7) % 2) + Math.floor((p + (i % 6)) / 6));
    const answers = answerAll(rubric, level, { respondent: 'alice' });
    const notes = answers.map((a, i) =>
      i % 5 === 0 ? { ...a, note: `See https://wiki.example.com/cn/${a.question} for the evidence (${period}).` } : a,
    );
    const second = answers.filter((_, i) => i % 3 === 0).map((a) => ({ ...a, respondent: 'bob' }));
    const state = assessment(rubric, {
      ...options,
      period,
      answers: [...notes, ...second],
      completed: p < periods - 1,
      firstSeq: seq,
      day: `${year}-${String((p % 4) * 3 + 1).padStart(2, '0')}-15`,
    });
    seq = state.lastSeq + 1;
    result.push({ state, rubric });
  }
  return result;
}

/**
 * A department-wide survey: `respondents` people, all invited, each answering every question a level or so apart
 * from the others (a deterministic spread), a note on every fourth answer.
 */
export function department(rubric: Rubric, respondents: number): Assessed {
  const names = Array.from({ length: respondents }, (_, r) => `engineer-${String(r + 1).padStart(3, '0')}`);
  const answers = names.flatMap((respondent, r) =>
    answerAll(rubric, (_, i) => 1 + ((r + i) % 4) + (r % 7 === 0 ? 1 : 0), { respondent }).map((a, i) =>
      (r + i) % 4 === 0 ? { ...a, note: `Checked ${a.question} against the service catalogue, team ${r % 12}.` } : a,
    ),
  );
  const state = assessment(rubric, {
    period: '2026-Q4',
    answers,
    events: [{ type: 'RespondentsInvited', data: { respondents: names } }],
  });
  return { state, rubric };
}

/**
 * An organisation of `scopes` teams over `periods` quarters (2024-Q1 on): each team a little apart from the others
 * and climbing slowly; the last quarter of the last team is left unfinished, the rest completed.
 */
export function organisation(rubric: Rubric, scopes: number, periods: number, org = 'Acme'): Assessed[] {
  const result: Assessed[] = [];
  let seq = 1;
  for (let s = 0; s < scopes; s++) {
    const scope = `team-${String(s + 1).padStart(2, '0')}`;
    for (let p = 0; p < periods; p++) {
      const period = `${2024 + Math.floor(p / 4)}-Q${(p % 4) + 1}`;
      const last = p === periods - 1;
      const unfinished = last && s === scopes - 1;
      const answers = answerAll(rubric, (_, i) => Math.min(5, 1 + ((s + i) % 3) + Math.floor(p / 2)), { respondent: `lead-${s}` });
      const state = assessment(rubric, {
        org,
        scope,
        period,
        answers: unfinished ? answers.slice(0, Math.floor(answers.length / 3)) : answers,
        targets: { [rubric.aspects[0]?.id ?? '']: 4 },
        completed: !unfinished,
        firstSeq: seq,
        day: `${2024 + Math.floor(p / 4)}-${String((p % 4) * 3 + 1).padStart(2, '0')}-10`,
      });
      seq = state.lastSeq + 1;
      result.push({ state, rubric });
    }
  }
  return result;
}

/** The built-in rubric's report of a department-wide survey of `respondents` people: its view model and its HTML. */
export async function surveyReport(respondents: number): Promise<{ rubric: Rubric; model: ReportModel; html: string }> {
  const { loadRubric } = await import('../../../src/source/rubricFile.js');
  const { builtInHtmlPages } = await import('../../../src/source/templateFiles.js');
  const { buildReportModel } = await import('../../../src/views/report/model.js');
  const { rubric } = await loadRubric();
  const survey = department(rubric, respondents);
  const model = buildReportModel({ ...survey, history: [survey], generatedAt: '2026-10-02T08:00:00.000Z' });
  return { rubric, model, html: (await builtInHtmlPages()).report(model) };
}
