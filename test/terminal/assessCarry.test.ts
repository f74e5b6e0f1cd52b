// The quarterly re-run in `assess`: last quarter's answers are carried over and confirmed one by one.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/commands/assess.js';
import { InterruptedError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/fileStore.js';
import type { Choice, Prompter } from '../../src/terminal/prompts.js';
import { cnassess, tempDir, terminalContext } from '../support/cli.js';

const context = (store: string, out: string[]) => terminalContext(store, out, { CNASSESS_RESPONDENT: 'alice' });

describe('assess carries last quarter over', () => {
  it('offers the previous period as a baseline, pre-selects each carried answer, and records a confirmation', async () => {
    const store = join(tempDir(), 'store');
    const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
    await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q3');
    await run('answer', 'app-build', 'build,tests-block,artifact', '--respondent', 'alice');
    await run('answer', 'app-deploy', 'pipeline', '--respondent', 'alice');

    const asked: { message: string; default: unknown }[] = [];
    let selects = 0;
    const prompter: Prompter = {
      async select<V>(message: string, _choices: readonly (Choice<V> | 'separator')[], options?: { default?: V }) {
        asked.push({ message, default: options?.default });
        if (++selects > 3) throw new InterruptedError('interrupted');
        // Go through them one by one (no default), then confirm each carried answer as it is.
        return (options?.default ?? 'one-by-one') as V;
      },
      // A multi-choice answer is confirmed by keeping the practices pre-ticked.
      checkbox: async (_message, choices) => choices.filter((c) => c.checked === true).map((c) => c.value),
      input: async () => '',
      confirm: async (message) => {
        asked.push({ message, default: undefined });
        return true;
      },
    };
    const out: string[] = [];
    const code = await assess(context(store, out), { org: 'Acme', scope: 'platform', period: '2026-Q4', respondent: 'alice' }, prompter);
    expect(code).toBe(130);
    expect(asked[0]!.message).toMatch(/Carry over the answers of acme\/platform\/2026-q3/);
    expect(asked[1]!.message).toMatch(/2 answers of Application definition & development are carried from 2026-Q3/);
    expect(asked[2]).toMatchObject({ default: '@pick' });
    expect(asked[3]).toMatchObject({ default: 'choice:pipeline' });
    expect(out.join('')).toMatch(/Carried from 2026-Q3: /);

    const store2 = await openFileStore(store);
    const events = await store2.readStream('assessment/acme/platform/2026-q4');
    const answers = events.filter((e) => e.type === 'AnswerRecorded').map((e) => e.data as { question: string; carried?: boolean });
    expect(answers).toEqual([
      expect.objectContaining({ question: 'app-build', carried: true }),
      expect.objectContaining({ question: 'app-deploy', carried: true }),
      { question: 'app-build', answer: ['artifact', 'build', 'tests-block'], respondent: 'alice' },
      { question: 'app-deploy', answer: ['pipeline'], respondent: 'alice' },
    ]);
  });
});
