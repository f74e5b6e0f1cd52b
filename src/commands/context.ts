// What every command is handed from the outside: streams, environment, clock and id source.
// Commands never touch `process` directly, so tests can run them in-process with fakes.

import { randomUUID } from 'node:crypto';
import { makeStyle, type Style } from '../terminal/format.js';

export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
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
}

export function processContext(options: { color: boolean; storeFlag?: string; commandLine?: string }): Context {
  const wrap = (stream: NodeJS.WriteStream): Output => ({
    write: (text) => void stream.write(text),
    isTTY: stream.isTTY === true,
    // A terminal that reports no size (0) gets the classic width rather than a collapsed table.
    columns: stream.columns || 80,
  });
  return {
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    stdin: process.stdin,
    stdoutStream: process.stdout,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    newId: randomUUID,
    style: makeStyle(options.color),
    ...(options.storeFlag !== undefined && { storeFlag: options.storeFlag }),
    ...(options.commandLine !== undefined && { commandLine: options.commandLine }),
  };
}

/** Writes data as JSON on stdout: the `--json` contract is data on stdout, everything else on stderr. */
export function printJson(ctx: Context, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
