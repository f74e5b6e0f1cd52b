import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogDamagedError, StoreWriteError } from '../../src/errors.js';
import { GENESIS_HASH, type NewEvent, type StoredEvent } from '../../src/store/eventStore.js';
import { openFileStore, type StoreIo } from '../../src/store/fileStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { encodeRecord } from '../../src/store/record.js';
import { answer, describeEventStoreContract, readAll } from './contract.js';

const temps: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cnassess-store-'));
  temps.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A store folder that does not exist yet. */
async function storeDir(): Promise<string> {
  return join(await tempDir(), '.cnassess');
}

const logOf = (dir: string): string => join(dir, 'events.jsonl');

/** The text of a valid log of `count` events, made by the memory store (which writes the same bytes). */
async function logText(count: number, makeEvent: (i: number) => NewEvent = (i) => answer(`e${i}`)): Promise<string> {
  const store = createMemoryStore();
  const versions = new Map<string, number>();
  for (let i = 1; i <= count; i++) {
    const stream = `s${i % 2}`;
    versions.set(stream, (await store.append(stream, [makeEvent(i)], versions.get(stream) ?? 0)).streamVersion);
  }
  return store.text();
}

/** Records (lines) chained anew by hand, seq renumbered from 1, as a forger with the tool's own code would. */
function rawChain(lines: readonly string[]): string[] {
  let prev = GENESIS_HASH;
  const versions = new Map<string, number>();
  return lines.map((line, i) => {
    const { seq: _seq, prev: _prev, hash: _hash, version: _version, stream, more, ...event } = JSON.parse(line) as StoredEvent;
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const encoded = encodeRecord({ seq: i + 1, stream, version, ...(more !== undefined && { more }), prev }, event);
    prev = encoded.slice(-66, -2);
    return encoded;
  });
}

/** Lines of records placed by hand as [seq, stream, version, prev?] (damage no store would write), chained. */
function rawLines(places: ReadonlyArray<readonly [number, string, number, string?]>): string[] {
  let prev = GENESIS_HASH;
  return places.map(([seq, stream, version, badPrev], i) => {
    const line = encodeRecord({ seq, stream, version, prev: badPrev ?? prev }, answer(`e${i}`));
    prev = line.slice(-66, -2);
    return line;
  });
}

const FIXED_NOW = () => new Date('2026-11-25T10:00:00.000Z');
const RECOVERY_FILE = 'events.recovered-2026-11-25T10-00-00-000Z.jsonl';

describeEventStoreContract('file store', async () => openFileStore(await storeDir()));

