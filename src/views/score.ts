// `cnassess score` as text: levels and scores per aspect, and in full what holds each back.

import type { AspectScore, Scorecard } from '../assessment/scoring.js';
import type { AssessmentState } from '../assessment/state.js';
import { levelName } from '../rubric/levels.js';
import type { Rubric } from '../rubric/types.js';
import { safeText, wrap } from '../text.js';
import { bar, percent, table, type Style } from './terminal.js';

export function renderScore(
  out: { style: Style; columns: number },
  rubric: Rubric,
  state: AssessmentState,
  card: Scorecard,
  asOf?: string,
): string {
  const s = out.style;
  const status = `${state.status}${asOf !== undefined ? `, as of ${safeText(asOf)}` : ''}`;
  // Wrapped, never cut: the names are what tells two assessments apart.
  const head = `${wrap(`${safeText(state.org)} / ${safeText(state.scope)} / ${state.period}`, out.columns)
    .map((line) => s.bold(line))
    .join('\n')}  ${status}\n`;
  const overall =
    card.overall.level !== undefined
      ? `Overall: level ${card.overall.level} ${safeText(levelName(rubric, card.overall.level))}, score ${card.overall.score}, ${card.overall.answered} of ${card.overall.applicable} answered (${percent(card.overall.coverage)})\n\n`
      : `Overall: no answers yet (0 of ${card.overall.applicable} answered)\n\n`;
  const rows = card.aspects.map((a) => {
    const title = rubric.aspects.find((x) => x.id === a.aspect)?.title ?? a.aspect;
    return [
      safeText(title),
      a.level !== undefined ? `${a.level} ${safeText(levelName(rubric, a.level))}` : '–',
      a.score !== undefined ? a.score.toFixed(0) : '–',
      bar(a.score, 8),
      `${a.answered}/${a.applicable}`,
    ];
  });
  const width = out.columns;
  const body = table(
    [
      { header: 'aspect', flexible: true, overflow: 'wrap' },
      { header: 'level' },
      { header: 'score', align: 'right' },
      { header: '' },
      { header: 'answered' },
    ],
    rows,
    width,
  );
  // Read in full, below the table: ids cut to fit a column would send a reader to the wrong question.
  const held = card.aspects.flatMap((a) => {
    const text = holdingBackText(a);
    const title = rubric.aspects.find((x) => x.id === a.aspect)?.title ?? a.aspect;
    return text === '' ? [] : wrap(`${safeText(title)}: ${text}`, width, '  ', '    ');
  });
  const heldText =
    held.length === 0 ? '' : `\nHeld back by (answers below the next level, gates and heavy questions first):\n${held.join('\n')}\n`;
  return `${head}${overall}${body}${heldText}`;
}

/** Every answer that holds the aspect back, in full: the capping gate first, marked. */
function holdingBackText(a: AspectScore): string {
  return a.holdingBack.map((h) => (h.question === a.cappedBy ? `${h.question} (gate)` : h.question)).join(', ');
}
