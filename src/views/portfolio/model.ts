// The portfolio report's view model: the organisation's scopes in one period, in words and numbers, for the HTML, the
// Markdown and `--format json` alike. Plain unescaped text; each renderer escapes for its own format. Pure.

import type { HeadingNouns } from '../../rubric/levels.js';
import type { Portfolio, PortfolioScope } from '../../compare/portfolio.js';
import { headingNounsOf, levelName } from '../../rubric/levels.js';
import { capitalise, list, plural } from '../../text.js';
import { percentOf } from '../report/words.js';

export const PORTFOLIO_SCHEMA_VERSION = 1;

export interface PortfolioModel {
  readonly schemaVersion: number;
  /** What the rubric calls an aspect, as headings and tables say it. */
  readonly nouns: HeadingNouns;
  /** "acme/2026-q4": the org's slug (as in its assessments' ids) and the period. */
  readonly id: string;
  readonly generatedAt: string;
  readonly title: string;
  readonly subtitle: string;
  readonly org: string;
  readonly period: string;
  readonly rubricText: string;
  readonly levels: readonly { readonly level: number; readonly name: string; readonly summary: string }[];
  readonly summary: { readonly paragraphs: readonly string[] };
  readonly heatmap: {
    readonly columns: readonly { readonly aspect: string; readonly title: string }[];
    /** Scopes by overall level, highest first (then score), then the organisation's row. */
    readonly rows: readonly HeatmapRow[];
    readonly org: HeatmapRow;
    readonly legend: string;
  };
  readonly distribution: readonly {
    readonly aspect: string;
    readonly title: string;
    readonly orgLevelText: string;
    readonly spreadText: string;
    readonly rows: readonly { readonly levelText: string; readonly count: number; readonly percent: number }[];
    readonly text: string;
  }[];
  readonly commonSteps: readonly {
    readonly step: string;
    readonly title: string;
    readonly aspectTitle: string;
    readonly levelText: string;
    readonly count: number;
    readonly scopesText: string;
  }[];
  readonly commonStepsText: string;
  readonly trend: {
    readonly show: boolean;
    readonly periods: readonly { readonly period: string; readonly marked: boolean }[];
    readonly aspects: readonly { readonly title: string; readonly cells: readonly string[] }[];
    readonly scopes: readonly { readonly title: string; readonly cells: readonly string[] }[];
    readonly notes: readonly string[];
  };
  readonly appendix: readonly { readonly scope: string; readonly id: string; readonly line: string; readonly command: string }[];
}

export interface HeatmapRow {
  readonly scope: string;
  readonly id: string;
  readonly unfinished: boolean;
  readonly statusText: string;
  readonly coverageText: string;
  readonly overallText: string;
  readonly cells: readonly { readonly level: number | null; readonly levelText: string; readonly className: string }[];
}

