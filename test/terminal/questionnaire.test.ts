// The questionnaire flow through the prompt wrapper, with a scripted prompter and the in-memory store.
import { describe, expect, it } from 'vitest';
import { assessmentId, type AssessmentState } from '../../src/assessment/state.js';
import { InterruptedError } from '../../src/errors.js';
import type { Rubric } from '../../src/rubric/types.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { makeStyle } from '../../src/views/terminal.js';
import type { Choice, Prompter } from '../../src/terminal/prompts.js';
import { runQuestionnaire } from '../../src/terminal/questionnaire.js';
import { Workspace } from '../../src/workspace.js';
import { aspect, question, rubric as makeRubric } from '../support/rubrics.js';

type Step =
  { select: string; expectMessage?: RegExp; expectDefault?: string } | { checkbox: string[] } | { input: string } | { interrupt: true };

/** A Prompter that plays a script and records what it was shown. */
function scripted(steps: Step[]) {
  const shown: { kind: string; message: string; choices?: string[]; default?: unknown }[] = [];
  const next = (kind: string, message: string, extra: { choices?: string[]; default?: unknown } = {}) => {
    shown.push({ kind, message, ...extra });
    const step = steps.shift();
    if (!step) throw new Error(`script ended, but the questionnaire asked: ${message}`);
    if ('interrupt' in step) throw new InterruptedError('interrupted');
    return step;
  };
  const prompter: Prompter = {
    async select<V>(message: string, choices: readonly (Choice<V> | 'separator')[], options?: { default?: V }) {
      const values = choices.filter((c): c is Choice<V> => c !== 'separator').map((c) => String(c.value));
      const step = next('select', message, { choices: values, default: options?.default });
      if (!('select' in step)) throw new Error(`expected a select step for: ${message}`);
      if (step.expectMessage) expect(message).toMatch(step.expectMessage);
      if (step.expectDefault !== undefined) expect(options?.default).toBe(step.expectDefault);
      expect(values).toContain(step.select);
      return step.select as V;
    },
    async checkbox<V>(message: string) {
      const step = next('checkbox', message);
      if (!('checkbox' in step)) throw new Error(`expected a checkbox step for: ${message}`);
      return step.checkbox as V[];
    },
    async input(message: string) {
      const step = next('input', message);
      if (!('input' in step)) throw new Error(`expected an input step for: ${message}`);
      return step.input;
    },
    async confirm() {
      return false;
    },
  };
  return { prompter, shown, remaining: steps };
}

const HELP =
  "Evidence: each service's CI configuration and the last 20 runs of its main-branch pipeline; a practice configured but skipped is not ticked.";
const SUMMARY = 'How services are built, packaged, described and delivered to production, and the developer workflow around them.';

const r: Rubric = makeRubric([
  aspect(
    'orch',
    [
      question('sched', { help: HELP }),
      question('mesh', { notApplicable: true, when: { question: 'sched', atLeast: 3 } }),
      question('tools', { type: 'multi' }),
    ],
    { summary: SUMMARY },
  ),
  aspect('obs', [question('metrics'), question('traces')]),
]);
const id = assessmentId('Acme', 'all', '2026-Q4');

