// What commands that read or write assessments share: opening the store, choosing an assessment,
// and who the respondent is.

import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { seriesOf, type AssessmentState } from '../assessment/state.js';
import type { LogView } from '../assessment/projection.js';
import type { ReadOptions } from '../store/eventStore.js';
import type { AnswerValue } from '../assessment/events.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { ImpossibleEventError, UnreadableEventError, UsageError } from '../errors.js';
import { rememberedRespondent } from '../source/respondentMemory.js';
import { openStore, resolveStore, storeName, type OpenStore, type StoreLocation } from '../store/location.js';
import { didYouMean, safeText } from '../text.js';
import { Workspace } from '../workspace.js';
import type { Context } from './context.js';
import type { AssessmentCommand } from '../assessment/decider.js';
import type { StoredEvent } from '../store/eventStore.js';
import type { Rubric } from '../rubric/types.js';
import { terminalPrompter, type Prompter } from '../terminal/prompts.js';

/**
 * Opens the store this command works on. `storeName` is how messages name it: its folder, or its URL with the
 * password masked. The store is closed when the command ends (a database connection would keep the process alive).
 */
export async function openWorkspace(ctx: Context): Promise<{ workspace: Workspace; storeName: string; location: StoreLocation }> {
  const location = storeOf(ctx);
  const store = await openStoreAt(ctx, location);
  return { workspace: new Workspace(store, ctx.now, ctx.newId), storeName: storeName(location), location };
}

/**
 * A record a command could not read, said for the store it is in: a database's record by its seq, to be restored from a
 * backup (the domain, which reads it, knows no store, and says it as for a folder).
 */
export function damageInStore(ctx: Context, e: ImpossibleEventError | UnreadableEventError): ImpossibleEventError | UnreadableEventError {
  const location = storeOf(ctx);
  if (location.kind !== 'postgres' || e.seq === undefined) return e;
  const where = `${storeName(location)}: seq ${e.seq}`;
  return e instanceof ImpossibleEventError
    ? new ImpossibleEventError(e.seq, e.detail, where, 'Restore the database from a backup and run `cnassess verify`.')
    : new UnreadableEventError(e.detail, e.seq, `${where}: `);
}

/**
 * Opens a store for this command: writes wait CNASSESS_LOCK_WAIT for another writer, whom the lock tells what runs;
 * the store's notices are shown; it is closed when the command ends.
 */
export async function openStoreAt(ctx: Context, location: StoreLocation): Promise<OpenStore> {
  const store = await openStore(location, { lock: { waitMs: lockWaitMs(ctx.env), command: ctx.commandLine ?? 'cnassess' } });
  ctx.defer?.(() => store.close());
  for (const notice of store.notices) ctx.stderr.write(`cnassess: ${safeText(notice)}\n`);
  return store;
}

/** The store this command works on: --store, else CNASSESS_STORE, else ./.cnassess. */
export function storeOf(ctx: Context): StoreLocation {
  return resolveStore({ ...(ctx.storeFlag !== undefined && { flag: ctx.storeFlag }), env: ctx.env, cwd: ctx.cwd });
}

/** CNASSESS_LOCK_WAIT, in seconds: how long a write waits for another writer (default 10). */
function lockWaitMs(env: NodeJS.ProcessEnv): number {
  const text = env.CNASSESS_LOCK_WAIT;
  if (text === undefined || text === '') return 10_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    throw new UsageError(`CNASSESS_LOCK_WAIT="${safeText(text)}" is not a number of seconds from 0 to 86400`);
  }
  return seconds * 1000;
}

/**
 * The assessment a command is about: the given id, else (for writing) the one unfinished
 * assessment, or (for reading) the most recently changed one.
 */
export function chooseAssessment(view: LogView, id: string | undefined, purpose: 'write' | 'read'): AssessmentState {
  const all = [...view.assessments.values()];
  if (id !== undefined) {
    const found = view.assessments.get(id.toLowerCase()) ?? inPeriod(all, id);
    if (!found)
      throw new UsageError(
        `no assessment "${safeText(id)}"${didYouMean(id.toLowerCase(), view.assessments.keys())}${candidates(all, 'the store holds')}`,
      );
    return found;
  }
  if (all.length === 0)
    throw new UsageError('the store has no assessment yet; start one with `cnassess assess` or `cnassess start --org … --period …`');
  if (purpose === 'read') return all.reduce((a, b) => (b.lastSeq > a.lastSeq ? b : a));
  const open = all.filter((a) => a.status === 'open');
  if (open.length === 1) return open[0]!;
  if (open.length === 0) throw new UsageError(`every assessment is completed; name one with --assessment, or reopen it${candidates(all)}`);
  throw new UsageError(`${open.length} assessments are unfinished; say which with --assessment ID${candidates(open)}`);
}

/**
 * chooseAssessment(), reading only the assessment's own stream when `id` names one exactly: on a log of many
 * assessments, a command about one does not read the others (the file store's stream index finds its records).
 */
export async function findAssessment(
  workspace: Workspace,
  id: string | undefined,
  purpose: 'write' | 'read',
  options?: ReadOptions,
): Promise<AssessmentState> {
  if (id !== undefined) {
    const state = await workspace.assessment(id.toLowerCase(), options);
    if (state !== undefined) return state;
  }
  return chooseAssessment(await workspace.view(options), id, purpose);
}

