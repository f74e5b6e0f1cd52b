// The embedded default store: one JSON line per event in `<dir>/events.jsonl`, plain text so teams can keep it in git.
//
// Writing: one writer at a time across processes (lock.ts). Under the lock the writer moves aside a torn last line
// left by a crashed writer, catches up with what other processes appended since it last read, decides (record.ts),
// then writes all lines of the call with one write() and fsyncs before append() resolves.
// Reading streams the file in chunks and checks every record, so no view is ever computed from a damaged log:
// readAll() and readStream() throw LogDamagedError at the first damaged line; verify() reports it as data.

import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LogDamagedError, StoreReadError, StoreWriteError } from '../errors.js';
import type { AppendResult, EventStore, NewEvent, ReadOptions, StoredEvent, VerifyReport } from './eventStore.js';
import { DEFAULT_LOCK_OPTIONS, describeIoError, errorCode, withWriterLock, type LockOptions, type WriterLock } from './lock.js';
import {
  ChainState,
  LogVerifier,
  checkLines,
  findTornTail,
  indexAppended,
  isBefore,
  planAppend,
  readBounds,
  type LogIndex,
  type ReadBounds,
} from './record.js';

const LOG_FILE = 'events.jsonl';
const LOCK_FILE = 'events.lock';
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** `--store DIR`, else `CNASSESS_STORE`, else `<cwd>/.cnassess`; relative paths are taken from `cwd`. */
export function resolveStoreDir(options: { flag?: string; env: NodeJS.ProcessEnv; cwd: string }): string {
  const chosen = nonEmpty(options.flag) ?? nonEmpty(options.env['CNASSESS_STORE']) ?? '.cnassess';
  return resolve(options.cwd, chosen);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The two operations whose failure an append must survive; tests swap them to simulate a full disk. */
export interface StoreIo {
  /** Writes `data` at the end of the open log; resolves with the number of bytes written. */
  write(handle: FileHandle, data: Uint8Array): Promise<number>;
  sync(handle: FileHandle): Promise<void>;
}

const nodeIo: StoreIo = {
  write: async (handle, data) => (await handle.write(data)).bytesWritten,
  sync: (handle) => handle.sync(),
};

export interface FileStoreOptions {
  /** Internal, for tests: the write and fsync of an append. */
  readonly io?: StoreIo;
  /** Internal, for tests: lock timings (default: stale after 30 s, give up waiting after 10 s). */
  readonly lock?: Partial<LockOptions>;
  /** Names recovery files; the system clock by default. */
  readonly now?: () => Date;
}

/**
 * Opens the store in `dir` (which need not exist: a missing store reads as an empty log). A torn last line left by
 * an interrupted write is moved aside to a recovery file, with a notice in `store.notices`.
 */
export async function openFileStore(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const store = new FileStore(dir, options);
  await store.recoverInterruptedWrite();
  return store;
}

/** What the writer knows about the file it has read: the log index, plus where in the file it stops. */
interface WriterIndex extends LogIndex {
  /** Byte length of the records indexed; the next catch-up reads from here. */
  offset: number;
  /** To notice the file being replaced (a restore from git) rather than appended to. */
  readonly ino: number;
}

export class FileStore implements EventStore {
  readonly file: string;
  private readonly lockFile: string;
  private readonly io: StoreIo;
  private readonly lockOptions: LockOptions;
  private readonly now: () => Date;
  private readonly shownNotices: string[] = [];
  /** Loaded on the first append: an id set of a large log costs memory that read-only commands need not pay. */
  private index: WriterIndex | undefined;
  /** Appends of this process run one after another; the file lock orders them against other processes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    options: FileStoreOptions = {},
  ) {
    this.file = join(dir, LOG_FILE);
    this.lockFile = join(dir, LOCK_FILE);
    this.io = options.io ?? nodeIo;
    this.lockOptions = { ...DEFAULT_LOCK_OPTIONS, ...options.lock };
    this.now = options.now ?? (() => new Date());
  }

  get notices(): readonly string[] {
    return this.shownNotices;
  }

  readAll(options: ReadOptions = {}): AsyncIterableIterator<StoredEvent> {
    return flatten(this.records(readBounds(options)));
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const record of this.readAll(options)) if (record.stream === stream) events.push(record);
    return events;
  }

  async verify(): Promise<VerifyReport> {
    const verifier = new LogVerifier();
    for await (const chunk of readLines(this.file, 0)) {
      if (!verifier.add(chunk.bytes, chunk.length)) break;
      if (chunk.unfinished > 0) verifier.unfinishedEnd(chunk.unfinished);
    }
    return verifier.report();
  }

  append(stream: string, events: readonly NewEvent[], expectedVersion: number): Promise<AppendResult> {
    const result = this.queue.then(() => this.appendNow(stream, events, expectedVersion));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Moves a torn last line aside, taking the writer lock only when the tail looks torn (readers need no lock). */
  async recoverInterruptedWrite(): Promise<void> {
    if ((await this.tornTailStart()) === undefined) return;
    await this.createDir();
    await withWriterLock(this.lockFile, this.lockOptions, () => this.moveTornTailAside());
  }

  /**
   * The records within `bounds`, checked, a chunk at a time: per-record async iteration costs more than the checks.
   * An unfinished last line (a write in progress, or one interrupted since the store was opened) is left out.
   */
  private async *records(bounds: ReadBounds): AsyncGenerator<readonly StoredEvent[]> {
    const chain = new ChainState();
    for await (const chunk of readLines(this.file, 0)) {
      const { records, problem } = checkLines(chunk.bytes, chunk.length, chain);
      const reachedBound = chain.lastSeq >= bounds.upToSeq;
      // The records before a damaged line are delivered first, as a record-by-record reader would deliver them.
      yield reachedBound || bounds.before !== undefined
        ? records.filter((record) => record.seq <= bounds.upToSeq && isBefore(record, bounds))
        : records;
      if (reachedBound) return; // damage past the bound does not concern this read
      if (problem !== undefined) throw new LogDamagedError(this.file, chain.lastSeq + 1, problem.detail);
    }
  }

  private async appendNow(stream: string, events: readonly NewEvent[], expectedVersion: number): Promise<AppendResult> {
    await this.createDir();
    return withWriterLock(this.lockFile, this.lockOptions, async (lock) => {
      await this.moveTornTailAside();
      const index = await this.catchUp();
      const plan = planAppend(index, stream, events, expectedVersion);
      if (plan.appended.length > 0) {
        await this.writeDurably(plan.text, index, lock);
        indexAppended(index, plan.appended);
      }
      return { appended: plan.appended, duplicates: plan.duplicates, streamVersion: plan.streamVersion };
    });
  }

  private async createDir(): Promise<void> {
    try {
      const created = await mkdir(this.dir, { recursive: true });
      if (created !== undefined) await syncDir(dirname(created));
    } catch (err) {
      throw new StoreWriteError(`${describeIoError(err)} while creating the store folder ${this.dir}; nothing was recorded`);
    }
  }

  /** Brings the index up to the end of the file, checking every new record. Call under the lock. */
  private async catchUp(): Promise<WriterIndex> {
    try {
      return await this.readNewRecords();
    } catch (err) {
      if (err instanceof LogDamagedError) throw err;
      throw new StoreWriteError(`${describeIoError(err)} while reading ${this.file}; nothing was recorded`);
    }
  }

  private async readNewRecords(): Promise<WriterIndex> {
    const stats = await stat(this.file).catch((err: unknown) => {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw new StoreReadError(`cannot read ${this.file}: ${describeIoError(err)}`);
    });
    let index = this.index;
    if (index === undefined || stats === undefined || stats.ino !== index.ino || stats.size < index.offset) {
      index = { chain: new ChainState(), ids: new Set(), offset: 0, ino: stats?.ino ?? -1 };
    }
    this.index = undefined; // until the catch-up completes, the index may be half-advanced
    if (stats !== undefined && stats.size > index.offset) {
      for await (const chunk of readLines(this.file, index.offset)) {
        const { records, problem } = checkLines(chunk.bytes, chunk.length, index.chain);
        for (const record of records) index.ids.add(record.id);
        if (problem !== undefined) throw new LogDamagedError(this.file, index.chain.lastSeq + 1, problem.detail);
        if (chunk.unfinished > 0) {
          // Cannot come from a writer of ours: the lock is held and a torn tail was just moved aside.
          throw new LogDamagedError(this.file, index.chain.lastSeq + 1, 'the last line has no line end');
        }
        index.offset = chunk.end;
      }
    }
    this.index = index;
    return index;
  }

  /**
   * One write of whole lines, then fsync, before the append is acknowledged. On failure the file is cut back to its
   * previous length, so no partial record stays behind, and the failure is reported, never retried.
   */
  private async writeDurably(text: string, index: WriterIndex, lock: WriterLock): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    await lock.assertHeld();
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'a');
    } catch (err) {
      throw new StoreWriteError(`${describeIoError(err)} while opening ${this.file}; nothing was recorded`);
    }
    let step = 'writing';
    try {
      const written = await this.io.write(handle, data);
      if (written !== data.length) throw new Error(`only ${written} of ${data.length} bytes were written`);
      step = 'syncing';
      await this.io.sync(handle);
      // A new file is durable only once its name is: fsync the folder that holds it.
      if (index.offset === 0) await syncDir(this.dir);
      index.offset += data.length;
    } catch (err) {
      this.index = undefined; // the file's end is uncertain now; read it afresh next time
      const undo = await handle.truncate(index.offset).then(
        () => '',
        (undoErr: unknown) =>
          `; cutting off the partial write also failed (${describeIoError(undoErr)}): run \`cnassess verify\``,
      );
      throw new StoreWriteError(`${describeIoError(err)} while ${step} ${this.file}; nothing was recorded${undo}`);
    } finally {
      // Close errors are not reported: by now the data is synced, or the failure is already being reported.
      await handle.close().catch(() => undefined);
    }
  }

  /** Where a torn last line starts, if the log ends with one. */
  private async tornTailStart(): Promise<number | undefined> {
    const handle = await openForReading(this.file);
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      // Records are short: look at the last few KiB, and further back only while that cannot decide.
      for (let window = 4096; ; window *= 4) {
        const start = Math.max(0, size - window);
        const tail = Buffer.alloc(size - start);
        await handle.read(tail, 0, tail.length, start);
        const torn = findTornTail(tail, start === 0);
        if (torn.kind === 'none') return undefined;
        if (torn.kind === 'torn') return start + torn.start;
      }
    } finally {
      await handle.close();
    }
  }

  /** Moves a torn last line to a recovery file and cuts the log back to its last good record. Call under the lock. */
  private async moveTornTailAside(): Promise<void> {
    // Looked at again under the lock: what looked torn may have been a write that has finished since.
    const start = await this.tornTailStart();
    if (start === undefined) return;
    const recoveryName = `events.recovered-${this.now().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    const recoveryFile = join(this.dir, recoveryName);
    let moved = 0;
    try {
      const log = await open(this.file, 'r+');
      try {
        const size = (await log.stat()).size;
        const torn = Buffer.alloc(size - start);
        await log.read(torn, 0, torn.length, start);
        // Saved (and synced) before the log is cut, so a crash in between loses nothing.
        const recovery = await open(recoveryFile, 'a');
        try {
          await recovery.writeFile(torn);
          await recovery.sync();
        } finally {
          await recovery.close();
        }
        await syncDir(this.dir);
        await log.truncate(start);
        await log.sync();
        moved = torn.length;
      } finally {
        await log.close();
      }
    } catch (err) {
      throw new StoreWriteError(
        `${describeIoError(err)} while moving an unfinished record from ${this.file} to ${recoveryFile}; nothing was recorded`,
      );
    }
    this.index = undefined;
    this.shownNotices.push(
      `Recovered from an interrupted write: moved ${moved} byte${moved === 1 ? '' : 's'} of an unfinished record ` +
        `from ${LOG_FILE} to ${recoveryName}.`,
    );
  }
}

interface LineChunk {
  /** Complete lines, each ending in "\n", in bytes [0, length). Valid until the next chunk is asked for. */
  readonly bytes: Buffer;
  readonly length: number;
  /** File offset just past those lines. */
  readonly end: number;
  /** Bytes at the very end of the file that have no line end yet (only on the last chunk). */
  readonly unfinished: number;
}

/**
 * The complete lines of `file` from byte `from`, a chunk at a time, so a large log is never held in memory at once.
 * A missing file has no lines. Splits on the "\n" byte, which never occurs inside a UTF-8 multi-byte character.
 */
async function* readLines(file: string, from: number): AsyncGenerator<LineChunk> {
  const handle = await openForReading(file);
  if (!handle) return;
  try {
    let bytes = Buffer.allocUnsafe(CHUNK_BYTES);
    let carried = 0; // bytes of an unfinished line kept at the start of `bytes`
    let position = from;
    for (;;) {
      if (carried === bytes.length) {
        const larger = Buffer.allocUnsafe(bytes.length * 2); // one line longer than the buffer
        bytes.copy(larger, 0, 0, carried);
        bytes = larger;
      }
      const { bytesRead } = await handle.read(bytes, carried, bytes.length - carried, position);
      if (bytesRead === 0) {
        if (carried > 0) yield { bytes, length: 0, end: position - carried, unfinished: carried };
        return;
      }
      position += bytesRead;
      const filled = carried + bytesRead;
      const length = bytes.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (length === 0) {
        carried = filled;
        continue;
      }
      carried = filled - length;
      yield { bytes, length, end: position - carried, unfinished: 0 };
      bytes.copy(bytes, 0, length, filled);
    }
  } finally {
    await handle.close();
  }
}

/** The items of `chunks` one by one, without an async generator's cost per item. */
function flatten<T>(chunks: AsyncGenerator<readonly T[]>): AsyncIterableIterator<T> {
  let batch: readonly T[] = [];
  let next = 0;
  return {
    async next(): Promise<IteratorResult<T>> {
      while (next >= batch.length) {
        const step = await chunks.next();
        if (step.done === true) return { done: true, value: undefined };
        batch = step.value;
        next = 0;
      }
      return { done: false, value: batch[next++] as T };
    },
    async return(): Promise<IteratorResult<T>> {
      await chunks.return(undefined);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder to fsync it; NTFS makes the new name durable with the file.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The log opened for reading; undefined when it does not exist (an empty store). Other failures say what is wrong. */
async function openForReading(file: string): Promise<FileHandle | undefined> {
  try {
    const handle = await open(file, 'r');
    // Opening a folder succeeds on Linux; reading it is what fails.
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new StoreReadError(`cannot read ${file}: it is a folder, not the event log`);
    }
    return handle;
  } catch (err) {
    if (err instanceof StoreReadError) throw err;
    if (errorCode(err) === 'ENOENT') return undefined;
    const hint = errorCode(err) === 'ENOTDIR' ? ' (is --store a file rather than a folder?)' : '';
    throw new StoreReadError(`cannot read ${file}: ${describeIoError(err)}${hint}`);
  }
}
