// Several respondents through the CLI on real files: who is expected, who has answered how much, consensus that holds
// until an answer changes after it, aliases for a phantom name, and the facilitated `settle` through the prompt wrapper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/commands/assess.js';
import { settle } from '../../src/commands/respondentCommands.js';
import { InterruptedError } from '../../src/errors.js';
import type { Prompter } from '../../src/terminal/prompts.js';
import { cnassess, tempDir, terminalContext } from '../support/cli.js';

interface ScoreJson {
  respondents: { respondent: string; invited: boolean; answered: number; applicable: number; lastAnswerAt: string | null }[];
  disagreements: { question: string; consequential: boolean; lapsed?: unknown }[];
  consensus: { question: string; answer: unknown; rationale: string; facilitator: string }[];
  aspects: { id: string; level: number | null; provisional: boolean }[];
}

function freshStore() {
  const store = join(tempDir(), 'store');
  const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
  const as = async (who: string, ...args: string[]) => await cnassess(['--store', store, ...args], { env: { CNASSESS_RESPONDENT: who } });
  const score = async () => JSON.parse((await run('score', '--json')).stdout) as ScoreJson;
  return { store, run, as, score };
}

const appDefinition = (s: ScoreJson) => s.aspects.find((a) => a.id === 'app-definition');

describe('expected respondents', () => {
  it('records who is invited at start and later, and shows each one’s progress and who answered uninvited', async () => {
    const { run, as, score } = freshStore();
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q4', '--respondents', 'alice, bob')).code).toBe(0);
    const invited = await run('invite', 'carol');
    expect(invited.code).toBe(0);
    expect(invited.stderr).toMatch(/expected now: alice, bob, carol/);
    expect((await run('invite', 'carol')).stderr).toMatch(/unchanged: carol already invited/);

    expect((await as('alice', 'answer', 'app-deploy', 'gitops')).stderr).toMatch(/ as alice \(seq \d+\)/);
    await as('alice', 'answer', 'orch-workloads', 'most');
    await as('bob', 'answer', 'app-deploy', 'gitops');
    await as('dave', 'answer', 'app-deploy', 'gitops');

    const s = await score();
    expect(s.respondents.map((r) => [r.respondent, r.invited, r.answered])).toEqual([
      ['alice', true, 2],
      ['bob', true, 1],
      ['carol', true, 0],
      ['dave', false, 1],
    ]);
    expect(s.respondents.find((r) => r.respondent === 'carol')?.lastAnswerAt).toBeNull();
    const text = (await run('score')).stdout;
    expect(text).toMatch(/Respondents \(3 invited\):/);
    expect(text).toMatch(/carol\s+0\/\d+\s+no answer yet/);
    expect(text).toMatch(/dave\s+1\/\d+\s+\S+\s+not invited/);
    // list: nobody of the three is done; one more answered without an invitation.
    expect((await run('list')).stdout).toMatch(/0\/3 done \+1/);
  });
});

