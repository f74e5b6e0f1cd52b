import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Many tests run the built CLI, Chromium or a pseudo-terminal as real processes on a shared
    // 2-core machine: these are caps against a hang, not timing assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest keeps one core for itself by default, which on 2 cores runs the files one at a time. Much of a test's
    // time here is spent waiting on child processes, Chromium and fsync: a worker per core (measured: 48 s against
    // 85 s with one worker, and 54 s with four).
    maxWorkers: '100%',
  },
});
