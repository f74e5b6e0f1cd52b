// One store whose every free text is hostile — org, scope, respondents, notes — and every output cnassess writes from
// it, through the CLI: terminal text, Markdown, HTML and JSON of every command. Each format's promise is checked on
// all of them at once: no raw control or bidi character reaches a terminal or a page, no markup escapes its format.

import { join } from 'node:path';
import { parse } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

const ORG = '<script>alert(1)</script>\u202eAcme';
const SCOPE = '| cell `x` # [a](javascript:x) {{constructor}}';
const WHO = '</title><b>x\u2066 *bold*';
const NOTE =
  '<img src=x onerror=alert(1)> | pipe \u202e [x](javascript:alert(1)) https://ok.example/a "q" \u0007bell \u001b[31mred\n# heading';

// What no output may carry raw: C0 and C1 controls but tab and line feed, and the bidi overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let run: (...args: string[]) => ReturnType<typeof cnassess>;

beforeAll(async () => {
  const store = join(tempDir(), 'store');
  run = async (...args: string[]) => await cnassess(['--store', store, ...args], { env: { CNASSESS_RESPONDENT: WHO } });
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  };
  await ok('start', '--org', ORG, '--scope', SCOPE, '--period', '2026-Q3');
  for (const [q, a] of [
    ['obs-metrics', 'golden'],
    ['app-deploy', 'pipeline'],
    ['orch-workloads', 'most'],
  ] as const)
    await ok('answer', q, a, '--note', NOTE);
  await ok('target', 'observability', '4');
  await ok('complete');
  await ok('start', '--org', ORG, '--scope', SCOPE, '--period', '2026-Q4', '--from', '2026-Q3');
  await ok('answer', 'obs-metrics', 'platform', '--note', NOTE);
  await ok('answer', 'app-deploy', 'gitops', '--note', NOTE);
  await ok('step', 'obs-define-slos', 'in-progress', '--owner', `=${WHO}`, '--note', NOTE);
}, 60_000);

async function output(...args: string[]): Promise<string> {
  const r = await run(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stderr).not.toMatch(RAW_CONTROL);
  return r.stdout;
}

describe('hostile text in every output', () => {
  it.each([['list'], ['score'], ['history'], ['trend'], ['diff'], ['rubric', 'show'], ['export']])(
    'terminal text of `%s` carries no raw control or bidi character',
    async (...args) => {
      const text = await output(...args);
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toMatch(RAW_CONTROL);
    },
  );

  it('shows the hostile names as text in the terminal, with the controls replaced', async () => {
    const history = (await output('history')).replace(/\s+/g, ' ');
    expect(history).toContain('</title><b>x\ufffd *bold*');
    expect(history).toContain('\ufffdbell \ufffd[31mred');
  });

  it.each([
    ['report', '--format', 'html', '-o', '-'],
    ['diff', '--format', 'html'],
  ])('HTML of `%s %s %s` has the CSP, no markup from the data, and no raw control', async (...args) => {
    const html = await output(...args);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).not.toMatch(/<script|<img|<b>|onerror=|href="javascript/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\ufffdAcme');
    expect(html).toContain('<a href="https://ok.example/a"');
  });

  it('HTML of the portfolio has the CSP, no markup from the data, and no raw control', async () => {
    const html = await output('report', '--org', ORG, '--format', 'html', '-o', '-');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).not.toMatch(/<script|<img|<b>|onerror=|href="javascript/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\ufffdAcme');
  });

  it.each([
    ['report', '--format', 'md', '-o', '-'],
    ['diff', '--format', 'md'],
    ['report', '--org', ORG, '--format', 'md', '-o', '-'],
  ])('Markdown of `%s %s %s` keeps every table row whole and lets no markup or link through', async (...args) => {
    const md = await output(...args);
    expect(md).not.toMatch(RAW_CONTROL);
    expect(md).not.toMatch(/<script|<img|<b>|(?<!\\)\]\(javascript/i);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\ufffdAcme');
    // A table row has as many unescaped pipes as its table's header row.
    let columns = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const pipes = line.replace(/\\\|/g, '').split('|').length;
      if (columns === 0) columns = pipes;
      expect(pipes, line).toBe(columns);
    }
    expect(
      md
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .every((l) => !l.includes('# heading')),
    ).toBe(true);
  });

  it.each([
    ['list', '--json'],
    ['score', '--json'],
    ['history', '--json'],
    ['trend', '--json'],
    ['diff', '--json'],
    ['report', '--format', 'json', '-o', '-'],
    ['report', '--org', ORG, '--format', 'json', '-o', '-'],
  ])('JSON of `%s %s` is data: the hostile text comes back exactly as given', async (...args) => {
    const json = await output(...args);
    const text = JSON.stringify(JSON.parse(json));
    expect(text).toContain(JSON.stringify(ORG).slice(1, -1));
  });

  it('writes the roadmap as CSV with every row whole, no formula and no raw control', async () => {
    const csv = await output('report', '--format', 'csv', '-o', '-');
    // CRLF ends its records, as RFC 4180 says; nothing else of the controls may be there.
    expect(csv.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL);
    const rows: string[][] = parseCsv(csv);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row).toHaveLength(rows[0]?.length ?? 0);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const step = rows.find((r) => r.includes('obs-define-slos'));
    expect(step).toContain(`'=</title><b>x\ufffd *bold*`);
  });

  it('exports YAML that reads back to the same hostile note', async () => {
    const exported = parse(await output('export')) as { answers: Record<string, { note?: string }> };
    expect(exported.answers['obs-metrics']?.note).toBe(NOTE);
  });
});
