// The text helpers every output shares: widths in display columns, wrapping at words, and the guess at a typo.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { closest, displayWidth, list, plural, SINGLE_COLUMN, truncate, truncateMiddle, wrap } from '../../src/text.js';

describe('closest', () => {
  it.each([
    ['obs-metrcs', 'obs-metrics'], // a letter left out
    ['obs-mertics', 'obs-metrics'], // two letters swapped
    ['OBS-METRICS', 'obs-metrics'], // case only
    ['observabilty', 'observability'],
  ])('takes %s for %s', (typo, meant) => {
    expect(closest(typo, ['obs-logging', 'obs-metrics', 'observability', 'obs-tracing'])).toBe(meant);
  });

  it('guesses nothing when nothing is near, when two are as near, or when the word is exact', () => {
    expect(closest('kubernetes', ['obs-metrics', 'app-deploy'])).toBeUndefined();
    expect(closest('2026-q5', ['a/2026-q4', 'a/2026-q3', '2026-q4', '2026-q3'])).toBeUndefined();
    expect(closest('golden', ['golden', 'platform'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});

describe('widths and wrapping', () => {
  it('counts display columns: wide CJK and emoji take two, combining marks none, colour codes none', () => {
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\x1b[31mred\x1b[39m')).toBe(3);
  });

  it('counts text of single-column characters by its length, exactly as string-width counts it', () => {
    const single = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((ch) => SINGLE_COLUMN.test(ch));
    expect(single).toEqual(expect.arrayContaining(['a', 'é', '—', '…', '•', '→', '│', '█', '░'])); // what cnassess prints
    for (const ch of single) expect(stringWidth(ch), `U+${ch.charCodeAt(0).toString(16)}`).toBe(1);
    // Side by side too: no two of them make one wider or narrower character.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...single), { maxLength: 40 }), (chars) => {
        expect(stringWidth(chars.join(''))).toBe(chars.length);
      }),
    );
    // With anything else in the text, string-width measures it: an emoji made of a one-column character and a
    // variation selector, a CJK name, a combining mark, a colour code.
    for (const text of ['‼\ufe0f', 'Ana — 日本', 'e\u0301 ←', '\x1b[1m█░\x1b[22m', '']) expect(displayWidth(text)).toBe(stringWidth(text));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(displayWidth(text)).toBe(stringWidth(text));
      }),
    );
  });

  it('wraps at word boundaries within the width, indenting the lines after the first', () => {
    const lines = wrap('Evidence is a record another person can check, such as a resume of the image', 20, '  ');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe(
      'Evidence is a record another person can check, such as a resume of the image',
    );
    expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    expect(lines.some((l) => /\b(Evide|resu|ima)$/.test(l))).toBe(false);
  });

  it('cuts a word longer than the line where the line ends, and never splits a wide character', () => {
    expect(wrap('日本語のテキスト', 5)).toEqual(['日本', '語の', 'テキ', 'スト']);
  });

  it('truncates at the end or in the middle, to the width, with an ellipsis', () => {
    expect(truncate('Application definition', 12)).toBe('Application…');
    expect(truncateMiddle('kestrel-freight/platform/2026-q4', 18)).toBe('kestrel-f…/2026-q4');
    expect(displayWidth(truncate('日本語のテキスト', 5))).toBeLessThanOrEqual(5);
  });

  it('says one and many, and lists with "and"', () => {
    expect(plural(1, 'answer')).toBe('1 answer');
    expect(plural(2, 'answer is', 'answers are')).toBe('2 answers are');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
