// `cnassess rubric validate` and `cnassess rubric show`.

import { resolve } from 'node:path';
import { ExitCode, formatProblem, UsageError, type FileProblem } from '../errors.js';
import { parseRubric } from '../rubric/parse.js';
import { isBuiltIn, loadRubric, readUserFile } from '../source/rubricFile.js';
import { plural, safeText } from '../text.js';
import { questionCount, renderRubric } from '../views/rubric.js';
import type { Rubric } from '../rubric/types.js';
import { printJson, type Context } from './context.js';
import { chooseAssessment, openWorkspace } from './session.js';

export async function validate(ctx: Context, files: readonly string[], options: { json?: boolean }): Promise<number> {
  const results: { file: string; ok: boolean; aspects?: number; questions?: number; problems: FileProblem[] }[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await readUserFile(file, { cwd: ctx.cwd });
    } catch (e) {
      const message = e instanceof UsageError ? e.message.replace(`${file}: `, '') : String(e);
      results.push({ file, ok: false, problems: [{ file, line: 1, col: 1, message, code: 'unreadable', severity: 'error' }] });
      continue;
    }
    const parsed = parseRubric(file, bytes, { builtIn: await isBuiltIn(resolve(ctx.cwd, file)) });
    const r = parsed.rubric;
    results.push({
      file,
      ok: r !== undefined,
      ...(r && { aspects: r.aspects.length, questions: questionCount(r) }),
      problems: [...parsed.problems],
    });
  }

  const errors = results.flatMap((r) => r.problems).filter((p) => p.severity === 'error').length;
  const warnings = results.flatMap((r) => r.problems).length - errors;
  if (options.json) {
    printJson(ctx, { ok: errors === 0, errors, warnings, files: results });
  } else {
    for (const r of results) {
      for (const p of r.problems) (p.severity === 'error' ? ctx.stdout : ctx.stderr).write(`${safeText(formatProblem(p))}\n`);
      if (r.ok) ctx.stdout.write(`ok ${r.file} (${plural(r.aspects ?? 0, 'aspect')}, ${plural(r.questions ?? 0, 'question')})\n`);
    }
    if (errors > 0 || warnings > 0) {
      ctx.stdout.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files.length, 'file')}\n`);
    }
  }
  return errors > 0 ? ExitCode.problems : ExitCode.ok;
}

export async function show(ctx: Context, options: { rubric?: string; assessment?: string; json?: boolean }): Promise<number> {
  if (options.rubric !== undefined && options.assessment !== undefined)
    throw new UsageError('give --rubric (a file) or --assessment (the rubric an assessment was answered with), not both');
  const { rubric, path } =
    options.assessment !== undefined ? await assessmentRubric(ctx, options.assessment) : await fileRubric(ctx, options.rubric);
  if (options.json) {
    printJson(ctx, rubric);
    return ExitCode.ok;
  }
  ctx.stdout.write(renderRubric({ style: ctx.style, columns: ctx.stdout.columns }, rubric, path));
  return ExitCode.ok;
}

async function fileRubric(ctx: Context, file: string | undefined): Promise<{ rubric: Rubric; path: string }> {
  const { rubric, warnings, path } = await loadRubric(file, ctx.cwd);
  for (const w of warnings) ctx.stderr.write(`${safeText(formatProblem(w))}\n`);
  return { rubric, path };
}

/** The rubric an assessment was answered with, from the log: what its question ids and choices are. */
async function assessmentRubric(ctx: Context, id: string): Promise<{ rubric: Rubric; path: string }> {
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const state = chooseAssessment(view, id, 'read');
  return {
    rubric: view.rubrics.get(state.rubric.digest) ?? (await workspace.rubricOf(state)),
    path: `the rubric of ${state.id}, from the log`,
  };
}
