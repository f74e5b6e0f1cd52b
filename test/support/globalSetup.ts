// Builds dist/ before any test runs: the tests that need a real process run the built executable, and running
// `npx vitest` alone must never test a stale build. It only emits (--noCheck): `npm test` checks the types before
// vitest starts, and a build that checked them again took twice as long on a fresh clone.
//
// A build that would write what dist/ already holds is skipped: tsc, even incremental, took 3 s to find nothing to do,
// on one core while the other waited. What the build reads (the sources, the schemas, the tsconfigs, the installed
// typescript and ajv) and what it wrote (every file in dist/) are hashed; the build runs again when either differs
// from what the last build recorded, so an edited source or a deleted or changed output rebuilds. A build starts from
// an empty dist/: tsc never deletes the output of a deleted source, which a stale import could still load. Two runs
// started at once may both build; nothing guards against that (tsc writes each file whole).
import { execFileSync } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'cnassess');
const INPUTS = [
  'src',
  'rubric/rubric.schema.json',
  'rubric/answers.schema.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'node_modules/typescript/package.json',
  'node_modules/ajv/package.json',
];

export default function setup(): void {
  const recorded = join(CACHE, 'build.fingerprint');
  const inputs = fingerprint(INPUTS);
  if (existsSync(recorded) && readFileSync(recorded, 'utf8') === `${inputs} ${fingerprint(['dist'])}`) return;
  rmSync(recorded, { force: true });
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT, stdio: 'inherit' });
  // As `npm run build` does: the precompiled validators, and the executable's mode (build/afterCompile.ts).
  execFileSync(process.execPath, [join(ROOT, 'dist', 'build', 'afterCompile.js')], { cwd: ROOT, stdio: 'inherit' });
  // Recorded only when no input changed while it built: an edit made meanwhile must rebuild next time.
  if (fingerprint(INPUTS) !== inputs) return;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(recorded, `${inputs} ${fingerprint(['dist'])}`);
}

/** A hash of the named files and of every file under the named folders: their paths, modes and contents. */
function fingerprint(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) {
    const full = join(ROOT, path);
    if (!existsSync(full)) hash.update(`missing ${path}\0`);
    else if (!statSync(full).isDirectory()) addFile(hash, full);
    else {
      const files = readdirSync(full, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() || entry.isSymbolicLink())
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((file) => existsSync(file) && statSync(file).isFile()) // a link: what it leads to
        .sort();
      for (const file of files) addFile(hash, file);
    }
  }
  return hash.digest('hex');
}

function addFile(hash: Hash, file: string): void {
  hash
    .update(`${relative(ROOT, file)} ${statSync(file).mode}\0`)
    .update(readFileSync(file))
    .update('\0');
}
