// The embedded default store: one JSON line per event in `<dir>/events.jsonl`, plain text so teams can keep it in git.
//
// Writing: one writer at a time across processes (lock.ts). Under the lock the writer moves aside an unfinished write
// left by a crashed writer, catches up with what other processes appended since it last read, decides (record.ts),
// writes all lines of the call with one write() and fsyncs, then records the new end of the log in `events.head`
// (the seq and hash of the last record) before append() resolves. The head file anchors the end of the log, so a
// removed last record is found: it is written after the log, so it never runs ahead of it.
// Reading streams the file in chunks and checks every record, so no view is ever computed from a damaged log:
// readAll() and readStream() throw LogDamagedError at the first damaged line; verify() reports it as data.
// The store's files must be regular files inside its folder: they are opened without following symbolic links, and
// a link, FIFO, device or folder in their place is refused, so nothing outside the store is ever read or changed.

import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LogDamagedError, StoreReadError, StoreWriteError } from '../errors.js';
import {
  GENESIS_HASH,
  OrderedAppends,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadOptions,
  type StoredEvent,
  type StreamWrite,
  type VerifyReport,
} from './eventStore.js';
import { StreamIndex } from './streamIndex.js';
import {
  DEFAULT_LOCK_OPTIONS,
  describeIoError,
  errorCode,
  ifWriterLockFree,
  kindOf,
  withWriterLock,
  type LockOptions,
  type WriterLock,
} from './lock.js';
import {
  ChainState,
  LineProblem,
  LogVerifier,
  MAX_RECORD_BYTES,
  RESTORE_ADVICE,
  checkLines,
  encodeHead,
  findUnfinishedWrite,
  finishTail,
  flatten,
  hashAt,
  headProblem,
  indexAppended,
  isBefore,
  overlongProblem,
  parseHead,
  parseRecord,
  planWrites,
  readBounds,
  type LogHead,
  type LogIndex,
  type ReadBounds,
  type TailRepair,
} from './record.js';

const LOG_FILE = 'events.jsonl';
const LOCK_FILE = 'events.lock';
const HEAD_FILE = 'events.head';
const CHUNK_BYTES = 1 << 20;
const INDEX_FILE = 'events.index';
const GITIGNORE_HEADER = '# Written by cnassess when it created this store.';
/** The index of a large log is never committed: rebuilt from the log by whoever needs it. */
const INDEX_IGNORED = `${INDEX_FILE}\n${INDEX_FILE}.*.new\n`;
const GITIGNORE =
  `${GITIGNORE_HEADER} Commit events.jsonl and events.head; these are transient.\n` +
  `events.lock\nevents.lock.*\nevents.head.*.new\nevents.recovered-*\n${INDEX_IGNORED}`;
/**
 * The index file is written once this many records are not in it yet: a small log is read whole as fast as an index
 * is, and a large one gets its index written once, then again only every so often (what came after it is read anew).
 */
const INDEX_WRITE_AFTER = 1000;
const NEWLINE = 0x0a;
/** What a read through the stream index returns when the index puts a stream's records where they are not. */
const MISPLACED = Symbol('misplaced');
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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
  /** How long a writer waits for another (default 10 s), and what this process is doing, for whoever waits for it. */
  readonly lock?: Partial<LockOptions>;
  /** Names recovery files; the system clock by default. */
  readonly now?: () => Date;
}

/**
 * Opens the store in `dir` (which need not exist: a missing store reads as an empty log). An unfinished write left
 * by a crash is moved aside to a recovery file, and a last record that lost only its line end gets it back, with a
 * notice in `store.notices` — unless another writer holds the lock (it will), or the store cannot be written (the
 * notice says so, and reads leave the unfinished write out).
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
  /** The head last found consistent with the log (or written by this process), so it is not checked again. */
  head: LogHead | undefined;
}

