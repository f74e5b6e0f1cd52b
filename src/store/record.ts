// The record format of the event log and the rules a sequence of records obeys. Pure: no files, no clock.
// Both stores use it, so a memory store and a file store agree byte for byte on what they would write.
//
// A record is one line of JSON with the keys in this order:
//   seq, stream, version, id, type, schema, at, actor, data, more (only in a write of several records), prev, hash
// `hash` is the SHA-256 (hex) of the line's own text without the hash field, that is of the JSON text of the
// keys seq..prev. The stored line is that text with `,"hash":"<hex>"}` in place of its closing `}`, so checking a
// line never re-serializes it: cut the fixed-length suffix, put the `}` back, hash, compare.
// Lines are checked as the bytes read from disk (no copy, no re-encoding); a flipped byte that is not even UTF-8
// is caught by the hash as well.

import { hash as digest } from 'node:crypto';
import { StreamConflictError, UsageError } from '../errors.js';
import {
  GENESIS_HASH,
  type AppendResult,
  type NewEvent,
  type ReadOptions,
  type StoredEvent,
  type StreamWrite,
  type VerifyProblem,
  type VerifyReport,
} from './eventStore.js';

const HASH_PREFIX = ',"hash":"';
/** `,"hash":"` + 64 hex digits + `"}`: the fixed-length end of every record line. */
const HASH_SUFFIX_LENGTH = HASH_PREFIX.length + 64 + 2;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;
/** The longest record line written or read, in bytes (without its line end): far more than a rubric of 2 MB needs. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

type ProblemCode = VerifyProblem['code'];

/** What is wrong with one line. A class, so that `instanceof` tells a problem from a record, which has no tag. */
export class LineProblem {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
  ) {}
}

function sha256Hex(text: string): string {
  return digest('sha256', text, 'hex');
}

/** Where a new record goes in the log. */
export interface RecordPlace {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  /** How many records of the same write follow this one; 0 (left out of the line) for the last. */
  readonly more?: number;
  readonly prev: string;
}

/** The line (without its line end) that records `event` at `place`. */
export function encodeRecord(place: RecordPlace, event: NewEvent): string {
  let body = JSON.stringify({
    seq: place.seq,
    stream: place.stream,
    version: place.version,
    id: event.id,
    type: event.type,
    schema: event.schema,
    at: event.at,
    actor: event.actor,
    data: event.data,
    more: place.more !== undefined && place.more > 0 ? place.more : undefined, // undefined: the key is left out
    prev: place.prev,
  });
  // JSON.stringify leaves U+2028/U+2029 raw; some editors and tools treat them as line breaks, so escape them
  // (only strings can contain them, and the escaped form parses back to the same string).
  if (body.includes('\u2028') || body.includes('\u2029')) {
    body = body.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  }
  return `${body.slice(0, -1)}${HASH_PREFIX}${sha256Hex(body)}"}`;
}

/** Parses one line (without its line end) and checks it on its own: JSON, shape, and its hash. */
export function parseRecord(line: string): StoredEvent | LineProblem {
  const bytes = Buffer.from(line, 'utf8');
  return parseRecordAt(bytes, 0, bytes.length);
}

/** parseRecord() for the line in bytes [start, end) of `bytes`, which it changes for a moment and restores. */
function parseRecordAt(bytes: Buffer, start: number, end: number): StoredEvent | LineProblem {
  const line = bytes.toString('utf8', start, end);
  if (line === '') return new LineProblem('not-json', 'the line is empty');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return new LineProblem('not-json', `the line is not valid JSON (${(err as Error).message})`);
  }
  const shapeProblem = checkShape(value);
  if (shapeProblem !== undefined) return new LineProblem('bad-shape', shapeProblem);
  const record = value as StoredEvent;
  const cut = end - HASH_SUFFIX_LENGTH;
  if (cut <= start) return hashProblem(line, record);
  // Hash the text without its hash field where it lies: put the closing `}` over the `,` that starts the field for
  // a moment. No need to check that "hash" really is the last key: a line whose last 75 characters were anything
  // else would need to contain the SHA-256 of its own text.
  const saved = bytes[cut] ?? 0;
  bytes[cut] = CLOSE_BRACE;
  const actual = digest('sha256', bytes.subarray(start, cut + 1), 'hex');
  bytes[cut] = saved;
  return actual === record.hash ? record : hashProblem(line, record);
}

