// Reading a file a user names (a rubric, an answers file, a template): a regular file of bounded size, or a clear
// error. Checked on the open file before a byte is read, so `/dev/zero`, a FIFO or a 20 GB file is refused at once.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { kindOf } from '../store/lock.js';
import { formatBytes, MAX_FILE_BYTES } from './fileSize.js';

/**
 * The bytes of `path` (relative paths from `cwd`). Throws UsageError "PATH: cannot read: why", naming the path as
 * given, for anything but a regular file of at most `maxBytes`.
 */
export async function readInputFile(path: string, options: { cwd?: string; maxBytes?: number } = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer that never comes; it is refused below instead.
    handle = await open(resolve(options.cwd ?? '.', path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${systemErrorText(e, 'no such file')}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UsageError(`${path}: cannot read: it is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes)
      throw new UsageError(`${path}: cannot read: it is ${formatBytes(stats.size)}; files over ${formatBytes(maxBytes)} are refused`);
    // Read to the limit and one byte past it, in case the file grew after the check.
    const bytes = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === bytes.length) {
        if (filled > maxBytes) throw new UsageError(`${path}: cannot read: it grew past ${formatBytes(maxBytes)} while being read`);
        break;
      }
    }
    return bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  } finally {
    await handle.close();
  }
}

/** A failed file operation in words a user acts on; `missing` says what ENOENT means where it happened. */
export function systemErrorText(e: unknown, missing: string): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return missing;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'disk full';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return String(code ?? e);
  }
}