export function buildPortfolioModel(p: Portfolio, generatedAt: string): PortfolioModel {
  const r = p.rubric;
  const label = (level: number | null | undefined) => (level === null || level === undefined ? '–' : `${level} · ${levelName(r, level)}`);
  const cell = (level: number | null | undefined) => ({
    level: level ?? null,
    levelText: label(level),
    className: level === null || level === undefined ? 'level-none' : `level-${Math.max(1, Math.min(5, level))}`,
  });
  const row = (s: PortfolioScope): HeatmapRow => ({
    scope: s.scope,
    id: s.id,
    unfinished: s.status === 'open',
    statusText: s.status === 'open' ? 'unfinished' : 'completed',
    coverageText: `${s.answered} of ${s.applicable} answered (${percentOf(s.answered, s.applicable)}%)`,
    overallText: label(s.card.overall.level),
    cells: r.aspects.map((a) => cell(s.card.aspects.find((x) => x.aspect === a.id)?.level)),
  });
  const ranked = [...p.scopes].sort(
    (a, b) =>
      (b.card.overall.level ?? 0) - (a.card.overall.level ?? 0) ||
      (b.card.overall.score ?? 0) - (a.card.overall.score ?? 0) ||
      a.scope.localeCompare(b.scope),
  );
  const aspectTitle = (id: string) => r.aspects.find((a) => a.id === id)?.title ?? id;
  const nouns = headingNounsOf(r);
  const recommendation = (id: string) =>
    r.aspects.flatMap((a) => a.recommendations.map((x) => ({ ...x, aspect: a.id }))).find((x) => x.id === id);
  const rescored = p.scopes.filter((s) => s.rescoredFrom !== null);
  const shared = p.commonSteps.filter((s) => s.scopes.length > 1);

  return {
    schemaVersion: PORTFOLIO_SCHEMA_VERSION,
    nouns,
    id: `${p.scopes[0]?.id.split('/')[0] ?? ''}/${p.period.toLowerCase()}`,
    generatedAt,
    title: `Cloud-native adoption across ${p.org}`,
    subtitle: `${p.org} · ${p.period} · ${plural(p.scopes.length, 'scope')}`,
    org: p.org,
    period: p.period,
    rubricText:
      `Every scope is scored with ${r.id} ${r.version}` +
      (rescored.length === 0
        ? '.'
        : `; ${list(rescored.map((s) => `${s.scope} (answered with ${s.rescoredFrom ?? ''})`))} ${rescored.length === 1 ? 'is' : 'are'} re-scored with it over the questions both versions share, as “cnassess diff” compares quarters like for like.`),
    levels: r.levels.map((l) => ({ level: l.level, name: l.name, summary: l.summary })),
    summary: { paragraphs: summaryOf(p, label, aspectTitle, nouns) },
    heatmap: {
      columns: r.aspects.map((a) => ({ aspect: a.id, title: a.title })),
      rows: ranked.map(row),
      org: {
        scope: `${p.org} (median)`,
        id: '',
        unfinished: false,
        statusText: '',
        coverageText: '',
        overallText: label(p.overall.level),
        cells: p.aspects.map((a) => cell(a.level)),
      },
      legend: `Each cell is the level, as a number and a name; shading repeats it. Scopes run from the highest overall level to the lowest; unfinished ones are marked. The organisation’s row is the median of the scopes’ levels.`,
    },
    distribution: p.aspects.map((a) => {
      const assessed = [...a.distribution.values()].reduce((n, x) => n + x, 0);
      const rows = [...r.levels]
        .sort((x, y) => y.level - x.level)
        .map((l) => ({
          levelText: label(l.level),
          count: a.distribution.get(l.level) ?? 0,
          percent: percentOf(a.distribution.get(l.level) ?? 0, assessed),
        }));
      return {
        aspect: a.aspect,
        title: a.title,
        orgLevelText: label(a.level),
        spreadText:
          a.lowest === null
            ? 'not assessed'
            : a.lowest === a.highest
              ? `every scope at ${label(a.lowest)}`
              : `from ${label(a.lowest)} to ${label(a.highest)}`,
        rows,
        text:
          assessed === 0
            ? `No scope has answered this ${nouns.aspect} yet.`
            : `${plural(assessed, 'scope')}: ${rows
                .filter((x) => x.count > 0)
                .map((x) => `${x.count} at ${x.levelText}`)
                .join(', ')}${a.unassessed > 0 ? `; ${a.unassessed} not assessed` : ''}.`,
      };
    }),
    commonSteps: shared.map((s) => {
      const rec = recommendation(s.step);
      return {
        step: s.step,
        title: rec?.title ?? s.step,
        aspectTitle: rec ? aspectTitle(rec.aspect) : '',
        levelText: rec ? label(rec.level) : '–',
        count: s.scopes.length,
        scopesText: list(s.scopes),
      };
    }),
    commonStepsText:
      shared.length === 0
        ? 'No roadmap step is shared by two or more scopes: each scope’s roadmap is its own.'
        : `Roadmap steps that the answers of two or more scopes call for, most scopes first: the platform investments that lift the most teams at once.`,
    trend: trendOf(p, label),
    appendix: ranked.map((s) => ({
      scope: s.scope,
      id: s.id,
      line: `${label(s.card.overall.level)} overall; ${s.answered} of ${s.applicable} answered${s.status === 'open' ? ', unfinished' : ''}; ${plural(s.steps.length, 'roadmap step')}${s.behindTargets > 0 ? `; ${plural(s.behindTargets, 'level')} behind its targets` : ''}.`,
      command: `cnassess report ${s.id}`,
    })),
  };
}

