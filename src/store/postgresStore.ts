// The company-wide store: the same log in one PostgreSQL table, written by many processes on many hosts.
//
// Each row keeps the record's line exactly as the file store writes it (`record`), so the hash chain, upcasting and
// `verify` are the file store's, and a log copied between the two stores is byte-identical. The other columns are
// that line's seq, stream, version, id and hash, there to be indexed and constrained; verify() checks that they say
// what the line says.
//
// Appending is one transaction: it takes a transaction-scoped advisory lock (every writer of this database takes the
// same one), reads the end of the log, the stream's version and which of the ids are already there, decides
// (record.ts, as the file store does), inserts and commits. The lock is held until the commit, so seq is allocated
// without gaps and rows become visible in seq order: a reader sees a prefix of the log, never a hole. Reading takes
// no lock. `synchronous_commit` is set on for the session, so a resolved append is on the server's disk.

import pg from 'pg';
import { StoreReadError, StoreWriteError, UsageError } from '../errors.js';
import {
  OrderedAppends,
  type AppendResult,
  type EventStore,
  type ReadOptions,
  type StoredEvent,
  type StreamWrite,
  type VerifyReport,
} from './eventStore.js';
import { maskedUrl } from './url.js';
import {
  ChainState,
  DATABASE_WORDING,
  LineProblem,
  LogVerifier,
  encodeHead,
  flatten,
  headProblem,
  isBefore,
  parseHead,
  parseRecord,
  planWrites,
  readBounds,
  type LogHead,
  type ReadBounds,
} from './record.js';

/** The schema this code creates and reads; a database holding a newer one is refused. */
export const POSTGRES_SCHEMA_VERSION = 1;
const EVENTS = 'cnassess_events';
/** The columns verify() compares with each record. */
const VERIFIED_COLUMNS = 'seq, stream, version, id, hash, record';
const META = 'cnassess_meta';
/** The advisory lock every writer takes for its append transaction ("cnassess" in ASCII, as a bigint). */
const APPEND_LOCK = '7164771205678199667';
/** Creating the tables is serialised too, so two first writers do not race to create them. */
const SCHEMA_LOCK = '7164771205678199668';
const PAGE_ROWS = 5000;

