// Every HTML page cnassess writes — the report and the diff — rendered one way: handlebars templates (read by
// source/templateFiles.ts) over a view model, with one escaping stack.
//
// The handlebars environment is isolated (Handlebars.create()), so nothing registered here leaks into,
// or in from, any other user of the library. Templates are compiled once, in strict mode (a field the
// model lacks is an error, not an empty string), and may call only the built-in block helpers
// (if, unless, each, with): no helper of ours holds logic. Before rendering, control and bidirectional-override
// characters in every string of the model become U+FFFD (views/escape.ts); handlebars then escapes everything except
// the chart SVGs, which views/svg.ts builds from escaped text. Every page carries the same Content-Security-Policy
// (partials/page-head.hbs): no script, no request.

import { join } from 'node:path';
import Handlebars from 'handlebars';
import { UsageError } from '../errors.js';
import type { DiffPage } from './diff/page.js';
import type { PortfolioModel } from './portfolio/model.js';
import { portfolioPage, type PortfolioPage } from './portfolio/page.js';
import { withoutControls } from './escape.js';
import type { ReportModel } from './report/model.js';
import { reportPage, type ReportPage } from './report/page.js';

/** The sources of a template set: the pages and their partials by name. */
export interface TemplateSources {
  /** Where the sources came from, for error messages. */
  readonly origin: string;
  readonly report: string;
  readonly diff: string;
  readonly portfolio: string;
  readonly partials: Readonly<Record<string, string>>;
}

export interface HtmlPages {
  readonly report: (model: ReportModel) => string;
  readonly diff: (page: DiffPage) => string;
  readonly portfolio: (model: PortfolioModel) => string;
}

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { if: true, unless: true, each: true, with: true, lookup: false, log: false },
  preventIndent: true,
} as const;

/** Compiles a template set once into an isolated environment. Syntax errors name the file. */
export function compileTemplates(sources: TemplateSources): HtmlPages {
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
  const page = <M>(file: string, source: string) => {
    const template = compile(source, join(sources.origin, file));
    return (model: M): string => {
      try {
        return template(withoutControls(model));
      } catch (e) {
        // Strict mode: a template asked for a field the view model does not have.
        throw new UsageError(
          `the templates in ${sources.origin} do not fit the view model (${file}): ${e instanceof Error ? e.message : String(e)} (the view model is described in the README, section "The report")`,
        );
      }
    };
  };
  const portfolio = page<PortfolioPage>('portfolio.hbs', sources.portfolio);
  const report = page<ReportPage>('report.hbs', sources.report);
  return {
    report: (model) => report(reportPage(model)),
    diff: page<DiffPage>('diff.hbs', sources.diff),
    portfolio: (model) => portfolio(portfolioPage(model)),
  };
}
