// Which question of one rubric version is which question of another. Questions match by id; a
// question that declares `replaces: OLD` matches OLD, and such renames are followed through any
// intermediate versions handed in (so 1.0 → 1.2 still pairs a question renamed in 1.1 and again in 1.2).

import type { Question, Rubric } from '../rubric/types.js';

export interface QuestionPair {
  /** The question's id in the FROM rubric. */
  readonly from: string;
  /** Its id in the TO rubric. */
  readonly to: string;
  readonly fromAspect: string;
  readonly toAspect: string;
  /** The ids differ: matched through `replaces`. */
  readonly renamed: boolean;
}

export interface QuestionRef {
  readonly id: string;
  readonly aspect: string;
}

export interface QuestionMatch {
  /** In the TO rubric's order. */
  readonly pairs: readonly QuestionPair[];
  /** In TO but matching nothing in FROM. */
  readonly added: readonly QuestionRef[];
  /** In FROM but matched by nothing in TO. */
  readonly removed: readonly QuestionRef[];
  /** TO id → FROM id. */
  readonly fromOf: ReadonlyMap<string, string>;
  /** FROM id → TO id. */
  readonly toOf: ReadonlyMap<string, string>;
}

export interface LocatedQuestion {
  readonly question: Question;
  readonly aspect: string;
}

/** Every question of a rubric with its aspect, in questionnaire order. */
export function questionsOf(rubric: Rubric): LocatedQuestion[] {
  return rubric.aspects.flatMap((a) => a.questions.map((question) => ({ question, aspect: a.id })));
}

/**
 * Pairs the questions of two rubric versions. A `replaces` link joins two ids into one lineage,
 * whichever of the two versions declares it, so an older TO still pairs with a newer FROM;
 * `history` may hold other versions (any order), whose links bridge renames made in between.
 * When two questions claim the same old id, the first in TO's order gets it and the other counts as added.
 */
export function matchQuestions(from: Rubric, to: Rubric, history: readonly Rubric[] = []): QuestionMatch {
  const fromQuestions = questionsOf(from);
  const fromById = new Map(fromQuestions.map((q) => [q.question.id, q]));
  const toQuestions = questionsOf(to);
  const toIds = new Set(toQuestions.map((q) => q.question.id));

  // Union-find over question ids: every `replaces` link any known version declares joins two lineages.
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let r = id;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  for (const rubric of [...history, from, to]) {
    for (const { question } of questionsOf(rubric)) {
      if (question.replaces === undefined) continue;
      const a = root(question.id);
      const b = root(question.replaces);
      if (a !== b) parent.set(a, b);
    }
  }

  // Same ids first, so a rename can never take a question that is still there under its own id.
  const claimed = new Set<string>([...toIds].filter((id) => fromById.has(id)));
  const pairs: QuestionPair[] = [];
  const added: QuestionRef[] = [];
  for (const { question, aspect } of toQuestions) {
    const id = question.id;
    const source = fromById.has(id)
      ? id
      : fromQuestions.find((q) => !claimed.has(q.question.id) && !toIds.has(q.question.id) && root(q.question.id) === root(id))?.question
          .id;
    if (source === undefined) {
      added.push({ id, aspect });
      continue;
    }
    claimed.add(source);
    pairs.push({ from: source, to: id, fromAspect: fromById.get(source)!.aspect, toAspect: aspect, renamed: source !== id });
  }
  const removed = fromQuestions.filter((q) => !claimed.has(q.question.id)).map((q) => ({ id: q.question.id, aspect: q.aspect }));
  return {
    pairs,
    added,
    removed,
    fromOf: new Map(pairs.map((p) => [p.to, p.from])),
    toOf: new Map(pairs.map((p) => [p.from, p.to])),
  };
}