/** Opens the store and makes sure its tables exist (created on first use, in one transaction). */
export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const store = new PostgresStore(url);
  try {
    await store.ensureSchema();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

export class PostgresStore extends OrderedAppends implements EventStore {
  readonly notices: readonly string[] = [];
  readonly where: string;
  private readonly client: pg.Client;
  private connected: Promise<void> | undefined;
  /** An error the connection raised between queries (the server went away); the next query reports it. */
  private lost: Error | undefined;

  constructor(readonly url: string) {
    super();
    this.where = maskedUrl(url);
    try {
      this.client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'cnassess' });
    } catch {
      // The driver's parser throws on a URL it cannot read (an unencoded # or / in the password): a usage mistake.
      throw new UsageError(
        `${this.where} is not a PostgreSQL URL cnassess can read; write special characters of the password as %XX (# is %23, / is %2F)`,
      );
    }
    // Without a listener, an error on an idle connection would end the process with a stack trace.
    this.client.on('error', (err) => {
      this.lost = err;
    });
  }

  async close(): Promise<void> {
    if (this.connected === undefined) return;
    await this.client.end().catch(() => undefined);
  }

  readAll(options: ReadOptions = {}): AsyncIterableIterator<StoredEvent> {
    return flatten(this.records(readBounds(options)));
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const bounds = readBounds(options);
    const upTo = Number.isFinite(bounds.upToSeq) ? bounds.upToSeq : Number.MAX_SAFE_INTEGER;
    const rows = await this.query<{ record: string }>(
      `SELECT record FROM ${EVENTS} WHERE stream = $1 AND seq <= $2 ORDER BY version`,
      [stream, upTo],
      'read',
    );
    const events: StoredEvent[] = [];
    let version = 0;
    for (const row of rows) {
      const record = this.parsed(row.record);
      // The chain is checked by readAll() and verify(); a stream read still refuses a record that is not its own.
      if (record.stream !== stream || record.version !== ++version)
        throw this.damaged(record.seq, 'the stream has a gap or a foreign record');
      if (isBefore(record, bounds)) events.push(record);
    }
    return events;
  }

  async verify(): Promise<VerifyReport> {
    const end = await this.end();
    const verifier = new LogVerifier(end.head, DATABASE_WORDING);
    for await (const page of this.pages(end.last, VERIFIED_COLUMNS)) {
      const bytes = Buffer.from(page.map((row) => `${row.record}\n`).join(''), 'utf8');
      const records = verifier.add(bytes, bytes.length);
      // Columns that disagree with their line would let a query find what the log does not say. They are compared with
      // the records the verifier parsed, so that each row is parsed and hashed once (a verify took 4.1 s on 300,000
      // rows, parsing each twice). Where anything is wrong, the log is read again row by row, to report the first
      // problem where it is.
      if (records === undefined || records.length !== page.length || records.some((r, i) => columnsDisagree(page[i], r) !== undefined)) {
        return this.verifyRowByRow(end);
      }
    }
    return this.withRowsAfterChain(verifier.report(), end);
  }

  /** verify(), comparing each row's columns with its record before the verifier reads it. */
  private async verifyRowByRow(end: { last: number; head?: LogHead }): Promise<VerifyReport> {
    const verifier = new LogVerifier(end.head, DATABASE_WORDING);
    for await (const page of this.pages(end.last, VERIFIED_COLUMNS)) {
      const misfiled = page.find((row) => rowProblem(row) !== undefined);
      const upTo = misfiled === undefined ? page : page.slice(0, page.indexOf(misfiled));
      const bytes = Buffer.from(upTo.map((row) => `${row.record}\n`).join(''), 'utf8');
      if (verifier.add(bytes, bytes.length) === undefined) break;
      if (misfiled !== undefined) {
        const report = verifier.report();
        return {
          ...report,
          ok: false,
          problem: {
            line: Number(misfiled.seq),
            code: 'bad-shape',
            message: `the row at seq ${misfiled.seq} ${rowProblem(misfiled)}: the table was changed by hand. ${DATABASE_WORDING.advice}`,
          },
        };
      }
    }
    return this.withRowsAfterChain(verifier.report(), end);
  }

  /** Rows deleted from the middle leave the chain short of the log's highest seq, with nothing after them to show it. */
  private withRowsAfterChain(report: VerifyReport, end: { last: number }): VerifyReport {
    if (!report.ok || report.lastSeq >= end.last) return report;
    return {
      ...report,
      ok: false,
      problem: {
        line: report.lastSeq + 1,
        code: 'seq-gap',
        message: `the table ends its chain at seq ${report.lastSeq} but holds rows up to seq ${end.last}: rows were deleted. ${DATABASE_WORDING.advice}`,
      },
    };
  }

  /** Creates the tables on first use; refuses a database whose cnassess schema is newer than this code knows. */
  async ensureSchema(): Promise<void> {
    await this.transaction(async () => {
      await this.client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      await this.client.query(`CREATE TABLE IF NOT EXISTS ${META} (key text PRIMARY KEY, value text NOT NULL)`);
      const found = await this.client.query<{ value: string }>(`SELECT value FROM ${META} WHERE key = 'schema'`);
      const version = found.rows[0] === undefined ? 0 : Number(found.rows[0].value);
      if (version > POSTGRES_SCHEMA_VERSION || !Number.isInteger(version)) {
        throw new StoreReadError(
          `${this.where} holds cnassess schema version ${found.rows[0]?.value ?? '?'}, newer than this cnassess knows (${POSTGRES_SCHEMA_VERSION}); ` +
            'upgrade cnassess to read it',
        );
      }
      if (version === POSTGRES_SCHEMA_VERSION) return;
      await this.client.query(
        `CREATE TABLE ${EVENTS} (
           seq bigint PRIMARY KEY CHECK (seq > 0),
           stream text NOT NULL,
           version integer NOT NULL CHECK (version > 0),
           id text NOT NULL UNIQUE,
           hash text NOT NULL,
           record text NOT NULL,
           UNIQUE (stream, version)
         )`,
      );
      await this.client.query(`INSERT INTO ${META} (key, value) VALUES ('schema', $1)`, [String(POSTGRES_SCHEMA_VERSION)]);
    }, 'create the tables of');
  }

  protected async appendNow(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return this.transaction(async () => {
      await this.client.query(`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
      // What planWrites needs to know of the log, in one statement (its snapshot is taken once the lock is held): its
      // end, the versions of these streams, and which of these ids it holds. Each round trip is time the lock is held.
      // A max() per stream reads one entry of the (stream, version) index; a GROUP BY over all the streams read every
      // row of each (28 ms for a stream of 20,000 rows, against 0.1 ms).
      const known = await this.client.query<{
        seq: string | null;
        hash: string | null;
        versions: [string, number | null][];
        ids: string[];
      }>(
        `SELECT last.seq, last.hash,
                ARRAY(SELECT json_build_array(s, (SELECT max(version) FROM ${EVENTS} WHERE stream = s)) FROM unnest($1::text[]) AS s) AS versions,
                ARRAY(SELECT id FROM ${EVENTS} WHERE id = ANY($2::text[])) AS ids
         FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM ${EVENTS} ORDER BY seq DESC LIMIT 1) AS last ON true`,
        [[...new Set(writes.map((w) => w.stream))], writes.flatMap((w) => w.events.map((e) => e.id))],
      );
      const { seq = null, hash = null, versions = [], ids = [] } = known.rows[0] ?? {}; // one row, always
      const versionOf = new Map(versions); // null for a stream without rows: version 0
      const chain = seq === null || hash === null ? new ChainState() : ChainState.after(Number(seq), hash, (s) => versionOf.get(s) ?? 0);
      const plan = planWrites({ chain, ids: new Set(ids) }, writes);
      const end = plan.appended.at(-1);
      if (end !== undefined) {
        // The records and the end of the log in one statement and one transaction: deleting rows from the end is then
        // found, as events.head finds it.
        await this.client.query(
          `WITH appended AS (
             INSERT INTO ${EVENTS} (seq, stream, version, id, hash, record)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
           )
           INSERT INTO ${META} (key, value) VALUES ('head', $7) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [
            plan.appended.map((e) => e.seq),
            plan.appended.map((e) => e.stream),
            plan.appended.map((e) => e.version),
            plan.appended.map((e) => e.id),
            plan.appended.map((e) => e.hash),
            plan.text.split('\n').slice(0, -1),
            encodeHead({ seq: end.seq, hash: end.hash }).trim(),
          ],
        );
      }
      return plan.results;
    }, 'append to');
  }

  /** The log a page at a time (an async step per record would cost more than the record). */
  private async *records(bounds: ReadBounds): AsyncGenerator<StoredEvent[]> {
    // Every record read continues the chain, and the chain reaches the end the head row anchors: no view is computed
    // from a damaged log, nor from one whose last rows were deleted.
    const end = await this.end();
    const last = Math.min(end.last, bounds.upToSeq);
    const chain = new ChainState();
    let hashAtHead: string | undefined;
    for await (const page of this.pages(last, 'seq, record')) {
      const records: StoredEvent[] = [];
      for (const row of page) {
        const record = this.parsed(row.record);
        const problem = chain.follow(record);
        if (problem !== undefined) throw this.damaged(record.seq, problem.detail);
        if (end.head !== undefined && record.seq === end.head.seq) hashAtHead = record.hash;
        if (isBefore(record, bounds)) records.push(record);
      }
      yield records;
    }
    if (chain.lastSeq < last)
      throw this.damaged(
        chain.lastSeq + 1,
        `rows are missing: the chain ends at seq ${chain.lastSeq}, the table holds rows up to ${end.last}`,
      );
    // A read bounded before the anchored end does not reach it; any other read must.
    const bounded = last === bounds.upToSeq && last < (end.head?.seq ?? 0);
    const anchor = end.head === undefined || bounded ? undefined : headProblem(end.head, chain, hashAtHead, DATABASE_WORDING.head);
    if (anchor !== undefined) throw this.damaged(anchor.line, anchor.problem.detail);
  }

  /** Where the log ends: its highest seq, and the head row the last append wrote (absent in a database from before it). */
  private async end(): Promise<{ last: number; head?: LogHead }> {
    const rows = await this.query<{ seq: string | null; head: string | null }>(
      `SELECT (SELECT max(seq) FROM ${EVENTS}) AS seq, (SELECT value FROM ${META} WHERE key = 'head') AS head`,
      [],
      'read',
    );
    const text = rows[0]?.head;
    const head = text === null || text === undefined ? undefined : parseHead(text);
    return { last: Number(rows[0]?.seq ?? 0), ...(head !== undefined && { head }) };
  }

  /**
   * The log's rows in seq order, a page at a time, up to the end of the log as it stood when reading began. Pages are
   * by seq range (seq has no gaps), so the next page is asked for while the caller works on this one.
   */
  private async *pages(last: number, columns: string): AsyncGenerator<Row[]> {
    const page = (after: number) =>
      after >= last
        ? Promise.resolve([])
        : this.query<Row>(
            `SELECT ${columns} FROM ${EVENTS} WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
            [after, Math.min(after + PAGE_ROWS, last)],
            'read',
          );
    let next = page(0);
    try {
      for (let after = 0; after < last; after += PAGE_ROWS) {
        const rows = await next;
        next = page(after + PAGE_ROWS);
        // An empty page is rows deleted: the caller's chain, short of the end, says so.
        if (rows.length === 0) return;
        yield rows;
      }
    } finally {
      // A reader that stops early leaves the page asked for in advance: its failure is no longer anyone's concern.
      await next.catch(() => undefined);
    }
  }

  private parsed(line: string): StoredEvent {
    const record = parseRecord(line);
    if (record instanceof LineProblem) throw this.damaged(undefined, record.detail);
    return record;
  }

  private damaged(seq: number | undefined, detail: string): StoreReadError {
    return new StoreReadError(
      `${this.where}: the event log is damaged${seq === undefined ? '' : ` at seq ${seq}`}: ${detail}. Nothing was written. ` +
        'Restore the database from a backup and run `cnassess verify`',
    );
  }

  private async connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.client.connect();
      // An acknowledged append must survive the server's crash, whatever the server's default.
      await this.client.query('SET synchronous_commit = on');
    })();
    await this.connected;
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[], doing: 'read'): Promise<R[]> {
    try {
      await this.connect();
      return (await this.client.query<R>(text, values)).rows;
    } catch (err) {
      throw this.failure(err, doing);
    }
  }

  private async transaction<T>(body: () => Promise<T>, doing: string): Promise<T> {
    try {
      await this.connect();
    } catch (err) {
      throw this.failure(err, doing);
    }
    let committing = false;
    try {
      // Read committed, whatever the database's default: under repeatable read the snapshot would be taken before the
      // advisory lock is granted, and a writer would decide on an end of the log that another has moved.
      await this.client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await body();
      committing = true;
      await this.client.query('COMMIT');
      return result;
    } catch (err) {
      // Before COMMIT nothing of this transaction is kept (on a lost connection the server rolls it back itself). A
      // COMMIT whose answer was lost may have been applied: say so, and that running the command again is safe.
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw this.failure(err, doing, committing);
    }
  }

  /** One line for the user: what failed, where (password masked), and the server's reason. Ours pass through. */
  private failure(err: unknown, doing: string, committing = false): Error {
    if (err instanceof Error && 'exitCode' in err) return err;
    if (err instanceof TypeError || err instanceof RangeError) return err;
    const reason = describePgError(this.lost ?? err, this.url);
    const outcome =
      doing !== 'append to'
        ? ''
        : committing
          ? '; the server may have recorded it: running the command again is safe (it records nothing twice)'
          : '; nothing was written';
    const message = `cannot ${doing === 'read' ? 'read' : doing} the PostgreSQL store ${this.where}: ${reason}${outcome}`;
    return doing === 'read' ? new StoreReadError(message) : new StoreWriteError(message);
  }
}

interface Row {
  readonly seq: string;
  readonly stream: string;
  readonly version: number;
  readonly id: string;
  readonly hash: string;
  readonly record: string;
}

/**
 * What is wrong with a row whose record may be right: a record of more than one line (which, joined with the rows
 * around it, could read as records of rows deleted), or columns that say what its record does not.
 */
function rowProblem(row: Row): string | undefined {
  if (row.record.includes('\n')) return 'holds a record of more than one line';
  const columns = columnsDisagree(row, parseRecord(row.record));
  return columns === undefined ? undefined : `has columns that do not match its record (${columns})`;
}

/** What a row's columns say that its record does not, or undefined when they agree. */
function columnsDisagree(row: Row | undefined, record: StoredEvent | LineProblem): string | undefined {
  // A damaged line is reported by the verifier, with the chain's own message.
  if (row === undefined || record instanceof LineProblem) return undefined;
  const differs = (['seq', 'stream', 'version', 'id', 'hash'] as const).filter((key) => String(record[key]) !== String(row[key]));
  return differs.length === 0 ? undefined : differs.join(', ');
}

/** The password of a URL, as written and decoded, wherever it is given. */
function passwordsIn(url: string): string[] {
  const found: string[] = [];
  const userinfo = /^[a-z]+:\/\/([^/?#]*)@/i.exec(url)?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  if (userinfo !== undefined && colon !== -1) found.push(userinfo.slice(colon + 1));
  for (const match of url.matchAll(/[?&]password=([^&#]*)/gi)) found.push(match[1] ?? '');
  return found
    .filter((p) => p !== '')
    .flatMap((p) => {
      try {
        return [p, decodeURIComponent(p)];
      } catch {
        return [p];
      }
    });
}

/** The driver's error as one line, with no secret in it. */
function describePgError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  let text = (e.message ?? String(err)).split('\n')[0] ?? '';
  // The password must not leak, whatever the driver put in its message.
  for (const password of passwordsIn(url)) text = text.split(password).join('***');
  if (e.code === 'ECONNREFUSED') return `the server refused the connection (is it running, on that host and port?)`;
  if (e.code === 'ENOENT') return 'no server listens on that socket (is it running?)';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'the host name is not known';
  if (e.code === '28P01') return 'password authentication failed (check the user and password)';
  if (e.code === '28000') return `the server refused this user or host (${text})`;
  if (e.code === '3D000') return `${text} (create it first)`;
  if (e.code === '57P01' || /terminated|Connection terminated/i.test(text))
    return 'the server closed the connection (it shut down or restarted)';
  return e.code !== undefined ? `${text} (${e.code})` : text;
}
