// Scoring: what the answers mean. Pure: (rubric, effective answers) → scorecard.
//
// The rule (documented with a worked example in the README):
// - An answer's level is its choice's level. For multi-choice, by the rubric's (or the question's) rule: `highest`,
//   the highest level among the chosen practices; `ladder`, the highest level L for which every practice at L and
//   below is chosen, so a gap in the basics caps the answer. Its score is that level's position between the rubric's
//   lowest and highest level, 0–1.
// - An aspect's level follows the rubric's (or the aspect's) aspect rule. `majority`, the default: the aspect is at
//   level L when answers at level L or above carry MORE THAN HALF of the weight of its answered questions, and no
//   answered gate question is below L — the weighted lower median, capped by gates, which reads as a level ("most of
//   what we do is at Scale"), unlike an average. `worst`: its lowest answer. `mean`: the weighted mean of its answers'
//   levels (kept as `mean`), rounded down to a level. `cumulative`: the highest level L, up to the highest any of its
//   questions reaches, at which every applicable question whose top level is L or below is answered at its top
//   level; an unanswered one is not met.
// - A multi-choice question scored by `rules`: the level of the first of its answer rules that holds.
// - An aspect's score (0–100) is the weighted mean of its answers' scores: it shows movement within a level.
// - Unanswered and not-applicable questions, and questions whose `when` is not met, are left out and
//   shown as coverage (answered / applicable); they never count as zero.
// - Overall, over the aspects that have any answer (weighted by aspect weight): by the rubric's aspect rule over
//   the aspects' levels (`worst` and `cumulative`: the lowest; `mean`: the mean of the aspects' means), and the
//   weighted mean of aspect scores.

import {
  DEFAULT_ASPECT_RULE,
  DEFAULT_MULTI_CHOICE,
  type Aspect,
  type AspectRule,
  type ChoiceCondition,
  type MultiChoiceRule,
  type Question,
  type Rubric,
} from '../rubric/types.js';

/** The effective answer of a question, after combining respondents. */
export type EffectiveAnswer = { readonly status: 'answered'; readonly choices: readonly string[] } | { readonly status: 'not-applicable' };

export type QuestionStatus = 'answered' | 'unanswered' | 'not-applicable' | 'condition-not-met';

export interface QuestionScore {
  readonly question: string;
  readonly aspect: string;
  readonly status: QuestionStatus;
  readonly weight: number;
  readonly gate: boolean;
  /** Present when answered. */
  readonly level?: number;
  /** 0–1, present when answered. */
  readonly score?: number;
  /** A ladder answer held below a higher practice it ticks: the practices missing at the next rung. */
  readonly missingPractices?: readonly string[];
}

export interface HoldingBack {
  readonly question: string;
  readonly level: number;
  readonly weight: number;
  readonly gate: boolean;
}

export interface AspectScore {
  readonly aspect: string;
  /** The rule its level follows. */
  readonly rule: AspectRule;
  /** Undefined when nothing in the aspect is answered. */
  readonly level?: number;
  /** Under the `mean` rule: the weighted mean of the answers' levels, to two decimals (the level is it rounded down). */
  readonly mean?: number;
  /** 0–100, rounded to one decimal; undefined when nothing is answered. */
  readonly score?: number;
  readonly answered: number;
  /** Questions that apply (condition met, not marked not applicable). */
  readonly applicable: number;
  readonly notApplicable: number;
  /** answered / applicable, 0–1; 0 when nothing applies. */
  readonly coverage: number;
  /** The next level up, when there is one. */
  readonly nextLevel?: number;
  /** Share (0–1) of answered weight already at the next level or above; more than 0.5 reaches it. */
  readonly nextLevelShare?: number;
  /** The gate question that caps the level, when a gate is what stops the aspect from the majority level. */
  readonly cappedBy?: string;
  /** Answered questions below the next level: raising these is what moves the aspect up. Gates first, then by weight. */
  readonly holdingBack: readonly HoldingBack[];
  readonly questions: readonly QuestionScore[];
}

export interface Scorecard {
  readonly aspects: readonly AspectScore[];
  readonly overall: {
    readonly level?: number;
    /** Under the `mean` rule: the weighted mean of the aspects' means, to two decimals. */
    readonly mean?: number;
    readonly score?: number;
    readonly answered: number;
    readonly applicable: number;
    readonly coverage: number;
  };
}

