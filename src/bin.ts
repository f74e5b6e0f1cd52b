#!/usr/bin/env node
// The installed `cnassess` command. Everything else lives in cli.ts, which tests import directly.
import { main } from './cli.js';

// Output that cannot be written is reported in one line, never as a stack trace. `cnassess … | head` closing the
// pipe early is the reader's choice, not an error: exit quietly with 0, as other command-line tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  const why = e.code === 'ENOSPC' ? 'disk full' : e.code === 'EIO' ? 'input/output error' : e.message;
  process.stderr.write(`cnassess: cannot write the output: ${why}${e.code !== undefined ? ` (${e.code})` : ''}\n`);
  process.exit(2);
});
// Nothing more can be said where messages cannot be written; the exit code still tells.
process.stderr.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  // The interactive commands listen while they ask: a Ctrl+C that lands between two prompts (the terminal is then
  // not in raw mode, so it arrives as a signal, not a key) ends the run as one pressed at a prompt does.
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
});
