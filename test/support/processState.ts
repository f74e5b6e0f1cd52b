// Run before each test file (vitest's setupFiles). The files of a worker share one process (isolate: false in
// vitest.config.ts), so a file that left the working folder, the environment or the clock changed would change the
// files after it: this fails the file that did. (Globals stubbed with vi.stubGlobal are undone after each test:
// unstubGlobals in vitest.config.ts.)
import { afterAll, expect, vi } from 'vitest';

const cwd = process.cwd();
const env = { ...process.env };

afterAll(() => {
  expect(process.cwd(), 'a test changed the working folder; pass cwd to main() instead').toBe(cwd);
  expect({ ...process.env }, 'a test changed process.env; pass env to main() instead').toEqual(env);
  expect(vi.isFakeTimers(), 'a test left fake timers on').toBe(false);
  expect(vi.getMockedSystemTime(), 'a test left the system time set').toBeNull();
});
