// One aspect's section of the report: its level and why, what holds it back, disagreements, evidence, what is open.

import type { Plan } from '../../assessment/roadmap.js';
import type { AspectScore } from '../../assessment/scoring.js';
import type { CombinedAnswer } from '../../assessment/state.js';
import { levelName } from '../../rubric/levels.js';
import type { Aspect, Rubric } from '../../rubric/types.js';
import { linkify } from '../escape.js';
import { list } from '../../text.js';
import type { AnswerRef, AspectSection } from './types.js';
import { answerText, levelFields, levelLabel, percentOf, responseLevel, scoreText } from './words.js';

export interface SectionContext {
  readonly anchor: string;
  readonly number: number;
  readonly target: Plan['targets'][number];
  readonly previousLevel: number | undefined;
  readonly previousPeriod: string | undefined;
  readonly combined: ReadonlyMap<string, CombinedAnswer>;
  readonly stepsRaising: (question: string) => AnswerRef['steps'];
  readonly steps: AspectSection['steps'];
}

export function aspectSection(rubric: Rubric, aspect: Aspect, a: AspectScore, c: SectionContext): AspectSection {
  const question = (id: string) => aspect.questions.find((q) => q.id === id);
  const effectiveText = (id: string): string => {
    const e = c.combined.get(id)?.effective;
    return e?.status === 'answered' ? answerText(question(id), e.choices) : 'Not applicable';
  };
  const { target } = c;
  const targetText =
    target.target === undefined
      ? a.level === undefined
        ? 'none until assessed'
        : 'top level reached'
      : `${levelLabel(rubric, target.target)}${target.source === 'set' ? (a.level !== undefined && a.level >= target.target ? ' (set; reached)' : ' (set)') : ' (one level up)'}`;
  const changeText =
    c.previousPeriod === undefined
      ? null
      : c.previousLevel === undefined || a.level === undefined
        ? `Not comparable with ${c.previousPeriod}: not assessed in both periods.`
        : c.previousLevel === a.level
          ? `Unchanged since ${c.previousPeriod}.`
          : `${a.level > c.previousLevel ? 'Up' : 'Down'} from ${levelLabel(rubric, c.previousLevel)} in ${c.previousPeriod}.`;
  const capped = a.cappedBy !== undefined ? question(a.cappedBy) : undefined;
  const nextName = a.nextLevel !== undefined ? levelName(rubric, a.nextLevel) : undefined;
  const hasGates = aspect.questions.some((q) => q.gate);

  const evidence: AspectSection['evidence'][number][] = [];
  const disagreements: AspectSection['disagreements'][number][] = [];
  for (const q of aspect.questions) {
    const answers = c.combined.get(q.id);
    if (!answers) continue;
    for (const r of answers.responses) {
      if (r.note !== undefined && r.note.trim() !== '')
        evidence.push({ questionId: q.id, question: q.text, respondent: r.respondent, on: r.at.slice(0, 10), segments: linkify(r.note) });
    }
    if (answers.spread >= 2) {
      disagreements.push({
        questionId: q.id,
        question: q.text,
        spread: answers.spread,
        answers: answers.responses.map((r) => {
          const l = responseLevel(rubric, q, r.answer);
          return { respondent: r.respondent, answer: answerText(q, r.answer), levelText: l === undefined ? '–' : levelLabel(rubric, l) };
        }),
      });
    }
  }

  return {
    id: aspect.id,
    anchor: c.anchor,
    number: c.number,
    title: aspect.title,
    summary: aspect.summary,
    ...levelFields(rubric, a.level),
    score: a.score ?? null,
    scoreText: scoreText(a.score),
    answered: a.answered,
    applicable: a.applicable,
    notApplicable: a.notApplicable,
    coveragePercent: percentOf(a.answered, a.applicable),
    coverageText: `${a.answered} of ${a.applicable} answered (${percentOf(a.answered, a.applicable)}%)${a.notApplicable > 0 ? `, ${a.notApplicable} not applicable` : ''}`,
    targetText,
    changeText,
    cappedByText:
      a.cappedBy !== undefined && a.level !== undefined
        ? `Capped at ${levelLabel(rubric, a.level)} by a gate question — “${capped?.text ?? a.cappedBy}” — answered at that level. An aspect cannot stand above its lowest gate answer.`
        : null,
    nextLevelText:
      a.nextLevel !== undefined && nextName !== undefined
        ? `To reach ${levelLabel(rubric, a.nextLevel)}, answers at ${nextName} or above must carry more than half of the answered weight (now ${percentOf(a.nextLevelShare ?? 0, 1)}%)${hasGates ? `, and every gate question must be answered at ${nextName} or above` : ''}.`
        : null,
    holdingBack: a.holdingBack.map((h): AnswerRef => {
      const q = question(h.question);
      const missing = a.questions.find((s) => s.question === h.question)?.missingPractices ?? [];
      const steps = c.stepsRaising(h.question);
      const reached = target.target !== undefined && a.level !== undefined && a.level >= target.target;
      return {
        questionId: h.question,
        question: q?.text ?? h.question,
        answer: effectiveText(h.question),
        levelText: levelLabel(rubric, h.level),
        gate: h.gate,
        missingText:
          missing.length === 0
            ? null
            : `Held at ${levelLabel(rubric, h.level)} by a missing practice: ${list(missing.map((id) => `“${q?.choices.find((x) => x.id === id)?.label ?? id}”`))}. A practice counts only with every practice below it.`,
        steps,
        noStepText:
          steps.length > 0
            ? null
            : reached
              ? 'No step: the aspect has reached its target.'
              : 'No step: the rubric has no recommendation that raises this answer toward the target.',
      };
    }),
    evidence,
    disagreements,
    unanswered: a.questions
      .filter((q) => q.status === 'unanswered')
      .map((q) => ({ questionId: q.question, question: question(q.question)?.text ?? q.question })),
    steps: c.steps,
  };
}