/** Bytes as text, one character per byte: compared with toBe, not toEqual, which walks a Buffer's every index. */
const latin1 = (bytes: Buffer): string => bytes.toString('latin1');
describe('file store: files and folders', () => {
  it('keeps every event across reopening', async () => {
    const dir = await storeDir();
    const first = await openFileStore(dir);
    await first.append('s', [answer('a1'), answer('a2')], 0);

    const reopened = await openFileStore(dir);
    expect((await readAll(reopened)).map((e) => e.id)).toEqual(['a1', 'a2']);
    expect((await reopened.append('s', [answer('a3')], 2)).appended[0]?.seq).toBe(3);
  });

  it('reads a missing store as an empty log without creating its folder', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);

    expect(await readAll(store)).toEqual([]);
    expect(await store.readStream('s')).toEqual([]);
    expect((await store.verify()).ok).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('creates the store folder on the first append, with a .gitignore for what is not to be committed', async () => {
    const dir = join(await tempDir(), 'nested', '.cnassess');
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1')], 0);

    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'events.head', 'events.jsonl']);
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).split('\n')).toEqual(
      expect.arrayContaining([
        'events.lock',
        'events.lock.*',
        'events.head.*.new',
        'events.recovered-*',
        'events.index',
        'events.index.*.new',
      ]),
    );
  });

  it('writes one line per event, LF only, even for notes with line breaks, quotes and U+2028', async () => {
    const dir = await storeDir();
    const note = 'first line\nsecond line\r\nthird\u2028fourth\u2029 "quoted" \\ tab\t é 😀';
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1', undefined, { note }), answer('a2', undefined, { note })], 0);

    const text = await readFile(logOf(dir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).not.toMatch(/[\r\u2028\u2029]/);
    const reopened = await openFileStore(dir);
    expect((await readAll(reopened)).map((e) => e.data)).toEqual([{ note }, { note }]);
  });

  it('writes the keys of a record in a stable order', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    // Keys given in another order must not change the line.
    const event = {
      data: { answer: 'k8s-some' },
      actor: 'alice',
      at: '2026-11-25T10:00:00.000Z',
      schema: 1,
      type: 'AnswerRecorded',
      id: 'a1',
    };
    await store.append('assessment/acme/all/2026-Q4', [event], 0);

    expect(await readFile(logOf(dir), 'utf8')).toMatch(
      new RegExp(
        `^${escapeRegExp(
          '{"seq":1,"stream":"assessment/acme/all/2026-Q4","version":1,"id":"a1","type":"AnswerRecorded","schema":1,' +
            `"at":"2026-11-25T10:00:00.000Z","actor":"alice","data":{"answer":"k8s-some"},"prev":"${GENESIS_HASH}","hash":"`,
        )}[0-9a-f]{64}"}\\n$`,
      ),
    );
  });

  it('writes the same bytes as the memory store', async () => {
    const dir = await storeDir();
    const file = await openFileStore(dir);
    const memory = createMemoryStore();
    for (const store of [file, memory]) {
      await store.append('s1', [answer('a1'), answer('a2')], 0);
      await store.append('s2', [answer('b1', undefined, { note: 'x\u2028y' })], 0);
    }
    expect(await readFile(logOf(dir), 'utf8')).toBe(memory.text());
  });

  it('runs appends of one process one after another, and sees appends made through another handle', async () => {
    const dir = await storeDir();
    const [a, b] = [await openFileStore(dir), await openFileStore(dir)];

    await Promise.all(Array.from({ length: 10 }, (_, i) => a.append(`s${i}`, [answer(`a${i}`)], 0)));
    const retried = await b.append('s0', [answer('a0')], 0);
    await b.append('s0', [answer('b0')], 1);

    expect(retried.duplicates).toBe(1);
    expect((await readAll(a)).map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect((await a.verify()).ok).toBe(true);
  });

  it('reads the log afresh before appending when it was replaced by an older copy (a restore from git)', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1')], 0);
    const older = await readFile(logOf(dir));
    const olderHead = await readFile(join(dir, 'events.head'));
    await store.append('s', [answer('a2')], 1);

    // git restores the files it changes by writing new ones: new inodes.
    for (const [name, bytes] of [
      ['events.jsonl', older],
      ['events.head', olderHead],
    ] as const) {
      await writeFile(join(dir, `${name}.restored`), bytes);
      await rename(join(dir, `${name}.restored`), join(dir, name));
    }
    const result = await store.append('s', [answer('a3')], 1);

    expect(result.appended.map((e) => [e.id, e.seq, e.version])).toEqual([['a3', 2, 2]]);
    expect((await store.verify()).ok).toBe(true);
  });
});