/** Why a record's hash does not match: looked into only once it does not, to keep the common path short. */
function hashProblem(line: string, record: StoredEvent): LineProblem {
  if (line.endsWith('\r')) {
    return new LineProblem(
      'bad-shape',
      'the line ends with a carriage return (CRLF); the log must keep LF line ends (`cnassess git-setup` writes the .gitattributes line that keeps git from converting it: -text)',
    );
  }
  if (!line.endsWith(`${HASH_PREFIX}${record.hash}"}`)) return new LineProblem('bad-shape', '"hash" must be the last key');
  return new LineProblem('hash-mismatch', 'the record does not match its hash: the line was changed after it was written');
}

/** Why `value` is not a record, or undefined when it is one. Unknown extra keys are tolerated. */
function checkShape(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the line is not a JSON object';
  const r = value as Record<string, unknown>;
  if (!isPositiveInteger(r['seq'])) return `"seq" must be a positive integer${found(r['seq'])}`;
  if (!isNonEmptyString(r['stream'])) return `"stream" must be a non-empty string${found(r['stream'])}`;
  if (!isPositiveInteger(r['version'])) return `"version" must be a positive integer${found(r['version'])}`;
  if (!isNonEmptyString(r['id'])) return `"id" must be a non-empty string${found(r['id'])}`;
  if (!isNonEmptyString(r['type'])) return `"type" must be a non-empty string${found(r['type'])}`;
  if (!isPositiveInteger(r['schema'])) return `"schema" must be a positive integer${found(r['schema'])}`;
  if (!isNonEmptyString(r['at'])) return `"at" must be an ISO-8601 timestamp${found(r['at'])}`;
  if (typeof r['actor'] !== 'string') return `"actor" must be a string${found(r['actor'])}`;
  if (r['data'] === undefined) return '"data" is missing';
  if (r['more'] !== undefined && !isPositiveInteger(r['more'])) return `"more" must be a positive integer${found(r['more'])}`;
  // Their content is checked by the hash and the chain; a wrong value there gets the more telling message.
  if (typeof r['prev'] !== 'string') return `"prev" must be a string of 64 hex digits${found(r['prev'])}`;
  if (typeof r['hash'] !== 'string') return `"hash" must be a string of 64 hex digits${found(r['hash'])}`;
  return undefined;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function found(v: unknown): string {
  return v === undefined ? ' (it is missing)' : ` (found ${JSON.stringify(v).slice(0, 40)})`;
}

/** ReadOptions, checked and parsed once per read. Records come in seq order, so a read stops past `upToSeq`. */
export interface ReadBounds {
  readonly upToSeq: number;
  /** Epoch milliseconds; `at` is compared as a time, not as text, so differing ISO precisions compare right. */
  readonly before: number | undefined;
}

export function readBounds(options: ReadOptions): ReadBounds {
  const { upToSeq, before } = options;
  if (upToSeq !== undefined && !(Number.isSafeInteger(upToSeq) && upToSeq >= 0)) {
    throw new UsageError(`a sequence number must be a whole number of 0 or more (found ${upToSeq})`);
  }
  const beforeMs = before === undefined ? undefined : Date.parse(before);
  if (beforeMs !== undefined && Number.isNaN(beforeMs)) {
    throw new UsageError(`"${before}" is not a date: use ISO-8601, for example 2026-10-01 or 2026-10-01T12:00:00Z`);
  }
  return { upToSeq: upToSeq ?? Number.POSITIVE_INFINITY, before: beforeMs };
}

export function isBefore(record: StoredEvent, bounds: ReadBounds): boolean {
  return bounds.before === undefined || Date.parse(record.at) < bounds.before;
}

/** Where the log stands after the records read so far: what the next record must continue. */
export class ChainState {
  lastSeq = 0;
  lastHash = GENESIS_HASH;
  /** Each stream's version as of the last record followed (what was followed since, over versionBefore). */
  readonly versions = new Map<string, number>();
  /**
   * A stream's version before the first record followed: none, unless the chain continues a stream index, which knows
   * the versions of its 25,000 streams without them being copied into `versions` on every read.
   */
  versionBefore: (stream: string) => number = () => 0;
  /** How many more records the write of the last record announced; 0 when that write is complete. */
  open = 0;
  /** The stream of the write still open, and the seq its first record has. */
  openStream = '';
  openFrom = 0;
  /** The end of the last complete write: what a reader may show. */
  committedSeq = 0;
  committedHash = GENESIS_HASH;

  /**
   * A chain that continues a log known to end, after a complete write, at `seq` with `hash`: a stream index's end, or
   * a database's last row. `versionBefore` gives the versions of the streams before that end.
   */
  static after(seq: number, hash: string, versionBefore: (stream: string) => number = () => 0): ChainState {
    const chain = new ChainState();
    chain.lastSeq = chain.committedSeq = seq;
    chain.lastHash = chain.committedHash = hash;
    chain.versionBefore = versionBefore;
    return chain;
  }

  versionOf(stream: string): number {
    return this.versions.get(stream) ?? this.versionBefore(stream);
  }

  /** Checks that `record` continues the log and, when it does, moves past it. */
  follow(record: StoredEvent): LineProblem | undefined {
    if (record.seq !== this.lastSeq + 1) {
      return new LineProblem(
        'seq-gap',
        `expected seq ${this.lastSeq + 1} but found ${record.seq}: a record is missing, repeated or out of order`,
      );
    }
    if (record.prev !== this.lastHash) {
      return new LineProblem(
        'prev-mismatch',
        '"prev" is not the hash of the record before it: a record before this one was changed, removed or inserted',
      );
    }
    const version = this.versionOf(record.stream);
    if (record.version !== version + 1) {
      return new LineProblem(
        'version-gap',
        `stream ${record.stream} is at version ${version} but this record has version ${record.version}`,
      );
    }
    const more = record.more ?? 0;
    if (this.open > 0 && (record.stream !== this.openStream || more !== this.open - 1)) {
      return new LineProblem(
        'batch-broken',
        `the write that started at seq ${this.openFrom} announced ${this.open} more record${this.open === 1 ? '' : 's'} of stream ` +
          `${this.openStream}, but this record ${record.stream !== this.openStream ? `is of stream ${record.stream}` : `announces ${more} more`}: ` +
          'records were removed from the middle of a write, or added to it',
      );
    }
    this.advance(record);
    return undefined;
  }

  advance(record: StoredEvent): void {
    this.lastSeq = record.seq;
    this.lastHash = record.hash;
    this.versions.set(record.stream, record.version);
    if (this.open === 0) {
      this.openFrom = record.seq;
      this.openStream = record.stream;
    }
    this.open = record.more ?? 0;
    if (this.open === 0) {
      this.committedSeq = record.seq;
      this.committedHash = record.hash;
    }
  }

  /** How many of the records followed so far belong to a write that is not complete yet. */
  get uncommitted(): number {
    return this.lastSeq - this.committedSeq;
  }
}

export interface CheckedLines {
  /** The records that continue the chain, in order, up to the first problem. */
  readonly records: StoredEvent[];
  readonly problem?: LineProblem;
}

/**
 * Checks the lines in bytes [0, length) of `bytes` (each ending in "\n") against each other and against `chain`,
 * which moves past every good record; checking stops at the first problem.
 */
export function checkLines(bytes: Buffer, length: number, chain: ChainState): CheckedLines {
  const records: StoredEvent[] = [];
  for (let start = 0; start < length;) {
    const end = bytes.indexOf(NEWLINE, start);
    const record = parseRecordAt(bytes, start, end);
    const problem = record instanceof LineProblem ? record : chain.follow(record);
    if (problem !== undefined) return { records, problem };
    records.push(record as StoredEvent);
    start = end + 1;
  }
  return { records };
}

/** What a writer knows about the log: where it ends, and every event id in it (to recognise a retried append). */
export interface LogIndex {
  readonly chain: ChainState;
  readonly ids: IdSet;
}

/** The event ids of a log: a Set, or one backed by the file store's index of a large log. */
export interface IdSet {
  has(id: string): boolean;
  add(id: string): unknown;
}

export interface AppendPlan {
  /** The records to write, as a reader will read them back. Empty when every event was already in the log. */
  readonly appended: readonly StoredEvent[];
  /** Their lines, each ending in "\n". */
  readonly text: string;
  readonly duplicates: number;
  readonly streamVersion: number;
}

/**
 * Decides what an append writes: events whose id is already in the log are left out (so a retried command writes
 * nothing and raises no conflict); the rest are written only if the stream is still at `expectedVersion`.
 * Throws StreamConflictError; throws TypeError for arguments no correct caller passes.
 */
export function planAppend(index: LogIndex, stream: string, events: readonly NewEvent[], expectedVersion: number): AppendPlan {
  if (!isNonEmptyString(stream)) throw new TypeError(`stream must be a non-empty string (found ${JSON.stringify(stream)})`);
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new TypeError(`expectedVersion must be a non-negative integer (found ${expectedVersion})`);
  }
  const given = new Set<string>();
  for (const event of events) {
    if (given.has(event.id)) throw new TypeError(`event id ${JSON.stringify(event.id)} appears twice in one append`);
    given.add(event.id);
  }
  const fresh = events.filter((event) => !index.ids.has(event.id));
  const current = index.chain.versionOf(stream);
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { appended: [], text: '', duplicates, streamVersion: current };
  if (current !== expectedVersion) throw new StreamConflictError(stream, expectedVersion, current);

  const appended: StoredEvent[] = [];
  const lines: string[] = [];
  let prev = index.chain.lastHash;
  for (const [i, event] of fresh.entries()) {
    const more = fresh.length - 1 - i;
    const line = encodeRecord({ seq: index.chain.lastSeq + 1 + i, stream, version: current + 1 + i, more, prev }, event);
    if (Buffer.byteLength(line, 'utf8') > MAX_RECORD_BYTES) {
      throw new UsageError(
        `event ${event.type} is ${Math.ceil(Buffer.byteLength(line, 'utf8') / 1024 / 1024)} MiB as a log record; a record may be at most ` +
          `${MAX_RECORD_BYTES / 1024 / 1024} MiB, so nothing was recorded`,
      );
    }
    // Read the line back so the caller gets exactly what readers will get (and data that is not JSON is refused).
    const record = parseRecord(line);
    if (record instanceof LineProblem) {
      throw new TypeError(`event ${JSON.stringify(event.id)} cannot be recorded: ${record.detail}`);
    }
    appended.push(record);
    lines.push(line, '\n');
    prev = record.hash;
  }
  return { appended, text: lines.join(''), duplicates, streamVersion: current + fresh.length };
}

