// Headless Chromium for the HTML pages (Debian's `chromium`, driven by playwright-core), and axe-core for WCAG.
// Tests that use it FAIL when /usr/bin/chromium is missing: CI installs it (`apt-get install -y chromium`).
// Artifacts — the HTML, screenshots and PDFs — are kept in test-artifacts/ for people to look at. Screenshots are of
// the first screen only: a full-page one of the 38 000-pixel report took 4 s of Chromium's time and asserts nothing;
// the whole page is the HTML beside it, which opens in any browser.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A key that scrolls moves the page at once, not in an animation of many frames that a test would wait out.
  '--disable-smooth-scrolling',
];

export interface Visit {
  /** The page, while it shows this visit's file: reading it after another open() throws. */
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  readonly url: string;
}

let browser: Browser | undefined;
const VIEWPORT = { width: 1100, height: 1400 };
/**
 * One page for every visit, navigated from file to file. A page of its own for each visit cost a fifth more of
 * Chromium's time (browser.test.ts, three runs each: 14.7–15.8 against 12.4–12.8 CPU-s): each page had a renderer of
 * its own, which compiled axe-core anew. A new browser context per visit cost more still.
 */
let page: Page | undefined;
/** The visit the page shows. */
let current: Visit | undefined;
/**
 * Every visit by its file's URL: what a page does is recorded for the visit of the document that did it, also when
 * it arrives after the next page was opened (the old document's last console error, a request it made as it went).
 */
const visitsByUrl = new Map<string, Visit>();
const visitOf = (url: string | undefined): Visit | undefined => (url === undefined ? undefined : visitsByUrl.get(url)) ?? current;

export async function startBrowser(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (CI's .ci/run does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT });
  page = await context.newPage();
  // Nothing but the visited file itself may leave the page; anything else is recorded (below), then refused.
  await page.route('**/*', (route) => (route.request().url() === current?.url ? route.continue() : route.abort()));
  page.on('console', (m) => {
    if (m.type() === 'error') visitOf(m.location().url)?.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => current?.consoleErrors.push(e.message));
  // A page's own file is asked for while the tab still shows the page before it: it is the new visit's request.
  page.on('request', (r) => (visitsByUrl.get(r.url()) ?? visitOf(r.frame().url()))?.requests.push(r.url()));
  page.on('dialog', (d) => {
    visitOf(d.page()?.url())?.dialogs.push(d.message());
    void d.dismiss();
  });
  await mkdir(ARTIFACTS, { recursive: true });
}

export async function stopBrowser(): Promise<void> {
  page = undefined;
  current = undefined;
  visitsByUrl.clear();
  await browser?.close();
}

/** Whether the page still shows `visit`'s file. */
export function showing(visit: Visit): boolean {
  return current === visit;
}

/**
 * Writes the HTML to test-artifacts/ and opens it from disk in the page, with its own Content-Security-Policy in
 * force, recording everything the page tries. The visit before it is over: its page is gone.
 */
export async function open(name: string, html: string): Promise<Visit> {
  const shown = page;
  if (shown === undefined) throw new Error('Chromium did not start');
  const file = join(ARTIFACTS, `${name}.html`);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const visit: Visit = {
    get page(): Page {
      if (!showing(visit)) throw new Error(`${name}.html is no longer open: another page was opened after it`);
      return shown;
    },
    consoleErrors: [],
    requests: [],
    dialogs: [],
    url,
  };
  // What a test set on the tab and could not put back (it failed, or timed out) is not carried to the next page.
  const { width, height } = shown.viewportSize() ?? VIEWPORT;
  if (width !== VIEWPORT.width || height !== VIEWPORT.height) await shown.setViewportSize(VIEWPORT);
  await shown.emulateMedia({ media: null });
  current = visit;
  visitsByUrl.set(url, visit);
  await shown.goto(url, { waitUntil: 'load' });
  return visit;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeResult {
  /** Violations of the WCAG 2.0/2.1 A and AA rules, one line each: rule, impact, and the first offending elements. */
  readonly violations: string[];
  /** How many rules ran and found something to check: a run that checked nothing proves nothing. */
  readonly passes: number;
}

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page as it is, its Content-Security-Policy in force. axe's source is
 * evaluated through the DevTools protocol, which the policy does not govern, and adds no element to the page; what
 * axe does later runs under the policy, and anything it blocked would be a console error, which the tests check. The
 * rules run without naming the elements they check (a CSS selector for each took a fifth of the run on the larger
 * reports); only a page with a violation is checked again to name the offending elements.
 */
export async function axe(visit: Visit): Promise<AxeResult> {
  await visit.page.evaluate(`${AXE_SOURCE}\n;undefined`);
  return visit.page.evaluate<AxeResult>(`(async () => {
    const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] };
    let r = await axe.run(document, { ...options, selectors: false });
    if (r.violations.length > 0) {
      const named = await axe.run(document, options);
      if (named.violations.length > 0) r = named;
    }
    return {
      violations: r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => (n.target ?? ['?']).join(' ')).join(', ')),
      passes: r.passes.length,
    };
  })()`);
}

export function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}
