// Replaying the log: old event shapes, and assessments as they stood on a date or at a seq number.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

interface ScoreJson {
  lastSeq: number;
  overall: { answered: number };
  aspects: { id: string; level: number | null; answered: number; notApplicable: number }[];
}
const scoreOf = async (store: string, ...args: string[]) => {
  const r = await cnassess(['--store', store, 'score', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ScoreJson;
};

describe('replay', () => {
  it('upcasts a fixture log written with the older AnswerRecorded shape and scores it', async () => {
    // A copy: opening a store may write (recovery), and the fixture must stay as committed.
    const store = join(tempDir(), 'store');
    cpSync(join(ROOT, 'test/fixtures/logs/answer-recorded-v1'), store, { recursive: true });
    expect((await cnassess(['--store', store, 'verify'])).code).toBe(0);

    const history = JSON.parse((await cnassess(['--store', store, 'history', '--json'])).stdout) as {
      events: { type: string; data: { answer?: unknown; respondent?: string } }[];
    };
    const answers = history.events.filter((e) => e.type === 'AnswerRecorded').map((e) => [e.data.respondent, e.data.answer]);
    expect(answers).toEqual([
      ['alice', ['most']],
      ['alice', ['health-checks', 'resources']],
      ['bob', 'n/a'],
      ['carol', ['fleet']],
    ]);
    const orch = (await scoreOf(store)).aspects.find((a) => a.id === 'orchestration')!;
    expect(orch.answered).toBe(2);
    expect(orch.notApplicable).toBe(1);
  });

  it('shows an assessment exactly as it stood at a seq number or on a date', async () => {
    const store = join(tempDir(), 'store');
    cpSync(join(ROOT, 'test/fixtures/logs/answer-recorded-v1'), store, { recursive: true });
    expect((await scoreOf(store, '--as-of', '3')).overall.answered).toBe(1);
    expect((await scoreOf(store, '--as-of', '3')).lastSeq).toBe(3);
    // Carol's answer came on 2026-07-03: on the 2nd, orch-scheduling was alice's "most" (level 3) alone.
    const onSecond = await scoreOf(store, '--as-of', '2026-07-02');
    const now = await scoreOf(store);
    expect(onSecond.lastSeq).toBe(5);
    expect(now.lastSeq).toBe(6);
    expect((await cnassess(['--store', store, 'score', '--as-of', 'last tuesday'])).code).toBe(2);
  });
});
