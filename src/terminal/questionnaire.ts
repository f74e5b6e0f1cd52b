// The questionnaire: walks the rubric aspect by aspect, question by question, and records each
// answer the moment it is given. It knows nothing of files or terminals: it talks to a Prompter and
// to two functions, one that reads the assessment's current state and one that records a command.

import type { AssessmentCommand } from '../assessment/decider.js';
import { answerLevel, conditionMet } from '../assessment/scoring.js';
import { effectiveAnswers, type AssessmentState, type Response } from '../assessment/state.js';
import { DomainError } from '../errors.js';
import type { Aspect, Question, Rubric } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { safeText, wrap } from '../text.js';
import { type Style } from '../views/terminal.js';
import type { Choice, Prompter } from './prompts.js';

export interface QuestionnaireIO {
  readonly prompter: Prompter;
  readonly print: (text: string) => void;
  /** The terminal's width now (it is read each time, so a resize counts). */
  readonly columns: () => number;
  readonly style: Style;
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

export async function runQuestionnaire(rubric: Rubric, respondent: string, io: QuestionnaireIO): Promise<QuestionnaireResult> {
  const order = rubric.aspects.flatMap((aspect) => aspect.questions.map((question) => ({ aspect, question })));
  let state = await io.load();
  const skipped = new Set<string>();
  const visited: number[] = [];
  let recorded = 0;
  let shownAspect: Aspect | undefined;

  const mine = (q: Question): Response | undefined => state.responses.get(q.id)?.get(respondent);
  const applies = (q: Question) => conditionMet(rubric, q, effectiveAnswers(rubric, state));
  // A carried answer from last quarter still waits for the respondent to confirm or change it.
  const pending = (q: Question) => applies(q) && !skipped.has(q.id) && (mine(q) === undefined || mine(q)!.carried);
  const nextFrom = (start: number) => {
    for (let i = start; i < order.length; i++) if (pending(order[i]!.question)) return i;
    return order.length;
  };

  let i = nextFrom(0);
  if (i > 0 && i < order.length)
    io.print(io.style.dim(`Resuming at question ${position(order, i, applies)}: earlier answers are already saved.\n`));
  while (i < order.length) {
    const { aspect, question } = order[i]!;
    if (!applies(question)) {
      // Reached by going back past a question whose condition an earlier change turned off.
      i = nextFrom(i + 1);
      continue;
    }
    if (aspect !== shownAspect) {
      printAspectHeader(io, rubric, aspect);
      shownAspect = aspect;
    }
    const current = mine(question);
    const action = await ask(io, question, current, {
      progress: `question ${position(order, i, applies)} of ${order.filter((o) => applies(o.question)).length}`,
      canGoBack: visited.length > 0,
      others: othersSaid(rubric, state, question, respondent),
    });

    const save = async (command: AssessmentCommand) => {
      try {
        await io.record(command);
        recorded++;
        state = await io.load();
        return true;
      } catch (e) {
        // A refusal is explained and the question asked again; everything else stops the run.
        if (!(e instanceof DomainError)) throw e;
        io.print(io.style.red(`  ${e.message}\n`));
        return false;
      }
    };

    switch (action.kind) {
      case 'choice':
        if (
          await save({
            type: 'RecordAnswer',
            question: question.id,
            answer: action.choices,
            respondent,
            ...(current?.note !== undefined && { note: current.note }),
          })
        ) {
          visited.push(i);
          i = nextFrom(i + 1);
        }
        break;
      case 'na': {
        const reason = await io.prompter.input('Why does this not apply? (a short reason)', {
          ...(current?.note !== undefined && { default: current.note }),
          validate: (v) => (v.trim() === '' ? 'Give a short reason, so readers of the report know why.' : true),
        });
        if (await save({ type: 'RecordAnswer', question: question.id, answer: NOT_APPLICABLE, respondent, note: reason.trim() })) {
          visited.push(i);
          i = nextFrom(i + 1);
        }
        break;
      }
      case 'note': {
        const note = await io.prompter.input('Note — evidence for this answer (a link, a ticket, a sentence):', {
          ...(current?.note !== undefined && { default: current.note }),
        });
        if (current?.answer === NOT_APPLICABLE && note.trim() === '')
          io.print(io.style.dim('  A "not applicable" answer keeps its reason; the note is unchanged.\n'));
        else if (current)
          await save({ type: 'RecordAnswer', question: question.id, answer: current.answer, respondent, note: note.trim() });
        else io.print(io.style.dim('  Answer the question first; the note is kept with the answer.\n'));
        break;
      }
      case 'skip':
        skipped.add(question.id);
        visited.push(i);
        i = nextFrom(i + 1);
        break;
      case 'back':
        skipped.delete(order[visited.at(-1)!]!.question.id);
        i = visited.pop()!;
        break;
      case 'pick':
        break; // handled inside ask()
    }
  }
  const unanswered = order.filter((o) => applies(o.question) && (mine(o.question) === undefined || mine(o.question)!.carried)).length;
  return { recorded, unanswered };
}

function printAspectHeader(io: QuestionnaireIO, rubric: Rubric, aspect: Aspect): void {
  const n = rubric.aspects.indexOf(aspect) + 1;
  io.print(
    `\n${io.style.bold(`${safeText(aspect.title)}`)}  ${io.style.dim(`aspect ${n} of ${rubric.aspects.length}`)}\n${paragraph(io, aspect.summary, io.style.dim)}\n`,
  );
}

/** Untrusted text as lines that break at words within the terminal's width, each styled, ending in a line break. */
function paragraph(io: QuestionnaireIO, text: string, style: (line: string) => string = (l) => l): string {
  return wrap(safeText(text), Math.max(40, io.columns()))
    .map((line) => `${style(line)}\n`)
    .join('');
}

async function ask(
  io: QuestionnaireIO,
  question: Question,
  current: Response | undefined,
  context: { progress: string; canGoBack: boolean; others: string | undefined },
): Promise<Action> {
  const s = io.style;
  io.print(`${s.dim(context.progress)}${question.gate ? s.dim(' · caps its aspect') : ''}\n`);
  if (question.help) io.print(paragraph(io, question.help, s.dim));
  if (current?.carried)
    io.print(
      paragraph(io, `Carried over from last quarter: ${describeAnswer(question, current.answer)}. Confirm it or pick another.`, s.yellow),
    );
  if (current?.note) io.print(paragraph(io, `Note: ${current.note}`, s.dim));
  if (context.others) io.print(paragraph(io, context.others, s.dim));

  const actions: (Choice<string> | 'separator')[] = [
    'separator',
    { value: ACTIONS.skip, label: 'Skip for now' },
    ...(question.notApplicable ? [{ value: ACTIONS.na, label: 'Not applicable here…' }] : []),
    { value: ACTIONS.note, label: current ? 'Add or edit a note (evidence)…' : 'Add a note (answer first)' },
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
      question.choices.map((c) => ({ value: c.id, label: safeText(c.label), checked: currentChoices.includes(c.id) })),
    );
    if (chosen.length > 0) return { kind: 'choice', choices: chosen };
    // Unticking everything must not look like an answer, nor silently keep the old one: ask again.
    io.print(s.dim('  Nothing ticked: tick at least one (the list has a baseline practice), or choose Skip.\n'));
    return { kind: 'pick' };
  }

  const choices: Choice<string>[] = question.choices.map((c) => ({ value: `choice:${c.id}`, label: safeText(c.label) }));
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

/** What other respondents said, so a second respondent sees where they differ. */
function othersSaid(rubric: Rubric, state: AssessmentState, question: Question, respondent: string): string | undefined {
  const others = [...(state.responses.get(question.id)?.values() ?? [])].filter((r) => r.respondent !== respondent);
  if (others.length === 0) return undefined;
  return others
    .map((r) => {
      const level = r.answer === NOT_APPLICABLE ? 'n/a' : `level ${answerLevel(rubric, question, r.answer) ?? '?'}`;
      return `${safeText(r.respondent)} answered: ${describeAnswer(question, r.answer)} (${level})`;
    })
    .join('\n');
}
