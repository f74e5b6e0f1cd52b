// Rendering the view model: HTML through handlebars templates (read by source/templateFiles.ts), JSON as is.
//
// The handlebars environment is isolated (Handlebars.create()), so nothing registered here leaks into,
// or in from, any other user of the library. Templates are compiled once, in strict mode (a field the
// model lacks is an error, not an empty string), and may call only the built-in block helpers
// (if, unless, each, with): no helper of ours holds logic. Everything is escaped by handlebars except
// the two chart SVGs, which src/report/svg.ts builds from escaped text.

import { join } from 'node:path';
import Handlebars from 'handlebars';
import { UsageError } from '../../errors.js';
import type { ReportModel } from './model.js';

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

export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
