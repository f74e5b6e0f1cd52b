// How a comparison reads: 80 columns and markers without colour, escaped Markdown and HTML.
import { describe, expect, it } from 'vitest';
import { compareAssessments } from '../../src/compare/compare.js';
import { builtInHtmlPages } from '../../src/source/templateFiles.js';
import { diffMarkdown } from '../../src/views/diff/markdown.js';
import { diffPage } from '../../src/views/diff/page.js';
import { diffText } from '../../src/views/diff/text.js';
import { displayWidth } from '../../src/text.js';
import { acrossRename } from '../compare/quarters.js';

const note =
  'moved to <script>alert(1)</script> | pipes & "quotes" and a very long explanation that has to wrap somewhere before eighty columns';
const progress = compareAssessments(...acrossRename({ note }));

describe('diff as text', () => {
  const text = diffText(progress);
  it('fits 80 columns', () => {
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });
  it('marks each aspect up, down or same with characters, and explains the markers and the rubric', () => {
    expect(text).toMatch(/^▲ +delivery +2 Operate → 3 Scale /m);
    expect(text).toMatch(/^▼ +ops +3 Scale → 2 Operate\* /m);
    expect(text).toMatch(/^▲ level up {2}▼ level down( |$)/m);
    expect(text).toContain('Regressions: ops (3 Scale → 2 Operate)');
    expect(text).toMatch(/renamed {2}alerts → paging/);
    expect(text).toMatch(/added {4}tracing \(ops\): l4 L4; not in like-for-like/);
    expect(text).toMatch(/removed {2}legacy \(ops\): was l2 L2/);
  });
  it('says whether targets were met', () => {
    expect(text).toMatch(/ops +3 Scale +no longer met +2 Operate/);
  });
  it('has no colour codes unless a colour style is handed in', () => {
    expect(text).not.toContain('\x1b[');
  });
});

describe('diff as Markdown and HTML', () => {
  it('escapes user text in Markdown tables and lists', () => {
    const md = diffMarkdown(progress);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| pipes');
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\| pipes');
  });
  it('is a self-contained HTML page with user text escaped', async () => {
    const html = (await builtInHtmlPages()).diff(diffPage(progress));
    expect(html).toMatch(/^<!DOCTYPE html>/m);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | pipes &amp; &quot;quotes&quot;');
    expect(html).not.toMatch(/<link|src=/);
  });
});