/** How a multi-choice question of this rubric is scored: its own rule, else the rubric's, else `highest`. */
export function multiChoiceRule(rubric: Pick<Rubric, 'multiChoice'>, question?: Pick<Question, 'multiChoice'>): MultiChoiceRule {
  return question?.multiChoice ?? rubric.multiChoice ?? DEFAULT_MULTI_CHOICE;
}

/** How an aspect's level comes from its answers: its own rule, else the rubric's (see overallRule). */
export function aspectRule(rubric: Pick<Rubric, 'aspectRule'>, aspect: Aspect): AspectRule {
  return aspect.rule ?? overallRule(rubric);
}

/** The rubric's rule, for the overall level and for every aspect without one of its own: `majority` unless it names one. */
export function overallRule(rubric: Pick<Rubric, 'aspectRule'>): AspectRule {
  return rubric.aspectRule ?? DEFAULT_ASPECT_RULE;
}

/** The level of an answer (the chosen choice ids); undefined when none of them is a choice of the question. */
export function answerLevel(
  rubric: Pick<Rubric, 'multiChoice' | 'levels'>,
  question: Question,
  choices: readonly string[],
): number | undefined {
  const chosen = question.choices.filter((c) => choices.includes(c.id));
  if (chosen.length === 0) return undefined;
  const rule = question.type === 'multi' ? multiChoiceRule(rubric, question) : 'highest';
  if (rule === 'rules' && question.rules !== undefined) return ruleLevel(question, choices);
  if (rule === 'ladder') return ladder(rubric, question, choices).level;
  return Math.max(...chosen.map((c) => c.level));
}

/** The level the first of a question's answer rules that holds gives; undefined when none holds (no default). */
function ruleLevel(question: Question, choices: readonly string[]): number | undefined {
  const chosen = new Set(choices);
  for (const rule of question.rules ?? []) {
    if ('default' in rule || conditionHolds(rule.when, chosen)) return rule.level;
  }
  return undefined;
}

/** Whether a condition over the chosen choices holds: a choice is chosen; all, any or none of some conditions hold. */
export function conditionHolds(condition: ChoiceCondition, chosen: ReadonlySet<string>): boolean {
  if (typeof condition === 'string') return chosen.has(condition);
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, chosen));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, chosen));
  return !condition.none.some((c) => conditionHolds(c, chosen));
}

/** The highest level a question's answer can have: what meets it, for the `cumulative` rule. */
export function topLevel(rubric: Pick<Rubric, 'multiChoice'>, question: Question): number {
  if (question.type === 'multi' && multiChoiceRule(rubric, question) === 'rules' && question.rules !== undefined)
    return Math.max(...question.rules.map((r) => r.level));
  return Math.max(...question.choices.map((c) => c.level));
}

/**
 * A ladder answer: the highest rung all of whose practices (and those of every rung below) are chosen. Below the
 * first rung, the answer is at the level of the question's "none of these" choice, else at the rubric's lowest level.
 * `missing`: the practices of the next rung up that are not chosen, when a practice above it is (what caps the answer).
 */
export function ladder(
  rubric: Pick<Rubric, 'levels'>,
  question: Question,
  choices: readonly string[],
): { level: number; missing: string[] } {
  const practices = question.choices.filter((c) => c.exclusive !== true);
  const rungs = [...new Set(practices.map((c) => c.level))].sort((a, b) => a - b);
  let level = question.choices.find((c) => c.exclusive === true)?.level ?? Math.min(...rubric.levels.map((l) => l.level));
  for (const rung of rungs) {
    const missing = practices.filter((c) => c.level === rung && !choices.includes(c.id)).map((c) => c.id);
    if (missing.length > 0) {
      const above = practices.some((c) => c.level > rung && choices.includes(c.id));
      return { level, missing: above ? missing : [] };
    }
    level = Math.max(level, rung);
  }
  return { level, missing: [] };
}