describe('file store: an interrupted write', () => {
  it('opens a log cut at every byte of its last record with exactly the records before it, and keeps one cut only at its line end', async () => {
    const text = Buffer.from(await logText(3, (i) => answer(`e${i}`, undefined, { note: `é€😀 record ${i}` })));
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    const all = await readAll(await openFileStore(await storeOf(text)));
    const before = all.slice(0, 2);

    for (let cut = lastStart; cut < text.length; cut++) {
      const dir = await storeOf(text.subarray(0, cut));
      const store = await openFileStore(dir, { now: FIXED_NOW });
      const moved = cut - lastStart;
      const at = `cut at byte ${cut}`;

      if (cut === text.length - 1) {
        // A whole record missing only its line end is kept: it may have been acknowledged (`truncate -s -1`).
        expect(await readAll(store), at).toEqual(all);
        expect(latin1(await readFile(logOf(dir))), at).toBe(latin1(text));
        expect(store.notices, at).toEqual([expect.stringMatching(/had lost its line end.*put back\. Nothing was moved/)]);
      } else {
        expect(await readAll(store), at).toEqual(before);
        expect(latin1(await readFile(logOf(dir))), at).toBe(latin1(text.subarray(0, lastStart)));
        if (moved === 0) {
          expect(store.notices, at).toEqual([]);
          expect(await readdir(dir), at).toEqual(['events.jsonl']);
        } else {
          expect(store.notices, at).toEqual([
            `Recovered from an interrupted write: moved ${moved} byte${moved === 1 ? '' : 's'} (an unfinished record, never acknowledged) from events.jsonl to ${RECOVERY_FILE}.`,
          ]);
          expect(latin1(await readFile(join(dir, RECOVERY_FILE))), at).toBe(latin1(text.subarray(lastStart, cut)));
        }
      }
      expect((await store.verify()).ok, at).toBe(true);
      await rm(dir, { recursive: true });
    }
  });

  it('drops a write of several records cut short by a crash as a whole, wherever it is cut, even between its lines', async () => {
    const memory = createMemoryStore();
    await memory.append('s', [answer('a1')], 0);
    const firstWrite = Buffer.byteLength(memory.text());
    await memory.append(
      's',
      ['b1', 'b2', 'b3', 'b4'].map((id) => answer(id)),
      1,
    );
    const text = Buffer.from(memory.text());
    // Every byte around each line end (where a cut is hardest to tell from a whole write), and every 9th byte between.
    const cuts = new Set<number>();
    for (let at = firstWrite + 1; at < text.length - 1; at++) {
      const nearLineEnd = [-3, -2, -1, 0, 1, 2, 3].some((d) => text[at + d] === 0x0a);
      if (nearLineEnd || at % 9 === 0) cuts.add(at);
    }

    for (const cut of cuts) {
      const dir = await storeOf(text.subarray(0, cut));
      const store = await openFileStore(dir, { now: FIXED_NOW });
      const at = `cut at byte ${cut}`;
      expect(
        (await readAll(store)).map((e) => e.id),
        at,
      ).toEqual(['a1']);
      expect(latin1(await readFile(logOf(dir))), at).toBe(latin1(text.subarray(0, firstWrite)));
      expect(latin1(await readFile(join(dir, RECOVERY_FILE))), at).toBe(latin1(text.subarray(firstWrite, cut)));
      await rm(dir, { recursive: true });
    }
    // Cut at its very last byte (the line end), the write is whole: kept.
    const dir = await storeOf(text.subarray(0, text.length - 1));
    expect((await readAll(await openFileStore(dir))).map((e) => e.id)).toEqual(['a1', 'b1', 'b2', 'b3', 'b4']);
  });

  it('keeps, of several writes appended at once and cut short by a crash, the writes whole before the cut and no part of any other', async () => {
    const writes = [
      { stream: 's', events: [answer('b1'), answer('b2')], expectedVersion: 1 },
      { stream: 't', events: [answer('c1')], expectedVersion: 0 },
      { stream: 's', events: [answer('d1'), answer('d2'), answer('d3')], expectedVersion: 3 },
    ];
    const ids = [['a1'], ...writes.map((w) => w.events.map((e) => e.id))];
    // Where each write ends, as appending them one by one leaves the log.
    const oneByOne = createMemoryStore();
    await oneByOne.append('s', [answer('a1')], 0);
    const ends = [Buffer.byteLength(oneByOne.text())];
    for (const w of writes) {
      await oneByOne.append(w.stream, w.events, w.expectedVersion);
      ends.push(Buffer.byteLength(oneByOne.text()));
    }
    const together = createMemoryStore();
    await together.append('s', [answer('a1')], 0);
    await together.appendWrites(writes);
    const text = Buffer.from(together.text());
    expect(latin1(text)).toBe(oneByOne.text());

    // Around each line end, where a whole write is hardest to tell from a cut one, and every 31st byte between.
    const cuts = [];
    for (let at = (ends[0] ?? 0) + 1; at < text.length; at++) {
      if ([-2, -1, 0, 1, 2].some((d) => text[at + d] === 0x0a) || at % 31 === 0) cuts.push(at);
    }
    for (const cut of cuts) {
      const dir = await storeOf(text.subarray(0, cut));
      // A write is kept once all of it is there but, at most, its last line end.
      const whole = ends.filter((end) => end - 1 <= cut).length;
      expect(
        (await readAll(await openFileStore(dir, { now: FIXED_NOW }))).map((e) => e.id),
        `cut at byte ${cut}`,
      ).toEqual(ids.slice(0, whole).flat());
      await rm(dir, { recursive: true });
    }
  });

  it('leaves an unfinished write out of every read while another writer holds the lock, and verify names it', async () => {
    const memory = createMemoryStore();
    await memory.append('s', [answer('a1')], 0);
    await memory.append('s', [answer('b1'), answer('b2'), answer('b3')], 1);
    const text = memory.text();
    const dir = await storeOf(text.slice(0, text.lastIndexOf('{') + 20));
    await writeFile(
      join(dir, 'events.lock'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), time: new Date().toISOString(), token: 'x' }),
    );

    const store = await openFileStore(dir);
    expect(store.notices).toEqual([]); // the holder is writing: nothing to repair yet
    expect((await readAll(store)).map((e) => e.id)).toEqual(['a1']);
    expect((await store.verify()).problem).toMatchObject({
      line: 2,
      code: 'torn-tail',
      message: expect.stringMatching(/never acknowledged/),
    });
  });

  it('leaves out an unfinished last line written after the store was opened, and verify reports it', async () => {
    const text = await logText(2);
    const dir = await storeOf(text);
    const store = await openFileStore(dir);
    await writeFile(logOf(dir), `${text}{"seq":3,"stre`); // another writer, mid-write

    expect(await readAll(store)).toHaveLength(2);
    expect((await store.verify()).problem).toMatchObject({ line: 3, code: 'torn-tail' });
  });

  it('never moves aside a record the head file says was acknowledged', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1')], 0);
    await store.append('s', [answer('a2')], 1);
    const text = await readFile(logOf(dir));
    await writeFile(logOf(dir), text.subarray(0, text.length - 30)); // the end of an acknowledged record is lost

    const reopened = await openFileStore(dir, { now: FIXED_NOW });
    expect(reopened.notices).toEqual([]);
    expect(await readdir(dir)).not.toContain(RECOVERY_FILE);
    expect((await reopened.verify()).problem).toMatchObject({ line: 2, code: 'truncated' });
    await expect(reopened.append('s', [answer('a3')], 2)).rejects.toMatchObject({ name: 'LogDamagedError', line: 2 });
  });

  async function storeOf(text: string | Uint8Array): Promise<string> {
    const dir = await storeDir();
    await mkdir(dir, { recursive: true });
    await writeFile(logOf(dir), text);
    return dir;
  }
});