describe('consensus', () => {
  async function disagreeing() {
    const store = freshStore();
    await store.run('start', '--org', 'Acme', '--period', '2026-Q4', '--respondents', 'alice,bob');
    await store.as('alice', 'answer', 'app-deploy', 'gitops');
    await store.as('bob', 'answer', 'app-deploy', 'script-only');
    return store;
  }

  it('marks a level that rests on an unsettled disagreement provisional, and refuses a consensus without a why', async () => {
    const { run, score } = await disagreeing();
    const s = await score();
    expect(s.disagreements.map((d) => [d.question, d.consequential])).toEqual([['app-deploy', true]]);
    expect(appDefinition(s)?.provisional).toBe(true);
    expect((await run('score')).stdout).toMatch(/Provisional: respondents disagree[\s\S]*app-deploy/);
    const noNote = await run('consensus', 'app-deploy', 'pipeline');
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/needs --note/);
  });

  it('makes the agreed answer the effective one until a respondent answers after it, then shows it unsettled again', async () => {
    const { run, as, score } = await disagreeing();
    const agreed = await run('consensus', 'app-deploy', 'pipeline', '--note', 'prod goes through Jenkins', '--facilitator', 'carol');
    expect(agreed.code).toBe(0);
    expect(agreed.stderr).toMatch(/recorded the consensus app-deploy = pipeline .* facilitated by carol/);

    const settled = await score();
    expect(settled.disagreements).toEqual([]);
    expect(settled.consensus).toMatchObject([{ question: 'app-deploy', answer: ['pipeline'], facilitator: 'carol' }]);
    expect(appDefinition(settled)).toMatchObject({ provisional: false, level: 3 }); // pipeline is level 3
    expect((await run('score')).stdout).toMatch(/Settled by consensus:\n {2}app-deploy = pipeline \(carol: prod goes through Jenkins\)/);
    // The same consensus again changes nothing.
    expect((await run('consensus', 'app-deploy', 'pipeline', '--note', 'prod goes through Jenkins')).stderr).toMatch(/unchanged/);

    // Re-stating one's own answer is no change; changing it undoes the consensus.
    expect((await as('bob', 'answer', 'app-deploy', 'script-only')).stderr).toMatch(/unchanged/);
    expect((await score()).consensus).toHaveLength(1);
    await as('bob', 'answer', 'app-deploy', 'gitops');
    await as('alice', 'answer', 'app-deploy', 'script-only');
    const undone = await score();
    expect(undone.consensus).toEqual([]);
    expect(undone.disagreements.map((d) => d.question)).toEqual(['app-deploy']);
    expect(appDefinition(undone)?.provisional).toBe(true);
    expect((await run('score')).stdout).toMatch(/Unsettled again \(an answer changed after the consensus\): app-deploy/);
    // The report says so too, and the history keeps the decision.
    const md = (await run('report', '--format', 'md', '-o', '-')).stdout;
    expect(md).toMatch(/A consensus of \d{4}-\d\d-\d\d \(.*\) no longer holds/);
    expect((await run('history')).stdout).toMatch(/consensus app-deploy = pipeline/);
  });

  it('refuses a consensus on a question nobody answered, and one with an unknown choice, with exit 2', async () => {
    const { run, as } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const nobody = await run('consensus', 'obs-metrics', 'golden', '--note', 'x');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/nobody has answered "obs-metrics" yet/);
    await as('alice', 'answer', 'obs-metrics', 'golden');
    const unknown = await run('consensus', 'obs-metrics', 'gold', '--note', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/golden/); // did you mean
  });
});

describe('rename-respondent', () => {
  it('shows a phantom name as the real one in every view, without rewriting the log', async () => {
    const { store, run, as, score } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4', '--respondents', 'alice');
    await as('alice', 'answer', 'app-deploy', 'gitops');
    await as('Alice Smith', 'answer', 'orch-workloads', 'most');
    expect((await score()).respondents.map((r) => r.respondent)).toEqual(['alice', 'Alice Smith']);
    const renamed = await run('rename-respondent', 'Alice Smith', 'alice');
    expect(renamed.code).toBe(0);
    const after = await score();
    expect(after.respondents.map((r) => [r.respondent, r.answered])).toEqual([['alice', 2]]);
    // The log still says who typed what.
    expect(readFileSync(join(store, 'events.jsonl'), 'utf8')).toContain('"Alice Smith"');
    const unknown = await run('rename-respondent', 'mallory', 'alice');
    expect(unknown.code).toBe(2);
  });
});

describe('assess under a name merged into another', () => {
  it('answers as the name it was merged into, and resumes past that person’s answers', async () => {
    const { store, run, as } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    await as('asmith', 'answer', 'app-build', 'none');
    await as('asmith', 'answer', 'app-deploy', 'pipeline');
    await run('rename-respondent', 'asmith', 'Alice Smith');
    const out: string[] = [];
    const asked: string[] = [];
    const prompter: Prompter = {
      select: async (message) => {
        asked.push(message);
        throw new InterruptedError('interrupted');
      },
      input: async () => '',
      checkbox: async () => [],
      confirm: async () => false,
    };
    const context = terminalContext(store, out, { CNASSESS_RESPONDENT: 'asmith' });
    expect(await assess(context, { org: 'Acme', scope: 'all', period: '2026-Q4' }, prompter)).toBe(130);
    const text = out.join('');
    expect(text).toMatch(/"asmith" is shown as "Alice Smith" in this assessment; answering as Alice Smith/);
    expect(text).toMatch(/Resuming at question 3/);
    expect(asked[0]).not.toMatch(/Which of these does CI do/);
  });
});

