// Plain-text output for terminals: tables that fit 80 columns, colour only where it helps and is wanted.

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

/** Printable width: ANSI colour codes take no room. */
export function visibleLength(s: string): number {
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

export function truncate(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export function truncateMiddle(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  const tail = Math.floor((width - 1) / 2);
  return `${chars.slice(0, width - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** When the table is too wide, flexible columns are shortened (with …), the rightmost first. */
  readonly flexible?: boolean;
  /** Where a shortened cell loses characters: at its end (default), or in its middle (keeps an id's period). */
  readonly cut?: 'end' | 'middle';
}

/** A table with a header row, padded columns, and shortened flexible columns so it fits `width`. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[], width = 80): string {
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const gap = 2;
  let overflow = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1) - width;
  for (let i = columns.length - 1; i >= 0 && overflow > 0; i--) {
    if (!columns[i]!.flexible) continue;
    const cut = Math.min(overflow, widths[i]! - Math.max(14, visibleLength(columns[i]!.header)));
    if (cut > 0) {
      widths[i]! -= cut;
      overflow -= cut;
    }
  }
  const cell = (text: string, i: number) => {
    const w = widths[i]!;
    // Colour codes would be cut mid-sequence; flexible columns hold plain text.
    // A cell is one line: a note's line breaks must not start a fake row.
    text = text.replace(/[\r\n\t]+/g, ' ');
    const t = !columns[i]!.flexible ? text : columns[i]!.cut === 'middle' ? truncateMiddle(text, w) : truncate(text, w);
    const pad = ' '.repeat(Math.max(0, w - visibleLength(t)));
    return columns[i]!.align === 'right' ? pad + t : t + pad;
  };
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => cell(c, i))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
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

/**
 * Replaces control characters in untrusted text before it reaches a terminal: no escape sequences,
 * no bidirectional overrides that reorder what is shown, no line separators. Keeps \n and \t.
 */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}
