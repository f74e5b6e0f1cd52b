// Every HTML page in a real browser: headless Chromium (test/support/browser.ts). These tests FAIL when
// /usr/bin/chromium is missing: CI installs it. Each page loads with no request, no script and no console error, and
// passes axe-core's WCAG 2.1 A/AA rules — also when every string in it is hostile.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAssessments, type Progress } from '../../src/compare/compare.js';
import { builtInHtmlPages } from '../../src/source/templateFiles.js';
import { loadRubric } from '../../src/source/rubricFile.js';
import { diffPage } from '../../src/views/diff/page.js';
import { buildReportModel, relatedAssessments } from '../../src/views/report/model.js';
import type { Assessed } from '../../src/views/report/types.js';
import type { Rubric } from '../../src/rubric/types.js';
import { ARTIFACTS, axe, open, pageCount, showing, startBrowser, stopBrowser, type Visit } from '../support/browser.js';
import { acrossRename } from '../compare/quarters.js';
import { history, organisation, surveyReport } from './report/fixtures.js';
import { buildPortfolio } from '../../src/compare/portfolio.js';
import { buildPortfolioModel } from '../../src/views/portfolio/model.js';
import { HOSTILE, HOSTILE_NOTE, hostileModel, hostileRubric } from './report/hostile.js';
import { importedRubric } from '../support/models.js';

beforeAll(startBrowser, 60_000);
afterAll(stopBrowser);

/**
 * Each page is built once and opened when a test first looks at it; the tests that look at it next share the visit:
 * what one test checks (no request, no console error, no script) holds for everything every test did to the page. A
 * test that changes the page (the print media) puts it back. All visits are in one page (support/browser.ts), so the
 * tests of a page come one after another: a page looked at again after another was opened is opened again.
 */
const built = new Map<string, Promise<string>>();
const visits: [name: string, visit: Visit][] = [];
async function shared(name: string, html: () => Promise<string>): Promise<Visit> {
  const last = visits.findLast(([key]) => key === name)?.[1];
  if (last !== undefined && showing(last)) return last;
  let text = built.get(name);
  if (text === undefined) {
    text = html();
    built.set(name, text);
  }
  const visit = await open(name, await text);
  visits.push([name, visit]);
  return visit;
}

// After every test, whatever it did to them: no page made a request but for its own file, logged an error or opened
// a dialog. (The tests check this too as they go, but a test after them could undo it unseen.)
afterAll(() => {
  for (const [name, visit] of visits) {
    expect({ requests: visit.requests, consoleErrors: visit.consoleErrors, dialogs: visit.dialogs }, name).toEqual({
      requests: [visit.url],
      consoleErrors: [],
      dialogs: [],
    });
  }
});

/** A department-wide survey of 100 respondents, rendered as the HTML shows many respondents. */
async function hundredRespondents(): Promise<string> {
  return (await surveyReport(100)).html;
}

/** When every page here says it was generated. */
const GENERATED_AT = '2026-10-02T08:00:00.000Z';

/** The organisation view of `org`'s scopes in `period`. */
async function portfolioHtmlOf(quarters: Assessed[], org: string, period: string): Promise<string> {
  return (await builtInHtmlPages()).portfolio(buildPortfolioModel(buildPortfolio(quarters, org, period), GENERATED_AT));
}

/** The report of the last of `periods` quarters of one assessment, with the quarters before it. */
async function historyReportHtml(rubric: Rubric, periods: number): Promise<string> {
  const all = history(rubric, periods);
  const current = all.at(-1)!;
  return (await builtInHtmlPages()).report(
    buildReportModel({ ...current, ...relatedAssessments(all, current.state), generatedAt: GENERATED_AT }),
  );
}

/** Twelve teams over four quarters, one unfinished: the organisation view. */
const portfolioHtml = async (): Promise<string> => portfolioHtmlOf(organisation((await loadRubric()).rubric, 12, 4), 'Acme', '2024-Q4');

