// `cnassess assess`: the interactive questionnaire. Starts a new assessment or resumes the
// unfinished one of that org, scope and period.

import { carriedCommands } from '../compare/carryOver.js';
import { locateAssessment, scoreAssessment, seriesKeyOf, seriesOf, type AssessmentState } from '../assessment/state.js';
import { ExitCode, InterruptedError, UsageError } from '../errors.js';
import { loadRubric } from '../source/rubricFile.js';
import type { Rubric } from '../rubric/types.js';
import { plural, safeText, wrap } from '../text.js';
import type { Prompter } from '../terminal/prompts.js';
import { runQuestionnaire } from '../terminal/questionnaire.js';
import type { Workspace } from '../workspace.js';
import type { Context } from './context.js';
import { rememberRespondent } from '../source/respondentMemory.js';
import { defaultRespondent, openWorkspace, storeOf, withPrompter } from './session.js';
import { storeName } from '../store/location.js';
import { levelName } from '../rubric/levels.js';
import { renderScore } from '../views/score.js';
import { howToAnswerText } from '../views/rubric.js';

export interface AssessOptions {
  org?: string;
  scope?: string;
  period?: string;
  respondent?: string;
  rubric?: string;
  /** The assessment (id or period) whose answers to carry over; asked when one exists and this is not given. */
  from?: string;
  /** Show other respondents' answers before answering, not after. */
  showOthers?: boolean;
}

export function assess(ctx: Context, o: AssessOptions, prompterOverride?: Prompter): Promise<number> {
  return withPrompter(
    ctx,
    {
      command: 'assess',
      instead: 'Record answers with `cnassess answer QUESTION CHOICE`, or all at once with `cnassess import answers.yaml`.',
    },
    prompterOverride,
    (prompter) => askQuestions(ctx, o, prompter),
  );
}

