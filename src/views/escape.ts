// Escaping for every output the report writes. Everything that reaches a report from a user — org
// and scope names, notes, respondents, every string of a custom rubric — goes through one of these.

import { slug } from '../assessment/state.js';

/** File-name fragments fold names the same way as assessment ids. */
export { slug };

// C0/C1 control characters (except tab and newline) are not text a report should carry; XML forbids most.
// Bidirectional overrides and isolates are replaced too: they reorder what a reader sees ("exe.png").
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/** A copy of a view model in which every string has its control and bidirectional-override characters replaced. */
export function withoutControls<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL, '\ufffd');
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  return value;
}

/** Text for XML/SVG content and attribute values (double- or single-quoted). */
export function escapeXml(text: string): string {
  return text
    .replace(CONTROL, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A URL safe to put in an href: only absolute http and https URLs, normalised by the URL parser
 * (which percent-encodes spaces, quotes and angle brackets). Anything else — `javascript:`, `data:`,
 * relative paths, credentials in the URL — gives `undefined`, and the caller shows plain text.
 */
export function safeHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}

/** A piece of a note: plain text, or a link whose `href` passed `safeHref`. */
export interface TextSegment {
  readonly text: string;
  readonly href: string | null;
}

// Candidate links in free text: anything that starts like an http(s) URL, up to whitespace or a closing bracket.
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`)\]]+/gi;

/** Splits free text into plain and link segments; only http(s) URLs become links. Trailing punctuation stays text. */
export function linkify(text: string): TextSegment[] {
  const clean = text.replace(CONTROL, '\ufffd');
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of clean.matchAll(URL_IN_TEXT)) {
    let candidate = match[0];
    const trailing = /[.,;:!?]+$/.exec(candidate)?.[0] ?? '';
    candidate = candidate.slice(0, candidate.length - trailing.length);
    const href = safeHref(candidate);
    if (href === undefined) continue;
    const start = match.index;
    if (start > last) segments.push({ text: clean.slice(last, start), href: null });
    segments.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < clean.length) segments.push({ text: clean.slice(last), href: null });
  return segments;
}

/**
 * Text for Markdown (CommonMark/GFM, including renderers that pass raw HTML through, and MDX):
 * angle brackets (and an & that would start an entity) become entities; the characters that can start emphasis, code, links,
 * tables, strikethrough, math or MDX expressions are backslash-escaped; newlines become spaces; and
 * a value that would begin a heading, list, quote or rule when it starts a line has that first mark
 * escaped. Other punctuation is left alone, so the Markdown stays readable as plain text.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(CONTROL, '\ufffd')
      .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
      // A lone & is text; only one that would start a character reference needs escaping.
      .replace(/&(?=#?[a-zA-Z0-9]+;)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_{}[\]|~$]/g, (c) => `\\${c}`)
      .replace(/^(\s*)([#+=-])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  );
}

/** A URL for a Markdown link destination: a safe href with the characters that end a destination encoded. */
export function markdownHref(url: string): string | undefined {
  const href = safeHref(url);
  return href?.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A note's segments as Markdown: text escaped, and a link only where the segment's href is a safe http(s) URL. */
export function markdownSegments(list: readonly TextSegment[]): string {
  return list
    .map((s) => {
      const href = s.href === null ? undefined : markdownHref(s.href);
      return href === undefined ? escapeMarkdown(s.text) : `[${escapeMarkdown(s.text)}](${href})`;
    })
    .join('');
}

/**
 * The default report file name: built only from slugs, so untrusted names can never make it a path, and from the org,
 * the scope and the period, so two different reports never share a name.
 */
export function reportFileName(org: string, scope: string, period: string, extension: 'html' | 'md' | 'json' | 'csv'): string {
  return `cnassess-report-${slug(org, 'org')}-${slug(scope, 'scope')}-${slug(period, 'period')}.${extension}`;
}

/** The portfolio's default file name: its own prefix, so it never shares a name with an assessment's report. */
export function portfolioFileName(org: string, period: string, extension: 'html' | 'md' | 'json'): string {
  return `cnassess-portfolio-${slug(org, 'org')}-${slug(period, 'period')}.${extension}`;
}
