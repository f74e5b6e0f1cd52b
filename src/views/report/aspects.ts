// One aspect's section of the report: its level and why, what holds it back, disagreements, evidence, what is open.

import type { Plan } from '../../assessment/roadmap.js';
import { conditionMet, type AspectScore, type EffectiveAnswer } from '../../assessment/scoring.js';
import { effectiveOf, type CombinedAnswer } from '../../assessment/state.js';
import { levelName } from '../../rubric/levels.js';
import type { Aspect, Rubric } from '../../rubric/types.js';
import { linkify } from '../escape.js';
import { list, plural } from '../../text.js';
import type { Disagreement as OpenDisagreement } from '../../assessment/respondents.js';
import { NOT_APPLICABLE } from '../../rubric/types.js';
import type { AnswerRef, AspectSection, Disagreement } from './types.js';
import { answerText, levelDistribution, levelFields, levelLabel, percentOf, responseLevel, scoreText } from './words.js';

export interface SectionContext {
  /** The group of the aspect before this one, so a group is named once, above its first aspect. */
  readonly previousGroup: string | undefined;
  readonly anchor: string;
  readonly number: number;
  readonly target: Plan['targets'][number];
  readonly previousLevel: number | undefined;
  readonly previousPeriod: string | undefined;
  readonly combined: ReadonlyMap<string, CombinedAnswer>;
  readonly disagreements: readonly OpenDisagreement[];
  readonly stepsRaising: (question: string) => AnswerRef['steps'];
  readonly steps: AspectSection['steps'];
  /** Many respondents: at most NOTES_PER_QUESTION notes per question in the evidence (all of them stay in the appendix). */
  readonly manyRespondents: boolean;
}

const NOTES_PER_QUESTION = 3;

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

  const effective = effectiveOf(c.combined);
  const evidence: AspectSection['evidence'][number][] = [];
  let omittedNotes = 0;
  const consensus: AspectSection['consensus'][number][] = [];
  for (const q of aspect.questions) {
    const answers = c.combined.get(q.id);
    if (!answers) continue;
    const noted = answers.responses.filter((r) => r.note !== undefined && r.note.trim() !== '');
    // The latest notes when there are too many to print: they are the freshest evidence.
    const shown = c.manyRespondents ? noted.slice(-NOTES_PER_QUESTION) : noted;
    omittedNotes += noted.length - shown.length;
    for (const r of shown)
      evidence.push({
        questionId: q.id,
        question: q.text,
        respondent: r.respondent,
        on: r.at.slice(0, 10),
        segments: linkify(r.note ?? ''),
      });
    const agreed = conditionMet(rubric, q, effective) ? answers.consensus : undefined;
    if (agreed !== undefined) {
      const l = responseLevel(rubric, q, agreed.answer);
      consensus.push({
        questionId: q.id,
        question: q.text,
        answer: answerText(q, agreed.answer),
        levelText: l === undefined ? '–' : levelLabel(rubric, l),
        rationale: agreed.rationale,
        facilitator: agreed.facilitator,
        on: agreed.at.slice(0, 10),
        settledText: `Settled ${list(agreed.settled.map((x) => `${x.respondent} (${answerText(q, x.answer)})`))}.`,
      });
    }
  }
  const disagreements = c.disagreements
    .filter((d) => d.aspect === aspect.id)
    .map((d) => disagreementOf(rubric, d, c.combined.get(d.question.id)?.effective));
  const provisional = disagreements.filter((d) => d.consequential);

  return {
    id: aspect.id,
    anchor: c.anchor,
    number: c.number,
    title: aspect.title,
    groupStart: aspect.group !== undefined && aspect.group !== c.previousGroup ? aspect.group : null,
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
    nextLevelText: a.nextLevel !== undefined && nextName !== undefined ? toReach(rubric, a, a.nextLevel, nextName, hasGates) : null,
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
    evidenceMoreText:
      omittedNotes === 0
        ? null
        : `${plural(omittedNotes, 'more note')} (the latest ${NOTES_PER_QUESTION} per question are shown): every note is in the appendix of the Markdown and JSON reports.`,
    disagreements,
    provisional: provisional.length > 0,
    provisionalText:
      provisional.length === 0
        ? null
        : `Respondents disagree on ${list(provisional.map((d) => `“${d.question}”`))}, and settling ${provisional.length === 1 ? 'it' : 'them'} could move this level; “cnassess settle” records the answer they agree on.`,
    consensus,
    unanswered: a.questions
      .filter((q) => q.status === 'unanswered')
      .map((q) => ({ questionId: q.question, question: question(q.question)?.text ?? q.question })),
    steps: c.steps,
  };
}

