// What the importers of other maturity models share: their result, and ids made from the source's own.

import { createHash } from 'node:crypto';
import type { FileProblem } from '../errors.js';

/** Where a JSON pointer of the source file is, for a positioned message. */
export type Locate = (pointer: string) => { line: number; col: number };

export interface ModelImport {
  /** The rubric as it is written to YAML; absent when the source has problems. */
  readonly rubric?: Record<string, unknown>;
  /** What is wrong with the source file, each at its place. */
  readonly problems: readonly FileProblem[];
  /** What the importer had to invent or change, to be said on stderr: never silently. */
  readonly notes: readonly string[];
}

const MAX_ID = 48;

/**
 * cnassess ids made from the source's ids: lower-case kebab-case, unique across the rubric (aspects, questions and
 * steps share one namespace) or within a question (choices), at most 48 characters — a longer one keeps a hash of
 * the whole so two long ids never collide. The source id itself is kept as `sourceId`.
 */
export function uniqueIds() {
  const taken = new Set<string>();
  const choicesTaken = new Map<string, Set<string>>();
  const unique = (base: string, used: Set<string>) => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base.slice(0, MAX_ID - String(n).length - 1)}-${n}`;
    used.add(id);
    return id;
  };
  return {
    /** An aspect, question or step id; `prefix` starts one whose source id does not start with a letter. */
    claim(source: string, prefix: string): string {
      // The prefix goes on before the length is cut, so a prefixed id stays within the limit too.
      const start = slugOf(source, 0);
      const id = /^[a-z]/.test(start) ? slugOf(source) : slugOf(`${prefix}-${source}`);
      return unique(id, taken);
    },
    choice(question: string, source: string): string {
      const used = choicesTaken.get(question) ?? new Set<string>();
      choicesTaken.set(question, used);
      return unique(slugOf(source) || 'choice', used);
    },
  };
}

/** `source` in lower-case kebab-case, at most MAX_ID characters (`limit` 0: not cut, to look at its start). */
function slugOf(source: string, limit = MAX_ID): string {
  const slug = source
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (limit === 0 || slug.length <= limit) return slug;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
  return `${slug.slice(0, limit - 9).replace(/-+$/, '')}-${hash}`;
}

export type Raw = Record<string, unknown>;
export const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Text from the source: a non-blank string, trimmed. */
export const textOf = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The problems of one source file, each at the place a JSON pointer names. `problem` returns undefined, to return it. */
export function problemsIn(
  file: string,
  locate: Locate,
): { problems: FileProblem[]; problem: (pointer: string, code: string, message: string) => undefined } {
  const problems: FileProblem[] = [];
  return {
    problems,
    problem: (pointer, code, message) => {
      problems.push({ file, ...locate(pointer), pointer, code, message, severity: 'error' });
      return undefined;
    },
  };
}

/** Text cut to what the rubric format allows, with an ellipsis. */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
