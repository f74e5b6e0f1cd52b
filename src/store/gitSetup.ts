// `cnassess git-setup`: tells git to merge the file log with `cnassess merge-log` — a `.gitattributes` line for the
// log and its head, and the drivers in the repository's own git config (git never runs a driver a clone brought in).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

export interface GitSetup {
  readonly repository: string;
  readonly attributesAdded: readonly string[];
  readonly driver: string;
}

/** POSIX shell quoting: git runs a merge driver through the shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function setUpGitMerge(storeDir: string): Promise<GitSetup> {
  const from = existsSync(storeDir) ? storeDir : join(storeDir, '..');
  const git = (args: readonly string[]) => spawnSync('git', ['-C', from, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const top = git(['rev-parse', '--show-toplevel']);
  if (top.error !== undefined) throw new UsageError(`git-setup needs git, which could not be run: ${top.error.message}`);
  if (top.status !== 0) throw new UsageError(`the store ${storeDir} is not inside a git repository; run git init first`);
  const repository = top.stdout.trim();
  const inRepo = relative(repository, storeDir).split(sep).join('/');
  if (inRepo.startsWith('..')) throw new UsageError(`the store ${storeDir} is outside the repository ${repository}`);
  // A pattern in .gitattributes ends at whitespace: `?` stands for each whitespace character of the path.
  const prefix = inRepo === '' ? '' : `${inRepo.replace(/\s/g, '?')}/`;
  // The head is kept as ours: the merged log goes on past it, and the next write moves it to the end.
  const wanted = [`${prefix}events.jsonl merge=cnassess -text`, `${prefix}events.head merge=cnassess-head`];
  const attributesFile = join(repository, '.gitattributes');
  const existing = existsSync(attributesFile) ? (await readFile(attributesFile, 'utf8')).split('\n').map((l) => l.trim()) : [];
  const attributesAdded = wanted.filter((line) => !existing.includes(line));
  if (attributesAdded.length > 0) {
    const lead = existing.length > 0 && existing.at(-1) !== '' ? '\n' : '';
    await appendFile(attributesFile, `${lead}${attributesAdded.join('\n')}\n`);
  }
  // git expands %-placeholders in the driver line before the shell sees it: a % of a path is written %%.
  const path = (p: string) => shellQuote(p).replace(/%/g, '%%');
  const driver = `${path(process.execPath)} ${path(join(PACKAGE_ROOT, 'dist', 'bin.js'))} merge-log %O %A %B`;
  for (const [key, value] of [
    ['merge.cnassess.name', 'cnassess event log: keep ours, append theirs re-chained'],
    ['merge.cnassess.driver', driver],
    ['merge.cnassess-head.name', 'cnassess log head: keep ours'],
    ['merge.cnassess-head.driver', 'true'],
  ] as const) {
    const set = git(['config', '--local', key, value]);
    if (set.status !== 0) throw new UsageError(`git config ${key} failed: ${set.stderr.trim()}`);
  }
  // And git reads it as meant: the log's merge attribute is cnassess.
  const check = git(['check-attr', 'merge', '--', join(storeDir, 'events.jsonl')]);
  if (!/: merge: cnassess$/m.test(check.stdout))
    throw new UsageError(
      `git does not read the .gitattributes line for ${storeDir}/events.jsonl (${check.stdout.trim() || check.stderr.trim()}); write it by hand`,
    );
  return { repository, attributesAdded, driver };
}
