// Commands on a large file log cost about what they cost on a small one, once the stream index is built: a whole
// `cnassess answer` process and a whole `cnassess score ID` process on a log of BENCH_LARGE_EVENTS events (default
// 1,000,000: 25,000 assessments of 40 events, side by side) as a ratio to the same on a log of 1,000. Then six
// writers at once on the large log, which must all succeed, and a `store copy` of it against a `verify` of it.

import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssessmentCommand } from '../../src/assessment/decider.js';
import { assessmentId } from '../../src/assessment/state.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { loadRubric } from '../../src/source/rubricFile.js';
import type { StoredEvent } from '../../src/store/eventStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { encodeHead } from '../../src/store/record.js';
import { writeChainedLog } from './chainedLog.js';
import { Workspace } from '../../src/workspace.js';
import { median } from './median.js';
import type { Bench, Row } from './run.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'bin.js');
const SMALL = 1_000;
const RUNS = 9;
const WRITERS = 6;
const COPY_RUNS = 3;

export const benches: readonly Bench[] = [{ name: 'large log', run: runLargeLogBench }];

interface Template {
  readonly rubricEvent: StoredEvent;
  /** One assessment's events: its start and one answer to each question, in order. */
  readonly assessment: readonly StoredEvent[];
  readonly question: string;
  readonly choice: string;
}

