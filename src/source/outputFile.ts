// Writing what a user asks for with `-o PATH`: atomically over a regular file, through a symbolic link, in place into
// a device or a FIFO; and knowing which paths are this process's own stdout.

import { lstat, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { safeText } from '../text.js';
import { systemErrorText } from './inputFile.js';

/** `-`, and the names of this process's stdout, which may be a socket (as under many supervisors) that cannot be opened by name. */
export function isStdout(path: string): boolean {
  return path === '-' || path === '/dev/stdout' || path === '/dev/fd/1' || path === '/proc/self/fd/1';
}

/**
 * Writes output (a report, an answers file) to `path` as a user expects of `-o`: a regular file (or none yet) is replaced atomically, so a
 * reader never sees half a report; a symbolic link is written through to its target, never replaced; a character
 * device or a FIFO (`/dev/stdout`, `/dev/null`, a pipe) is written to in place.
 */
export async function writeOutput(
  path: string,
  text: string,
  unique: string,
  what: string,
  options: {
    /** What an earlier copy of the same output holds (an assessment id): replacing anything else is reported. */
    readonly identity?: string;
    /**
     * A name the user did not give (a report's default file name in the current folder): written only as a regular file
     * or a new one. A symbolic link or FIFO planted there (git commits symlinks) must not redirect or stall the write.
     */
    readonly defaultName?: boolean;
  } = {},
): Promise<WriteResult> {
  const { identity } = options;
  const fail = (e: unknown): never => {
    throw new UsageError(`${safeText(path)}: cannot write ${what}: ${systemErrorText(e, 'no such folder')}`);
  };
  const link = await lstat(path).catch((e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fail(e)));
  if (options.defaultName === true && link !== undefined && !link.isFile())
    throw new UsageError(
      `${safeText(path)}: not written: it is ${link.isSymbolicLink() ? 'a symbolic link' : link.isDirectory() ? 'a folder' : 'not a regular file'}, and a default file name is only ever written as a regular file; name the output with -o`,
    );
  if (link === undefined || link.isFile()) {
    const replacedOther = link !== undefined && identity !== undefined && !(await startsWithIdentity(path, identity));
    await writeAtomically(path, text, unique, what);
    return { replacedOther };
  }
  const target = await stat(path).catch((e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fail(e)));
  if (target?.isDirectory()) throw new UsageError(`${safeText(path)}: cannot write ${what}: it is a folder`);
  if (target?.isBlockDevice()) throw new UsageError(`${safeText(path)}: cannot write ${what}: it is a disk (a block device)`);
  if (target?.isFile()) {
    const real = await realpath(path).catch(fail);
    // /dev/stdout → /proc/self/fd/1 → a file the shell opened: write through the open file, as a redirect expects.
    if (!/^\/(proc|dev)\//.test(real)) {
      const replacedOther = identity !== undefined && !(await startsWithIdentity(real, identity));
      await writeAtomically(real, text, unique, what);
      return { replacedOther };
    }
  }
  try {
    await writeFile(path, text, 'utf8'); // in place: a device, a FIFO, a new file behind a dangling link
  } catch (e) {
    fail(e);
  }
  return { replacedOther: false };
}

export interface WriteResult {
  /** A regular file was there that does not hold `identity`: something other than an earlier copy of this output. */
  readonly replacedOther: boolean;
}

/** Whether the first 512 KB of the file hold `identity` (an assessment id, a portfolio id): an earlier copy of the same output. */
async function startsWithIdentity(path: string, identity: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(512 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // As a whole token: acme/platform/2026-q4 is not found inside big-acme/platform/2026-q4.
    const token = new RegExp(`(^|[^a-z0-9/_-])${identity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9/_-])`);
    return token.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Writes next to the target and renames over it, so a reader never sees half of it. */
async function writeAtomically(path: string, text: string, unique: string, what: string): Promise<void> {
  const temp = join(dirname(path), `.cnassess-${unique.replace(/[^A-Za-z0-9-]/g, '')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UsageError(`${safeText(path)}: cannot write ${what}: ${systemErrorText(e, 'no such folder')}`);
  }
}
