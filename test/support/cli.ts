// Running the CLI as users do: in this process through main() with streams, a folder and an environment of its own
// (most tests), or as the built executable in a real child process or pseudo-terminal (what needs a process).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';
import type { Context } from '../../src/commands/context.js';
import { makeStyle } from '../../src/views/terminal.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist', 'bin.js');

export function tempDir(prefix = 'cnassess-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** In-process only: stdout says it is a terminal, as a terminal would. */
  readonly terminal?: boolean;
  /** In-process only: the clock the command reads. */
  readonly now?: Date;
}

/** Where the tests' remembered respondent names live: never the real user's config folder. */
const CONFIG_HOME = mkdtempSync(join(tmpdir(), 'cnassess-config-'));

const environment = (env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  CNASSESS_RESPONDENT: 'tester',
  XDG_CONFIG_HOME: CONFIG_HOME,
  ...env,
});

/** Runs `cnassess ARGS` in this process, through main(), with stdin closed and not a terminal (as in CI). */
export async function cnassess(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const stdout = captured(options.terminal === true);
  const stderr = captured(false);
  const code = await main(args, {
    env: environment(options.env),
    cwd: options.cwd ?? ROOT,
    stdin: Readable.from(options.input !== undefined ? [options.input] : []),
    stdout: stdout.stream,
    stderr: stderr.stream,
    ...(options.now !== undefined && { now: () => options.now as Date }),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A stream that keeps what is written to it; a terminal of 80 columns only when `terminal`. */
function captured(terminal: boolean): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      done();
    },
  });
  if (terminal) Object.assign(stream, { isTTY: true, columns: 80 });
  return { stream, text: () => chunks.join('') };
}

/** Runs the built `cnassess` executable as a child process, for what needs a real process: the bin, exit codes, signals. */
export function cnassessProcess(args: readonly string[], options: RunOptions = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: environment(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a command in a real pseudo-terminal (util-linux `script`), so prompts see a TTY; `expect`
 * waits for output, `send` types keys. No timing assertions: waits are for text, with a generous cap.
 */
export function inTerminal(command: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd ?? ROOT,
    // CI is cleared: under CI, assess refuses to prompt even in a terminal, by design.
    env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '40', CI: '', XDG_CONFIG_HOME: CONFIG_HOME, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let seen = 0;
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    /** Waits until text matching `pattern` appears after what earlier expects consumed. */
    expect(pattern: RegExp, capMs = 30_000): Promise<string> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const match = pattern.exec(output.slice(seen));
          if (match) {
            seen += match.index + match[0].length;
            resolve(match[0]);
          } else if (Date.now() - started > capMs) reject(new Error(`never saw ${pattern} in:\n${output.slice(-3000)}`));
          else setTimeout(check, 25);
        };
        check();
      });
    },
    send(keys: string): void {
      child.stdin.write(keys);
    },
    get output(): string {
      return output;
    },
    exited,
  };
}

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', space: ' ', ctrlC: '\x03' } as const;

/**
 * A command context as a terminal gives it, for the interactive commands driven by a scripted prompter: stdout and
 * stderr both land in `out`, 80 columns (or `columns`), no colour, a fixed clock and numbered ids.
 */
export function terminalContext(store: string, out: string[], env: NodeJS.ProcessEnv, columns = 80): Context {
  const output = { write: (t: string) => void out.push(t), isTTY: true, columns };
  let n = 0;
  return {
    stdout: output,
    stderr: output,
    stdin: process.stdin,
    stdoutStream: process.stdout,
    env,
    cwd: process.cwd(),
    now: () => new Date('2026-11-25T10:00:00Z'),
    newId: () => `test-${++n}`,
    style: makeStyle(false),
    storeFlag: store,
  };
}