/** What several writes append, one after another, as one write to the log. */
export interface WritesPlan {
  /** Each write's result, as planAppend() decides it after the writes before it. */
  readonly results: AppendResult[];
  /** Every record to write, in order, as a reader will read them back. */
  readonly appended: readonly StoredEvent[];
  /** Their lines, each ending in "\n". */
  readonly text: string;
}

/**
 * Plans `writes` in order, each on the log as the writes before it leave it. They are planned on a scratch end of the
 * log, so a conflict in a later write throws with `index` as it was; the caller moves `index` past the records once
 * they are written.
 */
export function planWrites(index: LogIndex, writes: readonly StreamWrite[]): WritesPlan {
  const added = new Set<string>();
  const scratch: LogIndex = {
    chain: ChainState.after(index.chain.lastSeq, index.chain.lastHash, (stream) => index.chain.versionOf(stream)),
    ids: { has: (id) => added.has(id) || index.ids.has(id), add: (id) => added.add(id) },
  };
  const results: AppendResult[] = [];
  const appended: StoredEvent[] = [];
  const texts: string[] = [];
  for (const write of writes) {
    const plan = planAppend(scratch, write.stream, write.events, write.expectedVersion);
    indexAppended(scratch, plan.appended);
    results.push({ appended: plan.appended, duplicates: plan.duplicates, streamVersion: plan.streamVersion });
    for (const record of plan.appended) appended.push(record);
    texts.push(plan.text);
  }
  return { results, appended, text: texts.join('') };
}