async function askQuestions(ctx: Context, o: AssessOptions, prompter: Prompter): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  let answeredBefore = 0;
  let id: string | undefined;
  let respondent = o.respondent;
  try {
    const view = await workspace.view();
    const latest = [...view.assessments.values()].sort((a, b) => b.lastSeq - a.lastSeq)[0];
    const org = o.org ?? (await prompter.input('Organisation:', { ...(latest && { default: latest.org }), validate: nonEmpty }));
    const scope =
      o.scope ??
      (await prompter.input('Scope (a team, a platform, or "all"):', {
        default: latest?.org === org ? latest.scope : 'all',
        validate: nonEmpty,
      }));
    // The quarterly re-run: without --period, the latest unfinished period of this org and scope is resumed, so a
    // quarter started with `start --from` is found even before its calendar quarter begins.
    const unfinished = [...view.assessments.values()]
      .filter((a) => a.status === 'open' && seriesOf(a) === seriesKeyOf(org.trim(), scope.trim()))
      .sort((a, b) => b.period.localeCompare(a.period))[0];
    if (o.period === undefined && unfinished !== undefined)
      ctx.stdout.write(
        `${unfinished.period} is the latest unfinished period of ${safeText(unfinished.org)} / ${safeText(unfinished.scope)}.\n`,
      );
    const period =
      o.period ??
      unfinished?.period ??
      (await prompter.input('Period:', {
        default: currentQuarter(ctx.now()),
        validate: (v) => (/^\d{4}-Q[1-4]$/i.test(v.trim()) ? true : 'Write the quarter as YYYY-Qn, e.g. 2026-Q4'),
      }));
    // --respondent and CNASSESS_RESPONDENT win; otherwise the name typed here last time is offered first.
    respondent = o.respondent ?? ctx.env.CNASSESS_RESPONDENT;
    if (respondent === undefined || respondent === '') {
      respondent = (
        await prompter.input('Your name (recorded with each answer):', { default: defaultRespondent(ctx), validate: nonEmpty })
      ).trim();
      rememberRespondent(ctx.env, storeName(storeOf(ctx)), respondent);
    }
    const located = locateAssessment(view.assessments, org.trim(), scope.trim(), period.trim());
    id = located.id;
    const existing = located.existing;
    let rubric: Rubric;
    if (existing) {
      if (existing.status === 'completed') {
        throw new UsageError(`${id} is completed. Reopen it with \`cnassess reopen ${id}\` to change answers, or start the next period.`);
      }
      rubric = await workspace.rubricOf(existing);
      ctx.stdout.write(`Resuming ${safeText(existing.org)} / ${safeText(existing.scope)} / ${existing.period}.\n`);
    } else {
      rubric = (await loadRubric(o.rubric, ctx.cwd)).rubric;
      // The quarterly re-run: offer last period's answers of this org and scope as a baseline to confirm.
      const names = { org: org.trim(), scope: scope.trim() };
      const previous =
        o.from ??
        [...view.assessments.values()]
          .filter((a) => seriesOf(a) === seriesKeyOf(names.org, names.scope) && a.period < period.trim())
          .sort((a, b) => b.period.localeCompare(a.period))[0]?.id;
      const carry =
        previous !== undefined &&
        (o.from !== undefined ||
          (await prompter.confirm(`Carry over the answers of ${previous} as a baseline? You confirm or change each one.`, true)))
          ? await (
              await import('./progressCommands.js')
            ).planStartFrom(workspace, previous, names, rubric, { rubricChosen: o.rubric !== undefined })
          : undefined;
      if (carry) {
        rubric = carry.rubric;
        if (carry.notice) ctx.stdout.write(`${carry.notice}\n`);
      }
      const ref = await workspace.registerRubric(rubric, respondent);
      await workspace.execute(
        id,
        [
          {
            type: 'StartAssessment',
            org: org.trim(),
            scope: scope.trim(),
            period: period.trim(),
            rubric: ref,
            ...(carry && { carriedFrom: carry.previous.id }),
          },
          ...(carry ? carriedCommands(carry.plan) : []),
        ],
        rubric,
        respondent,
      );
      if (carry) ctx.stdout.write(`${(await import('./progressCommands.js')).carriedSummary(carry.previous, carry.plan)}\n`);
      ctx.stdout.write(
        `Started ${safeText(org)} / ${safeText(scope)} / ${period}: ${rubric.aspects.length} aspects; answer for production, today. Ctrl+C at any time keeps every answer given.\n`,
      );
    }
    const assessment = id;
    const load = async () => (await workspace.assessment(assessment))!;
    answeredBefore = countMine(await load(), respondent);
    // Every respondent reads the same rules before their first answer; a respondent who resumes gets a pointer.
    const how = howToAnswerText(rubric, ctx.stdout.columns);
    if (how !== '' && answeredBefore === 0) ctx.stdout.write(`\n${ctx.style.bold('How to answer')}\n${how}\n`);
    else if (how !== '') ctx.stdout.write(ctx.style.dim('How to answer: `cnassess rubric show` prints the rules every answer follows.\n'));

    const who = respondent; // a const, for the closure below
    const result = await runQuestionnaire(rubric, respondent, {
      prompter,
      print: (t) => ctx.stdout.write(t),
      columns: () => ctx.stdout.columns,
      style: ctx.style,
      showOthers: o.showOthers === true,
      load,
      record: async (command) => void (await workspace.execute(assessment, [command], rubric, who)),
    });

    const state = await load();
    ctx.stdout.write(
      `\n${renderScore({ style: ctx.style, columns: ctx.stdout.columns }, rubric, state, scoreAssessment(rubric, state))}\n`,
    );
    if (result.unanswered > 0) {
      ctx.stdout.write(
        `${result.unanswered} question${result.unanswered === 1 ? '' : 's'} still unanswered; run \`cnassess assess\` again to answer them.\n`,
      );
    }
    await offerTargets(prompter, workspace, rubric, state, respondent);
    // Completing closes the quarter for everyone: the default is No while anyone's work is visibly unfinished.
    const notYet = reasonsNotComplete(state, result.unanswered);
    for (const reason of notYet) ctx.stdout.write(`${ctx.style.yellow(reason)}\n`);
    if (await prompter.confirm('Mark this assessment complete? (no more changes until reopened)', notYet.length === 0)) {
      await workspace.execute(assessment, [{ type: 'CompleteAssessment' }], rubric, respondent);
      ctx.stdout.write('Marked complete.\n');
    }
    ctx.stdout.write(`\nRender the report for leadership with:\n  cnassess report ${assessment}\n`);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof InterruptedError) {
      const saved = id === undefined ? 0 : countMine((await workspace.assessment(id)) ?? undefined, respondent ?? defaultRespondent(ctx));
      const said = `Interrupted. ${id === undefined ? 'Nothing was recorded.' : `Your answers are saved (${saved} so far${saved > answeredBefore ? `, ${saved - answeredBefore} in this run` : ''}); run \`cnassess assess\` again to resume.`}`;
      // Wrapped at words, at the terminal's width now (it may have been resized since the start).
      ctx.stderr.write(`\n${wrap(said, ctx.stdout.columns).join('\n')}\n`);
      return ExitCode.interrupted;
    }
    throw e;
  }
}

async function offerTargets(
  prompter: Prompter,
  workspace: Workspace,
  rubric: Rubric,
  state: AssessmentState,
  respondent: string,
): Promise<void> {
  if (!(await prompter.confirm('Set a target level for each aspect now? (the roadmap aims at it; default: one level up)', false))) return;
  const card = scoreAssessment(rubric, state);
  const levels = rubric.levels;
  for (const aspect of rubric.aspects) {
    const current = card.aspects.find((a) => a.aspect === aspect.id)?.level;
    const suggested =
      state.targets.get(aspect.id) ?? levels.find((l) => l.level > (current ?? levels[0]!.level))?.level ?? levels.at(-1)!.level;
    const level = await prompter.select(
      `Target for ${safeText(aspect.title)} (now: ${current !== undefined ? `${current} ${levelName(rubric, current)}` : 'not scored'})`,
      levels.map((l) => ({ value: l.level, label: `${l.level} ${safeText(l.name)} — ${safeText(l.summary)}` })),
      { default: suggested },
    );
    await workspace.execute(state.id, [{ type: 'SetTarget', aspect: aspect.id, level }], rubric, respondent);
  }
}

function countMine(state: AssessmentState | undefined, respondent: string): number {
  if (!state) return 0;
  return [...state.responses.values()].filter((r) => r.get(respondent) && !r.get(respondent)!.carried).length;
}

function nonEmpty(v: string): string | true {
  return v.trim() === '' ? 'Required' : true;
}

export function currentQuarter(now: Date): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** Why completing now would close the quarter on unfinished work; empty when nothing says so. */
function reasonsNotComplete(state: AssessmentState, unansweredByYou: number): string[] {
  const reasons: string[] = [];
  if (unansweredByYou > 0) reasons.push(`You have ${plural(unansweredByYou, 'question')} unanswered.`);
  const carried = [...state.responses.values()].flatMap((byRespondent) => [...byRespondent.values()].filter((r) => r.carried));
  if (carried.length > 0) {
    const who = [...new Set(carried.map((r) => r.respondent))].map(safeText);
    reasons.push(`${plural(carried.length, 'carried answer is', 'carried answers are')} not confirmed yet (${who.join(', ')}).`);
  }
  return reasons;
}
