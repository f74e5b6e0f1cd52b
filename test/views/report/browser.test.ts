// The report in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core).
// This test FAILS when /usr/bin/chromium is missing: CI installs it (`apt-get install -y chromium`).
// Artifacts — the HTML, a screenshot and the PDFs — are kept in test-artifacts/ for people to look at.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel, relatedAssessments } from '../../../src/views/report/model.js';
import { builtInHtmlRenderer } from '../../../src/source/templateFiles.js';
import { loadRubric } from '../../../src/source/rubricFile.js';
import { history } from './fixtures.js';
import { HOSTILE, hostileModel } from './hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Visit {
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  readonly url: string;
}

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (CI's .ci/run does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Writes the HTML to test-artifacts/ and opens it from disk, recording everything the page tries. */
async function open(name: string, html: string): Promise<Visit> {
  const file = join(ARTIFACTS, `${name}.html`);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  if (browser === undefined) throw new Error('Chromium did not start');
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  // Nothing but the file itself may leave the page; anything else is recorded, then refused.
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, consoleErrors, requests, dialogs, url };
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

async function yearOfHistory(): Promise<string> {
  const { rubric } = await loadRubric();
  const all = history(rubric, 12);
  const current = all.at(-1)!;
  const model = buildReportModel({ ...current, ...relatedAssessments(all, current.state), generatedAt: '2026-10-02T08:00:00.000Z' });
  return (await builtInHtmlRenderer())(model);
}

describe('the HTML report in Chromium', () => {
  it('loads with no console error and no request but the file itself', async () => {
    const visit = await open('report', await yearOfHistory());
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    expect(await visit.page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await visit.page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await visit.page.close();
  }, 60_000);

  it('prints to a PDF of several pages on A4 and on Letter, with charts and tables kept whole', async () => {
    const visit = await open('report', await yearOfHistory());
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
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await visit.page.pdf({ format, printBackground: true, path: join(ARTIFACTS, `report-${format.toLowerCase()}.pdf`) });
      expect(pageCount(pdf), format).toBeGreaterThanOrEqual(5);
    }
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    await visit.page.close();
  }, 60_000);

  it('is accessible: a language, headings in order, every chart an image with a title and a description', async () => {
    const visit = await open('report', await yearOfHistory());
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
    await visit.page.close();
  }, 60_000);
});

describe('hostile strings in Chromium', () => {
  // With the Content-Security-Policy, and without it: escaping alone must already keep every script out.
  for (const variant of ['with CSP', 'without CSP'] as const) {
    it(`run no script and fetch nothing (${variant})`, async () => {
      let html = (await builtInHtmlRenderer())(hostileModel());
      if (variant === 'without CSP') {
        const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
        expect(withoutCsp).not.toBe(html);
        html = withoutCsp;
      }
      const visit = await open(variant === 'with CSP' ? 'hostile' : 'hostile-no-csp', html);
      // Give anything that could fire (autofocus, onerror, animations) a moment to do so.
      await visit.page.hover('body');
      await visit.page.waitForTimeout(200);
      const dom = await visit.page.evaluate<{
        pwned: unknown;
        scripts: number;
        handlers: string[];
        hrefs: string[];
        images: number;
        svgs: number;
        text: string;
        overflow: number;
      }>(`({
        pwned: window.__pwned,
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
        hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href') ?? ''),
        images: document.querySelectorAll('img, image, iframe, object, embed').length,
        svgs: document.querySelectorAll('svg').length,
        text: document.body.textContent ?? '',
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      })`);
      expect(visit.dialogs).toEqual([]);
      expect(dom.pwned).toBeUndefined();
      expect(dom.scripts).toBe(0);
      expect(dom.handlers).toEqual([]);
      expect(dom.images).toBe(0);
      expect(dom.svgs).toBe(2);
      for (const href of dom.hrefs) expect(href).toMatch(/^(https?:\/\/|#[a-z0-9-]+$)/);
      // The hostile text is shown as text.
      expect(dom.text).toContain(HOSTILE.script);
      expect(dom.text).toContain(HOSTILE.closeSvg);
      expect(dom.text).toContain('{{constructor}}');
      // Long unbroken hostile text wraps; it never widens the page (which would shrink it when printed).
      expect(dom.overflow).toBeLessThanOrEqual(0);
      expect(visit.consoleErrors).toEqual([]);
      expect(visit.requests).toEqual([visit.url]);
      if (variant === 'with CSP') await visit.page.screenshot({ path: join(ARTIFACTS, 'hostile.png'), fullPage: true });
      await visit.page.close();
    }, 60_000);
  }
});
