// Two ways a store fails a writer that is not at fault, with real processes: another writer stalls while it holds the
// lock (a paused process), and the store is on a read-only file system.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, cnassess, tempDir } from '../support/cli.js';

const STALLED = fileURLToPath(new URL('./children/stalled.mjs', import.meta.url));

function waitForLine(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      const match = pattern.exec(seen);
      if (match) resolve(match[0]);
    });
    child.on('exit', () => reject(new Error(`exited before printing ${pattern}: ${seen}`)));
  });
}

describe('a writer that stalls while it holds the lock', () => {
  it('is never broken into: a second writer waits, then exits 2 naming it; the first finishes its write later', async () => {
    const store = join(tempDir(), 'store');
    const run = async (...args: string[]) => await cnassess(['--store', store, ...args], { env: { CNASSESS_LOCK_WAIT: '1' } });
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q4')).code).toBe(0);

    const stalled = spawn(process.execPath, [STALLED, store], { stdio: ['pipe', 'pipe', 'inherit'] });
    await waitForLine(stalled, /in-write/);
    stalled.kill('SIGSTOP'); // paused in the middle of its write, as a suspended laptop or Ctrl+Z would
    // However long ago it took the lock, a live holder keeps it.
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(join(store, 'events.lock'), dayAgo, dayAgo);

    const blocked = await run('answer', 'obs-metrics', 'golden');
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(
      new RegExp(`being written by \`stalled-writer \\(test\\)\` \\(process ${stalled.pid} on this host, since `),
    );
    expect(blocked.stderr).toMatch(/still running.*let it finish, or end it/);
    expect(blocked.stderr).not.toMatch(/delete/);
    const seqsBefore = readFileSync(join(store, 'events.jsonl'), 'utf8').trim().split('\n').length;

    stalled.kill('SIGCONT');
    const written = waitForLine(stalled, /written (\d+)/);
    stalled.stdin.write('go\n');
    expect(await written).toBe(`written ${seqsBefore + 1}`);
    await new Promise((resolve) => stalled.on('exit', resolve));

    expect((await run('answer', 'obs-metrics', 'golden')).code).toBe(0);
    const lines = readFileSync(join(store, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; stream: string });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.map((l) => l.stream)).toContain('test/stalled');
    expect((await run('verify')).code).toBe(0);
  });

  it('breaks the lock of a writer that was killed, without waiting', async () => {
    const store = join(tempDir(), 'store');
    const run = async (...args: string[]) => await cnassess(['--store', store, ...args], { env: { CNASSESS_LOCK_WAIT: '0' } });
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q4')).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(
      join(store, 'events.lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), time: new Date().toISOString(), token: 'x' }),
    );
    expect((await run('answer', 'obs-metrics', 'golden')).code).toBe(0);
  });
});

describe('a store on a read-only file system', () => {
  /** Runs the CLI with the store's folder mounted read-only, in a mount namespace of its own. */
  function readOnly(store: string, ...args: string[]) {
    const script = `mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"`;
    const r = spawnSync(
      'unshare',
      ['--map-root-user', '--mount', 'sh', '-c', script, store, process.execPath, BIN, '--store', store, ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', CNASSESS_RESPONDENT: 'tester' },
      },
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('reads the good records of a log with an unfinished write it cannot repair, and says what it found', async () => {
    const store = join(tempDir(), 'store');
    expect((await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    expect((await cnassess(['--store', store, 'answer', 'obs-metrics', 'golden'])).code).toBe(0);
    const log = join(store, 'events.jsonl');
    const good = readFileSync(log, 'utf8');
    writeFileSync(log, `${good}{"seq":4,"stream":"assessment/acme/all/2026-q4","vers`);
    const probe = readOnly(store, 'list', '--json');
    expect(probe.stderr).not.toMatch(/unshare: /); // the namespace itself works here

    expect(probe.code, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject([{ id: 'acme/all/2026-q4', answered: 1 }]);
    expect(probe.stderr).toMatch(
      /ends with an unfinished write that was never acknowledged, which could not be repaired now \(.*read-only file system/,
    );

    const score = readOnly(store, 'score', '--json');
    expect(score.code).toBe(0);
    const verify = readOnly(store, 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      /events\.jsonl:4: torn-tail: the log ends with \d+ bytes of an unfinished record: a write was interrupted or is still running\. It was never acknowledged/,
    );
    const write = readOnly(store, 'answer', 'obs-logging', 'central');
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/read-only file system \(EROFS\)/);
    expect(readFileSync(log, 'utf8')).toBe(`${good}{"seq":4,"stream":"assessment/acme/all/2026-q4","vers`);
  });
});