async function runLargeLogBench(): Promise<Row[]> {
  const large = Number(process.env['BENCH_LARGE_EVENTS'] ?? 1_000_000);
  const template = await makeTemplate();
  const root = await mkdtemp(join(tmpdir(), 'cnassess-large-'));
  try {
    const small = join(root, 'small');
    const big = join(root, 'large');
    await writeLog(small, template, SMALL);
    const started = process.hrtime.bigint();
    await writeLog(big, template, large);
    const generatedMs = Number(process.hrtime.bigint() - started) / 1e6;

    const target = assessmentId('org-7', 'all', '2026-Q4');
    const answer = (store: string, i: number) => [
      '--store',
      store,
      'answer',
      '--assessment',
      target,
      template.question,
      template.choice,
      '--respondent',
      `bench-${i}`,
    ];
    const score = (store: string) => ['--store', store, 'score', target];
    // The first command on each log builds its index (and is timed on its own); the runs after it use it.
    const firstMs = { small: timeProcess(answer(small, 0)), large: timeProcess(answer(big, 0)) };
    const samples = { smallAnswer: [] as number[], largeAnswer: [] as number[], smallScore: [] as number[], largeScore: [] as number[] };
    // Interleaved, so load from elsewhere on the machine hits both sizes alike.
    for (let i = 1; i <= RUNS; i++) {
      samples.smallAnswer.push(timeProcess(answer(small, i)));
      samples.largeAnswer.push(timeProcess(answer(big, i)));
      samples.smallScore.push(timeProcess(score(small)));
      samples.largeScore.push(timeProcess(score(big)));
    }
    const concurrent = await Promise.all(Array.from({ length: WRITERS }, (_, i) => runProcess(answer(big, 100 + i))));
    const succeeded = concurrent.filter((code) => code === 0).length;
    // `store copy` of the large log (each of its records a write of its own) into a new folder, against `verify` of
    // the same log: a copy verifies the source, reads it, writes it and verifies the copy, a batch of writes at a time.
    const copySamples = { verify: [] as number[], copy: [] as number[] };
    for (let i = 1; i <= COPY_RUNS; i++) {
      copySamples.verify.push(timeProcess(['--store', big, 'verify']));
      copySamples.copy.push(timeProcess(['store', 'copy', big, join(root, `copy-${i}`)]));
      await rm(join(root, `copy-${i}`), { recursive: true, force: true });
    }
    const copyRatio = median(copySamples.copy) / median(copySamples.verify);

    const answerRatio = median(samples.largeAnswer) / median(samples.smallAnswer);
    const scoreRatio = median(samples.largeScore) / median(samples.smallScore);
    const n = large.toLocaleString('en-US');
    const row = (metric: string, value: number, unit: string, target?: string, met?: boolean): Row => ({
      bench: 'large log',
      metric,
      value,
      unit,
      ...(target === undefined ? {} : { target, met }),
    });
    return [
      row(`generate a log of ${n} events`, generatedMs, 'ms'),
      row(`first \`answer\` on ${n} events (builds the index)`, firstMs.large, 'ms'),
      row(`\`answer\` process on ${SMALL.toLocaleString('en-US')} events, median`, median(samples.smallAnswer), 'ms'),
      row(`\`answer\` process on ${n} events, median`, median(samples.largeAnswer), 'ms'),
      row('`answer`: large ÷ small', answerRatio, '×', '≤ 2', answerRatio <= 2),
      row(`\`score ID\` process on ${SMALL.toLocaleString('en-US')} events, median`, median(samples.smallScore), 'ms'),
      row(`\`score ID\` process on ${n} events, median`, median(samples.largeScore), 'ms'),
      row('`score ID`: large ÷ small', scoreRatio, '×', '≤ 2', scoreRatio <= 2),
      row(`${WRITERS} concurrent \`answer\` processes on ${n} events that succeed`, succeeded, 'of 6', `${WRITERS}`, succeeded === WRITERS),
      row(`\`verify\` process on ${n} events, median`, median(copySamples.verify), 'ms'),
      row(`\`store copy\` of ${n} one-record writes into a folder, median`, median(copySamples.copy), 'ms'),
      row('`store copy` ÷ `verify`', copyRatio, '×', '≤ 5', copyRatio <= 5),
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The built-in rubric's registration and one assessment answered in full, played on a memory store. */
async function makeTemplate(): Promise<Template> {
  const { rubric } = await loadRubric();
  const store = createMemoryStore();
  let n = 0;
  const workspace = new Workspace(
    store,
    () => new Date('2026-11-01T00:00:00Z'),
    () => `template-${++n}`,
  );
  const ref = await workspace.registerRubric(rubric, 'bench');
  const questions = rubric.aspects.flatMap((a) => a.questions).filter((q) => q.when === undefined);
  const commands: AssessmentCommand[] = [
    { type: 'StartAssessment', org: 'org-0', scope: 'all', period: '2026-Q4', rubric: ref },
    ...questions.map((q, i): AssessmentCommand => ({
      type: 'RecordAnswer',
      question: q.id,
      answer: [q.choices[i % q.choices.length]!.id],
      respondent: 'bench',
    })),
  ];
  for (const command of commands) await workspace.execute(assessmentId('org-0', 'all', '2026-Q4'), [command], rubric, 'bench');
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  const last = questions.at(-1)!;
  return {
    rubricEvent: events[0]!,
    assessment: events.slice(1),
    question: last.id,
    choice: last.choices.find((c) => c.exclusive !== true)!.id,
  };
}

/** `total` events: the rubric, then assessments org-0, org-1… side by side, so each one's events span the log. */
async function writeLog(dir: string, template: Template, total: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const perAssessment = template.assessment.length;
  const assessments = Math.max(1, Math.floor((total - 1) / perAssessment));
  let n = 0;
  const withId = (event: StoredEvent, data: unknown) => ({ ...event, id: `e-${++n}`, data });
  function* records() {
    yield { stream: template.rubricEvent.stream, version: 1, event: withId(template.rubricEvent, template.rubricEvent.data) };
    for (let k = 0; k < perAssessment; k++) {
      const event = template.assessment[k]!;
      for (let a = 0; a < assessments; a++) {
        const org = `org-${a}`;
        const data = k === 0 ? { ...(event.data as object), org } : event.data;
        yield { stream: `assessment/${assessmentId(org, 'all', '2026-Q4')}`, version: k + 1, event: withId(event, data) };
      }
    }
  }
  const end = await writeChainedLog(join(dir, 'events.jsonl'), records());
  await writeFile(join(dir, 'events.head'), encodeHead(end));
  // As cnassess writes it when it creates a store, so the index may be written beside the log.
  await writeFile(join(dir, '.gitignore'), '# Written by cnassess when it created this store.\nevents.lock\n');
}

function timeProcess(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`cnassess ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function runProcess(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    child.on('close', resolve);
  });
}
