// Runs the named scripts of package.json at once, as `npm test` runs the type check, ESLint and Prettier before vitest:
// each through the shell with node_modules/.bin on the PATH, as npm runs a script, its output printed whole when it
// ends, and the exit code 1 when any of them failed, after all have ended (so that every failure is printed). A name
// ending in `*` stands for every script it starts (`lint:*`).
//
// Not `npm run` for each, as npm-run-all2's run-p did: starting npm three times made this step take 1.8 s on two cores,
// where it takes 1.2 s now (both warm, three runs each).
//
// Usage: node test/support/checks.mjs SCRIPT…   (from the package's folder, as npm runs it)
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const ROOT = process.cwd();
let scripts;
try {
  scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
} catch (err) {
  console.error(`checks.mjs: cannot read the scripts of ${join(ROOT, 'package.json')} (${err.message}): run it from the package's folder`);
  process.exit(2);
}

const asked = process.argv.slice(2);
const names = [];
const unknown = [];
for (const name of asked) {
  const matching = name.endsWith('*')
    ? Object.keys(scripts).filter((s) => s.startsWith(name.slice(0, -1)))
    : typeof scripts[name] === 'string'
      ? [name]
      : [];
  if (matching.length === 0) unknown.push(name);
  for (const m of matching) if (!names.includes(m)) names.push(m);
}
if (asked.length === 0 || unknown.length > 0) {
  const why = unknown.length > 0 ? ` (not a script of package.json: ${unknown.join(', ')})` : '';
  console.error(`usage: node test/support/checks.mjs SCRIPT…${why}`);
  process.exit(2);
}

const env = { ...process.env, PATH: [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };
// Each script writes its stdout and stderr to one file, so that its lines stay in the order it printed them.
const outputs = mkdtempSync(join(tmpdir(), 'cnassess-checks-'));
const children = new Set();

/** Runs one script; resolves with its exit code (1 for a signal or a failure to start) and everything it printed. */
function run(name, index) {
  const file = join(outputs, `${index}.txt`);
  const fd = openSync(file, 'w');
  return new Promise((resolve) => {
    // A process group of its own (but on Windows), so that stopping it stops what its shell started.
    const child = spawn(scripts[name], { cwd: ROOT, env, shell: true, stdio: ['ignore', fd, fd], detached: process.platform !== 'win32' });
    children.add(child);
    let failedToStart = '';
    child.on('error', (err) => (failedToStart = `${err.message}\n`));
    child.on('close', (code) => {
      children.delete(child);
      closeSync(fd);
      resolve({ code: code ?? 1, output: readFileSync(file, 'utf8') + failedToStart });
    });
  });
}

// Stopped (Ctrl+C, or CI's SIGTERM): stop the checks too, rather than leave them running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    }
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
  });
}

const failed = [];
try {
  await Promise.all(
    names.map(async (name, index) => {
      const result = await run(name, index);
      process.stdout.write(`\n> ${name}: ${scripts[name]}\n${result.output}`);
      if (result.code !== 0) failed.push(name);
    }),
  );
} finally {
  rmSync(outputs, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode ??= 1;
}