export class FileStore extends OrderedAppends implements EventStore {
  readonly file: string;
  private readonly lockFile: string;
  private readonly headFile: string;
  private readonly io: StoreIo;
  private readonly lockOptions: LockOptions;
  private readonly now: () => Date;
  private readonly shownNotices: string[] = [];
  /** Loaded on the first append: an id set of a large log costs memory that read-only commands need not pay. */
  private index: WriterIndex | undefined;
  /** The stream index as last brought up to date, checked against the log again before each use. */
  private streamIndexCache: StreamIndex | undefined;

  constructor(
    readonly dir: string,
    options: FileStoreOptions = {},
  ) {
    super();
    this.file = join(dir, LOG_FILE);
    this.lockFile = join(dir, LOCK_FILE);
    this.headFile = join(dir, HEAD_FILE);
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

  /**
   * One stream, through the stream index: its records are read where the index says they are, each checked against
   * its own hash and its place (seq, stream, version). What came after the index is read and chain-checked first.
   */
  async readStream(stream: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const bounds = readBounds(options);
    const indexed = await this.withStreamIndex(async (handle, index) => {
      const events: StoredEvent[] = [];
      let version = 0;
      for (const seq of index.seqsOf(stream)) {
        if (seq > bounds.upToSeq) break;
        const record = await this.recordAt(handle, index, seq);
        version++;
        // The record is the log's (its hash is the one read in full), but not where the index puts the stream: the
        // index is wrong, not the log. It is dropped, and the stream read from the log.
        if (record.stream !== stream || record.version !== version) return MISPLACED;
        if (isBefore(record, bounds)) events.push(record);
      }
      return events;
    });
    if (indexed === MISPLACED) await this.dropStreamIndex();
    else if (indexed !== undefined) return indexed;
    const events: StoredEvent[] = [];
    for await (const record of this.readAll(options)) if (record.stream === stream) events.push(record);
    return events;
  }

  /**
   * Runs `use` with the log open and its stream index brought up to date (see streamIndex.ts): loaded from the index
   * file or the last use, checked against the log, extended with what was appended since, written back when much
   * was. The head is checked against it, as a full read checks it. Undefined, without calling `use`, when there is
   * no log yet or its end is a record without its line end (then the caller reads the log whole).
   */
  private async withStreamIndex<T>(
    use: (handle: FileHandle, index: StreamIndex, head: LogHead | undefined) => Promise<T>,
  ): Promise<T | undefined> {
    const head = await this.readHead(); // before the log; see verify()
    const handle = await openForReading(this.file);
    if (handle === undefined) return undefined;
    try {
      const stats = await handle.stat();
      let base = this.streamIndexCache;
      if (base === undefined || !(await this.describes(handle, stats, base))) {
        const saved = await this.readIndexFile();
        base = saved !== undefined && (await this.describes(handle, stats, saved)) ? saved : StreamIndex.empty(stats.ino, GENESIS_HASH);
      }
      const extended = await this.extendIndex(handle, base);
      if (extended === undefined) return undefined;
      const { index, added } = extended;
      this.streamIndexCache = index;
      if (added >= INDEX_WRITE_AFTER) await this.writeIndexFile(index);
      if (head !== undefined) {
        const chain = ChainState.after(index.lastSeq, index.lastHash);
        const atHead =
          head.seq < 1 || head.seq > index.lastSeq
            ? undefined
            : head.seq === index.lastSeq
              ? index.lastHash
              : (await this.recordAt(handle, index, head.seq)).hash;
        const end = headProblem(head, chain, atHead);
        if (end !== undefined) throw new LogDamagedError(this.file, end.line, end.problem.detail);
      }
      return await use(handle, index, head);
    } finally {
      await handle.close();
    }
  }

  /** Whether `index` describes the start of the open log: the same file, and the record it ends at is still there. */
  private async describes(handle: FileHandle, stats: { ino: number; size: number }, index: StreamIndex): Promise<boolean> {
    if (stats.ino !== index.ino || stats.size < index.offset) return false;
    if (index.lastSeq === 0) return index.offset === 0;
    try {
      const record = await this.recordAt(handle, index, index.lastSeq);
      return record.hash === index.lastHash;
    } catch {
      return false;
    }
  }

  /** The record with seq `seq`, where the index says it is, checked against its hash and its seq. */
  private async recordAt(handle: FileHandle, index: StreamIndex, seq: number): Promise<StoredEvent> {
    const { start, end } = index.placeOf(seq);
    const bytes = Buffer.allocUnsafe(end - start);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
    const line = bytesRead === bytes.length && bytes[bytes.length - 1] === NEWLINE ? bytes.toString('utf8', 0, bytes.length - 1) : '';
    const record = parseRecord(line);
    if (record instanceof LineProblem) throw new LogDamagedError(this.file, seq, record.detail);
    if (record.seq !== seq) throw new LogDamagedError(this.file, seq, `the record found where seq ${seq} should be has seq ${record.seq}`);
    // Its own hash proves nothing about a record rewritten with a recomputed one: the index has the chain-checked hash.
    if (!index.holds(seq, record.hash))
      throw new LogDamagedError(
        this.file,
        seq,
        'the record is not the one the log held here when it was read in full: it was changed since',
      );
    return record;
  }

  /**
   * The index extended with every complete write after it, each record checked as a full read checks it. Undefined
   * when the log ends with a complete record that lost its line end, which only a full read delivers.
   */
  private async extendIndex(handle: FileHandle, base: StreamIndex): Promise<{ index: StreamIndex; added: number } | undefined> {
    const chain = ChainState.after(base.lastSeq, base.lastHash, (stream) => base.versionOf(stream));
    const builder = base.extend();
    let open: { seq: number; stream: string; id: string; start: number; hash: string }[] = []; // records of a write not finished yet
    let end = base.offset;
    let lastHash = base.lastHash;
    for await (const chunk of linesOf(handle, base.offset)) {
      if (chunk.overlong) throw new LogDamagedError(this.file, chain.lastSeq + 1, overlongProblem().detail);
      if (chunk.unfinished > 0) {
        // An unfinished write (left out, as readers leave it out), or a last record without its line end.
        const tail = finishTail(chunk.bytes.subarray(0, chunk.unfinished), chain);
        if (tail.problem !== undefined) throw new LogDamagedError(this.file, chain.lastSeq + 1, tail.problem.detail);
        if (tail.record !== undefined) return undefined;
        break;
      }
      const { records, problem } = checkLines(chunk.bytes, chunk.length, chain);
      const chunkStart = chunk.end - chunk.length;
      let at = 0;
      for (const record of records) {
        const lineEnd = chunk.bytes.indexOf(NEWLINE, at);
        open.push({ seq: record.seq, stream: record.stream, id: record.id, start: chunkStart + at, hash: record.hash });
        at = lineEnd + 1;
        if ((record.more ?? 0) === 0) {
          for (const r of open) builder.add(r.seq, r.stream, r.id, r.start, r.hash);
          open = [];
          end = chunkStart + at;
          lastHash = record.hash;
        }
      }
      if (problem !== undefined) throw new LogDamagedError(this.file, chain.lastSeq + 1, problem.detail);
    }
    return { index: builder.finish(end, lastHash), added: builder.count };
  }

  /** Forgets the stream index, in memory and on disk: the next use builds it anew from the log. */
  private async dropStreamIndex(): Promise<void> {
    this.streamIndexCache = undefined;
    await unlink(join(this.dir, INDEX_FILE)).catch(() => undefined); // a read-only store keeps it, and reads in full
  }

  private async readIndexFile(): Promise<StreamIndex | undefined> {
    try {
      const handle = await openForReading(join(this.dir, INDEX_FILE));
      if (handle === undefined) return undefined;
      try {
        return StreamIndex.decode(await handle.readFile());
      } finally {
        await handle.close();
      }
    } catch {
      return undefined; // an index that cannot be read is rebuilt from the log
    }
  }

  /**
   * Writes the index beside the log (aside, then renamed into place), best effort: a store that cannot be written,
   * or whose .gitignore would not keep the index out of git, works without one.
   */
  private async writeIndexFile(index: StreamIndex): Promise<void> {
    if (!(await this.indexIgnored())) return;
    const draft = join(this.dir, `${INDEX_FILE}.${process.pid}-${randomUUID()}.new`);
    try {
      // Synced before the rename, so a crash never leaves an index of the right size with parts of it missing.
      const handle = await open(draft, 'wx', 0o644);
      try {
        await handle.writeFile(index.encode());
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(draft, join(this.dir, INDEX_FILE));
    } catch {
      await unlink(draft).catch(() => undefined);
    }
  }

  /** Whether the store's .gitignore keeps the index out of git; a .gitignore cnassess wrote is taught to. */
  private async indexIgnored(): Promise<boolean> {
    let handle: FileHandle | undefined;
    try {
      // Like the store's own files: a link or a FIFO in its place is not followed, and not written through.
      handle = await open(
        join(this.dir, '.gitignore'),
        constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      );
      if (!(await handle.stat()).isFile()) return false;
      const text = (await handle.readFile({ encoding: 'utf8' })).slice(0, 64 * 1024);
      if (text.split('\n').includes(INDEX_FILE)) return true;
      if (!text.startsWith(GITIGNORE_HEADER)) return false;
      await handle.write(`${text.endsWith('\n') ? '' : '\n'}${INDEX_IGNORED}`);
      return true;
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }

  async verify(): Promise<VerifyReport> {
    // The head first: a writer writes the log, then the head, so a log read after its head is never behind it.
    let damagedHead: string | undefined;
    const head = await this.readHead().catch((err: unknown) => {
      if (!(err instanceof LogDamagedError)) throw err;
      damagedHead = err.detail;
      return undefined;
    });
    const verifier = new LogVerifier(head);
    for await (const chunk of readLines(this.file, 0)) {
      if (chunk.overlong) {
        verifier.overlong();
        break;
      }
      if (verifier.add(chunk.bytes, chunk.length) === undefined) break;
      if (chunk.unfinished > 0) verifier.end(chunk.bytes.subarray(0, chunk.unfinished));
    }
    const report = verifier.report();
    if (damagedHead === undefined || !report.ok) return report;
    return {
      ...report,
      ok: false,
      problem: { file: HEAD_FILE, line: 1, code: 'head-mismatch', message: `${damagedHead}. ${RESTORE_ADVICE}` },
    };
  }

  /**
   * Repairs what an interrupted write left at the end of the log, if anything; readers need no lock, so this takes
   * it only when there is something to repair, and does not wait for it.
   */
  async recoverInterruptedWrite(): Promise<void> {
    const found = await this.unfinishedWrite();
    if (found.kind === 'none') return;
    try {
      await ifWriterLockFree(this.lockFile, this.lockOptions, () => this.repairTail());
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      // Reading goes on: readers leave an unfinished write out, and a writer repairs it first or says why it cannot.
      this.shownNotices.push(
        `${LOG_FILE} ends with ${found.kind === 'line-end' ? 'a record that lost its line end' : 'an unfinished write that was never acknowledged'}, ` +
          `which could not be repaired now (${err.message}); it is ${found.kind === 'line-end' ? 'read as it is' : 'left out'} until a command that can write to the store repairs it.`,
      );
    }
  }

  /**
   * The records within `bounds`, checked, a chunk at a time: per-record async iteration costs more than the checks.
   * The records of a write that is not finished (in progress, or cut short by a crash) are left out.
   */
  private async *records(bounds: ReadBounds): AsyncGenerator<readonly StoredEvent[]> {
    const head = await this.readHead(); // before the log; see verify()
    const chain = new ChainState();
    let held: StoredEvent[] = []; // records of a write whose last record has not been read yet
    let hashAtHead: string | undefined;
    for await (const chunk of readLines(this.file, 0)) {
      let records: StoredEvent[];
      let problem: LineProblem | undefined;
      if (chunk.overlong) {
        records = [];
        problem = overlongProblem();
      } else if (chunk.unfinished > 0) {
        const tail = finishTail(chunk.bytes.subarray(0, chunk.unfinished), chain);
        records = tail.record === undefined ? [] : [tail.record];
        problem = tail.problem;
      } else {
        ({ records, problem } = checkLines(chunk.bytes, chunk.length, chain));
      }
      if (head !== undefined) hashAtHead = hashAt(records, head.seq) ?? hashAtHead;
      const all = held.length === 0 ? records : held.concat(records);
      const ready = all.length - chain.uncommitted;
      held = all.slice(ready);
      const reachedBound = chain.committedSeq >= bounds.upToSeq;
      const complete = ready === all.length ? all : all.slice(0, ready);
      // The records before a damaged line are delivered first, as a record-by-record reader would deliver them.
      yield reachedBound || bounds.before !== undefined
        ? complete.filter((record) => record.seq <= bounds.upToSeq && isBefore(record, bounds))
        : complete;
      if (reachedBound) return; // damage past the bound does not concern this read
      if (problem !== undefined) throw new LogDamagedError(this.file, chain.lastSeq + 1, problem.detail);
    }
    const end = head === undefined ? undefined : headProblem(head, chain, hashAtHead);
    if (end !== undefined) throw new LogDamagedError(this.file, end.line, end.problem.detail);
  }

  protected async appendNow(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    await this.createDir();
    return withWriterLock(this.lockFile, this.lockOptions, async (lock) => {
      await this.repairTail();
      const index = await this.catchUp();
      await this.resolveIds(
        index,
        writes.flatMap((write) => write.events),
      );
      const plan = planWrites(index, writes);
      if (plan.appended.length > 0) {
        await this.writeDurably(plan.text, index, lock);
        indexAppended(index, plan.appended);
        await this.writeHead({ seq: index.chain.committedSeq, hash: index.chain.committedHash }, plan.appended.at(-1)?.seq ?? 0);
        index.head = { seq: index.chain.committedSeq, hash: index.chain.committedHash };
      }
      return plan.results;
    });
  }

  private async createDir(): Promise<void> {
    try {
      const created = await mkdir(this.dir, { recursive: true });
      if (created !== undefined) {
        // A store kept in git commits its log and head; what else appears here is transient.
        await writeFile(join(this.dir, '.gitignore'), GITIGNORE, { flag: 'wx' }).catch(() => undefined);
        await syncDir(dirname(created));
      }
    } catch (err) {
      throw new StoreWriteError(`${describeIoError(err)} while creating the store folder ${this.dir}; nothing was recorded`);
    }
  }

  /** Brings the index up to the end of the file, checking every new record and the head. Call under the lock. */
  private async catchUp(): Promise<WriterIndex> {
    try {
      const head = await this.readHead();
      let index = await this.readNewRecords(head);
      if (!this.anchorChecked(index, head)) {
        // The head anchors a record read in an earlier catch-up than this one: read the whole log again to check it.
        this.index = undefined;
        index = await this.readNewRecords(head);
      }
      if (!this.anchorChecked(index, head) && head !== undefined) {
        const end = headProblem(head, index.chain, undefined) ?? {
          line: head.seq,
          problem: new LineProblem('head-mismatch', 'the head does not match'),
        };
        throw new LogDamagedError(this.file, end.line, end.problem.detail);
      }
      return index;
    } catch (err) {
      if (err instanceof LogDamagedError || err instanceof StoreReadError) throw err;
      throw new StoreWriteError(`${describeIoError(err)} while reading ${this.file}; nothing was recorded`);
    }
  }

  /** The writer's index from the stream index, whose records and head were checked on the way; undefined without one. */
  private async writerIndexFromStreamIndex(ino: number): Promise<WriterIndex | undefined> {
    return this.withStreamIndex(async (_handle, streams, head) => {
      if (streams.ino !== ino) return undefined; // the log was replaced in between: read it whole
      const chain = ChainState.after(streams.lastSeq, streams.lastHash, (stream) => streams.versionOf(stream));
      return { chain, ids: new IndexedIds(streams), offset: streams.offset, ino, head };
    });
  }

  /**
   * An indexed log's ids are known by their hashes: before deciding, the records whose id hash equals one of these
   * ids are read, and the ids they really hold are added, so planWrites' lookup stays exact and synchronous.
   */
  private async resolveIds(index: WriterIndex, events: readonly NewEvent[]): Promise<void> {
    const ids = index.ids;
    if (!(ids instanceof IndexedIds)) return;
    const handle = await openForReading(this.file);
    if (handle === undefined) return;
    try {
      for (const event of events) {
        if (ids.has(event.id)) continue;
        for (const seq of ids.streams.candidatesFor(event.id)) {
          if ((await this.recordAt(handle, ids.streams, seq)).id === event.id) ids.add(event.id);
        }
      }
    } finally {
      await handle.close();
    }
  }

  private anchorChecked(index: WriterIndex, head: LogHead | undefined): boolean {
    return head === undefined || (index.head !== undefined && index.head.seq === head.seq && index.head.hash === head.hash);
  }

  private async readNewRecords(head: LogHead | undefined): Promise<WriterIndex> {
    const handle = await openForReading(this.file);
    try {
      const stats = handle === undefined ? undefined : await handle.stat();
      let index = this.index;
      if (index === undefined || stats === undefined || stats.ino !== index.ino || stats.size < index.offset) {
        // A large log's writer starts where its stream index ends, rather than reading the log from the start.
        index = (await this.writerIndexFromStreamIndex(stats?.ino ?? -1)) ?? {
          chain: new ChainState(),
          ids: new Set(),
          offset: 0,
          ino: stats?.ino ?? -1,
          head: undefined,
        };
      }
      this.index = undefined; // until the catch-up completes, the index may be half-advanced
      let hashAtHead: string | undefined;
      if (handle !== undefined && stats !== undefined && stats.size > index.offset) {
        for await (const chunk of linesOf(handle, index.offset)) {
          if (chunk.overlong) throw new LogDamagedError(this.file, index.chain.lastSeq + 1, overlongProblem().detail);
          if (chunk.unfinished > 0) {
            // Cannot come from a writer of ours: the lock is held and an unfinished write was just repaired.
            throw new LogDamagedError(
              this.file,
              index.chain.lastSeq + 1,
              finishTail(chunk.bytes.subarray(0, chunk.unfinished), index.chain).problem?.detail ?? 'the last line has no line end',
            );
          }
          const { records, problem } = checkLines(chunk.bytes, chunk.length, index.chain);
          for (const record of records) index.ids.add(record.id);
          if (head !== undefined) hashAtHead = hashAt(records, head.seq) ?? hashAtHead;
          if (problem !== undefined) throw new LogDamagedError(this.file, index.chain.lastSeq + 1, problem.detail);
          index.offset = chunk.end;
        }
      }
      if (index.chain.open > 0) {
        throw new LogDamagedError(this.file, index.chain.openFrom, 'the last write is unfinished and could not be moved aside');
      }
      if (head !== undefined && !this.anchorChecked(index, head)) {
        const atHead = head.seq === index.chain.committedSeq ? index.chain.committedHash : hashAtHead;
        const end = headProblem(head, index.chain, atHead);
        if (end !== undefined) throw new LogDamagedError(this.file, end.line, end.problem.detail);
        if (atHead !== undefined) index.head = head;
      }
      this.index = index;
      return index;
    } finally {
      await handle?.close();
    }
  }

  /**
   * One write of whole lines, then fsync, before the append is acknowledged. On failure the file is cut back to its
   * previous length, so no partial record stays behind, and the failure is reported, never retried.
   */
  private async writeDurably(text: string, index: WriterIndex, lock: WriterLock): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    await lock.assertHeld();
    const handle = await this.openLogForAppend();
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
        (undoErr: unknown) => `; cutting off the partial write also failed (${describeIoError(undoErr)}): run \`cnassess verify\``,
      );
      throw new StoreWriteError(`${describeIoError(err)} while ${step} ${this.file}; nothing was recorded${undo}`);
    } finally {
      // Close errors are not reported: by now the data is synced, or the failure is already being reported.
      await handle.close().catch(() => undefined);
    }
  }

