// Broken and hostile rubrics: a file a company writes, or one an attacker sends. Each hostile shape is parsed and
// checked at two sizes, n/4 and n, and its cost per byte compared between them: linear work costs the same per byte at
// both (about 1x), quadratic work four times as much (4x). Its cost per byte against parsing the built-in rubric is
// shown for information. These were timing assertions in test/rubric/brokenRubrics.test.ts; the tests keep what is
// refused and where.

import { readFileSync } from 'node:fs';
import { parseRubricUncached } from '../../src/rubric/parse.js';
import { aliases, duplicateKeys, nestedLists, requiresChain, requiresList } from '../support/hostileRubrics.js';
import { median } from './median.js';
import type { Bench, Row } from './run.js';

const RUNS = 7;
const BUILT_IN = readFileSync(new URL('../../../rubric/cloud-native.yaml', import.meta.url)); // from dist-bench/test/bench/
const MINIMAL = readFileSync(new URL('../../../test/fixtures/rubrics/valid/minimal.yaml', import.meta.url), 'utf8');
/** Per byte, how much more the larger file may cost than the one a quarter its size: linear, with room for noise. */
const GROWTH = 2;

const HOSTILE: readonly { name: string; size: number; file: (n: number) => string }[] = [
  { name: 'nested lists', size: 100_000, file: nestedLists },
  { name: 'ids in one requires list', size: 100_000, file: (n) => requiresList(MINIMAL, n) },
  { name: 'recommendations in a requires chain', size: 12_000, file: (n) => requiresChain(MINIMAL, n) },
  { name: 'duplicate keys', size: 50_000, file: duplicateKeys },
  { name: 'aliases', size: 60_000, file: aliases },
];

export const benches: readonly Bench[] = [{ name: 'rubric', run: runRubricBench }];

async function runRubricBench(): Promise<Row[]> {
  const baseline = perByte(BUILT_IN);
  const rows: Row[] = [
    { bench: 'rubric', metric: `baseline: parse and check the built-in rubric (median of ${RUNS})`, value: baseline * 1e6, unit: 'ms/MB' },
  ];
  for (const { name, size, file } of HOSTILE) {
    const large = Buffer.from(file(size));
    const cost = perByte(large);
    const growth = cost / perByte(Buffer.from(file(size / 4)));
    const label = `${size.toLocaleString('en-US')} ${name} (${(large.length / 1e6).toFixed(2)} MB)`;
    rows.push(
      {
        bench: 'rubric',
        metric: `${label}: per byte / a quarter as many`,
        value: growth,
        unit: '×',
        target: `≤ ${GROWTH}`,
        met: growth <= GROWTH,
      },
      { bench: 'rubric', metric: `${label}: per byte / baseline`, value: cost / baseline, unit: '×' },
    );
  }
  return rows;
}

/** Milliseconds per byte to parse and check the file (median of RUNS, after one warm-up). */
function perByte(bytes: Buffer): number {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    // Not parseRubric, which keeps its last results by content: each run parses.
    const start = performance.now();
    parseRubricUncached('bench.yaml', bytes, { builtIn: false });
    if (i > 0) samples.push(performance.now() - start);
  }
  return median(samples) / bytes.length;
}
