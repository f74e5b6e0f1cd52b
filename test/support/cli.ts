// Running the built CLI as a real child process, as users do.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Runs `cnassess ARGS` to completion with stdin closed (not a terminal), as in CI. */
export function cnassess(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', CNASSESS_RESPONDENT: 'tester', ...options.env },
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
    env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '40', CI: '', ...options.env },
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
