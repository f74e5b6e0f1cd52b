// `cnassess import FILE` (an answers file, or the Well-Architected Tool's answers) and `cnassess export [ID]`.

import { dirname, join, relative, resolve } from 'node:path';
import { answersFileText, parseAnswersFile, planImport } from '../answers/answersFile.js';
import type { AssessmentCommand } from '../assessment/decider.js';
import { locateAssessment } from '../assessment/state.js';
import { ExitCode, InvalidFileError, UsageError, type FileProblem } from '../errors.js';
import { rubricRef } from '../rubric/ref.js';
import { RUBRIC_DIR } from '../paths.js';
import { isStdout, writeOutput } from '../source/outputFile.js';
import { loadRubric, readUserFile } from '../source/rubricFile.js';
import type { Rubric } from '../rubric/types.js';
import { plural, safeText } from '../text.js';
import { printJson, type Context } from './context.js';
import { chooseAssessment, defaultRespondent, findAssessment, openWorkspace } from './session.js';
import { parseYamlSource } from '../source/yamlSource.js';

export async function importAnswers(
  ctx: Context,
  path: string,
  o: { rubric?: string; json?: boolean; from?: string; assessment?: string; respondent?: string },
): Promise<number> {
  if (o.from !== undefined) {
    if (o.from !== 'aws-wa')
      throw new UsageError(`import --from: cnassess reads aws-wa (the Well-Architected Tool's answers), not "${safeText(o.from)}"`);
    return importAwsAnswers(ctx, path, o);
  }
  const parsed = parseAnswersFile(path, await readUserFile(path, { cwd: ctx.cwd }));
  if (!parsed.file) throw new InvalidFileError(parsed.problems, `${path} is not a valid answers file; nothing was recorded`);
  const file = parsed.file;
  const refuse = (problems: readonly FileProblem[]) =>
    new InvalidFileError(
      [...problems].sort((a, b) => a.line - b.line || a.col - b.col),
      `${plural(problems.length, 'problem')} in ${path}; nothing was recorded`,
    );
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();

  let id: string;
  let rubric: Rubric;
  let start: AssessmentCommand | undefined;
  if ('id' in file.assessment) {
    id = file.assessment.id.toLowerCase();
    const state = view.assessments.get(id);
    if (!state) {
      const at = parsed.source.locate('/assessment/id');
      throw refuse([
        ...parsed.problems,
        {
          file: path,
          ...at,
          message: `no assessment "${file.assessment.id}" in the store (see \`cnassess list\`); give org, scope and period to create one`,
          pointer: '/assessment/id',
          code: 'unknown-assessment',
          severity: 'error',
        },
      ]);
    }
    rubric = await workspace.rubricOf(state);
  } else {
    const { org, scope = 'all', period } = file.assessment;
    const located = locateAssessment(view.assessments, org, scope, period);
    id = located.id;
    const state = located.existing;
    if (state) rubric = await workspace.rubricOf(state);
    else {
      rubric = (await loadRubric(o.rubric, ctx.cwd)).rubric;
      // Registered only once the whole file is known to be valid: a refused import writes nothing.
      start = { type: 'StartAssessment', org, scope, period, rubric: rubricRef(rubric) };
    }
  }

  const plan = planImport({ file, source: parsed.source, assessmentId: id }, rubric, view.assessments.get(id), start);
  if (plan.problems.length > 0 || parsed.problems.length > 0) throw refuse([...parsed.problems, ...plan.problems]);
  if (start) await workspace.registerRubric(rubric, file.respondent);
  // One batch, one write: all of the file or none of it.
  const recorded = await workspace.execute(id, plan.commands, rubric, file.respondent);
  const answers = recorded.filter((e) => e.type === 'AnswerRecorded').length;
  if (o.json) printJson(ctx, { assessment: id, recorded: recorded.length, answers });
  else if (recorded.length === 0) ctx.stderr.write(`nothing new: every answer in ${safeText(path)} is already recorded for ${id}\n`);
  else
    ctx.stderr.write(
      `recorded ${answers} answer${answers === 1 ? '' : 's'} (${recorded.length} event${recorded.length === 1 ? '' : 's'}) from ${safeText(path)} into ${id} as ${safeText(file.respondent)}\n`,
    );
  return ExitCode.ok;
}

