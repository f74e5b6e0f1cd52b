// `cnassess report` through the built CLI, on a real store in a temp folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

function workspace() {
  const cwd = tempDir('cnassess-report-');
  const run = async (...args: string[]) => await cnassess(['--store', join(cwd, 'store'), ...args], { cwd });
  return { cwd, run };
}

describe('cnassess report', () => {
  const { cwd, run } = workspace();
  beforeAll(async () => {
    for (const args of [
      ['start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q3'],
      ['answer', '--assessment', 'acme/platform/2026-q3', 'orch-workloads', 'none', '--respondent', 'alice'],
      ['complete', 'acme/platform/2026-q3'],
      ['start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4'],
      ['answer', 'orch-workloads', 'most', '--respondent', 'alice', '--note', 'see https://wiki.example.com/k8s'],
      ['answer', 'orch-workloads', 'none', '--respondent', 'bob'],
      ['answer', 'app-deploy', 'pipeline', '--respondent', 'alice'],
      ['target', 'orchestration', '4'],
    ]) {
      const r = await run(...args);
      if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('writes the latest assessment as HTML to a safe file name in the current folder and says how much is answered', async () => {
    const r = await run('report');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^wrote cnassess-report-acme-platform-2026-q4\.html \(report of acme\/platform\/2026-q4; unfinished: 2 of \d+ applicable questions answered\)\n$/,
    );
    const html = readFileSync(join(cwd, 'cnassess-report-acme-platform-2026-q4.html'), 'utf8');
    expect(html).toContain('Unfinished assessment.');
    expect(html).toContain('Since 2026-Q3');
    expect(html).toContain('href="https://wiki.example.com/k8s"');
  });

  it('writes Markdown or the JSON view model to stdout with -o -', async () => {
    const md = await run('report', '--format', 'md', '-o', '-');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Acme \(platform\) · 2026-Q4\n/);
    const json = await run('report', 'acme/platform/2026-q3', '--format', 'json', '-o', '-');
    expect(JSON.parse(json.stdout)).toMatchObject({ schemaVersion: 1, assessment: { id: 'acme/platform/2026-q3', status: 'completed' } });
  });

  it('replays the log as it stood with --as-of', async () => {
    const now = JSON.parse((await run('report', '--format', 'json', '-o', '-')).stdout) as { progress: { answered: number } };
    const before = JSON.parse((await run('report', 'acme/platform/2026-q4', '--format', 'json', '-o', '-', '--as-of', '5')).stdout) as {
      progress: { answered: number };
      assessment: { asOf: string };
    };
    expect(now.progress.answered).toBe(2);
    expect(before.progress.answered).toBe(0);
    expect(before.assessment.asOf).toBe('5');
  });

  it('writes to the path given with -o', async () => {
    expect((await run('report', '-o', 'out/../leaders.html')).code).toBe(0);
    expect(existsSync(join(cwd, 'leaders.html'))).toBe(true);
  });

  it('writes through a symbolic link given to -o, never replacing the link', async () => {
    writeFileSync(join(cwd, 'target.html'), 'old');
    symlinkSync(join(cwd, 'target.html'), join(cwd, 'link.html'));
    expect((await run('report', '-o', 'link.html')).code).toBe(0);
    expect(lstatSync(join(cwd, 'link.html')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(cwd, 'target.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('writes into a device or a FIFO in place, never replacing it with a file', async () => {
    // A device node of our own where we may make one (as root, as CI runs): the real /dev/null otherwise.
    const device =
      process.getuid?.() === 0 && spawnSync('mknod', [join(cwd, 'null'), 'c', '1', '3']).status === 0 ? join(cwd, 'null') : '/dev/null';
    expect((await run('report', '-o', device)).code).toBe(0);
    expect(statSync(device).isCharacterDevice()).toBe(true);

    expect(spawnSync('mkfifo', [join(cwd, 'pipe')]).status).toBe(0);
    const reader = spawn('cat', [join(cwd, 'pipe')], { stdio: ['ignore', 'pipe', 'ignore'] });
    let received = '';
    reader.stdout.on('data', (d: Buffer) => (received += d.toString('utf8')));
    const done = new Promise((resolve) => reader.on('close', resolve));
    expect((await run('report', '-o', 'pipe')).code).toBe(0);
    await done;
    expect(received).toMatch(/^<!doctype html>/i);
    expect(lstatSync(join(cwd, 'pipe')).isFIFO()).toBe(true);

    const viaStdout = await run('report', '--format', 'md', '-o', '/dev/stdout');
    expect(viaStdout.code).toBe(0);
    expect(viaStdout.stdout).toMatch(/^# Acme \(platform\) · 2026-Q4\n/);
  });

  it('refuses an unknown format, and --template with anything but HTML', async () => {
    const pdf = await run('report', '--format', 'pdf');
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toMatch(/--format "pdf" is not one of html, md, json/);
    const md = await run('report', '--format', 'md', '--template', cwd);
    expect(md.code).toBe(2);
    expect(md.stderr).toMatch(/--template applies to HTML only/);
  });
});

describe('the default file name of a hostile org', () => {
  it('is a slug in the current folder, never a path', async () => {
    const { cwd, run } = workspace();
    expect((await run('start', '--org', '../../<script>x</script>/..', '--period', '2026-Q4')).code).toBe(0);
    const r = await run('report');
    expect(r.code).toBe(0);
    expect(readdirSync(cwd).filter((f) => f.endsWith('.html'))).toEqual(['cnassess-report-script-x-script-all-2026-q4.html']);
  });
});
