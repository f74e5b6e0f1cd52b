// The PostgreSQL store beside the file store, on a throwaway local server (test/support/postgres.ts): an append of
// one answer acknowledged after its commit (synchronous_commit on: on the server's disk, as the file store's fsync),
// and a replay of BENCH_PG_EVENTS events (default 100,000), each as a ratio to the file store in the same run.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../src/store/eventStore.js';
import { openFileStore } from '../../src/store/fileStore.js';
import { openPostgresStore } from '../../src/store/postgresStore.js';
import { postgresBinDir, startCluster } from '../support/postgres.js';
import type { Bench, Row } from './run.js';

const SINGLE_APPENDS = 200;
const BATCH = 1000;
const RUNS = 3;

export const benches: readonly Bench[] = [{ name: 'postgres store', run: runPostgresBench }];

async function runPostgresBench(): Promise<Row[]> {
  if (postgresBinDir() === undefined) {
    process.stderr.write('no PostgreSQL server binaries: the postgres store bench is left out\n');
    return [];
  }
  const total = Number(process.env['BENCH_PG_EVENTS'] ?? 100_000);
  const cluster = await startCluster();
  const dir = await mkdtemp(join(tmpdir(), 'cnassess-pg-bench-'));
  const pg = await openPostgresStore(cluster.url);
  try {
    const file = await openFileStore(dir);
    const fileAppend = await appendLatencies(file, 'file');
    const pgAppend = await appendLatencies(pg, 'pg');
    await fill(file, total);
    await fill(pg, total);
    let fileReplay = Infinity;
    let pgReplay = Infinity;
    // Taking turns, each keeping its fastest run: JIT warm-up and bursts of load elsewhere favour neither.
    for (let i = 0; i < RUNS; i++) {
      fileReplay = Math.min(fileReplay, await replayMs(await openFileStore(dir)));
      pgReplay = Math.min(pgReplay, await replayMs(pg));
    }
    const count = total + SINGLE_APPENDS;
    const perSecond = (ms: number) => (count / ms) * 1000;
    const row = (metric: string, value: number, unit: string): Row => ({ bench: 'postgres', metric, value, unit });
    return [
      row(`file store: append 1 answer + fsync, p50 of ${SINGLE_APPENDS}`, fileAppend, 'ms'),
      row(`PostgreSQL: append 1 answer + commit, p50 of ${SINGLE_APPENDS}`, pgAppend, 'ms'),
      row('PostgreSQL append ÷ file append', pgAppend / fileAppend, '×'),
      row(`file store: replay ${count.toLocaleString('en-US')} events`, perSecond(fileReplay), 'events/s'),
      row(`PostgreSQL: replay ${count.toLocaleString('en-US')} events`, perSecond(pgReplay), 'events/s'),
      row('PostgreSQL replay ÷ file replay', fileReplay / pgReplay, '×'),
    ];
  } finally {
    await pg.close();
    cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function answer(id: string) {
  return {
    id,
    type: 'AnswerRecorded',
    schema: 2,
    at: '2026-11-01T10:00:00.000Z',
    actor: 'bench',
    data: { question: 'orch-workloads', answer: ['most'], respondent: 'bench', note: 'payments still on VMs' },
  };
}

async function appendLatencies(store: EventStore, prefix: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SINGLE_APPENDS; i++) {
    const started = process.hrtime.bigint();
    await store.append('assessment/bench/all/2026-q4', [answer(`${prefix}-single-${i}`)], i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
}

/** `total` answers in writes of BATCH, over a hundred streams. */
async function fill(store: EventStore, total: number): Promise<void> {
  const versions = new Map<string, number>();
  for (let done = 0; done < total; done += BATCH) {
    const stream = `assessment/org-${(done / BATCH) % 100}/all/2026-q4`;
    const events = Array.from({ length: Math.min(BATCH, total - done) }, (_, i) => answer(`fill-${done + i}`));
    const result = await store.append(stream, events, versions.get(stream) ?? 0);
    versions.set(stream, result.streamVersion);
  }
}

async function replayMs(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint();
  const perStream = new Map<string, number>();
  for await (const event of store.readAll()) perStream.set(event.stream, (perStream.get(event.stream) ?? 0) + 1);
  return Number(process.hrtime.bigint() - started) / 1e6;
}
