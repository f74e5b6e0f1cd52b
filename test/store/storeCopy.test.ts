// `store copy` between folders: what it refuses, and a source it cannot copy faithfully (the PostgreSQL side is in
// postgresStore.test.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/store/eventStore.js';
import { cnassess, tempDir } from '../support/cli.js';
import { answer } from './contract.js';

describe('store copy', () => {
  it('copies a folder to a folder byte for byte, and refuses a copy onto itself', async () => {
    const dir = tempDir();
    expect((await cnassess(['demo'], { cwd: dir })).code).toBe(0);
    const copied = await cnassess(['store', 'copy', '.cnassess', 'backup'], { cwd: dir });
    expect(copied.code, copied.stderr).toBe(0);
    // Compared as latin1 text, one character per byte: toEqual on two Buffers walks every index as an object key.
    expect(readFileSync(join(dir, 'backup', 'events.jsonl'), 'latin1')).toBe(
      readFileSync(join(dir, '.cnassess', 'events.jsonl'), 'latin1'),
    );
    const self = await cnassess(['store', 'copy', '.cnassess', './.cnassess/'], { cwd: dir });
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/the source and the target are the same store/);
  });

  it('waits for another writer as every command does: CNASSESS_LOCK_WAIT is read, and a bad one refused (found in review)', async () => {
    const dir = tempDir();
    const r = await cnassess(['store', 'copy', join(dir, 'a'), join(dir, 'b')], { env: { CNASSESS_LOCK_WAIT: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CNASSESS_LOCK_WAIT="soon" is not a number of seconds/);
  });

  it('refuses to call a copy done when a source record is not in the form cnassess writes (its hash would differ)', async () => {
    const dir = tempDir();
    const source = join(dir, 'hand');
    mkdirSync(source);
    // A record written by hand with a space after a comma: its hash covers its own text, so it verifies; re-encoded it
    // would be another line with another hash.
    const event = answer('hand-1');
    const body = `{"seq":1,"stream":"s", "version":1,"id":"${event.id}","type":"${event.type}","schema":1,"at":"${event.at}","actor":"${event.actor}","data":${JSON.stringify(event.data)},"prev":"${GENESIS_HASH}"}`;
    const { createHash } = await import('node:crypto');
    writeFileSync(join(source, 'events.jsonl'), `${body.slice(0, -1)},"hash":"${createHash('sha256').update(body).digest('hex')}"}\n`);
    expect((await cnassess(['--store', source, 'verify'])).code).toBe(0);
    const r = await cnassess(['store', 'copy', source, join(dir, 'copy')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not end where its source does .* a record of the source is not in the form cnassess writes/);
  });
});
