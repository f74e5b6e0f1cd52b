// Given these events, when this command, then these events (or this refusal).
import { describe, expect, it } from 'vitest';
import { decide, type AssessmentCommand } from '../../src/assessment/decider.js';
import type { AssessmentEvent } from '../../src/assessment/events.js';
import { assessmentId, combineResponses, evolve, type AssessmentState } from '../../src/assessment/state.js';
import { DomainError } from '../../src/errors.js';
import { aspect, question, rubric } from '../support/rubrics.js';

const r = rubric([
  aspect('orch', [
    question('sched', { gate: true }),
    question('mesh', { notApplicable: true, when: { question: 'sched', atLeast: 3 } }),
    question('tools', { type: 'multi' }),
    question('pick', { when: { question: 'sched', anyOf: ['l2'] } }),
  ]),
]);
const ref = { id: 'test', version: '1.0.0', digest: 'd'.repeat(64) };
const started: AssessmentEvent = { type: 'AssessmentStarted', data: { org: 'Acme', scope: 'platform', period: '2026-Q4', rubric: ref } };
const answer = (questionId: string, value: readonly string[] | 'n/a', respondent = 'alice', note?: string): AssessmentEvent => ({
  type: 'AnswerRecorded',
  data: { question: questionId, answer: value, respondent, ...(note !== undefined && { note }) },
});

function given(...events: AssessmentEvent[]): AssessmentState | undefined {
  return events.reduce<AssessmentState | undefined>(
    (state, event, i) =>
      evolve(state, event, {
        stream: 'assessment/acme/platform/2026-q4',
        seq: i + 1,
        version: i + 1,
        at: `2026-11-0${(i % 9) + 1}T00:00:00.000Z`,
      }),
    undefined,
  );
}

