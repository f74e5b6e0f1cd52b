// An in-memory EventStore for tests. It keeps the very lines the file store would write, so sequencing, the hash
// chain, idempotency and conflicts behave the same, and verify() runs the same checks.

import type { AppendResult, EventStore, NewEvent, ReadOptions, StoredEvent, VerifyReport } from './eventStore.js';
import { ChainState, LogVerifier, indexAppended, isBefore, planAppend, readBounds, type LogIndex } from './record.js';

export class MemoryStore implements EventStore {
  readonly notices: readonly string[] = [];
  private readonly events: StoredEvent[] = [];
  private readonly lines: string[] = [];
  private readonly index: LogIndex = { chain: new ChainState(), ids: new Set() };

  async *readAll(options: ReadOptions = {}): AsyncGenerator<StoredEvent> {
    const bounds = readBounds(options);
    // A snapshot: events appended while the caller iterates belong to a later read, as with the file store.
    for (const event of this.events.slice()) {
      if (event.seq > bounds.upToSeq) return;
      if (isBefore(event, bounds)) yield event;
    }
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const event of this.readAll(options)) if (event.stream === stream) events.push(event);
    return events;
  }

  async append(stream: string, events: readonly NewEvent[], expectedVersion: number): Promise<AppendResult> {
    const plan = planAppend(this.index, stream, events, expectedVersion);
    for (const event of plan.appended) this.events.push(event);
    for (const line of plan.text.split('\n').slice(0, -1)) this.lines.push(line);
    indexAppended(this.index, plan.appended);
    return { appended: plan.appended, duplicates: plan.duplicates, streamVersion: plan.streamVersion };
  }

  async verify(): Promise<VerifyReport> {
    const verifier = new LogVerifier();
    for (const line of this.lines) if (!verifier.add(line)) break;
    return verifier.report();
  }

  /** The log as the file store would hold it: one line per event, each ending in "\n". */
  text(): string {
    return this.lines.map((line) => `${line}\n`).join('');
  }
}

export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
