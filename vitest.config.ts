import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Many tests run the built CLI, Chromium or a pseudo-terminal as real processes on a shared
    // 2-core machine: these are caps against a hang, not timing assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
