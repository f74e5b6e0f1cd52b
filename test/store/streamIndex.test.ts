// The stream index of a large file log (events.index): what it records, that reads through it return what a full
// read returns, and that an index that does not describe the log — stale, damaged, planted — is never believed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogDamagedError } from '../../src/errors.js';
import { GENESIS_HASH, type EventStore, type NewEvent, type StoredEvent } from '../../src/store/eventStore.js';
import { openFileStore } from '../../src/store/fileStore.js';
import { encodeHead, encodeRecord } from '../../src/store/record.js';
import { idHash, StreamIndex } from '../../src/store/streamIndex.js';
import { loadRubric } from '../../src/source/rubricFile.js';
import { BIN, ROOT } from '../support/cli.js';
import { answer, readAll } from './contract.js';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const GITIGNORE =
  '# Written by cnassess when it created this store. Commit events.jsonl and events.head; these are transient.\nevents.lock\n';

/**
 * A store of `count` events over `streams` streams side by side, written straight to the file (as the bench does), with
 * its head and a .gitignore as cnassess writes one.
 */
async function largeStore(count: number, streams = 50, makeEvent: (i: number) => NewEvent = (i) => answer(`id-${i}`)): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'cnassess-index-')), '.cnassess');
  temps.push(join(dir, '..'));
  await mkdir(dir);
  const versions = new Map<string, number>();
  let prev = GENESIS_HASH;
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const stream = `s${i % streams}`;
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const line = encodeRecord({ seq: i, stream, version, prev }, makeEvent(i));
    prev = line.slice(-66, -2);
    lines.push(line, '\n');
  }
  await writeFile(join(dir, 'events.jsonl'), lines.join(''));
  await writeFile(join(dir, 'events.head'), encodeHead({ seq: count, hash: prev }));
  await writeFile(join(dir, '.gitignore'), GITIGNORE);
  return dir;
}

/** Each stream as a full read delivers it, the reference that reads through the index are compared with. */
async function byFullRead(store: EventStore): Promise<Map<string, unknown[]>> {
  const streams = new Map<string, unknown[]>();
  for (const event of await readAll(store)) {
    if (!streams.has(event.stream)) streams.set(event.stream, []);
    streams.get(event.stream)!.push(event);
  }
  return streams;
}