/** The organisation view of twelve teams assessed with DSOMM: a heatmap of 19 sub-dimensions. */
const dsommPortfolioHtml = (): Promise<string> => portfolioHtmlOf(organisation(importedRubric('dsomm'), 12, 2), 'Acme', '2024-Q2');

/** The organisation view of a rubric of eight aspects whose every string is hostile (long unbroken words too), by scopes and an org named as attackers would. */
const hostilePortfolioHtml = (): Promise<string> =>
  portfolioHtmlOf(
    organisation(hostileRubric(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight']), 3, 2, HOSTILE.script),
    HOSTILE.script,
    '2024-Q2',
  );

/**
 * What is wider than it may be: the page, or a table wider than the block it sits in. On a screen, a table with a
 * long unbroken word (a hostile name, `boxesMayScroll`) may be wider than its scroll box, which is there for it; on
 * paper nothing scrolls, so nothing may be wider.
 */
async function overflowing(visit: Visit, boxesMayScroll = false): Promise<string[]> {
  return visit.page.evaluate<string[]>(`[
    ...(document.documentElement.scrollWidth > window.innerWidth ? ['the page: ' + document.documentElement.scrollWidth + ' px'] : []),
    ...[...document.querySelectorAll('table')]
      .filter((t) => t.getBoundingClientRect().width > t.parentElement.getBoundingClientRect().width + 0.5)
      .filter((t) => !(${String(boxesMayScroll)} && t.parentElement.matches('.table-scroll') && !matchMedia('print').matches))
      .map((t) => 'table.' + t.className + ': ' + Math.round(t.getBoundingClientRect().width) + ' px in ' + Math.round(t.parentElement.getBoundingClientRect().width)),
  ]`);
}

/** The words of the cells `cells` selects that are laid out over more than one line, broken but at a hyphen. */
async function brokenWords(visit: Visit, cells: string): Promise<string[]> {
  return visit.page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(cells)})].flatMap((cell) => {
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const broken = [];
    for (let text = texts.nextNode(); text !== null; text = texts.nextNode()) {
      // A word broken after a hyphen (per-/service) is broken where words may be.
      for (const m of text.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(text, m.index);
        range.setEnd(text, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken.push(m[0]);
      }
    }
    return broken;
  })`);
}

/**
 * In-page: the elements, other than the page's own, that could act after a test has moved on to the next page (which
 * ends this one): a refresh that navigates away, a base, a form, anything that loads. Each would be an escape gone wrong.
 */
const ELEMENTS_THAT_ACT_LATER = `[...document.querySelectorAll('meta[http-equiv]:not([http-equiv="Content-Security-Policy"]), base, form, link, iframe, frame, object, embed, img, image, video, audio, source, track')].map((e) => e.tagName)`;

/**
 * Asserts that nothing in the page ran or could run: no script (none in the document, nothing set `window.__pwned`),
 * no event-handler attribute, no element that acts later, no dialog.
 */
async function expectNothingRuns(visit: Visit): Promise<void> {
  const dom = await visit.page.evaluate<{ pwned: unknown; scripts: number; handlers: string[]; actingLater: string[] }>(`({
    pwned: window.__pwned,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
    actingLater: ${ELEMENTS_THAT_ACT_LATER},
  })`);
  expect({ ...dom, dialogs: visit.dialogs }).toEqual({ pwned: undefined, scripts: 0, handlers: [], actingLater: [], dialogs: [] });
}

/** Runs `check` with the page laid out `width` pixels wide, as on paper when `print`; then puts the shared page back. */
async function laidOut<T>(visit: Visit, how: { width: number; print?: boolean }, check: () => Promise<T>): Promise<T> {
  const screen = visit.page.viewportSize();
  try {
    if (how.print === true) await visit.page.emulateMedia({ media: 'print' });
    await visit.page.setViewportSize({ width: how.width, height: 1400 });
    return await check();
  } finally {
    // The page is shared: back to the screen for the tests after this one.
    await visit.page.emulateMedia({ media: null });
    if (screen !== null) await visit.page.setViewportSize(screen);
  }
}

/** The narrowest screen WCAG 2.1's reflow (1.4.10) asks a page to fit without scrolling sideways. */
const NARROWEST_SCREEN = 320;

/**
 * The test that a page fits a 320-pixel screen: the page never scrolls sideways; a table that may be wider scrolls
 * in a box of its own, which is a region named by the table's caption that the keyboard can focus and scroll; and,
 * unless `wholeWords` is false (hostile names must break), no word of any table is broken over two lines.
 */
function itFitsAPhone(key: string, html: () => Promise<string>, wholeWords: boolean): void {
  it(`fits a screen ${NARROWEST_SCREEN} pixels wide, its wide tables scrolling in boxes of their own (${key})`, async () => {
    const visit = await shared(key, html);
    await laidOut(visit, { width: NARROWEST_SCREEN }, async () => {
      const layout = await visit.page.evaluate<{
        pageWidth: number;
        ids: string[];
        boxes: { role: string | null; tabindex: string | null; name: string; scrolls: boolean }[];
      }>(`({
        pageWidth: document.documentElement.scrollWidth,
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        boxes: [...document.querySelectorAll('.table-scroll')].map((box) => ({
          role: box.getAttribute('role'),
          tabindex: box.getAttribute('tabindex'),
          name: (box.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim(),
          scrolls: box.scrollWidth > box.clientWidth,
        })),
      })`);
      expect(layout.pageWidth).toBeLessThanOrEqual(NARROWEST_SCREEN);
      expect(layout.boxes.length).toBeGreaterThan(0);
      // Each box is named by its own table's caption: an id used twice would name several boxes after the first.
      expect(layout.ids.filter((id, i) => layout.ids.indexOf(id) !== i)).toEqual([]);
      for (const box of layout.boxes) expect([box.role, box.tabindex, box.name.length > 5]).toEqual(['region', '0', true]);
      if (wholeWords) expect(await brokenWords(visit, 'td, tbody th')).toEqual([]);
      // The keyboard scrolls a box that is wider than the screen: focus it, then the right arrow.
      // Each page here has one, at this width.
      const wide = layout.boxes.findIndex((box) => box.scrolls);
      expect(wide).toBeGreaterThanOrEqual(0);
      await visit.page.locator('.table-scroll').nth(wide).focus();
      await visit.page.keyboard.press('ArrowRight');
      // Polled from here: the page's Content-Security-Policy forbids waitForFunction's evaluation of a string in it.
      const scrolled = () => visit.page.evaluate<number>(`document.querySelectorAll('.table-scroll')[${wide}].scrollLeft`);
      for (let tries = 0; tries < 200 && (await scrolled()) === 0; tries++) await visit.page.waitForTimeout(50);
      expect(await scrolled()).toBeGreaterThan(0);
    });
  }, 60_000);
}

/** A4's width less the side margins of the print style's @page (14 mm each, templates/partials/styles.hbs): 182 mm at 96 px to the inch. */
const A4_TEXT_WIDTH = Math.floor((182 / 25.4) * 96);

/** Two quarters of an assessment with a model imported from its public file: DSOMM's 19 sub-dimensions, a lens's pillars. */
const importedModelReport = (from: 'dsomm' | 'aws-lens'): Promise<string> => historyReportHtml(importedRubric(from), 2);

const hostileReportHtml = async (): Promise<string> => (await builtInHtmlPages()).report(hostileModel());
const diffHtml = async (): Promise<string> => (await builtInHtmlPages()).diff(diffPage(progressOf(false)));
const hostileDiffHtml = async (): Promise<string> => (await builtInHtmlPages()).diff(diffPage(progressOf(true)));

const yearOfHistory = async (): Promise<string> => historyReportHtml((await loadRubric()).rubric, 12);

/** The test that a page passes axe-core's WCAG 2.1 A and AA rules as it is, its Content-Security-Policy in force. */
function itFindsNoViolation(what: string, key: string, html: () => Promise<string>): void {
  it(`finds no violation of axe-core's WCAG 2.1 A and AA rules in the ${what}`, async () => {
    const visit = await shared(key, html);
    const result = await axe(visit);
    expect(result.violations).toEqual([]);
    expect(result.passes).toBeGreaterThan(10);
    expect(visit.consoleErrors).toEqual([]);
  }, 60_000);
}

