// Builds dist/ once before any test runs: the tests that need a real process run the built executable, and running
// `npx vitest` alone must never test a stale build. The build is incremental (its state in node_modules/.cache), so
// an unchanged tree builds in a second; a dist/ deleted under a kept state is rebuilt from scratch, since tsc would
// not notice the missing files. It only emits (--noCheck): `npm test` checks the types before vitest starts, and a
// build that checked them again took twice as long on a fresh clone.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const state = join(root, 'node_modules', '.cache', 'cnassess', 'build.tsbuildinfo');
  if (!existsSync(join(root, 'dist', 'bin.js'))) rmSync(state, { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--incremental', '--tsBuildInfoFile', state], {
    cwd: root,
    stdio: 'inherit',
  });
  // As `npm run build` does: the precompiled validators, and the executable's mode (build/afterCompile.ts).
  execFileSync(process.execPath, [join(root, 'dist', 'build', 'afterCompile.js')], { cwd: root, stdio: 'inherit' });
}
