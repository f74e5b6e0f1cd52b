// Naming levels: one place, since every view (score, report, diff, trend) says "3 Scale".
import { capitalise } from '../text.js';
import type { Rubric, Nouns } from './types.js';

/** The level's name, or its number when the rubric does not define it. */
export function levelName(rubric: Rubric, level: number): string {
  return rubric.levels.find((l) => l.level === level)?.name ?? String(level);
}

/** What the rubric calls an aspect, also with a capital, as headings and table headers say it. */
export type HeadingNouns = Nouns & { readonly Aspect: string; readonly Aspects: string };

/** The nouns with capitals too, as a heading or a table header says them ("Pillar", "Pillars"). */
export function headingNounsOf(rubric: Pick<Rubric, 'nouns'>): HeadingNouns {
  const nouns = nounsOf(rubric);
  return { ...nouns, Aspect: capitalise(nouns.aspect), Aspects: capitalise(nouns.aspects) };
}

/** What the rubric calls an aspect (a pillar, a category, a dimension); "aspect" unless it says. */
export function nounsOf(rubric: Pick<Rubric, 'nouns'>): Nouns {
  return rubric.nouns ?? { aspect: 'aspect', aspects: 'aspects' };
}
