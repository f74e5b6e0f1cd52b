// The report as Markdown, for wikis and pull requests: the same view model and the same order as
// the HTML, without the charts (their numbers are in the tables). Every value from the model is
// escaped with escapeMarkdown; links appear only for http(s) URLs.

import { escapeMarkdown as md, markdownHref, markdownSegments as segments } from '../escape.js';
import type { ReportModel } from './model.js';
import type { StepTracking } from './types.js';

export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) => {
    line(`| ${header.join(' | ')} |`);
    line(`|${header.map(() => ' --- ').join('|')}|`);
    for (const r of rows) line(`| ${r.join(' | ')} |`);
    line();
  };

  line(`# ${md(m.subtitle)}`);
  line();
  line(`*${md(m.title)} · generated ${md(m.generatedOn)}${m.assessment.asOf !== null ? ` · as of ${md(m.assessment.asOf)}` : ''}*`);
  line();
  line(
    `**Overall level:** ${md(m.overall.levelText)} · **score:** ${md(m.overall.scoreText)} · **answered:** ${m.progress.answered} of ${m.progress.applicable}`,
  );
  line();
  line(`> ${m.progress.complete ? '' : '**Unfinished assessment.** '}${md(m.progress.text)}`);
  line();

  line('## Summary');
  line();
  line(`**${md(m.summary.headline)}**`);
  line();
  for (const p of m.summary.paragraphs) {
    line(md(p));
    line();
  }
  line(md(m.summary.nextStepsIntro));
  line();
  for (const s of m.summary.nextSteps)
    line(`${s.number}. **${md(s.title)}** — ${md(s.aspectTitle)}; ${md(s.impactText)}, ${md(s.effortText)}. ${md(s.why)}`);
  if (m.summary.nextSteps.length > 0) line();

  line('## Where we stand');
  line();
  table(
    [m.nouns.Aspect, 'Now', 'Target', ...(m.radar.hasPrevious ? [md(m.radar.previousPeriod ?? ''), 'Change'] : []), 'Score'],
    m.radar.rows.map((r) => [
      md(r.title),
      md(r.currentText),
      md(r.targetText),
      ...(m.radar.hasPrevious ? [md(r.previousText), md(r.changeText)] : []),
      md(r.scoreText),
    ]),
  );
  line('What the levels mean:');
  line();
  for (const l of m.rubric.levels) line(`- **${l.level} · ${md(l.name)}** — ${md(l.summary)}`);
  line();

  line(`## ${m.nouns.Aspect} by ${m.nouns.aspect}`);
  line();
  for (const a of m.aspects) {
    if (a.groupStart !== null) {
      line(`**${md(a.groupStart)}**`);
      line();
    }
    line(`### ${a.number}. ${md(a.title)}`);
    line();
    line(`**Level ${md(a.levelText)}**${a.levelSummary !== null ? ` — ${md(a.levelSummary)}` : ''}`);
    line();
    line(`- Score: ${md(a.scoreText)}`);
    line(`- Coverage: ${md(a.coverageText)}`);
    line(`- Target: ${md(a.targetText)}`);
    if (a.changeText !== null) line(`- Change: ${md(a.changeText)}`);
    line();
    line(`*${md(a.summary)}*`);
    line();
    if (a.cappedByText !== null) {
      line(`**Gate:** ${md(a.cappedByText)}`);
      line();
    }
    if (a.nextLevelText !== null) {
      line(md(a.nextLevelText));
      line();
    }
    if (a.holdingBack.length > 0) {
      line('#### What holds it back');
      line();
      table(
        ['Question', 'Answer', 'Level', 'Roadmap'],
        a.holdingBack.map((h) => [
          `${md(h.question)}${h.gate ? ' *(gate)*' : ''}`,
          `${md(h.answer)}${h.missingText !== null ? ` (${md(h.missingText)})` : ''}`,
          md(h.levelText),
          h.steps.length > 0 ? h.steps.map((s) => `step ${s.number}`).join(', ') : md(h.noStepText ?? ''),
        ]),
      );
    }
    if (a.provisionalText !== null) {
      line(`> **Provisional level.** ${md(a.provisionalText)}`);
      line();
    }
    if (a.disagreements.length > 0) {
      line('#### Where respondents disagree');
      line();
      for (const d of a.disagreements) {
        line(
          `- **${md(d.question)}** — ${md(d.spreadText)}. ${md(d.distributionText)} ${md(d.countsAsText)} ${md(d.impactText)}${d.lapsedText !== null ? ` ${md(d.lapsedText)}` : ''}`,
        );
        for (const x of d.answers) line(`  - ${md(x.respondent)}: ${md(x.answer)} (${md(x.levelText)})`);
      }
      line();
    }
    if (a.consensus.length > 0) {
      line('#### Settled by consensus');
      line();
      for (const c of a.consensus)
        line(
          `- ${md(c.question)}: **${md(c.answer)}** (${md(c.levelText)}) — “${md(c.rationale)}”, facilitated by ${md(c.facilitator)}, ${md(c.on)}. ${md(c.settledText)}`,
        );
      line();
    }
    if (a.evidence.length > 0) {
      line('#### Evidence given');
      line();
      for (const e of a.evidence) line(`- ${md(e.question)}: “${segments(e.segments)}” — ${md(e.respondent)}, ${md(e.on)}`);
      if (a.evidenceMoreText !== null) line(`- ${md(a.evidenceMoreText)}`);
      line();
    }
    if (a.unanswered.length > 0) {
      line('#### Not answered yet');
      line();
      for (const u of a.unanswered) line(`- ${md(u.question)}`);
      line();
    }
    if (a.steps.length > 0) {
      line(`**Roadmap steps:** ${a.steps.map((s) => `${s.number}. ${md(s.title)} (${md(s.phaseName)})`).join('; ')}`);
      line();
    }
  }

  line('## Roadmap');
  line();
  if (m.roadmap.empty) {
    line(md(m.roadmap.emptyText));
    line();
  }
  if (m.roadmap.trackingText !== null) {
    line(md(m.roadmap.trackingText));
    line();
  }
  for (const phase of m.roadmap.empty ? [] : m.roadmap.phases) {
    line(`### ${md(phase.name)}`);
    line();
    line(`*${md(phase.description)}*`);
    line();
    if (phase.empty) {
      line('No steps in this phase.');
      line();
    }
    for (const s of phase.steps) {
      line(
        `${s.number}. **${md(s.title)}** — ${md(s.aspectTitle)}; reaches ${md(s.levelText)}; ${md(s.impactText)}, ${md(s.effortText)}.  `,
      );
      line(`   Step id: \`${md(s.id)}\`; status: ${md(trackingWords(s.tracking))}  `);
      if (s.tracking.disagreementText !== null) line(`   **${md(s.tracking.disagreementText)}**  `);
      line(`   Why: ${md(s.why)}  `);
      line(`   The answers behind it: ${md(s.addressesText)}  `);
      line(
        `   ${md(s.reason)}${s.requires.length > 0 ? `  \n   After: ${s.requires.map((r) => `step ${r.number} (${md(r.title)})`).join('; ')}` : ''}`,
      );
      if (s.requiresMetText !== null) line(`   ${md(s.requiresMetText)}`);
      const links = s.links.flatMap((l) => {
        const href = markdownHref(l.href);
        return href === undefined ? [] : [`[${md(l.title)}](${href})`];
      });
      if (links.length > 0) line(`   Read more: ${links.join(' · ')}`);
      line();
    }
  }
  if (m.roadmap.findOutText !== null) {
    line('### To find out first');
    line();
    line(md(m.roadmap.findOutText));
    line();
    for (const f of m.roadmap.findOut) line(`- **${md(f.question)}** (${md(f.aspectTitle)}, \`${md(f.questionId)}\`): ${md(f.stepsText)}.`);
    line();
  }
  if (m.roadmap.uncoveredText !== null) {
    line('### Answers the rubric has no step for');
    line();
    line(md(m.roadmap.uncoveredText));
    line();
    for (const u of m.roadmap.uncovered)
      line(`- **${md(u.question)}** (${md(u.aspectTitle)}, \`${md(u.questionId)}\`), answered at ${md(u.levelText)}.`);
    line();
  }
  if (m.roadmap.trackedElsewhere.length > 0) {
    line('### Tracked steps this roadmap no longer holds');
    line();
    for (const t of m.roadmap.trackedElsewhere)
      line(
        `- **${md(t.title)}** (${md(t.aspectTitle)}, \`${md(t.id)}\`): ${md(trackingWords(t))}${t.disagreementText !== null ? ` **${md(t.disagreementText)}**` : ''}`,
      );
    line();
  }
  if (m.roadmap.notPlanned !== null) {
    line(md(m.roadmap.notPlanned));
    line();
  }
  line('How the roadmap is built:');
  line();
  for (const r of m.roadmap.rule) line(`- ${md(r)}`);
  line();

  if (m.trend.show) {
    line('## Trend');
    line();
    table(
      ['Period', ...m.trend.columns.map(md)],
      m.trend.rows.map((r) => [
        `${md(r.period)}${r.current ? ' *(this report)*' : ''}`,
        ...r.cells.map((c) => `${md(c.levelText)}${c.scoreText === '' ? '' : ` (${md(c.scoreText)})`}`),
      ]),
    );
  }

  line('## Appendix');
  line();
  line('### How scores and levels are computed');
  line();
  for (const p of m.appendix.method) line(`- ${md(p)}`);
  line();
  if (m.appendix.howToAnswer.length > 0) {
    line('### How the questions were answered');
    line();
    for (const s of m.appendix.howToAnswer) line(`- **${md(s.title)}:** ${md(s.text)}`);
    line();
    if (m.appendix.terms.length > 0)
      table(
        ['Word', 'Means'],
        m.appendix.terms.map((x) => [md(x.term), md(x.meaning)]),
      );
  }
  if (m.respondents.show) {
    line('### Respondents');
    line();
    line(md(m.respondents.text));
    line();
    table(
      ['Respondent', 'Invited', 'Answered', 'Carried', 'Last answer'],
      m.respondents.rows.map((r) => [md(r.respondent), md(r.invitedText), md(r.answeredText), md(r.carriedText), md(r.lastText)]),
    );
  }
  line('### Rubric');
  line();
  line(
    `${md(m.rubric.title)} (${md(m.rubric.id)}), version ${md(m.rubric.version)}, digest \`sha256:${m.rubric.digest.replace(/[^0-9a-f]/g, '')}\`. Assessment ${md(m.assessment.id)}, ${md(m.assessment.statusText)}.`,
  );
  line();
  line('### Every answer');
  line();
  if (m.appendix.answerCount === 0) line('No answers recorded yet.');
  for (const group of m.appendix.aspects) {
    line(`#### ${md(group.title)}`);
    line();
    table(
      ['Question', 'Answer', 'Who', 'When', 'Note'],
      group.answers.map((a) => [
        md(a.question),
        `${md(a.answer)} (${md(a.levelText)})${a.carried ? ' *carried over, not confirmed*' : ''}`,
        md(a.respondent),
        md(a.at),
        a.note === null ? '' : segments(a.note),
      ]),
    );
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** "In progress, owner alice, due 2027-03-31 — waiting for the new cluster". */
function trackingWords(t: StepTracking): string {
  return `${t.statusText}${t.owner !== null ? `, owner ${t.owner}` : ''}${t.dueText !== null ? `, ${t.dueText}` : ''}${t.note !== null ? ` — ${t.note}` : ''}`;
}
