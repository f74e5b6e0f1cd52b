// Reading the HTML templates: the built-in set in templates/, and a company's folder laid over it. The files are read
// here; views/html.ts compiles and renders them.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { TEMPLATES_DIR } from '../paths.js';
import { compileTemplates, type HtmlPages, type TemplateSources } from '../views/html.js';
import { readInputFile } from './inputFile.js';

export const BUILT_IN_TEMPLATES = TEMPLATES_DIR;

const PARTIAL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A template file: a regular file of at most 2 MB, as text. */
async function readTemplate(path: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false }).decode(await readInputFile(path));
}

const PAGES = ['report', 'diff', 'portfolio'] as const;
type PageSources = Partial<Record<(typeof PAGES)[number], string>>;

/** Reads the pages (report.hbs, diff.hbs, portfolio.hbs) and partials/*.hbs from a folder. A missing page or partial is left out. */
export async function readTemplateDir(dir: string): Promise<PageSources & { partials: Record<string, string> }> {
  const pages: PageSources = {};
  for (const name of PAGES) {
    const file = join(dir, `${name}.hbs`);
    if (existsSync(file)) pages[name] = await readTemplate(file);
  }
  const partials: Record<string, string> = {};
  let names: string[] = [];
  try {
    names = await readdir(join(dir, 'partials'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new UsageError(`${join(dir, 'partials')}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  for (const file of names.sort()) {
    const name = basename(file, '.hbs');
    if (!file.endsWith('.hbs') || !PARTIAL_NAME.test(name)) continue;
    partials[name] = await readTemplate(join(dir, 'partials', file));
  }
  return { ...pages, partials };
}

/**
 * The template set to use: the built-in one, or a company's folder laid over it — each of its pages (report.hbs,
 * diff.hbs) replaces ours when present, and each of its partials replaces ours of the same name.
 */
export async function loadTemplates(customDir?: string): Promise<TemplateSources> {
  const builtIn = await readTemplateDir(BUILT_IN_TEMPLATES);
  if (builtIn.report === undefined || builtIn.diff === undefined || builtIn.portfolio === undefined)
    throw new Error(`the built-in templates are missing from ${BUILT_IN_TEMPLATES}`);
  const base = {
    origin: BUILT_IN_TEMPLATES,
    report: builtIn.report,
    diff: builtIn.diff,
    portfolio: builtIn.portfolio,
    partials: builtIn.partials,
  };
  if (customDir === undefined) return base;
  const custom = await readTemplateDir(customDir);
  if (
    custom.report === undefined &&
    custom.diff === undefined &&
    custom.portfolio === undefined &&
    Object.keys(custom.partials).length === 0
  ) {
    throw new UsageError(
      `--template ${customDir}: no report.hbs, diff.hbs, portfolio.hbs or partials/*.hbs there; copy the built-in templates from ${BUILT_IN_TEMPLATES} and edit them`,
    );
  }
  return {
    origin: customDir,
    report: custom.report ?? base.report,
    diff: custom.diff ?? base.diff,
    portfolio: custom.portfolio ?? base.portfolio,
    partials: { ...base.partials, ...custom.partials },
  };
}

let builtInPages: Promise<HtmlPages> | undefined;

/** The built-in templates, compiled once per process. */
export function builtInHtmlPages(): Promise<HtmlPages> {
  builtInPages ??= loadTemplates().then(compileTemplates);
  return builtInPages;
}

/** The pages to render with: the built-in ones, or a company's folder of templates laid over them. */
export async function htmlPages(customDir?: string): Promise<HtmlPages> {
  return customDir === undefined ? builtInHtmlPages() : compileTemplates(await loadTemplates(customDir));
}
