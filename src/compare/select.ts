// Which assessments a diff or a trend is about. Assessments of one org and scope form a series,
// ordered by period; FROM and TO may be named by id or by period within that series.

import { seriesKeyOf, seriesOf, slug, type AssessmentState } from '../assessment/state.js';
import { UsageError } from '../errors.js';
import { safeText } from '../text.js';

const PERIOD = /^\d{4}-q[1-4]$/i;

export interface SeriesOptions {
  readonly org?: string;
  readonly scope?: string;
}

/**
 * The assessments of one org and scope, oldest period first: the series of `--org`/`--scope` when
 * given, else that of `anchor`, else that of the most recently changed assessment.
 */
export function chooseSeries(all: Iterable<AssessmentState>, options: SeriesOptions = {}, anchor?: AssessmentState): AssessmentState[] {
  const list = [...all];
  if (list.length === 0)
    throw new UsageError('the store has no assessment yet; start one with `cnassess assess`, or try `cnassess demo --store DIR`');
  let key: string;
  if (options.org !== undefined) {
    const org = slug(options.org);
    if (options.scope !== undefined) key = seriesKeyOf(options.org, options.scope);
    else {
      const scopes = [...new Set(list.map((a) => seriesOf(a)).filter((k) => k.startsWith(`${org}/`)))];
      if (scopes.length === 0) throw new UsageError(`no assessment of org "${safeText(options.org)}"${seriesList(list)}`);
      if (scopes.length > 1)
        throw new UsageError(
          `org "${safeText(options.org)}" has assessments of ${scopes.length} scopes; say which with --scope${seriesList(list.filter((a) => seriesOf(a).startsWith(`${org}/`)))}`,
        );
      key = scopes[0]!;
    }
  } else if (options.scope !== undefined) {
    throw new UsageError('--scope needs --org as well (for example: --org acme --scope platform)');
  } else {
    key = seriesOf(anchor ?? list.reduce((a, b) => (b.lastSeq > a.lastSeq ? b : a)));
  }
  const series = list.filter((a) => seriesOf(a) === key).sort((a, b) => a.period.localeCompare(b.period));
  if (series.length === 0) throw new UsageError(`no assessment of ${key}${seriesList(list)}`);
  return series;
}

/**
 * FROM and TO of a diff. No argument: the two latest periods of the series. One: that assessment
 * and the period before it. Two: those two, which must be of the same org and scope.
 */
export function choosePair(
  all: Iterable<AssessmentState>,
  args: readonly string[],
  options: SeriesOptions = {},
): { from: AssessmentState; to: AssessmentState } {
  const list = [...all];
  if (args.length > 2) throw new UsageError(`diff takes at most two assessments (FROM TO), got ${args.length}`);
  const byId = args.map((a) => (a.includes('/') ? findById(list, a) : undefined));
  const anchor = byId.find((a) => a !== undefined);
  const series = chooseSeries(list, anchor ? {} : options, anchor);
  const key = seriesOf(series[0]!);
  const resolve = (arg: string, i: number): AssessmentState => {
    const found = byId[i] ?? findPeriod(series, arg);
    if (seriesOf(found) !== key) throw new UsageError(`${found.id} is not of ${key}; FROM and TO must be the same org and scope`);
    return found;
  };

  let from: AssessmentState;
  let to: AssessmentState;
  if (args.length === 2) {
    from = resolve(args[0]!, 0);
    to = resolve(args[1]!, 1);
  } else {
    to = args.length === 1 ? resolve(args[0]!, 0) : series.at(-1)!;
    const earlier = series.filter((a) => a.period < to.period);
    if (earlier.length === 0) {
      throw new UsageError(
        `${to.id} has no earlier period to compare with${series.length === 1 ? ` (it is the only assessment of ${key})` : ''}; ` +
          'start the next quarter with `cnassess start --from PREVIOUS …` and compare then',
      );
    }
    from = earlier.at(-1)!;
  }
  if (from.id === to.id) throw new UsageError(`FROM and TO are the same assessment (${to.id}); name two periods`);
  return { from, to };
}

/** The assessment `start --from` carries over into a new one of these names: an id, or a period of the same org and scope. */
export function choosePrevious(all: Iterable<AssessmentState>, arg: string, names: { org: string; scope: string }): AssessmentState {
  const list = [...all];
  if (arg.includes('/')) return findById(list, arg);
  const key = seriesKeyOf(names.org, names.scope);
  const series = list.filter((a) => seriesOf(a) === key).sort((a, b) => a.period.localeCompare(b.period));
  if (series.length === 0) throw new UsageError(`--from ${safeText(arg)}: ${key} has no assessment yet; name one by id${seriesList(list)}`);
  return findPeriod(series, arg);
}

function findById(list: readonly AssessmentState[], id: string): AssessmentState {
  const found = list.find((a) => a.id === id.toLowerCase());
  if (!found) throw new UsageError(`no assessment "${safeText(id)}"${seriesList(list)}`);
  return found;
}

function findPeriod(series: readonly AssessmentState[], arg: string): AssessmentState {
  if (!PERIOD.test(arg))
    throw new UsageError(`"${safeText(arg)}" is neither an assessment id (acme/platform/2026-q3) nor a period (2026-Q3)`);
  const found = series.find((a) => a.period.toLowerCase() === arg.toLowerCase());
  if (!found) {
    throw new UsageError(
      `${seriesOf(series[0]!)} has no assessment for ${safeText(arg.toUpperCase())} (periods: ${series.map((a) => a.period).join(', ')})`,
    );
  }
  return found;
}

function seriesList(list: readonly AssessmentState[]): string {
  const periods = new Map<string, string[]>();
  for (const a of [...list].sort((x, y) => x.period.localeCompare(y.period)))
    periods.set(seriesOf(a), [...(periods.get(seriesOf(a)) ?? []), a.period]);
  if (periods.size === 0) return '';
  return `:\n${[...periods].map(([k, p]) => `  ${k}  (${p.join(', ')})`).join('\n')}`;
}
