import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeXml, linkify, markdownHref, reportFileName, safeHref } from '../../src/views/escape.js';
import { HOSTILE } from './report/hostile.js';

describe('links are rendered only for http and https', () => {
  it.each(['https://example.com/a?b=c', 'http://example.com', 'HTTPS://EXAMPLE.COM/x'])('accepts %s', (url) => {
    expect(safeHref(url)).toMatch(/^https?:\/\//);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative',
    'https://user:pw@example.com/',
  ])('refuses %j', (url) => {
    expect(safeHref(url)).toBeUndefined();
  });

  it('normalises quotes and angle brackets out of an accepted URL', () => {
    expect(safeHref('https://example.com/a"b<c>')).toBe('https://example.com/a%22b%3Cc%3E');
  });

  it('finds http(s) links in a note and leaves everything else as text', () => {
    expect(linkify('see https://wiki.example.com/x. Not javascript:alert(1) nor data:x')).toEqual([
      { text: 'see ', href: null },
      { text: 'https://wiki.example.com/x', href: 'https://wiki.example.com/x' },
      { text: '. Not javascript:alert(1) nor data:x', href: null },
    ]);
  });

  it('keeps a note without links as one text segment', () => {
    expect(linkify(HOSTILE.script)).toEqual([{ text: HOSTILE.script, href: null }]);
  });

  it('encodes the characters that would end a Markdown link destination', () => {
    expect(markdownHref('https://example.com/a(b)c d')).toBe('https://example.com/a%28b%29c%20d');
    expect(markdownHref('javascript:alert(1)')).toBeUndefined();
  });
});

describe('escaping', () => {
  it('escapes XML metacharacters and replaces control characters', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>\u0000\u001b`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;\ufffd\ufffd',
    );
  });

  it.each(Object.entries(HOSTILE))('makes %s inert in Markdown', (_, text) => {
    const out = escapeMarkdown(text);
    expect(out).not.toMatch(/[<>\n]/);
    // Every character that could start markup is backslash-escaped; nothing can start a block.
    expect(out.replace(/\\[\\`*_{}[\]|~$#+=.)-]/g, '')).not.toMatch(/[`*_{}[\]|~$]/);
    expect(out).not.toMatch(/^\s*([#+=-]|\d+[.)])/);
  });
});

describe('Markdown stays readable', () => {
  it('escapes only what could become markup', () => {
    expect(escapeMarkdown('Runtime (3 · Scale), score 57: see https://x.example/a_b.')).toBe(
      'Runtime (3 · Scale), score 57: see https://x.example/a\\_b.',
    );
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('R&D &lt;b&gt;')).toBe('R&D &amp;lt;b&amp;gt;');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
  });
});

describe('the default file name', () => {
  it('is built from slugs only', () => {
    expect(reportFileName('Acme Corp.', 'Payments', '2026-Q4', 'html')).toBe('cnassess-report-acme-corp-payments-2026-q4.html');
  });

  it('differs for different scopes of one org and period, and for orgs whose names have no Latin letters', () => {
    const names = [
      reportFileName('Acme', 'payments', '2026-Q4', 'html'),
      reportFileName('Acme', 'platform', '2026-Q4', 'html'),
      reportFileName('Яндекс', 'all', '2026-Q4', 'html'),
      reportFileName('Сбербанк', 'all', '2026-Q4', 'html'),
    ];
    expect(new Set(names).size).toBe(4);
  });

  it.each(['../../etc/passwd', '/abs/path', 'C:\\Windows\\x', '..', HOSTILE.script, '\u0000', '日本'])(
    'never becomes a path for an org named %j',
    (org) => {
      const name = reportFileName(org, org, '../2026-Q4', 'md');
      expect(name).toMatch(/^cnassess-report-[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+\.md$/);
      expect(name).not.toContain('..');
    },
  );
});