/**
 * A period given where an id is expected (`score 2026-Q4`), as `diff` takes it: the assessment of that period in the
 * series (org and scope) of the most recently changed assessment, else the only one of that period.
 */
function inPeriod(all: readonly AssessmentState[], text: string): AssessmentState | undefined {
  if (!/^\d{4}-q[1-4]$/i.test(text)) return undefined;
  const period = text.toUpperCase();
  const matching = all.filter((a) => a.period === period);
  if (matching.length <= 1) return matching[0];
  const latest = all.reduce((a, b) => (b.lastSeq > a.lastSeq ? b : a));
  const same = matching.find((a) => seriesOf(a) === seriesOf(latest));
  if (same) return same;
  throw new UsageError(`${matching.length} assessments are of ${period}; name one by its id${candidates(matching)}`);
}

function candidates(list: readonly AssessmentState[], heading?: string): string {
  if (list.length === 0) return '';
  return `${heading === undefined ? '' : `; ${heading}`}:\n${list.map((a) => `  ${a.id}  (${a.status})`).join('\n')}`;
}

/** The store folder, for what only a file store has (git's merge driver, `verify --since`). */
export function storeDirOf(ctx: Context, what: string): string {
  const location = storeOf(ctx);
  if (location.kind === 'file') return location.dir;
  throw new UsageError(`${what} works on a file store (a folder); ${storeName(location)} is a PostgreSQL database`);
}

/**
 * The respondent when --respondent is not given: CNASSESS_RESPONDENT, else the name this OS user last answered this
 * store with (source/respondentMemory.ts), else git's user.name, else the OS user.
 */
export function defaultRespondent(ctx: Context): string {
  if (ctx.env.CNASSESS_RESPONDENT) return ctx.env.CNASSESS_RESPONDENT;
  const remembered = rememberedRespondent(ctx.env, storeName(storeOf(ctx)));
  if (remembered !== undefined) return remembered;
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd: ctx.cwd,
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (name !== '') return name;
  } catch {
    // No git, or no user.name: fall back to the OS user.
  }
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** `--as-of`: a seq number, a date (the end of that day, UTC), or a timestamp (that instant, inclusive). */
export function parseAsOf(text: string): ReadOptions {
  if (/^\d+$/.test(text)) return { upToSeq: Number(text) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = new Date(`${text}T00:00:00.000Z`);
    // JavaScript rolls 2026-02-30 over to March; a date that does not exist is a typo.
    if (!Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text)
      return { before: new Date(day.getTime() + 86_400_000).toISOString() };
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    // Without a zone, JavaScript reads a time as local time: two people in two time zones would replay the same log
    // to different points. A time must say its zone.
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
      throw new UsageError(
        `--as-of "${safeText(text)}" has no time zone: add Z for UTC or an offset such as +02:00 (for example 2026-10-01T12:00:00Z), so that it means the same instant everywhere`,
      );
    }
    const t = new Date(text);
    if (!Number.isNaN(t.getTime())) return { before: new Date(t.getTime() + 1).toISOString() };
  }
  throw new UsageError(`--as-of "${safeText(text)}" is not a date (2026-10-01), a timestamp (2026-10-01T12:00:00Z) or a seq number`);
}

/** An answer as typed: a choice id, a comma-separated list of them (multi-choice), or n/a. */
export function parseAnswer(token: string): AnswerValue {
  const t = token.trim();
  if (t.toLowerCase() === NOT_APPLICABLE) return NOT_APPLICABLE;
  return t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Runs an interactive command with a prompter on the terminal (or the one a test gives). Refuses, saying what to
 * use instead, where no keys can come: waiting for them would hang a CI job or a pipe forever.
 */
export async function withPrompter<T>(
  ctx: Context,
  what: { command: string; instead: string },
  prompterOverride: Prompter | undefined,
  body: (prompter: Prompter) => Promise<T>,
): Promise<T> {
  if (prompterOverride) return body(prompterOverride);
  if (ctx.stdin.isTTY !== true || !ctx.stdout.isTTY || ctx.env.CI) {
    throw new UsageError(
      `\`cnassess ${what.command}\` asks questions in a terminal, and this is not one (stdin or stdout is piped, or CI is set).\n${what.instead}`,
    );
  }
  const interrupted = new AbortController();
  const stopListening = ctx.onInterrupt?.(() => interrupted.abort());
  try {
    return await body(await terminalPrompter({ input: ctx.stdin, output: ctx.stdoutStream, signal: interrupted.signal }));
  } finally {
    stopListening?.();
  }
}

/**
 * Records what one command decides on the assessment a writing command names (`--assessment`, else the one
 * unfinished), as `actor`. The command is built with the assessment's own rubric, which may not be the built-in one.
 */
export async function recordOn(
  ctx: Context,
  assessment: string | undefined,
  actor: string,
  command: (rubric: Rubric) => AssessmentCommand,
  /** 'read': without an id, the most recently changed assessment, completed or not (for what may follow completion). */
  purpose: 'write' | 'read' = 'write',
): Promise<{ state: AssessmentState; recorded: StoredEvent[]; workspace: Workspace; rubric: Rubric }> {
  const { workspace } = await openWorkspace(ctx);
  const state = await findAssessment(workspace, assessment, purpose);
  const rubric = await workspace.rubricOf(state);
  const recorded = await workspace.execute(state.id, [command(rubric)], rubric, actor);
  return { state, recorded, workspace, rubric };
}
