// What `cnassess diff` shows, in words: one model that the terminal text, the Markdown and the HTML page all render,
// so the three say the same thing. Plain unescaped text; each renderer escapes for its own format. Pure.

import type { HeadingNouns } from '../../rubric/levels.js';
import { headingNounsOf } from '../../rubric/levels.js';
import type { AnswerValue } from '../../assessment/events.js';
import type { AnswerChange, AspectChange, AspectProgress, LevelValue, Progress, TargetStatus } from '../../compare/compare.js';
import { describeChange, type RubricChange } from '../../compare/rubricDiff.js';
import { plural } from '../../text.js';
import { linkify, type TextSegment } from '../escape.js';

export const MARKERS: Readonly<Record<AspectChange, string>> = { up: '▲', down: '▼', same: '=', added: '+', removed: '−', unscored: '·' };
/** What each marker means, in the rubric's own noun for an aspect. */
const meaningOf = (aspect: string): Readonly<Record<AspectChange, string>> => ({
  up: 'level up',
  down: 'level down',
  same: 'same level',
  added: `new ${aspect}`,
  removed: `removed ${aspect}`,
  unscored: 'no level on one side',
});
const STAR = '* like for like: over the questions both rubric versions share, scored with the newer one';
const TARGET_WORDS: Readonly<Record<TargetStatus, string>> = {
  kept: 'still met',
  reached: 'reached',
  missed: 'not reached',
  lost: 'no longer met',
};
const ANSWER_MARKS = {
  up: { marker: '▲', meaning: 'higher level' },
  down: { marker: '▼', meaning: 'lower level' },
  same: { marker: '=', meaning: 'same level' },
  new: { marker: '+', meaning: 'new answer' },
  withdrawn: { marker: '−', meaning: 'withdrawn' },
  other: { marker: '~', meaning: 'changed' },
} as const;

export interface DiffPage {
  readonly title: string;
  /** What the newer rubric calls an aspect, as table headers say it. */
  readonly nouns: HeadingNouns;
  /** "(2026-Q4 still in progress)", or empty. */
  readonly openText: string;
  readonly idsText: string;
  readonly rubricText: string;
  readonly aspects: readonly DiffAspectRow[];
  readonly legend: string;
  /** What `*` means, when a row is compared like for like; else null. */
  readonly starText: string | null;
  readonly regressionsText: string | null;
  readonly targets: readonly {
    readonly title: string;
    readonly targetText: string;
    readonly statusText: string;
    readonly nowText: string;
  }[];
  readonly targetsPeriodHeader: string;
  readonly answerChangesTitle: string;
  readonly answerChanges: readonly DiffAnswerRow[];
  readonly newlyAnswered: readonly { readonly question: string; readonly answerText: string }[];
  readonly noLongerAnswered: readonly { readonly question: string; readonly answerText: string }[];
  readonly rubricChanges: {
    readonly title: string;
    readonly items: readonly { readonly label: string; readonly text: string }[];
    /** Changes that move no level or score, counted; null when there are none. */
    readonly wordingText: string | null;
  } | null;
  readonly carriedText: string | null;
  /** The answers respondents agreed on in the later quarter, each with why and whether it still holds. */
  readonly consensus: readonly { readonly headline: string; readonly byline: string; readonly rationale: string }[];
  /** Which levels of the later quarter rest on a disagreement nobody has settled; null when none. */
  readonly provisionalText: string | null;
  /** Roadmap steps whose status changed: "app-adopt-gitops (Adopt GitOps): in-progress → done". */
  readonly steps: readonly { readonly headline: string; readonly byline: string }[];
  /** Steps marked done that the later quarter's answers still call for, one sentence each. */
  readonly doneButOpen: readonly string[];
}

export interface DiffAspectRow {
  readonly change: AspectChange;
  readonly marker: string;
  readonly changeText: string;
  readonly title: string;
  readonly levelText: string;
  readonly scoreText: string;
  readonly answeredText: string;
  readonly overall: boolean;
}

export interface DiffAnswerRow {
  readonly marker: string;
  readonly markerText: string;
  /** "app-deploy (was app-delivery): pipeline L3 → gitops L4" */
  readonly headline: string;
  /** Who and when, and for a withdrawn answer what it was. */
  readonly byline: string;
  readonly withdrawn: boolean;
  /** The note given with the new answer, as text and http(s) links; empty for none. */
  readonly note: readonly TextSegment[];
}

type Row = Pick<AspectProgress, 'before' | 'after' | 'basis' | 'compared' | 'change' | 'scoreDelta'> & { title: string };

