// An in-memory EventStore, for tests and for the demo (played in memory, then copied to the real store). It keeps
// the very lines the file store would write, so sequencing, the hash chain, idempotency and conflicts behave the same,
// and verify() runs the same checks.

import {
  OrderedAppends,
  type AppendResult,
  type EventStore,
  type ReadOptions,
  type StoredEvent,
  type StreamWrite,
  type VerifyReport,
} from './eventStore.js';
import { ChainState, LogVerifier, indexAppended, isBefore, planWrites, readBounds, type LogIndex, type ReadBounds } from './record.js';

export class MemoryStore extends OrderedAppends implements EventStore {
  readonly notices: readonly string[] = [];
  private readonly events: StoredEvent[] = [];
  /** Each stream's events in order: the demo reads an assessment before each of its 2,000 answers. */
  private readonly streams = new Map<string, StoredEvent[]>();
  /** The text of each append, as the file store would have written it. */
  private readonly written: string[] = [];
  private readonly index: LogIndex = { chain: new ChainState(), ids: new Set() };

  readAll(options: ReadOptions = {}): AsyncIterableIterator<StoredEvent> {
    return this.records(readBounds(options));
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const bounds = readBounds(options);
    return (this.streams.get(stream) ?? []).filter((event) => event.seq <= bounds.upToSeq && isBefore(event, bounds));
  }

  protected async appendNow(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const plan = planWrites(this.index, writes);
    for (const event of plan.appended) {
      this.events.push(event);
      const events = this.streams.get(event.stream);
      if (events === undefined) this.streams.set(event.stream, [event]);
      else events.push(event);
    }
    if (plan.text !== '') this.written.push(plan.text);
    indexAppended(this.index, plan.appended);
    return plan.results;
  }

  async verify(): Promise<VerifyReport> {
    const verifier = new LogVerifier();
    const bytes = Buffer.from(this.text(), 'utf8');
    verifier.add(bytes, bytes.length);
    return verifier.report();
  }

  private async *records(bounds: ReadBounds): AsyncGenerator<StoredEvent> {
    // A snapshot, so that appending while a read is under way is safe.
    for (const event of this.events.slice()) {
      if (event.seq > bounds.upToSeq) return;
      if (isBefore(event, bounds)) yield event;
    }
  }

  /** The log as the file store would hold it: one line per event, each ending in "\n". */
  text(): string {
    return this.written.join('');
  }
}

export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
