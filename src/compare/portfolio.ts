// The organisation view: every scope of one org in one period, side by side, and the org across periods. Each scope
// keeps its own answers and roadmap; what the org "is" per aspect is the median of its scopes' levels. Scopes answered
// with an older rubric version are re-scored with the newest one over the questions both share, as `diff` compares
// two quarters, so every column means the same thing. Pure.

import { plan } from '../assessment/roadmap.js';
import type { Scorecard } from '../assessment/scoring.js';
import { assessmentId, effectiveAnswers, scoreAssessment, type AssessmentState } from '../assessment/state.js';
import type { Rubric } from '../rubric/types.js';
import { likeForLike, type Quarter } from './compare.js';
import { compareVersions, diffRubrics } from './rubricDiff.js';
import { comparePeriods } from './trend.js';

export interface PortfolioScope {
  readonly scope: string;
  readonly id: string;
  readonly status: 'open' | 'completed';
  readonly answered: number;
  readonly applicable: number;
  /** The scope's levels, in the reference rubric's terms (re-scored when the scope used another version). */
  readonly card: Scorecard;
  /** Set when the scope was answered with another rubric version and re-scored over the shared questions. */
  readonly rescoredFrom: string | null;
  readonly targets: ReadonlyMap<string, number>;
  /** How many levels the scope's aspects are short of their set targets, summed. */
  readonly behindTargets: number;
  /** Its own roadmap's step ids (from its own rubric and answers). */
  readonly steps: readonly string[];
}

export interface OrgAspect {
  readonly aspect: string;
  readonly title: string;
  /** The median of the scopes' levels (the lower middle one for an even number); null when no scope has one. */
  readonly level: number | null;
  readonly lowest: number | null;
  readonly highest: number | null;
  /** level → how many scopes stand there. */
  readonly distribution: ReadonlyMap<number, number>;
  readonly unassessed: number;
}

export interface Portfolio {
  readonly org: string;
  readonly period: string;
  /** The rubric every column is scored with: the newest version among the period's scopes. */
  readonly rubric: Rubric;
  readonly scopes: readonly PortfolioScope[];
  readonly aspects: readonly OrgAspect[];
  readonly overall: { readonly level: number | null; readonly lowest: number | null; readonly highest: number | null };
  /** Steps that several scopes' roadmaps hold, most scopes first. */
  readonly commonSteps: readonly { readonly step: string; readonly scopes: readonly string[] }[];
  /**
   * Against the previous period, over the scopes assessed in both (a team joining or leaving would otherwise move the
   * median by itself); null in the org's first period.
   */
  readonly since: {
    readonly period: string;
    readonly joined: readonly string[];
    readonly left: readonly string[];
    readonly rubricChanged: boolean;
    readonly aspects: readonly { readonly aspect: string; readonly before: number | null; readonly after: number | null }[];
  } | null;
  /** The org per period, oldest first: the median level per aspect and overall, and each scope's overall level. */
  readonly trend: readonly {
    readonly period: string;
    readonly rubrics: readonly string[];
    readonly aspects: ReadonlyMap<string, number | null>;
    readonly overall: number | null;
    readonly scopes: ReadonlyMap<string, number | null>;
  }[];
}

/** Every assessment of `org` in `period` (and the org's other periods, for the trend). */
export function buildPortfolio(all: readonly Quarter[], org: string, period: string, history: readonly Rubric[] = []): Portfolio {
  const ofOrg = all.filter((q) => sameOrg(q.state, org));
  const inPeriod = ofOrg
    .filter((q) => q.state.period.toUpperCase() === period.toUpperCase())
    .sort((a, b) => a.state.scope.localeCompare(b.state.scope));
  const periods = [...new Set(ofOrg.map((q) => q.state.period.toUpperCase()))]
    .sort(comparePeriods)
    .filter((p) => comparePeriods(p, period) <= 0);
  const referenceQuarter = newest(inPeriod);
  const reference = referenceQuarter.rubric;
  const scopes = inPeriod.map((q) => portfolioScope(q, referenceQuarter, history));
  const previousPeriod = periods.at(-2);
  let since: Portfolio['since'] = null;
  if (previousPeriod !== undefined) {
    const before = ofOrg.filter((q) => q.state.period.toUpperCase() === previousPeriod);
    const names = (qs: readonly Quarter[]) => new Set(qs.map((q) => q.state.scope));
    const [was, is] = [names(before), names(inPeriod)];
    const sharedBefore = before.filter((q) => is.has(q.state.scope));
    const sharedNow = inPeriod.filter((q) => was.has(q.state.scope));
    const beforeRef = sharedBefore.length > 0 ? newest(sharedBefore) : referenceQuarter;
    const levels = (qs: readonly Quarter[], ref: Quarter) =>
      new Map(
        orgAspects(
          ref.rubric,
          qs.map((q) => cardIn(q, ref, history).card),
        ).map((a) => [a.aspect, a.level] as const),
      );
    const [b, a] = [levels(sharedBefore, beforeRef), levels(sharedNow, referenceQuarter)];
    const refs = (qs: readonly Quarter[]) => [...new Set(qs.map((q) => q.state.rubric.digest))].sort().join();
    since = {
      period: previousPeriod,
      joined: [...is].filter((s) => !was.has(s)),
      left: [...was].filter((s) => !is.has(s)),
      rubricChanged: refs(sharedBefore) !== refs(sharedNow),
      aspects: reference.aspects.map((x) => ({ aspect: x.id, before: b.get(x.id) ?? null, after: a.get(x.id) ?? null })),
    };
  }
  return {
    org: inPeriod[0]?.state.org ?? org,
    period: period.toUpperCase(),
    rubric: reference,
    scopes,
    aspects: orgAspects(
      reference,
      scopes.map((s) => s.card),
    ),
    overall: spreadOf(scopes.map((s) => s.card.overall.level ?? null)),
    commonSteps: commonSteps(scopes),
    since,
    trend: periods.map((p) => {
      const quarters = ofOrg.filter((q) => q.state.period.toUpperCase() === p);
      const ref = newest(quarters);
      const cards = quarters.map((q) => ({ scope: q.state.scope, card: cardIn(q, ref, history).card }));
      return {
        period: p,
        rubrics: [...new Set(quarters.map((q) => `${q.rubric.id} ${q.rubric.version}`))],
        aspects: new Map(
          orgAspects(
            ref.rubric,
            cards.map((c) => c.card),
          ).map((a) => [a.aspect, a.level] as const),
        ),
        overall: spreadOf(cards.map((c) => c.card.overall.level ?? null)).level,
        scopes: new Map(cards.map((c) => [c.scope, c.card.overall.level ?? null] as const)),
      };
    }),
  };
}

