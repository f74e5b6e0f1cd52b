// The portfolio report as Markdown, from the same view model as the HTML, escaped as the assessment report is. Pure.

import { escapeMarkdown as md } from '../escape.js';
import type { PortfolioModel } from './model.js';

export function renderPortfolioMarkdown(m: PortfolioModel): string {
  const out: string[] = [];
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) => {
    out.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), '');
  };
  out.push(`# ${md(m.title)}`, '', `*${md(m.subtitle)}*`, '', '## Summary', '');
  for (const p of m.summary.paragraphs) out.push(md(p), '');
  out.push(md(m.rubricText), '', '## Scopes and aspects', '', md(m.heatmap.legend), '');
  table(
    ['Scope', ...m.heatmap.columns.map((c) => md(c.title)), 'Overall', 'Coverage'],
    [...m.heatmap.rows, m.heatmap.org].map((r) => [
      `${r === m.heatmap.org ? '**' : ''}${md(r.scope)}${r === m.heatmap.org ? '**' : ''}${r.unfinished ? ` (${md(r.statusText)})` : ''}`,
      ...r.cells.map((c) => md(c.levelText)),
      md(r.overallText),
      md(r.coverageText),
    ]),
  );
  out.push('## How the scopes spread, aspect by aspect', '');
  for (const d of m.distribution) out.push(`- **${md(d.title)}**: ${md(d.orgLevelText)} (${md(d.spreadText)}). ${md(d.text)}`);
  out.push('', '## Steps many scopes need', '', md(m.commonStepsText), '');
  if (m.commonSteps.length > 0)
    table(
      ['Step', 'Aspect', 'Reaches', 'Scopes', 'Which'],
      m.commonSteps.map((s) => [
        `${md(s.title)} (\`${md(s.step)}\`)`,
        md(s.aspectTitle),
        md(s.levelText),
        String(s.count),
        md(s.scopesText),
      ]),
    );
  if (m.trend.show) {
    const periods = m.trend.periods.map((p) => `${md(p.period)}${p.marked ? '†' : ''}`);
    out.push('## Trend', '');
    table(
      ['Aspect', ...periods],
      m.trend.aspects.map((a) => [md(a.title), ...a.cells.map(md)]),
    );
    table(
      ['Scope', ...periods],
      m.trend.scopes.map((s) => [md(s.title), ...s.cells.map(md)]),
    );
    for (const n of m.trend.notes) out.push(md(n), '');
  }
  out.push('## Appendix: each scope', '');
  for (const a of m.appendix) out.push(`- **${md(a.scope)}**: ${md(a.line)} Its own report: \`${md(a.command)}\``);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
