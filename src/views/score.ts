// `cnassess score` as text: levels and scores per aspect, and in full what holds each back.

import type { AspectScore, Scorecard } from '../assessment/scoring.js';
import type { AssessmentState } from '../assessment/state.js';
import type { Context } from '../commands/context.js';
import { levelName } from '../rubric/levels.js';
import type { Rubric } from '../rubric/types.js';
import { truncate } from '../text.js';
import { bar, percent, safeText, table } from './terminal.js';

export function renderScore(ctx: Context, rubric: Rubric, state: AssessmentState, card: Scorecard, asOf?: string): string {
  const s = ctx.style;
  const status = `${state.status}${asOf !== undefined ? `, as of ${safeText(asOf)}` : ''}`;
  const title = truncate(
    `${safeText(state.org)} / ${safeText(state.scope)} / ${state.period}`,
    Math.max(20, ctx.stdout.columns - status.length - 2),
  );
  const head = `${s.bold(title)}  ${status}\n`;
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
      holdingBackText(a),
    ];
  });
  const body = table(
    [
      { header: 'aspect', flexible: true, overflow: 'wrap' },
      { header: 'level' },
      { header: 'score', align: 'right' },
      { header: '' },
      { header: 'answered' },
      { header: 'held back by', flexible: true, overflow: 'wrap' },
    ],
    rows,
    ctx.stdout.columns,
  );
  return `${head}${overall}${body}`;
}

/** Every answer that holds the aspect back, in full: the capping gate first, marked. */
function holdingBackText(a: AspectScore): string {
  return a.holdingBack.map((h) => (h.question === a.cappedBy ? `${h.question} (gate)` : h.question)).join(', ');
}
