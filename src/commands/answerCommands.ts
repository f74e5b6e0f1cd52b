// Commands that record events: start, answer, target, complete, reopen.

import { carriedCommands } from '../compare/carryOver.js';
import { effectiveAnswers, locateAssessment, scoreAssessment } from '../assessment/state.js';
import { plan } from '../assessment/roadmap.js';
import type { StepStatusValue } from '../assessment/events.js';
import { addressedText } from '../views/report/roadmap.js';
import { DomainError, ExitCode, UsageError } from '../errors.js';
import { rubricRef } from '../rubric/ref.js';
import { decide } from '../assessment/decider.js';
import type { Rubric } from '../rubric/types.js';
import { safeText, wrap } from '../text.js';
import { printJson, type Context } from './context.js';
import { chooseAssessment, defaultRespondent, findAssessment, openWorkspace, parseAnswer, recordOn } from './session.js';

export async function start(
  ctx: Context,
  options: {
    org?: string;
    scope: string;
    period?: string;
    rubric?: string;
    respondent?: string;
    respondents?: string;
    json?: boolean;
    from?: string;
  },
): Promise<number> {
  const missing = (['org', 'period'] as const).filter((k) => options[k] === undefined).map((k) => `--${k}`);
  if (options.org === undefined || options.period === undefined)
    throw new UsageError(`start needs ${missing.join(' and ')} (for example: cnassess start --org acme --scope platform --period 2026-Q4)`);
  const o = { ...options, org: options.org, period: options.period };
  // Only start reads a rubric file; the other commands here take the rubric from the log, without the YAML parser.
  const { loadRubric } = await import('../source/rubricFile.js');
  const { rubric: loaded, warnings } = await loadRubric(o.rubric, ctx.cwd);
  for (const w of warnings) ctx.stderr.write(`${safeText(w.file)}:${w.line}:${w.col}: warning: ${safeText(w.message)}\n`);
  const { workspace } = await openWorkspace(ctx);
  const actor = o.respondent ?? defaultRespondent(ctx);
  const { id } = locateAssessment((await workspace.view()).assessments, o.org, o.scope, o.period);
  // --from: the previous quarter's answers and targets, recorded as carried in the same batch as the start.
  const carry =
    o.from !== undefined
      ? await (
          await import('./progressCommands.js')
        ).planStartFrom(workspace, o.from, { org: o.org, scope: o.scope }, loaded, { rubricChosen: o.rubric !== undefined })
      : undefined;
  const rubric = carry?.rubric ?? loaded;
  if (carry?.notice) ctx.stderr.write(`${carry.notice}\n`);
  const command = {
    type: 'StartAssessment',
    org: o.org,
    scope: o.scope,
    period: o.period,
    rubric: rubricRef(rubric),
    ...(carry && { carriedFrom: carry.previous.id }),
  } as const;
  // Decided once before anything is written, so a refused start leaves the log as it was.
  decide(command, await workspace.assessment(id), rubric);
  await workspace.registerRubric(rubric, actor);
  const invited = (o.respondents ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  await workspace.execute(
    id,
    [
      command,
      ...(invited.length > 0 ? [{ type: 'InviteRespondents', respondents: invited } as const] : []),
      ...(carry ? carriedCommands(carry.plan) : []),
    ],
    rubric,
    actor,
  );
  if (o.json)
    printJson(ctx, {
      id,
      ...(carry && {
        carriedFrom: carry.previous.id,
        carried: carry.plan.answers.length,
        targets: carry.plan.targets.length,
        steps: carry.plan.steps.length,
        leftOut: carry.plan.leftOut,
      }),
    });
  else {
    ctx.stdout.write(`${id}\n`);
    if (carry) ctx.stderr.write(`${(await import('./progressCommands.js')).carriedSummary(carry.previous, carry.plan)}\n`);
    ctx.stderr.write(
      `Started ${safeText(o.org)} / ${safeText(o.scope)} / ${o.period.toUpperCase()} with rubric ${rubric.id} ${rubric.version}. Answer with \`cnassess assess\` or \`cnassess answer QUESTION CHOICE\`.\n`,
    );
  }
  return ExitCode.ok;
}

export async function answer(
  ctx: Context,
  question: string,
  token: string,
  o: { assessment?: string; note?: string; respondent?: string; json?: boolean },
): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const state = await findAssessment(workspace, o.assessment, 'write');
  const rubric = await workspace.rubricOf(state);
  const respondent = o.respondent ?? defaultRespondent(ctx);
  const recorded = await workspace
    .execute(
      state.id,
      [{ type: 'RecordAnswer', question, answer: parseAnswer(token), respondent, ...(o.note !== undefined && { note: o.note }) }],
      rubric,
      respondent,
    )
    .catch((e: unknown) => {
      // The rubric that knows the question is the assessment's own, which may not be the built-in one.
      if (e instanceof DomainError && e.code === 'unknown-question')
        throw new DomainError(e.code, `${e.message}; \`cnassess rubric show --assessment ${state.id}\` lists its questions`);
      throw e;
    });
  if (o.json) printJson(ctx, { assessment: state.id, recorded });
  else if (recorded.length === 0) ctx.stderr.write(`unchanged: ${question} already has that answer from ${safeText(respondent)}\n`);
  else
    ctx.stderr.write(
      `recorded ${question} = ${safeText(token)} for ${state.id} as ${safeText(respondent)} (seq ${recorded[0]?.seq ?? '?'})\n`,
    );
  return ExitCode.ok;
}

