// The closed set of errors cnassess reports to a user. Each carries an explicit `name` and an exit
// code; the single top-level catch in cli.ts maps them to output and process exit codes. Anything
// else that reaches that catch is a bug, and is reported as one.

export const ExitCode = {
  ok: 0,
  /** The command ran and found problems (invalid rubric, damaged log, regression). */
  problems: 1,
  /** Bad usage or input that stopped the command. */
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A position-bearing problem in a user's file, printed as `file:line:col: message (at /pointer)`. */
export interface FileProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** JSON pointer of the offending node, when there is one. */
  readonly pointer?: string;
  readonly severity: 'error' | 'warning';
  /** Stable machine-readable code; tests assert on it rather than on message text. */
  readonly code: string;
}

export function formatProblem(p: FileProblem): string {
  const where = p.pointer !== undefined && p.pointer !== '' ? ` (at ${p.pointer})` : '';
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.col}: ${prefix}${p.message}${where}`;
}

export abstract class CnassessError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** Bad usage or input: a wrong flag, an unknown id, an answer the rubric does not allow. */
export class UsageError extends CnassessError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.usage;
}

/** A user's file (rubric, answers) has problems; every one is listed. */
export class InvalidFileError extends CnassessError {
  override readonly name = 'InvalidFileError';
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly problems: readonly FileProblem[],
    summary = `${problems.length} problem${problems.length === 1 ? '' : 's'}`,
  ) {
    super(summary);
  }
}

/** The domain refused a command (unknown question, answer after completion…); nothing was recorded. */
export class DomainError extends CnassessError {
  override readonly name = 'DomainError';
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Another writer changed the stream since it was read. Callers re-read and retry where that is safe. */
export class StreamConflictError extends CnassessError {
  override readonly name = 'StreamConflictError';
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`${stream} changed while this command ran (expected version ${expectedVersion}, found ${actualVersion}); run it again`);
  }
}

/** The log is damaged (anything but an unfinished write at its end); writes are refused until it is restored. */
export class LogDamagedError extends CnassessError {
  override readonly name = 'LogDamagedError';
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    // The folder, not the file: the log and its head file are restored together.
    const dir = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || './';
    super(
      `${file}:${line}: the event log is damaged: ${detail}. Nothing was written. ` +
        `Restore the store folder (for example with \`git checkout -- ${dir}\`) and run \`cnassess verify\`.`,
    );
  }
}

/** The store could not be written durably (full disk, failed fsync, lock never released). */
export class StoreWriteError extends CnassessError {
  override readonly name = 'StoreWriteError';
  readonly exitCode = ExitCode.usage;
}

/** The store could not be read (a path that is not a folder, a log that is a folder, no permission). */
export class StoreReadError extends CnassessError {
  override readonly name = 'StoreReadError';
  readonly exitCode = ExitCode.usage;
}

/** The log holds something this version of cnassess cannot read (an event from a newer version). */
export class UnreadableEventError extends CnassessError {
  override readonly name = 'UnreadableEventError';
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly detail: string,
    /** The record's seq, once known. */
    readonly seq?: number,
    /** Where, for the message: the line of a folder's log by default. */
    where = seq === undefined ? '' : `events.jsonl:${seq}: `,
  ) {
    super(`${where}${detail}`);
  }
}

/**
 * A record with a valid hash whose data is not a possible event of its type (a hand-made line, a bug elsewhere):
 * damage at its line. `verify` reports it with exit 1; other commands stop with exit 2, never a crash.
 */
export class ImpossibleEventError extends CnassessError {
  override readonly name = 'ImpossibleEventError';
  readonly exitCode = ExitCode.usage;
  constructor(
    /** The record's seq, which is also its line in a folder's log. */
    readonly seq: number,
    readonly detail: string,
    /** Where, and what to do, for the message: a folder's by default (session.ts words them for a database). */
    where = `events.jsonl:${seq}`,
    advice = 'Restore the store folder (for example with `git checkout -- .cnassess/`) and run `cnassess verify`.',
  ) {
    super(`${where}: the event log is damaged: ${detail}. Nothing was written. ${advice}`);
  }
}

/** The user interrupted (Ctrl+C); everything acknowledged before is already saved. */
export class InterruptedError extends CnassessError {
  override readonly name = 'InterruptedError';
  readonly exitCode = ExitCode.interrupted;
}
