// Plain-text output for terminals: tables that fit 80 columns, colour only where it helps and is wanted.

import { displayWidth, truncate, truncateMiddle, wrap } from '../text.js';

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const plain = (s: string) => s;
const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function makeStyle(color: boolean): Style {
  return color
    ? { bold: sgr(1, 22), dim: sgr(2, 22), green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };
}

/** Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org) or --no-color is given. */
export function colorWanted(options: { flag: boolean | undefined; env: NodeJS.ProcessEnv; isTTY: boolean }): boolean {
  if (options.flag === false) return false;
  if (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '') return false;
  if (options.env.FORCE_COLOR !== undefined && options.env.FORCE_COLOR !== '0') return true;
  return options.isTTY && options.env.TERM !== 'dumb';
}

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** When the table is too wide, flexible columns are narrowed, the rightmost first (to 14 columns at least). */
  readonly flexible?: boolean;
  /** What a narrowed cell does with text that no longer fits: cut at its end (default), cut in its middle, or wrap
   *  onto more lines of the same row (for text that must be read in full). */
  readonly overflow?: 'cut' | 'middle' | 'wrap';
}

/** A table with a header row, padded columns, and narrowed flexible columns so it fits `width` display columns. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[], width = 80): string {
  // A cell is one line of text: a note's line breaks must not start a fake row.
  const flat = rows.map((r) => columns.map((_, i) => (r[i] ?? '').replace(/[\r\n\t]+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...flat.map((r) => displayWidth(r[i] ?? ''))));
  const gap = 2;
  let overflow = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1) - width;
  for (let i = columns.length - 1; i >= 0 && overflow > 0; i--) {
    const column = columns[i];
    const w = widths[i];
    if (column?.flexible !== true || w === undefined) continue;
    const cut = Math.min(overflow, w - Math.max(14, displayWidth(column.header)));
    if (cut > 0) {
      widths[i] = w - cut;
      overflow -= cut;
    }
  }
  const linesOf = (text: string, i: number): string[] => {
    const column = columns[i];
    const w = widths[i] ?? 0;
    if (column?.flexible !== true || displayWidth(text) <= w) return [text];
    if (column.overflow === 'wrap') return wrap(text, w);
    // Colour codes would be cut mid-sequence: flexible columns hold plain text.
    return [column.overflow === 'middle' ? truncateMiddle(text, w) : truncate(text, w)];
  };
  const pad = (text: string, i: number) => {
    const room = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)));
    return columns[i]?.align === 'right' ? room + text : text + room;
  };
  const row = (cells: readonly string[]): string[] => {
    const stacked = cells.map(linesOf);
    const height = Math.max(...stacked.map((s) => s.length));
    return Array.from({ length: height }, (_, k) =>
      stacked
        .map((s, i) => pad(s[k] ?? '', i))
        .join(' '.repeat(gap))
        .trimEnd(),
    );
  };
  return [...row(columns.map((c) => c.header)), ...flat.flatMap(row)].join('\n') + '\n';
}

/** A bar of `width` cells for a 0–100 value; text characters so it also reads without colour. */
export function bar(value: number | undefined, width = 10): string {
  if (value === undefined) return '·'.repeat(width);
  const filled = Math.round((Math.max(0, Math.min(100, value)) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