export function parseLevel(rubric: Rubric, text: string): number {
  const byName = rubric.levels.find((l) => l.name.toLowerCase() === text.trim().toLowerCase());
  if (byName) return byName.level;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isInteger(n) && rubric.levels.some((l) => l.level === n)) return n;
  throw new UsageError(`"${safeText(text)}" is not a level (levels: ${rubric.levels.map((l) => `${l.level} ${l.name}`).join(', ')})`);
}

export async function target(
  ctx: Context,
  aspect: string,
  level: string,
  o: { assessment?: string; respondent?: string },
): Promise<number> {
  const actor = o.respondent ?? defaultRespondent(ctx);
  const { state, recorded } = await recordOn(ctx, o.assessment, actor, (rubric) => ({
    type: 'SetTarget',
    aspect,
    level: parseLevel(rubric, level),
  }));
  ctx.stderr.write(
    recorded.length === 0
      ? `unchanged: ${aspect} already has that target\n`
      : `target of ${aspect} set to ${safeText(level)} for ${state.id} by ${safeText(actor)}\n`,
  );
  return ExitCode.ok;
}

export async function setStatus(
  ctx: Context,
  action: 'complete' | 'reopen',
  id: string | undefined,
  o: { respondent?: string },
): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const state = chooseAssessment(view, id, action === 'complete' ? 'write' : 'read');
  const rubric = await workspace.rubricOf(state);
  const actor = o.respondent ?? defaultRespondent(ctx);
  await workspace.execute(state.id, [action === 'complete' ? { type: 'CompleteAssessment' } : { type: 'ReopenAssessment' }], rubric, actor);
  ctx.stderr.write(`${state.id} ${action === 'complete' ? 'completed' : 'reopened'} by ${safeText(actor)}\n`);
  return ExitCode.ok;
}

/** `cnassess step`: where the work on a roadmap step stands. Says so when the answers do not agree with a "done". */
export async function step(
  ctx: Context,
  id: string,
  status: string,
  o: { note?: string; owner?: string; due?: string; assessment?: string; respondent?: string },
): Promise<number> {
  const actor = o.respondent ?? defaultRespondent(ctx);
  const { state, recorded, rubric } = await recordOn(
    ctx,
    o.assessment,
    actor,
    () => ({
      type: 'SetStepStatus',
      step: id,
      status: status as StepStatusValue,
      ...(o.note !== undefined && { note: o.note }),
      ...(o.owner !== undefined && { owner: o.owner }),
      ...(o.due !== undefined && { due: o.due }),
    }),
    'read',
  );
  if (recorded.length === 0) {
    ctx.stderr.write(`unchanged: step ${id} is already ${status} in ${state.id}\n`);
    return ExitCode.ok;
  }
  ctx.stderr.write(`step ${id}: ${status} in ${state.id}, recorded by ${safeText(actor)} (seq ${recorded[0]?.seq ?? '?'})\n`);
  if (status === 'done') {
    // A status changes no answer: the state before it says what the answers still call for, without reading again.
    const open = plan(rubric, scoreAssessment(rubric, state), effectiveAnswers(rubric, state), state.targets).open.get(id);
    if (open)
      ctx.stderr.write(
        `${wrap(
          safeText(
            `note: the answers still call for this step (${open.map((x) => addressedText(rubric, x)).join('; ')}); the report flags it until they change.`,
          ),
          ctx.stderr.columns,
        ).join('\n')}\n`,
      );
  }
  return ExitCode.ok;
}