describe('file store: damage is reported, never repaired', () => {
  async function damagedStore(lines: readonly string[], end = '\n'): Promise<{ dir: string; before: Buffer }> {
    const dir = await storeDir();
    await mkdir(dir);
    await writeFile(logOf(dir), lines.join('\n') + end);
    return { dir, before: await readFile(logOf(dir)) };
  }

  async function expectRefused(dir: string, before: Buffer, line: number): Promise<void> {
    const store = await openFileStore(dir);
    const append = store.append('s9', [answer('new')], 0);
    await expect(append).rejects.toBeInstanceOf(LogDamagedError);
    await expect(append).rejects.toMatchObject({ file: logOf(dir), line });
    await expect(readAll(store)).rejects.toMatchObject({ name: 'LogDamagedError', line });
    expect(store.notices).toEqual([]);
    // Buffer.equals: a deep toEqual over megabytes of a hostile line takes minutes.
    expect((await readFile(logOf(dir))).equals(before)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.startsWith('events.recovered'))).toEqual([]);
  }

  it.each([
    ['a changed character', (line: string) => line.replace('orch-scheduling', 'orch-schedulinG'), 'hash-mismatch'],
    ['a byte that breaks the JSON', (line: string) => `${line.slice(0, 30)}\u0000${line.slice(31)}`, 'not-json'],
  ])('finds %s in a middle record: verify names the line, append refuses, the file is unchanged', async (_, damage, code) => {
    const lines = (await logText(4)).trimEnd().split('\n');
    lines[1] = damage(lines[1] ?? '');
    const { dir, before } = await damagedStore(lines);

    const report = await (await openFileStore(dir)).verify();
    expect(report).toMatchObject({ ok: false, events: 1, problem: { line: 2, code } });
    expect(report.problem?.message).toMatch(/restore the store folder from version control/);
    await expectRefused(dir, before, 2);
  });

  it.each([
    [
      'one character of the last record changed',
      (text: string) => text.replace(/orch-scheduling(?=[^\n]*\n$)/, 'orch-schedulinG'),
      4,
      'hash-mismatch',
    ],
    [
      'the last record changed and its line end removed',
      (text: string) => text.replace(/orch-scheduling(?=[^\n]*\n$)/, 'orch-schedulinG').slice(0, -1),
      4,
      'hash-mismatch',
    ],
    ['every line end turned into a carriage return', (text: string) => text.replace(/\n/g, '\r'), 1, 'bad-shape'],
    ['every line end turned into CRLF', (text: string) => text.replace(/\n/g, '\r\n'), 1, 'bad-shape'],
    ['garbage after the last line end', (text: string) => `${text}hello`, 5, 'not-json'],
    ['a record of the wrong seq without its line end', (text: string) => text + text.split('\n')[0]!, 5, 'seq-gap'],
  ] as const)('finds %s: damage, never moved aside', async (_, damage, line, code) => {
    const { dir, before } = await damagedStore([damage(await logText(4))], '');

    const report = await (await openFileStore(dir)).verify();
    expect(report.problem).toMatchObject({ line, code });
    await expectRefused(dir, before, line);
  });

  it.each([
    [
      'a seq gap',
      () =>
        rawLines([
          [1, 's', 1],
          [2, 's', 2],
          [4, 's', 3],
        ]),
      3,
      'seq-gap',
    ],
    ['two lines swapped', async () => swap((await logText(4)).trimEnd().split('\n'), 1, 2), 2, 'seq-gap'],
    [
      'a deleted middle line',
      async () =>
        (await logText(4))
          .trimEnd()
          .split('\n')
          .filter((_, i) => i !== 1),
      2,
      'seq-gap',
    ],
    [
      'a prev that does not chain',
      () =>
        rawLines([
          [1, 's', 1],
          [2, 's', 2, 'f'.repeat(64)],
        ]),
      2,
      'prev-mismatch',
    ],
    [
      'stream versions out of order',
      () =>
        rawLines([
          [1, 's', 1],
          [2, 't', 1],
          [3, 's', 3],
        ]),
      3,
      'version-gap',
    ],
  ] as const)('finds %s: verify names the line, append refuses', async (_, makeLines, line, code) => {
    const { dir, before } = await damagedStore(await makeLines());
    // The last line is a good record on its own, so none of this is taken for an interrupted write.
    expect((await (await openFileStore(dir)).verify()).problem).toMatchObject({ line, code });
    await expectRefused(dir, before, line);
  });

  it('finds a record removed from the middle of a write of several', async () => {
    const memory = createMemoryStore();
    await memory.append(
      's',
      ['a1', 'a2', 'a3'].map((id) => answer(id)),
      0,
    );
    await memory.append('t', [answer('b1')], 0);
    const lines = memory.text().trimEnd().split('\n');
    // Re-chained by hand, as a forger would, so only the write's own marks give it away.
    const forged = rawChain([lines[0]!, lines[2]!, lines[3]!]);
    const { dir, before } = await damagedStore(forged);

    expect((await (await openFileStore(dir)).verify()).problem).toMatchObject({ line: 2, code: 'batch-broken' });
    await expectRefused(dir, before, 2);
  });

  it('finds the last records removed, through the head file', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1')], 0);
    await store.append('s', [answer('a2'), answer('a3')], 1);
    const lines = (await readFile(logOf(dir), 'utf8')).trimEnd().split('\n');
    await writeFile(logOf(dir), `${lines.slice(0, 1).join('\n')}\n`); // sed -i '$d', twice
    const before = await readFile(logOf(dir));

    const report = await (await openFileStore(dir)).verify();
    expect(report).toMatchObject({ ok: false, events: 1, anchored: { seq: 3 }, problem: { line: 2, code: 'truncated' } });
    expect(report.problem?.message).toMatch(/2 acknowledged records were removed from its end/);
    await expectRefused(dir, before, 2);
  });

  it('finds a log rewritten under an unchanged head file', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1'), answer('a2')], 0);
    const head = await readFile(join(dir, 'events.head'));
    await writeFile(logOf(dir), await logText(2)); // a whole other log of the same length

    expect(await readFile(join(dir, 'events.head'))).toEqual(head);
    expect((await (await openFileStore(dir)).verify()).problem).toMatchObject({ line: 2, code: 'head-mismatch' });
    await expect((await openFileStore(dir)).append('s', [answer('a3')], 2)).rejects.toMatchObject({ name: 'LogDamagedError' });
  });

  it('reads a log that runs past its head file (a crash between writing the two), and moves the head on', async () => {
    const dir = await storeDir();
    const store = await openFileStore(dir);
    await store.append('s', [answer('a1')], 0);
    const head = await readFile(join(dir, 'events.head'));
    await store.append('s', [answer('a2')], 1);
    await writeFile(join(dir, 'events.head'), head);

    const reopened = await openFileStore(dir);
    expect((await reopened.verify()).ok).toBe(true);
    expect((await readAll(reopened)).map((e) => e.id)).toEqual(['a1', 'a2']);
    await reopened.append('s', [answer('a3')], 2);
    expect(JSON.parse(await readFile(join(dir, 'events.head'), 'utf8'))).toMatchObject({ seq: 3 });
  });

  it('finds a line longer than any record without holding it in memory as a string', async () => {
    const text = await logText(2);
    const { dir, before } = await damagedStore([text.trimEnd(), `{"seq":3,"stream":"${'x'.repeat(9 * 1024 * 1024)}`]);
    expect((await (await openFileStore(dir)).verify()).problem).toMatchObject({ line: 3, code: 'too-long' });
    await expectRefused(dir, before, 3);
  });

  function swap(lines: string[], i: number, j: number): string[] {
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    return lines;
  }
});

