// `store copy` between folders: what it refuses, and a source it cannot copy faithfully (the PostgreSQL side is in
// postgresStore.test.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyEvents } from '../../src/store/copy.js';
import { GENESIS_HASH, type StreamWrite } from '../../src/store/eventStore.js';
import { createMemoryStore, type MemoryStore } from '../../src/store/memoryStore.js';
import { cnassess, tempDir } from '../support/cli.js';
import { answer, readAll } from './contract.js';

/** A memory store that records the batches appendWrites() is given. */
function recordingTarget(): { target: MemoryStore; batches: StreamWrite[][] } {
  const target = createMemoryStore();
  const batches: StreamWrite[][] = [];
  const appendWrites = target.appendWrites.bind(target);
  target.appendWrites = (writes) => (batches.push([...writes]), appendWrites(writes));
  return { target, batches };
}

/** A log of `writes` writes over three streams, most of one record, every fifth of three, and every seventh a large one. */
async function manyWrites(writes: number): Promise<MemoryStore> {
  const store = createMemoryStore();
  const versions = new Map<string, number>();
  for (let i = 0; i < writes; i++) {
    const stream = `assessment/acme/team-${i % 3}/2026-q4`;
    const data = { question: 'orch-scheduling', answer: 'k8s-some', note: i % 7 === 0 ? 'x'.repeat(2000) : `write ${i}` };
    const events = Array.from({ length: i % 5 === 0 ? 3 : 1 }, (_, j) => answer(`w${i}-${j}`, undefined, data));
    const version = versions.get(stream) ?? 0;
    await store.append(stream, events, version);
    versions.set(stream, version + events.length);
  }
  return store;
}

