// Appends to one stream until killed, printing each event id once its append has resolved (is acknowledged).
// Usage: node appender.mjs STORE_DIR STREAM NOTE_BYTES
import { openFileStore } from '../../../dist/store/fileStore.js';

const [dir, stream, noteBytes] = process.argv.slice(2);
const note = 'é'.repeat(Number(noteBytes) / 2); // large records make a kill in the middle of a write likely
const store = await openFileStore(dir);
let version = (await store.readStream(stream)).length;
for (let i = 1; ; i++) {
  // Batches of 1 to 3 events, so a kill can also fall between the lines of one write.
  const events = Array.from({ length: (i % 3) + 1 }, (_, j) => ({
    id: `${process.pid}-${i}-${j}`,
    type: 'AnswerRecorded',
    schema: 1,
    at: new Date().toISOString(),
    actor: 'child',
    data: { note },
  }));
  version = (await store.append(stream, events, version)).streamVersion;
  // Written synchronously to the pipe (Linux), so the parent never hears of an append that was not acknowledged.
  for (const event of events) process.stdout.write(`${event.id}\n`);
}
