// The view of the whole log: every assessment's state and every registered rubric, rebuilt by
// folding events. Pure over an iterable of stored events; the caller chooses how far to read.

import type { Rubric } from '../rubric/types.js';
import type { StoredEvent } from '../store/eventStore.js';
import { readEvent } from './events.js';
import { ASSESSMENT_STREAM_PREFIX, evolve, type AssessmentState } from './state.js';

export interface LogView {
  readonly assessments: Map<string, AssessmentState>;
  /** Registered rubrics by digest. */
  readonly rubrics: Map<string, Rubric>;
  readonly lastSeq: number;
}

export function emptyView(): LogView {
  return { assessments: new Map(), rubrics: new Map(), lastSeq: 0 };
}

/** Folds one stored event into the view, in place: a replay of a million events must not copy maps per event. */
export function applyToView(view: { -readonly [K in keyof LogView]: LogView[K] }, record: StoredEvent): void {
  view.lastSeq = record.seq;
  const event = readEvent(record);
  if (event.type === 'RubricRegistered') {
    view.rubrics.set(event.data.ref.digest, event.data.rubric);
    return;
  }
  if (!record.stream.startsWith(ASSESSMENT_STREAM_PREFIX)) return;
  const id = record.stream.slice(ASSESSMENT_STREAM_PREFIX.length);
  const next = evolve(view.assessments.get(id), event, record);
  if (next) view.assessments.set(id, next);
}

export async function buildView(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>): Promise<LogView> {
  const view = emptyView();
  for await (const record of events) applyToView(view, record);
  return view;
}
