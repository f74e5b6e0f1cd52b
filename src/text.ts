// Text helpers every part shares — one plural, one list, one wrap, one truncation — so words and widths are counted
// the same everywhere. Widths are display columns (string-width): CJK and emoji take two, combining marks none,
// ANSI colour codes none.

import { createRequire } from 'node:module';

/**
 * Characters one column wide in any terminal, whatever stands beside them: printable ASCII and Latin-1, general
 * punctuation (dashes, quotes, "…", "•"), arrows, box drawing and block elements ("█░" of the score bars). Text made
 * of them only is as wide as it is long. Anything else (CJK, emoji, combining marks, ANSI codes) is measured by
 * string-width, loaded the first time it is needed: its emoji tables took 30 ms to load, a sixth of a command's start.
 * test/text/text.test.ts checks every character here against string-width.
 */
export const SINGLE_COLUMN = /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f]*$/;

let stringWidth: ((text: string) => number) | undefined;

export function numberWord(n: number): string {
  return ['zero', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n);
}

/** "1 answer", "3 answers"; `many` for irregular plurals ("2 answers were"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "A" or "An" before a noun, by its first letter (as a sentence starts). */
export function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'An' : 'A';
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) ?? ''}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Display columns a string takes in a terminal. */
export function displayWidth(text: string): number {
  if (SINGLE_COLUMN.test(text)) return text.length;
  // require() of an ES module: synchronous, as display widths are needed. It runs without a warning from Node 20.19 and
  // 22.13 on (package.json's engines); 22.12 printed an ExperimentalWarning outside node_modules.
  stringWidth ??= (createRequire(import.meta.url)('string-width') as typeof import('string-width')).default;
  return stringWidth(text);
}

/**
 * Lines of at most `width` columns, broken at spaces, the first starting with `first` and the others with `rest`
 * (as wide as `first`, by default). A word longer than a whole line is cut where the line ends and goes on below.
 */
export function wrap(text: string, width: number, first = '', rest = ' '.repeat(displayWidth(first))): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const token of text.replace(/\s*[\n\t]\s*/g, ' ').match(/\s*\S+/g) ?? []) {
    let word = token.trimStart();
    if (!empty && displayWidth(line) + displayWidth(token) > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while (displayWidth(line) + displayWidth(word) > width) {
      const head = cutToWidth(word, width - displayWidth(line));
      if (head === '') break; // not even one character fits after the indent: let the line run over
      lines.push(line + head);
      line = rest;
      word = word.slice(head.length);
    }
    line += empty ? word : token;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** `text` cut to at most `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  return `${cutToWidth(text, width - 1)}…`;
}

/** `text` cut in its middle to at most `width` columns ("kestrel-f…/2026-q4"), for ids whose both ends matter. */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const room = width - 1;
  let tail = '';
  for (const ch of [...text].reverse()) {
    if (displayWidth(ch + tail) > Math.floor(room / 2)) break;
    tail = ch + tail;
  }
  return `${cutToWidth(text, room - displayWidth(tail))}…${tail}`;
}

/** The longest start of `text` that fits `width` columns, never splitting a character. */
function cutToWidth(text: string, width: number): string {
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width) break;
    out += ch;
  }
  return out;
}

/**
 * Replaces control characters in untrusted text before it reaches a terminal: no escape sequences,
 * no bidirectional overrides that reorder what is shown, no line separators. Keeps \n and \t.
 */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/**
 * The candidate a mistyped `word` most likely meant: the nearest by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours), when it is near enough to be a typo — at most a third of the word's length
 * (one edit at least) — and no other candidate is as near. Case is ignored.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of candidates) {
    if (candidate === word || Math.abs(candidate.length - w.length) > limit || w.length > 100) continue;
    const d = editDistance(w, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
    else if (d === bestDistance && candidate !== best) tie = true;
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
}

/** `; did you mean "x"?` when a candidate is near, else nothing: for the end of an error message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : `; did you mean "${guess}"?`;
}

/** Optimal string alignment distance. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = d;
    }
  }
  return at(a.length, b.length);
}
