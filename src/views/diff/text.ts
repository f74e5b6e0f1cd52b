// `cnassess diff` in a terminal: the diff page (page.ts) at the terminal's width, with markers that read without
// colour. Every line is wrapped at word boundaries; user text goes through safeText.

import type { Progress } from '../../compare/compare.js';
import { safeText, wrap } from '../../text.js';
import { makeStyle, table, type Style } from '../terminal.js';
import { diffPage } from './page.js';

export function diffText(p: Progress, options: { style?: Style; width?: number } = {}): string {
  const s = options.style ?? makeStyle(false);
  const width = options.width ?? 80;
  const page = diffPage(p);
  const lines = (text: string, first = '', rest?: string) => wrap(safeText(text), width, first, rest);
  const out: string[] = [];
  out.push(...lines(`${page.title}${page.openText === '' ? '' : ` ${page.openText}`}`).map((l) => s.bold(l)));
  out.push(...lines(page.idsText), ...lines(page.rubricText), '');

  const colour = (row: { change: string }) => (row.change === 'up' ? s.green : row.change === 'down' ? s.red : (x: string) => x);
  out.push(
    table(
      [
        { header: '' },
        { header: p.nouns.aspect, flexible: true, overflow: 'wrap' },
        { header: 'level' },
        { header: 'score' },
        { header: 'answered' },
      ],
      page.aspects.map((r) => [colour(r)(r.marker), safeText(r.title), safeText(r.levelText), r.scoreText, r.answeredText]),
      width,
    ).trimEnd(),
  );
  out.push(...lines(page.legend).map((l) => s.dim(l)));
  if (page.starText !== null) out.push(...lines(page.starText, '', '  ').map((l) => s.dim(l)));
  if (page.regressionsText !== null) out.push('', ...lines(page.regressionsText).map((l) => s.red(s.bold(l))));

  if (page.targets.length > 0) {
    out.push('', s.bold('Targets'));
    const targets = table(
      [
        { header: p.nouns.aspect, flexible: true, overflow: 'wrap' },
        { header: 'target' },
        { header: page.targetsPeriodHeader },
        { header: 'now' },
      ],
      page.targets.map((t) => [safeText(t.title), safeText(t.targetText), t.statusText, safeText(t.nowText)]),
      width - 2,
    );
    out.push(
      ...targets
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }

  out.push('', s.bold(page.answerChangesTitle));
  if (page.answerChanges.length === 0) out.push('  none');
  for (const c of page.answerChanges) {
    out.push(...lines(`${c.marker} ${c.headline}`, '  ', '      '));
    const note = c.note.map((x) => x.text).join('');
    const byline = c.withdrawn ? c.byline : `${c.byline}: ${note === '' ? 'no note' : `“${note}”`}`;
    out.push(...lines(byline, '      ').map((l) => s.dim(l)));
  }

  if (page.newlyAnswered.length > 0)
    out.push('', ...lines(`Newly answered: ${page.newlyAnswered.map((q) => `${q.question} (${q.answerText})`).join(', ')}`));
  if (page.noLongerAnswered.length > 0)
    out.push('', ...lines(`No longer answered: ${page.noLongerAnswered.map((q) => `${q.question} (${q.answerText})`).join(', ')}`));

  if (page.rubricChanges !== null) {
    out.push('', s.bold(safeText(page.rubricChanges.title)));
    for (const item of page.rubricChanges.items) out.push(...lines(item.text, `  ${item.label.padEnd(9)}`, ' '.repeat(11)));
    if (page.rubricChanges.wordingText !== null) out.push(...lines(page.rubricChanges.wordingText, '  '));
  }
  if (page.consensus.length > 0) {
    out.push('', s.bold(`Consensus decisions (${page.consensus.length})`));
    for (const c of page.consensus) {
      out.push(...lines(c.headline, '  ', '    '));
      out.push(...lines(`${c.byline}: “${c.rationale}”`, '    ').map((l) => s.dim(l)));
    }
  }
  if (page.steps.length > 0) {
    out.push('', s.bold(`Roadmap steps (${page.steps.length})`));
    for (const step of page.steps) {
      out.push(...lines(step.headline, '  ', '    '));
      out.push(...lines(step.byline, '    ').map((l) => s.dim(l)));
    }
  }
  for (const flag of page.doneButOpen) out.push('', ...lines(flag));
  if (page.provisionalText !== null) out.push('', ...lines(page.provisionalText));
  if (page.carriedText !== null) out.push('', ...lines(page.carriedText));
  return `${out.join('\n')}\n`;
}
