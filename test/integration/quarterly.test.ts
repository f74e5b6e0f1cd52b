// diff, trend, rubric diff, start --from and demo through the built CLI, as real processes on real files.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

function freshStore() {
  const dir = tempDir();
  const store = join(dir, 'store');
  const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
  return { dir, store, run };
}

/** Acme's platform in 2026-Q1 (orchestration at level 3), and 2026-Q2 started from it. */
async function twoQuarters() {
  const s = freshStore();
  expect((await s.run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q1')).code).toBe(0);
  expect((await s.run('answer', 'orch-workloads', 'most', '--note', 'payments still on VMs')).code).toBe(0);
  expect((await s.run('answer', 'orch-discovery', 'platform', '--respondent', 'bob')).code).toBe(0);
  expect((await s.run('target', 'orchestration', 'Scale')).code).toBe(0);
  expect((await s.run('complete')).code).toBe(0);
  const started = await s.run('start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q2', '--from', '2026-Q1');
  expect(started.code, started.stderr).toBe(0);
  return { ...s, started };
}

describe('start --from PREVIOUS', () => {
  it('records the previous answers and targets as carried, in the same batch as the start', async () => {
    const { run, started } = await twoQuarters();
    expect(started.stdout).toBe('acme/platform/2026-q2\n');
    expect(started.stderr).toMatch(/Carried over from acme\/platform\/2026-q1: 2 answers of 2 respondents and 1 target/);
    const history = JSON.parse((await run('history', 'acme/platform/2026-q2', '--json')).stdout) as {
      events: { seq: number; at: string; type: string; data: Record<string, unknown> }[];
    };
    expect(
      history.events.map((e) => [e.type, e.data.question ?? e.data.aspect ?? null, e.data.respondent ?? null, e.data.carried ?? null]),
    ).toEqual([
      ['AssessmentStarted', null, null, null],
      ['AnswerRecorded', 'orch-workloads', 'tester', true],
      ['AnswerRecorded', 'orch-discovery', 'bob', true],
      ['TargetSet', 'orchestration', null, null],
    ]);
    expect(history.events[0]!.data.carriedFrom).toBe('acme/platform/2026-q1');
    expect(new Set(history.events.map((e) => e.at)).size).toBe(1);
    expect(history.events[1]!.data.note).toBe('payments still on VMs');
  });

  it('keeps the rubric the previous quarter used when the built-in one is older, and says so', async () => {
    const { run, dir } = freshStore();
    const newer = join(dir, 'newer.yaml');
    writeFileSync(newer, readFileSync(join(ROOT, 'rubric/cloud-native.yaml'), 'utf8').replace(/^version: 2\.0\.0$/m, 'version: 9.0.0'));
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q3', '--rubric', newer)).code).toBe(0);
    const r = await run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /Using cloud-native 9\.0\.0, the rubric acme\/all\/2026-q3 was answered against \(the built-in one is the older 2\.0\.0\)/,
    );
  });

  it('refuses a previous period that does not exist, and writes nothing', async () => {
    const { run } = freshStore();
    await run('start', '--org', 'Acme', '--period', '2026-Q1');
    const r = await run('start', '--org', 'Acme', '--period', '2026-Q2', '--from', '2025-Q4');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no assessment for 2025-Q4 \(periods: 2026-Q1\)/);
    expect(JSON.parse((await run('list', '--json')).stdout)).toHaveLength(1);
  });
});

describe('diff --fail-on-regression', () => {
  it('exits 1 and names the aspect when a level went down; without the flag the diff still exits 0', async () => {
    const { run } = await twoQuarters();
    expect((await run('answer', 'orch-workloads', 'some', '--note', 'rolled back to VMs after the outage')).code).toBe(0);
    const plain = await run('diff');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^▼ +Orchestration & management +3 Scale → 2 Operate/m);
    const failing = await run('diff', '--fail-on-regression');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/regression from 2026-Q1 to 2026-Q2: orchestration \(3 Scale → 2 Operate\)/);
  });

  it('exits 0 when no level went down', async () => {
    const { run } = await twoQuarters();
    expect((await run('answer', 'orch-workloads', 'all')).code).toBe(0);
    const r = await run('diff', '2026-Q1', '2026-Q2', '--fail-on-regression');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^▲ +Orchestration/m);
  });

  it('exits 2 with a clear message when there is nothing to compare', async () => {
    const { run } = freshStore();
    expect((await run('diff')).stderr).toMatch(/no assessment yet/);
    await run('start', '--org', 'Acme', '--period', '2026-Q1');
    const r = await run('diff', '--fail-on-regression');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no earlier period to compare with/);
  });
});