describe('file store: its walls', () => {
  it.each([
    ['events.jsonl', 'a symbolic link to a file outside the store', 'symlink'],
    ['events.jsonl', 'a FIFO', 'fifo'],
    ['events.jsonl', 'a folder', 'dir'],
    ['events.head', 'a symbolic link to a file outside the store', 'symlink'],
    ['events.head', 'a FIFO', 'fifo'],
    ['events.lock', 'a folder', 'dir'],
    ['events.lock', 'a symbolic link to a file outside the store', 'symlink'],
  ] as const)('refuses %s that is %s, and changes nothing outside the store', async (name, _, kind) => {
    const root = await tempDir();
    const dir = join(root, '.cnassess');
    await mkdir(dir);
    const outside = join(root, 'outside.txt');
    const outsideText = `${await logText(2)}{"seq":3,"str`; // a torn tail, as bait for a recovery that follows links
    await writeFile(outside, outsideText);
    const path = join(dir, name);
    if (kind === 'symlink') await symlink(outside, path);
    if (kind === 'dir') await mkdir(path);
    if (kind === 'fifo') expect(spawnSync('mkfifo', [path]).status).toBe(0);

    const opened = openFileStore(dir).then((store) => store.append('s', [answer('a1')], 0));
    await expect(opened).rejects.toMatchObject({ message: expect.stringContaining(path) });
    await expect(opened).rejects.toSatisfy((e: Error) => e.name === 'StoreReadError' || e.name === 'StoreWriteError');
    expect(await readFile(outside, 'utf8')).toBe(outsideText);
    expect((await readdir(root)).sort()).toEqual(['.cnassess', 'outside.txt']);
    expect((await readdir(dir)).filter((f) => f.startsWith('events.recovered'))).toEqual([]);
  });
});

