// `cnassess report`: the leadership report as one HTML file (or Markdown, or the JSON view model).

import { lstat, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { seriesOf } from '../assessment/state.js';
import { ExitCode, UsageError } from '../errors.js';
import { reportFileName } from '../views/escape.js';
import { renderMarkdown } from '../views/report/markdown.js';
import { buildReportModel, relatedAssessments, type Assessed } from '../views/report/model.js';
import { builtInHtmlPages, loadTemplates } from '../source/templateFiles.js';
import { compileTemplates, renderJson } from '../views/html.js';
import { safeText } from '../text.js';
import type { Context } from './context.js';
import { chooseAssessment, openWorkspace, parseAsOf } from './session.js';

export type ReportFormat = 'html' | 'md' | 'json';
const FORMATS: readonly ReportFormat[] = ['html', 'md', 'json'];

export interface ReportOptions {
  /** Where to write: a path, or "-" for stdout. Default: cnassess-report-<org>-<scope>-<period>.<ext> in the current directory. */
  readonly output?: string;
  /** html (default), md or json. */
  readonly format?: string;
  /** A folder of templates laid over the built-in ones (HTML only). */
  readonly template?: string;
  /** Replay the log as of a date, timestamp or seq number. */
  readonly asOf?: string;
}

export async function report(ctx: Context, id: string | undefined, o: ReportOptions): Promise<number> {
  const format = parseFormat(o.format);
  if (o.template !== undefined && format !== 'html')
    throw new UsageError(`--template applies to HTML only; drop it, or use --format html (got --format ${format})`);
  // Templates first: a broken custom template should fail before anything is read or written.
  const pages =
    format !== 'html'
      ? undefined
      : o.template === undefined
        ? await builtInHtmlPages()
        : compileTemplates(await loadTemplates(resolve(ctx.cwd, o.template)));

  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view(o.asOf !== undefined ? parseAsOf(o.asOf) : undefined);
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
  const text = format === 'json' ? renderJson(model) : format === 'md' || pages === undefined ? renderMarkdown(model) : pages.report(model);

  const { answered: done, applicable, complete } = model.progress;
  const unfinished = `; ${complete ? '' : state.status === 'open' ? 'unfinished: ' : 'completed with '}${done} of ${applicable} applicable questions answered`;
  // /dev/stdout may be a socket (as under many process supervisors), which cannot be opened by name: write to it.
  if (o.output === '-' || o.output === '/dev/stdout' || o.output === '/dev/fd/1' || o.output === '/proc/self/fd/1') {
    ctx.stdout.write(text);
    ctx.stderr.write(`report of ${state.id}${unfinished}\n`);
    return ExitCode.ok;
  }
  const path =
    o.output !== undefined ? resolve(ctx.cwd, o.output) : join(ctx.cwd, reportFileName(state.org, state.scope, state.period, format));
  await writeOutput(path, text, ctx.newId());
  const shown = relative(ctx.cwd, path);
  ctx.stderr.write(`wrote ${safeText(shown === '' || shown.startsWith('..') ? path : shown)} (report of ${state.id}${unfinished})\n`);
  return ExitCode.ok;
}

function parseFormat(format: string | undefined): ReportFormat {
  if (format === undefined) return 'html';
  const f = format.toLowerCase() === 'markdown' ? 'md' : format.toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as ReportFormat;
  throw new UsageError(
    `--format "${safeText(format)}" is not one of html, md, json (for example: cnassess report --format md -o report.md)`,
  );
}

/**
 * Writes the report to `path` as a user expects of `-o`: a regular file (or none yet) is replaced atomically, so a
 * reader never sees half a report; a symbolic link is written through to its target, never replaced; a character
 * device or a FIFO (`/dev/stdout`, `/dev/null`, a pipe) is written to in place.
 */
async function writeOutput(path: string, text: string, unique: string): Promise<void> {
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : code === 'ENOSPC'
              ? 'disk full'
              : String(code ?? e);
    throw new UsageError(`${safeText(path)}: cannot write the report: ${why}`);
  };
  const link = await lstat(path).catch((e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fail(e)));
  if (link === undefined || link.isFile()) return writeAtomically(path, text, unique);
  const target = await stat(path).catch((e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fail(e)));
  if (target?.isDirectory()) throw new UsageError(`${safeText(path)}: cannot write the report: it is a folder`);
  if (target?.isBlockDevice()) throw new UsageError(`${safeText(path)}: cannot write the report: it is a disk (a block device)`);
  if (target?.isFile()) {
    const real = await realpath(path).catch(fail);
    // /dev/stdout → /proc/self/fd/1 → a file the shell opened: write through the open file, as a redirect expects.
    if (!/^\/(proc|dev)\//.test(real)) return writeAtomically(real, text, unique);
  }
  try {
    await writeFile(path, text, 'utf8'); // in place: a device, a FIFO, a new file behind a dangling link
  } catch (e) {
    fail(e);
  }
}

/** Writes next to the target and renames over it, so a reader never sees half a report. */
async function writeAtomically(path: string, text: string, unique: string): Promise<void> {
  const temp = join(dirname(path), `.cnassess-report-${unique.replace(/[^A-Za-z0-9-]/g, '')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${safeText(path)}: cannot write the report: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? e)}`,
    );
  }
}