describe('diff formats', () => {
  it('prints JSON, Markdown and a self-contained HTML page, and refuses an unknown format', async () => {
    const { run } = await twoQuarters();
    await run('answer', 'orch-workloads', 'all', '--note', '<b>all</b> on EKS');
    const json = JSON.parse((await run('diff', '--json')).stdout) as {
      regressions: string[];
      answerChanges: { question: string; after: { note: string } }[];
    };
    expect(json.regressions).toEqual([]);
    expect(json.answerChanges.map((c) => c.question)).toEqual(['orch-workloads']);
    expect((await run('diff', '--format', 'md')).stdout).toMatch(/^\| ▲ \| Orchestration & management \| 3 Scale → 4 Improve \|/m);
    const html = (await run('diff', '--format', 'html')).stdout;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('&lt;b&gt;all&lt;/b&gt; on EKS');
    const bad = await run('diff', '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not one of text, md, html, json/);
  });
});

describe('rubric diff', () => {
  it('lists renamed, added, removed and re-weighted questions and changed choices between two files', async () => {
    const dir = tempDir();
    const old = join(ROOT, 'rubric/history/cloud-native-1.0.0.yaml');
    const raw = YAML.parse(readFileSync(old, 'utf8')) as {
      version: string;
      aspects: { id: string; questions: Record<string, unknown>[] }[];
    };
    raw.version = '1.1.0';
    const obs = raw.aspects.find((a) => a.id === 'observability')!;
    obs.questions = obs.questions.map((q) =>
      q.id === 'obs-incident-reviews'
        ? { ...q, id: 'obs-postmortems', replaces: 'obs-incident-reviews' }
        : q.id === 'obs-cost'
          ? { ...q, weight: 2 }
          : q,
    );
    const orch = raw.aspects.find((a) => a.id === 'orchestration')!;
    orch.questions = orch.questions.filter((q) => q.id !== 'orch-api-contracts');
    orch.questions.push({
      id: 'orch-policy',
      text: 'Is placement policy-driven?',
      type: 'yes-no',
      choices: [
        { id: 'no', label: 'No', level: 1 },
        { id: 'yes', label: 'Yes', level: 4 },
      ],
    });
    const edited = join(dir, 'edited.yaml');
    writeFileSync(edited, YAML.stringify(raw));

    const r = await cnassess(['rubric', 'diff', old, edited]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'cloud-native 1.0.0 → cloud-native 1.1.0: 4 changes; the 3 marked ! can move',
        'levels or scores',
        '',
        '  ! orch-policy added (orchestration)',
        '  ! orch-api-contracts removed (orchestration)',
        '    obs-incident-reviews renamed to obs-postmortems (observability)',
        '  ! obs-cost weight 1 → 2',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cnassess(['rubric', 'diff', old, edited, '--json'])).stdout) as { counts: Record<string, number> };
    expect(json.counts).toMatchObject({ renamed: 1, added: 1, removed: 1, affectsScoring: 3 });
  });

  it('warns when two different rubrics carry the same version', async () => {
    const dir = tempDir();
    const old = join(ROOT, 'rubric/history/cloud-native-1.0.0.yaml');
    const edited = join(dir, 'same-version.yaml');
    writeFileSync(edited, readFileSync(old, 'utf8').replace('weight: 3\n        gate: true', 'weight: 2\n        gate: true'));
    const r = await cnassess(['rubric', 'diff', old, edited]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/both files say version 1\.0\.0 but differ; bump the version/);
  });
});

