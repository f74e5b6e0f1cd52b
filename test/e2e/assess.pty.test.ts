// The interactive questionnaire, driven through the built binary in a real pseudo-terminal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cnassessProcess, inTerminal, KEY, tempDir } from '../support/cli.js';

const answersIn = (store: string) =>
  readFileSync(join(store, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: { question?: string; answer?: unknown } })
    .filter((e) => e.type === 'AnswerRecorded');

/** The prompt as last drawn: from the last time its message was written, colours and cursor moves removed. */
const lastFrame = (output: string, message: string) => output.slice(output.lastIndexOf(message)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('cnassess assess in a terminal', () => {
  it('saves answers as they are given, exits 130 on Ctrl+C, and resumes past them', async () => {
    const store = tempDir();
    const command = `${process.execPath} ${BIN} --store ${store} assess --org Acme --scope platform --period 2026-Q4 --respondent alice`;

    const first = inTerminal(command);
    // The rubric's rules for answering come first, once.
    await first.expect(/How to answer[\s\S]{0,20}What to answer for: /);
    await first.expect(/question 1 of \d+/);
    first.send(KEY.enter); // app-build is multi-choice: "Choose the practices that are true…"
    await first.expect(/space to toggle/);
    // A label longer than the line wraps at a word, its next line under the label's first word, not at the left edge.
    await first.expect(/Publishes one artifact per commit/);
    expect(lastFrame(first.output, 'space to toggle')).toMatch(/ ◯ Publishes one artifact per commit[^\n]*\n {3}\S/);
    // A practice, then "None of these": the practice is unticked on screen, as it happens.
    first.send(KEY.down + KEY.space);
    await first.expect(/◉ Builds every merge/);
    first.send(KEY.up + KEY.space);
    await first.expect(/stands on its own: unticked "Builds every merge/);
    const frame = lastFrame(first.output, 'space to toggle');
    expect(frame).toMatch(/◉ None of these/);
    expect(frame).toMatch(/◯ Builds every merge/);
    expect(frame.match(/◉/g)).toHaveLength(1);
    first.send(KEY.enter);
    await first.expect(/question 2 of \d+/);
    first.send(KEY.down + KEY.enter); // second choice of app-deploy
    await first.expect(/question 3 of \d+/);
    first.send(KEY.ctrlC);
    expect(await first.exited).toBe(130);
    expect(first.output).toMatch(/Interrupted\. Your answers are saved \(2 so far/);

    const saved = answersIn(store);
    expect(saved.map((e) => [e.data.question, e.data.answer])).toEqual([
      ['app-build', ['none']],
      ['app-deploy', ['script-only']],
    ]);

    const second = inTerminal(command);
    await second.expect(/How to answer: `cnassess rubric show`/);
    await second.expect(/Resuming at question 3/);
    await second.expect(/question 3 of \d+/);
    expect(second.output).not.toMatch(/question 1 of/);
    second.send(KEY.ctrlC);
    expect(await second.exited).toBe(130);
    expect(answersIn(store)).toHaveLength(2);
  });

  it('refuses to wait for input when stdin is not a terminal, and says what to use instead', () => {
    const store = tempDir();
    const r = cnassessProcess(['--store', store, 'assess', '--org', 'Acme', '--period', '2026-Q4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not one/);
    expect(r.stderr).toMatch(/cnassess import/);
  });
});