/** The latest period in which `org` has any assessment. */
export function latestPeriodOf(all: readonly Quarter[], org: string): string | undefined {
  return all
    .filter((q) => sameOrg(q.state, org))
    .map((q) => q.state.period.toUpperCase())
    .sort(comparePeriods)
    .at(-1);
}

/** The quarter answered with the newest rubric version: its rubric is what every column is scored with. */
function newest(quarters: readonly Quarter[]): Quarter {
  const found = [...quarters].sort((a, b) => compareVersions(a.rubric.version, b.rubric.version)).at(-1);
  if (found === undefined) throw new Error('a portfolio needs at least one assessment');
  return found;
}

/** The scope's scorecard in the reference rubric's terms: its own, or re-scored over the questions both share. */
function cardIn(q: Quarter, reference: Quarter, history: readonly Rubric[]): { card: Scorecard; rescoredFrom: string | null } {
  if (q.state.rubric.digest === reference.state.rubric.digest) return { card: scoreAssessment(q.rubric, q.state), rescoredFrom: null };
  const match = diffRubrics(q.rubric, reference.rubric, history).match;
  return {
    card: likeForLike(q, { state: q.state, rubric: reference.rubric }, match).before,
    rescoredFrom: `${q.rubric.id} ${q.rubric.version}`,
  };
}

function portfolioScope(q: Quarter, reference: Quarter, history: readonly Rubric[]): PortfolioScope {
  const { card, rescoredFrom } = cardIn(q, reference, history);
  const own = rescoredFrom === null ? card : scoreAssessment(q.rubric, q.state);
  const roadmap = plan(q.rubric, own, effectiveAnswers(q.rubric, q.state), q.state.targets);
  const behindTargets = [...q.state.targets].reduce((sum, [aspect, target]) => {
    const level = card.aspects.find((a) => a.aspect === aspect)?.level;
    return sum + (level === undefined ? 0 : Math.max(0, target - level));
  }, 0);
  return {
    scope: q.state.scope,
    id: q.state.id,
    status: q.state.status,
    answered: own.overall.answered,
    applicable: own.overall.applicable,
    card,
    rescoredFrom,
    targets: q.state.targets,
    behindTargets,
    steps: roadmap.steps.map((s) => s.recommendation.id),
  };
}

function orgAspects(reference: Rubric, cards: readonly Scorecard[]): OrgAspect[] {
  return reference.aspects.map((aspect) => {
    const levels = cards.map((c) => c.aspects.find((a) => a.aspect === aspect.id)?.level ?? null);
    const distribution = new Map<number, number>();
    for (const l of levels) if (l !== null) distribution.set(l, (distribution.get(l) ?? 0) + 1);
    return {
      aspect: aspect.id,
      title: aspect.title,
      ...spreadOf(levels),
      distribution,
      unassessed: levels.filter((l) => l === null).length,
    };
  });
}

/** The lower median, lowest and highest of the levels that exist. */
function spreadOf(levels: readonly (number | null)[]): { level: number | null; lowest: number | null; highest: number | null } {
  const known = levels.filter((l): l is number => l !== null).sort((a, b) => a - b);
  return {
    level: known[Math.floor((known.length - 1) / 2)] ?? null,
    lowest: known[0] ?? null,
    highest: known.at(-1) ?? null,
  };
}

function commonSteps(scopes: readonly PortfolioScope[]): Portfolio['commonSteps'] {
  const byStep = new Map<string, string[]>();
  for (const s of scopes) for (const step of s.steps) byStep.set(step, [...(byStep.get(step) ?? []), s.scope]);
  return [...byStep]
    .map(([step, names]) => ({ step, scopes: names }))
    .sort((a, b) => b.scopes.length - a.scopes.length || a.step.localeCompare(b.step));
}

/**
 * Whether an assessment is of `org`: compared as assessment ids compare organisations (case, accents and punctuation
 * folded), so "ACME" and "Acme." are one organisation here as everywhere.
 */
export function sameOrg(state: AssessmentState, org: string): boolean {
  return state.id.split('/')[0] === assessmentId(org, 'all', '2000-Q1').split('/')[0];
}
