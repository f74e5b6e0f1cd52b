// Input files that are not files, output that cannot be written, times without a zone, and names that lose
// information in a slug: each through the built CLI, as a real process.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/store/eventStore.js';
import { encodeRecord } from '../../src/store/record.js';
import { BIN, cnassess, cnassessProcess, tempDir } from '../support/cli.js';

const noTrace = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |internal error/);

describe('input files that are not regular files', () => {
  it.each([
    ['import', '/dev/zero', ['import', '/dev/zero'], 2],
    ['rubric validate', '/dev/urandom', ['rubric', 'validate', '/dev/urandom'], 1],
    ['start --rubric', '/dev/zero', ['start', '--org', 'Acme', '--period', '2026-Q4', '--rubric', '/dev/zero'], 2],
  ])('%s %s is refused at once, before a byte is read', async (_, path, args, code) => {
    const r = await cnassess(['--store', join(tempDir(), 'store'), ...args]);
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`^(cnassess: )?${path}(:1:1)?: cannot read: it is a device, not a regular file$`, 'm'));
    noTrace(r);
  });

  it('refuses a FIFO as an answers file or a template without waiting for a writer', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'answers.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await cnassess(['--store', join(dir, 'store'), 'import', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a FIFO (named pipe), not a regular file');

    mkdirSync(join(dir, 'templates'));
    expect(spawnSync('mkfifo', [join(dir, 'templates', 'report.hbs')]).status).toBe(0);
    const t = await cnassess(['--store', join(dir, 'store'), 'report', '--template', join(dir, 'templates')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('report.hbs: cannot read: it is a FIFO (named pipe), not a regular file');
  });
});

