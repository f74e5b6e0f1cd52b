#!/usr/bin/env node
// The installed `cnassess` command. Everything else lives in cli.ts, which tests import directly.
import { main } from './cli.js';

// `cnassess … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
