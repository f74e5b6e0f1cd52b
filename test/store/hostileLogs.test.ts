// The hostile corpus: damaged, hostile and non-regular stores, each generated from one real log that the built CLI
// wrote, and each with its exact expected outcome — which line `verify` names and with what exit code, what a reading
// and a writing command do, that nothing outside the store changed, and that no acknowledged answer was dropped.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/store/eventStore.js';
import { encodeRecord } from '../../src/store/record.js';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

const LOG = 'events.jsonl';
const HEAD = 'events.head';

/** The base log: a start (with its rubric), two answers, then an import of four answers in one write. */
let base: string;
let baseLines: string[];
beforeAll(async () => {
  base = join(tempDir('cnassess-base-'), 'store');
  const run = async (...args: string[]) => {
    const r = await cnassess(['--store', base, ...args]);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };
  await run('start', '--org', 'Acme', '--period', '2026-Q4');
  await run('answer', 'app-deploy', 'pipeline');
  await run('answer', 'obs-metrics', 'golden');
  const file = join(base, '..', 'alice.yaml');
  writeFileSync(
    file,
    'assessment: { id: acme/all/2026-q4 }\nrespondent: alice\nanswers:\n  obs-logging: structured\n  obs-tracing: some\n  obs-cost: tagged\n  prov-access: sso-rbac\n',
  );
  await run('import', file);
  baseLines = readFileSync(join(base, LOG), 'utf8').trimEnd().split('\n');
});

interface Outcome {
  /** `verify` exit code, and the problem it names (file defaults to the log). */
  readonly verify: { readonly code: number; readonly line?: number; readonly problem?: string; readonly file?: string };
  /** `list` exit code. */
  readonly list: number;
  /** `answer` exit code (a write). */
  readonly write: number;
  /** Whether an unfinished write was moved aside into events.recovered-*.jsonl. */
  readonly recovered?: boolean;
  /** How many records of the base log must still be in the log, byte for byte, after every command. */
  readonly keeps: number;
}

interface Case {
  readonly name: string;
  /** Run as real processes, each with a timeout: what could hang a command (a FIFO) must not hang the tests. */
  readonly inProcesses?: boolean;
  readonly damage: (store: string, outside: string) => void;
  readonly expect: Outcome;
}

const lines = () => [...baseLines];
const text = (ls: readonly string[], end = '\n') => ls.join('\n') + end;
const write = (store: string, content: string | Buffer) => writeFileSync(join(store, LOG), content);
const headAt = (seq: number, hash: string) => `${JSON.stringify({ seq, hash })}\n`;
const hashOf = (line: string) => (JSON.parse(line) as { hash: string }).hash;

/** A record appended by hand with a valid hash, as a tool that writes the log directly would; the head moved on. */
function appendForged(store: string, data: unknown, type = 'AnswerRecorded', schema = 2): void {
  const last = JSON.parse(baseLines.at(-1)!) as { seq: number; hash: string; stream: string; version: number };
  const line = encodeRecord(
    { seq: last.seq + 1, stream: last.stream, version: last.version + 1, prev: last.hash },
    { id: 'forged', type, schema, at: '2026-11-30T10:00:00.000Z', actor: 'x', data },
  );
  write(store, text([...baseLines, line]));
  writeFileSync(join(store, HEAD), headAt(last.seq + 1, hashOf(line)));
}

const OK = { verify: { code: 0 }, list: 0, write: 0 };
const DAMAGED = (line: number, problem: string, keeps = 0): Outcome => ({ verify: { code: 1, line, problem }, list: 2, write: 2, keeps });

