// Copying a log from one store to another (`store copy`, and the demo, which plays its story in memory first).

import type { EventStore, ReadOptions, StoredEvent } from './eventStore.js';

/**
 * Appends every event of `from` to `to`, in seq order. `writes`: one append per write of the source (its `more`
 * marks), so every record is encoded at the same place with the same neighbours and comes out byte-identical.
 * `streams`: one append per run of one stream's events, fewer and larger (the demo's story, which no one has read).
 */
export async function copyEvents(
  from: EventStore,
  to: EventStore,
  boundaries: 'writes' | 'streams',
  options: ReadOptions = {},
): Promise<number> {
  let run: StoredEvent[] = [];
  let copied = 0;
  const flush = async () => {
    const first = run[0];
    if (first === undefined) return;
    await to.append(
      first.stream,
      run.map((e) => ({ id: e.id, type: e.type, schema: e.schema, at: e.at, actor: e.actor, data: e.data })),
      first.version - 1,
    );
    copied += run.length;
    run = [];
  };
  for await (const event of from.readAll(options)) {
    if (run.length > 0 && run[0]?.stream !== event.stream) await flush();
    run.push(event);
    if (boundaries === 'writes' && (event.more ?? 0) === 0) await flush();
  }
  await flush();
  return copied;
}
