// What a newcomer types wrong, and what cnassess says back: one error prefix, a guess at the typo, periods and ids
// written either way, and every problem of an answers file in one run.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

let store: string;
const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);

beforeAll(async () => {
  store = join(tempDir(), 'store');
  expect((await run('demo')).code).toBe(0);
}, 60_000);

describe('usage mistakes', () => {
  it('answers every mistake with one prefix, and guesses the misspelt command or flag', async () => {
    const command = await run('scroe');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^cnassess: unknown command 'scroe'\n\(Did you mean score\?\)/);
    const flag = await run('list', '--jsn');
    expect(flag.stderr).toMatch(/^cnassess: unknown option '--jsn'\n\(Did you mean --json\?\)/);
    expect(`${command.stderr}${flag.stderr}`).not.toMatch(/^error:/m);
  });

  it('names a misspelt --period before complaining that --period is missing', async () => {
    const typo = await run('start', '--org', 'Acme', '--perod', '2027-Q1');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown option '--perod'\n\(Did you mean --period\?\)/);
    const missing = await run('start', '--org', 'Acme');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cnassess: start needs --period \(for example: cnassess start --org acme/);
  });

  it('takes a period in lowercase, as ids write it, and stores it as a quarter', async () => {
    const r = await run('start', '--org', 'Lowercase Co', '--period', '2027-q2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse((await run('list', '--json')).stdout) as { id: string; period: string }[];
    expect(list.find((a) => a.id === 'lowercase-co/all/2027-q2')?.period).toBe('2027-Q2');
  });

  it('takes a period where an assessment id is expected, as diff does', async () => {
    const byPeriod = await run('score', '2025-Q4', '--json');
    const byId = await run('score', 'kestrel-freight/platform/2025-q4', '--json');
    expect(byPeriod.code, byPeriod.stderr).toBe(0);
    expect(byPeriod.stdout).toBe(byId.stdout);
    const none = await run('score', '2019-Q1');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no assessment "2019-Q1"/);
  });

  it('guesses a misspelt question, choice and aspect, and points at the rubric the assessment was answered with', async () => {
    // 2025-Q3 of the demo was answered with the first built-in rubric, 1.0.0, whose ids differ from today's.
    expect((await run('reopen', 'kestrel-freight/platform/2025-q3')).code).toBe(0);
    const q = await run('answer', '--assessment', '2025-Q3', 'orch-schedulng', 'most');
    expect(q.code).toBe(2);
    expect(q.stderr).toContain(
      'unknown question "orch-schedulng" in cloud-native 1.0.0, the rubric of kestrel-freight/platform/2025-q3; did you mean "orch-scheduling"?; `cnassess rubric show --assessment kestrel-freight/platform/2025-q3` lists its questions',
    );
    const shown = await run('rubric', 'show', '--assessment', '2025-Q3');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/cloud-native 1\.0\.0 +\(the rubric of\s+kestrel-freight\/platform\/2025-q3, from the log\)/);
    expect(shown.stdout).toMatch(/^ {2}orch-scheduling: /m);
    const choice = await run('answer', '--assessment', '2025-Q3', 'obs-metrics', 'goldn');
    expect(choice.stderr).toMatch(/"goldn" is not a choice of "obs-metrics"; did you mean "golden"\?/);
    const aspect = await run('target', '--assessment', '2025-Q3', 'observabilty', '4');
    expect(aspect.stderr).toMatch(/unknown aspect "observabilty"; did you mean "observability"\?/);
    expect((await run('complete', 'kestrel-freight/platform/2025-q3')).code).toBe(0);
  });

  it('reports the schema problems and the unknown ids of an answers file together, in file order', async () => {
    const file = join(tempDir(), 'answers.yaml');
    writeFileSync(
      file,
      [
        'assessment: { org: Acme, period: 2026-Q4 }',
        'respondent: alice',
        'answers:',
        '  obs-metrcs: golden',
        '  app-deploy: pipelin',
        '  orch-workloads: { answer: most, noet: x }',
        'targets:',
        '  observabilty: 4',
        '',
      ].join('\n'),
    );
    const r = await run('import', file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${file}:4:3: unknown question "obs-metrcs" .*did you mean "obs-metrics"\\?; \`cnassess rubric show\` lists its questions`,
        ),
      ),
      expect.stringMatching(new RegExp(`^${file}:5:15: "pipelin" is not a choice of "app-deploy"; did you mean "pipeline"\\?`)),
      expect.stringMatching(new RegExp(`^${file}:6:35: unknown key "noet" in orch-workloads; did you mean "note"\\?`)),
      expect.stringMatching(new RegExp(`^${file}:8:3: unknown aspect "observabilty"; did you mean "observability"\\?`)),
      `4 problems in ${file}; nothing was recorded`,
    ]);
    expect((await run('list', '--json')).stdout).not.toContain('acme/all/2026-q4');
  });
});

describe('what a waiting writer is told is running', () => {
  it('names the command up to its first option, without a database password or control characters', async () => {
    const { commandLine } = await import('../../src/cli.js');
    expect(commandLine(['store', 'copy', 'postgres://alice:s3cr@t#x@db/cn', 'backup', '--json'])).toBe(
      'cnassess store copy postgres://alice:***@db/cn backup',
    );
    // A password in the query, as libpq also reads it (found in review: it passed through unmasked).
    expect(commandLine(['store', 'copy', 'postgres://alice@db/cn?password=s3cret&sslmode=require', 'backup'])).toBe(
      'cnassess store copy postgres://alice@db/cn?password=***&sslmode=require backup',
    );
    expect(commandLine(['answer', 'app-build', 'build', '--note', 'secret note'])).toBe('cnassess answer app-build build');
    expect(commandLine(['answer', 'q\u001b[31m', 'x'])).toBe('cnassess answer q?[31m x');
  });
});
