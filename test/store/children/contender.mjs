// One of several processes appending at once: OWN single-event appends to its own stream, interleaved with SHARED
// appends to a stream all of them write, each retried on a version conflict after re-reading the version.
// Prints one JSON line per acknowledged event: {"id", "stream", "conflicts"}.
// Usage: node contender.mjs STORE_DIR NAME OWN SHARED
import { openFileStore } from '../../../dist/store/fileStore.js';

const [dir, name, own, shared] = process.argv.slice(2);
const store = await openFileStore(dir);
const event = (id) => ({ id, type: 'AnswerRecorded', schema: 1, at: new Date().toISOString(), actor: name, data: { by: name } });

async function appendWithRetry(stream, id) {
  for (let conflicts = 0; ; conflicts++) {
    const events = await store.readStream(stream);
    try {
      await store.append(stream, [event(id)], events.at(-1)?.version ?? 0);
      return conflicts;
    } catch (err) {
      if (err.name !== 'StreamConflictError') throw err;
    }
  }
}

const ownStream = `own/${name}`;
for (let i = 0; i < Number(own); i++) {
  await store.append(ownStream, [event(`${name}-own-${i}`)], i);
  process.stdout.write(`${JSON.stringify({ id: `${name}-own-${i}`, stream: ownStream })}\n`);
  if (i < Number(shared)) {
    const id = `${name}-shared-${i}`;
    const conflicts = await appendWithRetry('shared', id);
    process.stdout.write(`${JSON.stringify({ id, stream: 'shared', conflicts })}\n`);
  }
}
