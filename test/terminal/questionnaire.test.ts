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
      { checkbox: [] }, // nothing ticked: said, and asked again
      { select: '@pick' },
      { checkbox: ['l1', 'l4'] },
      { select: 'choice:l4' },
      { select: 'choice:l2' },
      { select: '@done', expectMessage: /last question/ },
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
    expect(text.replace(/\s+/g, ' ')).toContain('Nothing ticked: tick at least one (the list has a baseline practice), or choose Skip.');
  });

  it('hides a conditional question whose condition is not met', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l2' },
      { select: '@pick' },
      { checkbox: ['l1'] },
      { select: 'choice:l1' },
      { select: 'choice:l1' },
      { select: '@done' },
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
      { select: '@done' },
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
      { select: '@done' },
    ]);
    await run(script.prompter);
    expect(mine(await state(), 'mesh')).toMatchObject({ answer: 'n/a', note: 'one cluster, nothing to mesh' });
    expect(script.shown.find((s) => s.message.includes('sched'))!.choices).not.toContain('@na'); // not allowed there
  });

  it('adds a note to the current answer, and keeps it when the answer changes only if the respondent keeps it', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l2' },
      { select: '@back' },
      { select: '@note' },
      { input: 'https://wiki/ticket-1' },
      { select: 'choice:l1' },
      { input: 'https://wiki/ticket-1' }, // kept: Enter on the pre-filled note
      { select: '@back' },
      { select: 'choice:l3' },
      { input: '' }, // cleared: the note was about the other answer
      { interrupt: true },
    ]);
    const kept: unknown[] = [];
    await run({
      ...script.prompter,
      input: async (message, options) => {
        kept.push(options?.default);
        return await script.prompter.input(message, options);
      },
    }).catch((e: unknown) => {
      expect(e).toBeInstanceOf(InterruptedError);
    });
    const history = (await state()).responses.get('sched')?.get('alice');
    expect(history).toMatchObject({ answer: ['l3'] });
    expect(history?.note).toBeUndefined();
    // The previous note was offered, editable, when the answer changed.
    expect(kept).toEqual([undefined, 'https://wiki/ticket-1', 'https://wiki/ticket-1']);
  });

  it('keeps a note given before the answer, and records it with the answer', async () => {
    const { run, state, output } = await setup();
    const script = scripted([
      { select: '@note', expectMessage: /sched/ },
      { input: 'payments still on VMs' },
      { select: 'choice:l2' },
      { interrupt: true },
    ]);
    await run(script.prompter).catch(() => undefined);
    expect(mine(await state(), 'sched')).toMatchObject({ answer: ['l2'], note: 'payments still on VMs' });
    expect(output.join('')).toContain('Noted: it is recorded with your answer to this question.');
  });

  it('never turns a "not applicable" reason into the note of a later answer', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l3' }, // sched, so mesh applies
      { select: '@na' },
      { input: 'all state lives in the SaaS ERP' },
      { select: '@back' },
      { select: 'choice:l2', expectMessage: /mesh/ },
      { interrupt: true },
    ]);
    await run(script.prompter).catch(() => undefined);
    const mesh = mine(await state(), 'mesh');
    expect(mesh).toMatchObject({ answer: ['l2'] });
    expect(mesh?.note).toBeUndefined();
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
      { select: '@done' },
    ]);
    const result = await run(resumed.prompter);
    expect(result).toEqual({ recorded: 2, unanswered: 0 });
    expect(resumed.shown[0]!.message).toMatch(/metrics/);
  });

  it('asks a second respondent blind: what the first answered is shown only once they have answered too', async () => {
    const { run, output } = await setup();
    await run(
      scripted([
        { select: 'choice:l4' },
        { select: 'choice:l1' },
        { select: '@skip' },
        { select: '@skip' },
        { select: '@skip' },
        { select: '@done' },
      ]).prompter,
    );
    const bob = scripted([{ select: 'choice:l2', expectMessage: /sched/ }, { interrupt: true }]);
    const seenWhenAsked: boolean[] = [];
    await run(
      {
        ...bob.prompter,
        select: async (message, choices, options) => {
          seenWhenAsked.push(output.join('').includes('alice answered'));
          return await bob.prompter.select(message, choices, options);
        },
      },
      'bob',
    ).catch(() => undefined);
    expect(seenWhenAsked[0]).toBe(false);
    expect(output.join('')).toMatch(/alice answered: level 4 \(level 4\)\nYou answered: level 2 \(level 2\)/);
  });

  it("shows the others first with --show-others, and labels a carried answer as last period's", async () => {
    const { workspace, state, output } = await setup();
    await workspace.execute(
      id,
      [{ type: 'RecordAnswer', question: 'sched', answer: ['l4'], respondent: 'alice', carried: true }],
      r,
      'alice',
    );
    const script = scripted([{ select: 'choice:l2' }, { interrupt: true }]);
    await runQuestionnaire(r, 'bob', {
      prompter: script.prompter,
      print: (t) => output.push(t),
      columns: () => 60,
      style: makeStyle(false),
      showOthers: true,
      load: state,
      record: async (command) => void (await workspace.execute(id, [command], r, 'bob')),
    }).catch(() => undefined);
    const text = output.join('');
    expect(text.replace(/\s+/g, ' ')).toContain('alice answered: level 4 (level 4) (carried from the previous period, not confirmed yet)');
    expect(text.indexOf('alice answered')).toBeLessThan(text.indexOf('question 1 of'));
  });

  it('confirms a whole aspect of carried answers at once, each shown first', async () => {
    const { workspace, run, state, output } = await setup();
    await workspace.execute(
      id,
      [
        { type: 'RecordAnswer', question: 'metrics', answer: ['l3'], respondent: 'alice', carried: true },
        { type: 'RecordAnswer', question: 'traces', answer: ['l2'], respondent: 'alice', carried: true, note: 'OTel in two services' },
      ],
      r,
      'alice',
    );
    const script = scripted([
      { select: 'choice:l1' }, // sched
      { select: '@skip' }, // tools
      { select: '@confirm-all', expectMessage: /2 answers of obs are carried/ },
      { select: '@done' },
    ]);
    const result = await run(script.prompter);
    expect(result.unanswered).toBe(1); // tools, skipped
    const s = await state();
    expect(mine(s, 'metrics')).toMatchObject({ answer: ['l3'], carried: false });
    expect(mine(s, 'traces')).toMatchObject({ answer: ['l2'], carried: false, note: 'OTel in two services' });
    expect(output.join('')).toMatch(/metrics: level 3\n {2}traces: level 2/);
  });

  it('offers the questions again once all are answered, before the summary', async () => {
    const { run, state } = await setup();
    const script = scripted([
      { select: 'choice:l1' },
      { select: '@pick' },
      { checkbox: ['l1'] },
      { select: 'choice:l1' },
      { select: 'choice:l1' },
      { select: '0', expectMessage: /Revisit one/ }, // sched
      { select: 'choice:l2', expectDefault: 'choice:l1' },
      { select: '@done' },
    ]);
    await run(script.prompter);
    expect(script.remaining).toHaveLength(0);
    expect(mine(await state(), 'sched')!.answer).toEqual(['l2']);
  });
});