/** Moves the index past records that were just written. */
export function indexAppended(index: LogIndex, records: readonly StoredEvent[]): void {
  for (const record of records) {
    index.chain.advance(record);
    index.ids.add(record.id);
  }
}

/** Checks a log line by line and reports the first problem; verification stops there. */
export class LogVerifier {
  private readonly chain = new ChainState();
  private problem: VerifyProblem | undefined;
  /** An unfinished record at the end: reported unless the head shows that acknowledged records are missing. */
  private torn: VerifyProblem | undefined;
  private hashAtHead: string | undefined;

  /** `head`: where the store's head says the log ends, if it keeps one; `wording`: the kind of store, for messages. */
  constructor(
    private readonly head?: LogHead,
    private readonly wording: LogWording = FOLDER_WORDING,
  ) {}

  /** Checks the next lines, as for checkLines(); their records, or undefined once a problem has been found. */
  add(bytes: Buffer, length: number): readonly StoredEvent[] | undefined {
    if (this.problem !== undefined) return undefined;
    const { records, problem } = checkLines(bytes, length, this.chain);
    this.passed(records);
    if (problem !== undefined) this.fail(problem);
    return problem === undefined ? records : undefined;
  }

  /** The next line is longer than any record can be. */
  overlong(): void {
    if (this.problem === undefined) this.fail(overlongProblem());
  }