/** Whether a question is asked, given the effective answers so far. An unanswered condition is not met. */
export function conditionMet(rubric: Rubric, question: Question, answers: ReadonlyMap<string, EffectiveAnswer>): boolean {
  const when = question.when;
  if (!when) return true;
  const answer = answers.get(when.question);
  if (answer?.status !== 'answered') return false;
  if ('anyOf' in when) return answer.choices.some((c) => when.anyOf.includes(c));
  const target = findQuestion(rubric, when.question);
  const level = target && answerLevel(rubric, target, answer.choices);
  return level !== undefined && level >= when.atLeast;
}

export function score(rubric: Rubric, answers: ReadonlyMap<string, EffectiveAnswer>): Scorecard {
  const levelNumbers = rubric.levels.map((l) => l.level);
  const lowest = Math.min(...levelNumbers);
  const highest = Math.max(...levelNumbers);
  const normalise = (level: number) => (highest === lowest ? 1 : (level - lowest) / (highest - lowest));

  const aspects = rubric.aspects.map((aspect): AspectScore => {
    const questions = aspect.questions.map((q): QuestionScore => {
      const base = { question: q.id, aspect: aspect.id, weight: q.weight, gate: q.gate };
      if (!conditionMet(rubric, q, answers)) return { ...base, status: 'condition-not-met' };
      const answer = answers.get(q.id);
      if (!answer) return { ...base, status: 'unanswered' };
      if (answer.status === 'not-applicable') return { ...base, status: 'not-applicable' };
      const level = answerLevel(rubric, q, answer.choices);
      if (level === undefined) return { ...base, status: 'unanswered' };
      const missing = q.type === 'multi' && multiChoiceRule(rubric, q) === 'ladder' ? ladder(rubric, q, answer.choices).missing : [];
      return { ...base, status: 'answered', level, score: normalise(level), ...(missing.length > 0 && { missingPractices: missing }) };
    });

    const answered = questions.filter((q): q is QuestionScore & { level: number; score: number } => q.status === 'answered');
    const notApplicable = questions.filter((q) => q.status === 'not-applicable').length;
    const applicable = questions.filter((q) => q.status === 'answered' || q.status === 'unanswered').length;
    const coverage = applicable === 0 ? 0 : answered.length / applicable;
    if (answered.length === 0)
      return {
        aspect: aspect.id,
        rule: aspectRule(rubric, aspect),
        answered: 0,
        applicable,
        notApplicable,
        coverage,
        holdingBack: [],
        questions,
      };

    const rule = aspectRule(rubric, aspect);
    const totalWeight = sum(answered.map((q) => q.weight));
    // Each question's highest level: what `cumulative` asks of it.
    const tops = new Map(aspect.questions.map((q) => [q.id, topLevel(rubric, q)]));
    const decided = aspectLevel(rubric, rule, tops, questions, answered, totalWeight);
    const { level, cappedBy } = decided;
    const nextLevel = levelNumbers.find((l) => l > level);
    const holdingBack =
      nextLevel === undefined
        ? []
        : answered
            // Under `cumulative`, a question holds the aspect back only when it is not met at its own top level.
            .filter((q) => (rule === 'cumulative' ? q.level < Math.min(nextLevel, tops.get(q.question) ?? nextLevel) : q.level < nextLevel))
            .sort((a, b) => Number(b.gate) - Number(a.gate) || b.weight - a.weight || a.level - b.level)
            .map((q) => ({ question: q.question, level: q.level, weight: q.weight, gate: q.gate }));

    return {
      aspect: aspect.id,
      rule,
      level,
      ...(decided.mean !== undefined && { mean: decided.mean }),
      score: round1((100 * sum(answered.map((q) => q.weight * q.score))) / totalWeight),
      answered: answered.length,
      applicable,
      notApplicable,
      coverage,
      ...(nextLevel !== undefined && { nextLevel }),
      ...(nextLevel !== undefined &&
        rule === 'majority' && {
          nextLevelShare: sum(answered.filter((q) => q.level >= nextLevel).map((q) => q.weight)) / totalWeight,
        }),
      ...(cappedBy !== undefined && { cappedBy }),
      holdingBack,
      questions,
    };
  });

  const scored = aspects
    .map((a, i) => ({ a, weight: rubric.aspects[i]!.weight }))
    .filter((x): x is { a: AspectScore & { level: number; score: number }; weight: number } => x.a.level !== undefined);
  const answered = sum(aspects.map((a) => a.answered));
  const applicable = sum(aspects.map((a) => a.applicable));
  const overallWeight = sum(scored.map((x) => x.weight));
  const rule = overallRule(rubric);
  const overallMean =
    rule === 'mean' && scored.length > 0 ? round2(sum(scored.map((x) => x.weight * (x.a.mean ?? x.a.level))) / overallWeight) : undefined;
  const overallLevel =
    scored.length === 0
      ? undefined
      : rule === 'majority'
        ? majorityLevel(
            levelNumbers,
            scored.map((x) => ({ level: x.a.level, weight: x.weight })),
          )
        : overallMean !== undefined
          ? levelAtOrBelow(levelNumbers, overallMean)
          : Math.min(...scored.map((x) => x.a.level));
  return {
    aspects,
    overall: {
      ...(overallLevel !== undefined && {
        level: overallLevel,
        ...(overallMean !== undefined && { mean: overallMean }),
        score: round1(sum(scored.map((x) => x.weight * x.a.score)) / overallWeight),
      }),
      answered,
      applicable,
      coverage: applicable === 0 ? 0 : answered / applicable,
    },
  };
}

