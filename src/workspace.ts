// The application service between commands and the core: reads the log into views, runs domain
// commands against it (decide → append, with optimistic concurrency), and finds assessments and
// the rubrics they were answered against. It holds no state of its own beyond the store handle and a
// memo of the assessments it folded.

import { decide, type AssessmentCommand } from './assessment/decider.js';
import { CURRENT_SCHEMA, readEvent, type DomainEvent } from './assessment/events.js';
import { buildView, type LogView } from './assessment/projection.js';
import { assessmentStream, evolve, type AssessmentState } from './assessment/state.js';
import { StreamConflictError, UsageError } from './errors.js';
import { rubricRef } from './rubric/ref.js';
import type { Rubric, RubricRef } from './rubric/types.js';
import type { EventStore, NewEvent, ReadOptions, StoredEvent } from './store/eventStore.js';

/** How many times a command whose stream changed underneath it is decided again before giving up. */
const MAX_RETRIES = 25;

export class Workspace {
  /**
   * The last fold of each assessment read as of now, and the hash of the record it ends at. A workspace that lives
   * for many commands (a questionnaire session, the demo) then folds only what was appended since, instead of every
   * event again for each answer; a stream whose record at that version is not the one folded is folded anew.
   */
  private readonly folded = new Map<string, { readonly state: AssessmentState; readonly hash: string }>();

  constructor(
    readonly store: EventStore,
    private readonly now: () => Date,
    private readonly newId: () => string,
  ) {}

  /** Every assessment and rubric as of a point in the log (default: now). */
  async view(options?: ReadOptions): Promise<LogView> {
    return buildView(this.store.readAll(options));
  }

  /** One assessment, folded from its own stream only. */
  async assessment(id: string, options?: ReadOptions): Promise<AssessmentState | undefined> {
    const records = await this.store.readStream(assessmentStream(id), options);
    const memo = options === undefined ? this.folded.get(id) : undefined;
    const resume = memo !== undefined && records[memo.state.version - 1]?.hash === memo.hash;
    let state = resume ? memo.state : undefined;
    for (const record of resume ? records.slice(memo.state.version) : records) {
      const event = readEvent(record);
      if (event.type !== 'RubricRegistered') state = evolve(state, event, record);
    }
    const last = records.at(-1);
    if (options === undefined && state !== undefined && last !== undefined && state.version === last.version)
      this.folded.set(id, { state, hash: last.hash });
    return state;
  }

  /** Stores a rubric's content in the log once (idempotent by digest), so scoring never needs the file again. */
  async registerRubric(rubric: Rubric, actor: string): Promise<RubricRef> {
    const ref = rubricRef(rubric);
    const event: DomainEvent = { type: 'RubricRegistered', data: { ref, rubric } };
    const stream = `rubric/${ref.digest}`;
    const existing = await this.store.readStream(stream);
    if (existing.length === 0) {
      // A deterministic id makes two processes registering the same rubric record it once.
      await this.store.append(stream, [this.toNew(event, actor, `rubric-${ref.digest}`)], 0).catch((e: unknown) => {
        if (!(e instanceof StreamConflictError)) throw e;
      });
    }
    return ref;
  }

  /** The rubric an assessment was answered against, from the log. */
  async rubricOf(state: AssessmentState): Promise<Rubric> {
    const record = (await this.store.readStream(`rubric/${state.rubric.digest}`))[0];
    if (!record) throw new UsageError(`the rubric of ${state.id} (${state.rubric.id} ${state.rubric.version}) is not in the store`);
    const event = readEvent(record);
    if (event.type !== 'RubricRegistered') throw new UsageError(`the log's record of rubric ${state.rubric.digest} is not a rubric`);
    return event.data.rubric;
  }

  /**
   * Decides a sequence of commands against an assessment and appends the resulting events in ONE
   * write (so a batch is all or nothing). When another writer changed the stream in between, the
   * decision is made again on the fresh state — safe because decide checks everything anew — up to
   * a few times. Event ids are fixed before the first try, so a retry never records anything twice.
   */
  async execute(assessmentId: string, commands: readonly AssessmentCommand[], rubric: Rubric, actor: string): Promise<StoredEvent[]> {
    const stream = assessmentStream(assessmentId);
    const ids: string[] = [];
    for (let attempt = 0; ; attempt++) {
      const initial = await this.assessment(assessmentId);
      let state = initial;
      const events: DomainEvent[] = [];
      let meta = { stream, seq: initial?.lastSeq ?? 0, version: initial?.version ?? 0, at: this.now().toISOString() };
      for (const command of commands) {
        const decided = decide(command, state, rubric);
        for (const event of decided) {
          meta = { ...meta, seq: meta.seq + 1, version: meta.version + 1 };
          // Fold as we go, so later commands of the batch see earlier ones (a `when` on an answer in the same file).
          state = evolve(state, event, meta);
          events.push(event);
        }
      }
      if (events.length === 0) return [];
      while (ids.length < events.length) ids.push(this.newId());
      try {
        // One write, one time: every event of a batch carries the same `at`, however long the decisions took.
        const result = await this.store.append(
          stream,
          events.map((e, i) => this.toNew(e, actor, ids[i] ?? this.newId(), meta.at)),
          initial?.version ?? 0,
        );
        return [...result.appended];
      } catch (e) {
        if (e instanceof StreamConflictError && attempt < MAX_RETRIES) {
          // Jittered, so writers that collided do not collide again in step.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
          continue;
        }
        throw e;
      }
    }
  }

  private toNew(event: DomainEvent, actor: string, id: string, at = this.now().toISOString()): NewEvent {
    return { id, type: event.type, schema: CURRENT_SCHEMA[event.type], at, actor, data: event.data };
  }
}
