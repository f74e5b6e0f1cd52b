// Small rubrics built in code, for tests of the pure core.
import type { Aspect, Question, Recommendation, Rubric } from '../../src/rubric/types.js';

export const LEVELS = [
  { level: 1, name: 'Build', summary: 'b' },
  { level: 2, name: 'Operate', summary: 'o' },
  { level: 3, name: 'Scale', summary: 's' },
  { level: 4, name: 'Improve', summary: 'i' },
  { level: 5, name: 'Adapt', summary: 'a' },
];

/** A single-choice question whose choice `l<N>` is at level N, for N in 1..5. */
export function question(id: string, extra: Partial<Question> = {}): Question {
  return {
    id,
    text: `${id}?`,
    type: 'single',
    weight: 1,
    gate: false,
    notApplicable: false,
    choices: LEVELS.map((l) => ({ id: `l${l.level}`, label: `level ${l.level}`, level: l.level })),
    ...extra,
  };
}

export function aspect(id: string, questions: Question[], extra: Partial<Aspect> = {}): Aspect {
  return {
    id,
    title: id,
    summary: id,
    weight: 1,
    questions,
    recommendations: [2, 3, 4, 5].map((level) => ({
      id: `${id}-rec-${level}`,
      title: 't',
      why: 'w',
      level,
      effort: 'M' as const,
      impact: 'medium' as const,
      requires: [],
      links: [],
    })),
    ...extra,
  };
}

export function rubric(aspects: Aspect[]): Rubric {
  return { id: 'test', version: '1.0.0', title: 'Test', levels: LEVELS, aspects };
}

/** A recommendation leading to `level`, medium in effort and impact unless `extra` says otherwise. */
export function recommendation(id: string, level: number, extra: Partial<Recommendation> = {}): Recommendation {
  return { id, title: `Do ${id}`, why: `Because ${id}`, level, effort: 'M', impact: 'medium', requires: [], links: [], ...extra };
}

/** What the built-in rubric must hold, whichever way it is read (file or `rubric show --json`). */
export const BUILT_IN_ASPECT_IDS = ['app-definition', 'orchestration', 'runtime', 'provisioning', 'observability', 'serverless'];
export const MATURITY_LEVELS: [number, string][] = [
  [1, 'Build'],
  [2, 'Operate'],
  [3, 'Scale'],
  [4, 'Improve'],
  [5, 'Adapt'],
];