describe('the browser the tests drive', () => {
  it('shows one page at a time: a visit cannot be looked at once another page is opened', async () => {
    // The first page logs an error as it loads (a page of this test's own, without the reports' policy, may run a script).
    const first = await open(
      'one-page-first',
      '<!DOCTYPE html><html lang="en"><title>first</title><script>console.error("first page")</script></html>',
    );
    expect(await first.page.title()).toBe('first');
    const second = await open('one-page-second', '<!DOCTYPE html><html lang="en"><title>second</title></html>');
    expect(() => first.page).toThrow(/one-page-first\.html is no longer open/);
    expect([showing(first), showing(second), await second.page.title()]).toEqual([false, true, 'second']);
    // What each page did is its own: its file, and the first page's error.
    expect([first.requests, second.requests]).toEqual([[first.url], [second.url]]);
    expect([first.consoleErrors, second.consoleErrors]).toEqual([['first page'], []]);
  }, 60_000);
});

describe('the HTML report in Chromium', () => {
  it('loads with no console error and no request but the file itself', async () => {
    const visit = await shared('report', yearOfHistory);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    expect(await overflowing(visit)).toEqual([]);
    // No word of a table is broken over two lines (the roadmap's step 10 showed as "1 / 0").
    expect(await brokenWords(visit, 'td, tbody th')).toEqual([]);
    await visit.page.screenshot({ path: join(ARTIFACTS, 'report.png') });
  }, 60_000);

  it('prints to a PDF of several pages on A4 and on Letter, with charts and tables kept whole', async () => {
    const visit = await shared('report', yearOfHistory);
    try {
      await visit.page.emulateMedia({ media: 'print' });
      const kept = await visit.page.evaluate<string[]>(
        `[...document.querySelectorAll('figure, table.keep, .step')].map((e) => getComputedStyle(e).breakInside)`,
      );
      expect(kept.length).toBeGreaterThan(3);
      expect(new Set(kept)).toEqual(new Set(['avoid']));
      const majors = await visit.page.evaluate<string[]>(
        `[...document.querySelectorAll('section.major')].map((e) => getComputedStyle(e).breakBefore)`,
      );
      expect(majors.length).toBeGreaterThanOrEqual(4);
      expect(new Set(majors)).toEqual(new Set(['page']));
      // A table's scroll box clips nothing on paper.
      const boxes = await visit.page.evaluate<string[]>(
        `[...document.querySelectorAll('.table-scroll')].map((e) => getComputedStyle(e).overflowX)`,
      );
      expect(boxes.length).toBeGreaterThan(3);
      expect(new Set(boxes)).toEqual(new Set(['visible']));
      for (const format of ['A4', 'Letter'] as const) {
        const pdf = await visit.page.pdf({ format, printBackground: true, path: join(ARTIFACTS, `report-${format.toLowerCase()}.pdf`) });
        expect(pageCount(pdf), format).toBeGreaterThanOrEqual(5);
      }
      expect(visit.consoleErrors).toEqual([]);
      expect(visit.requests).toEqual([visit.url]);
    } finally {
      // The page is shared: back to the screen for the tests after this one.
      await visit.page.emulateMedia({ media: null });
    }
  }, 60_000);

  it('is accessible: a language, headings in order, every chart an image with a title and a description', async () => {
    const visit = await shared('report', yearOfHistory);
    // Evaluated in the page, so written as a string: the project compiles without DOM types.
    const facts = await visit.page.evaluate<{
      lang: string;
      headings: number[];
      charts: { role: string | null; labels: string[] }[];
      scripts: number;
    }>(`({
      lang: document.documentElement.lang,
      headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
      charts: [...document.querySelectorAll('svg')].map((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean);
        return { role: svg.getAttribute('role'), labels: ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? '') };
      }),
      scripts: document.scripts.length,
    })`);
    expect(facts.lang).toBe('en');
    expect(facts.headings[0]).toBe(1);
    expect(facts.headings.filter((h) => h === 1)).toHaveLength(1);
    facts.headings.forEach((level, i) => {
      if (i > 0) expect(level - facts.headings[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
    });
    expect(facts.charts).toHaveLength(2);
    for (const chart of facts.charts) {
      expect(chart.role).toBe('img');
      expect(chart.labels).toHaveLength(2);
      for (const label of chart.labels) expect(label.length).toBeGreaterThan(10);
    }
    expect(facts.scripts).toBe(0);
  }, 60_000);
  itFitsAPhone('report', yearOfHistory, true);
  itFindsNoViolation('report', 'report', yearOfHistory);
});

describe('hostile strings in Chromium', () => {
  // With the Content-Security-Policy, and without it: escaping alone must already keep every script out.
  for (const variant of ['with CSP', 'without CSP'] as const) {
    it(`run no script and fetch nothing (${variant})`, async () => {
      const visit =
        variant === 'with CSP'
          ? await shared('hostile', hostileReportHtml)
          : await shared('hostile-no-csp', async () => {
              const html = await hostileReportHtml();
              const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
              expect(withoutCsp).not.toBe(html);
              return withoutCsp;
            });
      // Give anything that could fire (autofocus, onerror, animations) a moment to do so.
      await visit.page.hover('body');
      await visit.page.waitForTimeout(200);
      await expectNothingRuns(visit);
      const dom = await visit.page.evaluate<{ hrefs: string[]; images: number; svgs: number; text: string }>(`({
        hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href') ?? ''),
        images: document.querySelectorAll('img, image, iframe, object, embed').length,
        svgs: document.querySelectorAll('svg').length,
        text: document.body.textContent ?? '',
      })`);
      expect(dom.images).toBe(0);
      expect(dom.svgs).toBe(2);
      for (const href of dom.hrefs) expect(href).toMatch(/^(https?:\/\/|#[a-z0-9-]+$)/);
      // The hostile text is shown as text.
      expect(dom.text).toContain(HOSTILE.script);
      expect(dom.text).toContain(HOSTILE.closeSvg);
      expect(dom.text).toContain('{{constructor}}');
      // Long unbroken hostile text wraps, or scrolls in a table's box; it never widens the page (which would shrink it
      // when printed).
      expect(await overflowing(visit, true)).toEqual([]);
      expect(visit.consoleErrors).toEqual([]);
      expect(visit.requests).toEqual([visit.url]);
      if (variant === 'with CSP') await visit.page.screenshot({ path: join(ARTIFACTS, 'hostile.png') });
    }, 60_000);
    if (variant === 'with CSP') {
      itFitsAPhone('hostile', hostileReportHtml, false);
      itFindsNoViolation('report with hostile strings', 'hostile', hostileReportHtml);
    }
  }
});

/** A quarter against the one before, across a rubric change, with notes; optionally with every shown string hostile. */
function progressOf(hostile: boolean): Progress {
  const note = hostile ? HOSTILE_NOTE : 'Argo CD since June, see https://wiki.example/PLAT-12';
  const who = hostile ? HOSTILE.closeTitle : 'Priya Raman';
  const compared = compareAssessments(
    ...acrossRename({ note, who, metricsNote: hostile ? HOSTILE.controls : 'moved to self-run Mimir', targets: { ops: 3, delivery: 3 } }),
  );
  // What settling left in the later quarter: one decision that holds, one undone, one level still provisional.
  const decision = { question: 'deploy', answer: ['gitops'], level: 4, facilitator: who, at: '2026-06-20T10:00:00Z' };
  const progress: Progress = {
    ...compared,
    consensus: [
      { ...decision, rationale: hostile ? HOSTILE.script : 'agreed in the review: Argo CD runs prod', holds: true },
      { ...decision, question: 'metrics', rationale: hostile ? HOSTILE.controls : 'golden signals on 14 of 23', holds: false },
    ],
    provisional: [{ question: 'metrics', aspect: 'ops' }],
    steps: [
      {
        step: 'ops-gitops',
        title: hostile ? HOSTILE.closeTitle : 'Adopt GitOps',
        before: 'in-progress',
        after: 'done',
        by: who,
        at: '2026-06-21T10:00:00Z',
        note: hostile ? HOSTILE_NOTE : 'Argo CD everywhere',
        notInRubric: false,
      },
    ],
    doneButOpen: [{ step: 'ops-gitops', title: 'Adopt GitOps', stillOpen: ['deploy'] }],
  };
  if (!hostile) return progress;
  return {
    ...progress,
    org: HOSTILE.script,
    scope: `${HOSTILE.closeStyle} \u202eexe.png`,
    aspects: progress.aspects.map((a, i) => ({ ...a, title: Object.values(HOSTILE)[i] ?? HOSTILE.image })),
  };
}

describe('the diff page in Chromium', () => {
  it('loads with no request, no script and no console error, and shows what changed', async () => {
    const visit = await shared('diff', diffHtml);
    const dom = await visit.page.evaluate<{ scripts: number; text: string; links: string[]; csp: string | null }>(`({
      scripts: document.scripts.length,
      text: document.body.innerText,
      links: [...document.querySelectorAll('a')].map((a) => a.href),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    })`);
    expect(dom.scripts).toBe(0);
    expect(dom.csp).toMatch(/^default-src 'none'/);
    expect(dom.text).toContain('Acme / platform: 2026-Q1 → 2026-Q2');
    expect(dom.text).toMatch(/Regressions: ops \(3 Scale → 2 Operate\)/);
    expect(dom.text).toMatch(/renamed: alerts → paging/);
    expect(dom.links).toEqual(['https://wiki.example/PLAT-12']);
    expect(dom.text).toMatch(/Consensus decisions \(2\)\s+deploy = gitops L4 \(facilitated by Priya Raman, 2026-06-20\)/);
    expect(dom.text).toMatch(/no longer holds: an answer changed after it/);
    expect(dom.text).toMatch(/Provisional in 2026-Q2: respondents still disagree on metrics/);
    expect(dom.text).toMatch(
      /Roadmap steps \(1\)\s+ops-gitops \(Adopt GitOps\): in-progress → done \(Priya Raman, 2026-06-21: “Argo CD everywhere”\)/,
    );
    expect(dom.text).toMatch(/ops-gitops is marked done, but the answers of 2026-Q2 still call for it: deploy\./);
    expect(await overflowing(visit)).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    await visit.page.screenshot({ path: join(ARTIFACTS, 'diff.png') });
  }, 60_000);
  itFitsAPhone('diff', diffHtml, true);
  itFindsNoViolation('diff', 'diff', diffHtml);

  it('runs no script and shows hostile strings as text, with control and bidi characters replaced', async () => {
    const visit = await shared('diff-hostile', hostileDiffHtml);
    await visit.page.hover('body');
    await expectNothingRuns(visit);
    const dom = await visit.page.evaluate<{ text: string; hrefs: string[] }>(`({
      text: document.documentElement.textContent,
      hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href') ?? ''),
    })`);
    expect(dom.text).toContain(HOSTILE.script);
    expect(dom.text).toContain(HOSTILE.closeTitle);
    expect(dom.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/);
    for (const href of dom.hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
  }, 60_000);
  itFitsAPhone('diff-hostile', hostileDiffHtml, false);
  itFindsNoViolation('diff with hostile strings', 'diff-hostile', hostileDiffHtml);
});

/** The test that an organisation view's heatmap fits the screen and A4 paper, its cells' words kept whole (`wholeWords`). */
function itFitsScreenAndA4(what: string, key: string, html: () => Promise<string>, wholeWords: boolean): void {
  it(`fits its heatmap on the screen and on A4 paper: ${what}`, async () => {
    const visit = await shared(key, html);
    expect(await overflowing(visit, !wholeWords), 'on the screen').toEqual([]);
    await laidOut(visit, { width: A4_TEXT_WIDTH, print: true }, async () => {
      expect(await overflowing(visit), 'on A4').toEqual([]);
      // And no word of a cell is broken over two lines ("4 · Improv / e"), but where a hostile name must be.
      if (wholeWords) expect(await brokenWords(visit, 'table.heatmap td'), 'on A4').toEqual([]);
    });
  }, 60_000);
}

describe('the portfolio in Chromium', () => {
  it('shows 12 scopes over 4 periods under 500 KB, with no script, no request and no console error', async () => {
    const visit = await shared('portfolio', portfolioHtml);
    expect(statSync(new URL(visit.url)).size / 1024).toBeLessThan(500);
    const dom = await visit.page.evaluate<{ scripts: number; rows: number; text: string }>(`({
      scripts: document.scripts.length,
      rows: document.querySelectorAll('table.heatmap tbody tr').length,
      text: document.body.innerText,
    })`);
    expect(dom.scripts).toBe(0);
    expect(dom.rows).toBe(13); // 12 scopes and the organisation
    expect(dom.text).toMatch(/12 scopes of Acme were assessed in 2024-Q4/);
    expect(dom.text).toMatch(/Steps many scopes need/);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await visit.page.pdf({ format, printBackground: true, path: join(ARTIFACTS, `portfolio-${format.toLowerCase()}.pdf`) });
      expect(pageCount(pdf), format).toBeGreaterThan(1);
    }
    await visit.page.screenshot({ path: join(ARTIFACTS, 'portfolio.png') });
  }, 60_000);

  itFitsScreenAndA4('six aspects', 'portfolio', portfolioHtml, true);
  itFitsAPhone('portfolio', portfolioHtml, true);
  itFindsNoViolation('portfolio of 12 scopes', 'portfolio', portfolioHtml);

  itFitsScreenAndA4('nineteen sub-dimensions of DSOMM', 'portfolio-dsomm', dsommPortfolioHtml, true);
  it('shows each of the heatmap’s tables under its caption, every scope in each, the overall level and coverage in the last', async () => {
    const visit = await shared('portfolio-dsomm', dsommPortfolioHtml);
    const tables = await visit.page.evaluate<{ caption: string; captionShown: boolean; heads: string[]; rows: number[] }[]>(
      `[...document.querySelectorAll('table.heatmap')].map((t) => ({
        caption: t.caption?.textContent ?? '',
        captionShown: t.caption !== null && t.caption.getBoundingClientRect().height > 1,
        heads: [...t.tHead.rows[0].cells].map((c) => c.textContent.trim()),
        rows: [...t.tBodies[0].rows].map((r) => r.cells.length),
      }))`,
    );
    expect(tables.map((t) => t.caption)).toEqual([
      'Level of each scope in sub-dimensions 1–5 of 19',
      'Level of each scope in sub-dimensions 6–10 of 19',
      'Level of each scope in sub-dimensions 11–15 of 19',
      'Level of each scope in sub-dimensions 16–19 of 19',
    ]);
    expect(tables.every((t) => t.captionShown)).toBe(true);
    expect(tables.map((t) => [t.heads[0], t.heads.slice(-2)])).toEqual([
      ['Scope', expect.not.arrayContaining(['Overall'])],
      ['Scope', expect.not.arrayContaining(['Overall'])],
      ['Scope', expect.not.arrayContaining(['Overall'])],
      ['Scope', ['Overall', 'Coverage']],
    ]);
    // 12 scopes and the organisation in each, a cell under every heading.
    for (const t of tables) expect(t.rows).toEqual(Array<number>(13).fill(t.heads.length));
    expect(tables.flatMap((t) => t.heads).filter((h) => h === 'Overall' || h === 'Coverage')).toEqual(['Overall', 'Coverage']);
  }, 60_000);
  itFitsAPhone('portfolio-dsomm', dsommPortfolioHtml, true);
  itFindsNoViolation('portfolio of a DSOMM assessment (19 sub-dimensions in 4 tables)', 'portfolio-dsomm', dsommPortfolioHtml);

  itFitsScreenAndA4('hostile titles', 'portfolio-hostile', hostilePortfolioHtml, false);
  it('runs no script and shows hostile names and titles as text', async () => {
    const visit = await shared('portfolio-hostile', hostilePortfolioHtml);
    await visit.page.hover('body');
    await expectNothingRuns(visit);
    const dom = await visit.page.evaluate<{ heads: string[]; text: string }>(`({
      heads: [...document.querySelectorAll('table.heatmap thead th')].map((th) => th.textContent),
      text: document.body.textContent ?? '',
    })`);
    expect(dom.heads).toContain(HOSTILE.closeStyle);
    expect(dom.text).toContain(HOSTILE.script);
    expect(await visit.page.locator('table.heatmap').count()).toBe(2);
  }, 60_000);
  itFitsAPhone('portfolio-hostile', hostilePortfolioHtml, false);
  itFindsNoViolation('portfolio with hostile strings (8 aspects in 2 tables)', 'portfolio-hostile', hostilePortfolioHtml);
});

describe('accessibility: axe-core WCAG 2.1 A and AA', () => {
  it('reports the violations of a page built to fail (the check can fail)', async () => {
    // Under the reports' own Content-Security-Policy, as axe checks them.
    const bad =
      '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'"><title>x</title></head><body><p style="color:#bbb;background:#fff">faint</p><table><tr><th></th></tr></table></body></html>';
    const result = await axe(await open('axe-control', bad));
    expect(result.violations.map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['html-has-lang', 'color-contrast']));
    // Each names the elements at fault.
    expect(result.violations.find((v) => v.startsWith('color-contrast'))).toMatch(/ — p$/);
  }, 60_000);

  // The pages the tests above look at are checked among them; these three only here.
  itFindsNoViolation('report of 100 respondents', 'report-100-respondents', hundredRespondents);
  it('keeps the words of a DSOMM report’s tables whole, on the screen and on A4: its trend of 19 sub-dimensions in four tables', async () => {
    const visit = await shared('report-dsomm', () => importedModelReport('dsomm'));
    expect(await visit.page.locator('table.trend-table caption').allTextContents()).toEqual([
      'Level (and score) by period: overall and sub-dimensions 1–5 of 19',
      'Level (and score) by period: sub-dimensions 6–10 of 19',
      'Level (and score) by period: sub-dimensions 11–15 of 19',
      'Level (and score) by period: sub-dimensions 16–19 of 19',
    ]);
    expect(await brokenWords(visit, 'td, tbody th')).toEqual([]);
    expect(await overflowing(visit)).toEqual([]);
    // On paper, where nothing scrolls: the trend, and the answers beside DSOMM's long questions.
    await laidOut(visit, { width: A4_TEXT_WIDTH, print: true }, async () => {
      expect(await overflowing(visit)).toEqual([]);
      expect(await brokenWords(visit, '.trend-table td, .trend-table tbody th, .answers td')).toEqual([]);
    });
  }, 60_000);
  itFindsNoViolation('report of a DSOMM assessment (19 sub-dimensions)', 'report-dsomm', () => importedModelReport('dsomm'));
  itFindsNoViolation('report of an AWS lens assessment', 'report-aws-lens', () => importedModelReport('aws-lens'));
});