describe('cnassess settle (through the prompt wrapper)', () => {
  const context = (store: string, out: string[]) => terminalContext(store, out, { CNASSESS_RESPONDENT: 'carol' }, 100);

  it('walks the most consequential disagreement first, shows each answer and note, and records the agreed answer', async () => {
    const { store, run, as, score } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4', '--respondents', 'alice,bob');
    // A disagreement that moves no level (both at the aspect's level or above) and one on a gate that does.
    await as('alice', 'answer', 'app-deploy', 'gitops', '--note', 'Argo CD in staging');
    await as('bob', 'answer', 'app-deploy', 'script-only', '--note', 'prod is Jenkins + ssh');
    await as('alice', 'answer', 'obs-metrics', 'golden');
    await as('bob', 'answer', 'obs-metrics', 'slo-budget');

    const asked: string[] = [];
    const offered: unknown[][] = [];
    const answers = ['pipeline', '@skip'];
    const prompter: Prompter = {
      select: async (message, choices) => {
        asked.push(message);
        offered.push(choices.map((c) => (c === 'separator' ? '-' : c.value)));
        const next = answers.shift();
        if (next === undefined) throw new InterruptedError('interrupted');
        return next as never;
      },
      input: async (message) => {
        asked.push(message);
        return 'we checked the last 20 prod deploys together';
      },
      checkbox: async () => [],
      confirm: async () => false,
    };
    const out: string[] = [];
    expect(await settle(context(store, out), undefined, {}, prompter)).toBe(0);
    const text = out.join('');
    expect(asked[0]).toMatch(/agreed answer to app-deploy/); // the gate that moves a level comes first
    expect(asked[2]).toMatch(/agreed answer to obs-metrics/);
    expect(offered[0]).toEqual(expect.arrayContaining(['gitops', 'script-only', 'pipeline', '@skip', '@stop']));
    expect(text).toMatch(/alice: [^“]*\(level 4\)\n {2}“Argo CD in staging”/);
    expect(text).toMatch(/bob: [^“]*\(level 2\)\n {2}“prod is Jenkins \+ ssh”/);
    expect(text).toMatch(/Facilitating as carol/);
    expect(text).toMatch(/Settled 1 of 2/);
    const s = await score();
    expect(s.consensus).toMatchObject([
      { question: 'app-deploy', answer: ['pipeline'], facilitator: 'carol', rationale: 'we checked the last 20 prod deploys together' },
    ]);
    expect(s.disagreements.map((d) => d.question)).toEqual(['obs-metrics']);
  });

  it('refuses to wait for keys where there is no terminal, and names the command that needs none', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const r = await run('settle');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cnassess consensus QUESTION ANSWER --note/);
  });
});

describe('diff', () => {
  it('lists the consensus decisions of the later quarter and the levels still provisional', async () => {
    const { run, as } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q3');
    await as('alice', 'answer', 'app-deploy', 'script-only');
    await run('complete');
    await run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3', '--respondents', 'alice,bob');
    await as('alice', 'answer', 'app-deploy', 'gitops');
    await as('bob', 'answer', 'app-deploy', 'manual');
    await run('consensus', 'app-deploy', 'pipeline', '--note', 'prod goes through Jenkins', '--facilitator', 'carol');
    await as('alice', 'answer', 'obs-metrics', 'golden');
    await as('bob', 'answer', 'obs-metrics', 'slo-budget');

    const json = JSON.parse((await run('diff', '2026-Q3', '2026-Q4', '--json')).stdout) as {
      consensus: { question: string; answer: unknown; level: number; facilitator: string; holds: boolean }[];
      provisional: { question: string; aspect: string }[];
    };
    expect(json.consensus).toMatchObject([{ question: 'app-deploy', answer: ['pipeline'], level: 3, facilitator: 'carol', holds: true }]);
    expect(json.provisional).toEqual([{ question: 'obs-metrics', aspect: 'observability' }]);
    const text = (await run('diff', '2026-Q3', '2026-Q4')).stdout;
    expect(text).toMatch(
      /Consensus decisions \(1\)\n {2}app-deploy = pipeline L3\n {4}facilitated by carol, \d{4}-\d\d-\d\d: “prod goes through Jenkins”/,
    );
    expect(text).toMatch(/Provisional in 2026-Q4: respondents still disagree on obs-metrics/);
    const md = (await run('diff', '2026-Q3', '2026-Q4', '--format', 'md')).stdout;
    expect(md).toMatch(
      /## Consensus decisions \(1\)\n\n- app-deploy = pipeline L3 \(facilitated by carol, .*\) — “prod goes through Jenkins”/,
    );
  });
});
