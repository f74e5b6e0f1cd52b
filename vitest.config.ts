import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/processState.ts'],
    // Many tests run the built CLI, Chromium or a pseudo-terminal as real processes on a shared
    // 2-core machine: these are caps against a hang, not timing assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest keeps one core for itself by default, which on 2 cores runs the files one at a time. Much of a test's
    // time here is spent waiting on child processes, Chromium and fsync: a worker per core (measured: 48 s against
    // 85 s with one worker, and 54 s with four).
    maxWorkers: '100%',
    // One process per worker for all its files, not a new one per file: each of the 61 files paid a process start
    // and a fresh import of the sources (measured: 84 s → 63 s for the whole run). No test changes process-wide state
    // (environment, working folder, timers): each passes its own env and cwd to main(), and processState.ts fails a
    // file that leaves them changed.
    isolate: false,
    // Transformed sources kept on disk between runs (node_modules/.experimental-vitest-cache), each under a hash of
    // its path, its content, vitest's version and this config, so an edited file is transformed anew. tsconfig.json
    // (which the transform reads for its target) is not in the hash: after editing it, `npx vitest --clearCache`.
    // The default from Vitest 5 (as top-level `fsModuleCache`). Measured back-to-back, three runs each:
    // 43.8 → 41.5 s, transform and import 5.5 → 1.9 s.
    experimental: { fsModuleCache: true },
    unstubGlobals: true,
  },
});
