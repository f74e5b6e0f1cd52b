// A progress model as text (80 columns, markers that read without colour), Markdown, or a small
// self-contained HTML page. Pure: model in, string out; no logic beyond formatting.

import { safeText, wrap } from '../text.js';
import { makeStyle, table, type Style } from './terminal.js';
import type { AnswerValue } from '../assessment/events.js';
import type { AnswerChange, AspectChange, AspectProgress, LevelValue, Progress, TargetStatus } from '../compare/compare.js';
import { describeChange } from '../compare/rubricDiff.js';

export const MARKERS: Readonly<Record<AspectChange, string>> = { up: '▲', down: '▼', same: '=', added: '+', removed: '−', unscored: '·' };
const MEANING: Readonly<Record<AspectChange, string>> = {
  up: 'level up',
  down: 'level down',
  same: 'same level',
  added: 'new aspect',
  removed: 'removed aspect',
  unscored: 'no level on one side',
};
const STAR = '* like for like: over the questions both rubric versions share, scored with the newer one';

/** The markers the table uses, explained (only those, so the line stays short). */
function legend(rows: readonly { change: AspectChange }[]): string {
  const used = new Set(rows.map((r) => r.change));
  return (Object.keys(MARKERS) as AspectChange[])
    .filter((c) => used.has(c))
    .map((c) => `${MARKERS[c]} ${MEANING[c]}`)
    .join('  ');
}
const TARGET_WORDS: Readonly<Record<TargetStatus, string>> = {
  kept: 'still met',
  reached: 'reached',
  missed: 'not reached',
  lost: 'no longer met',
};

type Row = Pick<AspectProgress, 'before' | 'after' | 'basis' | 'compared' | 'change' | 'scoreDelta'> & { title: string };

// ---------------------------------------------------------------------------------------------
// Text

