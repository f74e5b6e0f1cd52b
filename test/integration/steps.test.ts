// The roadmap, tracked, through the CLI on real files: `step`, carried by `start --from`, listed by `diff`, counted by
// `trend`, and exported as CSV.
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

function freshStore() {
  const dir = tempDir();
  const store = join(dir, 'store');
  const run = async (...args: string[]) => await cnassess(['--store', store, ...args], { cwd: dir, now: new Date('2026-12-01T09:00:00Z') });
  return { dir, run };
}

describe('cnassess step', () => {
  it('tracks a step on the latest assessment, completed or not, says when the answers disagree, and carries to the next quarter', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q3');
    await run('answer', 'app-deploy', 'pipeline');
    await run('complete');

    const done = await run('step', 'app-adopt-gitops', 'done', '--owner', 'Priya');
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/step app-adopt-gitops: done in acme\/all\/2026-q3, recorded by tester/);
    expect(done.stderr).toMatch(/note: the answers still call for this step \(app-deploy is “[^”]+” \(3 · Scale\)\)/);
    expect((await run('step', 'app-adopt-gitops', 'done')).stderr).toMatch(/unchanged/);
    const wontDo = await run('step', 'app-cd-pipeline', 'wont-do');
    expect(wontDo.code).toBe(2);
    expect(wontDo.stderr).toMatch(/needs a note/);
    const typo = await run('step', 'gitops', 'done');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/steps with that word: app-adopt-gitops/);

    const report = JSON.parse((await run('report', '--format', 'json', '-o', '-')).stdout) as {
      roadmap: { phases: { steps: { id: string; status: string | null; tracking: { disagreementText: string | null } }[] }[] };
    };
    const step = report.roadmap.phases.flatMap((p) => p.steps).find((s) => s.id === 'app-adopt-gitops');
    expect(step?.status).toBe('done');
    expect(step?.tracking.disagreementText).toMatch(/^Marked done on 2026-12-01 by tester, but the answers still call for it/);

    const next = await run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3');
    expect(next.stderr).toMatch(/1 roadmap step status/);
    await run('answer', 'app-deploy', 'gitops');
    await run('step', 'app-cd-pipeline', 'wont-do', '--note', 'GitOps replaced it');

    const diff = await run('diff', '2026-Q3', '2026-Q4');
    expect(diff.stdout).toMatch(
      /Roadmap steps \(1\)\n {2}app-cd-pipeline \([^)]+\): no status → wont-do\n {4}tester, 2026-12-01: “GitOps replaced it”/,
    );
    expect(diff.stdout).not.toMatch(/app-adopt-gitops is marked done, but/); // app-deploy is gitops now: the answers agree
    const q3diff = JSON.parse((await run('diff', '2026-Q3', '2026-Q4', '--json')).stdout) as { doneButOpen: unknown[] };
    expect(q3diff.doneButOpen).toEqual([]);

    const trend = await run('trend');
    expect(trend.stdout).toMatch(/Steps done, of tracked\s+1 of 1\s+1 of 2/);
  });

  it('exports the roadmap as CSV that a parser reads back, one row per step', async () => {
    const { dir, run } = freshStore();
    await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4');
    await run('answer', 'app-deploy', 'pipeline');
    await run('answer', 'obs-metrics', 'platform');
    await run(
      'step',
      'app-adopt-gitops',
      'in-progress',
      '--owner',
      '=cmd|calc',
      '--due',
      '2027-03-31',
      '--note',
      'two services left, "billing" and "ledger"',
    );
    const written = await run('report', '--format', 'csv');
    expect(written.code).toBe(0);
    const csv = readFileSync(join(dir, 'cnassess-report-acme-payments-2026-q4.csv'), 'utf8');
    const rows = parse<Record<string, string>>(csv, { columns: true });
    const json = JSON.parse((await run('report', '--format', 'json', '-o', '-')).stdout) as {
      roadmap: { phases: { steps: { id: string }[] }[] };
    };
    expect(rows.map((r) => r.id)).toEqual(json.roadmap.phases.flatMap((p) => p.steps.map((s) => s.id)));
    expect(rows.find((r) => r.id === 'app-adopt-gitops')).toMatchObject({
      status: 'in-progress',
      owner: "'=cmd|calc",
      'due date': '2027-03-31',
      'status note': 'two services left, "billing" and "ledger"',
    });
  });
});
