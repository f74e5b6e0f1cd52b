// `cnassess report --org`: the portfolio of an organisation's scopes, through the CLI on real files.
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

describe('cnassess report --org', () => {
  it('reports every scope of the org in its latest period, or the one asked, under a name of its own', async () => {
    const dir = tempDir();
    const run = async (...args: string[]) => await cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    for (const [scope, deploy] of [
      ['payments', 'gitops'],
      ['data', 'pipeline'],
      ['mobile', 'manual'],
    ] as const) {
      await run('start', '--org', 'Acme', '--scope', scope, '--period', '2026-Q3');
      await run('answer', '--assessment', `acme/${scope}/2026-q3`, 'app-deploy', deploy);
    }
    await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4', '--from', '2026-Q3');
    await run('start', '--org', 'Globex', '--period', '2026-Q4');

    const latest = await run('report', '--org', 'acme');
    expect(latest.code).toBe(0);
    expect(latest.stderr).toMatch(/^wrote cnassess-portfolio-acme-2026-q4\.html \(portfolio of Acme in 2026-Q4: 1 scope\)/);
    const q3 = await run('report', '--org', 'Acme', '--period', '2026-q3', '--format', 'md', '-o', '-');
    expect(q3.stdout).toMatch(/3 scopes of Acme were assessed in 2026-Q3/);
    expect(q3.stdout).toMatch(/\| payments \(unfinished\) \| 4 · Improve \|/);
    const json = JSON.parse((await run('report', '--org', 'Acme', '--period', '2026-Q3', '--format', 'json', '-o', '-')).stdout) as {
      heatmap: { rows: { scope: string }[] };
    };
    expect(json.heatmap.rows.map((r) => r.scope)).toEqual(['payments', 'data', 'mobile']);
    expect(readFileSync(join(dir, 'cnassess-portfolio-acme-2026-q4.html'), 'utf8')).toContain('Content-Security-Policy');
  });

  it('says so when its default file replaces one that was not the same report, and not when it was', async () => {
    const dir = tempDir();
    const run = async (...args: string[]) => await cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4');
    writeFileSync(join(dir, 'cnassess-report-acme-payments-2026-q4.html'), 'my notes, not a report');
    expect((await run('report')).stderr).toMatch(
      /note: replaced cnassess-report-acme-payments-2026-q4\.html, which was not a report of acme\/payments\/2026-q4/,
    );
    expect((await run('report')).stderr).not.toMatch(/note: replaced/);
    for (const format of ['md', 'json', 'csv']) {
      await run('report', '--format', format);
      expect((await run('report', '--format', format)).stderr, format).not.toMatch(/note: replaced/);
    }
    // Another assessment whose id holds this one's is another report.
    writeFileSync(join(dir, 'other.md'), 'Assessment big-acme/payments/2026-q4, open.');
    expect((await run('report', '--format', 'md', '-o', 'other.md')).stderr).toMatch(/note: replaced other\.md/);
    writeFileSync(join(dir, 'cnassess-portfolio-acme-2026-q4.html'), 'a report of acme/payments/2026-q4 is not the portfolio');
    expect((await run('report', '--org', 'Acme')).stderr).toMatch(/note: replaced .*which was not the portfolio acme\/2026-q4/);
    expect((await run('report', '--org', 'Acme')).stderr).not.toMatch(/note: replaced/);
  });

  it('never follows a symbolic link or opens a FIFO planted at a default file name (git commits symlinks)', async () => {
    const dir = tempDir();
    const run = async (...args: string[]) => await cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4');
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'cnassess-report-acme-payments-2026-q4.html'));
    const report = await run('report');
    expect([report.code, report.stderr]).toEqual([
      2,
      expect.stringMatching(/not written: it is a symbolic link, .* name the output with -o/),
    ]);
    mkfifo(join(dir, 'cnassess-portfolio-acme-2026-q4.html'));
    const portfolio = await run('report', '--org', 'Acme');
    expect([portfolio.code, portfolio.stderr]).toEqual([2, expect.stringMatching(/not written: it is not a regular file/)]);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    // Named with -o, a link is the user's choice, and is written through, as the README says.
    expect((await run('report', '-o', 'cnassess-report-acme-payments-2026-q4.html')).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses what it cannot do with one clear line: an unknown org or period, an id with --org, csv', async () => {
    const dir = tempDir();
    const run = async (...args: string[]) => await cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const org = await run('report', '--org', 'Acme Corp');
    expect([org.code, org.stderr]).toEqual([2, expect.stringMatching(/no assessment of "Acme Corp" in this store \(orgs: Acme\)/)]);
    const period = await run('report', '--org', 'Acme', '--period', '2025-Q1');
    expect([period.code, period.stderr]).toEqual([2, expect.stringMatching(/Acme has no assessment in 2025-Q1 \(periods: 2026-Q4\)/)]);
    expect((await run('report', 'acme/all/2026-q4', '--org', 'Acme')).code).toBe(2);
    expect((await run('report', '--org', 'Acme', '--format', 'csv')).stderr).toMatch(/csv is the roadmap of one assessment/);
    expect((await run('report', '--period', '2026-Q4')).stderr).toMatch(/--period goes with --org/);
  });
});
