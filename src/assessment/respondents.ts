// Several respondents, one assessment: who is done, where they disagree, and which levels rest on a disagreement
// nobody has settled yet. Pure: state and rubric in, plain data out.

import type { AnswerValue } from './events.js';
import { answerLevel, conditionMet, findQuestion, score, type EffectiveAnswer } from './scoring.js';
import { combinedAnswers, effectiveAnswers, effectiveOf, type AssessmentState, type Consensus, type Response } from './state.js';
import type { Question, Rubric } from '../rubric/types.js';

export interface RespondentProgress {
  readonly respondent: string;
  /** Invited with `cnassess invite` (or `start --respondents`). */
  readonly invited: boolean;
  /** Applicable questions this respondent has answered this period (n/a counts; an unconfirmed carried answer does not). */
  readonly answered: number;
  /** Their answers carried from the previous period and not confirmed yet. */
  readonly carried: number;
  /** Questions that apply, as the combined answers stand. */
  readonly applicable: number;
  /** When they last recorded an answer; null when never. */
  readonly lastAnswerAt: string | null;
}

/** Each expected respondent (in the order invited), then everyone else who answered, with how far each has come. */
export function respondentProgress(rubric: Rubric, state: AssessmentState): RespondentProgress[] {
  const effective = effectiveAnswers(rubric, state);
  const applicable = rubric.aspects.flatMap((a) => a.questions).filter((q) => conditionMet(rubric, q, effective));
  const names = [...new Set([...state.expected, ...state.respondents])];
  return names.map((respondent) => {
    const mine = applicable.flatMap((q) => {
      const r = state.responses.get(q.id)?.get(respondent);
      return r === undefined ? [] : [r];
    });
    const at = mine.filter((r) => !r.carried).map((r) => r.at);
    return {
      respondent,
      invited: state.expected.includes(respondent),
      answered: mine.filter((r) => !r.carried).length,
      carried: mine.filter((r) => r.carried).length,
      applicable: applicable.length,
      lastAnswerAt: at.length === 0 ? null : at.reduce((a, b) => (a > b ? a : b)),
    };
  });
}

export interface Disagreement {
  readonly question: Question;
  readonly aspect: string;
  readonly responses: readonly Response[];
  /** The aspect's level now, and what it would be with the question settled at each distinct answer given. */
  readonly aspectLevel: number | undefined;
  readonly levelIf: readonly { readonly answer: AnswerValue; readonly level: number | undefined }[];
  /** Settling it one way or another would change the aspect's level. */
  readonly consequential: boolean;
  /** A consensus that a respondent's later change undid, if any. */
  readonly lapsed: Consensus | undefined;
}

/**
 * Questions respondents answered differently (a level or more apart, or n/a against an answer) and no consensus in
 * force has settled, most consequential first: gates, then those whose settling would move the aspect's level most,
 * then heavier questions.
 */
export function openDisagreements(rubric: Rubric, state: AssessmentState): Disagreement[] {
  const combined = combinedAnswers(rubric, state);
  const effective = effectiveOf(combined);
  const now = score(rubric, effective);
  const result: (Disagreement & { order: [number, number, number] })[] = [];
  for (const aspect of rubric.aspects) {
    const aspectLevel = now.aspects.find((a) => a.aspect === aspect.id)?.level;
    for (const question of aspect.questions) {
      const c = combined.get(question.id);
      if (c === undefined || !c.disputed || c.consensus !== undefined || !conditionMet(rubric, question, effective)) continue;
      const answers = distinct(c.responses.map((r) => r.answer));
      const levelIf = answers.map((answer) => {
        const settled = new Map<string, EffectiveAnswer>(effective);
        settled.set(question.id, answer === 'n/a' ? { status: 'not-applicable' } : { status: 'answered', choices: answer });
        return { answer, level: score(rubric, settled).aspects.find((a) => a.aspect === aspect.id)?.level };
      });
      const moves = Math.max(0, ...levelIf.map((l) => Math.abs((l.level ?? 0) - (aspectLevel ?? 0))));
      result.push({
        question,
        aspect: aspect.id,
        responses: c.responses,
        aspectLevel,
        levelIf,
        consequential: moves > 0,
        lapsed: c.lapsed,
        order: [question.gate ? 1 : 0, moves, question.weight],
      });
    }
    // Disagreements that move no level one by one may move it together (two questions both settled high): then each
    // of them is consequential, and the level provisional.
    const mine = result.filter((d) => d.aspect === aspect.id);
    if (mine.length > 1 && !mine.some((d) => d.consequential)) {
      const levelWith = (pick: (levels: readonly (number | undefined)[]) => number) => {
        const settled = new Map<string, EffectiveAnswer>(effective);
        for (const d of mine) {
          const chosen = d.levelIf[pick(d.levelIf.map((l) => answerLevelOf(rubric, d.question, l.answer)))];
          if (chosen)
            settled.set(
              d.question.id,
              chosen.answer === 'n/a' ? { status: 'not-applicable' } : { status: 'answered', choices: chosen.answer },
            );
        }
        return score(rubric, settled).aspects.find((a) => a.aspect === aspect.id)?.level;
      };
      const lowest = levelWith((levels) => indexOfExtreme(levels, (a, b) => a < b));
      const highest = levelWith((levels) => indexOfExtreme(levels, (a, b) => a > b));
      if (lowest !== aspectLevel || highest !== aspectLevel)
        for (const d of mine) Object.assign(d, { consequential: true, order: [d.order[0], 1, d.order[2]] });
    }
  }
  return result
    .sort((a, b) => b.order[0] - a.order[0] || b.order[1] - a.order[1] || b.order[2] - a.order[2])
    .map(({ order: _order, ...d }) => d);
}

function distinct(answers: readonly AnswerValue[]): AnswerValue[] {
  const seen = new Map<string, AnswerValue>();
  for (const a of answers) seen.set(a === 'n/a' ? a : [...a].sort().join(','), a);
  return [...seen.values()];
}

function answerLevelOf(rubric: Rubric, question: Question, answer: AnswerValue): number | undefined {
  return answer === 'n/a' ? undefined : answerLevel(rubric, question, answer);
}

/** The index of the level that wins `better` against every other (unanswered levels never win). */
function indexOfExtreme(levels: readonly (number | undefined)[], better: (a: number, b: number) => boolean): number {
  let best = 0;
  levels.forEach((l, i) => {
    const current = levels[best];
    if (l !== undefined && (current === undefined || better(l, current))) best = i;
  });
  return best;
}

/** The consensus decisions in force, on questions still asked (a `when` an answer turned off leaves its consensus out). */
export function consensusInForce(rubric: Rubric, state: AssessmentState): Consensus[] {
  const combined = combinedAnswers(rubric, state);
  const effective = effectiveOf(combined);
  return [...combined.values()].flatMap((c) => {
    const question = c.consensus && findQuestion(rubric, c.consensus.question);
    return c.consensus !== undefined && question !== undefined && conditionMet(rubric, question, effective) ? [c.consensus] : [];
  });
}
