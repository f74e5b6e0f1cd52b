// The questionnaire: walks the rubric aspect by aspect, question by question, and records each
// answer the moment it is given. It knows nothing of files or terminals: it talks to a Prompter and
// to two functions, one that reads the assessment's current state and one that records a command.

import type { AssessmentCommand } from '../assessment/decider.js';
import { answerLevel, conditionMet } from '../assessment/scoring.js';
import { sameAnswer } from '../assessment/events.js';
import { effectiveAnswers, type AssessmentState, type Response } from '../assessment/state.js';
import { DomainError } from '../errors.js';
import type { Aspect, Question, Rubric } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { safeText, truncate, wrap } from '../text.js';
import { type Style } from '../views/terminal.js';
import type { Choice, Prompter } from './prompts.js';

export interface QuestionnaireIO {
  readonly prompter: Prompter;
  readonly print: (text: string) => void;
  /** The terminal's width now (it is read each time, so a resize counts). */
  readonly columns: () => number;
  readonly style: Style;
  /** Show other respondents' answers before answering (`assess --show-others`); by default they come after. */
  readonly showOthers?: boolean;
  /** The assessment as it stands in the log now. */
  readonly load: () => Promise<AssessmentState>;
  /** Decides and durably appends one command; resolves only once it is saved. */
  readonly record: (command: AssessmentCommand) => Promise<void>;
}

export interface QuestionnaireResult {
  /** Answers recorded in this run. */
  readonly recorded: number;
  /** Applicable questions the respondent has not answered (skipped, or never reached). */
  readonly unanswered: number;
}

type Action =
  { kind: 'choice'; choices: string[] } | { kind: 'skip' } | { kind: 'na' } | { kind: 'note' } | { kind: 'back' } | { kind: 'pick' };

const ACTIONS = { skip: '@skip', na: '@na', note: '@note', back: '@back', pick: '@pick' } as const;
const DONE = '@done';
const CONFIRM_ALL = '@confirm-all';