describe('the stream index, as data', () => {
  it('finds each stream’s seqs, each record’s place and each id’s record, after extending and a round trip through its bytes', () => {
    const first = StreamIndex.empty(7, GENESIS_HASH).extend();
    first.add(1, 'a', 'x1', 0, '1'.repeat(13));
    first.add(2, 'b', 'x2', 100, '2'.repeat(13));
    first.add(3, 'a', 'x3', 250, '3'.repeat(13));
    const index = first.finish(400, 'h3');
    const more = index.extend();
    more.add(4, 'c', 'x4', 400, '4'.repeat(13));
    more.add(5, 'a', 'x5', 480, '5'.repeat(13));
    const extended = StreamIndex.decode(more.finish(600, 'h5').encode())!;

    expect(extended).toMatchObject({ offset: 600, ino: 7, lastSeq: 5, lastHash: 'h5' });
    expect([...extended.seqsOf('a')]).toEqual([1, 3, 5]);
    expect([...extended.seqsOf('b')]).toEqual([2]);
    expect([...extended.seqsOf('c')]).toEqual([4]);
    expect([...extended.seqsOf('nobody')]).toEqual([]);
    expect(extended.placeOf(1)).toEqual({ start: 0, end: 100 });
    expect(extended.placeOf(3)).toEqual({ start: 250, end: 400 });
    expect(extended.placeOf(5)).toEqual({ start: 480, end: 600 });
    expect(() => extended.placeOf(6)).toThrow(RangeError);
    expect(['a', 'b', 'c', 'nobody'].map((s) => extended.versionOf(s))).toEqual([3, 1, 1, 0]);
    for (let i = 1; i <= 5; i++) expect(extended.candidatesFor(`x${i}`)).toEqual([i]);
    expect(extended.candidatesFor('x6')).toEqual([]);
  });

  it('keeps every id findable when extended again and again, ids repeated included, read from aligned bytes or not', () => {
    const random = (() => {
      let state = 7;
      return () => (state = (state * 48271) % 2147483647) / 2147483647;
    })();
    let index = StreamIndex.empty(1, GENESIS_HASH);
    const ids: string[] = [];
    for (let round = 0; round < 30; round++) {
      const builder = index.extend();
      const added = 1 + Math.floor(random() * 40);
      for (let k = 0; k < added; k++) {
        // Now and then an id already in the log again: its hash is equal to one already indexed.
        const id = ids.length > 0 && random() < 0.1 ? ids[Math.floor(random() * ids.length)]! : `id-${ids.length}-${random()}`;
        ids.push(id);
        builder.add(ids.length, `s${k % 3}`, id, ids.length * 10, 'a'.repeat(13));
      }
      const bytes = builder.finish(ids.length * 10 + 10, 'h').encode();
      // Every other round from a buffer that does not start on an 8-byte boundary: the tables are then copied.
      const shifted = Buffer.concat([Buffer.alloc(1), bytes]).subarray(1);
      index = StreamIndex.decode(round % 2 === 0 ? bytes : shifted)!;
      expect(index.lastSeq).toBe(ids.length);
    }
    ids.forEach((id, i) => expect(index.candidatesFor(id), id).toContain(i + 1));
    const seqsOf = (id: string) => ids.flatMap((other, i) => (other === id ? [i + 1] : []));
    for (const id of new Set(ids)) expect(index.candidatesFor(id).sort((a, b) => a - b)).toEqual(seqsOf(id));
  });

  it('refuses bytes that are not an index: another format, cut short, a header that does not add up', () => {
    const builder = StreamIndex.empty(1, GENESIS_HASH).extend();
    builder.add(1, 'a', 'x1', 0, '1'.repeat(13));
    const bytes = builder.finish(10, 'h').encode();
    expect(StreamIndex.decode(bytes)).toBeDefined();
    expect(StreamIndex.decode(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(StreamIndex.decode(Buffer.from('cnassess-index 2\n{}\n'))).toBeUndefined();
    expect(StreamIndex.decode(Buffer.from(bytes.toString('latin1').replace('"lastSeq":1', '"lastSeq":2'), 'latin1'))).toBeUndefined();
    expect(StreamIndex.decode(Buffer.from(bytes.toString('latin1').replace(/"endian":"\w\w"/, '"endian":"XX"'), 'latin1'))).toBeUndefined();
    expect(StreamIndex.decode(Buffer.from('garbage'))).toBeUndefined();
  });

  it('spreads ids over 53 bits', () => {
    const hashes = new Set(Array.from({ length: 100_000 }, (_, i) => idHash(`id-${i}`)));
    expect(hashes.size).toBe(100_000);
    for (const h of [...hashes].slice(0, 100)) expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
  });
});

describe('the file store on a large log', () => {
  it('writes events.index beside a log of more than a thousand records, keeps it out of git, and reads every stream as a full read does', async () => {
    const dir = await largeStore(3000);
    const store = await openFileStore(dir);
    const expected = await byFullRead(store);
    expect(existsSync(join(dir, 'events.index'))).toBe(false); // a full read needs no index

    expect(await store.readStream('s7')).toEqual(expected.get('s7'));
    expect(existsSync(join(dir, 'events.index'))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('events.index');
    // A new process, which finds the index file: every stream, and bounded reads, as a full read gives them.
    const fresh = await openFileStore(dir);
    for (const [stream, events] of expected) expect(await fresh.readStream(stream)).toEqual(events);
    expect(await fresh.readStream('s7', { upToSeq: 1000 })).toEqual(expected.get('s7')!.filter((e) => (e as { seq: number }).seq <= 1000));
    expect(await fresh.readStream('none')).toEqual([]);
  });

  it('writes no index into a store whose .gitignore cnassess did not write and does not list it', async () => {
    const dir = await largeStore(1500);
    await writeFile(join(dir, '.gitignore'), '# ours\n*.tmp\n');
    expect(await (await openFileStore(dir)).readStream('s1')).toHaveLength(30);
    expect(existsSync(join(dir, 'events.index'))).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('# ours\n*.tmp\n');
  });

  it('takes appends made after the index into account, by this process and by others', async () => {
    const dir = await largeStore(2000);
    const reader = await openFileStore(dir);
    await reader.readStream('s1');
    const writer = await openFileStore(dir);
    await writer.append('s1', [answer('late-1'), answer('late-2')], 40);
    await writer.append('new-stream', [answer('late-3')], 0);
    expect((await reader.readStream('s1')).slice(-2).map((e) => e.id)).toEqual(['late-1', 'late-2']);
    expect((await reader.readStream('new-stream')).map((e) => [e.id, e.seq, e.version])).toEqual([['late-3', 2003, 1]]);
    expect(await (await openFileStore(dir)).verify()).toMatchObject({ ok: true, events: 2003 });
  });

  it('records nothing for an id that is in the indexed part of the log, in a process that never read it whole', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0'); // writes the index
    const store = await openFileStore(dir);
    const retry = await store.append('s3', [answer('id-1503'), answer('id-fresh')], 40);
    expect(retry.duplicates).toBe(1);
    expect(retry.appended.map((e) => e.id)).toEqual(['id-fresh']);
    expect((await readAll(store)).filter((e) => e.id === 'id-1503')).toHaveLength(1);
  });

  it('rebuilds an index that does not describe the log: another log in its place, a damaged or planted index file', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0');
    const index = join(dir, 'events.index');
    expect(existsSync(index)).toBe(true);

    // The same file rewritten in place with another log (its inode kept): the index's last record is not there.
    const other = await largeStore(2100, 7, (i) => answer(`other-${i}`));
    const handle = await open(join(dir, 'events.jsonl'), 'r+');
    await handle.truncate(0);
    await handle.write(await readFile(join(other, 'events.jsonl')), 0, undefined, 0);
    await handle.close();
    await writeFile(join(dir, 'events.head'), await readFile(join(other, 'events.head')));
    const expected = await byFullRead(await openFileStore(other));
    const store = await openFileStore(dir);
    for (const stream of ['s0', 's3', 's6']) expect(await store.readStream(stream)).toEqual(expected.get(stream));

    // A damaged index file, then one from another store.
    await writeFile(index, (await readFile(index)).subarray(0, 500));
    expect(await (await openFileStore(dir)).readStream('s3')).toEqual(expected.get('s3'));
    await largeStore(2000).then(async (third) => {
      await (await openFileStore(third)).readStream('s0');
      await writeFile(index, await readFile(join(third, 'events.index')));
    });
    expect(await (await openFileStore(dir)).readStream('s3')).toEqual(expected.get('s3'));
  });

  it('never follows a symbolic link planted as events.index', async () => {
    const dir = await largeStore(1500);
    const outside = join(dir, '..', 'precious.txt');
    await writeFile(outside, 'keep me');
    await symlink(outside, join(dir, 'events.index'));
    expect(await (await openFileStore(dir)).readStream('s2')).toHaveLength(30);
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
  });

  it('finds damage in a record it reads, and records removed from the end, as a full read does', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0');
    const log = join(dir, 'events.jsonl');
    const text = await readFile(log, 'utf8');
    // The last record of stream s5 (seq 1955) edited in place, same length.
    const lines = text.split('\n');
    lines[1954] = lines[1954]!.replace('k8s-some', 'k8s-SOME');
    await writeFile(log, lines.join('\n'));
    await expect((await openFileStore(dir)).readStream('s5')).rejects.toThrow(LogDamagedError);

    await writeFile(log, text.split('\n').slice(0, 1990).join('\n') + '\n');
    await expect((await openFileStore(dir)).readStream('s1')).rejects.toThrow(/truncated|removed from its end/);
  });
});