export async function exportAnswers(
  ctx: Context,
  id: string | undefined,
  o: { respondent?: string; format?: string; output?: string },
): Promise<number> {
  if (o.format !== undefined && o.format !== 'yaml')
    throw new UsageError(`--format ${safeText(o.format)}: export writes yaml (the answers file format)`);
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const state = chooseAssessment(view, id, 'read');
  const counts = new Map<string, number>();
  for (const responses of state.responses.values()) for (const r of responses.keys()) counts.set(r, (counts.get(r) ?? 0) + 1);
  const respondent = o.respondent ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (respondent === undefined) throw new UsageError(`${state.id} has no answers to export yet`);
  if (!counts.has(respondent))
    throw new UsageError(
      `${safeText(respondent)} gave no answers in ${state.id} (respondents: ${[...counts.keys()].map(safeText).join(', ')})`,
    );
  if (o.respondent === undefined && counts.size > 1) {
    ctx.stderr.write(
      `exporting ${safeText(respondent)}'s answers; others answered too (${[...counts.keys()]
        .filter((r) => r !== respondent)
        .map(safeText)
        .join(', ')}): choose with --respondent\n`,
    );
  }
  const rubric = view.rubrics.get(state.rubric.digest) ?? (await workspace.rubricOf(state));
  const schema = join(RUBRIC_DIR, 'answers.schema.json');
  if (o.output === undefined || isStdout(o.output)) {
    // Where the text will be saved is unknown: the schema's absolute path is right wherever it lands on this machine.
    ctx.stdout.write(answersFileText(state, respondent, rubric, schema));
    return ExitCode.ok;
  }
  const path = resolve(ctx.cwd, o.output);
  // An editor resolves the modeline from the file's own folder. When cnassess is installed inside the project (its
  // node_modules, or this repository), a relative path stays right in every clone; otherwise only the absolute one works.
  const inProject = !relative(ctx.cwd, schema).startsWith('..');
  const fromFile = relative(dirname(path), schema);
  const modeline = inProject ? (fromFile.startsWith('.') ? fromFile : `./${fromFile}`) : schema;
  await writeOutput(path, answersFileText(state, respondent, rubric, modeline), ctx.newId(), 'the answers file');
  ctx.stderr.write(`wrote ${safeText(relative(ctx.cwd, path) || path)} (${safeText(respondent)}'s answers to ${state.id})\n`);
  return ExitCode.ok;
}

/**
 * `cnassess import --from aws-wa ANSWERS.json`: the Well-Architected Tool's answers into an assessment whose rubric was
 * imported from the same lens (`rubric import --from aws-lens`), all or none, in one write.
 */
async function importAwsAnswers(
  ctx: Context,
  path: string,
  o: { json?: boolean; assessment?: string; respondent?: string },
): Promise<number> {
  const source = parseYamlSource(path, await readUserFile(path, { cwd: ctx.cwd }), { json: true });
  if (source.problems.length > 0)
    throw new InvalidFileError(source.problems, `${path} is not a JSON file cnassess can read; nothing was recorded`);
  const { workspace } = await openWorkspace(ctx);
  const state = await findAssessment(workspace, o.assessment, 'write');
  const rubric = await workspace.rubricOf(state);
  const { awsAnswers } = await import('../models/awsAnswers.js');
  const read = awsAnswers(source.value, path, (pointer) => source.locate(pointer), rubric);
  if (read.problems.length > 0)
    throw new InvalidFileError(read.problems, `${plural(read.problems.length, 'problem')} in ${path}; nothing was recorded`);
  const respondent = o.respondent ?? defaultRespondent(ctx);
  const commands: AssessmentCommand[] = read.answers.map((a) => ({
    type: 'RecordAnswer',
    question: a.question,
    answer: a.answer,
    respondent,
    ...(a.note !== undefined && { note: a.note }),
  }));
  for (const note of read.notes) ctx.stderr.write(`cnassess: ${safeText(note)}\n`);
  const recorded = await workspace.execute(state.id, commands, rubric, respondent);
  const answers = recorded.filter((e) => e.type === 'AnswerRecorded').length;
  if (o.json) printJson(ctx, { assessment: state.id, recorded: recorded.length, answers });
  else
    ctx.stderr.write(
      `recorded ${plural(answers, 'answer')} of the Well-Architected Tool from ${safeText(path)} into ${state.id} as ${safeText(respondent)}` +
        `${read.answers.length > answers ? ` (${read.answers.length - answers} already recorded)` : ''}\n`,
    );
  return ExitCode.ok;
}
