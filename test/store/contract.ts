// The behaviour every EventStore must have, as one suite that each store's test file runs against itself.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamConflictError, UsageError } from '../../src/errors.js';
import { GENESIS_HASH, type EventStore, type NewEvent, type ReadOptions, type StoredEvent } from '../../src/store/eventStore.js';

/** An answer event with a readable id; `at` defaults to a fixed time. */
export function answer(
  id: string,
  at = '2026-11-25T10:00:00.000Z',
  data: unknown = { question: 'orch-scheduling', answer: 'k8s-some' },
): NewEvent {
  return { id, type: 'AnswerRecorded', schema: 1, at, actor: 'alice', data };
}

export async function readAll(store: EventStore, options?: Parameters<EventStore['readAll']>[0]): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll(options)) events.push(event);
  return events;
}

export function describeEventStoreContract(name: string, makeStore: () => Promise<EventStore>): void {
  describe(`${name}: the EventStore contract`, () => {
    it('reads back appended events with the fields given and their place in the log', async () => {
      const store = await makeStore();
      const event = answer('a1');
      await store.append('assessment/acme/all/2026-Q4', [event], 0);

      const [stored] = await readAll(store);
      expect(stored).toEqual({
        ...event,
        seq: 1,
        stream: 'assessment/acme/all/2026-Q4',
        version: 1,
        prev: GENESIS_HASH,
        hash: stored?.hash,
      });
      expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('returns from append exactly what a later read returns', async () => {
      const store = await makeStore();
      const { appended } = await store.append('s', [answer('a1'), answer('a2')], 0);
      expect(await readAll(store)).toEqual(appended);
    });

    it('numbers seq from 1 without gaps across streams', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1'), answer('a2')], 0);
      await store.append('s2', [answer('b1')], 0);
      await store.append('s1', [answer('a3')], 2);

      expect((await readAll(store)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });

    it('numbers versions per stream from 1 and reports the version after the append', async () => {
      const store = await makeStore();
      expect((await store.append('s1', [answer('a1'), answer('a2')], 0)).streamVersion).toBe(2);
      expect((await store.append('s2', [answer('b1')], 0)).streamVersion).toBe(1);
      expect((await store.append('s1', [answer('a3')], 2)).streamVersion).toBe(3);

      expect((await readAll(store)).map((e) => `${e.stream}@${e.version}`)).toEqual(['s1@1', 's1@2', 's2@1', 's1@3']);
    });

    it('refuses an append based on a stale version with StreamConflictError and records nothing', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1'), answer('a2')], 0);

      const attempt = store.append('s', [answer('a3')], 1);
      await expect(attempt).rejects.toBeInstanceOf(StreamConflictError);
      await expect(attempt).rejects.toMatchObject({ stream: 's', expectedVersion: 1, actualVersion: 2 });
      expect((await readAll(store)).map((e) => e.id)).toEqual(['a1', 'a2']);
    });

    it('refuses expectedVersion 0 for a stream that already exists', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1')], 0);

      await expect(store.append('s', [answer('a2')], 0)).rejects.toBeInstanceOf(StreamConflictError);
      expect(await readAll(store)).toHaveLength(1);
    });

    it('records nothing and raises no conflict when every event id is already in the log', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1'), answer('a2')], 0);

      // A retried command: same ids, and the version it read before its first attempt.
      const retry = await store.append('s', [answer('a1'), answer('a2')], 0);

      expect(retry).toEqual({ appended: [], duplicates: 2, streamVersion: 2 });
      expect(await readAll(store)).toHaveLength(2);
    });

    it('writes only the new events when some ids are already in the log', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1'), answer('a2')], 0);

      const result = await store.append('s', [answer('a2'), answer('a3')], 2);

      expect(result.duplicates).toBe(1);
      expect(result.appended.map((e) => [e.id, e.seq, e.version])).toEqual([['a3', 3, 3]]);
      expect(result.streamVersion).toBe(3);
      expect((await readAll(store)).map((e) => e.id)).toEqual(['a1', 'a2', 'a3']);
    });

    it('refuses the same event id twice in one append', async () => {
      const store = await makeStore();
      await expect(store.append('s', [answer('a1'), answer('a1')], 0)).rejects.toThrow(/appears twice/);
      expect(await readAll(store)).toEqual([]);
    });

    it('reads only events up to a sequence number with upToSeq', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1'), answer('a2')], 0);
      await store.append('s2', [answer('b1')], 0);

      expect((await readAll(store, { upToSeq: 2 })).map((e) => e.id)).toEqual(['a1', 'a2']);
      expect(await readAll(store, { upToSeq: 0 })).toEqual([]);
    });

    it('reads only events strictly before a time with before, comparing times rather than text', async () => {
      const store = await makeStore();
      await store.append(
        's',
        [answer('a1', '2026-09-30T23:59:59Z'), answer('a2', '2026-10-01T00:00:00.000Z'), answer('a3', '2026-10-01T00:00:00.500Z')],
        0,
      );

      expect((await readAll(store, { before: '2026-10-01' })).map((e) => e.id)).toEqual(['a1']);
      expect((await readAll(store, { before: '2026-10-01T00:00:00.001Z' })).map((e) => e.id)).toEqual(['a1', 'a2']);
    });

    it('applies upToSeq and before together', async () => {
      const store = await makeStore();
      await store.append(
        's',
        [answer('a1', '2026-10-01T00:00:00Z'), answer('a2', '2026-09-01T00:00:00Z'), answer('a3', '2026-08-01T00:00:00Z')],
        0,
      );

      expect((await readAll(store, { upToSeq: 2, before: '2026-09-15' })).map((e) => e.id)).toEqual(['a2']);
    });

    it('refuses a before that is not a date with UsageError', async () => {
      const store = await makeStore();
      expect(() => store.readAll({ before: 'last tuesday' })).toThrow(UsageError);
    });

    it('reads one stream in version order', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1')], 0);
      await store.append('s2', [answer('b1')], 0);
      await store.append('s1', [answer('a2')], 1);

      const events = await store.readStream('s1');
      expect(events.map((e) => [e.id, e.version])).toEqual([
        ['a1', 1],
        ['a2', 2],
      ]);
      expect(await store.readStream('s1', { upToSeq: 2 })).toHaveLength(1);
      expect(await store.readStream('nobody')).toEqual([]);
    });

    it('reads one stream up to a seq and before a time, as readAll does', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1', '2026-08-01T00:00:00Z')], 0);
      await store.append('s2', [answer('b1', '2026-08-15T00:00:00Z')], 0);
      await store.append('s1', [answer('a2', '2026-09-01T00:00:00Z'), answer('a3', '2026-10-01T00:00:00Z')], 1);

      const ids = async (options: ReadOptions) => (await store.readStream('s1', options)).map((e) => e.id);
      expect(await ids({ before: '2026-09-15' })).toEqual(['a1', 'a2']);
      expect(await ids({ upToSeq: 3 })).toEqual(['a1', 'a2']);
      expect(await ids({ upToSeq: 4, before: '2026-08-30' })).toEqual(['a1']);
      expect(await ids({ upToSeq: 0 })).toEqual([]);
      await expect(store.readStream('s1', { before: 'last tuesday' })).rejects.toThrow(UsageError);
    });

    it('chains each record to the one before, the first to GENESIS_HASH, and verifies the chain', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1'), answer('a2')], 0);
      await store.append('s2', [answer('b1')], 0);

      const events = await readAll(store);
      expect(events[0]?.prev).toBe(GENESIS_HASH);
      expect(events.slice(1).map((e) => e.prev)).toEqual(events.slice(0, -1).map((e) => e.hash));
      expect(new Set(events.map((e) => e.hash)).size).toBe(3);
      const { anchored, ...report } = await store.verify();
      expect(report).toEqual({ ok: true, events: 3, streams: 2, lastSeq: 3, lastHash: events[2]?.hash });
      // A store that anchors the end of its log anchors it at the last record.
      if (anchored !== undefined) expect(anchored).toEqual({ seq: 3, hash: events[2]?.hash });
    });

    it('marks every record of a write of several but the last with how many of the write follow it', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1'), answer('a2'), answer('a3')], 0);
      await store.append('s1', [answer('a4')], 3);

      expect((await readAll(store)).map((e) => e.more)).toEqual([2, 1, undefined, undefined]);
    });

    it('appends several writes at once exactly as appending them one by one, each write with its own more marks', async () => {
      const writes = [
        { stream: 's1', events: [answer('a1'), answer('a2')], expectedVersion: 0 },
        { stream: 's2', events: [answer('b1')], expectedVersion: 0 },
        { stream: 's1', events: [answer('a3'), answer('a4'), answer('a5')], expectedVersion: 2 },
      ];
      const together = await makeStore();
      const results = await together.appendWrites(writes);
      const oneByOne = await makeStore();
      const expected = [];
      for (const w of writes) expected.push(await oneByOne.append(w.stream, w.events, w.expectedVersion));

      expect(results).toEqual(expected);
      expect(await readAll(together)).toEqual(await readAll(oneByOne));
      expect((await readAll(together)).map((e) => [e.seq, e.stream, e.version, e.more])).toEqual([
        [1, 's1', 1, 1],
        [2, 's1', 2, undefined],
        [3, 's2', 1, undefined],
        [4, 's1', 3, 2],
        [5, 's1', 4, 1],
        [6, 's1', 5, undefined],
      ]);
      expect(await together.verify()).toEqual(await oneByOne.verify());
      expect(await together.appendWrites([])).toEqual([]);
      expect((await readAll(together)).length).toBe(6);
    });

    it('writes none of several writes when one of them conflicts, and appends after the log as it was', async () => {
      const store = await makeStore();
      await store.append('s1', [answer('a1')], 0);
      const stale = store.appendWrites([
        { stream: 's2', events: [answer('b1')], expectedVersion: 0 },
        { stream: 's1', events: [answer('a2')], expectedVersion: 0 },
      ]);
      await expect(stale).rejects.toThrow(StreamConflictError);
      expect((await readAll(store)).map((e) => e.id)).toEqual(['a1']);
      const { appended } = await store.append('s2', [answer('b1')], 0);
      expect(appended.map((e) => [e.seq, e.version, e.prev])).toEqual([[2, 1, (await readAll(store))[0]?.hash]]);
      expect(await store.verify()).toMatchObject({ ok: true, events: 2, lastSeq: 2 });
    });

    it('leaves out of several writes the ids already in the log or in an earlier write of the same call', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1')], 0);
      const results = await store.appendWrites([
        { stream: 's', events: [answer('a1'), answer('a2')], expectedVersion: 1 },
        { stream: 't', events: [answer('a2')], expectedVersion: 0 },
        { stream: 't', events: [answer('b1')], expectedVersion: 0 },
        // An id that was in the log before the call, in a later write than the first.
        { stream: 'u', events: [answer('a1'), answer('c1')], expectedVersion: 0 },
      ]);
      expect(results.map((r) => [r.appended.map((e) => e.id), r.duplicates, r.streamVersion])).toEqual([
        [['a2'], 1, 2],
        [[], 1, 0],
        [['b1'], 0, 1],
        [['c1'], 1, 1],
      ]);
      expect((await readAll(store)).map((e) => `${e.stream}:${e.id}`)).toEqual(['s:a1', 's:a2', 't:b1', 'u:c1']);
    });

    it('verifies an empty log', async () => {
      const store = await makeStore();
      expect(await store.verify()).toEqual({ ok: true, events: 0, streams: 0, lastSeq: 0, lastHash: GENESIS_HASH });
    });

    it('round-trips any JSON data, including unpaired surrogates and U+2028', async () => {
      const store = await makeStore();
      const awkward = fc.constantFrom('\u2028', '\u2029', '\ud800', '\udfff', '\n', '\r', '"', '\\', '\u0000', 'é', '😀');
      const unit = fc.oneof(awkward, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
      const values = fc.sample(fc.jsonValue({ stringUnit: unit, maxDepth: 3 }), { numRuns: 100, seed: 20261125 });
      values.push({ note: 'line one\nline two\r\n"quoted" \\ \u2028\u2029 \ud800 é 😀' });

      await store.append(
        's',
        values.map((data, i) => answer(`a${i}`, undefined, data)),
        0,
      );

      expect((await readAll(store)).map((e) => e.data)).toEqual(values.map((v) => JSON.parse(JSON.stringify(v)) as unknown));
      expect((await store.verify()).ok).toBe(true);
    });

    it('has no notices for a log that was never interrupted', async () => {
      const store = await makeStore();
      await store.append('s', [answer('a1')], 0);
      expect(store.notices).toEqual([]);
    });
  });
}
