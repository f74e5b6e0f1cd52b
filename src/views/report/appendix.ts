// The report's appendix: how scores and levels are computed, how the questions were answered, every answer.

import type { AssessmentState, CombinedAnswer, Response } from '../../assessment/state.js';
import { answerTerms, howToAnswerSections } from '../../rubric/howToAnswer.js';
import { aspectRule, multiChoiceRule, overallRule } from '../../assessment/scoring.js';
import { levelName, nounsOf } from '../../rubric/levels.js';
import { article, list } from '../../text.js';
import { NOT_APPLICABLE, type AspectRule, type Question, type Rubric } from '../../rubric/types.js';
import { linkify } from '../escape.js';
import type { AppendixAnswer, ReportModel } from './types.js';
import { answerText, levelDistribution, levelLabel, responseLevel } from './words.js';

export function appendixOf(
  rubric: Rubric,
  state: AssessmentState,
  combined: ReadonlyMap<string, CombinedAnswer>,
  manyRespondents: boolean,
): ReportModel['appendix'] {
  const aspects = rubric.aspects
    .map((aspect) => ({
      title: aspect.title,
      answers: aspect.questions.flatMap((q) =>
        [...(state.responses.get(q.id)?.values() ?? [])].sort((a, b) => a.seq - b.seq).map((r) => appendixAnswer(rubric, q, r)),
      ),
    }))
    .filter((a) => a.answers.length > 0);
  const answerCount = aspects.reduce((n, a) => n + a.answers.length, 0);
  return {
    answerCount,
    aspects,
    byQuestion: manyRespondents ? byQuestion(rubric, combined) : [],
    exportsText: manyRespondents
      ? `The ${answerCount} individual answers and their notes are in the Markdown and JSON reports (“cnassess report ${state.id} --format md”); here, each question's answers as a distribution.`
      : null,
    howToAnswer: howToAnswerSections(rubric),
    terms: answerTerms(rubric).map((x) => ({ term: x.term, meaning: x.meaning })),
    method: methodOf(rubric),
  };
}

export function appendixAnswer(rubric: Rubric, q: Question, r: Response): AppendixAnswer {
  const l = responseLevel(rubric, q, r.answer);
  return {
    questionId: q.id,
    question: q.text,
    respondent: r.respondent,
    answer: answerText(q, r.answer),
    levelText: l === undefined ? '–' : levelLabel(rubric, l),
    at: `${r.at.slice(0, 16).replace('T', ' ')} UTC`,
    carried: r.carried,
    note: r.note !== undefined && r.note.trim() !== '' ? linkify(r.note) : null,
  };
}

/** One row per answered question: the answer that counts and how the respondents' answers spread. */
function byQuestion(rubric: Rubric, combined: ReadonlyMap<string, CombinedAnswer>): ReportModel['appendix']['byQuestion'] {
  return rubric.aspects.flatMap((aspect) =>
    aspect.questions.flatMap((q) => {
      const c = combined.get(q.id);
      if (c === undefined || c.responses.length === 0) return [];
      const distribution = levelDistribution(rubric, q, c.responses);
      const effective = c.effective.status === 'answered' ? c.effective.choices : NOT_APPLICABLE;
      const level = responseLevel(rubric, q, effective);
      return [
        {
          aspect: aspect.title,
          questionId: q.id,
          question: q.text,
          answerText: `${answerText(q, effective)} (${level === undefined ? '–' : levelLabel(rubric, level)})${c.consensus ? ', by consensus' : ''}`,
          distributionText: `${distribution.text}; ${distribution.medianText}`,
          notes: c.responses.filter((r) => r.note !== undefined && r.note.trim() !== '').length,
        },
      ];
    }),
  );
}

