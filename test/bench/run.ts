// Runs every benchmark module, prints one table and writes test/bench/results.json. `npm run bench`; not a test:
// nothing here fails a build, the "met?" column is for people.
//
// A module exports `benches: Bench[]`. To add one, write `test/bench/<topic>.bench.ts` and list it in MODULES.
// BENCH_ONLY=word runs only the benches whose name has that word.

import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';

export interface Row {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** What the issue asks for, in words ("≥ 0.6", "< 400"); absent when the row is for information. */
  readonly target?: string | undefined;
  readonly met?: boolean | undefined;
}

export interface Bench {
  readonly name: string;
  run(): Promise<Row[]>;
}

const MODULES: ReadonlyArray<() => Promise<{ benches: readonly Bench[] }>> = [
  () => import('./store.bench.js'),
  () => import('./cli.bench.js'),
  () => import('./report.bench.js'),
  () => import('./largeLog.bench.js'),
  () => import('./postgres.bench.js'),
  () => import('./rubric.bench.js'),
];

const RESULTS = new URL('../../../test/bench/results.json', import.meta.url); // from dist-bench/test/bench/

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const load of MODULES) {
    // BENCH_ONLY=word runs only the benches whose name has that word (`BENCH_ONLY=large npm run bench`).
    for (const bench of (await load()).benches.filter((b) => b.name.includes(process.env['BENCH_ONLY'] ?? ''))) {
      process.stderr.write(`running ${bench.name}…\n`);
      rows.push(...(await bench.run()));
    }
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  const environment = { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? '' };
  await writeFile(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), environment, rows }, null, 2)}\n`);
  process.stderr.write(`wrote ${RESULTS.pathname}\n`);
}

function formatTable(rows: readonly Row[]): string {
  const header = ['bench', 'metric', 'value', 'unit', 'target', 'met?'];
  const cells = rows.map((r) => [
    r.bench,
    r.metric,
    formatNumber(r.value),
    r.unit,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: readonly string[]): string =>
    `| ${c.map((v, i) => (i === 2 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

await main();
