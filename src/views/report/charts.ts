// The report's charts with their tables and text alternatives: the radar of levels, and the trend across periods.

import type { Plan } from '../../assessment/roadmap.js';
import type { Scorecard } from '../../assessment/scoring.js';
import type { AssessmentState } from '../../assessment/state.js';
import type { Rubric } from '../../rubric/types.js';
import { levelBarsSvg, RADAR_MAX_AXES, radarSvg, trendSvg } from '../svg.js';
import { nounsOf } from '../../rubric/levels.js';
import { trendOf as seriesOfPeriods, type TrendPoint } from '../../compare/trend.js';
import type { Assessed, ReportModel } from './types.js';
import { levelLabel, scoreText } from './words.js';

export function radarOf(
  rubric: Rubric,
  card: Scorecard,
  p: Plan,
  previous: (Assessed & { card: Scorecard }) | undefined,
  anchors: ReadonlyMap<string, string>,
): ReportModel['radar'] {
  const levels = [...rubric.levels].sort((a, b) => a.level - b.level);
  const current = card.aspects.map((a) => a.level ?? null);
  // An aspect at the top level, or not yet assessed, has no target of its own: draw it where it stands.
  const target = p.targets.map((t, i) => t.target ?? current[i] ?? null);
  const before = previous ? card.aspects.map((a) => previous.card.aspects.find((x) => x.aspect === a.aspect)?.level ?? null) : undefined;
  const nouns = nounsOf(rubric);
  // A radar of many axes crowds its labels: past RADAR_MAX_AXES, one bar per aspect says the same legibly.
  const bars = rubric.aspects.length > RADAR_MAX_AXES;
  const title = `Level by ${nouns.aspect}`;
  const word = (v: number | null) => (v === null ? 'not assessed' : levelLabel(rubric, v));
  const [lowest, highest] = [levels[0]?.level, levels.at(-1)?.level];
  const range =
    lowest === undefined || highest === undefined
      ? ''
      : bars
        ? `${levelLabel(rubric, lowest)} to ${levelLabel(rubric, highest)}`
        : `${levelLabel(rubric, lowest)} at the centre to ${levelLabel(rubric, highest)} at the rim`;
  const description = `${bars ? 'Bar chart' : 'Radar chart'} of each ${nouns.aspect}’s level, from ${range}: ${rubric.aspects
    .map(
      (aspect, i) =>
        `${aspect.title}: now ${word(current[i] ?? null)}, target ${word(target[i] ?? null)}${before && previous ? `, in ${previous.state.period} ${word(before[i] ?? null)}` : ''}`,
    )
    .join('; ')}.`;
  const svg = (bars ? levelBarsSvg : radarSvg)({
    title,
    description,
    idPrefix: 'radar',
    levels,
    axes: rubric.aspects.map((aspect, i) => ({
      label: aspect.title,
      note: word(current[i] ?? null),
    })),
    series: [
      ...(before && previous ? [{ key: 'previous' as const, name: previous.state.period, values: before }] : []),
      { key: 'target' as const, name: 'Target', values: target },
      { key: 'current' as const, name: 'Now', values: current },
    ],
  });
  return {
    svg,
    title,
    description,
    caption: bars
      ? `${title}: each bar reaches the level where the ${nouns.aspect} stands now, the square is its target${before !== undefined ? `, the triangle ${previous?.state.period ?? ''}` : ''}. Levels run from left to right.`
      : `${title}: the filled shape is where each ${nouns.aspect} stands now, the dashed line the target${before !== undefined ? `, the dotted line ${previous?.state.period ?? ''}` : ''}. Levels run from the centre outwards.`,
    hasPrevious: before !== undefined,
    previousPeriod: previous?.state.period ?? null,
    rows: rubric.aspects.map((aspect, i) => {
      const now = current[i] ?? null;
      const was = before?.[i] ?? null;
      const t = p.targets[i];
      return {
        anchor: anchors.get(aspect.id) ?? '',
        title: aspect.title,
        currentText: word(now),
        targetText:
          t?.target === undefined
            ? now === null
              ? '–'
              : 'top reached'
            : `${levelLabel(rubric, t.target)}${t.source !== 'set' ? '' : now !== null && now >= t.target ? ' (set; reached)' : ' (set)'}`,
        previousText: before ? word(was) : '',
        changeText:
          !before || was === null || now === null ? '–' : now > was ? `▲ up ${now - was}` : now < was ? `▼ down ${was - now}` : '= same',
        scoreText: scoreText(card.aspects[i]?.score),
      };
    }),
  };
}

/**
 * The trend section: the org and scope's series across periods (compare/trend.ts, the one series `cnassess trend`
 * and `diff` read too), as a chart and a table in this report's aspects. A period answered against another rubric
 * version than the one before it is marked, as `trend` marks it.
 */
export function trendOf(rubric: Rubric, state: AssessmentState, history: readonly Assessed[]): ReportModel['trend'] {
  const series = seriesOfPeriods(history);
  const columns = ['Overall', ...rubric.aspects.map((a) => a.title)];
  const title = 'Score by period';
  if (series.periods.length < 2) return { show: false, svg: null, title, description: '', columns, rows: [] };

  const levels = [...rubric.levels].sort((a, b) => a.level - b.level);
  const lowest = levels[0]?.level ?? 0;
  const highest = levels.at(-1)?.level ?? lowest;
  const scoreAt = (level: number) => (highest === lowest ? 100 : (100 * (level - lowest)) / (highest - lowest));
  const pointsOf = (aspect: string) => series.aspects.find((a) => a.aspect === aspect)?.points ?? series.periods.map(() => null);
  const lines = [
    { name: 'Overall', values: series.overall.map((p) => p.score) },
    ...rubric.aspects.map((aspect) => ({ name: aspect.title, values: pointsOf(aspect.id).map((p) => p?.score ?? null) })),
  ];
  const periods = series.periods.map((p) => p.period);
  const description = `Line chart of scores from 0 to 100 for ${periods.length} periods, ${periods[0] ?? ''} to ${periods.at(-1) ?? ''}. ${lines
    .map((s) => `${s.name}: ${s.values.map((v, i) => `${periods[i] ?? ''} ${v === null ? 'not assessed' : Math.round(v)}`).join(', ')}`)
    .join('. ')}.`;
  const svg = trendSvg({
    title,
    description,
    idPrefix: 'trend',
    periods,
    levelLines: levels.map((l) => ({ name: l.name, score: scoreAt(l.level) })),
    series: lines,
  });
  const cell = (point: TrendPoint | null | undefined) =>
    point?.level == null || point.levelName === null
      ? { levelText: '–', scoreText: '' }
      : { levelText: `${point.level} · ${point.levelName}`, scoreText: `score ${Math.round(point.score ?? 0)}` };
  const changed = new Map(series.rubricChanges.map((c) => [c.period, c]));
  return {
    show: true,
    svg,
    title,
    description,
    columns,
    rows: series.periods.map((p, i) => {
      const change = changed.get(p.period);
      return {
        period: p.period,
        current: p.id === state.id,
        statusText: `${p.status === 'completed' ? 'completed' : 'in progress'}${change ? `; rubric ${change.to.id} ${change.to.version} from here (was ${change.from.version})` : ''}`,
        cells: [cell(series.overall[i]), ...rubric.aspects.map((aspect) => cell(pointsOf(aspect.id)[i]))],
      };
    }),
  };
}
