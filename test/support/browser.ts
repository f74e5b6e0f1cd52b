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
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
];

export interface Visit {
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  readonly url: string;
}

let browser: Browser | undefined;
/**
 * One browser context for every visit: a new context per visit cost a renderer process each (a fifth of a second of
 * Chromium's time). Each visit has a page of its own, which may only load its own file.
 */
let context: BrowserContext | undefined;

export async function startBrowser(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (CI's .ci/run does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  await mkdir(ARTIFACTS, { recursive: true });
}

export async function stopBrowser(): Promise<void> {
  context = undefined;
  await browser?.close();
}

/**
 * Writes the HTML to test-artifacts/ and opens it from disk, with its own Content-Security-Policy in force, recording
 * everything the page tries.
 */
export async function open(name: string, html: string): Promise<Visit> {
  if (context === undefined) throw new Error('Chromium did not start');
  const file = join(ARTIFACTS, `${name}.html`);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  const page = await context.newPage();
  // Nothing but the visited file itself may leave the page; anything else is recorded (below), then refused.
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
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
