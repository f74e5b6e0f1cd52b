// The quarterly re-run: last quarter's answers carried over as this quarter's baseline.
import { describe, expect, it } from 'vitest';
import type { AssessmentCommand } from '../../src/assessment/decider.js';
import { carryOver, planCarryOver } from '../../src/compare/carryOver.js';
import { rubricRef } from '../../src/rubric/ref.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { Workspace } from '../../src/workspace.js';
import { aspect, question, rubric } from '../support/rubrics.js';
import { quarterOf, v1, v2, withQuestion } from './quarters.js';

describe('carryOver', () => {
  it("carries each respondent's latest answer and note, marked carried, in questionnaire order", () => {
    const previous = quarterOf(v1, '2026-Q1', [
      ['metrics', 'l2', 'bob'],
      ['build', 'l2', 'alice', 'first try'],
      ['build', 'l3', 'alice', 'tests block merges now'],
      ['build', 'l4', 'bob'],
    ]);
    expect(carryOver(previous.state, v1, v1)).toEqual([
      { type: 'RecordAnswer', question: 'build', answer: ['l3'], respondent: 'alice', note: 'tests block merges now', carried: true },
      { type: 'RecordAnswer', question: 'build', answer: ['l4'], respondent: 'bob', carried: true },
      { type: 'RecordAnswer', question: 'metrics', answer: ['l2'], respondent: 'bob', carried: true },
    ]);
  });

  it('carries a renamed question under its new id and leaves out questions the new rubric removed', () => {
    const previous = quarterOf(v1, '2026-Q1', [
      ['alerts', 'l3'],
      ['legacy', 'l2'],
    ]);
    const plan = planCarryOver(previous.state, v1, v2);
    expect(plan.answers.map((a) => [a.question, a.answer])).toEqual([['paging', ['l3']]]);
    expect(plan.leftOut).toEqual([{ question: 'legacy', respondent: 'alice', reason: 'test 1.1.0 no longer asks it' }]);
  });

  it('leaves out answers the new rubric no longer accepts, and questions whose condition is no longer met', () => {
    const before = rubric([aspect('ops', [question('sched'), question('mesh', { when: { question: 'sched', atLeast: 3 } })])]);
    const after = withQuestion(before, 'sched', (q) => ({ ...q, choices: q.choices.filter((c) => c.id !== 'l3') }), '2.0.0');
    const previous = quarterOf(before, '2026-Q1', [
      ['sched', 'l3'],
      ['mesh', 'l2'],
    ]);
    const plan = planCarryOver(previous.state, before, after);
    expect(plan.answers).toEqual([]);
    expect(plan.leftOut.map((l) => [l.question, l.reason])).toEqual([
      ['sched', expect.stringMatching(/"l3" is not a choice of "sched"/)],
      ['mesh', expect.stringMatching(/only asked when "sched" is at level 3 or above/)],
    ]);
  });

  it('carries targets of aspects the new rubric still has', () => {
    const previous = quarterOf(v1, '2026-Q1', [], { targets: { delivery: 3, ops: 4 } });
    expect(planCarryOver(previous.state, v1, v1).targets).toEqual([
      { type: 'SetTarget', aspect: 'delivery', level: 3 },
      { type: 'SetTarget', aspect: 'ops', level: 4 },
    ]);
  });
});

describe('a re-run started from the previous quarter', () => {
  async function rerun() {
    let clock = new Date('2026-05-04T09:00:00Z');
    let n = 0;
    const ws = new Workspace(
      createMemoryStore(),
      () => clock,
      () => `id-${++n}`,
    );
    const previous = quarterOf(v1, '2026-Q1', [
      ['build', 'l3', 'alice', 'pipeline'],
      ['build', 'l2', 'bob'],
      ['alerts', 'l3', 'bob'],
    ]);
    const ref = await ws.registerRubric(v2, 'alice');
    const start: AssessmentCommand = {
      type: 'StartAssessment',
      org: 'Acme',
      scope: 'platform',
      period: '2026-Q2',
      rubric: ref,
      carriedFrom: previous.state.id,
    };
    const written = await ws.execute('acme/platform/2026-q2', [start, ...carryOver(previous.state, v1, v2)], v2, 'alice');
    const advance = () => (clock = new Date(clock.getTime() + 60_000));
    return { ws, written, advance };
  }

  it('records the start and one carried AnswerRecorded per previous answer in one batch', async () => {
    const { ws, written } = await rerun();
    expect(written.map((e) => [e.type, (e.data as { question?: string }).question, (e.data as { carried?: boolean }).carried])).toEqual([
      ['AssessmentStarted', undefined, undefined],
      ['AnswerRecorded', 'build', true],
      ['AnswerRecorded', 'build', true],
      ['AnswerRecorded', 'paging', true],
    ]);
    expect(new Set(written.map((e) => e.at)).size).toBe(1);
    const state = (await ws.assessment('acme/platform/2026-q2'))!;
    expect(state.carriedFrom).toBe('acme/platform/2026-q1');
    expect(state.rubric).toEqual(rubricRef(v2));
    expect([...state.responses.get('build')!.values()].map((r) => [r.respondent, r.carried, r.note])).toEqual([
      ['alice', true, 'pipeline'],
      ['bob', true, undefined],
    ]);
  });

  it('confirming a carried answer records it again without the carried mark', async () => {
    const { ws, advance } = await rerun();
    advance();
    const confirmed = await ws.execute(
      'acme/platform/2026-q2',
      [{ type: 'RecordAnswer', question: 'build', answer: ['l3'], respondent: 'alice', note: 'pipeline' }],
      v2,
      'alice',
    );
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.data).not.toHaveProperty('carried');
    const state = (await ws.assessment('acme/platform/2026-q2'))!;
    expect(state.responses.get('build')!.get('alice')!.carried).toBe(false);
    expect(state.responses.get('build')!.get('bob')!.carried).toBe(true);
  });
});
