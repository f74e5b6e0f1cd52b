// The cross-process writer lock: a file in the store folder that names who holds it. It is created with its content
// in one step — written to a private file first, then hard-linked into place, and link() never replaces — so nobody
// ever sees a lock that does not say who holds it.
//
// A plain file rather than an OS lock because Node has no flock(). The price is that a crashed writer's lock outlives
// it, so a lock is broken when its holder is provably gone: a process on this host that no longer exists, a pid that
// now belongs to a later process, or a host that has rebooted since. A live holder is never broken, however long it
// has held the lock: a writer paused in the middle of its write (Ctrl+Z, a suspended laptop, a paused VM) resumes
// and finishes that write, and a second writer breaking in would fork the log. A holder on another host cannot be
// checked from here; writers waiting for it give up, naming it.

import { randomUUID } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { link, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreWriteError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for another writer before giving up with StoreWriteError. Default 10 s. */
  readonly waitMs: number;
  /** What the holder is doing, shown to a writer that waits for it (e.g. "cnassess answer app-build image"). */
  readonly command: string;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { waitMs: 10_000, command: 'cnassess' };

/** What a lock file holds. `token` makes every acquisition distinguishable, even by the same process. */
interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly time: string;
  readonly token: string;
  readonly command?: string;
  /** The kernel's boot id (Linux): a lock from before a reboot belongs to nobody. */
  readonly boot?: string;
  /** When the holder process started, in clock ticks since boot (Linux): tells a reused pid from the holder. */
  readonly start?: string;
}

/** A lock file as seen at one moment. */
interface SeenLock {
  readonly text: string;
  readonly holder: LockHolder | undefined;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Runs `work` while holding the lock at `path`, waiting for another holder up to `options.waitMs`. */
export async function withWriterLock<T>(path: string, options: LockOptions, work: (lock: WriterLock) => Promise<T>): Promise<T> {
  const lock = await WriterLock.acquire(path, options, true);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

/** Runs `work` under the lock if it is free (or its holder is gone) right now; undefined when someone holds it. */
export async function ifWriterLockFree<T>(
  path: string,
  options: LockOptions,
  work: (lock: WriterLock) => Promise<T>,
): Promise<T | undefined> {
  const lock = await WriterLock.acquire(path, options, false);
  if (lock === undefined) return undefined;
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
  ) {}

  static acquire(path: string, options: LockOptions, wait: true): Promise<WriterLock>;
  static acquire(path: string, options: LockOptions, wait: false): Promise<WriterLock | undefined>;
  static async acquire(path: string, options: LockOptions, wait: boolean): Promise<WriterLock | undefined> {
    const deadline = Date.now() + options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const holder: LockHolder = {
        pid: process.pid,
        hostname: hostname(),
        time: new Date().toISOString(),
        token: randomUUID(),
        command: options.command.slice(0, 200),
        ...identity(),
      };
      const content = `${JSON.stringify(holder)}\n`;
      if (await tryCreate(path, content, holder.token)) return new WriterLock(path, content);
      const seen = await look(path);
      if (seen === undefined) continue; // released between our attempt and our look
      if (isGone(seen)) {
        await breakLock(path, seen);
        continue;
      }
      if (!wait) return undefined;
      if (Date.now() >= deadline) throw new StoreWriteError(busyMessage(path, seen));
      // Randomized so that writers queued behind the same holder do not retry in lockstep.
      await sleep(Math.min(100, 2 ** attempt) * (0.5 + Math.random()));
    }
  }