/** How this rubric scores, in words: written from the rules it uses, so the report never describes another rule. */
export function methodOf(rubric: Rubric): string[] {
  const lowest = rubric.levels.reduce((a, b) => (b.level < a.level ? b : a));
  const highest = rubric.levels.reduce((a, b) => (b.level > a.level ? b : a));
  const questions = rubric.aspects.flatMap((a) => a.questions).filter((q) => q.type === 'multi');
  const multiRules = new Set(questions.map((q) => multiChoiceRule(rubric, q)));
  const aspectRules = new Set(rubric.aspects.map((a) => aspectRule(rubric, a)));
  const aspectNoun = nounsOf(rubric);
  const multi: string[] = [];
  if (multiRules.has('highest')) multi.push('where several practices can be ticked, the highest of them');
  if (multiRules.has('ladder'))
    multi.push(
      'where several practices can be ticked, the highest level whose practices, and those of every level below, are all ticked — a missing basic practice holds it down, however advanced the others',
    );
  if (multiRules.has('rules'))
    multi.push(
      'for a question with answer rules, the level of the first of its rules that the ticked practices meet (as a risk rule of the source model decides)',
    );
  const sentences: string[] = [
    `Each answer has a level: the level of the chosen option${multi.length > 0 ? `; ${multi.join('; ')}` : ''}.`,
    'When several people answer a question, the answer at their median level counts (the lower middle one for an even number), so one optimist cannot lift a level and one pessimist cannot sink it. If more than half say “not applicable”, the question is not applicable. Answers a level or more apart are shown as disagreements.',
    `An answer agreed by consensus (with its rationale) counts instead, until a respondent changes their answer after it. A level is provisional when an unsettled disagreement could move it: scored at some respondent’s answer instead of the median, the ${aspectNoun.aspect} would be at another level.`,
  ];
  const which = (rule: AspectRule) =>
    aspectRules.size > 1 ? ` (${list(rubric.aspects.filter((a) => aspectRule(rubric, a) === rule).map((a) => a.title))})` : '';
  if (aspectRules.has('majority'))
    sentences.push(
      `${article(aspectNoun.aspect)} ${aspectNoun.aspect}${which('majority')} is at level L when answers at L or above carry more than half of the weight of its answered questions, and no answered gate question is below L. So a level reads as “most of what we do is at ${levelName(rubric, rubric.levels[Math.floor(rubric.levels.length / 2)]?.level ?? lowest.level)}”, not as an average.`,
    );
  if (aspectRules.has('worst'))
    sentences.push(`${article(aspectNoun.aspect)} ${aspectNoun.aspect}${which('worst')} is at the level of its lowest answer.`);
  if (aspectRules.has('mean'))
    sentences.push(
      `${article(aspectNoun.aspect)} ${aspectNoun.aspect}${which('mean')} has the weighted mean of its answers’ levels (shown to two decimals), and is at the level that mean reaches, rounded down.`,
    );
  if (aspectRules.has('cumulative'))
    sentences.push(
      `${article(aspectNoun.aspect)} ${aspectNoun.aspect}${which('cumulative')} is at the highest level L, up to the highest any of its questions reaches, at which every question whose top level is L or below is met at its top level; an unanswered question is not met.`,
    );
  sentences.push(
    `${article(aspectNoun.aspect)} ${aspectNoun.aspect}’s score (0–100) is the weighted mean of its answers, with ${lowest.name} counting 0 and ${highest.name} 100. It shows movement within a level; the level is what counts.`,
    'Unanswered and not-applicable questions, and follow-up questions whose condition is not met, are left out of both and shown as coverage. They never count as zero.',
  );
  const overall = overallRule(rubric);
  sentences.push(
    `Overall: ${
      overall === 'majority'
        ? `the same majority rule over the ${aspectNoun.aspects}’ levels (weighted by ${aspectNoun.aspect} weight)`
        : overall === 'mean'
          ? `the weighted mean of the ${aspectNoun.aspects}’ means, rounded down to a level`
          : `the lowest of the ${aspectNoun.aspects}’ levels`
    }, and the weighted mean of the ${aspectNoun.aspects}’ scores, over the ${aspectNoun.aspects} with any answer.`,
  );
  return sentences;
}
