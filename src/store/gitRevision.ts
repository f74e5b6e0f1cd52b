// `cnassess verify --since REF`: was the log committed at a git revision only ever appended to since? The log at REF
// must be an exact byte prefix of the log now. Reads git through `git` itself (no shell; the revision is an argument).

import { spawn, spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export interface RevisionComparison {
  readonly ok: boolean;
  readonly revision: string;
  /** Records (lines) in the log at the revision; 0 when the log did not exist there. */
  readonly linesThen: number;
  /** The first line that differs, when the log at the revision is not a prefix of the log now. */
  readonly firstDifferentLine?: number;
  readonly text: string;
}

export async function comparedWithRevision(storeDir: string, revision: string): Promise<RevisionComparison> {
  // A revision that starts with "-" would be read by git as an option.
  if (revision === '' || revision.startsWith('-') || /[\u0000-\u001f]/.test(revision)) {
    throw new UsageError(
      `--since "${revision.replace(/[\u0000-\u001f]/g, '?')}" is not a git revision (for example: HEAD~3, main, v1.2, a commit hash)`,
    );
  }
  const git = (args: readonly string[]) =>
    spawnSync('git', ['-C', storeDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  if (commit.error !== undefined) throw new UsageError(`--since needs git, which could not be run: ${commit.error.message}`);
  if (commit.status !== 0) {
    const inRepo = git(['rev-parse', '--is-inside-work-tree']).status === 0;
    throw new UsageError(
      inRepo ? `--since: git knows no revision "${revision}"` : `--since: the store ${storeDir} is not inside a git repository`,
    );
  }
  const spec = `${commit.stdout.trim()}:./events.jsonl`;
  if (git(['cat-file', '-e', spec]).status !== 0) {
    return { ok: true, revision, linesThen: 0, text: `the log did not exist at ${revision}: there is nothing it must still begin with` };
  }
  return comparePrefix(storeDir, spec, revision);
}

/** Streams `git show SPEC` against the log now, byte by byte, never holding either whole. */
async function comparePrefix(storeDir: string, spec: string, revision: string): Promise<RevisionComparison> {
  // Opened before git starts: once git exits, Node resumes (and so discards) any of its output that no reader is
  // consuming yet, so nothing may be awaited between the spawn and the loop that reads its output.
  const log = await open(join(storeDir, 'events.jsonl'), 'r').catch(() => undefined);
  const child = spawn('git', ['-C', storeDir, 'show', spec], { stdio: ['ignore', 'pipe', 'ignore'] });
  // Listened for from the start: git may exit before the last chunk of its output is read.
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let offset = 0;
  let lines = 0; // complete lines of the old log compared so far
  let differs = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      if (differs) continue; // drain, so git can exit
      const now = Buffer.alloc(chunk.length);
      const { bytesRead } = log ? await log.read(now, 0, chunk.length, offset) : { bytesRead: 0 };
      for (let i = 0; i < chunk.length; i++) {
        if (i >= bytesRead || chunk[i] !== now[i]) {
          differs = true;
          break;
        }
        if (chunk[i] === 0x0a) lines++;
      }
      offset += chunk.length;
    }
  } finally {
    await log?.close();
  }
  const code = await closed;
  if (code !== 0) throw new UsageError(`--since: git could not show the log at ${revision}`);
  if (differs) {
    return {
      ok: false,
      revision,
      linesThen: lines,
      firstDifferentLine: lines + 1,
      text: `line ${lines + 1} of the log differs from the log committed at ${revision}: history that was committed was changed, not only appended to`,
    };
  }
  return {
    ok: true,
    revision,
    linesThen: lines,
    text: `the log at ${revision} (${lines} records) is where the log now begins: since then it was only appended to`,
  };
}