type Answered = QuestionScore & { level: number; score: number };

/** An aspect's level by its rule (see the top of this file), and what decided it where the rule names one. */
function aspectLevel(
  rubric: Rubric,
  rule: AspectRule,
  top: ReadonlyMap<string, number>,
  questions: readonly QuestionScore[],
  answered: readonly Answered[],
  totalWeight: number,
): { level: number; cappedBy?: string; mean?: number } {
  const levelNumbers = rubric.levels.map((l) => l.level);
  switch (rule) {
    case 'worst':
      return { level: Math.min(...answered.map((q) => q.level)) };
    case 'mean': {
      const mean = round2(sum(answered.map((q) => q.weight * q.level)) / totalWeight);
      return { level: levelAtOrBelow(levelNumbers, mean), mean };
    }
    case 'cumulative': {
      const applicable = questions.filter((q) => q.status === 'answered' || q.status === 'unanswered');
      const met = (q: QuestionScore) => q.level !== undefined && q.level >= (top.get(q.question) ?? Infinity);
      const highest = Math.max(...applicable.map((q) => top.get(q.question) ?? -Infinity));
      let level = Math.min(...levelNumbers);
      for (const candidate of [...levelNumbers].sort((a, b) => a - b)) {
        if (candidate > highest) break;
        if (!applicable.filter((q) => (top.get(q.question) ?? Infinity) <= candidate).every(met)) break;
        level = candidate;
      }
      return { level };
    }
    case 'majority': {
      const majority = majorityLevel(
        levelNumbers,
        answered.map((q) => ({ level: q.level, weight: q.weight })),
      );
      const gateCap = Math.min(...answered.filter((q) => q.gate).map((q) => q.level));
      const level = Math.min(majority, gateCap);
      const cappedBy = level < majority ? answered.find((q) => q.gate && q.level === level)?.question : undefined;
      return { level, ...(cappedBy !== undefined && { cappedBy }) };
    }
  }
}

/** The highest of the rubric's levels at or below `value` (the lowest level when none is). */
function levelAtOrBelow(levels: readonly number[], value: number): number {
  const below = levels.filter((l) => l <= value + 1e-9);
  return below.length > 0 ? Math.max(...below) : Math.min(...levels);
}

/** The highest level L such that items at L or above carry more than half of the total weight. */
export function majorityLevel(levels: readonly number[], items: readonly { level: number; weight: number }[]): number {
  const total = sum(items.map((i) => i.weight));
  const ascending = [...levels].sort((a, b) => a - b);
  let reached = ascending[0]!;
  for (const level of ascending) {
    const atOrAbove = sum(items.filter((i) => i.level >= level).map((i) => i.weight));
    if (atOrAbove * 2 > total) reached = level;
  }
  return reached;
}

export function findQuestion(rubric: Rubric, id: string): Question | undefined {
  for (const aspect of rubric.aspects) {
    const q = aspect.questions.find((x) => x.id === id);
    if (q) return q;
  }
  return undefined;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
