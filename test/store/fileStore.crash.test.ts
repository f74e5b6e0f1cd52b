// Real processes against one store: a writer killed with SIGKILL mid-run, and several writers at once.
// The children run the built code (dist/), which `npm test` builds first.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/fileStore.js';
import { answer, readAll } from './contract.js';

const CHILDREN = fileURLToPath(new URL('./children/', import.meta.url));
const BUILT_STORE = fileURLToPath(new URL('../../dist/store/fileStore.js', import.meta.url));

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

beforeAll(() => {
  if (!existsSync(BUILT_STORE)) throw new Error(`${BUILT_STORE} is missing: build first (npx tsc -p tsconfig.build.json)`);
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cnassess-crash-'));
  temps.push(dir);
  return join(dir, '.cnassess');
}

interface Child {
  /** Lines printed so far. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves once `count` lines have been printed. */
  linesReached(count: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

function run(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, [join(CHILDREN, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.filter((w) => lines.length >= w.count)) w.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    lines,
    exited,
    linesReached: (count) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ count, resolve });
        void exited.then(({ stderr: err }) => reject(new Error(`child exited after ${lines.length} lines: ${err}`)));
      }),
    kill: (signal) => child.kill(signal),
  };
}

describe('file store: crashes and concurrent writers', () => {
  it('keeps every acknowledged event of a writer killed with SIGKILL, and shows no partial event', async () => {
    const dir = await storeDir();
    const child = run('appender.mjs', [dir, 'assessment/acme/all/2026-Q4', '20000']);

    await child.linesReached(60);
    child.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');

    const store = await openFileStore(dir);
    const ids = (await readAll(store)).map((e) => e.id);
    // Everything acknowledged is there; beyond that, nothing, or the whole of the one write that was under way
    // (written and synced, its acknowledgement not yet printed) — never a part of a write.
    expect(ids.slice(0, child.lines.length)).toEqual(child.lines);
    const extra = ids.slice(child.lines.length);
    if (extra.length > 0) {
      const write = Number(extra[0]!.split('-')[1]);
      expect(extra).toEqual(Array.from({ length: (write % 3) + 1 }, (_, j) => `${extra[0]!.split('-')[0]}-${write}-${j}`));
    }
    expect((await store.verify()).ok).toBe(true);
    const text = await readFile(join(dir, 'events.jsonl'), 'utf8');
    expect(text.endsWith('\n') && text.split('\n').length - 1).toBe(ids.length);

    // A lock the killed writer may have held names a dead process: the next writer is not blocked.
    await store.append('after-the-crash', [answer('after')], 0);
    expect((await store.verify()).ok).toBe(true);
  });

  it('gives four processes appending at once a gapless seq, a valid chain and every acknowledged event', async () => {
    const dir = await storeDir();
    const own = 50;
    const shared = 15;
    const children = ['p1', 'p2', 'p3', 'p4'].map((name) => ({
      name,
      child: run('contender.mjs', [dir, name, String(own), String(shared)]),
    }));

    const results = await Promise.all(children.map(({ child }) => child.exited));
    for (const { code, stderr } of results) expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const acknowledged = children.flatMap(({ child }) => child.lines.map((line) => JSON.parse(line) as { id: string; stream: string }));
    expect(acknowledged).toHaveLength(4 * (own + shared));
    const store = await openFileStore(dir);
    const events = await readAll(store);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(acknowledged.map((a) => a.id)));
    expect((await store.readStream('shared')).map((e) => e.version)).toEqual(Array.from({ length: 4 * shared }, (_, i) => i + 1));
    expect(await store.verify()).toMatchObject({ ok: true, events: 4 * (own + shared), streams: 5 });
  });
});
