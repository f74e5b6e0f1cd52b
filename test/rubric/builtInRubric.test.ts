// The built-in cloud-native rubric, checked against what its content must be, not only its format.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ASPECT_IDS, MATURITY_LEVELS } from '../support/rubrics.js';
import { parseRubric } from '../../src/rubric/parse.js';
import { BUILT_IN_RUBRIC_PATH } from '../../src/source/rubricFile.js';
import type { Recommendation, Rubric } from '../../src/rubric/types.js';

const parsed = parseRubric(BUILT_IN_RUBRIC_PATH, readFileSync(BUILT_IN_RUBRIC_PATH), { builtIn: true });
const rubric = parsed.rubric as Rubric;
const questions = rubric.aspects.flatMap((a) => a.questions);
const recommendations = new Map<string, Recommendation>(rubric.aspects.flatMap((a) => a.recommendations.map((r) => [r.id, r] as const)));

describe('the built-in rubric', () => {
  it('loads as the built-in rubric with no errors and no warnings', () => {
    // As the built-in rubric, rubric/checks.ts holds it to everything a custom rubric is only warned about: a step up
    // at every level of every aspect, requires naming recommendations without cycles, raises on every recommendation
    // and every question raised. The broken-rubric corpus shows each of those checks failing.
    expect(parsed.problems).toEqual([]);
    expect(rubric).toBeDefined();
  });

  it('has exactly the six CNCF landscape aspects, in landscape order', () => {
    expect(rubric.aspects.map((a) => a.id)).toEqual(BUILT_IN_ASPECT_IDS);
  });

  it('has the five maturity-model levels, numbered 1 to 5', () => {
    expect(rubric.levels.map((l) => [l.level, l.name])).toEqual(MATURITY_LEVELS);
  });

  it('asks 6 to 9 questions per aspect and 36 to 48 in all: a 20–30 minute questionnaire', () => {
    for (const aspect of rubric.aspects) expect(aspect.questions.length, aspect.id).toBeGreaterThanOrEqual(6);
    for (const aspect of rubric.aspects) expect(aspect.questions.length, aspect.id).toBeLessThanOrEqual(9);
    expect(questions.length).toBeGreaterThanOrEqual(36);
    expect(questions.length).toBeLessThanOrEqual(48);
  });

  it('states how to answer once: scope, between two choices, unknown versus not applicable, evidence, and the coverage words', () => {
    const how = rubric.howToAnswer;
    for (const part of ['scope', 'between', 'unknown', 'evidence'] as const) expect((how?.[part] ?? '').length, part).toBeGreaterThan(100);
    expect(how?.terms?.map((t) => t.term.toLowerCase())).toEqual(expect.arrayContaining(['none', 'some', 'most', 'all']));
  });

  it('scores multi-choice questions as ladders, each with an exclusive "none of these" at the lowest level and a practice at every level above it', () => {
    expect(rubric.multiChoice).toBe('ladder');
    for (const q of questions.filter((x) => x.type === 'multi')) {
      const none = q.choices.filter((c) => c.exclusive === true);
      expect(
        none.map((c) => c.level),
        q.id,
      ).toEqual([1]);
      const rungs = [...new Set(q.choices.filter((c) => c.exclusive !== true).map((c) => c.level))].sort();
      expect(rungs, q.id).toEqual(Array.from({ length: rungs.length }, (_, i) => i + 2));
    }
  });

  it('offers 4 or 5 choices for every single-choice question', () => {
    const outside = questions
      .filter((q) => q.type === 'single' && (q.choices.length < 4 || q.choices.length > 5))
      .map((q) => `${q.id}: ${q.choices.length}`);
    expect(outside).toEqual([]);
  });

  it('gives every question help text saying what counts as evidence', () => {
    expect(questions.filter((q) => (q.help ?? '').trim().length < 20).map((q) => q.id)).toEqual([]);
  });

  it('asks about facts, never for an opinion', () => {
    const opinion =
      /how mature|how (good|well) do you|do you (think|feel|believe)|in your (opinion|view)|rate (your|yourselves)|how satisfied|how confident/i;
    expect(questions.filter((q) => opinion.test(q.text)).map((q) => q.text)).toEqual([]);
  });

  it('mostly requires recommendations at the same or a lower level', () => {
    const edges = [...recommendations.values()].flatMap((r) => r.requires.map((id) => ({ from: r, to: recommendations.get(id)! })));
    const upward = edges
      .filter((e) => e.to.level > e.from.level)
      .map((e) => `${e.from.id} (${e.from.level}) requires ${e.to.id} (${e.to.level})`);
    expect(edges.length).toBeGreaterThan(0);
    expect(upward.length, upward.join('\n')).toBeLessThanOrEqual(Math.floor(edges.length / 10));
  });

  it('maps every choice to a level the rubric defines, and every scale from low to high', () => {
    const levels = new Set(rubric.levels.map((l) => l.level));
    expect(questions.flatMap((q) => q.choices.filter((c) => !levels.has(c.level)).map((c) => `${q.id}/${c.id}`))).toEqual([]);
    for (const q of questions.filter((x) => x.type === 'scale')) {
      expect(
        q.choices.map((c) => c.level),
        q.id,
      ).toEqual([...q.choices.map((c) => c.level)].sort((a, b) => a - b));
    }
  });
});
