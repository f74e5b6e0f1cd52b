// `cnassess report`: the leadership report as one HTML file (or Markdown, or the JSON view model).

import { CSV_HEADER, renderRoadmapCsv } from '../views/report/csv.js';
import { join, relative, resolve } from 'node:path';
import { seriesOf } from '../assessment/state.js';
import { ExitCode, UsageError } from '../errors.js';
import { portfolioFileName, reportFileName } from '../views/escape.js';
import { buildPortfolio, latestPeriodOf, sameOrg } from '../compare/portfolio.js';
import type { Quarter } from '../compare/compare.js';
import { buildPortfolioModel } from '../views/portfolio/model.js';
import { renderPortfolioMarkdown } from '../views/portfolio/markdown.js';
import type { LogView } from '../assessment/projection.js';
import type { Workspace } from '../workspace.js';
import { renderMarkdown } from '../views/report/markdown.js';
import { buildReportModel, relatedAssessments, type Assessed } from '../views/report/model.js';
import { isStdout, writeOutput } from '../source/outputFile.js';
import type { HtmlPages } from '../views/html.js';
import { renderJson } from '../views/json.js';
import { didYouMean, safeText } from '../text.js';
import type { Context } from './context.js';
import { chooseAssessment, openWorkspace, parseAsOf } from './session.js';

export type ReportFormat = 'html' | 'md' | 'json' | 'csv';
const FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv'];

export interface ReportOptions {
  /** Where to write: a path, or "-" for stdout. Default: cnassess-report-<org>-<scope>-<period>.<ext> in the current directory. */
  readonly output?: string;
  /** html (default), md or json. */
  readonly format?: string;
  /** A folder of templates laid over the built-in ones (HTML only). */
  readonly template?: string;
  /** Replay the log as of a date, timestamp or seq number. */
  readonly asOf?: string;
  /** With no id: the portfolio of this org's scopes. */
  readonly org?: string;
  /** With --org: which period (default: the org's latest). */
  readonly period?: string;
}

export async function report(ctx: Context, id: string | undefined, o: ReportOptions): Promise<number> {
  const format = parseFormat(o.format);
  if (o.template !== undefined && format !== 'html')
    throw new UsageError(`--template applies to HTML only; drop it, or use --format html (got --format ${format})`);
  // Templates first: a broken custom template should fail before anything is read or written. The template engine is
  // loaded for HTML only: the other formats start without it.
  const pages =
    format === 'html'
      ? await (await import('../source/templateFiles.js')).htmlPages(o.template === undefined ? undefined : resolve(ctx.cwd, o.template))
      : undefined;

  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view(o.asOf !== undefined ? parseAsOf(o.asOf) : undefined);
  if (o.period !== undefined && o.org === undefined)
    throw new UsageError(
      '--period goes with --org (the portfolio of an org in a period); for one assessment, give its id or period as the argument',
    );
  if (o.org !== undefined) {
    if (id !== undefined) throw new UsageError('give either an assessment id or --org (the portfolio of all its scopes), not both');
    return portfolio(ctx, workspace, view, o.org, o.period, format, pages, o.output);
  }
  const state = chooseAssessment(view, id, 'read');
  const rubricOf = async (s: typeof state) => view.rubrics.get(s.rubric.digest) ?? (await workspace.rubricOf(s));
  const all: Assessed[] = [];
  for (const s of view.assessments.values()) {
    // Only this org and scope matter; a rubric missing for another assessment must not stop the report.
    if (seriesOf(s) !== seriesOf(state)) continue;
    all.push({ state: s, rubric: await rubricOf(s) });
  }
  const model = buildReportModel({
    rubric: await rubricOf(state),
    state,
    ...relatedAssessments(all, state),
    generatedAt: ctx.now().toISOString(),
    ...(o.asOf !== undefined && { asOf: o.asOf }),
  });
  const text =
    format === 'json'
      ? renderJson(model)
      : format === 'csv'
        ? renderRoadmapCsv(model)
        : format === 'md' || pages === undefined
          ? renderMarkdown(model)
          : pages.report(model);

  const { answered: done, applicable, complete } = model.progress;
  const unfinished = `; ${complete ? '' : state.status === 'open' ? 'unfinished: ' : 'completed with '}${done} of ${applicable} applicable questions answered`;
  if (o.output !== undefined && isStdout(o.output)) {
    ctx.stdout.write(text);
    ctx.stderr.write(`report of ${state.id}${unfinished}\n`);
    return ExitCode.ok;
  }
  const path =
    o.output !== undefined ? resolve(ctx.cwd, o.output) : join(ctx.cwd, reportFileName(state.org, state.scope, state.period, format));
  // A roadmap CSV names its assessment only in its rows, and an empty roadmap has none: its header marks it.
  const { replacedOther } = await writeOutput(path, text, ctx.newId(), 'the report', {
    identity: format === 'csv' ? CSV_HEADER : state.id,
    defaultName: o.output === undefined,
  });
  const shown = relative(ctx.cwd, path);
  if (replacedOther)
    ctx.stderr.write(
      `note: replaced ${safeText(shown === '' || shown.startsWith('..') ? path : shown)}, which was not a report of ${state.id}\n`,
    );
  ctx.stderr.write(`wrote ${safeText(shown === '' || shown.startsWith('..') ? path : shown)} (report of ${state.id}${unfinished})\n`);
  return ExitCode.ok;
}

