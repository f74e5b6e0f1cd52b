// `cnassess verify --since REV` with real git: the log committed at a revision must be where the log now begins.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/store/record.js';
import { cnassess, tempDir } from '../support/cli.js';

function repository() {
  const repo = tempDir('cnassess-git-');
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' },
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git('init', '-q');
  const run = async (...args: string[]) => await cnassess(['--store', join(repo, '.cnassess'), ...args]);
  return { repo, git, run, log: join(repo, '.cnassess', 'events.jsonl') };
}

describe('verify --since', () => {
  it('passes when the log was only appended to since the revision, and names the first changed line when not', async () => {
    const { git, run, log } = repository();
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    await run('answer', 'obs-metrics', 'golden');
    git('add', '.cnassess');
    git('commit', '-q', '-m', 'quarter started');
    await run('answer', 'obs-logging', 'central');

    const appended = await run('verify', '--since', 'HEAD');
    expect(appended.code, appended.stderr + appended.stdout).toBe(0);
    expect(appended.stdout).toMatch(/^ok: the log at HEAD \(3 records\) is where the log now begins: since then it was only appended to$/m);

    // A rewritten history, chained anew so that verify alone cannot tell: only the committed log can.
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    let prev = '0'.repeat(64);
    const rewritten = lines.map((r) => {
      const data =
        r.type === 'AnswerRecorded' && (r.data as { question: string }).question === 'obs-metrics'
          ? { ...(r.data as object), answer: ['slo-budget'] }
          : r.data;
      const line = encodeRecord(
        { seq: r.seq as number, stream: r.stream as string, version: r.version as number, prev },
        { id: r.id as string, type: r.type as string, schema: r.schema as number, at: r.at as string, actor: r.actor as string, data },
      );
      prev = line.slice(-66, -2);
      return line;
    });
    writeFileSync(log, `${rewritten.join('\n')}\n`);
    writeFileSync(join(log, '..', 'events.head'), `${JSON.stringify({ seq: lines.length, hash: prev })}\n`);
    expect((await run('verify')).code).toBe(0);
    const changed = await run('verify', '--since', 'HEAD', '--json');
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({ ok: true, since: { ok: false, firstDifferentLine: 3 } });
  });

  it('treats a log that did not exist at the revision as nothing to keep, and refuses what is not a revision', async () => {
    const { git, run, repo } = repository();
    writeFileSync(join(repo, 'README'), 'x');
    git('add', 'README');
    git('commit', '-q', '-m', 'before cnassess');
    await run('start', '--org', 'Acme', '--period', '2026-Q4');
    const r = await run('verify', '--since', 'HEAD');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the log did not exist at HEAD/);
    const unknown = await run('verify', '--since', 'no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/git knows no revision "no-such-branch"/);
    const option = await run('verify', '--since=--output=/tmp/x');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/is not a git revision/);
  });
});
