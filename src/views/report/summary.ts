// The report's summary: the headline, the paragraphs a leader reads first, and how much is answered.

import { nounsOf } from '../../rubric/levels.js';
import type { AspectScore, Scorecard } from '../../assessment/scoring.js';
import type { AssessmentState } from '../../assessment/state.js';
import { levelName } from '../../rubric/levels.js';
import type { Rubric } from '../../rubric/types.js';
import { capitalise, list, plural } from '../../text.js';
import type { Assessed, LevelFields, ReportModel } from './types.js';
import { levelLabel, percentOf, type OrgNames } from './words.js';

export function progressOf(card: Scorecard, state: AssessmentState): ReportModel['progress'] {
  const { answered, applicable } = card.overall;
  const percent = percentOf(answered, applicable);
  const complete = applicable > 0 && answered === applicable;
  let carried = 0;
  for (const byRespondent of state.responses.values()) for (const r of byRespondent.values()) if (r.carried) carried++;
  const base = `${answered} of ${plural(applicable, 'applicable question')} answered (${percent}%)`;
  const text =
    state.status === 'completed'
      ? complete
        ? `Completed: all ${plural(applicable, 'applicable question')} answered.`
        : `Marked complete with ${base}.`
      : complete
        ? `In progress: all ${plural(applicable, 'applicable question')} answered, not yet marked complete.`
        : `In progress: ${base}. Levels can still change as the remaining ${applicable - answered} are answered.`;
  return { answered, applicable, percent, complete, carried, text };
}

export function headline(names: OrgNames, state: AssessmentState, overall: LevelFields): string {
  if (overall.level === null) return `${names.full} has no answered question yet for ${state.period}, so there is no level to report.`;
  return `${names.full} is at level ${overall.level}, ${overall.levelName}, overall in ${state.period}.`;
}

export function summaryParagraphs(
  rubric: Rubric,
  card: Scorecard,
  state: AssessmentState,
  progress: ReportModel['progress'],
  names: OrgNames,
  previous: (Assessed & { card: Scorecard }) | undefined,
  people: { readonly respondentsText: string; readonly provisional: readonly string[]; readonly trackingText: string | null },
): string[] {
  const paragraphs: string[] = [];
  const { level, score } = card.overall;
  if (level !== undefined) {
    const meaning = rubric.levels.find((l) => l.level === level)?.summary ?? '';
    paragraphs.push(
      `${levelName(rubric, level)} means: ${meaning} The overall score is ${Math.round(score ?? 0)} of 100; it shows movement within a level.`,
    );
  }
  paragraphs.push(
    `${progress.text} ${people.respondentsText}${
      progress.carried > 0
        ? ` ${plural(progress.carried, 'answer was', 'answers were')} carried over from the previous period and not yet confirmed.`
        : ''
    }`,
  );

  const title = (id: string) => rubric.aspects.find((a) => a.id === id)?.title ?? id;
  const assessed = card.aspects.filter((a): a is AspectScore & { level: number; score: number } => a.level !== undefined);
  const unassessed = card.aspects.filter((a) => a.level === undefined).map((a) => title(a.aspect));
  if (assessed.length >= 2) {
    const ranked = [...assessed].sort((a, b) => b.level - a.level || b.score - a.score);
    const best = ranked[0]!;
    const worst = ranked.at(-1)!;
    const describe = (a: AspectScore & { level: number; score: number }) =>
      `${title(a.aspect)} (${levelLabel(rubric, a.level)}, score ${Math.round(a.score)})`;
    paragraphs.push(
      best.level === worst.level && best.score === worst.score
        ? `All assessed ${nounsOf(rubric).aspects} stand at ${levelLabel(rubric, best.level)} with the same score.`
        : `The strongest ${nounsOf(rubric).aspect} is ${describe(best)}; the weakest is ${describe(worst)}.`,
    );
  }
  if (unassessed.length > 0) paragraphs.push(`Not assessed yet: ${list(unassessed)}.`);
  if (people.provisional.length > 0) {
    const one = people.provisional.length === 1;
    paragraphs.push(
      `Provisional: the level of ${list(people.provisional)} rests on disagreements nobody has settled yet — respondents answered differently, and settling could move ${one ? 'it' : 'them'} (see ${one ? 'its section' : 'their sections'}).`,
    );
  }

  if (previous) {
    const before = previous.card.overall;
    const parts: string[] = [];
    if (before.level !== undefined && level !== undefined) {
      parts.push(
        before.level === level
          ? `the overall level is unchanged at ${levelLabel(rubric, level)}`
          : `the overall level ${level > before.level ? 'rose' : 'fell'} from ${levelLabel(previous.rubric, before.level)} to ${levelLabel(rubric, level)}`,
      );
    }
    if (before.score !== undefined && score !== undefined) {
      const a = Math.round(before.score);
      const b = Math.round(score);
      parts.push(a === b ? `the score held at ${b}` : `the score ${b > a ? 'rose' : 'fell'} from ${a} to ${b}`);
    }
    const moves: string[] = [];
    for (const a of card.aspects) {
      const was = previous.card.aspects.find((p) => p.aspect === a.aspect)?.level;
      if (was === undefined || a.level === undefined || was === a.level) continue;
      moves.push(
        `${title(a.aspect)} ${a.level > was ? 'rose' : 'fell'} from ${levelLabel(previous.rubric, was)} to ${levelLabel(rubric, a.level)}`,
      );
    }
    const since = `Since ${previous.state.period}`;
    const first = parts.length > 0 ? `${since}, ${list(parts)}.` : `${since}: the levels cannot be compared yet.`;
    // Each period is scored with its own rubric; across a rubric change, `diff` is the like-for-like view.
    const rubricChanged =
      previous.state.rubric.digest !== state.rubric.digest
        ? ` ${previous.state.period} was answered against ${previous.rubric.id} ${previous.rubric.version} and ${state.period} against ${rubric.id} ${rubric.version}; each is scored with its own rubric, and “cnassess diff” compares the two like for like.`
        : '';
    paragraphs.push(
      `${first} ${moves.length > 0 ? `${capitalise(list(moves))}.` : `No ${nounsOf(rubric).aspect} changed level.`}${rubricChanged}`,
    );
  } else {
    paragraphs.push(`This is the first assessment of ${names.full} in this log, so there is no earlier period to compare with yet.`);
  }
  if (people.trackingText !== null)
    paragraphs.push(`Roadmap steps: ${people.trackingText.charAt(0).toLowerCase()}${people.trackingText.slice(1)}`);
  return paragraphs;
}