export function diffPage(p: Progress): DiffPage {
  const rows: Row[] = [...p.aspects, { ...p.overall, title: 'Overall' }];
  const targets = p.aspects.flatMap((a) =>
    a.target === null
      ? []
      : [{ title: a.title, targetText: levelText(p, a.target.level), statusText: TARGET_WORDS[a.target.status], nowText: short(a.after) }],
  );
  return {
    title: `${p.org} / ${p.scope}: ${p.from.period} → ${p.to.period}`,
    nouns: headingNounsOf({ nouns: p.nouns }),
    openText: p.to.status === 'open' ? `(${p.to.period} still in progress)` : '',
    idsText: `${p.from.id} → ${p.to.id}`,
    rubricText: `Rubric: ${p.rubric.summary}.`,
    aspects: rows.map((r, i) => ({
      change: r.change,
      marker: MARKERS[r.change],
      changeText: meaningOf(p.nouns.aspect)[r.change],
      title: r.title,
      levelText: levelCell(r),
      scoreText: scoreCell(r),
      answeredText: answeredCell(r),
      overall: i === rows.length - 1,
    })),
    legend: legend(rows, p.nouns.aspect),
    starText: rows.some((r) => r.basis === 'common-questions') ? STAR : null,
    regressionsText: p.regressions.length > 0 ? `Regressions: ${regressionText(p)}` : null,
    targets,
    targetsPeriodHeader: `in ${p.to.period}`,
    answerChangesTitle: `Changed answers (${p.answerChanges.length})`,
    answerChanges: p.answerChanges.map(answerRow),
    newlyAnswered: p.questionChanges
      .filter((q) => q.kind === 'newly-answered')
      .map((q) => ({ question: q.question, answerText: answerText(q.after) })),
    noLongerAnswered: p.questionChanges
      .filter((q) => q.kind === 'cleared')
      .map((q) => ({ question: q.question, answerText: `was ${answerText(q.before)}` })),
    rubricChanges: p.rubric.comparability === 'same-rubric' ? null : rubricChanges(p),
    carriedText:
      p.carried.length > 0
        ? `${plural(p.carried.length, 'answer is', 'answers are')} still carried over from an earlier quarter and not yet confirmed; \`cnassess assess\` asks about them.`
        : null,
    consensus: p.consensus.map((c) => ({
      headline: `${c.question} = ${answerText(c)}`,
      byline: `facilitated by ${c.facilitator}, ${c.at.slice(0, 10)}${c.holds ? '' : '; no longer holds: an answer changed after it'}`,
      rationale: c.rationale,
    })),
    steps: p.steps.map((s) => ({
      headline: `${s.step} (${s.title}): ${s.before ?? 'no status'} → ${s.after ?? 'no status'}`,
      byline:
        s.at === null
          ? s.notInRubric
            ? `not a step of ${p.to.rubric.id} ${p.to.rubric.version}, so not carried`
            : 'status removed'
          : `${s.by ?? ''}, ${s.at.slice(0, 10)}${s.note !== null ? `: “${s.note}”` : ''}`,
    })),
    doneButOpen: p.doneButOpen.map(
      (s) => `${s.step} is marked done, but the answers of ${p.to.period} still call for it: ${s.stillOpen.join(', ')}.`,
    ),
    provisionalText:
      p.provisional.length > 0
        ? `Provisional in ${p.to.period}: respondents still disagree on ${p.provisional.map((q) => q.question).join(', ')}, and settling could move ${plural(new Set(p.provisional.map((q) => q.aspect)).size, 'level')}; \`cnassess settle\` walks through them.`
        : null,
  };
}

function answerRow(c: AnswerChange): DiffAnswerRow {
  const mark =
    c.kind === 'new'
      ? ANSWER_MARKS.new
      : c.kind === 'withdrawn'
        ? ANSWER_MARKS.withdrawn
        : c.before?.level != null && c.after?.level != null
          ? c.after.level > c.before.level
            ? ANSWER_MARKS.up
            : c.after.level < c.before.level
              ? ANSWER_MARKS.down
              : ANSWER_MARKS.same
          : ANSWER_MARKS.other;
  const renamed = c.previousId !== c.question ? ` (was ${c.previousId})` : '';
  const given = (c.after ?? c.before)?.at.slice(0, 10) ?? '';
  return {
    marker: mark.marker,
    markerText: mark.meaning,
    headline: `${c.question}${renamed}: ${answerText(c.before)} → ${answerText(c.after)}`,
    byline: c.kind === 'withdrawn' ? `${c.respondent}: answer withdrawn (it was given ${given})` : `${c.respondent}, ${given}`,
    withdrawn: c.kind === 'withdrawn',
    note: c.kind !== 'withdrawn' && c.after?.note ? linkify(c.after.note) : [],
  };
}

