// The recording and reading commands through the built CLI, on real files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/text.js';
import { cnassess, tempDir } from '../support/cli.js';

function freshStore() {
  const store = join(tempDir(), 'store');
  const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
  return { store, run };
}

describe('start, answer, list, score, history', () => {
  it('starts an assessment, prints its id, and refuses a second start of the same org, scope and period', async () => {
    const { run } = freshStore();
    const first = await run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ id: 'acme/platform/2026-q4' });
    const again = await run('start', '--org', 'ACME', '--scope', 'Platform', '--period', '2026-Q4');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('refuses a malformed period with an example of the right form', async () => {
    const r = await freshStore().run('start', '--org', 'Acme', '--period', 'Q4');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/YYYY-Qn, for example 2026-Q4/);
  });

  it('records answers to the one unfinished assessment, and asks which when there are several', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect((await run('answer', 'orch-workloads', 'most', '--note', 'payments on VMs')).code).toBe(0);
    await run('start', '--org', 'Globex', '--period', '2026-Q4');
    const ambiguous = await run('answer', 'orch-workloads', 'most');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 assessments are unfinished/);
    expect(ambiguous.stderr).toContain('acme/all/2026-q4');
    expect(ambiguous.stderr).toContain('globex/all/2026-q4');
    expect((await run('answer', '--assessment', 'globex/all/2026-q4', 'orch-workloads', 'all')).code).toBe(0);

    const list = JSON.parse((await run('list', '--json')).stdout) as { id: string; answered: number; level: number }[];
    expect(list.map((a) => [a.id, a.answered, a.level])).toEqual([
      ['acme/all/2026-q4', 1, 3],
      ['globex/all/2026-q4', 1, 4],
    ]);
  });

  it('refuses answers the rubric does not allow, naming the valid choices, and records nothing', async () => {
    const { run, store } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const before = readFileSync(join(store, 'events.jsonl'), 'utf8');
    const cases: [string[], RegExp][] = [
      [['answer', 'orch-workload', 'most'], /unknown question "orch-workload"/],
      [['answer', 'orch-workloads', 'mostly'], /choices: none, some, most, all/],
      [['answer', 'orch-workloads', 'n/a'], /does not allow "not applicable"/],
      [['answer', 'orch-workload-config', 'health-checks'], /only asked when "orch-workloads" is at level 2/],
      [['answer', 'app-build', 'none,build'], /"none" \(None of these\) of "app-build" cannot be given together with other choices/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(store, 'events.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses answers after completion until reopened', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect((await run('complete')).code).toBe(0);
    const r = await run('answer', '--assessment', 'acme/all/2026-q4', 'orch-workloads', 'most');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completed; reopen it first/);
    expect((await run('reopen')).code).toBe(0);
    expect((await run('answer', 'orch-workloads', 'most')).code).toBe(0);
  });

  it('prints data only on stdout with --json, and a table that fits 80 columns without it', async () => {
    const { run } = freshStore();
    await run(
      'start',
      '--org',
      'An organisation with a rather long name indeed',
      '--scope',
      'the whole platform group',
      '--period',
      '2026-Q4',
    );
    await run('answer', 'obs-metrics', 'golden');
    for (const command of ['list', 'score', 'history']) {
      const json = await run(command, '--json');
      expect(() => JSON.parse(json.stdout), command).not.toThrow();
      const text = await run(command);
      for (const line of text.stdout.split('\n')) expect([...line].length, `${command}: ${line}`).toBeLessThanOrEqual(80);
      expect(text.stdout).not.toMatch(/\x1b\[/); // not a terminal: no colour
    }
  });

  it('never cuts what a user reads or types next: the ids in list, the answers that hold an aspect back in score', async () => {
    const { run } = freshStore();
    const org = 'Kestrel Freight International Logistics Holdings Europe';
    await run('start', '--org', org, '--scope', 'the whole platform group of many teams', '--period', '2026-Q4');
    for (const [q, a] of [
      ['obs-metrics', 'platform'],
      ['obs-logging', 'central'],
      ['obs-tracing', 'some'],
      ['obs-cost', 'tagged'],
      ['obs-chaos', 'never'],
    ])
      await run('answer', q!, a!);
    const [{ id }] = JSON.parse((await run('list', '--json')).stdout) as [{ id: string }];
    const list = (await run('list')).stdout;
    expect(list).toContain(id);
    const score = (await run('score')).stdout;
    for (const line of score.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(score).not.toContain('…');
    for (const q of ['obs-metrics', 'obs-logging', 'obs-tracing', 'obs-cost', 'obs-chaos']) expect(score).toMatch(new RegExp(`\\b${q}\\b`));
  });

  it('uses colour on a terminal, and none with NO_COLOR or --no-color', async () => {
    const { run, store } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    await run('answer', 'obs-metrics', 'golden');
    const score = (args: string[], env: NodeJS.ProcessEnv) => cnassess(['--store', store, ...args], { terminal: true, env });
    expect((await score(['score'], { NO_COLOR: '' })).stdout).toMatch(/\x1b\[1m/);
    expect((await score(['score'], { NO_COLOR: '1' })).stdout).not.toMatch(/\x1b\[[0-9;]*m/);
    expect((await score(['--no-color', 'score'], { NO_COLOR: '' })).stdout).not.toMatch(/\x1b\[[0-9;]*m/);
    // Not a terminal: no colour, whatever NO_COLOR says.
    expect((await cnassess(['--store', store, 'score'], { env: { NO_COLOR: '' } })).stdout).not.toMatch(/\x1b\[[0-9;]*m/);
  });

  it('lists every event of an assessment with who changed what', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    await run('answer', 'orch-workloads', 'most', '--respondent', 'alice', '--note', 'payments on VMs');
    await run('answer', 'orch-workloads', 'all', '--respondent', 'bob');
    const history = JSON.parse((await run('history', '--json')).stdout) as { events: { actor: string; type: string }[] };
    expect(history.events.map((e) => [e.type, e.actor])).toEqual([
      ['AssessmentStarted', 'tester'],
      ['AnswerRecorded', 'alice'],
      ['AnswerRecorded', 'bob'],
    ]);
    expect((await run('history')).stdout).toMatch(/orch-workloads = most — payments on VMs/);
  });
});

describe('bad stores and odd input get a clear message, never a stack trace', () => {
  const noTrace = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |internal error/);

  it('says so when --store is a file, or the log is a folder', async () => {
    const dir = tempDir();
    const { writeFileSync, mkdirSync } = await import('node:fs');
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const asFile = await cnassess(['--store', join(dir, 'not-a-folder'), 'list']);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr).toMatch(/cannot read .*not a folder/);
    noTrace(asFile);
    mkdirSync(join(dir, 'store', 'events.jsonl'), { recursive: true });
    const logIsFolder = await cnassess(['--store', join(dir, 'store'), 'score']);
    expect(logIsFolder.code).toBe(2);
    expect(logIsFolder.stderr).toMatch(/events\.jsonl is a folder; the store's files must be regular files/);
    noTrace(logIsFolder);
  });

  it('asks for an upgrade, exit 2, when the log holds an event from a newer cnassess', async () => {
    const { run, store } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const { appendFileSync } = await import('node:fs');
    const { encodeRecord } = await import('../../src/store/record.js');
    const lines = readFileSync(join(store, 'events.jsonl'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { seq: number; hash: string; version: number };
    const future = encodeRecord(
      { seq: last.seq + 1, stream: 'assessment/acme/all/2026-q4', version: last.version + 1, prev: last.hash },
      { id: 'from-the-future', type: 'AnswerRecorded', schema: 9, at: '2026-11-25T00:00:00.000Z', actor: 'x', data: {} },
    );
    appendFileSync(join(store, 'events.jsonl'), `${future}\n`);
    expect((await run('verify')).code).toBe(0);
    const r = await run('score');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schema 9 is newer than this cnassess understands.*upgrade cnassess/);
    noTrace(r);
  });

  it('refuses dates that do not exist and levels that are not plain numbers or names', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect((await run('score', '--as-of', '2026-02-30')).code).toBe(2);
    expect((await run('target', 'observability', '0x3')).code).toBe(2);
    expect((await run('target', 'observability', 'improve')).code).toBe(0);
  });

  it('keeps a note with line breaks on one table row', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    await run('answer', 'obs-metrics', 'golden', '--note', 'line one\n  99  2026-11-25 10:00  ceo  completed');
    const lines = (await run('history')).stdout.trimEnd().split('\n');
    // A row may wrap onto more lines, but only a row's first line fills the seq column: the note's own "99" is not one.
    const seqColumn = lines.map((l) => l.slice(0, 3).trim()).filter((s) => s !== '');
    expect(seqColumn).toEqual(['seq', expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]); // started, the answer
    expect(lines.join(' ')).toMatch(/line one\s+99\s+2026-11-25/);
  });

  it('re-imports into a completed assessment as nothing new, and does not export unconfirmed carried answers', async () => {
    const { run, store } = freshStore();
    const { writeFileSync } = await import('node:fs');
    const file = join(store, '..', 'a.yaml');
    writeFileSync(
      file,
      'assessment: { org: Acme, period: 2026-Q3 }\nrespondent: alice\nanswers:\n  app-deploy: pipeline\ntargets:\n  observability: 4\n',
    );
    expect((await run('import', file)).code).toBe(0);
    expect((await run('complete')).code).toBe(0);
    const again = await run('import', file);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing new/);

    await run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3');
    const exported = await run('export', 'acme/all/2026-q4', '--respondent', 'alice');
    expect(exported.stdout).not.toContain('app-deploy');
  });
});