describe('output that cannot be written', () => {
  it('reports a full disk on stdout in one line with exit 2', async () => {
    const store = join(tempDir(), 'store');
    await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4']);
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, '--store', store, 'rubric', 'show', '--json'], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('cnassess: cannot write the output: disk full (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
  });

  it('ends quietly with exit 0 when the reader of its output goes away (| head)', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" rubric show | head -c 10 >/dev/null`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('--as-of with a time', () => {
  it('requires a time zone, so the same log replays to the same point everywhere', async () => {
    const store = join(tempDir(), 'store');
    await cnassess(['--store', store, 'start', '--org', 'Acme', '--period', '2026-Q4']);
    const bare = await cnassess(['--store', store, 'score', '--as-of', '2026-10-01T12:00:00']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/has no time zone: add Z for UTC or an offset such as \+02:00/);
    // Same instant, two ways of writing it: the same replay, whatever the machine's zone.
    // Processes of their own: a time zone is the process's, not a command's.
    const utc = cnassessProcess(['--store', store, 'score', '--json', '--as-of', '2030-01-01T10:00:00Z'], { env: { TZ: 'Asia/Tokyo' } });
    const offset = cnassessProcess(['--store', store, 'score', '--json', '--as-of', '2030-01-01T12:00:00+02:00'], {
      env: { TZ: 'America/New_York' },
    });
    expect(utc.code).toBe(0);
    expect(JSON.parse(offset.stdout)).toEqual(JSON.parse(utc.stdout.replace('2030-01-01T10:00:00Z', '2030-01-01T12:00:00+02:00')));
  });
});

describe('names that a slug cannot tell apart', () => {
  it('gives organisations in other scripts, and emoji, ids of their own', async () => {
    const store = join(tempDir(), 'store');
    const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
    const ids: string[] = [];
    for (const org of ['Яндекс', 'Сбербанк', '日本', '🦄']) {
      const r = await run('start', '--org', org, '--period', '2026-Q4', '--json');
      expect(r.code, r.stderr).toBe(0);
      ids.push((JSON.parse(r.stdout) as { id: string }).id);
    }
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^x-[0-9a-f]{8}\/all\/2026-q4$/);

    const dir = join(store, '..');
    writeFileSync(
      join(dir, 'unicorn.yaml'),
      'assessment: { org: "🦄", period: 2026-Q4 }\nrespondent: alice\nanswers:\n  obs-metrics: golden\n',
    );
    expect((await run('import', join(dir, 'unicorn.yaml'))).code).toBe(0);
    const list = JSON.parse((await run('list', '--json')).stdout) as { id: string; org: string; answered: number }[];
    expect(list.find((a) => a.org === '🦄')?.answered).toBe(1);
    expect(list.find((a) => a.org === '日本')?.answered).toBe(0);
  });

  it('keeps apart names that share their first 40 characters', async () => {
    const store = join(tempDir(), 'store');
    const long = 'Kestrel Freight International Logistics Holdings';
    const a = await cnassess(['--store', store, 'start', '--org', `${long} Europe`, '--period', '2026-Q4', '--json']);
    const b = await cnassess(['--store', store, 'start', '--org', `${long} Asia`, '--period', '2026-Q4', '--json']);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(JSON.parse(a.stdout)).not.toEqual(JSON.parse(b.stdout));
  });

  it('keeps ids written by an older cnassess working, and refuses one that belongs to other names', async () => {
    // An older cnassess named every non-Latin org `x`, and cut names at 40 characters.
    const store = join(tempDir(), 'store');
    mkdirSync(store);
    const rubric = { id: 'cloud-native', version: '2.0.0', digest: 'a'.repeat(64) };
    const started = (seq: number, prev: string, id: string, org: string) =>
      encodeRecord(
        { seq, stream: `assessment/${id}/all/2026-q4`, version: 1, prev },
        {
          id: `e${seq}`,
          type: 'AssessmentStarted',
          schema: 1,
          at: '2026-10-01T10:00:00.000Z',
          actor: 'old',
          data: { org, scope: 'all', period: '2026-Q4', rubric },
        },
      );
    const first = started(1, GENESIS_HASH, 'x', 'Яндекс');
    const second = started(
      2,
      first.slice(-66, -2),
      'kestrel-freight-international-logistics',
      'Kestrel Freight International Logistics Group',
    );
    writeFileSync(join(store, 'events.jsonl'), `${first}\n${second}\n`);

    const run = async (...args: string[]) => await cnassess(['--store', store, ...args]);
    // Found again by its names, at its old id.
    const again = await run('start', '--org', 'Яндекс', '--period', '2026-Q4');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/an assessment of Яндекс \/ all \/ 2026-Q4 already exists \(x\/all\/2026-q4\)/);
    // Another org in another script no longer lands in it.
    expect((await run('start', '--org', 'Сбербанк', '--period', '2026-Q4')).code).toBe(0);
    // A name whose id today is the old, cut id of another org is refused, not merged into it.
    const clash = await run('start', '--org', 'Kestrel Freight International Logistics', '--period', '2026-Q4');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(
      /the id kestrel-freight-international-logistics\/all\/2026-q4 belongs to an assessment of Kestrel Freight International Logistics Group \/ all, not of Kestrel Freight International Logistics \/ all; nothing was recorded/,
    );
    noTrace(clash);
  });
});

describe('events of a type that is a property of every object', () => {
  it.each(['constructor', '__proto__', 'toString'])(
    'reads a record of type "%s" as an unknown event, never as one of ours',
    async (type) => {
      const store = join(tempDir(), 'store');
      mkdirSync(store);
      const line = encodeRecord(
        { seq: 1, stream: 'assessment/acme/all/2026-q4', version: 1, prev: GENESIS_HASH },
        { id: 'e1', type, schema: 1, at: '2026-10-01T10:00:00.000Z', actor: 'x', data: {} },
      );
      writeFileSync(join(store, 'events.jsonl'), `${line}\n`);
      const r = await cnassess(['--store', store, 'list']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown event type "${type}"`);
      noTrace(r);
    },
  );
});