function rubricChanges(p: Progress): NonNullable<DiffPage['rubricChanges']> {
  const items: { label: string; text: string }[] = [];
  for (const r of p.rubric.renamed) items.push({ label: 'renamed', text: `${r.from} → ${r.to} (${r.aspect}); compared as one question` });
  for (const a of p.rubric.added)
    items.push({
      label: 'added',
      text: `${a.question} (${a.aspect}): ${a.after ? answerText(a.after) : 'not answered'}; not in like-for-like`,
    });
  for (const r of p.rubric.removed)
    items.push({ label: 'removed', text: `${r.question} (${r.aspect}): ${r.before ? `was ${answerText(r.before)}` : 'was not answered'}` });
  for (const l of p.rubric.leftOut) items.push({ label: 'left out', text: `${l.question}: ${l.reason}` });
  const other = p.rubric.changes.filter(
    (c) => c.affectsScoring && !['question-added', 'question-removed', 'question-renamed'].includes(c.kind),
  );
  for (const text of scoringChanges(other)) items.push({ label: 'scoring', text });
  const wording = p.rubric.changes.filter((c) => !c.affectsScoring && c.kind !== 'question-renamed').length;
  return {
    title: `Rubric changes (${p.from.rubric.id} ${p.from.rubric.version} → ${p.to.rubric.id} ${p.to.rubric.version})`,
    items,
    wordingText: wording > 0 ? `and ${plural(wording, 'change')} to wording or recommendations (cnassess rubric diff shows them)` : null,
  };
}

/**
 * Changes that can move a level, one line per question (a major version changes dozens of choices of one question:
 * they are counted, not listed; `cnassess rubric diff` lists each), then the rest one per line.
 */
function scoringChanges(changes: readonly RubricChange[]): string[] {
  const lines: string[] = [];
  const byQuestion = new Map<string, { said: string[]; choices: Map<string, number> }>();
  const of = (question: string) => {
    let entry = byQuestion.get(question);
    if (!entry) byQuestion.set(question, (entry = { said: [], choices: new Map() }));
    return entry;
  };
  for (const c of changes) {
    const [question = '', choice] = c.subject.split('/');
    if (c.kind.startsWith('choice-') && choice !== undefined) {
      const what = CHOICE_WORDS[c.kind] ?? 'changed';
      const counts = of(question).choices;
      counts.set(what, (counts.get(what) ?? 0) + 1);
    } else if (c.kind.startsWith('question-')) {
      const text = describeChange(c);
      of(question).said.push(text.startsWith(`${question} `) ? text.slice(question.length + 1) : text);
    } else lines.push(describeChange(c));
  }
  for (const [question, { said, choices }] of byQuestion) {
    const counted = [...choices].map(([what, n], i) => (i === 0 ? `${plural(n, 'choice')} ${what}` : `${n} ${what}`)).join(', ');
    lines.push(`${question}: ${[...said, ...(counted === '' ? [] : [counted])].join('; ')}`);
  }
  return lines;
}

const CHOICE_WORDS: Readonly<Record<string, string>> = {
  'choice-added': 'added',
  'choice-removed': 'removed',
  'choice-relevelled': 're-levelled',
  'choice-exclusive': 'now "none of these"',
};

/** The markers the table uses, explained (only those, so the line stays short). */
function legend(rows: readonly { change: AspectChange }[], aspect: string): string {
  const used = new Set(rows.map((r) => r.change));
  const meaning = meaningOf(aspect);
  return (Object.keys(MARKERS) as AspectChange[])
    .filter((c) => used.has(c))
    .map((c) => `${MARKERS[c]} ${meaning[c]}`)
    .join('  ');
}

function levelCell(r: Row): string {
  const star = r.basis === 'common-questions' ? '*' : '';
  const shown = r.compared ?? { before: r.before, after: r.after };
  return `${short(shown.before)} → ${short(shown.after)}${star}`;
}

function short(v: LevelValue | null): string {
  return v?.level != null ? `${v.level} ${v.levelName ?? ''}`.trim() : '–';
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
  return `${level} ${p.levels.find((l) => l.level === level)?.name ?? ''}`.trim();
}

export function answerText(a: { answer: AnswerValue; level: number | null } | null): string {
  if (!a) return '–';
  if (a.answer === 'n/a') return 'n/a';
  return `${a.answer.join(',')}${a.level !== null ? ` L${a.level}` : ''}`;
}

/** The regressions as one line, naming each aspect and its levels. */
export function regressionText(p: Progress): string {
  return p.aspects
    .filter((a) => a.change === 'down')
    .map((a) => `${a.aspect} (${short(a.compared?.before ?? null)} → ${short(a.compared?.after ?? null)})`)
    .join(', ');
}
