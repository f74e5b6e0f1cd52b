// What every command is handed from the outside: streams, environment, clock and id source.
// Commands never touch `process` directly, so tests run them in-process with their own streams and folders.

import { randomUUID } from 'node:crypto';
import { makeStyle, type Style } from '../views/terminal.js';

export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  /** The terminal's width now, never 0: a terminal that reports none (as under `script`) gets 80 (outputOf). */
  readonly columns: number;
}

export interface Context {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The raw stream behind stdout, for the interactive prompts (which draw on it directly). */
  readonly stdoutStream: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Colour for stdout, decided once from the flag, NO_COLOR and the terminal. */
  readonly style: Style;
  /** The store folder given with --store, if any (else CNASSESS_STORE, else ./.cnassess). */
  readonly storeFlag?: string;
  /** What is running (`cnassess answer app-build`), for whoever waits for this process's writer lock. */
  readonly commandLine?: string;
  /** Calls the handler on Ctrl+C (SIGINT) until the returned function is called; absent where nothing can interrupt. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  /** Runs `release` when the command has ended, however it ended (closing a database connection). */
  readonly defer?: (release: () => Promise<void>) => void;
}

/** A writable stream as a terminal may be one: its width is read each time it is asked for, so a resize counts. */
export type OutputStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** Everything the CLI is handed by whoever runs it: bin.ts passes the process's own; tests pass their own. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The clock; the real one unless a test fixes the date its examples are dated at. */
  readonly now?: () => Date;
  /** See Context.onInterrupt. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export function outputOf(stream: OutputStream): Output {
  return {
    write: (text) => void stream.write(text),
    isTTY: stream.isTTY === true,
    // A terminal that reports no size (0) gets the classic width rather than a collapsed table.
    get columns() {
      return stream.columns || 80;
    },
  };
}

export function contextFor(
  io: CliIo,
  options: { color: boolean; storeFlag?: string; commandLine?: string; defer?: (release: () => Promise<void>) => void },
): Context {
  return {
    stdout: outputOf(io.stdout),
    stderr: outputOf(io.stderr),
    stdin: io.stdin,
    stdoutStream: io.stdout,
    env: io.env,
    cwd: io.cwd,
    now: io.now ?? (() => new Date()),
    newId: randomUUID,
    style: makeStyle(options.color),
    ...(options.storeFlag !== undefined && { storeFlag: options.storeFlag }),
    ...(options.commandLine !== undefined && { commandLine: options.commandLine }),
    ...(io.onInterrupt !== undefined && { onInterrupt: io.onInterrupt }),
    ...(options.defer !== undefined && { defer: options.defer }),
  };
}

/** Writes data as JSON on stdout: the `--json` contract is data on stdout, everything else on stderr. */
export function printJson(ctx: Context, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