export async function runQuestionnaire(rubric: Rubric, given: string, io: QuestionnaireIO): Promise<QuestionnaireResult> {
  const order = rubric.aspects.flatMap((aspect) => aspect.questions.map((question) => ({ aspect, question })));
  let state = await io.load();
  // A name merged into another (rename-respondent) answers as that one: its answers are theirs now.
  const respondent = state.aliases.get(given) ?? given;
  if (respondent !== given)
    io.print(
      io.style.dim(
        `"${safeText(given)}" is shown as "${safeText(respondent)}" in this assessment; answering as ${safeText(respondent)}.\n`,
      ),
    );
  const skipped = new Set<string>();
  const visited: number[] = [];
  /** Notes given before the answer, kept until the answer is recorded with them. */
  const pendingNotes = new Map<string, string>();
  let recorded = 0;
  let shownAspect: Aspect | undefined;
  const carriedFrom = periodOf(state.carriedFrom);

  const mine = (q: Question): Response | undefined => state.responses.get(q.id)?.get(respondent);
  const applies = (q: Question) => conditionMet(rubric, q, effectiveAnswers(rubric, state));
  // A carried answer from last quarter still waits for the respondent to confirm or change it.
  const pending = (q: Question) => applies(q) && !skipped.has(q.id) && (mine(q)?.carried ?? true);
  const nextFrom = (start: number) => {
    for (let i = start; i < order.length; i++) {
      const q = order[i]?.question;
      if (q !== undefined && pending(q)) return i;
    }
    return order.length;
  };
  const save = async (command: AssessmentCommand) => {
    try {
      await io.record(command);
      recorded++;
      state = await io.load();
      return true;
    } catch (e) {
      // A refusal is explained and the question asked again; everything else stops the run.
      if (!(e instanceof DomainError)) throw e;
      io.print(paragraph(io, `  ${e.message}`, io.style.red));
      return false;
    }
  };

  let i = nextFrom(0);
  if (i > 0 && i < order.length)
    io.print(io.style.dim(`Resuming at question ${position(order, i, applies)}: earlier answers are already saved.\n`));
  for (;;) {
    if (i >= order.length) {
      // Everything is answered: a question can still be revisited before the summary.
      const again = await revisit(io, order, applies, mine);
      if (again === undefined) break;
      i = again;
    }
    const entry = order[i];
    if (entry === undefined) break;
    const { aspect, question } = entry;
    if (!applies(question)) {
      // Reached by going back past a question whose condition an earlier change turned off.
      i = nextFrom(i + 1);
      continue;
    }
    if (aspect !== shownAspect) {
      printAspectHeader(io, rubric, aspect);
      shownAspect = aspect;
      // Last quarter's answers of a whole aspect can be confirmed at once, each shown first.
      const carried = aspect.questions.filter((q) => applies(q) && !skipped.has(q.id) && mine(q)?.carried === true);
      if (carried.length > 1 && (await confirmAll(io, aspect, carried, mine, carriedFrom))) {
        for (const q of carried) {
          const r = mine(q);
          if (r)
            await save({
              type: 'RecordAnswer',
              question: q.id,
              answer: r.answer,
              respondent,
              ...(r.note !== undefined && { note: r.note }),
            });
        }
        i = nextFrom(i);
        continue;
      }
    }
    const current = mine(question);
    const others = othersSaid(rubric, state, question, respondent, carriedFrom);
    if (io.showOthers === true && others !== undefined) io.print(paragraph(io, others, io.style.dim));
    const action = await ask(io, question, current, {
      progress: `question ${position(order, i, applies)} of ${order.filter((o) => applies(o.question)).length}`,
      canGoBack: visited.length > 0,
      carriedFrom,
      pendingNote: pendingNotes.get(question.id),
    });
    // Blind by default: what others answered is shown once this respondent has answered too.
    const afterwards = () => {
      if (io.showOthers === true) return;
      const said = othersSaid(rubric, state, question, respondent, carriedFrom);
      const you = mine(question);
      if (said !== undefined && you !== undefined)
        io.print(paragraph(io, `${said}\nYou answered: ${describeLevel(rubric, question, you.answer)}.`, io.style.dim));
    };

    switch (action.kind) {
      case 'choice': {
        const note = await noteFor(io, current, action.choices, pendingNotes.get(question.id));
        if (
          await save({
            type: 'RecordAnswer',
            question: question.id,
            answer: action.choices,
            respondent,
            ...(note !== undefined && { note }),
          })
        ) {
          pendingNotes.delete(question.id);
          afterwards();
          visited.push(i);
          i = nextFrom(i + 1);
        }
        break;
      }
      case 'na': {
        const given = pendingNotes.get(question.id) ?? (current?.answer === NOT_APPLICABLE ? current.note : undefined);
        const reason = await io.prompter.input('Why does this not apply? (a short reason)', {
          ...(given !== undefined && { default: given, editable: true }),
          validate: (v) => (v.trim() === '' ? 'Give a short reason, so readers of the report know why.' : true),
        });
        if (await save({ type: 'RecordAnswer', question: question.id, answer: NOT_APPLICABLE, respondent, note: reason.trim() })) {
          pendingNotes.delete(question.id);
          afterwards();
          visited.push(i);
          i = nextFrom(i + 1);
        }
        break;
      }
      case 'note': {
        const before = pendingNotes.get(question.id) ?? current?.note;
        const note = (
          await io.prompter.input('Note — evidence for this answer (a link, a ticket, a sentence):', {
            ...(before !== undefined && { default: before, editable: true }),
          })
        ).trim();
        if (current === undefined) {
          if (note === '') pendingNotes.delete(question.id);
          else pendingNotes.set(question.id, note);
          io.print(io.style.dim(note === '' ? '  No note.\n' : '  Noted: it is recorded with your answer to this question.\n'));
        } else if (current.answer === NOT_APPLICABLE && note === '')
          io.print(io.style.dim('  A "not applicable" answer keeps its reason; the note is unchanged.\n'));
        else
          await save({
            type: 'RecordAnswer',
            question: question.id,
            answer: current.answer,
            respondent,
            ...(note !== '' && { note }),
          });
        break;
      }
      case 'skip':
        skipped.add(question.id);
        visited.push(i);
        i = nextFrom(i + 1);
        break;
      case 'back': {
        const previous = visited.pop();
        if (previous === undefined) break;
        skipped.delete(order[previous]?.question.id ?? '');
        i = previous;
        break;
      }
      case 'pick':
        break; // handled inside ask()
    }
  }
  const unanswered = order.filter((o) => applies(o.question) && (mine(o.question)?.carried ?? true)).length;
  return { recorded, unanswered };
}

/**
 * The note to record with a new answer: one given before answering; else, when the answer changes, the previous note
 * only if the respondent keeps it (shown, editable, cleared to drop); an n/a reason never becomes a note.
 */