  private async openLogForAppend(): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, APPEND_FLAGS, 0o644);
    } catch (err) {
      throw new StoreWriteError(
        `${wallMessage(this.file, err) ?? `${describeIoError(err)} while opening ${this.file}`}; nothing was recorded`,
      );
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw new StoreWriteError(`${this.file} is ${kindOf(stats)}, not the event log; nothing was recorded`);
    }
    return handle;
  }

  /** The head file's anchor; undefined when there is none (a store from before 0.2, or an empty one). */
  private async readHead(): Promise<LogHead | undefined> {
    const handle = await openForReading(this.headFile);
    if (handle === undefined) return undefined;
    try {
      const text = (await handle.readFile({ encoding: 'utf8' })).slice(0, 1024);
      const head = parseHead(text);
      if (head === undefined) {
        throw new LogDamagedError(this.headFile, 1, 'the head file is not what cnassess writes there ({"seq":…,"hash":"…"})');
      }
      return head;
    } finally {
      await handle.close();
    }
  }

  /** Records the new end of the log: a file written aside, synced, and renamed over the head, so it is old or new. */
  private async writeHead(head: LogHead, seq: number): Promise<void> {
    const draft = join(this.dir, `${HEAD_FILE}.${process.pid}-${randomUUID()}.new`);
    try {
      const existing = await lstat(this.headFile).catch((err: unknown) => {
        if (errorCode(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (existing !== undefined && !existing.isFile())
        throw new StoreWriteError(`${this.headFile} is ${kindOf(existing)}, not the head file`);
      const handle = await open(draft, 'wx', 0o644);
      try {
        await handle.writeFile(encodeHead(head));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(draft, this.headFile);
    } catch (err) {
      await unlink(draft).catch(() => undefined);
      const why = err instanceof StoreWriteError ? err.message : `${describeIoError(err)} while writing ${this.headFile}`;
      throw new StoreWriteError(
        `${why}. The answer was recorded (seq ${seq}) and is safe, but removing records from the end of the log cannot be ` +
          'detected until the head file is written again: fix the cause, and the next write rewrites it',
      );
    }
  }

  /** What an interrupted write left at the end of the log. */
  private async unfinishedWrite(): Promise<
    { kind: 'none' } | { kind: 'line-end'; size: number } | { kind: 'torn'; start: number; records: number; size: number }
  > {
    const head = await this.readHead().catch((err: unknown) => {
      if (err instanceof LogDamagedError) return 'damaged' as const; // the readers report it
      throw err;
    });
    if (head === 'damaged') return { kind: 'none' };
    const handle = await openForReading(this.file);
    if (!handle) return { kind: 'none' };
    try {
      const { size } = await handle.stat();
      // Records are short: look at the last few KiB, and further back only while that cannot decide.
      for (let window = 4096; ; window *= 4) {
        const start = Math.max(0, size - window);
        const tail = Buffer.alloc(size - start);
        await handle.read(tail, 0, tail.length, start);
        const found: TailRepair = findUnfinishedWrite(tail, start === 0, head?.seq ?? 0);
        if (found.kind === 'none') return found;
        if (found.kind === 'line-end') return { kind: 'line-end', size };
        if (found.kind === 'torn') return { kind: 'torn', start: start + found.start, records: found.records, size };
      }
    } finally {
      await handle.close();
    }
  }

  /** Repairs an interrupted write at the end of the log. Call under the lock. */
  private async repairTail(): Promise<void> {
    // Looked at again under the lock: what looked unfinished may have been a write that has finished since.
    const found = await this.unfinishedWrite();
    if (found.kind === 'none') return;
    this.index = undefined;
    if (found.kind === 'line-end') {
      const log = await this.openLogForAppend();
      try {
        await log.write('\n');
        await log.sync();
      } catch (err) {
        throw new StoreWriteError(`${describeIoError(err)} while putting back the last line end of ${this.file}; nothing was recorded`);
      } finally {
        await log.close();
      }
      this.shownNotices.push(
        `The last record of ${LOG_FILE} had lost its line end (the file was cut by a byte?); it was put back. Nothing was moved.`,
      );
      return;
    }
    const recoveryName = `events.recovered-${this.now().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    const recoveryFile = join(this.dir, recoveryName);
    const moved = found.size - found.start;
    try {
      const log = await open(this.file, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const torn = Buffer.alloc(moved);
        await log.read(torn, 0, torn.length, found.start);
        // Saved (and synced) before the log is cut, so a crash in between loses nothing.
        const recovery = await open(recoveryFile, 'wx', 0o644);
        try {
          await recovery.writeFile(torn);
          await recovery.sync();
        } finally {
          await recovery.close();
        }
        await syncDir(this.dir);
        await log.truncate(found.start);
        await log.sync();
      } finally {
        await log.close();
      }
    } catch (err) {
      throw new StoreWriteError(
        `${describeIoError(err)} while moving an unfinished write from ${this.file} to ${recoveryFile}; nothing was recorded`,
      );
    }
    const what =
      found.records > 0
        ? `${found.records} record${found.records === 1 ? '' : 's'} of a write that was cut short${moved > 0 ? ' (and the rest of it)' : ''}`
        : 'an unfinished record';
    this.shownNotices.push(
      `Recovered from an interrupted write: moved ${moved} byte${moved === 1 ? '' : 's'} (${what}, never acknowledged) ` +
        `from ${LOG_FILE} to ${recoveryName}.`,
    );
  }
}

/** The ids of a log known to its stream index (by hash, resolved before each append), and those added since. */
class IndexedIds {
  private readonly known = new Set<string>();
  constructor(readonly streams: StreamIndex) {}
  has(id: string): boolean {
    return this.known.has(id);
  }
  add(id: string): void {
    this.known.add(id);
  }
}

/** What stands in the place of a store file that could not be opened, when that is the reason. */
function wallMessage(file: string, err: unknown): string | undefined {
  const code = errorCode(err);
  if (code === 'ELOOP') return `${file} is a symbolic link; the store's files must be regular files inside its folder`;
  if (code === 'ENXIO') return `${file} is a FIFO or a device; the store's files must be regular files inside its folder`;
  return undefined;
}

interface LineChunk {
  /** Complete lines, each ending in "\n", in bytes [0, length). Valid until the next chunk is asked for. */
  readonly bytes: Buffer;
  readonly length: number;
  /** File offset just past those lines. */
  readonly end: number;
  /** Bytes at the very end of the file that have no line end yet (only on the last chunk, in bytes [0, unfinished)). */
  readonly unfinished: number;
  /** The next line is longer than any record can be; nothing more is read (only on the last chunk). */
  readonly overlong?: boolean;
}

/**
 * The complete lines of `file` from byte `from`, a chunk at a time, so a large log is never held in memory at once.
 * A missing file has no lines. Splits on the "\n" byte, which never occurs inside a UTF-8 multi-byte character.
 */
async function* readLines(file: string, from: number): AsyncGenerator<LineChunk> {
  const handle = await openForReading(file);
  if (!handle) return;
  try {
    yield* linesOf(handle, from);
  } finally {
    await handle.close();
  }
}

async function* linesOf(handle: FileHandle, from: number): AsyncGenerator<LineChunk> {
  let bytes = Buffer.allocUnsafe(CHUNK_BYTES);
  let carried = 0; // bytes of an unfinished line kept at the start of `bytes`
  let position = from;
  for (;;) {
    if (carried > MAX_RECORD_BYTES) {
      // Never built into a string: a hostile line of gigabytes costs one bounded buffer.
      yield { bytes, length: 0, end: position - carried, unfinished: 0, overlong: true };
      return;
    }
    if (carried === bytes.length) {
      const larger = Buffer.allocUnsafe(Math.min(bytes.length * 2, MAX_RECORD_BYTES + 2)); // one line longer than the buffer
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

/**
 * A store file opened for reading; undefined when it does not exist. Never follows a symbolic link and never waits on
 * a FIFO: anything but a regular file in its place is refused, so nothing outside the store is read.
 */
async function openForReading(file: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    const hint = errorCode(err) === 'ENOTDIR' ? ' (is --store a file rather than a folder?)' : '';
    throw new StoreReadError(wallMessage(file, err) ?? `cannot read ${file}: ${describeIoError(err)}${hint}`);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new StoreReadError(`${file} is ${kindOf(stats)}; the store's files must be regular files inside its folder`);
  }
  return handle;
}
