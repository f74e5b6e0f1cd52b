// Start-up cost of the CLI, as ratios to a bare `node -e 0` measured in the same run: what a user
// waits for on every command. Runs the built package (dist/), as users do.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssessmentCommand } from '../../src/assessment/decider.js';
import { assessmentId } from '../../src/assessment/state.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { loadRubric } from '../../src/source/rubricFile.js';
import { openFileStore } from '../../src/store/fileStore.js';
import { Workspace } from '../../src/workspace.js';
import type { Bench, Row } from './run.js';

const RUNS = 15;
const ASSESSMENTS = 100;
const BIN = join(PACKAGE_ROOT, 'dist', 'bin.js');

export const benches: readonly Bench[] = [{ name: 'cli start-up', run: runCliBench }];

async function runCliBench(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cnassess-cli-bench-'));
  try {
    await seed(dir);
    const commands = {
      bare: [process.execPath, '-e', '0'],
      version: [process.execPath, BIN, '--version'],
      help: [process.execPath, BIN, '--help'],
      list: [process.execPath, BIN, '--store', dir, 'list'],
    } as const;
    // Interleaved, so a burst of load from elsewhere on the machine hits every command alike.
    const samples: Record<keyof typeof commands, number[]> = { bare: [], version: [], help: [], list: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [name, [cmd, ...args]] of Object.entries(commands) as [keyof typeof commands, readonly string[]][]) {
        const started = process.hrtime.bigint();
        const r = spawnSync(cmd!, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed: ${r.stderr.toString()}`);
        samples[name].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bare = median(samples.bare);
    const ratio = (name: keyof typeof samples) => median(samples[name]) / bare;
    return [
      { bench: 'cli start-up', metric: 'bare `node -e 0`, median', value: bare, unit: 'ms' },
      {
        bench: 'cli start-up',
        metric: '`cnassess --version` ÷ bare node',
        value: ratio('version'),
        unit: '×',
        target: '≤ 2',
        met: ratio('version') <= 2,
      },
      { bench: 'cli start-up', metric: '`cnassess --help` ÷ bare node', value: ratio('help'), unit: '×' },
      { bench: 'cli start-up', metric: `\`cnassess list\` (${ASSESSMENTS} assessments) ÷ bare node`, value: ratio('list'), unit: '×' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A store of ASSESSMENTS assessments of every question answered, one batch each. */
async function seed(dir: string): Promise<void> {
  const { rubric } = await loadRubric();
  let n = 0;
  const workspace = new Workspace(
    await openFileStore(dir),
    () => new Date('2026-11-01T00:00:00Z'),
    () => `bench-${++n}`,
  );
  const ref = await workspace.registerRubric(rubric, 'bench');
  const questions = rubric.aspects.flatMap((a) => a.questions).filter((q) => !q.when);
  for (let i = 0; i < ASSESSMENTS; i++) {
    const org = `org-${i}`;
    const commands: AssessmentCommand[] = [
      { type: 'StartAssessment', org, scope: 'all', period: '2026-Q4', rubric: ref },
      ...questions.map((q): AssessmentCommand => ({
        type: 'RecordAnswer',
        question: q.id,
        answer: [q.choices[(i + q.id.length) % q.choices.length]!.id],
        respondent: 'bench',
      })),
    ];
    await workspace.execute(assessmentId(org, 'all', '2026-Q4'), commands, rubric, 'bench');
  }
}