describe('cnassess demo', () => {
  const s = freshStore();
  let seeded: Awaited<ReturnType<typeof cnassess>>;
  beforeAll(async () => {
    seeded = await s.run('demo');
  });

  it('seeds a store that passes verify, and prints the commands to see it', async () => {
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout.replace(/\s+/g, ' ')).toMatch(
      /Seeded .* with \d+ events: Kestrel Freight \/ platform, 2025-Q3 to 2026-Q4,.* the upgrade to the built-in rubric 2\.0\.0 in 2026-Q4/,
    );
    expect(seeded.stdout).toContain(`cnassess --store ${s.store} report --format html`);
    expect(seeded.stdout).toContain(`cnassess --store ${s.store} diff`);
    const verify = await s.run('verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: \d+ events/);
  });

  it('produces a diff with a regression, and a trend', async () => {
    const diff = await s.run('diff', '2026-Q2', '2026-Q3');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^▼ +Observability & analysis +3 Scale → 2 Operate/m);
    expect((await s.run('diff', '2026-Q2', '2026-Q3', '--fail-on-regression')).code).toBe(1);
    const across = await s.run('diff', '2025-Q4', '2026-Q3');
    expect(across.stdout).toMatch(/renamed {2}obs-incident-reviews → obs-postmortems/);
    const upgrade = await s.run('diff');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toMatch(/cloud-native 1\.1\.0 .*cloud-native 2\.0\.0/s);
    const trend = JSON.parse((await s.run('trend', '--json')).stdout) as { periods: unknown[]; rubricChanges: { period: string }[] };
    expect(trend.periods).toHaveLength(6);
    expect(trend.rubricChanges.map((c) => c.period)).toEqual(['2026-Q1', '2026-Q4']);
  });

  it('produces a report', async () => {
    const out = join(s.dir, 'report.html');
    const r = await s.run('report', '--format', 'html', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('Kestrel Freight');
  });

  it('refuses to seed a store that already has events, and writes nothing', async () => {
    const before = readFileSync(join(s.store, 'events.jsonl'), 'utf8');
    const again = await s.run('demo');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has \d+ events; the demo only seeds an empty store/);
    expect(readFileSync(join(s.store, 'events.jsonl'), 'utf8')).toBe(before);
  });

  it('gives two demos at once on one empty store one demo: each event written once, and the demos say so', async () => {
    const store = join(tempDir(), 'store');
    const runs = await Promise.all([1, 2].map(() => cnassess(['--store', store, 'demo', '--json'])));
    expect((await cnassess(['--store', store, 'verify'])).stdout).toMatch(/^ok: 850 events/);
    // Run in one process, both find the store empty before either writes (a second started late refuses, as above).
    const ok = runs.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout) as { events: number; writtenMeanwhileByOthers: number });
    for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toMatch(/already has \d+ events/);
    expect(ok.map((r) => r.events)).toEqual(ok.map(() => 850));
    // Between them, they wrote each event once.
    expect(ok.reduce((n, r) => n + (850 - r.writtenMeanwhileByOthers), 0)).toBe(850);
  });

  it('starts the next quarter from the last one, carrying every answer', async () => {
    // On a copy: the other tests here read the demo's six quarters, in whatever order they run.
    const copy = join(tempDir(), 'store');
    cpSync(s.store, copy, { recursive: true });
    const run = async (...args: string[]) => await cnassess(['--store', copy, ...args]);
    const r = await run('start', '--org', 'Kestrel Freight', '--scope', 'platform', '--period', '2027-Q1', '--from', '2026-Q4', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Using /);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: 'kestrel-freight/platform/2027-q1',
      carriedFrom: 'kestrel-freight/platform/2026-q4',
      leftOut: [],
    });
    const diff = JSON.parse((await run('diff', '--json')).stdout) as {
      rubric: { comparability: string };
      answerChanges: unknown[];
      carried: unknown[];
    };
    expect(diff).toMatchObject({ rubric: { comparability: 'same-rubric' }, answerChanges: [] });
    expect(diff.carried.length).toBeGreaterThan(40);
  });

  it('takes --store after the command name too', async () => {
    const store = join(tempDir(), 'store');
    expect((await cnassess(['demo', '--store', store, '--json'])).code).toBe(0);
    expect((await cnassess(['--store', store, 'verify'])).code).toBe(0);
  });
});
