// When a consensus holds, and what follows a respondent's renaming: the rules in the pure core, through decide and
// evolve as the workspace applies them.
import { describe, expect, it } from 'vitest';
import { decide, type AssessmentCommand } from '../../src/assessment/decider.js';
import { consensusInForce, openDisagreements } from '../../src/assessment/respondents.js';
import { combinedAnswers, evolve, type AssessmentState } from '../../src/assessment/state.js';
import { planCarryOver, carriedCommands } from '../../src/compare/carryOver.js';
import { rubricRef } from '../../src/rubric/ref.js';
import { aspect, question, rubric } from '../support/rubrics.js';

const r = rubric([
  aspect('ops', [question('sched'), question('follow', { when: { question: 'sched', atLeast: 3 } })]),
  aspect('obs', [question('q1'), question('q2'), question('q3'), question('q4')]),
]);

function play(commands: readonly AssessmentCommand[], period = '2026-Q4', from?: AssessmentState): AssessmentState {
  let state: AssessmentState | undefined;
  let seq = 0;
  const id = `acme/all/${period.toLowerCase()}`;
  const start: AssessmentCommand = { type: 'StartAssessment', org: 'Acme', scope: 'all', period, rubric: rubricRef(r) };
  const carried = from ? carriedCommands(planCarryOver(from, r, r)) : [];
  for (const c of [start, ...carried, ...commands])
    for (const e of decide(c, state, r))
      state = evolve(state, e, {
        stream: `assessment/${id}`,
        seq: ++seq,
        version: seq,
        at: `2026-11-${String(seq).padStart(2, '0')}T10:00:00Z`,
        actor: 'lead',
      });
  return state!;
}

const answer = (question: string, level: number, respondent: string, note?: string): AssessmentCommand => ({
  type: 'RecordAnswer',
  question,
  answer: [`l${level}`],
  respondent,
  ...(note !== undefined && { note }),
});
const agree = (question: string, level: number): AssessmentCommand => ({
  type: 'RecordConsensus',
  question,
  answer: [`l${level}`],
  rationale: 'agreed in the review',
  facilitator: 'lead',
});
const effective = (s: AssessmentState, q: string) => combinedAnswers(r, s).get(q)?.effective;

describe('a consensus', () => {
  const settled = [answer('sched', 1, 'alice'), answer('sched', 4, 'bob'), agree('sched', 4)];

  it('holds when a respondent confirms their answer, adds a note to it, or answers the agreed answer', () => {
    expect(effective(play(settled), 'sched')).toEqual({ status: 'answered', choices: ['l4'] });
    expect(effective(play([...settled, answer('sched', 1, 'alice', 'evidence: INC-12')]), 'sched')).toEqual({
      status: 'answered',
      choices: ['l4'],
    });
    const convinced = play([...settled, answer('sched', 4, 'alice')]);
    expect(combinedAnswers(r, convinced).get('sched')?.consensus).toBeDefined();
  });

  it('lapses when an answer changes to another one, or when every answer behind it is cleared', () => {
    const changed = play([...settled, answer('sched', 2, 'alice')]);
    expect(combinedAnswers(r, changed).get('sched')).toMatchObject({ consensus: undefined, lapsed: { question: 'sched' } });
    const newcomer = play([...settled, answer('sched', 2, 'carol')]);
    expect(combinedAnswers(r, newcomer).get('sched')?.consensus).toBeUndefined();
    const cleared = play([
      ...settled,
      { type: 'ClearAnswer', question: 'sched', respondent: 'alice' },
      { type: 'ClearAnswer', question: 'sched', respondent: 'bob' },
    ]);
    expect(effective(cleared, 'sched')).toBeUndefined();
  });

  it('is carried into the next quarter with its answers, so the follow-up question it opens is carried too', () => {
    const q3 = play([...settled, answer('follow', 3, 'alice'), answer('follow', 3, 'bob'), { type: 'CompleteAssessment' }], '2026-Q3');
    const q4 = play([], '2026-Q4', q3);
    expect(effective(q4, 'sched')).toEqual({ status: 'answered', choices: ['l4'] });
    expect(combinedAnswers(r, q4).get('sched')?.consensus?.rationale).toBe('Carried from 2026-Q3: agreed in the review');
    expect(q4.responses.get('follow')?.size).toBe(2);
    // Confirming the carried answers leaves it standing.
    const confirmed = play([answer('sched', 1, 'alice'), answer('sched', 4, 'bob')], '2026-Q4', q3);
    expect(effective(confirmed, 'sched')).toEqual({ status: 'answered', choices: ['l4'] });
  });

  it('on a question no longer asked is not listed as in force', () => {
    const s = play([
      answer('sched', 3, 'alice'),
      answer('follow', 1, 'alice'),
      answer('follow', 4, 'bob'),
      agree('follow', 4),
      answer('sched', 1, 'alice'),
    ]);
    expect(consensusInForce(r, s)).toEqual([]);
  });
});

describe('carrying step statuses', () => {
  it('names the statuses of steps the new rubric no longer has, instead of dropping them silently', () => {
    const q3 = play(
      [
        { type: 'SetStepStatus', step: 'ops-rec-3', status: 'done' },
        { type: 'SetStepStatus', step: 'obs-rec-4', status: 'planned' },
      ],
      '2026-Q3',
    );
    const without = {
      ...r,
      aspects: r.aspects.map((a) => ({ ...a, recommendations: a.recommendations.filter((x) => x.id !== 'obs-rec-4') })),
    };
    const plan = planCarryOver(q3, r, without);
    expect(plan.steps.map((s) => [s.step, s.status, s.carried])).toEqual([['ops-rec-3', 'done', true]]);
    expect(plan.stepsLeftOut).toEqual([{ step: 'obs-rec-4', status: 'planned', reason: 'test 1.0.0 has no such step' }]);
  });
});

describe('provisional levels', () => {
  it('are found where disagreements move the level only together', () => {
    // Four questions of weight 1: q1 and q2 are 1 against 3, q3 is 3, q4 is 1. At the medians the aspect is at 1;
    // either alone settled at 3 leaves it there (2 of 4 is not more than half), both at 3 lift it to 3.
    const s = play([
      answer('q1', 1, 'alice'),
      answer('q1', 3, 'bob'),
      answer('q2', 1, 'alice'),
      answer('q2', 3, 'bob'),
      answer('q3', 3, 'alice'),
      answer('q4', 1, 'alice'),
    ]);
    const open = openDisagreements(r, s).filter((d) => d.aspect === 'obs');
    expect(open.map((d) => [d.question.id, d.consequential])).toEqual([
      ['q1', true],
      ['q2', true],
    ]);
  });
});

describe('a renamed respondent', () => {
  it('is cleared under the old name, and consensus names follow the rename', () => {
    const s = play([
      answer('sched', 1, 'asmith'),
      answer('sched', 4, 'bob'),
      agree('sched', 4),
      { type: 'RenameRespondent', from: 'asmith', to: 'Alice Smith' },
    ]);
    expect(
      combinedAnswers(r, s)
        .get('sched')
        ?.consensus?.settled.map((x) => x.respondent)
        .sort(),
    ).toEqual(['Alice Smith', 'bob']);
    const cleared = play([
      answer('sched', 1, 'asmith'),
      { type: 'RenameRespondent', from: 'asmith', to: 'Alice Smith' },
      { type: 'ClearAnswer', question: 'sched', respondent: 'asmith' },
    ]);
    expect(cleared.responses.get('sched')).toBeUndefined();
  });
});