  /** The log ends with `bytes` that have no line end. */
  end(bytes: Buffer): void {
    if (this.problem !== undefined || bytes.length === 0) return;
    const tail = finishTail(bytes, this.chain);
    if (tail.record !== undefined) this.passed([tail.record]);
    if (tail.problem !== undefined) this.fail(tail.problem);
    if (tail.torn !== undefined) {
      this.torn = {
        line: this.chain.open > 0 ? this.chain.openFrom : this.chain.lastSeq + 1,
        code: 'torn-tail',
        message:
          `the log ends with ${tail.torn} byte${tail.torn === 1 ? '' : 's'} of an unfinished record${this.chain.open > 0 ? `, the last of a write that began at seq ${this.chain.openFrom}` : ''}: ` +
          'a write was interrupted or is still running. It was never acknowledged, so every view leaves it out; ' +
          'the next cnassess command that can write to this store moves it aside',
      };
    }
  }

  report(): VerifyReport {
    const chain = this.chain;
    let problem = this.problem;
    const end =
      problem === undefined && this.head !== undefined ? headProblem(this.head, chain, this.hashAtHead, this.wording.head) : undefined;
    if (end !== undefined) problem = { line: end.line, code: end.problem.code, message: `${end.problem.detail}. ${this.wording.advice}` };
    problem ??= this.torn;
    if (problem === undefined && chain.open > 0) {
      problem = {
        line: chain.openFrom,
        code: 'torn-tail',
        message:
          `the log ends with an unfinished write (records ${chain.openFrom}–${chain.lastSeq}, which announced ${chain.open} more): ` +
          'it was interrupted and never acknowledged, so every view leaves it out. The next cnassess command that can write ' +
          'to this store moves it aside',
      };
    }
    return {
      ok: problem === undefined,
      events: chain.committedSeq,
      streams: chain.versions.size,
      lastSeq: chain.committedSeq,
      lastHash: chain.committedHash,
      ...(this.head !== undefined && { anchored: { seq: this.head.seq, hash: this.head.hash } }),
      ...(problem !== undefined && { problem }),
    };
  }

  private passed(records: readonly StoredEvent[]): void {
    if (this.head !== undefined) this.hashAtHead = hashAt(records, this.head.seq) ?? this.hashAtHead;
  }

  private fail(problem: LineProblem): void {
    this.problem = { line: this.chain.lastSeq + 1, code: problem.code, message: `${problem.detail}. ${this.wording.advice}` };
  }
}

export const RESTORE_ADVICE =
  'The log is never repaired automatically: restore the store folder from version control or a backup ' +
  '(for example `git checkout -- .cnassess/`, which restores events.jsonl and events.head together), then verify again';

/** How messages name a store's head and say what to do about damage: a folder is restored from git, a database from a backup. */
export interface LogWording {
  readonly head: string;
  readonly advice: string;
}

export const FOLDER_WORDING: LogWording = { head: 'events.head', advice: RESTORE_ADVICE };

export const DATABASE_WORDING: LogWording = {
  head: 'the head row',
  advice: 'The log is never repaired automatically: restore the database from a backup, then verify again',
};

export function overlongProblem(): LineProblem {
  return new LineProblem('too-long', `the line is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB, more than any record cnassess writes`);
}

/** The end of the log as the head file records it: the seq and hash of the last record of the last complete write. */
export interface LogHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Why the log does not end where its head file says, or undefined when it does — or runs past it, as after a crash
 * between the write of the log and that of the head. `hashAtHead`: the hash of the log's record at the head's seq.
 */
