#!/usr/bin/env node
// The installed `cnassess` command. Everything else lives in cli.ts, which tests import directly.
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