/** An open disagreement in words: its spread, what settling it would do, and how many respondents stand where. */
function disagreementOf(rubric: Rubric, d: OpenDisagreement, effective: EffectiveAnswer | undefined): Disagreement {
  const q = d.question;
  const levels = d.responses.map((r) => (r.answer === NOT_APPLICABLE ? undefined : responseLevel(rubric, q, r.answer)));
  const answeredLevels = levels.filter((l): l is number => l !== undefined);
  const spread = answeredLevels.length === 0 ? 0 : Math.max(...answeredLevels) - Math.min(...answeredLevels);
  const naCount = levels.length - answeredLevels.length;
  const distribution = levelDistribution(rubric, q, d.responses);
  // Grouped by the answer's level, not listed per answer: an aspect's level depends only on its answers' levels, and
  // a hundred respondents can give dozens of different multi-choice answers.
  const byOutcome = new Map<string, Set<number | 'n/a'>>();
  for (const l of d.levelIf) {
    const outcome = l.level === undefined ? 'no level' : levelLabel(rubric, l.level);
    const answerLevel = l.answer === NOT_APPLICABLE ? 'n/a' : (responseLevel(rubric, q, l.answer) ?? 'n/a');
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? new Set()).add(answerLevel));
  }
  const ifs = [...byOutcome].map(([outcome, answerLevels]) => {
    const sorted = [...answerLevels].sort((a, b) => (a === 'n/a' ? 1 : b === 'n/a' ? -1 : a - b));
    return `${list(
      sorted.map((l) => (l === 'n/a' ? '“not applicable”' : levelLabel(rubric, l))),
      'or',
    )} → ${outcome}`;
  });
  const now = d.aspectLevel === undefined ? 'no level yet' : levelLabel(rubric, d.aspectLevel);
  return {
    questionId: q.id,
    question: q.text,
    spread,
    spreadText:
      spread > 0
        ? `answers ${plural(spread, 'level')} apart${naCount > 0 ? ', and some say not applicable' : ''}`
        : 'some answer it, some say not applicable',
    consequential: d.consequential,
    impactText: `The aspect stands at ${now}. Settled at an answer at ${ifs.join('; at ')}.`,
    lapsedText:
      d.lapsed === undefined
        ? null
        : `A consensus of ${d.lapsed.at.slice(0, 10)} (${answerText(q, d.lapsed.answer)}) no longer holds: an answer changed after it.`,
    distribution: distribution.rows,
    distributionText: `${distribution.text}; ${distribution.medianText}.`,
    countsAsText:
      effective?.status === 'answered'
        ? `Until it is settled, it counts at the median answer: ${levelLabel(rubric, responseLevel(rubric, q, effective.choices) ?? 0)}.`
        : 'Until it is settled, it counts as not applicable: more than half say so.',
    answers: d.responses.map((r) => {
      const l = responseLevel(rubric, q, r.answer);
      return { respondent: r.respondent, answer: answerText(q, r.answer), levelText: l === undefined ? '–' : levelLabel(rubric, l) };
    }),
  };
}

/** What the aspect needs for its next level, by the rule its level follows. */
function toReach(rubric: Rubric, a: AspectScore, nextLevel: number, nextName: string, hasGates: boolean): string {
  const next = levelLabel(rubric, nextLevel);
  switch (a.rule) {
    case 'worst':
      return `To reach ${next}, every answer must be at ${nextName} or above: the lowest answer decides.`;
    case 'mean':
      return `To reach ${next}, the mean of the answers' levels must reach ${nextLevel} (now ${a.mean ?? '–'}).`;
    case 'cumulative':
      return `To reach ${next}, every question up to ${nextName} must be met at its own top level.`;
    case 'majority':
      return `To reach ${next}, answers at ${nextName} or above must carry more than half of the answered weight (now ${percentOf(a.nextLevelShare ?? 0, 1)}%)${hasGates ? `, and every gate question must be answered at ${nextName} or above` : ''}.`;
  }
}