const CASES: Case[] = [
  { name: 'an intact log', damage: () => undefined, expect: { ...OK, keeps: 8 } },
  {
    name: 'one character of the last answer changed',
    damage: (s) => write(s, text(lines().map((l, i, all) => (i === all.length - 1 ? l.replace('sso-rbac', 'sso-rbax') : l)))),
    expect: DAMAGED(8, 'hash-mismatch', 7),
  },
  { name: 'only the final line end removed (truncate -s -1)', damage: (s) => write(s, text(lines(), '')), expect: { ...OK, keeps: 8 } },
  {
    name: 'every line end turned into a carriage return',
    damage: (s) => write(s, text(lines(), '\r').replace(/\n/g, '\r')),
    expect: DAMAGED(1, 'bad-shape'),
  },
  {
    name: 'every line end turned into CRLF',
    damage: (s) => write(s, text(lines()).replace(/\n/g, '\r\n')),
    expect: DAMAGED(1, 'bad-shape'),
  },
  { name: 'the last record removed (sed -i $d)', damage: (s) => write(s, text(lines().slice(0, -1))), expect: DAMAGED(8, 'truncated', 7) },
  { name: 'the last two records removed', damage: (s) => write(s, text(lines().slice(0, -2))), expect: DAMAGED(7, 'truncated', 6) },
  { name: 'every record removed, the head kept', damage: (s) => write(s, ''), expect: DAMAGED(1, 'truncated') },
  { name: 'the log deleted, the head kept', damage: (s) => rmSync(join(s, LOG)), expect: DAMAGED(1, 'truncated') },
  { name: 'a middle record removed', damage: (s) => write(s, text(lines().filter((_, i) => i !== 3))), expect: DAMAGED(4, 'seq-gap', 3) },
  {
    name: 'two records swapped',
    damage: (s) => write(s, text([...lines().slice(0, 2), lines()[3]!, lines()[2]!, ...lines().slice(4)])),
    expect: DAMAGED(3, 'seq-gap', 2),
  },
  { name: 'the last record repeated', damage: (s) => write(s, text([...lines(), lines().at(-1)!])), expect: DAMAGED(9, 'seq-gap', 8) },
  {
    name: 'a record of the import removed and the chain forged around it',
    damage: (s) => write(s, text(rechain([...lines().slice(0, 5), ...lines().slice(6)]))),
    expect: DAMAGED(6, 'batch-broken', 5),
  },
  {
    name: 'the import cut by a crash inside its third record',
    damage: (s) => {
      write(s, `${text(lines().slice(0, 6))}${lines()[6]!.slice(0, 70)}`);
      writeFileSync(join(s, HEAD), headAt(4, hashOf(baseLines[3]!))); // the crashed write never reached the head
    },
    expect: { ...OK, recovered: true, keeps: 4 },
  },
  {
    name: 'the import cut by a crash between two of its records',
    damage: (s) => {
      write(s, text(lines().slice(0, 6)));
      writeFileSync(join(s, HEAD), headAt(4, hashOf(baseLines[3]!)));
    },
    expect: { ...OK, recovered: true, keeps: 4 },
  },
  {
    name: 'a crash that left NUL bytes after the last line',
    damage: (s) => write(s, Buffer.concat([Buffer.from(text(lines())), Buffer.alloc(300)])),
    expect: { ...OK, recovered: true, keeps: 8 },
  },
  { name: 'text appended after the last line end', damage: (s) => write(s, `${text(lines())}hello`), expect: DAMAGED(9, 'not-json', 8) },
  { name: 'a record whose data is null, with a valid hash', damage: (s) => appendForged(s, null), expect: DAMAGED(9, 'bad-payload', 8) },
  {
    name: 'an answer of the wrong shape, with a valid hash',
    damage: (s) => appendForged(s, { question: 'obs-cost', answer: 42, respondent: 'x' }),
    expect: DAMAGED(9, 'bad-payload', 8),
  },
  {
    name: 'a rubric event with an impossible rubric',
    damage: (s) => appendForged(s, { ref: { id: 'x', version: '1', digest: 'f'.repeat(64) }, rubric: { id: 'x' } }, 'RubricRegistered', 1),
    expect: DAMAGED(9, 'bad-payload', 8),
  },
  {
    name: 'a line of 9 MB',
    damage: (s) => write(s, `${text(lines())}{"seq":9,"stream":"${'x'.repeat(9 * 1024 * 1024)}"}\n`),
    expect: DAMAGED(9, 'too-long', 8),
  },
  {
    name: 'the log a symbolic link to a file outside the store',
    damage: (s, outside) => {
      rmSync(join(s, LOG));
      symlinkSync(join(outside, 'elsewhere.jsonl'), join(s, LOG));
    },
    expect: { verify: { code: 2 }, list: 2, write: 2, keeps: 0 },
  },
  {
    name: 'the log a FIFO',
    inProcesses: true,
    damage: (s) => {
      rmSync(join(s, LOG));
      expect(spawnSync('mkfifo', [join(s, LOG)]).status).toBe(0);
    },
    expect: { verify: { code: 2 }, list: 2, write: 2, keeps: 0 },
  },
  {
    name: 'the log a folder',
    damage: (s) => {
      rmSync(join(s, LOG));
      mkdirSync(join(s, LOG));
    },
    expect: { verify: { code: 2 }, list: 2, write: 2, keeps: 0 },
  },
  { name: 'the lock a folder', damage: (s) => mkdirSync(join(s, 'events.lock')), expect: { ...OK, write: 2, keeps: 8 } },
  {
    name: 'the lock a symbolic link to a file outside the store',
    damage: (s, outside) => symlinkSync(join(outside, 'elsewhere.jsonl'), join(s, 'events.lock')),
    expect: { ...OK, write: 2, keeps: 8 },
  },
  {
    name: 'the head a symbolic link to a file outside the store',
    damage: (s, outside) => {
      rmSync(join(s, HEAD));
      symlinkSync(join(outside, 'elsewhere.jsonl'), join(s, HEAD));
    },
    expect: { verify: { code: 2 }, list: 2, write: 2, keeps: 8 },
  },
  {
    name: 'the head a FIFO',
    inProcesses: true,
    damage: (s) => {
      rmSync(join(s, HEAD));
      expect(spawnSync('mkfifo', [join(s, HEAD)]).status).toBe(0);
    },
    expect: { verify: { code: 2 }, list: 2, write: 2, keeps: 8 },
  },
  {
    name: 'the head garbled',
    damage: (s) => writeFileSync(join(s, HEAD), 'not a head'),
    expect: { verify: { code: 1, line: 1, problem: 'head-mismatch', file: HEAD }, list: 2, write: 2, keeps: 8 },
  },
  {
    name: 'the head anchoring a record the log does not hold',
    damage: (s) => writeFileSync(join(s, HEAD), headAt(5, 'a'.repeat(64))),
    expect: DAMAGED(5, 'head-mismatch', 8),
  },
  { name: 'the head deleted (as in a store from before it existed)', damage: (s) => rmSync(join(s, HEAD)), expect: { ...OK, keeps: 8 } },
];