export function headProblem(
  head: LogHead,
  chain: ChainState,
  hashAtHead: string | undefined,
  headName = FOLDER_WORDING.head,
): { line: number; problem: LineProblem } | undefined {
  if (head.seq > chain.committedSeq && head.seq <= chain.lastSeq) {
    return {
      line: head.seq,
      problem: new LineProblem(
        'head-mismatch',
        `${headName} anchors seq ${head.seq}, in the middle of a write of several records: the head or the log was changed`,
      ),
    };
  }
  if (head.seq > chain.committedSeq) {
    // Records of the last write may still be there, its end cut off: name the first record that is missing.
    const missing = head.seq - chain.lastSeq;
    const unfinished = chain.open > 0 ? ` (in the middle of the write that began at seq ${chain.openFrom})` : '';
    return {
      line: chain.lastSeq + 1,
      problem: new LineProblem(
        'truncated',
        `the log ends at seq ${chain.lastSeq}${unfinished}, but ${headName} records that it reached seq ${head.seq}: ` +
          `${missing} acknowledged record${missing === 1 ? ' was' : 's were'} removed from its end`,
      ),
    };
  }
  if (hashAtHead !== undefined && hashAtHead !== head.hash) {
    return {
      line: head.seq,
      problem: new LineProblem(
        'head-mismatch',
        `the record at seq ${head.seq} is not the one ${headName} records there (its hash differs): the log was rewritten`,
      ),
    };
  }
  return undefined;
}

/** The hash of the record with seq `seq` among `records` (consecutive, in seq order), if it is one of them. */
export function hashAt(records: readonly StoredEvent[], seq: number): string | undefined {
  const first = records[0];
  return first === undefined ? undefined : records[seq - first.seq]?.hash;
}

/** Parses the head file's text; undefined when it is not what cnassess writes there. */
export function parseHead(text: string): LogHead | undefined {
  try {
    const value = JSON.parse(text) as Partial<LogHead> | null;
    if (value === null || !isPositiveInteger(value.seq) || typeof value.hash !== 'string' || !/^[0-9a-f]{64}$/.test(value.hash))
      return undefined;
    return { seq: value.seq, hash: value.hash };
  } catch {
    return undefined;
  }
}

export function encodeHead(head: LogHead): string {
  return `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`;
}

/** What the bytes after the log's last line end are. */
export interface TailEnd {
  /** A whole record that continues the chain and lacks only its line end: kept. */
  readonly record?: StoredEvent;
  /** The bytes are the start of a record a crash cut short: left out of reads, moved aside by recovery. */
  readonly torn?: number;
  /** The bytes are neither: damage. */
  readonly problem?: LineProblem;
}

/**
 * Judges the bytes after the last line end, given the chain up to there (which moves past a kept record). Only these
 * bytes can be a torn write: a writer writes whole lines, so a crash cuts only the last one. They are torn when they
 * are the start of the very record that comes next (`{"seq":<next>,"stream":"…`) with no byte a record cannot hold;
 * a whole record missing only its line end is kept; anything else is damage.
 */
export function finishTail(bytes: Buffer, chain: ChainState): TailEnd {
  if (bytes.length > MAX_RECORD_BYTES) return { problem: overlongProblem() };
  if (bytes.includes(0x0d)) {
    return {
      problem: new LineProblem(
        'bad-shape',
        'the log has carriage returns (CR) where its line ends should be; it must keep LF line ends (add `.cnassess/events.* -text` to .gitattributes)',
      ),
    };
  }
  const record = parseRecordAt(bytes, 0, bytes.length);
  if (!(record instanceof LineProblem)) {
    const problem = chain.follow(record);
    return problem === undefined ? { record } : { problem };
  }
  return isCutShort(bytes, record, chain.lastSeq + 1) ? { torn: bytes.length } : { problem: record };
}

/**
 * Whether the bytes after the last line end are what a crash leaves of the record with seq `next`: its first bytes,
 * perhaps followed by NUL bytes (what some file systems show of a write that never reached the disk). Bytes that
 * parse as JSON were written whole; if they fail a check, they were changed.
 */
function isCutShort(bytes: Buffer, problem: LineProblem, next: number): boolean {
  if (problem.code !== 'not-json') return false;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  for (let i = 0; i < end; i++) if ((bytes[i] ?? 0) < 0x20) return false; // JSON.stringify escapes every control character
  const start = Buffer.from(`{"seq":${next},"stream":"`, 'utf8');
  const n = Math.min(end, start.length);
  return bytes.subarray(0, n).equals(start.subarray(0, n));
}

