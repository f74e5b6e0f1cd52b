// The report's appendix: how scores and levels are computed, how the questions were answered, every answer.

import type { AssessmentState, CombinedAnswer, Response } from '../../assessment/state.js';
import { answerTerms, howToAnswerSections } from '../../rubric/howToAnswer.js';
import { levelName } from '../../rubric/levels.js';
import { NOT_APPLICABLE, type Question, type Rubric } from '../../rubric/types.js';
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
  const lowest = rubric.levels.reduce((a, b) => (b.level < a.level ? b : a));
  const highest = rubric.levels.reduce((a, b) => (b.level > a.level ? b : a));
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
    method: [
      rubric.multiChoice === 'ladder'
        ? 'Each answer has a level: the level of the chosen option. Where several practices can be ticked, the answer is at the highest level whose practices, and those of every level below, are all ticked — a missing basic practice holds it down, however advanced the others.'
        : 'Each answer has a level: the level of the chosen option (where several practices can be ticked, the highest of them).',
      'When several people answer a question, the answer at their median level counts (the lower middle one for an even number), so one optimist cannot lift a level and one pessimist cannot sink it. If more than half say “not applicable”, the question is not applicable. Answers a level or more apart are shown as disagreements.',
      'An answer agreed by consensus (with its rationale) counts instead, until a respondent changes their answer after it. A level is provisional when an unsettled disagreement could move it: scored at some respondent’s answer instead of the median, the aspect would be at another level.',
      `An aspect is at level L when answers at L or above carry more than half of the weight of its answered questions, and no answered gate question is below L. So a level reads as “most of what we do is at ${levelName(rubric, rubric.levels[Math.floor(rubric.levels.length / 2)]?.level ?? lowest.level)}”, not as an average.`,
      `An aspect’s score (0–100) is the weighted mean of its answers, with ${lowest.name} counting 0 and ${highest.name} 100. It shows movement within a level; the level is what counts.`,
      'Unanswered and not-applicable questions, and follow-up questions whose condition is not met, are left out of both and shown as coverage. They never count as zero.',
      'Overall: the same majority rule over the aspects’ levels (weighted by aspect weight), and the weighted mean of the aspects’ scores, over the aspects with any answer.',
    ],
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
