// Reading report templates: the built-in set in templates/, and a company's folder laid over it. The files are read
// here; views/report/html.ts compiles and renders them.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { TEMPLATES_DIR } from '../paths.js';
import { compileTemplates, type HtmlRenderer, type TemplateSources } from '../views/report/html.js';
import { readInputFile } from './inputFile.js';

export const BUILT_IN_TEMPLATES = TEMPLATES_DIR;

const PARTIAL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A template file: a regular file of at most 2 MB, as text. */
async function readTemplate(path: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false }).decode(await readInputFile(path));
}

/** Reads report.hbs and partials/*.hbs from a folder. A missing report.hbs or partial is left out. */
export async function readTemplateDir(dir: string): Promise<{ report?: string; partials: Record<string, string> }> {
  const reportFile = join(dir, 'report.hbs');
  const report = existsSync(reportFile) ? await readTemplate(reportFile) : undefined;
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
  return { ...(report !== undefined && { report }), partials };
}

/**
 * The template set to use: the built-in one, or a company's folder laid over it — its report.hbs
 * replaces ours when present, and each of its partials replaces ours of the same name.
 */
export async function loadTemplates(customDir?: string): Promise<TemplateSources> {
  const builtIn = await readTemplateDir(BUILT_IN_TEMPLATES);
  if (builtIn.report === undefined) throw new Error(`the built-in templates are missing from ${BUILT_IN_TEMPLATES}`);
  if (customDir === undefined) return { origin: BUILT_IN_TEMPLATES, report: builtIn.report, partials: builtIn.partials };
  const custom = await readTemplateDir(customDir);
  if (custom.report === undefined && Object.keys(custom.partials).length === 0) {
    throw new UsageError(
      `--template ${customDir}: no report.hbs and no partials/*.hbs there; copy the built-in templates from ${BUILT_IN_TEMPLATES} and edit them`,
    );
  }
  return { origin: customDir, report: custom.report ?? builtIn.report, partials: { ...builtIn.partials, ...custom.partials } };
}

let builtInRenderer: Promise<HtmlRenderer> | undefined;

/** The built-in templates, compiled once per process. */
export function builtInHtmlRenderer(): Promise<HtmlRenderer> {
  builtInRenderer ??= loadTemplates().then(compileTemplates);
  return builtInRenderer;
}
