// The workspace's memo of folded assessments: a long-lived workspace (a questionnaire session, the demo) folds only
// what was appended since its last read, and never serves a fold of records that are no longer the stream's.
import { describe, expect, it } from 'vitest';
import { rubricRef } from '../../src/rubric/ref.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { EventStore } from '../../src/store/eventStore.js';
import { Workspace } from '../../src/workspace.js';
import { aspect, question, rubric } from '../support/rubrics.js';

const r = rubric([aspect('ops', [question('metrics'), question('alerts')])]);
const start = { type: 'StartAssessment', org: 'Acme', scope: 'platform', period: '2026-Q4', rubric: rubricRef(r) } as const;
const ID = 'acme/platform/2026-q4';
const clock = () => new Date('2026-11-01T10:00:00Z');
const ids = (prefix: string) => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};
const answer = (question: string, choice: string, respondent: string) =>
  ({ type: 'RecordAnswer', question, answer: [choice], respondent }) as const;

describe('the workspace, read again after appends', () => {
  it("sees answers another writer appended since its last read, and its own, in the stream's order", async () => {
    const store = createMemoryStore();
    const mine = new Workspace(store, clock, ids('mine'));
    const theirs = new Workspace(store, clock, ids('theirs'));
    await mine.execute(ID, [start, answer('metrics', 'l2', 'alice')], r, 'alice');
    expect((await mine.assessment(ID))?.version).toBe(2);
    await theirs.execute(ID, [answer('alerts', 'l4', 'bob')], r, 'bob');
    await mine.execute(ID, [answer('metrics', 'l3', 'alice')], r, 'alice');
    const state = await mine.assessment(ID);
    expect(state?.version).toBe(4);
    expect(state?.responses.get('alerts')?.get('bob')?.answer).toEqual(['l4']);
    expect(state?.responses.get('metrics')?.get('alice')?.answer).toEqual(['l3']);
    // The same as a workspace that never read the stream before folds from its first event.
    expect(state).toEqual(await new Workspace(store, clock, ids('fresh')).assessment(ID));
    // As of an earlier point, the memo is not used: the fold ends where the log did then.
    expect((await mine.assessment(ID, { upToSeq: 2 }))?.responses.get('alerts')).toBeUndefined();
    expect((await mine.assessment(ID))?.version).toBe(4);
  });

  it('never keeps a fold as of a point in time: with clocks out of step, that fold leaves out a record in the middle', async () => {
    const store = createMemoryStore();
    const at = (time: string) => () => new Date(`2026-11-01T${time}:00Z`);
    // Three writers whose clocks disagree: versions 1, 2, 3 recorded at 09:00, 10:00 and 09:10.
    await new Workspace(store, at('09:00'), ids('a')).execute(ID, [start], r, 'alice');
    await new Workspace(store, at('10:00'), ids('b')).execute(ID, [answer('alerts', 'l4', 'bob')], r, 'bob');
    await new Workspace(store, at('09:10'), ids('c')).execute(ID, [answer('metrics', 'l2', 'carol')], r, 'carol');
    const workspace = new Workspace(store, clock, ids('w'));
    const before = await workspace.assessment(ID, { before: '2026-11-01T09:30:00Z' });
    expect(before?.responses.get('alerts')).toBeUndefined();
    expect(before?.responses.get('metrics')?.get('carol')?.answer).toEqual(['l2']);
    // Read now, bob's answer is there: the fold as of 09:30 ended at version 3 too, but was not kept.
    expect((await workspace.assessment(ID))?.responses.get('alerts')?.get('bob')?.answer).toEqual(['l4']);
  });

  it('folds anew when the record its memo ends at is no longer the one in the stream', async () => {
    const first = createMemoryStore();
    const second = createMemoryStore();
    // Two logs of the same length whose last answers differ: the store under the workspace is swapped between reads.
    await new Workspace(first, clock, ids('a')).execute(ID, [start, answer('metrics', 'l2', 'alice')], r, 'alice');
    await new Workspace(second, clock, ids('b')).execute(ID, [start, answer('metrics', 'l5', 'alice')], r, 'alice');
    let current: EventStore = first;
    const swapping: EventStore = {
      readAll: (o) => current.readAll(o),
      readStream: (s, o) => current.readStream(s, o),
      append: (s, e, v) => current.append(s, e, v),
      appendWrites: (w) => current.appendWrites(w),
      verify: () => current.verify(),
      get notices() {
        return current.notices;
      },
    };
    const workspace = new Workspace(swapping, clock, ids('w'));
    expect((await workspace.assessment(ID))?.responses.get('metrics')?.get('alice')?.answer).toEqual(['l2']);
    current = second;
    expect((await workspace.assessment(ID))?.responses.get('metrics')?.get('alice')?.answer).toEqual(['l5']);
  });
});
