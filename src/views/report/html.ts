// Rendering the view model: HTML through handlebars templates, Markdown in code, JSON as is.
//
// The handlebars environment is isolated (Handlebars.create()), so nothing registered here leaks into,
// or in from, any other user of the library. Templates are compiled once, in strict mode (a field the
// model lacks is an error, not an empty string), and may call only the built-in block helpers
// (if, unless, each, with): no helper of ours holds logic. Everything is escaped by handlebars except
// the two chart SVGs, which src/report/svg.ts builds from escaped text.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { UsageError } from '../../errors.js';
import { TEMPLATES_DIR } from '../../paths.js';
import { readInputFile } from '../../source/inputFile.js';
import type { ReportModel } from './model.js';

export const BUILT_IN_TEMPLATES = TEMPLATES_DIR;

/** The sources of a template set: the page and its partials by name. */
export interface TemplateSources {
  /** Where the sources came from, for error messages. */
  readonly origin: string;
  readonly report: string;
  readonly partials: Readonly<Record<string, string>>;
}

export type HtmlRenderer = (model: ReportModel) => string;

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { if: true, unless: true, each: true, with: true, lookup: false, log: false },
  preventIndent: true,
} as const;

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

/** Compiles a template set once into an isolated environment. Syntax errors name the file. */
export function compileTemplates(sources: TemplateSources): HtmlRenderer {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  env.unregisterHelper('lookup');
  const compile = (source: string, file: string) => {
    try {
      // Parsing here surfaces syntax errors now, with the file's name, rather than on first render.
      env.parse(source);
    } catch (e) {
      throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return env.compile(source, COMPILE_OPTIONS);
  };
  for (const [name, source] of Object.entries(sources.partials))
    env.registerPartial(name, compile(source, join(sources.origin, 'partials', `${name}.hbs`)));
  const page = compile(sources.report, join(sources.origin, 'report.hbs'));
  return (model) => {
    try {
      return page(model);
    } catch (e) {
      // Strict mode: a template asked for a field the view model does not have.
      throw new UsageError(
        `the report templates in ${sources.origin} do not fit the view model: ${e instanceof Error ? e.message : String(e)} (the view model is described in the README, section "The report")`,
      );
    }
  };
}

let builtInRenderer: Promise<HtmlRenderer> | undefined;

/** The built-in templates, compiled once per process. */
export function builtInHtmlRenderer(): Promise<HtmlRenderer> {
  builtInRenderer ??= loadTemplates().then(compileTemplates);
  return builtInRenderer;
}

export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