export function diffText(p: Progress, options: { style?: Style; width?: number } = {}): string {
  const s = options.style ?? makeStyle(false);
  const width = options.width ?? 80;
  const out: string[] = [];
  const open = p.to.status === 'open' ? ` (${p.to.period} still in progress)` : '';
  out.push(...wrap(`${safeText(p.org)} / ${safeText(p.scope)}: ${p.from.period} → ${p.to.period}${open}`, width, '').map((l) => s.bold(l)));
  out.push(...wrap(`${p.from.id} → ${p.to.id}`, width, ''));
  out.push(...wrap(`Rubric: ${p.rubric.summary}.`, width, ''));
  out.push('');

  const rows: Row[] = [...p.aspects, { ...p.overall, title: 'Overall' }];
  const colour = (change: AspectChange) => (change === 'up' ? s.green : change === 'down' ? s.red : (x: string) => x);
  out.push(
    table(
      [
        { header: '' },
        { header: 'aspect', flexible: true, overflow: 'wrap' },
        { header: 'level' },
        { header: 'score' },
        { header: 'answered' },
      ],
      rows.map((r) => [colour(r.change)(MARKERS[r.change]), safeText(r.title), levelCell(r), scoreCell(r), answeredCell(r)]),
      width,
    ).trimEnd(),
  );
  const starred = rows.some((r) => r.basis === 'common-questions');
  out.push(...wrap(legend(rows), width, '').map((l) => s.dim(l)));
  if (starred) out.push(...wrap(STAR, width, '', '  ').map((l) => s.dim(l)));

  if (p.regressions.length > 0) {
    out.push('', s.red(s.bold(`Regressions: ${regressionText(p)}`)));
  }

  const targets = p.aspects.filter((a) => a.target !== null);
  if (targets.length > 0) {
    out.push('', s.bold('Targets'));
    out.push(
      indent(
        table(
          [
            { header: 'aspect', flexible: true, overflow: 'wrap' },
            { header: 'target' },
            { header: `in ${p.to.period}` },
            { header: 'now' },
          ],
          targets.map((a) => [safeText(a.title), levelText(p, a.target!.level), TARGET_WORDS[a.target!.status], valueText(a.after)]),
          width - 2,
        ),
      ),
    );
  }

  out.push('', s.bold(`Changed answers (${p.answerChanges.length})`));
  if (p.answerChanges.length === 0) out.push('  none');
  for (const c of p.answerChanges) {
    const marker =
      c.kind === 'new'
        ? '+'
        : c.kind === 'withdrawn'
          ? '−'
          : c.before?.level != null && c.after?.level != null
            ? c.after.level > c.before.level
              ? '▲'
              : c.after.level < c.before.level
                ? '▼'
                : '='
            : '~';
    const renamed = c.previousId !== c.question ? ` (was ${c.previousId})` : '';
    out.push(...wrap(`${marker} ${c.question}${renamed}: ${answerText(c.before)} → ${answerText(c.after)}`, width, '  ', '      '));
    const line =
      c.kind === 'withdrawn'
        ? `${safeText(c.respondent)}: answer withdrawn (it was given ${c.before!.at.slice(0, 10)})`
        : `${safeText(c.respondent)}, ${c.after!.at.slice(0, 10)}: ${c.after!.note ? `“${safeText(c.after!.note)}”` : 'no note'}`;
    out.push(...wrap(line, width, '      ').map((l) => s.dim(l)));
  }

  const newly = p.questionChanges.filter((q) => q.kind === 'newly-answered');
  const cleared = p.questionChanges.filter((q) => q.kind === 'cleared');
  if (newly.length > 0)
    out.push('', ...wrap(`Newly answered: ${newly.map((q) => `${q.question} (${answerText(q.after)})`).join(', ')}`, width, ''));
  if (cleared.length > 0)
    out.push('', ...wrap(`No longer answered: ${cleared.map((q) => `${q.question} (was ${answerText(q.before)})`).join(', ')}`, width, ''));

  if (p.rubric.comparability !== 'same-rubric') {
    out.push('', s.bold(`Rubric changes (${p.from.rubric.id} ${p.from.rubric.version} → ${p.to.rubric.id} ${p.to.rubric.version})`));
    const item = (label: string, text: string) => wrap(text, width, `  ${label.padEnd(9)}`, ' '.repeat(11));
    for (const r of p.rubric.renamed) out.push(...item('renamed', `${r.from} → ${r.to} (${r.aspect}); compared as one question`));
    for (const a of p.rubric.added)
      out.push(...item('added', `${a.question} (${a.aspect}): ${a.after ? answerText(a.after) : 'not answered'}; not in like-for-like`));
    for (const r of p.rubric.removed)
      out.push(...item('removed', `${r.question} (${r.aspect}): ${r.before ? `was ${answerText(r.before)}` : 'was not answered'}`));
    for (const l of p.rubric.leftOut) out.push(...item('left out', `${l.question}: ${l.reason}`));
    const other = p.rubric.changes.filter(
      (c) => c.affectsScoring && !['question-added', 'question-removed', 'question-renamed'].includes(c.kind),
    );
    for (const c of other) out.push(...item('scoring', describeChange(c)));
    const wording = p.rubric.changes.filter((c) => !c.affectsScoring && c.kind !== 'question-renamed').length;
    if (wording > 0)
      out.push(`  and ${wording} change${wording === 1 ? '' : 's'} to wording or recommendations (cnassess rubric diff shows them)`);
  }

  if (p.carried.length > 0) {
    out.push(
      '',
      ...wrap(
        `${p.carried.length} answer${p.carried.length === 1 ? ' is' : 's are'} still carried over from an earlier quarter and not yet confirmed; \`cnassess assess\` asks about them.`,
        width,
        '',
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

function levelCell(r: Row): string {
  const star = r.basis === 'common-questions' ? '*' : '';
  const shown = r.compared ?? { before: r.before, after: r.after };
  return `${short(shown.before)} → ${short(shown.after)}${star}`;
}

function short(v: LevelValue | null): string {
  return v?.level != null ? `${v.level} ${safeText(v.levelName ?? '')}` : '–';
}

function scoreCell(r: Row): string {
  const shown = r.compared ?? { before: r.before, after: r.after };
  const b = shown.before?.score;
  const a = shown.after?.score;
  // The delta of the shown (rounded) scores, so the three numbers add up on screen.
  const delta = r.scoreDelta === null || b == null || a == null ? '' : ` ${signed(Math.round(a) - Math.round(b))}`;
  return `${b != null ? b.toFixed(0) : '–'} → ${a != null ? a.toFixed(0) : '–'}${delta}`;
}

function answeredCell(r: Row): string {
  const f = (v: LevelValue | null) => (v ? `${v.answered}/${v.applicable}` : '–');
  const shown = r.compared ?? { before: r.before, after: r.after };
  return `${f(shown.before)} → ${f(shown.after)}`;
}

function signed(n: number): string {
  const rounded = Math.round(n);
  return rounded > 0 ? `+${rounded}` : rounded < 0 ? `−${-rounded}` : '±0';
}

function levelText(p: Progress, level: number): string {
  return `${level} ${safeText(p.levels.find((l) => l.level === level)?.name ?? '')}`.trim();
}

function valueText(v: LevelValue | null): string {
  return v?.level != null ? `${v.level} ${safeText(v.levelName ?? '')}` : '–';
}

export function answerText(a: { answer: AnswerValue; level: number | null } | null): string {
  if (!a) return '–';
  if (a.answer === 'n/a') return 'n/a';
  return `${safeText(a.answer.join(','))}${a.level !== null ? ` L${a.level}` : ''}`;
}

/** The regressions as one line, naming each aspect and its levels. */
export function regressionText(p: Progress): string {
  return p.aspects
    .filter((a) => a.change === 'down')
    .map((a) => `${a.aspect} (${short(a.compared!.before)} → ${short(a.compared!.after)})`)
    .join(', ');
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function diffMarkdown(p: Progress): string {
  const md = mdEscape;
  const out: string[] = [];
  out.push(`# ${md(p.org)} / ${md(p.scope)}: ${p.from.period} → ${p.to.period}`, '');
  out.push(`Rubric: ${md(p.rubric.summary)}.`, '');
  out.push('| | Aspect | Level | Score | Answered |', '| --- | --- | --- | --- | --- |');
  for (const r of [...p.aspects, { ...p.overall, title: 'Overall' }] as Row[]) {
    out.push(`| ${MARKERS[r.change]} | ${md(r.title)} | ${md(levelCell(r))} | ${md(scoreCell(r))} | ${md(answeredCell(r))} |`);
  }
  const rows = [...p.aspects, { ...p.overall, title: 'Overall' }] as Row[];
  out.push('', `_${md(legend(rows))}${rows.some((r) => r.basis === 'common-questions') ? `; ${md(STAR)}` : ''}_`);
  if (p.regressions.length > 0) out.push('', `**Regressions:** ${md(regressionText(p))}`);

  const targets = p.aspects.filter((a) => a.target !== null);
  if (targets.length > 0) {
    out.push('', '## Targets', '', `| Aspect | Target | In ${p.to.period} | Now |`, '| --- | --- | --- | --- |');
    for (const a of targets)
      out.push(`| ${md(a.title)} | ${md(levelText(p, a.target!.level))} | ${TARGET_WORDS[a.target!.status]} | ${md(valueText(a.after))} |`);
  }

  out.push('', `## Changed answers (${p.answerChanges.length})`, '');
  if (p.answerChanges.length === 0) out.push('None.');
  for (const c of p.answerChanges) out.push(`- ${md(answerChangeLine(c))}`);

  const newly = p.questionChanges.filter((q) => q.kind === 'newly-answered');
  const cleared = p.questionChanges.filter((q) => q.kind === 'cleared');
  if (newly.length > 0) out.push('', '## Newly answered', '', ...newly.map((q) => `- ${md(q.question)}: ${md(answerText(q.after))}`));
  if (cleared.length > 0)
    out.push('', '## No longer answered', '', ...cleared.map((q) => `- ${md(q.question)}: was ${md(answerText(q.before))}`));

  if (p.rubric.comparability !== 'same-rubric') {
    out.push(
      '',
      `## Rubric changes (${md(`${p.from.rubric.id} ${p.from.rubric.version} → ${p.to.rubric.id} ${p.to.rubric.version}`)})`,
      '',
    );
    for (const c of p.rubric.changes.filter((x) => x.affectsScoring || x.kind === 'question-renamed'))
      out.push(`- ${md(describeChange(c))}`);
    for (const l of p.rubric.leftOut) out.push(`- left out of like-for-like: ${md(l.question)}: ${md(l.reason)}`);
  }
  if (p.carried.length > 0) out.push('', `${p.carried.length} answers are still carried over and not yet confirmed.`);
  return `${out.join('\n')}\n`;
}

function answerChangeLine(c: AnswerChange): string {
  const renamed = c.previousId !== c.question ? ` (was ${c.previousId})` : '';
  if (c.kind === 'withdrawn')
    return `${c.question}${renamed}: ${answerText(c.before)} withdrawn by ${c.respondent} (it was given ${c.before!.at.slice(0, 10)})`;
  const note = c.after?.note ? ` — “${c.after.note}”` : '';
  return `${c.question}${renamed}: ${answerText(c.before)} → ${answerText(c.after)}, ${c.respondent}, ${c.after!.at.slice(0, 10)}${note}`;
}

function mdEscape(text: string): string {
  return safeText(text)
    .replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/\s*\n\s*/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// HTML

export function diffHtml(p: Progress): string {
  const h = htmlEscape;
  const title = `${p.org} / ${p.scope}: ${p.from.period} → ${p.to.period}`;
  const rows = ([...p.aspects, { ...p.overall, title: 'Overall' }] as Row[])
    .map(
      (r) =>
        `<tr class="${r.change}"><td class="marker">${MARKERS[r.change]}</td><td>${h(r.title)}</td><td>${h(levelCell(r))}</td><td>${h(scoreCell(r))}</td><td>${h(answeredCell(r))}</td></tr>`,
    )
    .join('\n');
  const targets = p.aspects.filter((a) => a.target !== null);
  const changes = p.answerChanges.map((c) => `<li>${h(answerChangeLine(c))}</li>`).join('\n');
  const rubric =
    p.rubric.comparability === 'same-rubric'
      ? ''
      : `<h2>Rubric changes</h2>\n<ul>\n${[
          ...p.rubric.changes
            .filter((x) => x.affectsScoring || x.kind === 'question-renamed')
            .map((c) => `<li>${h(describeChange(c))}</li>`),
          ...p.rubric.leftOut.map((l) => `<li>left out of like-for-like: ${h(l.question)}: ${h(l.reason)}</li>`),
        ].join('\n')}\n</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${h(title)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .3rem .7rem; border-bottom: 1px solid #d0d7de; }
.marker { font-weight: bold; }
tr.up .marker { color: #1a7f37; } tr.down .marker { color: #cf222e; }
.regressions { color: #cf222e; font-weight: bold; }
.muted { color: #57606a; }
</style>
</head>
<body>
<h1>${h(title)}</h1>
<p>Rubric: ${h(p.rubric.summary)}.</p>
<table>
<thead><tr><th></th><th>Aspect</th><th>Level</th><th>Score</th><th>Answered</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="muted">${h(legend([...p.aspects, p.overall]))}${[...p.aspects, p.overall].some((a) => a.basis === 'common-questions') ? `; ${h(STAR)}` : ''}</p>
${p.regressions.length > 0 ? `<p class="regressions">Regressions: ${h(regressionText(p))}</p>` : ''}
${
  targets.length > 0
    ? `<h2>Targets</h2>\n<table>\n<thead><tr><th>Aspect</th><th>Target</th><th>In ${h(p.to.period)}</th><th>Now</th></tr></thead>\n<tbody>\n${targets
        .map(
          (a) =>
            `<tr><td>${h(a.title)}</td><td>${h(levelText(p, a.target!.level))}</td><td>${TARGET_WORDS[a.target!.status]}</td><td>${h(valueText(a.after))}</td></tr>`,
        )
        .join('\n')}\n</tbody>\n</table>`
    : ''
}
<h2>Changed answers (${p.answerChanges.length})</h2>
${p.answerChanges.length === 0 ? '<p>None.</p>' : `<ul>\n${changes}\n</ul>`}
${questionList(
  'Newly answered',
  p.questionChanges.filter((q) => q.kind === 'newly-answered').map((q) => `${q.question}: ${answerText(q.after)}`),
)}
${questionList(
  'No longer answered',
  p.questionChanges.filter((q) => q.kind === 'cleared').map((q) => `${q.question}: was ${answerText(q.before)}`),
)}
${rubric}
</body>
</html>
`;
}

function questionList(title: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `<h2>${title}</h2>\n<ul>\n${items.map((i) => `<li>${htmlEscape(i)}</li>`).join('\n')}\n</ul>`;
}

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
