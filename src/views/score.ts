// `cnassess score` as text: levels and scores per aspect, and in full what holds each back.

import type { AspectScore, Scorecard } from '../assessment/scoring.js';
import type { AssessmentState } from '../assessment/state.js';
import { levelName, nounsOf } from '../rubric/levels.js';
import type { Rubric } from '../rubric/types.js';
import { list, plural, safeText, wrap } from '../text.js';
import { consensusInForce, openDisagreements, respondentProgress } from '../assessment/respondents.js';
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
      ? `Overall: level ${card.overall.level} ${safeText(levelName(rubric, card.overall.level))}${card.overall.mean !== undefined ? ` (mean ${card.overall.mean.toFixed(2)})` : ''}, score ${card.overall.score}, ${card.overall.answered} of ${card.overall.applicable} answered (${percent(card.overall.coverage)})\n\n`
      : `Overall: no answers yet (0 of ${card.overall.applicable} answered)\n\n`;
  const rows = card.aspects.map((a) => {
    const title = rubric.aspects.find((x) => x.id === a.aspect)?.title ?? a.aspect;
    return [
      safeText(title),
      // Under the mean rule the mean is the model's own score (PEMM's 2.50): shown with the level it rounds down to.
      a.level !== undefined
        ? `${a.level} ${safeText(levelName(rubric, a.level))}${a.mean !== undefined ? ` (mean ${a.mean.toFixed(2)})` : ''}`
        : '–',
      a.score !== undefined ? a.score.toFixed(0) : '–',
      bar(a.score, 8),
      `${a.answered}/${a.applicable}`,
    ];
  });
  const width = out.columns;
  const body = table(
    [
      { header: nounsOf(rubric).aspect, flexible: true, overflow: 'wrap' },
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
  return `${head}${overall}${body}${heldText}${peopleText(rubric, state, width)}`;
}

/** Several respondents: who has answered how much, which levels are provisional, what consensus decided. */
function peopleText(rubric: Rubric, state: AssessmentState, width: number): string {
  const progress = respondentProgress(rubric, state);
  const out: string[] = [];
  if (progress.length > 1 || state.expected.length > 0) {
    out.push('', state.expected.length > 0 ? `Respondents (${state.expected.length} invited):` : 'Respondents:');
    const rows = progress.map((p) => [
      safeText(p.respondent),
      `${p.answered}/${p.applicable}`,
      p.carried > 0 ? `${p.carried} carried` : '',
      p.lastAnswerAt?.slice(0, 10) ?? 'no answer yet',
      p.invited || state.expected.length === 0 ? '' : 'not invited',
    ]);
    const t = table(
      [
        { header: 'who', flexible: true, overflow: 'wrap' },
        { header: 'answered' },
        { header: '' },
        { header: 'last answer' },
        { header: '' },
      ],
      rows,
      width - 2,
    );
    out.push(
      ...t
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  const open = openDisagreements(rubric, state);
  const moving = open.filter((d) => d.consequential);
  if (moving.length > 0) {
    const byAspect = [...new Set(moving.map((d) => d.aspect))].map(
      (aspect) =>
        `${rubric.aspects.find((a) => a.id === aspect)?.title ?? aspect} (${moving
          .filter((d) => d.aspect === aspect)
          .map((d) => d.question.id)
          .join(', ')})`,
    );
    out.push(
      '',
      ...wrap(
        `Provisional: respondents disagree where settling could move the level of ${list(byAspect.map(safeText))}; \`cnassess settle\` walks through them.`,
        width,
      ),
    );
  }
  if (open.length > moving.length)
    out.push(
      ...wrap(
        `${plural(open.length - moving.length, 'other disagreement')} would not move a level: ${open
          .filter((d) => !d.consequential)
          .map((d) => d.question.id)
          .join(', ')}.`,
        width,
      ),
    );
  const lapsed = open.filter((d) => d.lapsed !== undefined).map((d) => d.question.id);
  if (lapsed.length > 0) out.push(...wrap(`Unsettled again (an answer changed after the consensus): ${lapsed.join(', ')}.`, width));
  const agreed = consensusInForce(rubric, state);
  if (agreed.length > 0) {
    out.push('', 'Settled by consensus:');
    for (const c of agreed)
      out.push(
        ...wrap(
          `${c.question} = ${c.answer === 'n/a' ? c.answer : c.answer.join(',')} (${safeText(c.facilitator)}: ${safeText(c.rationale)})`,
          width,
          '  ',
          '    ',
        ),
      );
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Every answer that holds the aspect back, in full: the capping gate first, marked. */
function holdingBackText(a: AspectScore): string {
  return a.holdingBack.map((h) => (h.question === a.cappedBy ? `${h.question} (gate)` : h.question)).join(', ');
}
