// Several respondents: invite, consensus, settle (the facilitated walk through open disagreements) and
// rename-respondent.

import { answerLevel, findQuestion } from '../assessment/scoring.js';
import { openDisagreements, type Disagreement } from '../assessment/respondents.js';
import type { AnswerValue } from '../assessment/events.js';
import { DomainError, ExitCode, InterruptedError, UsageError } from '../errors.js';
import { levelName } from '../rubric/levels.js';
import type { Question, Rubric } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import type { Choice, Prompter } from '../terminal/prompts.js';
import { plural, safeText, wrap } from '../text.js';
import type { Context } from './context.js';
import { defaultRespondent, findAssessment, openWorkspace, parseAnswer, recordOn, withPrompter } from './session.js';

export async function invite(ctx: Context, names: readonly string[], o: { assessment?: string; respondent?: string }): Promise<number> {
  const actor = o.respondent ?? defaultRespondent(ctx);
  const { state, recorded, workspace } = await recordOn(ctx, o.assessment, actor, () => ({
    type: 'InviteRespondents',
    respondents: names,
  }));
  const expected = (await workspace.assessment(state.id))?.expected ?? [];
  ctx.stderr.write(
    recorded.length === 0
      ? `unchanged: ${names.map(safeText).join(', ')} already invited to ${state.id}\n`
      : `invited to ${state.id} by ${safeText(actor)}; expected now: ${expected.map(safeText).join(', ')}\n`,
  );
  return ExitCode.ok;
}

export async function consensus(
  ctx: Context,
  question: string,
  token: string,
  o: { assessment?: string; note?: string; facilitator?: string },
): Promise<number> {
  if (o.note === undefined || o.note.trim() === '')
    throw new UsageError(
      'consensus needs --note "why this answer" (for example: --note "agreed in the quarterly review: 7 of 12 services")',
    );
  const rationale = o.note;
  const facilitator = o.facilitator ?? defaultRespondent(ctx);
  const { state, recorded } = await recordOn(ctx, o.assessment, facilitator, () => ({
    type: 'RecordConsensus',
    question,
    answer: parseAnswer(token),
    rationale,
    facilitator,
  }));
  ctx.stderr.write(
    recorded.length === 0
      ? `unchanged: ${question} already has that consensus\n`
      : `recorded the consensus ${question} = ${safeText(token)} for ${state.id}, facilitated by ${safeText(facilitator)} (seq ${recorded[0]?.seq ?? '?'})\n`,
  );
  return ExitCode.ok;
}

export async function renameRespondent(
  ctx: Context,
  from: string,
  to: string,
  o: { assessment?: string; respondent?: string },
): Promise<number> {
  const actor = o.respondent ?? defaultRespondent(ctx);
  const { state, recorded } = await recordOn(ctx, o.assessment, actor, () => ({ type: 'RenameRespondent', from, to }));
  ctx.stderr.write(
    recorded.length === 0
      ? `unchanged: "${safeText(from)}" is already "${safeText(to)}"\n`
      : `"${safeText(from)}" is shown as "${safeText(to)}" in ${state.id} from now on; the log keeps what was recorded\n`,
  );
  return ExitCode.ok;
}

/**
 * `cnassess settle`: a facilitator walks through every open disagreement, most consequential first, sees each
 * respondent's answer and note and what settling would do to the aspect's level, and records the agreed answer with
 * its rationale (or skips the question).
 */
export function settle(ctx: Context, id: string | undefined, o: { facilitator?: string }, prompterOverride?: Prompter): Promise<number> {
  return withPrompter(
    ctx,
    { command: 'settle', instead: 'Record an agreed answer with `cnassess consensus QUESTION ANSWER --note "why"`.' },
    prompterOverride,
    (prompter) => facilitate(ctx, id, o, prompter),
  );
}

