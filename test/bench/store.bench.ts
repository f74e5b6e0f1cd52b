// The event store against a log of BENCH_EVENTS events (default 1,000,000: 25,000 assessments of 40 answers).
// Read speeds are compared with the plainest reader, so the ratios hold on any machine: stream the file, split
// lines, JSON.parse each. That reader decodes a whole chunk at once, so one non-ASCII character makes every line of
// the chunk a two-byte string, slower to parse; the store decodes line by line. For a ratio without that advantage,
// the same parse is also measured with the store's way of reading (the "line-decoding baseline").
// The reads take turns, RUNS rounds, and each keeps its fastest run: that leaves out JIT warm-up, and a burst of
// load from elsewhere on the machine does not favour one of them.

import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../../src/store/eventStore.js';
import { openFileStore } from '../../src/store/fileStore.js';
import { writeChainedLog } from './chainedLog.js';
import type { Bench, Row } from './run.js';

const EVENTS_PER_STREAM = 40;
const SINGLE_APPENDS = 200;
const BATCH = 10_000;
const RUNS = 3;

export const benches: readonly Bench[] = [{ name: 'event store', run: runStoreBench }];

async function runStoreBench(): Promise<Row[]> {
  const total = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'cnassess-bench-'));
  const file = join(dir, 'events.jsonl');
  try {
    const generated = await timed(() => generateLog(file, total));
    const { baseline, lineBaseline, replay, verify } = await fastestInTurns({
      baseline: () => baselineRead(file),
      lineBaseline: () => lineDecodingRead(file),
      replay: () => replayFold(dir),
      verify: async () => {
        const report = await (await openFileStore(dir)).verify();
        if (!report.ok) throw new Error(`generated log does not verify: ${JSON.stringify(report.problem)}`);
        return { count: report.events };
      },
    });
    const appends = await measureAppends(dir, total);

    const perSecond = (r: { count: number; ms: number }): number => (r.count / r.ms) * 1000;
    const replayRatio = perSecond(replay) / perSecond(baseline);
    const verifyRatio = perSecond(verify) / perSecond(baseline);
    const mb = (bytes: number): number => bytes / 2 ** 20;
    const row = (metric: string, value: number, unit: string, target?: string, met?: boolean): Row => ({
      bench: 'store',
      metric,
      value,
      unit,
      ...(target === undefined ? {} : { target, met }),
    });
    return [
      row(`generate a log of ${total.toLocaleString('en-US')} events`, generated.ms, 'ms'),
      row('baseline: stream, split lines, JSON.parse', perSecond(baseline), 'events/s'),
      row('replay: readAll() folded per stream', perSecond(replay), 'events/s'),
      row('replay / baseline', replayRatio, '×', '≥ 0.6', replayRatio >= 0.6),
      row('verify()', perSecond(verify), 'events/s'),
      row('verify / baseline', verifyRatio, '×', '≥ 0.4', verifyRatio >= 0.4),
      row('line-decoding baseline: JSON.parse only', perSecond(lineBaseline), 'events/s'),
      row('replay / line-decoding baseline', perSecond(replay) / perSecond(lineBaseline), '×'),
      row('verify / line-decoding baseline', perSecond(verify) / perSecond(lineBaseline), '×'),
      row('peak RSS during replay', mb(replay.peakRss), 'MB', '< 400', mb(replay.peakRss) < 400),
      row('peak heap used during replay', mb(replay.peakHeap), 'MB'),
      row('first append (reads the log whole to index it)', appends.firstMs, 'ms'),
      row('heap used with the log indexed', mb(appends.indexHeap), 'MB'),
      row(`append 1 answer + fsync, p50 of ${SINGLE_APPENDS}`, appends.p50, 'ms'),
      row(`append 1 answer + fsync, p99 of ${SINGLE_APPENDS}`, appends.p99, 'ms'),
      row(`append ${BATCH.toLocaleString('en-US')} answers as one batch`, appends.batchMs, 'ms'),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const QUESTIONS = ['orch-scheduling', 'orch-mesh', 'prov-iac', 'obs-tracing', 'obs-slo', 'ci-pipeline', 'sec-supply', 'data-backup'];
const ANSWERS = ['manual', 'k8s-some', 'fleet', 'none', 'partial', 'everywhere'];
const RESPONDENTS = ['alice', 'bob', 'chen', 'dagmar', 'eze'];
const NOTES = [
  '',
  'payments still on VMs',
  'platform team owns this; see ADR-12 "golden paths"',
  'planned for next quarter\nafter the migration',
  'Zürich and São Paulo regions differ — ask ops 🙂',
];

function answer(i: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'AnswerRecorded',
    schema: 1,
    at: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(),
    actor: RESPONDENTS[i % RESPONDENTS.length] ?? 'alice',
    data: {
      question: QUESTIONS[i % QUESTIONS.length],
      answer: ANSWERS[i % ANSWERS.length],
      respondent: RESPONDENTS[i % RESPONDENTS.length],
      note: NOTES[i % NOTES.length],
    },
  };
}

/** A log of `total` answers in assessments that run side by side, so one stream's answers span the whole log. */
async function generateLog(file: string, total: number): Promise<number> {
  const streams = Math.max(1, Math.ceil(total / EVENTS_PER_STREAM));
  const versions = new Uint32Array(streams);
  function* records() {
    for (let i = 0; i < total; i++) {
      const n = i % streams;
      versions[n] = (versions[n] ?? 0) + 1;
      yield { stream: `assessment/org-${n}/all/2026-Q4`, version: versions[n] ?? 1, event: answer(i) };
    }
  }
  await writeChainedLog(file, records());
  return total;
}

async function baselineRead(file: string): Promise<{ count: number }> {
  let count = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) count += (JSON.parse(line) as { seq: number }).seq > 0 ? 1 : 0;
  }
  return { count };
}

