// Quarter over quarter: `diff` and `trend`. Each reads the log, calls the pure core in src/compare/, and prints.

import { ExitCode, UsageError } from '../errors.js';
import { compareAssessments, type Quarter } from '../compare/compare.js';
import { list, plural } from '../text.js';
import { diffMarkdown } from '../views/diff/markdown.js';
import { diffPage, regressionText } from '../views/diff/page.js';
import { diffText } from '../views/diff/text.js';
import { planCarryOver, type CarryOverPlan } from '../compare/carryOver.js';
import { compareVersions } from '../compare/rubricDiff.js';
import { choosePair, choosePrevious, chooseSeries } from '../compare/select.js';
import { renderTrend } from '../views/trend.js';
import { trendOf } from '../compare/trend.js';
import type { Rubric } from '../rubric/types.js';
import type { AssessmentState } from '../assessment/state.js';
import type { LogView } from '../assessment/projection.js';
import { safeText } from '../text.js';
import type { Workspace } from '../workspace.js';
import { printJson, type Context } from './context.js';
import { openWorkspace } from './session.js';

const FORMATS = ['text', 'md', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface DiffOptions {
  org?: string;
  scope?: string;
  json?: boolean;
  format?: string;
  failOnRegression?: boolean;
}

export async function diff(ctx: Context, args: readonly string[], o: DiffOptions): Promise<number> {
  const format = chooseFormat(o);
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const pair = choosePair(view.assessments.values(), args, {
    ...(o.org !== undefined && { org: o.org }),
    ...(o.scope !== undefined && { scope: o.scope }),
  });
  const from = await quarter(workspace, view, pair.from);
  const to = await quarter(workspace, view, pair.to);
  const history = [...view.rubrics.values()].filter((r) => r.id === from.rubric.id || r.id === to.rubric.id);
  const progress = compareAssessments(from, to, { history });

  if (format === 'json') printJson(ctx, progress);
  else if (format === 'md') ctx.stdout.write(diffMarkdown(progress));
  else if (format === 'html') {
    const { builtInHtmlPages } = await import('../source/templateFiles.js'); // the template engine, for HTML only
    ctx.stdout.write((await builtInHtmlPages()).diff(diffPage(progress)));
  } else ctx.stdout.write(diffText(progress, { style: ctx.style, width: ctx.stdout.columns }));

  if (o.failOnRegression && progress.regressions.length > 0) {
    ctx.stderr.write(`cnassess: regression from ${progress.from.period} to ${progress.to.period}: ${regressionText(progress)}\n`);
    return ExitCode.problems;
  }
  return ExitCode.ok;
}

function chooseFormat(o: DiffOptions): Format {
  if (o.format !== undefined && !(FORMATS as readonly string[]).includes(o.format)) {
    throw new UsageError(`--format "${safeText(o.format)}" is not one of ${FORMATS.join(', ')} (for example: --format md)`);
  }
  if (o.json && o.format !== undefined && o.format !== 'json')
    throw new UsageError(`--json and --format ${safeText(o.format)} contradict each other; give one`);
  return o.json ? 'json' : ((o.format as Format | undefined) ?? 'text');
}

async function quarter(workspace: Workspace, view: LogView, state: AssessmentState): Promise<Quarter> {
  return { state, rubric: view.rubrics.get(state.rubric.digest) ?? (await workspace.rubricOf(state)) };
}

/**
 * What `start --from PREVIOUS` (and `assess`) records after StartAssessment: the previous
 * assessment's answers, marked carried, and its targets. `previous` is an id, or a period of the
 * same org and scope as `newId`. Unless the rubric was chosen explicitly, a re-run keeps the
 * previous quarter's rubric (from the log) — except that a newer version of the same rubric, such
 * as the built-in one after an upgrade, is taken — so forgetting `--rubric` never switches a team
 * from its own rubric to the built-in one.
 */
export async function planStartFrom(
  workspace: Workspace,
  previous: string,
  names: { org: string; scope: string },
  rubric: Rubric,
  options: { rubricChosen: boolean },
): Promise<{ previous: AssessmentState; plan: CarryOverPlan; rubric: Rubric; notice?: string }> {
  const view = await workspace.view();
  const state = choosePrevious(view.assessments.values(), previous, names);
  const { rubric: previousRubric } = await quarter(workspace, view, state);
  const keepPrevious =
    !options.rubricChosen && (previousRubric.id !== rubric.id || compareVersions(rubric.version, previousRubric.version) < 0);
  const chosen = keepPrevious ? previousRubric : rubric;
  const history = [...view.rubrics.values()].filter((r) => r.id === chosen.id || r.id === previousRubric.id);
  return {
    previous: state,
    plan: planCarryOver(state, previousRubric, chosen, history),
    rubric: chosen,
    ...(keepPrevious && {
      notice:
        `Using ${previousRubric.id} ${previousRubric.version}, the rubric ${state.id} was answered against` +
        `${previousRubric.id === rubric.id ? ` (the built-in one is the older ${rubric.version})` : ''}; pass --rubric FILE to use another.`,
    }),
  };
}

/** One sentence on what was carried over, for stderr. */
export function carriedSummary(previous: AssessmentState, plan: CarryOverPlan): string {
  const respondents = new Set(plan.answers.map((a) => a.respondent)).size;
  const left = plan.leftOut.map((l) => `${l.question} (${safeText(l.respondent)}): ${l.reason}`);
  const what = [
    `${plural(plan.answers.length, 'answer')} of ${plural(respondents, 'respondent')}`,
    plural(plan.targets.length, 'target'),
    ...(plan.steps.length > 0 ? [plural(plan.steps.length, 'roadmap step status', 'roadmap step statuses')] : []),
  ];
  return (
    `Carried over from ${previous.id}: ${list(what)}; each answer waits for its respondent to confirm or change it in \`cnassess assess\`.` +
    (left.length > 0 ? `\nNot carried over (${left.length}):\n${left.map((l) => `  ${l}`).join('\n')}` : '') +
    (plan.stepsLeftOut.length > 0
      ? `\nRoadmap step statuses not carried over (${plan.stepsLeftOut.length}): ${plan.stepsLeftOut.map((s) => `${s.step} (${s.status}): ${s.reason}`).join('; ')}`
      : '')
  );
}

// ---------------------------------------------------------------------------------------------

export async function trend(ctx: Context, o: { org?: string; scope?: string; json?: boolean }): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const series = chooseSeries(view.assessments.values(), {
    ...(o.org !== undefined && { org: o.org }),
    ...(o.scope !== undefined && { scope: o.scope }),
  });
  const quarters = await Promise.all(series.map((state) => quarter(workspace, view, state)));
  const t = trendOf(quarters);
  if (o.json) printJson(ctx, t);
  else ctx.stdout.write(renderTrend(t, { width: ctx.stdout.columns, sparkline: ctx.stdout.isTTY }));
  return ExitCode.ok;
}
