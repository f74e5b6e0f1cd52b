// Who answers and which quarter: assess remembers the name typed last time (outside the log), every recording message
// says as whom, and without --period the latest unfinished period of the org and scope is resumed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/commands/assess.js';
import { InterruptedError } from '../../src/errors.js';
import type { Prompter } from '../../src/terminal/prompts.js';
import { cnassess, tempDir, terminalContext } from '../support/cli.js';

const context = (store: string, env: NodeJS.ProcessEnv, out: string[]) => terminalContext(store, out, env);

/** A prompter that answers the name prompt and records what it offered, then stops at the first question. */
function nameOnly(name: string, offered: unknown[]): Prompter {
  return {
    input: async (message, options) => {
      if (!message.startsWith('Your name')) throw new Error(`unexpected input prompt: ${message}`);
      offered.push(options?.default);
      return name;
    },
    select: async () => {
      throw new InterruptedError('interrupted');
    },
    checkbox: async () => [],
    confirm: async () => false,
  };
}

describe('who answers', () => {
  it('remembers the name typed in assess, per store and OS user, offers it next time, and records answer under it', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    // No CNASSESS_RESPONDENT: the remembered name is what decides.
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), CNASSESS_RESPONDENT: '', HOME: dir };
    await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4', '--respondent', 'lead']);
    const offered: unknown[] = [];
    expect(await assess(context(store, env, []), { org: 'Acme', scope: 'all' }, nameOnly('Alice Smith', offered))).toBe(130);
    expect(await assess(context(store, env, []), { org: 'Acme', scope: 'all' }, nameOnly('Alice Smith', offered))).toBe(130);
    expect(offered[1]).toBe('Alice Smith');

    const r = await cnassess(['--store', store, 'answer', 'obs-metrics', 'golden'], { env });
    expect(r.stderr).toMatch(/^recorded obs-metrics = golden for acme\/all\/2026-q4 as Alice Smith \(seq \d+\)$/m);
    // Another store is another memory; CNASSESS_RESPONDENT and --respondent still win.
    const other = join(dir, 'other');
    await cnassess(['--store', other, 'start', '--org', 'Beta', '--period', '2026-Q4'], { env });
    expect((await cnassess(['--store', other, 'answer', 'obs-metrics', 'golden'], { env })).stderr).not.toContain('as Alice Smith');
    const explicit = await cnassess(['--store', store, 'answer', 'obs-logging', 'central'], {
      env: { ...env, CNASSESS_RESPONDENT: 'bob' },
    });
    expect(explicit.stderr).toContain(' as bob ');
  });
});

describe('which quarter', () => {
  it('resumes the latest unfinished period of the org and scope when --period is not given, and says which', async () => {
    const store = join(tempDir(), 'store');
    const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
    await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4');
    await run('answer', 'obs-metrics', 'golden');
    await run('complete');
    // The next quarter is started ahead of its calendar quarter, as a team does in the last weeks of a quarter.
    expect((await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2027-Q1', '--from', '2026-Q4')).code).toBe(0);
    const out: string[] = [];
    const code = await assess(
      context(store, { CNASSESS_RESPONDENT: 'tester' }, out),
      { org: 'Acme', scope: 'platform' },
      nameOnly('unused', []),
    );
    expect(code).toBe(130);
    expect(out.join('')).toContain('2027-Q1 is the latest unfinished period of Acme / platform.');
    expect(out.join('')).toContain('Resuming Acme / platform / 2027-Q1.');
  });
});

describe('stopped with Ctrl+C', () => {
  it('says the answers are saved in lines that fit the terminal, broken between words', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), CNASSESS_RESPONDENT: 'dana', HOME: dir };
    await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4']);
    const out: string[] = [];
    expect(await assess(terminalContext(store, out, env, 40), { org: 'Acme', scope: 'all' }, nameOnly('dana', []))).toBe(130);
    const said = out.join('').slice(out.join('').indexOf('Interrupted.')).trimEnd().split('\n');
    expect(said.length).toBeGreaterThan(2);
    for (const line of said) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(said.join(' ')).toMatch(/^Interrupted\. Your answers are saved \(0 so far\); run `cnassess assess` again to resume\.$/);
  });
});