/** Re-chains records from seq 1 with fresh hashes and stream versions, as a forger with the tool's own code would. */
function rechain(ls: readonly string[]): string[] {
  let prev = GENESIS_HASH;
  const versions = new Map<string, number>();
  return ls.map((l, i) => {
    const {
      seq: _s,
      prev: _p,
      hash: _h,
      version: _v,
      stream,
      more,
      ...event
    } = JSON.parse(l) as { seq: number; prev: string; hash: string; version: number; stream: string; more?: number } & Parameters<
      typeof encodeRecord
    >[1];
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const encoded = encodeRecord({ seq: i + 1, stream, version, ...(more !== undefined && { more }), prev }, event);
    prev = hashOf(encoded);
    return encoded;
  });
}

/** Every file under `dir` but the store, with a digest of its content: what "nothing outside changed" compares. */
function snapshot(dir: string, store: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (path === store) continue;
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else
        out[relative(dir, path)] = stat.isFile()
          ? createHash('sha256').update(readFileSync(path)).digest('hex')
          : stat.isSymbolicLink()
            ? 'link'
            : 'other';
    }
  };
  walk(dir);
  return out;
}

describe('the hostile corpus', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const root = tempDir('cnassess-hostile-');
    const store = join(root, 'store');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    // Bait for a store that follows links: a file that looks like a log with a torn tail.
    writeFileSync(join(outside, 'elsewhere.jsonl'), `${text(baseLines.slice(0, 2))}{"seq":3,"str`);
    cpSync(base, store, { recursive: true });
    c.damage(store, outside);
    const before = snapshot(root, store);
    const env = { CNASSESS_LOCK_WAIT: '1' };
    const run = async (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> => {
      if (!c.inProcesses) {
        const r = await cnassess(['--store', store, ...args], { env });
        expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at |internal error/);
        return { status: r.code, stdout: r.stdout, stderr: r.stderr };
      }
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bin.js'), '--store', store, ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', CNASSESS_RESPONDENT: 'tester', ...env },
        timeout: 30_000, // a FIFO that hung a command would show here, as a kill rather than an exit code
      });
      expect(r.signal, `${args.join(' ')} was killed: it hung`).toBeNull();
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at |internal error/);
      return r;
    };

    const verify = await run('verify', '--json');
    expect(verify.status, verify.stderr).toBe(c.expect.verify.code);
    if (c.expect.verify.problem !== undefined) {
      const report = JSON.parse(verify.stdout) as { problem: { line: number; code: string; file?: string } };
      expect(report.problem).toMatchObject({
        line: c.expect.verify.line,
        code: c.expect.verify.problem,
        ...(c.expect.verify.file !== undefined && { file: c.expect.verify.file }),
      });
    }
    const list = await run('list');
    expect(list.status, list.stderr).toBe(c.expect.list);
    if (c.expect.list === 2 && c.expect.verify.line !== undefined)
      expect(list.stderr).toMatch(new RegExp(`:${c.expect.verify.line}: the event log is damaged`));
    const answer = await run('answer', '--assessment', 'acme/all/2026-q4', 'obs-chaos', 'never');
    expect(answer.status, answer.stderr).toBe(c.expect.write);

    // Nothing outside the store was read into it, changed, created or emptied.
    expect(snapshot(root, store)).toEqual(before);
    expect(readFileSync(join(outside, 'elsewhere.jsonl'), 'utf8')).toBe(`${text(baseLines.slice(0, 2))}{"seq":3,"str`);
    const recovered =
      existsSync(store) && lstatSync(store).isDirectory() ? readdirSync(store).filter((f) => f.startsWith('events.recovered-')) : [];
    expect(recovered.length > 0, 'moved aside').toBe(c.expect.recovered === true);
    // No acknowledged record was dropped or changed.
    if (c.expect.keeps > 0) {
      const now = readFileSync(join(store, LOG), 'utf8').split('\n');
      expect(now.slice(0, c.expect.keeps)).toEqual(baseLines.slice(0, c.expect.keeps));
    }
    if (c.expect.write === 0) expect((await run('verify')).status).toBe(0);
  });
});