async function noteFor(
  io: QuestionnaireIO,
  current: Response | undefined,
  choices: readonly string[],
  pendingNote: string | undefined,
): Promise<string | undefined> {
  if (pendingNote !== undefined) return pendingNote;
  if (current === undefined || current.answer === NOT_APPLICABLE || current.note === undefined) return undefined;
  if (sameAnswer(current.answer, choices)) return current.note;
  const kept = await io.prompter.input('Your note on the previous answer — keep it (Enter), edit it, or clear it:', {
    default: current.note,
    editable: true,
  });
  return kept.trim() === '' ? undefined : kept.trim();
}

/** Shows each of an aspect's carried answers and asks whether to confirm them all at once. */
async function confirmAll(
  io: QuestionnaireIO,
  aspect: Aspect,
  carried: readonly Question[],
  mine: (q: Question) => Response | undefined,
  carriedFrom: string | undefined,
): Promise<boolean> {
  const from = carriedFrom ?? 'the previous period';
  io.print(io.style.dim(`Carried from ${from}:\n`));
  for (const q of carried) {
    const r = mine(q);
    if (r) io.print(paragraph(io, `  ${q.id}: ${describeAnswer(q, r.answer)}`, io.style.dim));
  }
  const choice = await io.prompter.select(`${carried.length} answers of ${safeText(aspect.title)} are carried from ${from}`, [
    { value: CONFIRM_ALL, label: `Confirm all ${carried.length} carried answers of ${safeText(aspect.title)}` },
    { value: 'one-by-one', label: 'Go through them one by one' },
  ]);
  return choice === CONFIRM_ALL;
}

/** After the last question: the summary, or a question to revisit (its index in `order`). */
async function revisit(
  io: QuestionnaireIO,
  order: readonly { question: Question }[],
  applies: (q: Question) => boolean,
  mine: (q: Question) => Response | undefined,
): Promise<number | undefined> {
  const choices = order.flatMap(({ question }, index) => {
    if (!applies(question)) return [];
    const r = mine(question);
    const answer = r === undefined ? 'not answered' : describeAnswer(question, r.answer);
    return [{ value: String(index), label: truncate(`${question.id}: ${safeText(answer)}`, Math.max(40, io.columns() - 4)) }];
  });
  const picked = await io.prompter.select('That was the last question. Revisit one, or go on to the summary?', [
    { value: DONE, label: 'Go on to the summary' },
    'separator',
    ...choices,
  ]);
  return picked === DONE ? undefined : Number(picked);
}

function printAspectHeader(io: QuestionnaireIO, rubric: Rubric, aspect: Aspect): void {
  const n = rubric.aspects.indexOf(aspect) + 1;
  io.print(
    `\n${io.style.bold(`${safeText(aspect.title)}`)}  ${io.style.dim(`aspect ${n} of ${rubric.aspects.length}`)}\n${paragraph(io, aspect.summary, io.style.dim)}\n`,
  );
}

/** Untrusted text as lines that break at words within the terminal's width, each styled, ending in a line break. */
function paragraph(io: QuestionnaireIO, text: string, style: (line: string) => string = (l) => l): string {
  return text
    .split('\n')
    .flatMap((line) => wrap(safeText(line), Math.max(40, io.columns()), line.match(/^ */)?.[0] ?? ''))
    .map((line) => `${style(line)}\n`)
    .join('');
}