async function setup() {
  const workspace = new Workspace(
    createMemoryStore(),
    () => new Date('2026-11-25T10:00:00Z'),
    (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
  );
  const ref = await workspace.registerRubric(r, 'alice');
  await workspace.execute(id, [{ type: 'StartAssessment', org: 'Acme', scope: 'all', period: '2026-Q4', rubric: ref }], r, 'alice');
  const output: string[] = [];
  const run = (prompter: Prompter, respondent = 'alice') =>
    runQuestionnaire(r, respondent, {
      prompter,
      print: (t) => output.push(t),
      columns: () => 60,
      style: makeStyle(false),
      load: async () => (await workspace.assessment(id))!,
      record: async (command) => void (await workspace.execute(id, [command], r, respondent)),
    });
  const state = async (): Promise<AssessmentState> => (await workspace.assessment(id))!;
  return { workspace, run, state, output };
}

const mine = (s: AssessmentState, q: string, who = 'alice') => s.responses.get(q)?.get(who);

describe('the questionnaire', () => {
  it('records each answer as it is given, shows progress and aspect headers, and asks a conditional question once it applies', async () => {
    const { run, state, output } = await setup();
    const script = scripted([
      { select: 'choice:l3', expectMessage: /sched/ },
      { select: 'choice:l2', expectMessage: /mesh/ }, // appears because sched ≥ 3
      { select: '@pick' },
      { checkbox: ['l1', 'l4'] },
      { select: 'choice:l4' },
      { select: 'choice:l2' },
    ]);
    const result = await run(script.prompter);
    expect(result).toEqual({ recorded: 5, unanswered: 0 });
    const s = await state();
    expect(mine(s, 'sched')!.answer).toEqual(['l3']);
    expect(mine(s, 'mesh')!.answer).toEqual(['l2']);
    expect(mine(s, 'tools')!.answer).toEqual(['l1', 'l4']);
    const text = output.join('');
    expect(text).toContain('aspect 1 of 2');
    expect(text).toContain('aspect 2 of 2');
    // The count grows when an answer makes a conditional question apply.
    expect(text).toContain('question 1 of 4');
    expect(text).toContain('question 2 of 5');
    // Help and summaries wrap at words within the terminal's width.
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(text.replace(/\s+/g, ' ')).toContain(HELP);
    expect(text.replace(/\s+/g, ' ')).toContain(SUMMARY);
  });

  it('hides a conditional question whose condition is not met', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l2' },
      { select: '@pick' },
      { checkbox: ['l1'] },
      { select: 'choice:l1' },
      { select: 'choice:l1' },
    ]);
    await run(script.prompter);
    expect(script.shown.some((s) => s.message.includes('mesh'))).toBe(false);
    expect(mine(await state(), 'mesh')).toBeUndefined();
  });

  it('skips for now, goes back, and pre-selects the current answer when a question is revisited', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l2' }, // sched
      { select: '@skip' }, // tools (multi) skipped
      { select: '@back' }, // metrics → back to tools
      { select: '@back' }, // tools → back to sched
      { select: 'choice:l2', expectDefault: 'choice:l2' }, // sched again, pre-selected
      { select: '@skip' }, // tools
      { select: 'choice:l5' }, // metrics
      { select: 'choice:l5' }, // traces
    ]);
    const result = await run(script.prompter);
    expect(script.remaining).toHaveLength(0);
    expect(result.unanswered).toBe(1);
    expect(mine(await state(), 'tools')).toBeUndefined();
    expect(mine(await state(), 'metrics')!.answer).toEqual(['l5']);
  });

  it('records "not applicable" with the reason given', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l3' },
      { select: '@na' },
      { input: 'one cluster, nothing to mesh' },
      { select: '@skip' },
      { select: '@skip' },
      { select: '@skip' },
    ]);
    await run(script.prompter);
    expect(mine(await state(), 'mesh')).toMatchObject({ answer: 'n/a', note: 'one cluster, nothing to mesh' });
    expect(script.shown.find((s) => s.message.includes('sched'))!.choices).not.toContain('@na'); // not allowed there
  });

  it('adds a note to the current answer and keeps it when the answer changes', async () => {
    const { run, state } = await setup();
    await run(
      scripted([
        { select: 'choice:l2' },
        { select: '@back' },
        { select: '@note' },
        { input: 'https://wiki/ticket-1' },
        { select: 'choice:l1' },
        { interrupt: true },
      ]).prompter,
    ).catch((e: unknown) => {
      expect(e).toBeInstanceOf(InterruptedError);
    });
    expect(mine(await state(), 'sched')).toMatchObject({ answer: ['l1'], note: 'https://wiki/ticket-1' });
  });

  it('loses nothing on Ctrl+C and resumes at the first unanswered question', async () => {
    const { run, state } = await setup();
    await expect(
      run(scripted([{ select: 'choice:l1' }, { select: '@pick' }, { checkbox: ['l2'] }, { interrupt: true }]).prompter),
    ).rejects.toBeInstanceOf(InterruptedError);
    const saved = await state();
    expect(mine(saved, 'sched')!.answer).toEqual(['l1']);
    expect(mine(saved, 'tools')!.answer).toEqual(['l2']);

    const resumed = scripted([
      { select: 'choice:l3', expectMessage: /metrics/ },
      { select: 'choice:l3', expectMessage: /traces/ },
    ]);
    const result = await run(resumed.prompter);
    expect(result).toEqual({ recorded: 2, unanswered: 0 });
    expect(resumed.shown[0]!.message).toMatch(/metrics/);
  });

  it('asks a second respondent every question and shows what the first answered', async () => {
    const { run, output } = await setup();
    await run(
      scripted([{ select: 'choice:l4' }, { select: 'choice:l1' }, { select: '@skip' }, { select: '@skip' }, { select: '@skip' }]).prompter,
    );
    const bob = scripted([{ select: 'choice:l2', expectMessage: /sched/ }, { interrupt: true }]);
    await run(bob.prompter, 'bob').catch(() => undefined);
    expect(output.join('')).toContain('alice answered: level 4 (level 4)');
  });
});