async function facilitate(ctx: Context, id: string | undefined, o: { facilitator?: string }, prompter: Prompter): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const state = await findAssessment(workspace, id, 'write');
  const rubric = await workspace.rubricOf(state);
  const facilitator = o.facilitator ?? defaultRespondent(ctx);
  const open = openDisagreements(rubric, state);
  const print = (text: string, style: (s: string) => string = (x) => x, indent = '') =>
    ctx.stdout.write(`${wrap(safeText(text), Math.max(40, ctx.stdout.columns), indent).map(style).join('\n')}\n`);
  const aspectTitle = (id: string) => rubric.aspects.find((a) => a.id === id)?.title ?? id;
  if (open.length === 0) {
    ctx.stdout.write(`No open disagreements in ${state.id}: every question answered differently is settled.\n`);
    return ExitCode.ok;
  }
  ctx.stdout.write(
    `${plural(open.length, 'open disagreement')} in ${state.id}, most consequential first. Facilitating as ${safeText(facilitator)}.\n`,
  );
  let settled = 0;
  try {
    for (const [n, d] of open.entries()) {
      ctx.stdout.write('\n');
      print(
        `${n + 1} of ${open.length} · ${aspectTitle(d.aspect)}${d.question.gate ? ' · caps its aspect' : ''} · ${d.question.id}`,
        ctx.style.dim,
      );
      print(d.question.text, ctx.style.bold);
      for (const r of d.responses) {
        print(`${r.respondent}: ${describe(rubric, d.question, r.answer)}${r.carried ? ' (carried, not confirmed)' : ''}`);
        if (r.note !== undefined) print(`“${r.note}”`, ctx.style.dim, '  ');
      }
      if (d.lapsed)
        print(`An earlier consensus (${describe(rubric, d.question, d.lapsed.answer)}) was undone by a later answer.`, ctx.style.yellow);
      print(impact(rubric, d, aspectTitle(d.aspect)), ctx.style.dim);
      const answer = await agreedAnswer(prompter, rubric, d);
      if (answer === 'stop') break;
      if (answer === 'skip') continue;
      const rationale = await prompter.input('Why this answer? (recorded with it; who agreed, what evidence)', {
        validate: (v) => (v.trim() === '' ? 'Say why, so the next quarter knows what was agreed.' : true),
      });
      try {
        await workspace.execute(
          state.id,
          [{ type: 'RecordConsensus', question: d.question.id, answer, rationale, facilitator }],
          rubric,
          facilitator,
        );
        settled++;
        print(`Recorded: ${d.question.id} = ${describe(rubric, d.question, answer)}.`, ctx.style.green);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        print(e.message, ctx.style.red);
      }
    }
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    ctx.stderr.write(
      `\nInterrupted. ${settled === 0 ? 'No consensus was recorded.' : `${plural(settled, 'consensus', 'consensuses')} recorded and saved.`}\n`,
    );
    return ExitCode.interrupted;
  }
  ctx.stdout.write(`\nSettled ${settled} of ${open.length}. \`cnassess report\` shows which levels rest on a consensus.\n`);
  return ExitCode.ok;
}

async function agreedAnswer(prompter: Prompter, rubric: Rubric, d: Disagreement): Promise<AnswerValue | 'skip' | 'stop'> {
  const given = d.levelIf.map((l) => ({ value: key(l.answer), label: `${describe(rubric, d.question, l.answer)} (as answered)` }));
  const others: Choice<string>[] =
    d.question.type === 'multi'
      ? [{ value: '@other', label: 'Another combination of practices…' }]
      : d.question.choices
          .filter((c) => !given.some((g) => g.value === c.id))
          .map((c) => ({ value: c.id, label: describe(rubric, d.question, [c.id]) }));
  const picked = await prompter.select(`The agreed answer to ${d.question.id}:`, [
    ...given,
    ...others,
    ...(d.question.notApplicable && !given.some((g) => g.value === NOT_APPLICABLE)
      ? [{ value: NOT_APPLICABLE, label: 'Not applicable' }]
      : []),
    'separator',
    { value: '@skip', label: 'Skip: settle it later' },
    { value: '@stop', label: 'Stop here (what is settled stays)' },
  ]);
  if (picked === '@skip') return 'skip';
  if (picked === '@stop') return 'stop';
  if (picked === '@other') {
    const chosen = await prompter.checkbox(
      `The agreed practices of ${d.question.id}:`,
      d.question.choices.map((c) => ({ value: c.id, label: safeText(c.label) })),
    );
    return chosen.length === 0 ? 'skip' : chosen;
  }
  return parseAnswer(picked);
}

/** What settling at each answer given would make the aspect's level. */
function impact(rubric: Rubric, d: Disagreement, aspectTitle: string): string {
  const now = d.aspectLevel === undefined ? 'no level yet' : `${d.aspectLevel} ${levelName(rubric, d.aspectLevel)}`;
  const ifs = d.levelIf.map((l) => `${key(l.answer)} → ${l.level === undefined ? '–' : `${l.level} ${levelName(rubric, l.level)}`}`);
  return `${aspectTitle} is at ${now}; settled at ${ifs.join(', ')}${d.consequential ? '' : ' (no level changes either way)'}.`;
}

function describe(rubric: Rubric, question: Question, answer: AnswerValue): string {
  if (answer === NOT_APPLICABLE) return 'not applicable';
  const level = answerLevel(rubric, question, answer);
  const labels = answer.map((id) => findQuestion(rubric, question.id)?.choices.find((c) => c.id === id)?.label ?? id);
  return `${labels.join('; ')}${level === undefined ? '' : ` (level ${level})`}`;
}

function key(answer: AnswerValue): string {
  return answer === NOT_APPLICABLE ? answer : [...answer].sort().join(',');
}