describe('store copy', () => {
  it('copies a folder to a folder byte for byte, and refuses a copy onto itself', async () => {
    const dir = tempDir();
    expect((await cnassess(['demo'], { cwd: dir })).code).toBe(0);
    const copied = await cnassess(['store', 'copy', '.cnassess', 'backup'], { cwd: dir });
    expect(copied.code, copied.stderr).toBe(0);
    // Compared as latin1 text, one character per byte: toEqual on two Buffers walks every index as an object key.
    expect(readFileSync(join(dir, 'backup', 'events.jsonl'), 'latin1')).toBe(
      readFileSync(join(dir, '.cnassess', 'events.jsonl'), 'latin1'),
    );
    const self = await cnassess(['store', 'copy', '.cnassess', './.cnassess/'], { cwd: dir });
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/the source and the target are the same store/);
  });

  it('copies a log of many small writes byte for byte into a folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'source'));
    const source = await manyWrites(2_000);
    writeFileSync(join(dir, 'source', 'events.jsonl'), source.text());
    const r = await cnassess(['store', 'copy', 'source', 'target'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^copied 2,?800 events in 3 streams/);
    expect(readFileSync(join(dir, 'target', 'events.jsonl'), 'latin1')).toBe(source.text());
  });

  it('appends a copy in batches of bounded size, each write of the source kept as it was', async () => {
    const source = await manyWrites(60);
    const eventCount = (writes: StreamWrite[]) => writes.flatMap((w) => w.events).length;
    const dataChars = (writes: StreamWrite[]) => writes.flatMap((w) => w.events).reduce((n, e) => n + JSON.stringify(e.data).length, 0);
    for (const limits of [
      { events: 10, dataChars: 1_000_000 },
      { events: 1_000, dataChars: 5_000 },
    ]) {
      const { target, batches } = recordingTarget();
      expect(await copyEvents(source, target, 'writes', {}, limits)).toBe(84);
      expect(target.text()).toBe(source.text());
      // Every write is the source's (60 writes, 84 events), and a batch ends with the first write that reaches a bound.
      expect(batches.flat()).toHaveLength(60);
      expect(batches.length).toBeGreaterThan(limits.events === 10 ? 7 : 5);
      for (const batch of batches.slice(0, -1)) {
        const before = batch.slice(0, -1);
        expect([eventCount(before) < limits.events, dataChars(before) < limits.dataChars]).toEqual([true, true]);
        expect(eventCount(batch) >= limits.events || dataChars(batch) >= limits.dataChars).toBe(true);
      }
    }
    // As the demo copies its story: runs of one stream, cut where a batch is full, so no batch outgrows the bound.
    const { target, batches } = recordingTarget();
    expect(await copyEvents(source, target, 'streams', {}, { events: 10, dataChars: 1_000_000 })).toBe(84);
    expect((await readAll(target)).map(({ stream, version, id, data }) => ({ stream, version, id, data }))).toEqual(
      (await readAll(source)).map(({ stream, version, id, data }) => ({ stream, version, id, data })),
    );
    expect(batches.map(eventCount).every((n) => n <= 10)).toBe(true);
    expect(batches.length).toBeGreaterThanOrEqual(9);
  });

  it('counts the events it wrote: what the target already holds by id is not written again, nor counted', async () => {
    const source = await manyWrites(60);
    const target = createMemoryStore();
    // The first 40 events already there (the first of two copies at once got there first).
    expect(await copyEvents(source, target, 'writes', { upToSeq: 40 })).toBe(40);
    expect(await copyEvents(source, target, 'writes')).toBe(84 - 40);
    expect(target.text()).toBe(source.text());
  });

  it('gives two copies at once into one empty folder one whole log: each event written once, and the copies say so', async () => {
    const dir = tempDir();
    expect((await cnassess(['demo'], { cwd: dir })).code).toBe(0);
    const events = readFileSync(join(dir, '.cnassess', 'events.jsonl'), 'latin1').split('\n').length - 1;
    const runs = await Promise.all([1, 2].map(() => cnassess(['store', 'copy', '.cnassess', 'backup'], { cwd: dir })));
    expect(readFileSync(join(dir, 'backup', 'events.jsonl'), 'latin1')).toBe(
      readFileSync(join(dir, '.cnassess', 'events.jsonl'), 'latin1'),
    );
    // Run in one process, both verify the target empty before either writes (on a loaded machine the second could
    // start late: then it refuses a target that is not empty). One writes the log; the other writes nothing, and says
    // who did.
    const [first, second] = [...runs].sort((a, b) => b.stdout.length - a.stdout.length);
    expect(first?.stdout.replace(/(\d),(\d)/g, '$1$2')).toMatch(
      new RegExp(
        `^copied (0 events from .*: all ${events} events were already there, written meanwhile, not by this copy; .* holds all ${events} events in \\d+ streams, hash chain verified|${events} events in \\d+ streams from )`,
      ),
    );
    expect(first?.code).toBe(0);
    if (second?.code === 0) {
      expect(first?.stdout).toMatch(/^copied 0 events/);
      expect(second.stdout.replace(/(\d),(\d)/g, '$1$2')).toMatch(new RegExp(`^copied ${events} events in \\d+ streams from `));
    } else {
      expect([second?.code, second?.stderr]).toEqual([2, expect.stringMatching(/already holds [\d,]+ events/)]);
    }
  });

  it('waits for another writer as every command does: CNASSESS_LOCK_WAIT is read, and a bad one refused (found in review)', async () => {
    const dir = tempDir();
    const r = await cnassess(['store', 'copy', join(dir, 'a'), join(dir, 'b')], { env: { CNASSESS_LOCK_WAIT: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CNASSESS_LOCK_WAIT="soon" is not a number of seconds/);
  });

  it('refuses to call a copy done when a source record is not in the form cnassess writes (its hash would differ)', async () => {
    const dir = tempDir();
    const source = join(dir, 'hand');
    mkdirSync(source);
    // A record written by hand with a space after a comma: its hash covers its own text, so it verifies; re-encoded it
    // would be another line with another hash.
    const event = answer('hand-1');
    const body = `{"seq":1,"stream":"s", "version":1,"id":"${event.id}","type":"${event.type}","schema":1,"at":"${event.at}","actor":"${event.actor}","data":${JSON.stringify(event.data)},"prev":"${GENESIS_HASH}"}`;
    const { createHash } = await import('node:crypto');
    writeFileSync(join(source, 'events.jsonl'), `${body.slice(0, -1)},"hash":"${createHash('sha256').update(body).digest('hex')}"}\n`);
    expect((await cnassess(['--store', source, 'verify'])).code).toBe(0);
    const r = await cnassess(['store', 'copy', source, join(dir, 'copy')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not end where its source does .* a record of the source is not in the form cnassess writes/);
  });
});
