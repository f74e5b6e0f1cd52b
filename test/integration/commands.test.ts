// The recording and reading commands through the built CLI, on real files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cnassess, inTerminal, tempDir } from '../support/cli.js';

function freshStore() {
  const store = join(tempDir(), 'store');
  const run = (...args: string[]) => cnassess(['--store', store, ...args]);
  return { store, run };
}

describe('start, answer, list, score, history', () => {
  it('starts an assessment, prints its id, and refuses a second start of the same org, scope and period', () => {
    const { run } = freshStore();
    const first = run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ id: 'acme/platform/2026-q4' });
    const again = run('start', '--org', 'ACME', '--scope', 'Platform', '--period', '2026-Q4');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('refuses a malformed period with an example of the right form', () => {
    const r = freshStore().run('start', '--org', 'Acme', '--period', 'Q4');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/YYYY-Qn, for example 2026-Q4/);
  });

  it('records answers to the one unfinished assessment, and asks which when there are several', () => {
    const { run } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect(run('answer', 'orch-workloads', 'most', '--note', 'payments on VMs').code).toBe(0);
    run('start', '--org', 'Globex', '--period', '2026-Q4');
    const ambiguous = run('answer', 'orch-workloads', 'most');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 assessments are unfinished/);
    expect(ambiguous.stderr).toContain('acme/all/2026-q4');
    expect(ambiguous.stderr).toContain('globex/all/2026-q4');
    expect(run('answer', '--assessment', 'globex/all/2026-q4', 'orch-workloads', 'all').code).toBe(0);

    const list = JSON.parse(run('list', '--json').stdout) as { id: string; answered: number; level: number }[];
    expect(list.map((a) => [a.id, a.answered, a.level])).toEqual([
      ['acme/all/2026-q4', 1, 3],
      ['globex/all/2026-q4', 1, 4],
    ]);
  });

  it('refuses answers the rubric does not allow, naming the valid choices, and records nothing', () => {
    const { run, store } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    const before = readFileSync(join(store, 'events.jsonl'), 'utf8');
    const cases: [string[], RegExp][] = [
      [['answer', 'orch-workload', 'most'], /unknown question "orch-workload"/],
      [['answer', 'orch-workloads', 'mostly'], /choices: none, some, most, all/],
      [['answer', 'orch-workloads', 'n/a'], /does not allow "not applicable"/],
      [['answer', 'orch-workload-config', 'health-checks'], /only asked when "orch-workloads" is at level 2/],
      [['answer', 'app-build', 'none,build'], /"none" \(None of these\) of "app-build" cannot be given together with other choices/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(store, 'events.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses answers after completion until reopened', () => {
    const { run } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect(run('complete').code).toBe(0);
    const r = run('answer', '--assessment', 'acme/all/2026-q4', 'orch-workloads', 'most');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completed; reopen it first/);
    expect(run('reopen').code).toBe(0);
    expect(run('answer', 'orch-workloads', 'most').code).toBe(0);
  });

  it('prints data only on stdout with --json, and a table that fits 80 columns without it', () => {
    const { run } = freshStore();
    run('start', '--org', 'An organisation with a rather long name indeed', '--scope', 'the whole platform group', '--period', '2026-Q4');
    run('answer', 'obs-metrics', 'golden');
    for (const command of ['list', 'score', 'history']) {
      const json = run(command, '--json');
      expect(() => JSON.parse(json.stdout), command).not.toThrow();
      const text = run(command);
      for (const line of text.stdout.split('\n')) expect([...line].length, `${command}: ${line}`).toBeLessThanOrEqual(80);
      expect(text.stdout).not.toMatch(/\x1b\[/); // not a terminal: no colour
    }
  });

  it('uses colour on a terminal, and none with NO_COLOR or --no-color', async () => {
    const { run, store } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    run('answer', 'obs-metrics', 'golden');
    const coloured = inTerminal(`${process.execPath} ${BIN} --store ${store} score`, { env: { NO_COLOR: '' } });
    await coloured.exited;
    expect(coloured.output).toMatch(/\x1b\[1m/);
    const plain = inTerminal(`${process.execPath} ${BIN} --store ${store} score`, { env: { NO_COLOR: '1' } });
    await plain.exited;
    expect(plain.output).not.toMatch(/\x1b\[[0-9;]*m/);
    const flag = inTerminal(`${process.execPath} ${BIN} --store ${store} --no-color score`, { env: { NO_COLOR: '' } });
    await flag.exited;
    expect(flag.output).not.toMatch(/\x1b\[[0-9;]*m/);
  });

  it('lists every event of an assessment with who changed what', () => {
    const { run } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    run('answer', 'orch-workloads', 'most', '--respondent', 'alice', '--note', 'payments on VMs');
    run('answer', 'orch-workloads', 'all', '--respondent', 'bob');
    const history = JSON.parse(run('history', '--json').stdout) as { events: { actor: string; type: string }[] };
    expect(history.events.map((e) => [e.type, e.actor])).toEqual([
      ['AssessmentStarted', 'tester'],
      ['AnswerRecorded', 'alice'],
      ['AnswerRecorded', 'bob'],
    ]);
    expect(run('history').stdout).toMatch(/orch-workloads = most — payments on VMs/);
  });
});

describe('bad stores and odd input get a clear message, never a stack trace', () => {
  const noTrace = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |internal error/);

  it('says so when --store is a file, or the log is a folder', async () => {
    const dir = tempDir();
    const { writeFileSync, mkdirSync } = await import('node:fs');
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const asFile = cnassess(['--store', join(dir, 'not-a-folder'), 'list']);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr).toMatch(/cannot read .*not a folder/);
    noTrace(asFile);
    mkdirSync(join(dir, 'store', 'events.jsonl'), { recursive: true });
    const logIsFolder = cnassess(['--store', join(dir, 'store'), 'score']);
    expect(logIsFolder.code).toBe(2);
    expect(logIsFolder.stderr).toMatch(/events\.jsonl is a folder; the store's files must be regular files/);
    noTrace(logIsFolder);
  });

  it('asks for an upgrade, exit 2, when the log holds an event from a newer cnassess', async () => {
    const { run, store } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    const { appendFileSync } = await import('node:fs');
    const { encodeRecord } = await import('../../src/store/record.js');
    const lines = readFileSync(join(store, 'events.jsonl'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { seq: number; hash: string; version: number };
    const future = encodeRecord(
      { seq: last.seq + 1, stream: 'assessment/acme/all/2026-q4', version: last.version + 1, prev: last.hash },
      { id: 'from-the-future', type: 'AnswerRecorded', schema: 9, at: '2026-11-25T00:00:00.000Z', actor: 'x', data: {} },
    );
    appendFileSync(join(store, 'events.jsonl'), `${future}\n`);
    expect(run('verify').code).toBe(0);
    const r = run('score');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schema 9 is newer than this cnassess understands.*upgrade cnassess/);
    noTrace(r);
  });

  it('refuses dates that do not exist and levels that are not plain numbers or names', () => {
    const { run } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    expect(run('score', '--as-of', '2026-02-30').code).toBe(2);
    expect(run('target', 'observability', '0x3').code).toBe(2);
    expect(run('target', 'observability', 'improve').code).toBe(0);
  });

  it('keeps a note with line breaks on one table row', () => {
    const { run } = freshStore();
    run('start', '--org', 'Acme', '--period', '2026-Q4');
    run('answer', 'obs-metrics', 'golden', '--note', 'line one\n  99  2026-11-25 10:00  ceo  completed');
    const rows = run('history').stdout.trim().split('\n');
    expect(rows).toHaveLength(3); // header, started, the answer
  });

  it('re-imports into a completed assessment as nothing new, and does not export unconfirmed carried answers', async () => {
    const { run, store } = freshStore();
    const { writeFileSync } = await import('node:fs');
    const file = join(store, '..', 'a.yaml');
    writeFileSync(file, 'assessment: { org: Acme, period: 2026-Q3 }\nrespondent: alice\nanswers:\n  app-deploy: pipeline\ntargets:\n  observability: 4\n');
    expect(run('import', file).code).toBe(0);
    expect(run('complete').code).toBe(0);
    const again = run('import', file);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing new/);

    run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3');
    const exported = run('export', 'acme/all/2026-q4', '--respondent', 'alice');
    expect(exported.stdout).not.toContain('app-deploy');
  });
});