/** What an interrupted write left at the end of a log, and what recovery does about it. */
export type TailRepair =
  | { readonly kind: 'none' }
  /** The last line is a whole record missing only its line end: put the line end back. */
  | { readonly kind: 'line-end' }
  /** Everything from `start` (a line start, in the window) on is an unfinished write: move it aside. */
  | { readonly kind: 'torn'; readonly start: number; readonly records: number; readonly firstSeq: number }
  /** The window did not reach far enough back to decide; read more of the file. */
  | { readonly kind: 'need-more' };

/**
 * Finds an unfinished write at the end of a log, given its last bytes (`reachesFileStart`: the window is the whole
 * file). An unfinished write is (a) bytes after the last line end that begin the next record, and/or (b) whole records
 * at the end whose write announced more records than followed. Only what continues a good record can be unfinished:
 * anything else at the end is damage, which this leaves for the readers to report ('none'). Records up to seq
 * `anchoredSeq` (the head file's) were acknowledged, so a region that would include one is damage too.
 */
export function findUnfinishedWrite(tail: Buffer, reachesFileStart: boolean, anchoredSeq: number): TailRepair {
  if (tail.length === 0) return { kind: 'none' };
  const lastBreak = tail.lastIndexOf(NEWLINE);
  if (lastBreak < 0 && !reachesFileStart) return { kind: 'need-more' };
  const unfinished = tail.subarray(lastBreak + 1);
  // The whole records of the window, last first, as far back as needed.
  const lines: Array<{ start: number; record: StoredEvent | LineProblem }> = [];
  const lineAt = (k: number): { start: number; record: StoredEvent | LineProblem } | 'need-more' | undefined => {
    while (lines.length <= k) {
      const end = lines.length === 0 ? lastBreak : lines[lines.length - 1]!.start - 1;
      if (end < 0) return undefined; // the file starts here
      const previousBreak = end === 0 ? -1 : tail.lastIndexOf(NEWLINE, end - 1);
      if (previousBreak < 0 && !reachesFileStart) return 'need-more';
      lines.push({ start: previousBreak + 1, record: parseRecordAt(tail, previousBreak + 1, end) });
    }
    return lines[k];
  };

  const last = lineAt(0);
  if (last === 'need-more') return { kind: 'need-more' };
  if (last !== undefined && last.record instanceof LineProblem) return { kind: 'none' }; // damage, not a crash
  const lastRecord = last?.record as StoredEvent | undefined;
  const next = (lastRecord?.seq ?? 0) + 1;
  const openMore = lastRecord?.more ?? 0; // > 0: the last whole record's write announced more

  if (unfinished.length > 0) {
    if (unfinished.length > MAX_RECORD_BYTES || unfinished.includes(0x0d)) return { kind: 'none' };
    const record = parseRecordAt(unfinished, 0, unfinished.length);
    if (record instanceof LineProblem) {
      if (!isCutShort(unfinished, record, next)) return { kind: 'none' };
    } else {
      const continues =
        record.seq === next &&
        record.prev === (lastRecord?.hash ?? GENESIS_HASH) &&
        (openMore === 0 || (record.stream === lastRecord?.stream && (record.more ?? 0) === openMore - 1));
      if (!continues) return { kind: 'none' };
      // A whole record that ends its write: kept, with its line end put back.
      if ((record.more ?? 0) === 0) return { kind: 'line-end' };
    }
  } else if (openMore === 0) {
    return { kind: 'none' };
  }

  // From here on the end is unfinished: the bytes after the last line end, and the whole records of the same write.
  let start = lastBreak + 1;
  let records = 0;
  let firstSeq = next;
  for (let k = 0; openMore > 0; k++) {
    const line = lineAt(k);
    if (line === 'need-more') return { kind: 'need-more' };
    if (line === undefined) break; // the write began the file
    const record = line.record;
    if (record instanceof LineProblem) return { kind: 'none' };
    if ((record.more ?? 0) === 0) break; // the last record of the write before
    if (k > 0) {
      const after = (lineAt(k - 1) as { record: StoredEvent }).record;
      if (after.prev !== record.hash || after.seq !== record.seq + 1 || (after.more ?? 0) + 1 !== record.more) return { kind: 'none' };
    }
    start = line.start;
    records++;
    firstSeq = record.seq;
  }
  if (firstSeq <= anchoredSeq) return { kind: 'none' }; // acknowledged records are never moved: this is damage
  return { kind: 'torn', start, records, firstSeq };
}

/** The items of `chunks` one by one, without an async generator's cost per item. */
export function flatten<T>(chunks: AsyncGenerator<readonly T[]>): AsyncIterableIterator<T> {
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
