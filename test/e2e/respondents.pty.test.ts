// Several respondents in a real pseudo-terminal, through the built binary: blind answering, the facilitated settle,
// and confirming a whole aspect's carried answers at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cnassess, inTerminal, KEY, tempDir } from '../support/cli.js';

interface LoggedEvent {
  stream: string;
  type: string;
  actor: string;
  data: { question?: string; answer?: unknown; rationale?: string; facilitator?: string; carried?: boolean };
}

const eventsIn = (store: string) =>
  readFileSync(join(store, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LoggedEvent);

const command = (store: string, args: string) => `${process.execPath} ${BIN} --store ${store} ${args}`;

describe('several respondents in a terminal', () => {
  it('hides what others answered until you have answered, then settle records the agreed answer', async () => {
    const store = tempDir();
    const as = (who: string, ...args: string[]) => cnassess(['--store', store, ...args], { env: { CNASSESS_RESPONDENT: who } });
    await as('carol', 'start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4', '--respondents', 'alice,bob');
    await as('bob', 'answer', 'app-deploy', 'gitops', '--note', 'Argo CD since March');

    const alice = inTerminal(command(store, 'assess --org Acme --scope platform --respondent alice'));
    await alice.expect(/question 1 of \d+/);
    alice.send(KEY.enter);
    await alice.expect(/space to toggle/);
    alice.send(KEY.space + KEY.enter); // app-build: None of these
    await alice.expect(/question 2 of \d+/);
    // Blind: bob's answer to app-deploy is not on the screen while alice chooses hers.
    expect(alice.output).not.toMatch(/bob answered/);
    alice.send(KEY.down + KEY.enter); // app-deploy: the second choice, script-only (level 2)
    await alice.expect(/bob answered: [\s\S]*\(level 4\)[\s\S]*You answered: [\s\S]*\(level 2\)/);
    await alice.expect(/question 3 of \d+/);
    alice.send(KEY.ctrlC);
    expect(await alice.exited).toBe(130);

    const settle = inTerminal(command(store, 'settle --facilitator carol'));
    await settle.expect(/1 open disagreement in acme\/platform\/2026-q4/);
    await settle.expect(/“Argo CD since March”[\s\S]*The agreed answer to app-deploy/);
    settle.send(KEY.down.repeat(3) + KEY.enter); // past the two answers given and manual: pipeline, which nobody answered
    await settle.expect(/Why this answer\?/);
    settle.send('we read the last 20 prod deploys together' + KEY.enter);
    await settle.expect(/Settled 1 of 1/);
    expect(await settle.exited).toBe(0);

    const consensus = eventsIn(store).filter((e) => e.type === 'ConsensusRecorded');
    expect(consensus.map((e) => [e.data.question, e.data.answer, e.data.facilitator, e.data.rationale])).toEqual([
      ['app-deploy', ['pipeline'], 'carol', 'we read the last 20 prod deploys together'],
    ]);
    const score = await cnassess(['--store', store, 'score']);
    expect(score.stdout).toMatch(/Settled by consensus:\n {2}app-deploy = pipeline \(carol: we read/);
    expect(score.stdout).not.toMatch(/Provisional/);
  });

  it('confirms a whole aspect’s carried answers with one choice, after showing each', async () => {
    const store = tempDir();
    const run = (...args: string[]) => cnassess(['--store', store, ...args], { env: { CNASSESS_RESPONDENT: 'alice' } });
    await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q3');
    await run('answer', 'app-build', 'build,tests-block');
    await run('answer', 'app-deploy', 'gitops');
    await run('complete');
    await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4', '--from', '2026-Q3');

    const alice = inTerminal(command(store, 'assess --org Acme --scope platform --respondent alice'));
    await alice.expect(/2026-Q4 is the latest unfinished period of Acme \/ platform/);
    await alice.expect(/Carried from 2026-Q3:[\s\S]*app-build: [\s\S]*app-deploy: /);
    await alice.expect(/Confirm all 2 carried answers of Application definition & development/);
    alice.send(KEY.enter);
    await alice.expect(/question 3 of \d+/);
    alice.send(KEY.ctrlC);
    expect(await alice.exited).toBe(130);

    // Carrying writes the answers marked carried; confirming writes them again as given this quarter.
    const confirmed = eventsIn(store).filter(
      (e) => e.stream === 'assessment/acme/platform/2026-q4' && e.type === 'AnswerRecorded' && e.data.carried !== true,
    );
    expect(confirmed.map((e) => [e.data.question, e.data.answer, e.actor])).toEqual([
      ['app-build', ['build', 'tests-block'], 'alice'],
      ['app-deploy', ['gitops'], 'alice'],
    ]);
  });
});
