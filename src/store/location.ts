// Where the log is kept: a folder (the file store, the default) or a PostgreSQL database, named by `--store` or
// CNASSESS_STORE. The shell opens a store through here; the rest of cnassess sees only the EventStore contract.

import { resolve } from 'node:path';
import type { EventStore } from './eventStore.js';
import { openFileStore, type FileStoreOptions } from './fileStore.js';
import { isPostgresUrl, maskedUrl } from './url.js';

export type StoreLocation = { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'postgres'; readonly url: string };

/** An open store, and how to let go of it (a database connection keeps the process alive until closed). */
export type OpenStore = EventStore & { close(): Promise<void> };

/** `--store`, else `CNASSESS_STORE`, else `<cwd>/.cnassess`; a `postgres://` URL names a database, anything else a folder. */
export function resolveStore(options: { flag?: string; env: NodeJS.ProcessEnv; cwd: string }): StoreLocation {
  const chosen = nonEmpty(options.flag) ?? nonEmpty(options.env['CNASSESS_STORE']) ?? '.cnassess';
  return locationOf(chosen, options.cwd);
}

/** A store named on the command line (`store copy FROM TO`): a URL or a folder, relative to `cwd`. */
export function locationOf(text: string, cwd: string): StoreLocation {
  return isPostgresUrl(text) ? { kind: 'postgres', url: text } : { kind: 'file', dir: resolve(cwd, text) };
}

/** How messages name a store: its folder, or its URL with the password masked. */
export function storeName(location: StoreLocation): string {
  return location.kind === 'file' ? location.dir : maskedUrl(location.url);
}

export async function openStore(location: StoreLocation, fileOptions: FileStoreOptions = {}): Promise<OpenStore> {
  if (location.kind === 'file') {
    const store = await openFileStore(location.dir, fileOptions);
    return Object.assign(store, { close: async () => undefined });
  }
  // Loaded only for a database store: the file store's commands never pay for the driver.
  const { openPostgresStore } = await import('./postgresStore.js');
  return openPostgresStore(location.url);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
