// A writer that stalls in the middle of its write, holding the writer lock: it prints "in-write", then waits for a
// line on stdin before writing (the parent pauses it with SIGSTOP meanwhile, as a suspended laptop would), then
// prints "written <seq>". Usage: node stalled.mjs STORE_DIR
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openFileStore } from '../../../dist/store/fileStore.js';

const [dir] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
const io = {
  async write(handle, data) {
    process.stdout.write('in-write\n');
    await once(lines, 'line');
    return (await handle.write(data)).bytesWritten;
  },
  sync: (handle) => handle.sync(),
};
const store = await openFileStore(dir, { io, lock: { command: 'stalled-writer (test)' } });
const version = (await store.readStream('test/stalled')).length;
const { appended } = await store.append(
  'test/stalled',
  [
    {
      id: `stalled-${process.pid}`,
      type: 'AnswerRecorded',
      schema: 2,
      at: new Date().toISOString(),
      actor: 'stalled',
      data: { question: 'obs-cost', answer: ['tagged'], respondent: 'stalled' },
    },
  ],
  version,
);
process.stdout.write(`written ${appended[0].seq}\n`);
lines.close();
