// The merge of two branches' logs, on logs built record by record: what is kept, how it is renumbered, and what is
// refused even when the edited side's own chain is intact.
import { refusalOf } from '../support/refusal.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';
import type { NewEvent } from '../../src/store/eventStore.js';
import { MergeRefused, mergeLogs } from '../../src/store/mergeLog.js';
import { ChainState, checkLines, encodeRecord, parseRecord } from '../../src/store/record.js';

const event = (id: string, data: unknown = { n: id }): NewEvent => ({
  id,
  type: 'TargetSet',
  schema: 1,
  at: '2026-11-20T10:00:00.000Z',
  actor: 'a',
  data,
});

/** A log of writes, each a list of events of one stream, chained as the file store chains them. */
function log(...writes: (readonly [string, readonly NewEvent[]])[]): Buffer {
  const chain = new ChainState();
  const lines: string[] = [];
  for (const [stream, events] of writes)
    for (const [i, e] of events.entries()) {
      const line = encodeRecord(
        {
          seq: chain.lastSeq + 1,
          stream,
          version: (chain.versions.get(stream) ?? 0) + 1,
          more: events.length - 1 - i,
          prev: chain.lastHash,
        },
        e,
      );
      const record = parseRecord(line);
      if (!('hash' in record)) throw new Error('bad record');
      chain.advance(record);
      lines.push(line, '\n');
    }
  return Buffer.from(lines.join(''));
}

const refusal = (f: () => unknown): string => refusalOf(MergeRefused, f);

describe('mergeLogs', () => {
  const shared: readonly [string, readonly NewEvent[]] = ['s', [event('e1'), event('e2')]];

  it('keeps ours byte for byte and appends their new writes whole, re-chained, leaving out what ours has', () => {
    const base = log(shared);
    const ours = log(shared, ['s', [event('o1')]]);
    const theirs = log(shared, ['t', [event('t1'), event('o1'), event('t2')]]);
    const merged = mergeLogs(base, ours, theirs);
    expect(merged.text.subarray(0, ours.length).equals(ours)).toBe(true);
    expect(merged.alreadyOurs).toBe(1);
    expect(merged.added.map((r) => [r.id, r.seq, r.stream, r.version, r.more ?? 0])).toEqual([
      ['t1', 4, 't', 1, 1],
      ['t2', 5, 't', 2, 0],
    ]);
    const chain = new ChainState();
    const checked = checkLines(merged.text, merged.text.length, chain);
    expect(checked.problem).toBeUndefined();
    expect(chain.open).toBe(0);
  });

  it('refuses an edit of a shared event even when the editing side re-chained its log', () => {
    const base = log(shared);
    const ours = log(shared, ['s', [event('o1')]]);
    const theirs = log(['s', [event('e1'), event('e2', { n: 'edited' })]], ['t', [event('t1')]]);
    expect(refusal(() => mergeLogs(base, ours, theirs))).toMatch(/^theirs changed event e2 \(seq 2 of the common ancestor\)/);
    expect(refusal(() => mergeLogs(base, log(['s', [event('e1')]]), theirs))).toMatch(/^ours lacks event e2/);
  });

  it('refuses a log with CRLF line ends or an unfinished write', () => {
    const base = log(shared);
    expect(refusal(() => mergeLogs(base, Buffer.from(log(shared).toString().replace(/\n/g, '\r\n')), base))).toMatch(/CRLF/);
    const unfinished = Buffer.from(
      log(shared, ['t', [event('t1'), event('t2')]])
        .toString()
        .split('\n')
        .slice(0, 3)
        .join('\n') + '\n',
    );
    expect(refusal(() => mergeLogs(base, base, unfinished))).toMatch(/unfinished write/);
  });
});

describe('a log with two starts of one assessment', () => {
  it('fails verify, naming the second start, and is read by no view', async () => {
    const start = (id: string): NewEvent => ({
      id,
      type: 'AssessmentStarted',
      schema: 1,
      at: '2026-11-20T10:00:00.000Z',
      actor: 'a',
      data: { org: 'Acme', scope: 'all', period: '2026-Q4', rubric: { id: 'cloud-native', version: '2.0.0', digest: 'a'.repeat(64) } },
    });
    const store = join(tempDir(), 'store');
    mkdirSync(store);
    writeFileSync(
      join(store, 'events.jsonl'),
      log(['assessment/acme/all/2026-q4', [start('s1')]], ['assessment/acme/all/2026-q4', [start('s2')]]),
    );
    const verify = await cnassess(['--store', store, 'verify']);
    expect(verify.code).toBe(1);
    expect(`${verify.stdout}${verify.stderr}`).toMatch(
      /AssessmentStarted is event 2 of assessment\/acme\/all\/2026-q4: the assessment was started twice/,
    );
    expect((await cnassess(['--store', store, 'list'])).code).toBe(2);
  });
});
