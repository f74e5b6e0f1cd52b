// The event store contract. The log is the source of truth: every view is a fold over it.
// Implementations: fileStore.ts (the embedded default), postgresStore.ts, and memoryStore.ts (tests and the demo).

/** An event as the domain produces it, before the store gives it a place in the log. */
export interface NewEvent {
  /** Unique id chosen by the writer; appending an id that is already in the log records nothing (idempotency). */
  readonly id: string;
  readonly type: string;
  /** Version of this event type's data shape; old shapes are upcast when read. */
  readonly schema: number;
  /** ISO-8601 UTC timestamp, from the clock handed to the command. */
  readonly at: string;
  /** Who caused it (the respondent or the OS user). */
  readonly actor: string;
  readonly data: unknown;
}

/** An event as it stands in the log. Key order here is the order written to disk. */
export interface StoredEvent extends NewEvent {
  /** Global, gapless, from 1. */
  readonly seq: number;
  readonly stream: string;
  /** Position within the stream, from 1. */
  readonly version: number;
  /**
   * On every record of a write of several records but its last: how many records of the same write follow. A write
   * whose last record still announces more was cut short by a crash, and is read as if it had never happened.
   */
  readonly more?: number;
  /** Hash of the previous record ("0" × 64 for the first). */
  readonly prev: string;
  /** SHA-256 (hex) of this record's line without its hash field. */
  readonly hash: string;
}

export interface AppendResult {
  /** Events written by this call (those whose id was already in the log are left out). */
  readonly appended: readonly StoredEvent[];
  /** How many of the given events were already in the log and so not written again. */
  readonly duplicates: number;
  /** The stream's version after the call. */
  readonly streamVersion: number;
}

/** One append's worth: events of one stream, and the stream version the decision to write them was based on. */
export interface StreamWrite {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: number;
}

/** Which part of the log to read. `upToSeq` and `before` may be combined; both bounds apply. */
export interface ReadOptions {
  /** Only events with seq <= upToSeq. */
  readonly upToSeq?: number;
  /** Only events whose `at` is strictly before this ISO timestamp. */
  readonly before?: string;
}

export interface VerifyProblem {
  /** The file of the store the problem is in, when it is not the log itself (e.g. "events.head"). */
  readonly file?: string;
  /** 1-based line number in that file. */
  readonly line: number;
  readonly code:
    | 'not-json'
    | 'bad-shape'
    | 'too-long'
    | 'seq-gap'
    | 'version-gap'
    | 'prev-mismatch'
    | 'hash-mismatch'
    | 'batch-broken'
    /** The log ends with an unfinished write, never acknowledged (only where it could not be moved aside). */
    | 'torn-tail'
    /** The log ends before the record the head file anchors: records were removed from its end. */
    | 'truncated'
    /** The record the head file anchors is not the one the log holds at that seq. */
    | 'head-mismatch'
    /** A record whose data is not a possible event of its type (found by the domain, not the store). */
    | 'bad-payload';
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  /** Where the head file anchors the end of the log, when the store keeps one and it exists. */
  readonly anchored?: { readonly seq: number; readonly hash: string };
  /** The first problem found; verification stops there because the chain after it cannot be trusted. */
  readonly problem?: VerifyProblem;
}

export interface EventStore {
  /** Every event in seq order. Streams the log; never holds the whole file as one string. */
  readAll(options?: ReadOptions): AsyncIterable<StoredEvent>;
  /** One stream's events in version order. */
  readStream(stream: string, options?: ReadOptions): Promise<StoredEvent[]>;
  /**
   * Appends events to one stream as one durable write, under the cross-process writer lock.
   * `expectedVersion` is the stream version the caller's decision was based on (0: the stream must not exist yet);
   * a different current version throws StreamConflictError and writes nothing.
   * When every given event id is already in the log, nothing is written and no conflict is raised (a retried command).
   */
  append(stream: string, events: readonly NewEvent[], expectedVersion: number): Promise<AppendResult>;
  /**
   * Appends several writes in order, each decided as append() would decide it after the writes before it, and each
   * keeping its own records (its `more` marks): the log ends up holding exactly what appending them one by one would
   * write, for one lock, one sync and one update of the log's end. A conflict in any of them throws
   * StreamConflictError and writes nothing, as does a failure to write or sync the records; a failure to update the
   * log's end once they are durable is reported with the records kept, as for append(). (A crash in the middle may keep
   * the first writes, each whole, as it may keep any write that was never acknowledged.) `store copy` copies this way.
   */
  appendWrites(writes: readonly StreamWrite[]): Promise<AppendResult[]>;
  /** Checks every record: JSON, shape, seq, stream versions, hash chain. */
  verify(): Promise<VerifyReport>;
  /** Messages to show the user once (e.g. a torn last line moved aside on open). */
  readonly notices: readonly string[];
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What every store shares: its appends run one after another in this process (other processes are ordered by the
 * store's own lock or transaction), and append() is appendWrites() of one write.
 */
export abstract class OrderedAppends {
  private queue: Promise<unknown> = Promise.resolve();

  /** Appends `writes` as one write to the log, as appendWrites() says; called for one batch at a time. */
  protected abstract appendNow(writes: readonly StreamWrite[]): Promise<AppendResult[]>;

  appendWrites(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const result = this.queue.then(() => this.appendNow(writes));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async append(stream: string, events: readonly NewEvent[], expectedVersion: number): Promise<AppendResult> {
    const [result] = await this.appendWrites([{ stream, events, expectedVersion }]);
    if (result === undefined) throw new TypeError('appendWrites() returned no result for its write');
    return result;
  }
}
