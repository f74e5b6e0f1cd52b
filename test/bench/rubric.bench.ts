// Broken and hostile rubrics: a file a company writes, or one an attacker sends. Each is parsed and checked in time
// linear in its size: the cost per byte of each hostile file is compared with the cost per byte of parsing the
// built-in rubric in the same run. Something quadratic (a schema comparing every pair of 100 000 ids, aliases
// expanded, a stack trace kept per problem) would show as hundreds of times the baseline, not a few.
// These were timing assertions in test/rubric/brokenRubrics.test.ts; the tests keep what is refused and where.

import { readFileSync } from 'node:fs';
import { parseRubric } from '../../src/rubric/parse.js';
import type { Bench, Row } from './run.js';

const RUNS = 7;
const BUILT_IN = readFileSync(new URL('../../../rubric/cloud-native.yaml', import.meta.url)); // from dist-bench/test/bench/
const MINIMAL = readFileSync(new URL('../../../test/fixtures/rubrics/valid/minimal.yaml', import.meta.url), 'utf8');
/** Per byte, how many times the built-in rubric's cost a hostile file may take. */
const LINEAR = 10;

const HOSTILE: readonly { name: string; bytes: Buffer; target: number }[] = [
  // Refused at the first level too deep: it should cost next to nothing, however long the file.
  { name: '100,000 nested lists', bytes: Buffer.from('['.repeat(100_000)), target: 1 },
  {
    name: 'a requires list of 100,000 ids',
    bytes: Buffer.from(MINIMAL.replace('        impact: high\n', `        impact: high\n        requires: [${ids(100_000).join(', ')}]\n`)),
    target: LINEAR,
  },
  {
    name: 'a requires chain of 12,000 recommendations',
    bytes: Buffer.from(
      MINIMAL.replace(
        / {4}recommendations:\n[\s\S]*$/,
        `    recommendations:\n${ids(12_000)
          .map((id, i) => `      - { id: ${id}, title: t, why: w, level: 2, effort: S, impact: low, requires: [r${i + 1}] }`)
          .join('\n')}\n`,
      ),
    ),
    target: LINEAR,
  },
  { name: '50,000 duplicate keys', bytes: Buffer.from('a: 1\n'.repeat(50_000)), target: LINEAR },
  { name: '60,000 aliases', bytes: Buffer.from(`a: &a [lol]\nb: [${'*a, '.repeat(60_000 - 1)}*a]\n`), target: LINEAR },
];

export const benches: readonly Bench[] = [{ name: 'rubric', run: runRubricBench }];

async function runRubricBench(): Promise<Row[]> {
  const baseline = perByte(BUILT_IN);
  const rows: Row[] = [
    { bench: 'rubric', metric: `baseline: parse and check the built-in rubric (median of ${RUNS})`, value: baseline * 1e6, unit: 'ms/MB' },
  ];
  for (const { name, bytes, target } of HOSTILE) {
    const ratio = perByte(bytes) / baseline;
    rows.push({
      bench: 'rubric',
      metric: `${name} (${(bytes.length / 1e6).toFixed(2)} MB), per byte / baseline`,
      value: ratio,
      unit: '×',
      target: `≤ ${target}`,
      met: ratio <= target,
    });
  }
  return rows;
}

function ids(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `r${i}`);
}

let parses = 0;

/** Milliseconds per byte to parse and check the file (median of RUNS, after one warm-up). */
function perByte(bytes: Buffer): number {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    // parseRubric keeps its last results by name and content: a new name each time, so each run parses.
    const name = `bench-${parses++}.yaml`;
    const start = performance.now();
    parseRubric(name, bytes, { builtIn: false });
    if (i > 0) samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]! / bytes.length;
}
