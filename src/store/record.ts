// The record format of the event log and the rules a sequence of records obeys. Pure: no files, no clock.
// Both stores use it, so a memory store and a file store agree byte for byte on what they would write.
//
// A record is one line of JSON with the keys in this order:
//   seq, stream, version, id, type, schema, at, actor, data, prev, hash
// `hash` is the SHA-256 (hex) of the line's own text without the hash field, that is of the JSON text of the
// keys seq..prev. The stored line is that text with `,"hash":"<hex>"}` in place of its closing `}`, so checking a
// line never re-serializes it: cut the fixed-length suffix, put the `}` back, hash, compare.
// Lines are checked as the bytes read from disk (no copy, no re-encoding); a flipped byte that is not even UTF-8
// is caught by the hash as well.

import { hash as digest } from 'node:crypto';
import { StreamConflictError, UsageError } from '../errors.js';
import {
  GENESIS_HASH,
  type NewEvent,
  type ReadOptions,
  type StoredEvent,
  type VerifyProblem,
  type VerifyReport,
} from './eventStore.js';

const HASH_PREFIX = ',"hash":"';
/** `,"hash":"` + 64 hex digits + `"}`: the fixed-length end of every record line. */
const HASH_SUFFIX_LENGTH = HASH_PREFIX.length + 64 + 2;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;

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
      'the line ends with a carriage return (CRLF); the log must keep LF line ends (add `*.jsonl text eol=lf` to .gitattributes)',
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
  readonly versions = new Map<string, number>();

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
    const version = this.versions.get(record.stream) ?? 0;
    if (record.version !== version + 1) {
      return new LineProblem(
        'version-gap',
        `stream ${record.stream} is at version ${version} but this record has version ${record.version}`,
      );
    }
    this.advance(record);
    return undefined;
  }

  advance(record: StoredEvent): void {
    this.lastSeq = record.seq;
    this.lastHash = record.hash;
    this.versions.set(record.stream, record.version);
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
  for (let start = 0; start < length; ) {
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
  readonly ids: Set<string>;
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
export function planAppend(
  index: LogIndex,
  stream: string,
  events: readonly NewEvent[],
  expectedVersion: number,
): AppendPlan {
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
  const current = index.chain.versions.get(stream) ?? 0;
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { appended: [], text: '', duplicates, streamVersion: current };
  if (current !== expectedVersion) throw new StreamConflictError(stream, expectedVersion, current);

  const appended: StoredEvent[] = [];
  const lines: string[] = [];
  let prev = index.chain.lastHash;
  for (const [i, event] of fresh.entries()) {
    const line = encodeRecord({ seq: index.chain.lastSeq + 1 + i, stream, version: current + 1 + i, prev }, event);
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
  private events = 0;
  private problem: VerifyProblem | undefined;

  /** Checks the next lines, as for checkLines(); false once a problem has been found. */
  add(bytes: Buffer, length: number): boolean {
    if (this.problem !== undefined) return false;
    const { records, problem } = checkLines(bytes, length, this.chain);
    this.events += records.length;
    if (problem === undefined) return true;
    this.problem = { line: this.events + 1, code: problem.code, message: `${problem.detail}. ${RESTORE_ADVICE}` };
    return false;
  }

  /** The log ends with `bytes` bytes that have no line end: a write that was interrupted or is still running. */
  unfinishedEnd(bytes: number): void {
    this.problem ??= {
      line: this.events + 1,
      code: 'torn-tail',
      message:
        `the log ends with ${bytes} bytes of an unfinished record: a write was interrupted or is still running. ` +
        'It was never acknowledged; the next cnassess command that opens the store moves it aside.',
    };
  }

  report(): VerifyReport {
    return {
      ok: this.problem === undefined,
      events: this.events,
      streams: this.chain.versions.size,
      lastSeq: this.chain.lastSeq,
      lastHash: this.chain.lastHash,
      ...(this.problem === undefined ? {} : { problem: this.problem }),
    };
  }
}

const RESTORE_ADVICE =
  'The log is never repaired automatically: restore it from version control or a backup ' +
  '(for example `git checkout -- events.jsonl` in the store folder), then verify again';

export type TornTail =
  | { readonly kind: 'none' }
  | { readonly kind: 'torn'; readonly start: number }
  /** The window did not reach far enough back to decide; read more of the file. */
  | { readonly kind: 'need-more' };

/**
 * Finds an unfinished write at the end of a log, given its last bytes (`reachesFileStart`: the window is the whole
 * file). The last line is torn when it has no line end, or fails its own checks (JSON, shape, hash) — what a crash
 * in the middle of a write leaves. Only when the line before it is a good record, though: a crash damages the end
 * only, so a bad line before the end means the log was damaged some other way, which is reported, never repaired.
 * `start` is where the torn bytes begin in `tail`.
 */
export function findTornTail(tail: Buffer, reachesFileStart: boolean): TornTail {
  if (tail.length === 0) return { kind: 'none' };
  const complete = tail[tail.length - 1] === NEWLINE;
  const lastEnd = complete ? tail.length - 1 : tail.length;
  const lastBreak = lastNewlineBefore(tail, lastEnd);
  if (lastBreak < 0 && !reachesFileStart) return { kind: 'need-more' };
  const lastStart = lastBreak + 1;
  if (complete && isGoodRecord(tail, lastStart, lastEnd)) return { kind: 'none' };
  if (lastBreak < 0) return { kind: 'torn', start: 0 };
  const previousBreak = lastNewlineBefore(tail, lastBreak);
  if (previousBreak < 0 && !reachesFileStart) return { kind: 'need-more' };
  if (!isGoodRecord(tail, previousBreak + 1, lastBreak)) return { kind: 'none' };
  return { kind: 'torn', start: lastStart };
}

/** Index of the last "\n" before `end`, or -1. (Buffer.lastIndexOf counts a negative offset from the end.) */
function lastNewlineBefore(bytes: Buffer, end: number): number {
  return end <= 0 ? -1 : bytes.lastIndexOf(NEWLINE, end - 1);
}

function isGoodRecord(bytes: Buffer, start: number, end: number): boolean {
  return !(parseRecordAt(bytes, start, end) instanceof LineProblem);
}
