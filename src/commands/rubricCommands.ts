// `cnassess rubric validate`, `rubric show`, `rubric diff` and `rubric import`.

import { resolve } from 'node:path';
import { ExitCode, formatProblem, InvalidFileError, UsageError, type FileProblem } from '../errors.js';
import { isStdout, writeOutput } from '../source/outputFile.js';
import { parseYamlSource } from '../source/yamlSource.js';
import { nounsOf } from '../rubric/levels.js';
import { parseRubric } from '../rubric/parse.js';
import { isBuiltIn, loadRubric, readUserFile } from '../source/rubricFile.js';
import { plural, safeText, wrap } from '../text.js';
import { changeLines, diffRubrics } from '../compare/rubricDiff.js';
import { rubricRef } from '../rubric/ref.js';
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

/** The maturity models `rubric import --from` reads, what their files are, and the importer of each. */
const MODEL_SOURCES = {
  'aws-lens': {
    json: true,
    headerDocument: false,
    what: 'the lens',
    load: async () => (await import('../models/awsLens.js')).importAwsLens,
  },
  pemm: { json: false, headerDocument: false, what: 'the model', load: async () => (await import('../models/pemm.js')).importPemm },
  // DSOMM's model.yaml starts with a `meta` document (its version) before the model.
  dsomm: { json: false, headerDocument: true, what: 'the model', load: async () => (await import('../models/dsomm.js')).importDsomm },
} as const;

/**
 * `cnassess rubric import --from aws-lens FILE`: another model's file as a cnassess rubric, written as YAML. What the
 * importer had to invent is said on stderr; a source with problems gets each at its place; the rubric written is
 * validated as `rubric validate` would, so an import never yields a file cnassess then refuses.
 */
export async function importModel(ctx: Context, file: string, o: { from?: string; output?: string }): Promise<number> {
  const model =
    o.from !== undefined && Object.hasOwn(MODEL_SOURCES, o.from) ? MODEL_SOURCES[o.from as keyof typeof MODEL_SOURCES] : undefined;
  if (model === undefined)
    throw new UsageError(
      `rubric import needs --from, one of: ${Object.keys(MODEL_SOURCES).join(', ')}${o.from !== undefined ? ` (not "${safeText(o.from)}")` : ''}`,
    );
  const bytes = await readUserFile(file, { cwd: ctx.cwd });
  // JSON is YAML: the YAML reader, in its JSON mode, gives positions and refuses what JSON does not allow (NaN).
  const source = parseYamlSource(file, bytes, { json: model.json, headerDocument: model.headerDocument });
  if (source.problems.length > 0)
    throw new InvalidFileError(
      source.problems,
      `${file} is not a ${model.json ? 'JSON' : 'YAML'} file cnassess can read; nothing was written`,
    );
  const result = (await model.load())(source.value, file, (pointer) => source.locate(pointer), source.header);
  if (result.rubric === undefined)
    throw new InvalidFileError(result.problems, `${plural(result.problems.length, 'problem')} in ${file}; nothing was written`);
  const { stringify } = await import('yaml');
  const yaml =
    '# yaml-language-server: $schema=https://github.com/cnassess/cnassess/rubric/rubric.schema.json\n' +
    // The file's name is the user's: control characters (a line break would end the comment) become "?".
    `# Imported by \`cnassess rubric import --from ${o.from}\` from ${(file.split(/[\\/]/).pop() ?? file).replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?')}. Each sourceId is the id in ${model.what}.\n` +
    stringify(result.rubric, { lineWidth: 0, aliasDuplicateObjects: false });
  const parsed = parseRubric(o.output ?? 'imported.yaml', Buffer.from(yaml, 'utf8'), { builtIn: false });
  // What the importer could not foresee in a source still gets a clear refusal, never a crash: the rubric it would
  // write does not validate, and each reason is named (at its place in that rubric, which is not written).
  if (parsed.rubric === undefined)
    throw new InvalidFileError(
      parsed.problems.filter((p) => p.severity === 'error'),
      `cnassess cannot turn ${file} into a rubric that validates (the reasons above, in the rubric it would write); nothing was written`,
    );
  for (const note of result.notes) ctx.stderr.write(`cnassess: ${oneLine(note)}\n`);
  const warnings = parsed.problems.filter((p) => p.severity === 'warning').length;
  const summary = `${plural(parsed.rubric.aspects.length, nounsOf(parsed.rubric).aspect, nounsOf(parsed.rubric).aspects)}, ${plural(questionCount(parsed.rubric), 'question')}${warnings > 0 ? `; ${plural(warnings, 'warning')} from \`rubric validate\`` : ''}`;
  if (o.output === undefined || isStdout(o.output)) {
    ctx.stdout.write(yaml);
    ctx.stderr.write(`imported ${oneLine(parsed.rubric.title)} (${summary})\n`);
    return ExitCode.ok;
  }
  const path = resolve(ctx.cwd, o.output);
  await writeOutput(path, yaml, ctx.newId(), 'the rubric');
  ctx.stderr.write(
    `wrote ${safeText(o.output)}: ${oneLine(parsed.rubric.title)} (${summary}); check it with \`cnassess rubric validate ${safeText(o.output)}\`\n`,
  );
  return ExitCode.ok;
}

/** Source text in a one-line message: safe for the terminal, and unable to start a line of its own. */
function oneLine(text: string): string {
  return safeText(text).replace(/[\n\t]/g, ' ');
}

export async function rubricDiff(ctx: Context, oldFile: string, newFile: string, o: { json?: boolean }): Promise<number> {
  const older = await loadRubric(oldFile, ctx.cwd);
  const newer = await loadRubric(newFile, ctx.cwd);
  for (const w of [...older.warnings, ...newer.warnings]) ctx.stderr.write(`${safeText(formatProblem(w))}\n`);
  const result = diffRubrics(older.rubric, newer.rubric);
  const notices = rubricNotices(older.rubric, newer.rubric, result.changes.length);
  if (o.json) {
    printJson(ctx, {
      from: { file: oldFile, ...rubricRef(older.rubric) },
      to: { file: newFile, ...rubricRef(newer.rubric) },
      counts: result.counts,
      notices,
      matched: result.match.pairs,
      changes: result.changes,
    });
    return ExitCode.ok;
  }
  for (const n of notices) ctx.stderr.write(`cnassess: ${n}\n`);
  const head = `${result.from.id} ${result.from.version} → ${result.to.id} ${result.to.version}`;
  if (result.changes.length === 0) {
    ctx.stdout.write(`${head}: no changes\n`);
    return ExitCode.ok;
  }
  const summary = `${head}: ${plural(result.counts.total, 'change')}; the ${result.counts.affectsScoring} marked ! can move levels or scores`;
  const lines = [...wrap(summary, ctx.stdout.columns, ''), ''];
  for (const line of changeLines(result.changes)) {
    const indent = line.text.startsWith('  ') ? '      ' : '    ';
    lines.push(...wrap(safeText(line.text.trimStart()), ctx.stdout.columns, line.scoring ? '  ! ' : indent, indent));
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

function rubricNotices(older: Rubric, newer: Rubric, changes: number): string[] {
  const notices: string[] = [];
  if (older.id !== newer.id) notices.push(`the rubrics have different ids (${older.id}, ${newer.id}); questions are matched by id anyway`);
  if (changes > 0 && older.version === newer.version) {
    notices.push(
      `both files say version ${newer.version} but differ; bump the version in the new one, so each quarter records which rubric it used`,
    );
  }
  return notices;
}
