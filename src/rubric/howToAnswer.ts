// How to answer, as a rubric states it once: the same sections, in the same order, wherever it is shown (the
// questionnaire, `rubric show`, the report's appendix). Pure.

import type { Rubric } from './types.js';

export interface HowToAnswerSection {
  readonly title: string;
  readonly text: string;
}

const SECTIONS = [
  ['scope', 'What to answer for'],
  ['between', 'Between two choices'],
  ['unknown', 'When you cannot tell, and not applicable'],
  ['evidence', 'What counts as evidence'],
] as const;

/** The rubric's how-to-answer sections that it states, in a fixed order; empty for a rubric that states none. */
export function howToAnswerSections(rubric: Pick<Rubric, 'howToAnswer'>): HowToAnswerSection[] {
  const how = rubric.howToAnswer;
  if (how === undefined) return [];
  return SECTIONS.flatMap(([key, title]) => (how[key] === undefined ? [] : [{ title, text: how[key] }]));
}

/** The words with one meaning across the rubric. */
export function answerTerms(rubric: Pick<Rubric, 'howToAnswer'>): readonly { readonly term: string; readonly meaning: string }[] {
  return rubric.howToAnswer?.terms ?? [];
}
