// Copying a log from one store to another (`store copy`, and the demo, which plays its story in memory first).

import type { EventStore, ReadOptions, StoredEvent, StreamWrite } from './eventStore.js';

/**
 * How much one appendWrites() of a copy holds: events, and characters of their data as JSON (a write of the source is
 * never split, so its last write may take a batch past them). Each batch is one lock, one sync and one update of the
 * log's end: appending a log's 3,000 one-answer writes one by one, a copy into a folder took 8 s, and now 0.2 s. The
 * bound keeps a log of a million records from being held in memory.
 */
export const COPY_BATCH = { events: 20_000, dataChars: 8 * 1024 * 1024 };

/**
 * Appends every event of `from` to `to`, in seq order. `writes`: as the writes of the source (its `more` marks), so
 * every record is encoded at the same place with the same neighbours and comes out byte-identical. `streams`: one write
 * per run of one stream's events, fewer and larger (the demo's story, which no one has read). Returns how many events
 * it wrote: an event whose id `to` already holds is not written again.
 */
export async function copyEvents(
  from: EventStore,
  to: EventStore,
  boundaries: 'writes' | 'streams',
  options: ReadOptions = {},
  limits: { readonly events: number; readonly dataChars: number } = COPY_BATCH,
): Promise<number> {
  let run: StoredEvent[] = [];
  let batch: StreamWrite[] = [];
  let batchEvents = 0;
  let batchChars = 0;
  let copied = 0;
  const endWrite = () => {
    const first = run[0];
    if (first === undefined) return;
    const events = run.map((e) => ({ id: e.id, type: e.type, schema: e.schema, at: e.at, actor: e.actor, data: e.data }));
    batch.push({ stream: first.stream, events, expectedVersion: first.version - 1 });
    run = [];
  };
  const full = () => batchEvents >= limits.events || batchChars >= limits.dataChars;
  const send = async (unlessUnder: boolean) => {
    if (batch.length === 0 || (unlessUnder && !full())) return;
    // Counted as written: events another process wrote first (a second copy into the same store) are not written again.
    for (const result of await to.appendWrites(batch)) copied += result.appended.length;
    [batch, batchEvents, batchChars] = [[], 0, 0];
  };
  for await (const event of from.readAll(options)) {
    // A run of one stream's events may end anywhere in 'streams' mode: where the batch is full, too.
    if (run.length > 0 && (run[0]?.stream !== event.stream || (boundaries === 'streams' && full()))) {
      endWrite();
      await send(true);
    }
    run.push(event);
    batchEvents += 1;
    batchChars += JSON.stringify(event.data).length;
    if (boundaries === 'writes' && (event.more ?? 0) === 0) {
      endWrite();
      await send(true);
    }
  }
  endWrite();
  await send(false);
  return copied;
}
