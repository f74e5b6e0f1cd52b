// The file log kept in git: two branches both answer, and `git merge` runs cnassess's merge driver (a real git, the
// built binary as the driver): no conflict, the merged log verifies, every answer of both sides is there.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../support/cli.js';

const git = (dir: string, ...args: string[]) => {
  const r = spawnSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const ids = (dir: string) =>
  readFileSync(join(dir, '.cnassess', 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .sort();

async function twoBranches() {
  const dir = tempDir();
  const as = async (who: string, ...args: string[]) => await cnassess(args, { cwd: dir, env: { CNASSESS_RESPONDENT: who } });
  expect(git(dir, 'init', '-q', '-b', 'main').code).toBe(0);
  await as('lead', 'start', '--org', 'Acme', '--period', '2026-Q4', '--respondents', 'alice,bob');
  await as('alice', 'answer', 'app-deploy', 'pipeline');
  const setup = await as('lead', 'git-setup');
  expect(setup.code, setup.stderr).toBe(0);
  expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe(
    '.cnassess/events.jsonl merge=cnassess -text\n.cnassess/events.head merge=cnassess-head\n',
  );
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'started');
  git(dir, 'checkout', '-qb', 'bob');
  await as('bob', 'answer', 'app-deploy', 'gitops', '--note', 'Argo CD');
  await as('bob', 'import', '--help'); // no write: a branch may also carry commits that touch nothing
  await as('bob', 'answer', 'obs-metrics', 'golden');
  git(dir, 'commit', '-qam', 'bob answers');
  git(dir, 'checkout', '-q', 'main');
  await as('alice', 'answer', 'obs-metrics', 'platform');
  await as('lead', 'target', 'observability', '4');
  git(dir, 'commit', '-qam', 'alice answers');
  return { dir, as };
}

describe('git merge with the cnassess driver', () => {
  it('merges two branches that both appended: no conflict, the log verifies, every answer of both is there', async () => {
    const { dir, as } = await twoBranches();
    const merge = git(dir, 'merge', '--no-edit', 'bob');
    expect(merge.code, merge.out).toBe(0);
    expect(merge.out).toMatch(/cnassess merge-log: kept ours, appended 2 events of theirs/);
    const verify = await as('lead', 'verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const score = JSON.parse((await as('lead', 'score', '--json')).stdout) as { respondents: { respondent: string; answered: number }[] };
    expect(score.respondents.map((r) => [r.respondent, r.answered])).toEqual([
      ['alice', 2],
      ['bob', 2],
    ]);
    // And the store goes on: the next answer appends after the merged records.
    expect((await as('bob', 'answer', 'rt-network', 'policies-most')).code).toBe(0);
    expect((await as('lead', 'verify')).code).toBe(0);
  });

  it('gives the same events merged either way', async () => {
    const { dir } = await twoBranches();
    const other = tempDir();
    expect(git(other, 'clone', '-q', dir, '.').code).toBe(0);
    const setup = await cnassess(['git-setup'], { cwd: other });
    expect(setup.code).toBe(0);
    git(other, 'checkout', '-q', 'bob');
    const merged = git(other, 'merge', '--no-edit', 'origin/main');
    expect(merged.code, merged.out).toBe(0);
    expect(git(dir, 'merge', '--no-edit', 'bob').code).toBe(0);
    expect(ids(other)).toEqual(ids(dir));
    expect((await cnassess(['verify'], { cwd: other })).code).toBe(0);
    // Nobody changed one respondent's answer on both branches, so the scores agree too.
    const score = async (cwd: string) =>
      (JSON.parse((await cnassess(['score', '--json'], { cwd })).stdout) as { aspects: unknown }).aspects;
    expect(await score(other)).toEqual(await score(dir));
  });

  it('refuses a log whose shared part was changed on one side, leaving ours as it was and git with a conflict', async () => {
    const { dir } = await twoBranches();
    git(dir, 'checkout', '-q', 'bob');
    const log = join(dir, '.cnassess', 'events.jsonl');
    writeFileSync(log, readFileSync(log, 'utf8').replace('"pipeline"', '"gitops"'));
    git(dir, 'commit', '-qam', 'an edit of history');
    git(dir, 'checkout', '-q', 'main');
    const before = readFileSync(log);
    const merge = git(dir, 'merge', '--no-edit', 'bob');
    expect(merge.code).not.toBe(0);
    expect(merge.out).toMatch(/not merged, ours left as it was: theirs: record \d+: the record does not match its hash/);
    expect(merge.out).toMatch(/CONFLICT/);
    expect(readFileSync(log)).toEqual(before);
  });

  it('lets a branch of several commits be rebased onto the other (the shared events are found by id, not position)', async () => {
    const { dir, as } = await twoBranches();
    git(dir, 'checkout', '-q', 'bob');
    await as('bob', 'answer', 'rt-network', 'policies-most');
    git(dir, 'commit', '-qam', 'bob again');
    const rebase = git(dir, 'rebase', 'main');
    expect(rebase.code, rebase.out).toBe(0);
    expect((await as('lead', 'verify')).code).toBe(0);
    const score = JSON.parse((await as('lead', 'score', '--json')).stdout) as { respondents: { respondent: string; answered: number }[] };
    expect(score.respondents.map((r) => [r.respondent, r.answered])).toEqual([
      ['alice', 2],
      ['bob', 3],
    ]);
  });

  it('refuses when both branches started the same assessment, rather than let one start wipe the other’s answers', async () => {
    const dir = tempDir();
    const as = async (who: string, ...args: string[]) => await cnassess(args, { cwd: dir, env: { CNASSESS_RESPONDENT: who } });
    git(dir, 'init', '-q', '-b', 'main');
    await as('lead', 'git-setup');
    await as('lead', 'start', '--org', 'Acme', '--period', '2026-Q3');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'q3');
    git(dir, 'checkout', '-qb', 'other');
    await as('x', 'start', '--org', 'Acme', '--period', '2026-Q4');
    await as('x', 'answer', 'app-deploy', 'gitops');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'q4 here');
    git(dir, 'checkout', '-q', 'main');
    await as('y', 'start', '--org', 'Acme', '--period', '2026-Q4');
    await as('y', 'answer', 'app-build', 'build');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'q4 there');
    const merge = git(dir, 'merge', '--no-edit', 'other');
    expect(merge.code).not.toBe(0);
    expect(merge.out).toMatch(/both branches started acme\/all\/2026-q4; keep one side's log and import the other side's answers/);
  });

  it('sets up a store whose path has a space, as git reads it', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    expect((await cnassess(['--store', 'my store', 'start', '--org', 'Acme', '--period', '2026-Q4'], { cwd: dir })).code).toBe(0);
    const setup = await cnassess(['--store', 'my store', 'git-setup'], { cwd: dir });
    expect(setup.code, setup.stderr).toBe(0);
    expect(git(dir, 'check-attr', 'merge', '--', 'my store/events.jsonl').out).toMatch(/: merge: cnassess$/m);
  });

  it('says what it cannot do with one line: git-setup outside a repository, merge-log with a file missing', async () => {
    const dir = tempDir();
    const setup = await cnassess(['git-setup'], { cwd: dir });
    expect([setup.code, setup.stderr]).toEqual([2, expect.stringMatching(/is not inside a git repository; run git init first/)]);
    writeFileSync(join(dir, 'ours.jsonl'), '');
    const merge = await cnassess(['merge-log', 'base.jsonl', 'ours.jsonl', 'theirs.jsonl'], { cwd: dir });
    expect(merge.code).toBe(1);
    expect(merge.stderr).toMatch(/not merged, ours left as it was: .*base\.jsonl: cannot read: ENOENT/);
    expect(readFileSync(join(dir, 'ours.jsonl'), 'utf8')).toBe('');
  });

  it('says where both branches changed one respondent’s answer to one question, and keeps both', async () => {
    const { dir, as } = await twoBranches();
    git(dir, 'checkout', '-q', 'bob');
    await as('alice', 'answer', 'app-deploy', 'gitops');
    git(dir, 'commit', '-qam', 'alice changed her mind on bob’s branch');
    git(dir, 'checkout', '-q', 'main');
    await as('alice', 'answer', 'app-deploy', 'script-only');
    git(dir, 'commit', '-qam', 'and here');
    const merge = git(dir, 'merge', '--no-edit', 'bob');
    expect(merge.code, merge.out).toBe(0);
    expect(merge.out).toMatch(/both branches changed the answer to app-deploy of alice in acme\/all\/2026-q4; both are kept, theirs last/);
    expect((await as('lead', 'verify')).code).toBe(0);
  });
});
