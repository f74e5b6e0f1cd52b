// `rubric show` and the how-to-answer text `assess` prints first: the rubric as a terminal reads it, every line
// wrapped at word boundaries to the width it is printed at.

import { answerTerms, howToAnswerSections } from '../rubric/howToAnswer.js';
import { nounsOf } from '../rubric/levels.js';
import type { Rubric } from '../rubric/types.js';
import { plural, safeText, wrap } from '../text.js';
import { table, type Style } from './terminal.js';

export function questionCount(rubric: Rubric): number {
  return rubric.aspects.reduce((n, a) => n + a.questions.length, 0);
}

/** The whole rubric: levels, how to answer, then each aspect's questions with their choices. */
export function renderRubric(out: { style: Style; columns: number }, rubric: Rubric, path: string): string {
  const s = out.style;
  const width = Math.max(40, out.columns);
  const lines: string[] = [];
  lines.push(...wrap(`${s.bold(safeText(rubric.title))}  ${rubric.id} ${rubric.version}  (${safeText(path)})`, width));
  lines.push(
    `${plural(rubric.aspects.length, nounsOf(rubric).aspect, nounsOf(rubric).aspects)}, ${plural(questionCount(rubric), 'question')}`,
    '',
  );
  lines.push(
    table(
      [{ header: 'level' }, { header: 'name' }, { header: 'meaning', flexible: true, overflow: 'wrap' }],
      rubric.levels.map((l) => [String(l.level), safeText(l.name), safeText(l.summary)]),
      width,
    ),
  );
  const how = howToAnswerText(rubric, width);
  if (how !== '') lines.push(`${s.bold('How to answer')}\n${how}`);
  for (const aspect of rubric.aspects) {
    lines.push(...wrap(`${s.bold(safeText(aspect.title))} (${aspect.id})`, width));
    for (const q of aspect.questions) {
      const flags = [
        q.type,
        q.weight !== 1 ? `weight ${q.weight}` : '',
        q.gate ? 'gate' : '',
        q.notApplicable ? 'n/a allowed' : '',
        q.when ? `when ${q.when.question}` : '',
      ].filter(Boolean);
      lines.push(...wrap(`${q.id}: ${safeText(q.text)} ${s.dim(`[${flags.join(', ')}]`)}`, width, '  ', '      '));
      for (const c of q.choices) {
        const only = c.exclusive === true ? s.dim(' (only on its own)') : '';
        lines.push(...wrap(`${c.id.padEnd(14)} L${c.level}  ${safeText(c.label)}${only}`, width, '      ', ' '.repeat(25)));
      }
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** The rubric's how-to-answer sections and terms, wrapped to the terminal: for `rubric show` and `assess`. */
export function howToAnswerText(rubric: Rubric, columns: number): string {
  const width = Math.max(40, columns);
  const lines = howToAnswerSections(rubric).flatMap((section) => wrap(`${section.title}: ${safeText(section.text)}`, width, '  '));
  const terms = answerTerms(rubric);
  if (terms.length > 0) {
    lines.push('  Words with one meaning in every question:');
    for (const t of terms) lines.push(...wrap(`${safeText(t.term)}: ${safeText(t.meaning)}`, width, '    - ', '      '));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
