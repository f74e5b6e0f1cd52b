// `cnassess rubric validate` and `cnassess rubric show`.

import { resolve } from 'node:path';
import { ExitCode, formatProblem, UsageError, type FileProblem } from '../errors.js';
import { parseRubric } from '../rubric/parse.js';
import { isBuiltIn, loadRubric, readUserFile } from '../source/rubricFile.js';
import { answerTerms, howToAnswerSections } from '../rubric/howToAnswer.js';
import type { Rubric } from '../rubric/types.js';
import { wrap } from '../text.js';
import { safeText } from '../text.js';
import { table } from '../views/terminal.js';
import { printJson, type Context } from './context.js';

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
      ...(r && { aspects: r.aspects.length, questions: countQuestions(r) }),
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

export async function show(ctx: Context, options: { rubric?: string; json?: boolean }): Promise<number> {
  const { rubric, warnings, path } = await loadRubric(options.rubric, ctx.cwd);
  for (const w of warnings) ctx.stderr.write(`${safeText(formatProblem(w))}\n`);
  if (options.json) {
    printJson(ctx, rubric);
    return ExitCode.ok;
  }
  const s = ctx.style;
  const out: string[] = [];
  out.push(`${s.bold(safeText(rubric.title))}  ${rubric.id} ${rubric.version}  (${path})`);
  out.push(`${plural(rubric.aspects.length, 'aspect')}, ${plural(countQuestions(rubric), 'question')}\n`);
  out.push(
    table(
      [{ header: 'level' }, { header: 'name' }, { header: 'meaning', flexible: true }],
      rubric.levels.map((l) => [String(l.level), safeText(l.name), safeText(l.summary)]),
      ctx.stdout.columns,
    ),
  );
  const how = howToAnswerText(rubric, ctx.stdout.columns);
  if (how !== '') out.push(`${s.bold('How to answer')}\n${how}`);
  for (const aspect of rubric.aspects) {
    out.push(`${s.bold(safeText(aspect.title))} (${aspect.id})`);
    for (const q of aspect.questions) {
      const flags = [
        q.type,
        q.weight !== 1 ? `weight ${q.weight}` : '',
        q.gate ? 'gate' : '',
        q.notApplicable ? 'n/a allowed' : '',
        q.when ? `when ${q.when.question}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(`  ${q.id}: ${safeText(q.text)} ${s.dim(`[${flags}]`)}`);
      for (const c of q.choices)
        out.push(`      ${c.id.padEnd(14)} L${c.level}  ${safeText(c.label)}${c.exclusive === true ? s.dim(' (only on its own)') : ''}`);
    }
    out.push('');
  }
  ctx.stdout.write(`${out.join('\n')}\n`);
  return ExitCode.ok;
}

/** The rubric's how-to-answer sections and terms, wrapped to the terminal: for `rubric show` and `assess`. */
export function howToAnswerText(rubric: Rubric, columns: number): string {
  const width = Math.max(40, columns);
  const lines = howToAnswerSections(rubric).flatMap((section) => wrap(`${section.title}: ${safeText(section.text)}`, width, '  '));
  const terms = answerTerms(rubric);
  if (terms.length > 0)
    lines.push(
      ...wrap(
        `Words with one meaning in every question: ${terms.map((x) => `${safeText(x.term)} — ${safeText(x.meaning)}`).join(' ')}`,
        width,
        '  ',
      ),
    );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function countQuestions(rubric: Rubric): number {
  return rubric.aspects.reduce((n, a) => n + a.questions.length, 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