function refusal(command: AssessmentCommand, state: AssessmentState | undefined): string {
  try {
    decide(command, state, r);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
  throw new Error('expected a refusal, got events');
}

const record = (
  q: string,
  a: readonly string[] | 'n/a',
  extra: Partial<Extract<AssessmentCommand, { type: 'RecordAnswer' }>> = {},
): AssessmentCommand => ({
  type: 'RecordAnswer',
  question: q,
  answer: a,
  respondent: 'alice',
  ...extra,
});

describe('starting an assessment', () => {
  const start: AssessmentCommand = { type: 'StartAssessment', org: 'Acme', scope: 'platform', period: '2026-Q4', rubric: ref };

  it('given nothing, records AssessmentStarted', () => {
    expect(decide(start, undefined, r)).toEqual([started]);
  });
  it('refuses a second start of the same org, scope and period', () => {
    expect(refusal(start, given(started))).toBe('already-exists');
  });
  it.each(['2026-Q5', '2026Q4', '26-Q1', 'Q4-2026', ''])('refuses the malformed period %j', (period) => {
    expect(refusal({ ...start, period }, undefined)).toBe('malformed-period');
  });
  it('refuses an org name with control characters', () => {
    expect(refusal({ ...start, org: 'Acme\u001b[31m' }, undefined)).toBe('control-org');
  });
  it('derives one id for names that differ only in case and punctuation', () => {
    expect(assessmentId('ACME Corp.', 'Platform', '2026-Q4')).toBe(assessmentId('acme corp', 'platform', '2026-q4'));
    expect(assessmentId('../../etc', 'x', '2026-Q1')).toBe('etc/x/2026-q1');
  });
});

describe('recording an answer', () => {
  it('records the answer with its note', () => {
    expect(decide(record('sched', ['l3'], { note: 'payments still on VMs' }), given(started), r)).toEqual([
      answer('sched', ['l3'], 'alice', 'payments still on VMs'),
    ]);
  });
  it('records nothing when the same respondent gives the same answer and note again', () => {
    expect(decide(record('sched', ['l3']), given(started, answer('sched', ['l3'])), r)).toEqual([]);
  });
  it('records a changed note as a new answer', () => {
    expect(decide(record('sched', ['l3'], { note: 'x' }), given(started, answer('sched', ['l3'])), r)).toHaveLength(1);
  });
  it('sorts multi-choice answers so the same set is the same answer', () => {
    expect(decide(record('tools', ['l4', 'l1']), given(started), r)).toEqual([answer('tools', ['l1', 'l4'])]);
  });
  it('refuses an unknown question', () => {
    expect(refusal(record('nope', ['l1']), given(started))).toBe('unknown-question');
  });
  it('refuses a choice the question does not have', () => {
    expect(refusal(record('sched', ['l9']), given(started))).toBe('unknown-choice');
  });
  it('refuses several choices for a single-choice question', () => {
    expect(refusal(record('sched', ['l1', 'l2']), given(started))).toBe('one-choice-only');
  });
  it('refuses an empty answer', () => {
    expect(refusal(record('sched', []), given(started))).toBe('empty-answer');
  });
  it('refuses an answer to a question whose condition is not met', () => {
    expect(refusal(record('mesh', ['l2']), given(started, answer('sched', ['l2'])))).toBe('condition-not-met');
    expect(refusal(record('pick', ['l2']), given(started, answer('sched', ['l3'])))).toBe('condition-not-met');
  });
  it('accepts it once the condition is met', () => {
    expect(decide(record('mesh', ['l2']), given(started, answer('sched', ['l3'])), r)).toHaveLength(1);
    expect(decide(record('pick', ['l2']), given(started, answer('sched', ['l2'])), r)).toHaveLength(1);
  });
  it('refuses "not applicable" where the rubric forbids it', () => {
    expect(refusal(record('sched', 'n/a'), given(started))).toBe('not-applicable-forbidden');
  });
  it('accepts "not applicable" with a reason where the rubric allows it', () => {
    expect(decide(record('mesh', 'n/a', { note: 'one cluster, no mesh needed' }), given(started, answer('sched', ['l3'])), r)).toEqual([
      answer('mesh', 'n/a', 'alice', 'one cluster, no mesh needed'),
    ]);
  });
  it('refuses any answer after completion', () => {
    expect(refusal(record('sched', ['l1']), given(started, { type: 'AssessmentCompleted', data: {} }))).toBe('completed');
  });
  it('refuses an answer to an assessment that was never started', () => {
    expect(refusal(record('sched', ['l1']), undefined)).toBe('no-assessment');
  });
});

describe('clearing, targets, completing, reopening', () => {
  it('clears a respondent’s answer', () => {
    expect(decide({ type: 'ClearAnswer', question: 'sched', respondent: 'alice' }, given(started, answer('sched', ['l2'])), r)).toEqual([
      { type: 'AnswerCleared', data: { question: 'sched', respondent: 'alice' } },
    ]);
  });
  it('records nothing when clearing what is not there', () => {
    expect(decide({ type: 'ClearAnswer', question: 'sched', respondent: 'bob' }, given(started, answer('sched', ['l2'])), r)).toEqual([]);
  });
  it('sets a target level for an aspect', () => {
    expect(decide({ type: 'SetTarget', aspect: 'orch', level: 4 }, given(started), r)).toEqual([
      { type: 'TargetSet', data: { aspect: 'orch', level: 4 } },
    ]);
  });
  it('refuses a target for an unknown aspect or level', () => {
    expect(refusal({ type: 'SetTarget', aspect: 'nope', level: 4 }, given(started))).toBe('unknown-aspect');
    expect(refusal({ type: 'SetTarget', aspect: 'orch', level: 9 }, given(started))).toBe('unknown-level');
  });
  it('completes, then refuses to complete again, then reopens', () => {
    expect(decide({ type: 'CompleteAssessment' }, given(started), r)).toEqual([{ type: 'AssessmentCompleted', data: {} }]);
    const completed = given(started, { type: 'AssessmentCompleted', data: {} });
    expect(refusal({ type: 'CompleteAssessment' }, completed)).toBe('completed');
    expect(decide({ type: 'ReopenAssessment' }, completed, r)).toEqual([{ type: 'AssessmentReopened', data: {} }]);
  });
  it('refuses to reopen an open assessment', () => {
    expect(refusal({ type: 'ReopenAssessment' }, given(started))).toBe('not-completed');
  });
});

describe('several respondents', () => {
  it('keeps each respondent’s latest answer', () => {
    const state = given(started, answer('sched', ['l2'], 'alice'), answer('sched', ['l4'], 'bob'), answer('sched', ['l3'], 'alice'))!;
    const responses = state.responses.get('sched')!;
    expect([...responses.keys()]).toEqual(['alice', 'bob']);
    expect(responses.get('alice')!.answer).toEqual(['l3']);
  });
  it('takes the lower median as the effective answer and keeps the spread', () => {
    const state = given(started, answer('sched', ['l1'], 'alice'), answer('sched', ['l4'], 'bob'), answer('sched', ['l3'], 'carol'))!;
    const combined = combineResponses(r, 'sched', state.responses.get('sched')!)!;
    expect(combined.effective).toEqual({ status: 'answered', choices: ['l3'] });
    expect(combined.spread).toBe(3);
  });
  it('makes a question not applicable only when most respondents say so', () => {
    const base = [started, answer('sched', ['l3'])];
    const two = given(...base, answer('mesh', 'n/a', 'alice'), answer('mesh', ['l2'], 'bob'))!;
    expect(combineResponses(r, 'mesh', two.responses.get('mesh')!)!.effective.status).toBe('answered');
    const three = given(...base, answer('mesh', 'n/a', 'alice'), answer('mesh', ['l2'], 'bob'), answer('mesh', 'n/a', 'carol'))!;
    expect(combineResponses(r, 'mesh', three.responses.get('mesh')!)!.effective.status).toBe('not-applicable');
  });
  it('keeps respondent names that look like object keys apart from the prototype', () => {
    const state = given(started, answer('sched', ['l2'], '__proto__'), answer('sched', ['l3'], 'constructor'))!;
    expect(state.responses.get('sched')!.size).toBe(2);
  });
});

describe('expected respondents', () => {
  it('invites each name once, in order, and records nothing for names already invited', () => {
    const state = given(started, { type: 'RespondentsInvited', data: { respondents: ['alice'] } });
    expect(decide({ type: 'InviteRespondents', respondents: ['alice', 'bob', 'bob', 'carol'] }, state, r)).toEqual([
      { type: 'RespondentsInvited', data: { respondents: ['bob', 'carol'] } },
    ]);
    expect(decide({ type: 'InviteRespondents', respondents: ['alice'] }, state, r)).toEqual([]);
    expect(refusal({ type: 'InviteRespondents', respondents: ['  '] }, state)).toBe('empty-respondent');
    expect(given(started, { type: 'RespondentsInvited', data: { respondents: ['alice', 'bob'] } })?.expected).toEqual(['alice', 'bob']);
  });
});

describe('a facilitated consensus', () => {
  const disputed = [started, answer('sched', ['l2'], 'alice'), answer('sched', ['l4'], 'bob')] as const;
  const settle: AssessmentCommand = {
    type: 'RecordConsensus',
    question: 'sched',
    answer: ['l3'],
    rationale: 'Agreed in the review: 7 of 12 services on the cluster',
    facilitator: 'carol',
  };

  it('records the agreed answer, why, who facilitated, and the answers it settled', () => {
    expect(decide(settle, given(...disputed), r)).toEqual([
      {
        type: 'ConsensusRecorded',
        data: {
          question: 'sched',
          answer: ['l3'],
          rationale: 'Agreed in the review: 7 of 12 services on the cluster',
          facilitator: 'carol',
          settled: [
            { respondent: 'alice', answer: ['l2'] },
            { respondent: 'bob', answer: ['l4'] },
          ],
        },
      },
    ]);
  });

  it('is the effective answer until a respondent changes theirs after it; then the lower median decides again', () => {
    const [consensus] = decide(settle, given(...disputed), r);
    const settled = given(...disputed, consensus!);
    const combined = combineResponses(r, 'sched', settled!.responses.get('sched')!, settled!.consensus.get('sched'));
    expect(combined).toMatchObject({ effective: { status: 'answered', choices: ['l3'] }, disputed: true, lapsed: undefined });
    expect(combined?.consensus?.facilitator).toBe('carol');

    const changed = given(...disputed, consensus!, answer('sched', ['l5'], 'bob'));
    const again = combineResponses(r, 'sched', changed!.responses.get('sched')!, changed!.consensus.get('sched'));
    expect(again).toMatchObject({ effective: { status: 'answered', choices: ['l2'] }, consensus: undefined });
    expect(again?.lapsed?.rationale).toMatch(/Agreed in the review/);
  });

  it('refuses a consensus without a rationale, on an unanswered question, or with a choice the question lacks; the same again is nothing new', () => {
    expect(refusal({ ...settle, rationale: ' ' }, given(...disputed))).toBe('empty-rationale');
    expect(refusal({ ...settle, question: 'tools' }, given(...disputed))).toBe('nothing-to-settle');
    expect(refusal({ ...settle, answer: ['l9'] }, given(...disputed))).toBe('unknown-choice');
    const [consensus] = decide(settle, given(...disputed), r);
    expect(decide(settle, given(...disputed, consensus!), r)).toEqual([]);
  });

  it('marks a question disputed when answers are a level apart, or when some say n/a and some do not', () => {
    const mixed = given(started, answer('sched', ['l3']), answer('mesh', 'n/a', 'alice'), answer('mesh', ['l2'], 'bob'));
    expect(combineResponses(r, 'mesh', mixed!.responses.get('mesh')!)?.disputed).toBe(true);
    const same = given(started, answer('sched', ['l3'], 'alice'), answer('sched', ['l3'], 'bob'));
    expect(combineResponses(r, 'sched', same!.responses.get('sched')!)?.disputed).toBe(false);
  });
});

describe('renaming a respondent', () => {
  it('merges a phantom name into the real one in every view, keeping the later answer, and follows later events', () => {
    const state = given(
      started,
      { type: 'RespondentsInvited', data: { respondents: ['Alice Smith'] } },
      answer('sched', ['l2'], 'asmith'),
      answer('tools', ['l1'], 'Alice Smith'),
      answer('tools', ['l3'], 'asmith'),
    );
    const [renamed] = decide({ type: 'RenameRespondent', from: 'asmith', to: 'Alice Smith' }, state, r);
    const after = given(
      started,
      { type: 'RespondentsInvited', data: { respondents: ['Alice Smith'] } },
      answer('sched', ['l2'], 'asmith'),
      answer('tools', ['l1'], 'Alice Smith'),
      answer('tools', ['l3'], 'asmith'),
      renamed!,
      answer('mesh', ['l2'], 'asmith'),
    );
    expect([...after!.responses.get('sched')!.keys()]).toEqual(['Alice Smith']);
    expect(after!.responses.get('tools')!.get('Alice Smith')?.answer).toEqual(['l3']);
    expect([...after!.responses.get('mesh')!.keys()]).toEqual(['Alice Smith']);
    expect(after!.respondents).toEqual(['Alice Smith']);
    expect(refusal({ type: 'RenameRespondent', from: 'nobody', to: 'x' }, state)).toBe('unknown-respondent');
  });
});
