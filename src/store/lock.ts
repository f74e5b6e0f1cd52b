// The cross-process writer lock: a file created exclusively ('wx') in the store folder, naming who holds it.
// A plain file rather than an OS lock because Node has no flock(); the price is that a crashed writer's lock
// outlives it, so a lock whose process is gone (on this host) or that is older than `staleMs` is broken.

import { randomUUID } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreWriteError } from '../errors.js';

export interface LockOptions {
  /** A lock older than this belongs to a writer that died or hung; an append holds it for milliseconds. Default 30 s. */
  readonly staleMs: number;
  /** How long to wait for another writer before giving up with StoreWriteError. Default 10 s. */
  readonly waitMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { staleMs: 30_000, waitMs: 10_000 };

/** What a lock file holds. `token` makes every acquisition distinguishable, even by the same process. */
interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly time: string;
  readonly token: string;
}

/** A lock file as seen at one moment. */
interface SeenLock {
  readonly text: string;
  readonly holder: LockHolder | undefined;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Runs `work` while holding the lock at `path`; the lock is released however `work` ends. */
export async function withWriterLock<T>(
  path: string,
  options: LockOptions,
  work: (lock: WriterLock) => Promise<T>,
): Promise<T> {
  const lock = await WriterLock.acquire(path, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

export class WriterLock {
  private constructor(
    readonly path: string,
    private readonly content: string,
    private readonly options: LockOptions,
  ) {}

  static async acquire(path: string, options: LockOptions): Promise<WriterLock> {
    const deadline = Date.now() + options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const holder: LockHolder = { pid: process.pid, hostname: hostname(), time: new Date().toISOString(), token: randomUUID() };
      const content = `${JSON.stringify(holder)}\n`;
      if (await tryCreate(path, content)) return new WriterLock(path, content, options);
      const seen = await look(path);
      if (seen === undefined) continue; // released between our attempt and our look
      if (isStale(seen, options.staleMs)) {
        await breakStale(path, seen);
        continue;
      }
      if (Date.now() >= deadline) throw new StoreWriteError(busyMessage(path, seen.holder));
      // Randomized so that writers queued behind the same holder do not retry in lockstep.
      await sleep(Math.min(100, 2 ** attempt) * (0.5 + Math.random()));
    }
  }

  /**
   * Throws when the lock is no longer ours: this process stalled for longer than `staleMs` and another writer broke
   * the lock. Called right before writing, so a writer that lost the lock writes nothing.
   */
  async assertHeld(): Promise<void> {
    const seen = await look(this.path);
    if (seen?.text !== this.content) {
      throw new StoreWriteError(
        `this command lost the writer lock ${this.path}: it stalled for longer than ${this.options.staleMs / 1000} s ` +
          'and another writer took over. Nothing was recorded; run it again.',
      );
    }
  }

  async release(): Promise<void> {
    try {
      const seen = await look(this.path);
      if (seen?.text === this.content) await unlink(this.path);
    } catch {
      // Not rethrown: the work under the lock is already done, and a lock left behind names this process, so the
      // next writer breaks it as soon as this process has exited.
    }
  }
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw new StoreWriteError(`${describeIoError(err)} while creating the lock file ${path}; nothing was recorded`);
  }
  try {
    await handle.writeFile(content);
  } catch (err) {
    await handle.close();
    await unlink(path).catch(() => undefined); // an empty lock would block other writers until it goes stale
    throw new StoreWriteError(`${describeIoError(err)} while writing the lock file ${path}; nothing was recorded`);
  }
  await handle.close();
  return true;
}

async function look(path: string): Promise<SeenLock | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw new StoreWriteError(`${describeIoError(err)} while reading the lock file ${path}; nothing was recorded`);
  }
  try {
    const stats = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, holder: parseHolder(text), mtimeMs: stats.mtimeMs, ino: stats.ino };
  } finally {
    await handle.close();
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    // A pid of 0 or below would make process.kill() signal a whole process group.
    if (!Number.isSafeInteger(value?.pid) || (value?.pid ?? 0) <= 0) return undefined;
    if (typeof value?.hostname !== 'string' || typeof value.time !== 'string') return undefined;
    return value as LockHolder;
  } catch {
    return undefined; // being written, or not ours: judged by its age alone
  }
}

/**
 * A lock's creator writes who it is right after creating the file, so a lock that still does not say so after
 * UNREADABLE_LOCK_MS belongs to a writer that died in between. (Were that writer merely slow, assertHeld() stops it.)
 */
const UNREADABLE_LOCK_MS = 1000;

function isStale(seen: SeenLock, staleMs: number): boolean {
  const { holder } = seen;
  if (holder === undefined) return Date.now() - seen.mtimeMs > Math.min(staleMs, UNREADABLE_LOCK_MS);
  if (holder.hostname === hostname() && !isAlive(holder.pid)) return true;
  return Date.now() - seen.mtimeMs > staleMs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) !== 'ESRCH'; // EPERM: alive, but another user's
  }
}

/**
 * Removes a stale lock by renaming it to a name of our own first: of several processes breaking the same lock at
 * once, only one rename succeeds, and whoever loses simply tries to acquire again.
 */
async function breakStale(path: string, seen: SeenLock): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw new StoreWriteError(`${describeIoError(err)} while removing the stale lock ${path}; nothing was recorded`);
  }
  const taken = await look(aside);
  if (taken !== undefined && (taken.text !== seen.text || taken.ino !== seen.ino || taken.mtimeMs !== seen.mtimeMs)) {
    // Between our look and our rename another process broke the stale lock and took the lock itself: give it back.
    // link() never overwrites; if yet another writer has the name by now, the displaced one finds out in
    // assertHeld() before it writes.
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function busyMessage(path: string, holder: LockHolder | undefined): string {
  const who = holder === undefined ? 'another process' : `process ${holder.pid} on ${holder.hostname} since ${holder.time}`;
  return (
    `the event store is locked by ${who} (${path}); nothing was recorded. ` +
    'If no cnassess command is running, delete that file and try again.'
  );
}

const IO_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'file too large',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
};

/** "disk full (ENOSPC)" for a Node I/O error; its message for anything else. */
export function describeIoError(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && IO_ERRORS[code] !== undefined) return `${IO_ERRORS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
