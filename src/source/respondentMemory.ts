// The name a person last answered with, per store and OS user: offered first by `assess` and used by the other
// commands when no --respondent or CNASSESS_RESPONDENT is given, so one person does not become two respondents
// (`Alice Smith` in the questionnaire, git's `asmith` in `cnassess answer`). It lives in the user's own config folder,
// never in the log or the store: a convenience, so a failure to read or write it changes nothing else.

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const MAX_NAMES = 200;

function memoryFile(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CONFIG_HOME ?? (env.HOME !== undefined ? join(env.HOME, '.config') : undefined);
  try {
    return join(base ?? join(homedir(), '.config'), 'cnassess', 'respondents.json');
  } catch {
    return undefined;
  }
}

function readAll(file: string): Record<string, string> {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** The name last used with this store by this OS user, if any. */
export function rememberedRespondent(env: NodeJS.ProcessEnv, store: string): string | undefined {
  const file = memoryFile(env);
  if (file === undefined) return undefined;
  const name = readAll(file)[store];
  return name !== undefined && name.trim() !== '' ? name : undefined;
}

/** Remembers `name` for this store; best effort (a read-only home changes nothing). */
export function rememberRespondent(env: NodeJS.ProcessEnv, store: string, name: string): void {
  const file = memoryFile(env);
  if (file === undefined) return;
  try {
    const all = readAll(file);
    delete all[store];
    // The latest last; the oldest dropped past a few hundred stores.
    const entries = [...Object.entries(all), [store, name] as const].slice(-MAX_NAMES);
    mkdirSync(dirname(file), { recursive: true });
    const draft = `${file}.${randomUUID()}.new`;
    writeFileSync(draft, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, { mode: 0o600 });
    renameSync(draft, file);
  } catch {
    // Remembering is a convenience: nothing depends on it.
  }
}