describe('the stream index against a changed log (found in review)', () => {
  it('refuses a log whose end is damaged, as a full read does: garbage without a line end after the indexed records', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0');
    await writeFile(join(dir, 'events.jsonl'), `${await readFile(join(dir, 'events.jsonl'), 'utf8')}garbage`);
    const fresh = await openFileStore(dir);
    await expect(readAll(fresh)).rejects.toThrow(LogDamagedError);
    await expect(fresh.readStream('s1')).rejects.toThrow(LogDamagedError);
  });

  it('refuses a record of the stream read that was rewritten with a recomputed hash, which its own hash cannot show', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0');
    const log = join(dir, 'events.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n');
    // Seq 101 (stream s1): the same answer spelt differently, same length, hash recomputed as a forger would.
    const record = JSON.parse(lines[100]!) as StoredEvent;
    const forged = encodeRecord(
      { seq: record.seq, stream: record.stream, version: record.version, prev: record.prev },
      {
        id: record.id,
        type: record.type,
        schema: record.schema,
        at: record.at,
        actor: record.actor,
        data: { question: 'orch-scheduling', answer: 'k8s-SOME' },
      },
    );
    expect(forged.length).toBe(lines[100]!.length);
    lines[100] = forged;
    await writeFile(log, lines.join('\n'));
    await expect((await openFileStore(dir)).readStream('s1')).rejects.toThrow(/changed since/);
  });

  it('rebuilds an index whose body was damaged (its checksum fails), so a retried append still records nothing twice', async () => {
    const dir = await largeStore(2000);
    await (await openFileStore(dir)).readStream('s0');
    const index = join(dir, 'events.index');
    const bytes = await readFile(index);
    bytes.fill(0, bytes.length - 20_000, bytes.length - 10_000); // inside the id hashes and seqs
    await writeFile(index, bytes);
    const store = await openFileStore(dir);
    expect((await store.append('s3', [answer('id-1503')], 40)).duplicates).toBe(1);
    expect(await store.readStream('s1')).toHaveLength(40);
    expect((await openFileStore(dir).then((s) => s.verify())).ok).toBe(true);
  });
});

