// Runs the named scripts of package.json at once, as `npm test` runs the type check, ESLint and Prettier before vitest:
// each through the shell with node_modules/.bin on the PATH, as npm runs a script, its output printed whole when it
// ends, and the exit code 1 when any of them failed, after all have ended (so that every failure is printed).
//
// Not `npm run` for each, as npm-run-all2's run-p did: starting npm three times made this step take 1.8 s on two cores,
// where it takes 1.2 s now (both warm, three runs each).
//
// Usage: node test/support/checks.mjs SCRIPT…
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The package's folder: where npm runs `npm test`. */
const ROOT = process.cwd();
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
const names = process.argv.slice(2);
const unknown = names.filter((name) => typeof scripts[name] !== 'string');
if (names.length === 0 || unknown.length > 0) {
  console.error(
    `usage: node test/support/checks.mjs SCRIPT…${unknown.length > 0 ? ` (not a script of package.json: ${unknown.join(', ')})` : ''}`,
  );
  process.exit(2);
}

const env = { ...process.env, PATH: [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };

/** Runs one script; resolves with its exit code (1 for a signal or a failure to start) and everything it printed. */
function run(name) {
  return new Promise((resolve) => {
    const child = spawn(scripts[name], { cwd: ROOT, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code) => resolve({ name, code: code ?? 1, output: Buffer.concat(output) }));
  });
}

const failed = [];
await Promise.all(
  names.map(async (name) => {
    const result = await run(name);
    process.stdout.write(`\n> ${name}: ${scripts[name]}\n`);
    process.stdout.write(result.output);
    if (result.code !== 0) failed.push(name);
  }),
);
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