  /**
   * Throws when the lock is no longer ours (someone deleted it by hand, and perhaps another writer took it). Called
   * right before writing, so a writer that lost the lock writes nothing.
   */
  async assertHeld(): Promise<void> {
    const seen = await look(this.path);
    if (seen?.text !== this.content) {
      throw new StoreWriteError(
        `this command no longer holds the writer lock ${this.path}: the lock file was removed or replaced while it ran. ` +
          'Nothing was recorded; run it again.',
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

/** Creates the lock with its content in one step; false when the lock exists. */
async function tryCreate(path: string, content: string, token: string): Promise<boolean> {
  const draft = `${path}.${process.pid}-${token}.new`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(draft, 'wx');
    await handle.writeFile(content);
    await handle.close();
    handle = undefined;
    await link(draft, path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST' && handle === undefined) return false;
    throw new StoreWriteError(`${describeIoError(err)} while creating the lock file ${path}; nothing was recorded`);
  } finally {
    await handle?.close().catch(() => undefined);
    await unlink(draft).catch(() => undefined);
  }
}

/** The lock file now, if there is one. Anything but a regular file in its place is refused, never followed. */
async function look(path: string): Promise<SeenLock | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    if (errorCode(err) === 'ELOOP') throw new StoreWriteError(notALockFile(path, 'a symbolic link'));
    throw new StoreWriteError(`${describeIoError(err)} while reading the lock file ${path}; nothing was recorded`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new StoreWriteError(notALockFile(path, kindOf(stats)));
    const text = await handle.readFile('utf8');
    return { text, holder: parseHolder(text), mtimeMs: stats.mtimeMs, ino: stats.ino };
  } finally {
    await handle.close();
  }
}

function notALockFile(path: string, kind: string): string {
  return `${path} is ${kind}, not a lock file; cnassess never makes one. Remove it, then run the command again (nothing was recorded)`;
}

/** What a file system object is, in words, for "… is a FIFO, not …" messages. */
export function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    // A pid of 0 or below would make process.kill() signal a whole process group.
    if (!Number.isSafeInteger(value?.pid) || (value?.pid ?? 0) <= 0) return undefined;
    if (typeof value?.hostname !== 'string' || typeof value.time !== 'string') return undefined;
    return value as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * cnassess before 0.2 created the lock file first and wrote who it is right after, so a lock that does not say who
 * holds it is one of those, caught in between, or left by a writer that died in between: after this long, the latter.
 */
const UNREADABLE_LOCK_MS = 1000;

/** Whether the lock's holder is provably gone. A holder that might still run is never gone. */
function isGone(seen: SeenLock): boolean {
  const { holder } = seen;
  if (holder === undefined) return Date.now() - seen.mtimeMs > UNREADABLE_LOCK_MS;
  if (holder.hostname !== hostname()) return false; // cannot be checked from here
  const ours = identity();
  if (holder.boot !== undefined && ours.boot !== undefined && holder.boot !== ours.boot) return true; // rebooted since
  if (!isAlive(holder.pid)) return true;
  const start = startTimeOf(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start; // the pid was reused
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) !== 'ESRCH'; // EPERM: alive, but another user's
  }
}

let ownIdentity: { boot?: string; start?: string } | undefined;

/** This process's boot id and start time, where the system tells them (Linux); empty elsewhere. */
function identity(): { boot?: string; start?: string } {
  if (ownIdentity === undefined) {
    const boot = readSmallFile('/proc/sys/kernel/random/boot_id')?.trim();
    const start = startTimeOf(process.pid);
    ownIdentity = { ...(boot !== undefined && boot !== '' && { boot }), ...(start !== undefined && { start }) };
  }
  return ownIdentity;
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function startTimeOf(pid: number): string | undefined {
  const stat = readSmallFile(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses: count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function readSmallFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Removes a gone holder's lock by renaming it to a name of our own first: of several processes breaking the same
 * lock at once, only one rename succeeds, and whoever loses simply tries to acquire again.
 */
async function breakLock(path: string, seen: SeenLock): Promise<void> {
  const aside = `${path}.gone-${process.pid}-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw new StoreWriteError(`${describeIoError(err)} while removing the lock ${path} of a process that is gone; nothing was recorded`);
  }
  const taken = await look(aside).catch(() => undefined);
  if (taken !== undefined && (taken.text !== seen.text || taken.ino !== seen.ino || taken.mtimeMs !== seen.mtimeMs)) {
    // Between our look and our rename another process broke the lock and took it itself: give it back. link() never
    // overwrites; if yet another writer has the name by now, the displaced one finds out in assertHeld() first.
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function busyMessage(path: string, seen: SeenLock): string {
  const { holder } = seen;
  if (holder === undefined) {
    return `the event store is locked (${path}) by a process that has not said who it is yet; nothing was recorded. Try again in a moment.`;
  }
  const what = holder.command !== undefined && holder.command !== '' ? `\`${holder.command}\`` : 'a cnassess command';
  const since = `since ${holder.time}${ago(holder.time)}`;
  if (holder.hostname === hostname()) {
    return (
      `the event store is being written by ${what} (process ${holder.pid} on this host, ${since}); nothing was recorded. ` +
      'That process is still running — perhaps paused (Ctrl+Z) or waiting: let it finish, or end it, then run this again.'
    );
  }
  return (
    `the event store is being written by ${what} (process ${holder.pid} on host ${holder.hostname}, ${since}); nothing was recorded. ` +
    `A process on another host cannot be checked from here: if no cnassess command is running on ${holder.hostname}, ` +
    `delete ${path} and run this again.`
  );
}

function ago(time: string): string {
  const ms = Date.now() - Date.parse(time);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  return s < 120 ? `, ${s} s ago` : s < 7200 ? `, ${Math.round(s / 60)} min ago` : `, ${Math.round(s / 3600)} h ago`;
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
  ELOOP: 'a symbolic link where none is allowed',
  ENXIO: 'a FIFO or device with nobody at the other end',
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
