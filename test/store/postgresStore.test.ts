// The PostgreSQL store against a real server: a throwaway cluster started for this file (test/support/postgres.ts),
// through the store itself and through the built CLI, as a company's many writers would use it.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreReadError, StoreWriteError } from '../../src/errors.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgresStore.js';
import { BIN, cnassess, ROOT, tempDir, type Run } from '../support/cli.js';
import { POSTGRES_MISSING, postgresBinDir, startCluster, type Cluster } from '../support/postgres.js';
import { answer, describeEventStoreContract, readAll } from './contract.js';

// Without a server these tests fail, as the browser tests do without Chromium: a skip would pass unnoticed in CI.
// A machine that cannot have one says so explicitly, and is told what it leaves untested.
const available = postgresBinDir() !== undefined;
const optedOut = process.env.CNASSESS_SKIP_POSTGRES === '1';
if (!available && !optedOut) throw new Error(`${POSTGRES_MISSING}; or set CNASSESS_SKIP_POSTGRES=1 to leave the PostgreSQL store untested`);
if (!available) console.warn(`CNASSESS_SKIP_POSTGRES=1: the PostgreSQL store's tests are skipped (${POSTGRES_MISSING})`);

let cluster: Cluster;
const opened: PostgresStore[] = [];
let schemas = 0;
let examples = 0;

