// `cnassess diff --format md`: the diff page (page.ts) as Markdown, for a pull request or a wiki. Every value goes
// through escapeMarkdown, the report's escaping; links only for http(s) URLs.

import type { Progress } from '../../compare/compare.js';
import { escapeMarkdown as md, markdownSegments as segments } from '../escape.js';
import { diffPage } from './page.js';

export function diffMarkdown(p: Progress): string {
  const page = diffPage(p);
  const out: string[] = [];
  out.push(`# ${md(page.title)}${page.openText === '' ? '' : ` ${md(page.openText)}`}`, '');
  out.push(md(page.idsText), '', md(page.rubricText), '');
  out.push(`| | ${page.nouns.Aspect} | Level | Score | Answered |`, '| --- | --- | --- | --- | --- |');
  for (const r of page.aspects) {
    const title = r.overall ? `**${md(r.title)}**` : md(r.title);
    out.push(`| ${r.marker} | ${title} | ${md(r.levelText)} | ${md(r.scoreText)} | ${md(r.answeredText)} |`);
  }
  out.push('', `_${md(page.legend)}${page.starText !== null ? `; ${md(page.starText)}` : ''}_`);
  if (page.regressionsText !== null) out.push('', `**${md(page.regressionsText)}**`);

  if (page.targets.length > 0) {
    out.push(
      '',
      '## Targets',
      '',
      `| ${page.nouns.Aspect} | Target | ${md(page.targetsPeriodHeader)} | Now |`,
      '| --- | --- | --- | --- |',
    );
    for (const t of page.targets) out.push(`| ${md(t.title)} | ${md(t.targetText)} | ${md(t.statusText)} | ${md(t.nowText)} |`);
  }

  out.push('', `## ${md(page.answerChangesTitle)}`, '');
  if (page.answerChanges.length === 0) out.push('None.');
  for (const c of page.answerChanges) {
    const note = c.note.length > 0 ? ` — “${segments(c.note)}”` : '';
    out.push(`- ${c.marker} ${md(c.headline)} (${md(c.byline)})${note}`);
  }
  if (page.newlyAnswered.length > 0)
    out.push('', '## Newly answered', '', ...page.newlyAnswered.map((q) => `- ${md(q.question)}: ${md(q.answerText)}`));
  if (page.noLongerAnswered.length > 0)
    out.push('', '## No longer answered', '', ...page.noLongerAnswered.map((q) => `- ${md(q.question)}: ${md(q.answerText)}`));
  if (page.rubricChanges !== null) {
    out.push('', `## ${md(page.rubricChanges.title)}`, '');
    for (const item of page.rubricChanges.items) out.push(`- ${md(item.label)}: ${md(item.text)}`);
    if (page.rubricChanges.wordingText !== null) out.push(`- ${md(page.rubricChanges.wordingText)}`);
  }
  if (page.consensus.length > 0) {
    out.push('', `## Consensus decisions (${page.consensus.length})`, '');
    for (const c of page.consensus) out.push(`- ${md(c.headline)} (${md(c.byline)}) — “${md(c.rationale)}”`);
  }
  if (page.steps.length > 0) {
    out.push('', `## Roadmap steps (${page.steps.length})`, '');
    for (const step of page.steps) out.push(`- ${md(step.headline)} (${md(step.byline)})`);
  }
  for (const flag of page.doneButOpen) out.push('', md(flag));
  if (page.provisionalText !== null) out.push('', md(page.provisionalText));
  if (page.carriedText !== null) out.push('', md(page.carriedText));
  return `${out.join('\n')}\n`;
}