async function ask(
  io: QuestionnaireIO,
  question: Question,
  current: Response | undefined,
  context: { progress: string; canGoBack: boolean; carriedFrom: string | undefined; pendingNote: string | undefined },
): Promise<Action> {
  const s = io.style;
  io.print(`${s.dim(context.progress)}${question.gate ? s.dim(' · caps its aspect') : ''}\n`);
  if (question.help) io.print(paragraph(io, question.help, s.dim));
  if (current?.carried)
    io.print(
      paragraph(
        io,
        `Carried from ${context.carriedFrom ?? 'the previous period'}: ${describeAnswer(question, current.answer)}. Confirm it or pick another.`,
        s.yellow,
      ),
    );
  if (current?.note) io.print(paragraph(io, `Note: ${current.note}`, s.dim));
  if (context.pendingNote !== undefined) io.print(paragraph(io, `Note, recorded with your answer: ${context.pendingNote}`, s.dim));

  const actions: (Choice<string> | 'separator')[] = [
    'separator',
    { value: ACTIONS.skip, label: 'Skip for now' },
    ...(question.notApplicable ? [{ value: ACTIONS.na, label: 'Not applicable here…' }] : []),
    { value: ACTIONS.note, label: current || context.pendingNote !== undefined ? 'Add or edit a note (evidence)…' : 'Add a note…' },
    ...(context.canGoBack ? [{ value: ACTIONS.back, label: '← Back to the previous question' }] : []),
  ];
  const message = safeText(question.text);
  const currentChoices = current && current.answer !== NOT_APPLICABLE ? current.answer : [];

  if (question.type === 'multi') {
    const picked = await io.prompter.select(
      message,
      [
        {
          value: ACTIONS.pick,
          label:
            currentChoices.length > 0
              ? `Change the practices (now: ${describeAnswer(question, currentChoices)})…`
              : 'Choose the practices that are true…',
        },
        ...actions,
      ],
      {
        default: current?.answer === NOT_APPLICABLE ? ACTIONS.na : ACTIONS.pick,
      },
    );
    if (picked !== ACTIONS.pick) return toAction(picked);
    const chosen = await io.prompter.checkbox(
      `${message} (space to toggle, enter to confirm)`,
      question.choices.map((c) => ({
        value: c.id,
        label: safeText(c.label),
        checked: currentChoices.includes(c.id),
        ...(c.exclusive === true && { exclusive: true }),
        ...(c.help !== undefined && { description: safeText(c.help) }),
      })),
    );
    if (chosen.length > 0) return { kind: 'choice', choices: chosen };
    // Unticking everything must not look like an answer, nor silently keep the old one: ask again.
    io.print(paragraph(io, '  Nothing ticked: tick at least one (the list has a baseline practice), or choose Skip.', s.dim));
    return { kind: 'pick' };
  }

  // A choice's help (an imported model's per-choice guidance) shows under the list while it is highlighted.
  const choices: Choice<string>[] = question.choices.map((c) => ({
    value: `choice:${c.id}`,
    label: safeText(c.label),
    ...(c.help !== undefined && { description: safeText(c.help) }),
  }));
  const defaultValue =
    current?.answer === NOT_APPLICABLE ? ACTIONS.na : currentChoices[0] !== undefined ? `choice:${currentChoices[0]}` : undefined;
  const picked = await io.prompter.select(message, [...choices, ...actions], defaultValue !== undefined ? { default: defaultValue } : {});
  return toAction(picked);
}

function toAction(value: string): Action {
  if (value.startsWith('choice:')) return { kind: 'choice', choices: [value.slice('choice:'.length)] };
  switch (value) {
    case ACTIONS.skip:
      return { kind: 'skip' };
    case ACTIONS.na:
      return { kind: 'na' };
    case ACTIONS.note:
      return { kind: 'note' };
    case ACTIONS.back:
      return { kind: 'back' };
    default:
      return { kind: 'pick' };
  }
}

function position(order: readonly { question: Question }[], index: number, applies: (q: Question) => boolean): number {
  return order.slice(0, index + 1).filter((o) => applies(o.question)).length;
}

function describeAnswer(question: Question, answer: readonly string[] | 'n/a'): string {
  if (answer === NOT_APPLICABLE) return 'not applicable';
  return answer.map((id) => safeText(question.choices.find((c) => c.id === id)?.label ?? id)).join('; ');
}

/**
 * What other respondents said, so a respondent sees where they differ once they have answered; a carried answer is
 * labelled as last period's, never as given this quarter.
 */
function othersSaid(
  rubric: Rubric,
  state: AssessmentState,
  question: Question,
  respondent: string,
  carriedFrom: string | undefined,
): string | undefined {
  const others = [...(state.responses.get(question.id)?.values() ?? [])].filter((r) => r.respondent !== respondent);
  if (others.length === 0) return undefined;
  return others
    .map((r) => {
      const when = r.carried ? ` (carried from ${carriedFrom ?? 'the previous period'}, not confirmed yet)` : '';
      return `${safeText(r.respondent)} answered: ${describeLevel(rubric, question, r.answer)}${when}`;
    })
    .join('\n');
}

function describeLevel(rubric: Rubric, question: Question, answer: readonly string[] | 'n/a'): string {
  const level = answer === NOT_APPLICABLE ? 'n/a' : `level ${answerLevel(rubric, question, answer) ?? '?'}`;
  return `${describeAnswer(question, answer)} (${level})`;
}

/** "2026-Q3" from an assessment id such as acme/platform/2026-q3. */
function periodOf(id: string | undefined): string | undefined {
  const last = id?.split('/').at(-1);
  return last === undefined ? undefined : last.toUpperCase();
}