/** A URL for a schema of its own, so each test starts from an empty log without the cost of a new database. */
function freshUrl(): string {
  const schema = `s${++schemas}`;
  cluster.sql(`CREATE SCHEMA ${schema}`);
  return `${cluster.url}&options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function freshStore(url = freshUrl()): Promise<PostgresStore> {
  const store = await openPostgresStore(url);
  opened.push(store);
  return store;
}

/** The built CLI as a child process, without waiting for it: many run at once. */
function cnassessChild(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!available)('the PostgreSQL store', () => {
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    cluster.stop();
  });

  describeEventStoreContract('PostgreSQL store', () => freshStore());

  // Concurrency in the database is per connection: twelve `cnassess answer` runs in this process, each with a
  // connection of its own, overlap more closely than processes that each take a fifth of a second to start; four
  // processes among them show that separate processes do the same.
  it('keeps seq gapless and every answer when 16 writers answer one assessment at once: 12 in one process, 4 processes', async () => {
    const url = freshUrl();
    expect((await cnassess(['--store', url, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    const rubric = JSON.parse((await cnassess(['rubric', 'show', '--json'])).stdout) as {
      aspects: { questions: { id: string; when?: unknown; choices: { id: string; exclusive?: boolean }[] }[] }[];
    };
    // Questions asked whatever else is answered, so that no writer's answer depends on another's.
    const all = rubric.aspects.flatMap((a) => a.questions).filter((q) => q.when === undefined);
    const picks = Array.from({ length: 16 }, (_, i) => {
      const q = all[i % all.length]!;
      return { question: q.id, choice: q.choices.find((c) => c.exclusive !== true)!.id, respondent: `writer-${i}` };
    });
    expect(all.length).toBeGreaterThan(8);

    const runs = await Promise.all(
      picks.map((p, i) => {
        const args = ['--store', url, 'answer', p.question, p.choice, '--respondent', p.respondent];
        return i % 4 === 0 ? cnassessChild(args) : cnassess(args);
      }),
    );
    for (const [i, r] of runs.entries()) expect(r, `writer ${i}: ${r.stderr}`).toMatchObject({ code: 0 });

    const store = await freshStore(url);
    const events = await readAll(store);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const answered = events.filter((e) => e.type === 'AnswerRecorded').map((e) => e.actor);
    expect(answered.sort()).toEqual(picks.map((p) => p.respondent).sort());
    expect(await store.verify()).toMatchObject({ ok: true, events: events.length });
    const verified = await cnassess(['--store', url, 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
  });

  it('runs the demo, the report and verify on a database as on a folder', async () => {
    const url = freshUrl();
    const demo = await cnassess(['--store', url, 'demo']);
    expect(demo.code, demo.stderr).toBe(0);
    const score = await cnassess(['--store', url, 'score', '--json']);
    expect(score.code, score.stderr).toBe(0);
    expect(JSON.parse(score.stdout)).toHaveProperty('aspects');
    const out = join(tempDir(), 'report.html');
    expect((await cnassess(['--store', url, 'report', '--format', 'html', '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const verify = await cnassess(['--store', url, 'verify']);
    expect(verify.stdout).toMatch(/^ok: \d+ events in \d+ streams, hash chain intact/);
  });

  it('copies a log from a folder to the database and back byte for byte, and refuses a target that is not empty', async () => {
    const folder = tempDir();
    expect((await cnassess(['--store', folder, 'demo'])).code).toBe(0);
    const url = freshUrl();
    const there = await cnassess(['store', 'copy', folder, url]);
    expect(there.code, there.stderr).toBe(0);
    expect(there.stdout).toMatch(/^copied \d+ events in \d+ streams from .* hash chain verified on both sides/);

    const back = join(tempDir(), 'copy');
    const again = await cnassess(['store', 'copy', url, back, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(back, 'events.jsonl'), 'latin1')).toBe(readFileSync(join(folder, 'events.jsonl'), 'latin1')); // byte for byte
    expect(readFileSync(join(back, 'events.head'), 'utf8')).toBe(readFileSync(join(folder, 'events.head'), 'utf8'));

    const twice = await cnassess(['store', 'copy', folder, url]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already holds \d+ events; a log is copied only into an empty store, so nothing was copied/);
    expect((await readAll(await freshStore(url))).length).toBe((JSON.parse(again.stdout) as { events: number }).events);
  });

  it('says, when a copy stops at a batch the database refuses, how much of the copy the target holds', async () => {
    // 100 writes of 100 KB each: the copy appends them in batches of about 8 MB, the second refused by a trigger.
    const source = createMemoryStore();
    for (let i = 0; i < 100; i++) await source.append('s', [answer(`big-${i}`, undefined, { note: 'x'.repeat(100_000) })], i);
    const folder = tempDir();
    writeFileSync(join(folder, 'events.jsonl'), source.text());
    const url = freshUrl();
    await freshStore(url);
    const schema = `s${schemas}`;
    cluster.sql(
      `CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
       CREATE TRIGGER refuse BEFORE INSERT ON ${schema}.cnassess_events FOR EACH ROW WHEN (NEW.seq = 95) EXECUTE FUNCTION ${schema}.refuse()`,
    );
    const r = await cnassess(['store', 'copy', folder, url]);
    expect(r.code).toBe(2);
    const held = /holds the first (\d+) events of 100: remove it, then copy again\n$/.exec(r.stderr);
    expect(r.stderr).toMatch(/^cnassess: store copy stopped: .*refused by the test \(P0001\); nothing was written\. /);
    expect(Number(held?.[1])).toBeGreaterThanOrEqual(60);
    expect(Number(held?.[1])).toBeLessThan(95);
    expect((await readAll(await freshStore(url))).map((e) => e.id)).toEqual(
      source
        .text()
        .split('\n')
        .slice(0, Number(held?.[1]))
        .map((line) => (JSON.parse(line) as { id: string }).id),
    );
  });

  it('creates its tables once, records the schema version, and refuses a database of a newer schema', async () => {
    const url = freshUrl();
    await freshStore(url);
    await freshStore(url); // a second open finds them and changes nothing
    const schema = `s${schemas}`;
    expect(cluster.sql(`SELECT value FROM ${schema}.cnassess_meta WHERE key = 'schema'`)).toBe('1');
    cluster.sql(`UPDATE ${schema}.cnassess_meta SET value = '2' WHERE key = 'schema'`);
    await expect(openPostgresStore(url)).rejects.toThrow(StoreReadError);
    const r = await cnassess(['--store', url, 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds cnassess schema version 2, newer than this cnassess knows \(1\); upgrade cnassess/);
  });

  it('finds a row changed by hand: in its record, and in a column that no longer says what its record says', async () => {
    const url = freshUrl();
    const store = await freshStore(url);
    await store.append('s', [answer('a1'), answer('a2'), answer('a3')], 0);
    const schema = `s${schemas}`;
    cluster.sql(`UPDATE ${schema}.cnassess_events SET stream = 'other' WHERE seq = 2`);
    expect(await store.verify()).toMatchObject({ ok: false, problem: { line: 2, code: 'bad-shape' } });
    cluster.sql(`UPDATE ${schema}.cnassess_events SET stream = 's' WHERE seq = 2`);
    cluster.sql(`UPDATE ${schema}.cnassess_events SET record = replace(record, 'k8s-some', 'k8s-all') WHERE seq = 3`);
    expect(await store.verify()).toMatchObject({ ok: false, problem: { line: 3, code: 'hash-mismatch' } });
    await expect(readAll(store)).rejects.toThrow(/the event log is damaged/);
    const r = await cnassess(['--store', url, 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/seq 3: hash-mismatch/);
    // What to do is said for a database: a backup, not git (it told users to `git checkout -- .cnassess/`).
    expect(r.stdout).toMatch(/restore the database from a backup, then verify again\n$/);
    expect(r.stdout).not.toMatch(/git|folder|events\.jsonl/);
  });

  it('finds a record that is no possible event, and says to restore the database', async () => {
    const url = freshUrl();
    expect((await cnassess(['--store', url, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    const store = await freshStore(url);
    const stream = (await readAll(store)).at(-1)?.stream ?? '';
    const version = (await store.readStream(stream)).length;
    await store.append(stream, [answer('forged', undefined, { question: 42 })], version);
    const r = await cnassess(['--store', url, 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: bad-payload: .*restore the database from a backup, then verify again\n$/);
    // Any other command stops at it, naming the record by its seq in the database (not a line of events.jsonl).
    const score = await cnassess(['--store', url, 'score']);
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(
      /^cnassess: postgres:\/\/.*: seq 3: the event log is damaged: .*Restore the database from a backup and run `cnassess verify`\.\n$/,
    );
    expect(score.stderr).not.toMatch(/git|folder|events\.jsonl/);
    // And an event of a newer cnassess, in a log of its own.
    const newerUrl = freshUrl();
    expect((await cnassess(['--store', newerUrl, 'start', '--org', 'Acme', '--period', '2026-Q4'])).code).toBe(0);
    const newerStore = await freshStore(newerUrl);
    await newerStore.append(stream, [{ ...answer('newer'), schema: 99 }], version);
    const newer = await cnassess(['--store', newerUrl, 'list']);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toMatch(/^cnassess: postgres:\/\/.*: seq 3: AnswerRecorded schema 99 is newer than this cnassess understands/);
  });

  it('says, in verify, what a row changed by hand broke: the head row, a row of two records', async () => {
    const url = freshUrl();
    const store = await freshStore(url);
    for (let i = 0; i < 4; i++) await store.append('s', [answer(`a${i}`)], i);
    const schema = `s${schemas}`;
    cluster.sql(`UPDATE ${schema}.cnassess_meta SET value = regexp_replace(value, '"seq":[0-9]+', '"seq":99') WHERE key = 'head'`);
    await expect(readAll(store)).rejects.toThrow(/but the head row records that it reached seq 99/); // as reads say it
    const head = await cnassess(['--store', url, 'verify']);
    expect(head.code).toBe(1);
    expect(head.stdout).toMatch(/seq \d+: truncated: .*the head row/);
    expect(head.stdout).not.toMatch(/events\.head|git/);
    cluster.sql(`UPDATE ${schema}.cnassess_meta SET value = regexp_replace(value, '"seq":[0-9]+', '"seq":4') WHERE key = 'head'`);
    expect((await cnassess(['--store', url, 'verify'])).code).toBe(0);
    // Row 3 holding its record and the next, whose row is gone: joined, the rows would read as the whole log.
    cluster.sql(
      `UPDATE ${schema}.cnassess_events SET record = record || E'\\n' || (SELECT record FROM ${schema}.cnassess_events WHERE seq = 4) WHERE seq = 3;
       DELETE FROM ${schema}.cnassess_events WHERE seq = 4`,
    );
    expect(await store.verify()).toMatchObject({ ok: false, problem: { line: 3, code: 'bad-shape' } });
    const two = await cnassess(['--store', url, 'verify']);
    expect(two.stdout).toMatch(/seq 3: bad-shape: the row at seq 3 holds a record of more than one line/);
  });

  it('finds rows deleted from the middle or the end of the table, in reads, verify and store copy (found in review)', async () => {
    const url = freshUrl();
    const store = await freshStore(url);
    for (let i = 0; i < 12; i++)
      await store.append(
        `s${i}`,
        Array.from({ length: 1000 }, (_, j) => answer(`a${i}-${j}`)),
        0,
      );
    const schema = `s${schemas}`;
    cluster.sql(`DELETE FROM ${schema}.cnassess_events WHERE seq > 5000 AND seq <= 10000`);
    await expect(readAll(store)).rejects.toThrow(/damaged/);
    expect(await store.verify()).toMatchObject({ ok: false });
    const copy = await cnassess(['store', 'copy', url, tempDir()]);
    expect(copy.code).toBe(2);
    expect(copy.stderr).toMatch(/is damaged at .*nothing was copied/);

    const end = freshUrl();
    const second = await freshStore(end);
    for (let i = 0; i < 3; i++) await second.append(`s${i}`, [answer(`b${i}`)], 0);
    cluster.sql(`DELETE FROM s${schemas}.cnassess_events WHERE seq = 3`);
    await expect(readAll(second)).rejects.toThrow(/removed from its end/);
    expect(await second.verify()).toMatchObject({ ok: false, problem: { code: 'truncated' } });
  });

  it('keeps seq gapless for concurrent writers when the database defaults to repeatable read (found in review)', async () => {
    cluster.sql('CREATE DATABASE rr');
    cluster.sql("ALTER DATABASE rr SET default_transaction_isolation = 'repeatable read'");
    const url = cluster.urlFor('rr');
    const writers = await Promise.all(Array.from({ length: 6 }, () => freshStore(url)));
    await Promise.all(writers.map((w, i) => w.append(`w${i}`, [answer(`rr-${i}-1`), answer(`rr-${i}-2`)], 0)));
    const events = await readAll(writers[0]!);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await writers[0]!.verify()).ok).toBe(true);
  });

  it('refuses a URL the driver cannot read as a usage mistake, without printing its password', async () => {
    const r = await cnassess(['--store', 'postgres://alice:pa#ss/word@127.0.0.1:1/x', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a PostgreSQL URL cnassess can read/);
    expect(r.stderr).not.toMatch(/pa#ss|ss\/word/);
  });

  it('says in one line why it cannot connect, and never prints the password', async () => {
    cluster.sql("DO $$ BEGIN CREATE ROLE alice LOGIN PASSWORD 'right-horse'; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    const wrong = cluster.tcpUrl('alice', 'battery-staple', 'postgres');
    for (const args of [
      ['--store', wrong, 'list'],
      ['--store', wrong, 'verify', '--json'],
      ['store', 'copy', wrong, tempDir()],
    ]) {
      const r = await cnassess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /^cnassess: cannot .* the PostgreSQL store postgres:\/\/alice:\*\*\*@127\.0\.0\.1:\d+\/postgres: password authentication failed/,
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout + r.stderr).not.toContain('battery-staple');
    }
    const refused = await cnassess(['--store', 'postgres://alice:battery-staple@127.0.0.1:1/x', 'list']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the server refused the connection/);
    expect(refused.stderr).not.toContain('battery-staple');

    // Right password: the URL's password works, and the JSON output still masks it.
    const right = cluster.tcpUrl('alice', 'right-horse', 'postgres');
    cluster.sql('GRANT CREATE ON SCHEMA public TO alice');
    const verify = await cnassess(['--store', right, 'verify', '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, store: expect.stringContaining('alice:***@127.0.0.1') });
    expect(verify.stdout).not.toContain('right-horse');
  });

  it('keeps nothing half-written when the server goes away, and goes on once it is back', async () => {
    const url = freshUrl();
    const store = await freshStore(url);
    await store.append('s', [answer('a1')], 0);
    cluster.kill();
    try {
      const attempt = store.append('s', [answer('a2'), answer('a3')], 1);
      await expect(attempt).rejects.toThrow(StoreWriteError);
      await expect(attempt).rejects.toThrow(/nothing was written/);
      const r = await cnassess(['--store', url, 'answer', 'app-build', 'build']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      cluster.start();
    }
    const after = await freshStore(url);
    expect((await readAll(after)).map((e) => e.id)).toEqual(['a1']);
    await after.append('s', [answer('a2')], 1);
    expect(await after.verify()).toMatchObject({ ok: true, events: 2 });
  });

  // In the same cluster as the other tests: each block gets a database of its own.
  it('runs the examples of the README and of `store copy --help` as written, each block on a database of its own', async () => {
    const isExample = (l: string) => l.trim().startsWith('cnassess ') && l.includes('postgres://');
    const readme = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((m) => (m[1] ?? '').split('\n').filter(isExample))
      .filter((lines) => lines.length > 0);
    const help = (await cnassess(['store', 'copy', '--help'])).stdout.split('\n').filter(isExample);
    expect(readme.flat().length).toBeGreaterThanOrEqual(5);
    expect(help.length).toBeGreaterThanOrEqual(2);
    // Each block starts from the demo's folder store, as the README's reader has it; played once, copied for each.
    const demo = tempDir();
    expect((await cnassess(['demo'], { cwd: demo })).code).toBe(0);
    for (const lines of [...readme, help]) {
      const dir = tempDir();
      cpSync(demo, dir, { recursive: true });
      cluster.sql(`CREATE DATABASE ex_${++examples}`);
      const url = cluster.urlFor(`ex_${examples}`);
      for (const line of lines) {
        const words = (line.trim().split('#')[0] ?? '').trim().split(/\s+/);
        const r = await cnassess(
          words.slice(1).map((w) => (w.startsWith('postgres://') ? url : w)),
          { cwd: dir },
        );
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      }
    }
  });
});