async function lineDecodingRead(file: string): Promise<{ count: number }> {
  let count = 0;
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(1 << 20);
    let carried = 0;
    for (;;) {
      const { bytesRead } = await handle.read(bytes, carried, bytes.length - carried, null);
      if (bytesRead === 0) return { count };
      const filled = carried + bytesRead;
      const length = bytes.lastIndexOf(0x0a, filled - 1) + 1;
      for (let start = 0; start < length;) {
        const end = bytes.indexOf(0x0a, start);
        count += (JSON.parse(bytes.toString('utf8', start, end)) as { seq: number }).seq > 0 ? 1 : 0;
        start = end + 1;
      }
      carried = filled - length;
      bytes.copy(bytes, 0, length, filled);
    }
  } finally {
    await handle.close();
  }
}

interface ReplayRun {
  readonly count: number;
  readonly peakRss: number;
  readonly peakHeap: number;
}

/** A view as a command would build one: per stream, how many answers each question has. */
async function replayFold(dir: string): Promise<ReplayRun> {
  const store = await openFileStore(dir);
  const states = new Map<string, Map<string, number>>();
  let count = 0;
  let peakRss = 0;
  let peakHeap = 0;
  for await (const event of store.readAll()) {
    let state = states.get(event.stream);
    if (state === undefined) states.set(event.stream, (state = new Map()));
    const question = (event.data as { question: string }).question;
    state.set(question, (state.get(question) ?? 0) + 1);
    if (++count % 10_000 === 0) {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }
  }
  return { count, peakRss, peakHeap };
}

async function measureAppends(
  dir: string,
  total: number,
): Promise<{ firstMs: number; indexHeap: number; p50: number; p99: number; batchMs: number }> {
  const store = await openFileStore(dir);
  const stream = 'assessment/bench/all/2026-Q4';
  const first = await timed(() => store.append(stream, [answer(total)], 0));
  collectGarbage();
  const indexHeap = process.memoryUsage().heapUsed;
  let version = first.result.streamVersion;
  const samples: number[] = [];
  for (let i = 0; i < SINGLE_APPENDS; i++) {
    const one = await timed(() => store.append(stream, [answer(total + 1 + i)], version));
    version = one.result.streamVersion;
    samples.push(one.ms);
  }
  samples.sort((a, b) => a - b);
  const batchStream = 'assessment/bench-batch/all/2026-Q4';
  const batch = Array.from({ length: BATCH }, (_, i) => answer(i));
  const batchRun = await timed(() => store.append(batchStream, batch, 0));
  return {
    firstMs: first.ms,
    indexHeap,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    batchMs: batchRun.ms,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

type Reads = Record<string, () => Promise<{ count: number }>>;
type Timed<R extends Reads> = { [K in keyof R]: Awaited<ReturnType<R[K]>> & { ms: number } };

/** Runs the reads in turn, RUNS rounds, and keeps each one's fastest run. */
async function fastestInTurns<R extends Reads>(reads: R): Promise<Timed<R>> {
  const best: Partial<Record<keyof R, { count: number; ms: number }>> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const name of Object.keys(reads) as Array<keyof R>) {
      collectGarbage();
      const read = reads[name];
      if (read === undefined) throw new Error(`no read named ${String(name)}`);
      const { result, ms } = await timed(read);
      if (ms < (best[name]?.ms ?? Number.POSITIVE_INFINITY)) best[name] = { ...result, ms };
    }
  }
  return best as Timed<R>;
}

/** Starts each measurement from a clean heap when node runs with --expose-gc (as `npm run bench` does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