describe('file store: the writer lock', () => {
  it('breaks a lock left by a process that no longer runs', async () => {
    const dir = await storeDir();
    await mkdir(dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(
      join(dir, 'events.lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), time: new Date().toISOString(), token: 'x' }),
    );

    const store = await openFileStore(dir, { lock: { waitMs: 100 } });
    await store.append('s', [answer('a1')], 0);

    expect((await readdir(dir)).sort()).toEqual(['events.head', 'events.jsonl']);
  });

  it('breaks a lock whose pid now belongs to a later process, or that was taken before the host rebooted', async () => {
    for (const stale of [{ start: '1' }, { boot: 'an-earlier-boot' }]) {
      const dir = await storeDir();
      await mkdir(dir);
      await writeFile(
        join(dir, 'events.lock'),
        JSON.stringify({ pid: process.pid, hostname: hostname(), time: '2026-01-01T00:00:00Z', token: 'x', ...stale }),
      );
      await (await openFileStore(dir, { lock: { waitMs: 100 } })).append('s', [answer('a1')], 0);
      expect(existsSync(join(dir, 'events.lock'))).toBe(false);
    }
  });

  it('never breaks the lock of a live holder on this host, however old, and names it when giving up', async () => {
    const dir = await storeDir();
    await mkdir(dir);
    const lock = join(dir, 'events.lock');
    await writeFile(
      lock,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        time: '2026-11-25T10:00:00Z',
        token: 'x',
        command: 'cnassess import alice.yaml',
      }),
    );
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(lock, dayAgo, dayAgo);

    const append = (await openFileStore(dir, { lock: { waitMs: 50 } })).append('s', [answer('a1')], 0);
    await expect(append).rejects.toBeInstanceOf(StoreWriteError);
    await expect(append).rejects.toThrow(
      `the event store is being written by \`cnassess import alice.yaml\` (process ${process.pid} on this host, since 2026-11-25T10:00:00Z`,
    );
    await expect(append).rejects.toThrow(/still running.*let it finish, or end it/);
    await expect(append).rejects.not.toThrow(/delete/);
    expect(existsSync(logOf(dir))).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });

  it('never breaks the lock of a holder on another host; says what to check there', async () => {
    const dir = await storeDir();
    await mkdir(dir);
    const lock = join(dir, 'events.lock');
    await writeFile(lock, JSON.stringify({ pid: 1, hostname: 'another-host', time: '2026-01-01T00:00:00Z', token: 'x' }));
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(lock, hourAgo, hourAgo);

    const append = (await openFileStore(dir, { lock: { waitMs: 50 } })).append('s', [answer('a1')], 0);
    await expect(append).rejects.toThrow(/process 1 on host another-host.*if no cnassess command is running on another-host, delete/);
    expect(existsSync(lock)).toBe(true);
  });

  it('breaks an empty lock file left by an older writer that died between creating and filling it', async () => {
    const dir = await storeDir();
    await mkdir(dir);
    const lock = join(dir, 'events.lock');
    await writeFile(lock, '');
    const secondsAgo = new Date(Date.now() - 5_000);
    await utimes(lock, secondsAgo, secondsAgo);

    await (await openFileStore(dir, { lock: { waitMs: 100 } })).append('s', [answer('a1')], 0);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('file store: a failing disk', () => {
  /** Real I/O, except for the failures a test switches on. */
  function flakyIo(): StoreIo & { failWrite: boolean; failSync: boolean } {
    return {
      failWrite: false,
      failSync: false,
      async write(handle, data) {
        if (!this.failWrite) return (await handle.write(data)).bytesWritten;
        await handle.write(data.subarray(0, 10)); // part of it made it to disk
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      async sync(handle) {
        if (this.failSync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        await handle.sync();
      },
    };
  }

  it('reports a full disk as StoreWriteError, leaves the file as it was, and appends again once there is room', async () => {
    const dir = await storeDir();
    const io = flakyIo();
    const store = await openFileStore(dir, { io });
    await store.append('s', [answer('a1')], 0);
    const before = await readFile(logOf(dir));

    io.failWrite = true;
    const append = store.append('s', [answer('a2'), answer('a3')], 1);
    await expect(append).rejects.toBeInstanceOf(StoreWriteError);
    await expect(append).rejects.toThrow(`disk full (ENOSPC) while writing ${logOf(dir)}; nothing was recorded`);
    expect(await readFile(logOf(dir))).toEqual(before);

    io.failWrite = false;
    const retried = await store.append('s', [answer('a2'), answer('a3')], 1);
    expect(retried.appended.map((e) => e.seq)).toEqual([2, 3]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('reports a failed fsync as StoreWriteError and cuts the unsynced records off', async () => {
    const dir = await storeDir();
    const io = flakyIo();
    const store = await openFileStore(dir, { io });
    await store.append('s', [answer('a1')], 0);
    const before = await readFile(logOf(dir));

    io.failSync = true;
    await expect(store.append('s', [answer('a2')], 1)).rejects.toThrow(/input\/output error \(EIO\) while syncing .*nothing was recorded/);
    expect(await readFile(logOf(dir))).toEqual(before);
    expect((await readAll(await openFileStore(dir))).map((e) => e.id)).toEqual(['a1']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