describe('an index whose checksum holds but whose streams are wrong (found by attacking it)', () => {
  it('is dropped and rebuilt: the stream is read from the log, never called damaged', async () => {
    const dir = await largeStore(3000);
    const store = await openFileStore(dir);
    const expected = await byFullRead(store);
    await store.readStream('s1'); // writes the index
    // Swap the first records of streams s1 and s2 in the stream table, and sign the body again.
    const bytes = await readFile(join(dir, 'events.index'));
    const end = bytes.indexOf(0x0a, 'cnassess-index 2\n'.length);
    const header = JSON.parse(bytes.toString('utf8', 'cnassess-index 2\n'.length, end)) as {
      checksum: string;
      lastSeq: number;
      streams: [string, number][];
    };
    const bodyAt = end + 1 + ((8 - ((end + 1) % 8)) % 8);
    const body = Buffer.from(bytes.subarray(bodyAt));
    const seqs = new Uint32Array(body.buffer, body.byteOffset + 24 * header.lastSeq, header.lastSeq);
    const starts = new Map<string, number>();
    header.streams.reduce((at, [name, count]) => (starts.set(name, at), at + count), 0);
    const [a, b] = [starts.get('s1')!, starts.get('s2')!];
    [seqs[a], seqs[b]] = [seqs[b]!, seqs[a]!];
    header.checksum = createHash('sha256').update(body).digest('hex');
    const head = Buffer.from(`cnassess-index 2\n${JSON.stringify(header)}\n`);
    const tampered = Buffer.concat([head, Buffer.alloc((8 - (head.length % 8)) % 8, 0x20), body]);
    await writeFile(join(dir, 'events.index'), tampered);
    expect(StreamIndex.decode(tampered)).toBeDefined(); // it passes every check the index itself can make

    const fresh = await openFileStore(dir);
    expect(await fresh.readStream('s1')).toEqual(expected.get('s1'));
    expect(await fresh.readStream('s2')).toEqual(expected.get('s2'));
    const rebuilt = await readFile(join(dir, 'events.index'));
    expect(rebuilt.equals(tampered)).toBe(false);
    for (const [stream, events] of expected) expect(await (await openFileStore(dir)).readStream(stream)).toEqual(events);
  });
});

describe('writers on a large log', () => {
  it('lets six `cnassess answer` processes write at once, each holding the lock only for its append', async () => {
    const store = join(await mkdtemp(join(tmpdir(), 'cnassess-writers-')), '.cnassess');
    temps.push(join(store, '..'));
    const env = { ...process.env, NO_COLOR: '1' };
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, '--store', store, ...args], { cwd: ROOT, env });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    expect((await run(['start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    // Grown past the index threshold with another team's writes, so the writers start from the index.
    const filler = await openFileStore(store);
    for (let i = 0; i < 30; i++) {
      await filler.append(
        `other/${i}`,
        Array.from({ length: 50 }, (_, j) => answer(`filler-${i}-${j}`)),
        0,
      );
    }
    const { rubric } = await loadRubric();
    const picks = rubric.aspects
      .flatMap((a) => a.questions)
      .filter((q) => q.when === undefined)
      .slice(0, 6)
      .map((q) => [q.id, q.choices.find((c) => c.exclusive !== true)!.id] as const);
    const results = await Promise.all(
      picks.map(([question, choice], i) => run(['answer', '--assessment', 'acme/all/2026-q4', question, choice, '--respondent', `w${i}`])),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const log = await openFileStore(store);
    expect(await log.verify()).toMatchObject({ ok: true });
    expect((await log.readStream('assessment/acme/all/2026-q4')).filter((e) => e.type === 'AnswerRecorded')).toHaveLength(6);
    expect(existsSync(join(store, 'events.index'))).toBe(true);
  });
});