function parseFormat(format: string | undefined): ReportFormat {
  if (format === undefined) return 'html';
  const f = format.toLowerCase() === 'markdown' ? 'md' : format.toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as ReportFormat;
  throw new UsageError(
    `--format "${safeText(format)}" is not one of html, md, json, csv (for example: cnassess report --format md -o report.md)`,
  );
}

/** `report --org ORG [--period P]`: every scope of the org in that period, side by side. */
async function portfolio(
  ctx: Context,
  workspace: Workspace,
  view: LogView,
  org: string,
  period: string | undefined,
  format: ReportFormat,
  pages: HtmlPages | undefined,
  output: string | undefined,
): Promise<number> {
  if (format === 'csv') throw new UsageError('--format csv is the roadmap of one assessment; the portfolio is html, md or json');
  const all: Quarter[] = [];
  for (const s of view.assessments.values()) {
    if (!sameOrg(s, org)) continue;
    all.push({ state: s, rubric: view.rubrics.get(s.rubric.digest) ?? (await workspace.rubricOf(s)) });
  }
  if (all.length === 0) {
    const orgs = [...new Set([...view.assessments.values()].map((s) => s.org))];
    throw new UsageError(
      `no assessment of "${safeText(org)}" in this store${didYouMean(org, orgs)}${orgs.length > 0 ? ` (orgs: ${orgs.map(safeText).join(', ')})` : ''}`,
    );
  }
  const chosen = period?.toUpperCase() ?? latestPeriodOf(all, org) ?? '';
  if (!all.some((q) => q.state.period.toUpperCase() === chosen)) {
    const periods = [...new Set(all.map((q) => q.state.period))].sort();
    throw new UsageError(`${safeText(all[0]?.state.org ?? org)} has no assessment in ${safeText(chosen)} (periods: ${periods.join(', ')})`);
  }
  const model = buildPortfolioModel(buildPortfolio(all, org, chosen, [...view.rubrics.values()]), ctx.now().toISOString());
  const text =
    format === 'json'
      ? renderJson(model)
      : format === 'md' || pages === undefined
        ? renderPortfolioMarkdown(model)
        : pages.portfolio(model);
  const what = `portfolio of ${model.org} in ${model.period}: ${model.subtitle.split(' · ').at(-1) ?? ''}`;
  if (output !== undefined && isStdout(output)) {
    ctx.stdout.write(text);
    ctx.stderr.write(`${safeText(what)}\n`);
    return ExitCode.ok;
  }
  const path = output !== undefined ? resolve(ctx.cwd, output) : join(ctx.cwd, portfolioFileName(model.org, model.period, format));
  const { replacedOther } = await writeOutput(path, text, ctx.newId(), 'the portfolio', {
    identity: model.id,
    defaultName: output === undefined,
  });
  const shown = relative(ctx.cwd, path);
  if (replacedOther)
    ctx.stderr.write(
      `note: replaced ${safeText(shown === '' || shown.startsWith('..') ? path : shown)}, which was not the portfolio ${model.id}\n`,
    );
  ctx.stderr.write(`wrote ${safeText(shown === '' || shown.startsWith('..') ? path : shown)} (${safeText(what)})\n`);
  return ExitCode.ok;
}