function summaryOf(
  p: Portfolio,
  label: (l: number | null | undefined) => string,
  aspectTitle: (id: string) => string,
  nouns: { readonly aspect: string; readonly aspects: string },
): string[] {
  const out: string[] = [];
  const unfinished = p.scopes.filter((s) => s.status === 'open');
  out.push(
    `${plural(p.scopes.length, 'scope')} of ${p.org} ${p.scopes.length === 1 ? 'was' : 'were'} assessed in ${p.period}: ${p.scopes.length - unfinished.length} completed` +
      (unfinished.length > 0
        ? `, ${unfinished.length} unfinished (answered so far: ${list(unfinished.map((s) => `${s.scope} ${percentOf(s.answered, s.applicable)}%`))}).`
        : '.'),
  );
  out.push(
    `The organisation stands at ${label(p.overall.level)} overall${p.overall.lowest !== null && p.overall.lowest !== p.overall.highest ? `, its scopes from ${label(p.overall.lowest)} to ${label(p.overall.highest)}` : ''}. Per ${nouns.aspect}, the organisation’s level is the median of its scopes’ levels (the lower middle one for an even number), so one scope ahead or behind does not move it; the spread shows the lowest and the highest.`,
  );
  const assessed = p.aspects.filter((a) => a.level !== null);
  if (assessed.length >= 2) {
    const ranked = [...assessed].sort((a, b) => (b.level ?? 0) - (a.level ?? 0) || (b.highest ?? 0) - (a.highest ?? 0));
    const best = ranked[0];
    const worst = ranked.at(-1);
    if (best && worst && best.level !== worst.level)
      out.push(
        `The strongest ${nouns.aspect} is ${best.title} (${label(best.level)}); the weakest is ${worst.title} (${label(worst.level)}).`,
      );
    else out.push(`Every assessed ${nouns.aspect} stands at ${label(best?.level)}.`);
  }
  const behind = [...p.scopes]
    .filter((s) => s.behindTargets > 0)
    .sort((a, b) => b.behindTargets - a.behindTargets)
    .slice(0, 3);
  if (behind.length > 0)
    out.push(`Furthest behind their targets: ${list(behind.map((s) => `${s.scope} (${plural(s.behindTargets, 'level')} short)`))}.`);
  const since = p.since;
  if (since) {
    const moves = since.aspects.flatMap((a) =>
      a.before === null || a.after === null || a.before === a.after
        ? []
        : [`${aspectTitle(a.aspect)} ${a.after > a.before ? 'rose' : 'fell'} from ${label(a.before)} to ${label(a.after)}`],
    );
    const who = [
      ...(since.joined.length > 0 ? [`${list(since.joined)} ${since.joined.length === 1 ? 'is' : 'are'} new`] : []),
      ...(since.left.length > 0 ? [`${list(since.left)} ${since.left.length === 1 ? 'was' : 'were'} not assessed again`] : []),
    ];
    out.push(
      `Since ${since.period}, over the scopes assessed in both periods: ${moves.length > 0 ? `${list(moves)}.` : `no ${nouns.aspect} of the organisation changed level.`}` +
        (who.length > 0 ? ` ${capitalise(who.join('; '))}.` : '') +
        (since.rubricChanged
          ? ' The rubric version changed between the periods, so a step may come from the rubric; “cnassess diff” compares a scope like for like.'
          : ''),
    );
  } else {
    out.push(`${p.period} is the first period of ${p.org} in this log, so there is nothing to compare with yet.`);
  }
  return out;
}

function trendOf(p: Portfolio, label: (l: number | null | undefined) => string): PortfolioModel['trend'] {
  const marked = p.trend.map((t, i) => i > 0 && t.rubrics.join() !== p.trend[i - 1]?.rubrics.join());
  const scopes = [...new Set(p.trend.flatMap((t) => [...t.scopes.keys()]))].sort();
  return {
    show: p.trend.length > 1,
    periods: p.trend.map((t, i) => ({ period: t.period, marked: marked[i] === true })),
    aspects: [
      ...p.aspects.map((a) => ({ title: a.title, cells: p.trend.map((t) => label(t.aspects.get(a.aspect))) })),
      { title: 'Overall', cells: p.trend.map((t) => label(t.overall)) },
    ],
    scopes: scopes.map((scope) => ({
      title: scope,
      cells: p.trend.map((t) => (t.scopes.has(scope) ? label(t.scopes.get(scope)) : 'not assessed')),
    })),
    notes: p.trend.flatMap((t, i) =>
      marked[i] === true
        ? [
            `† ${t.period}: rubric ${list(t.rubrics)} (before: ${list(p.trend[i - 1]?.rubrics ?? [])}); a step here may come from the rubric.`,
          ]
        : [],
    ),
  };
}
