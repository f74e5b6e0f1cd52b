// Not in run.ts: that module runs the benches when it loads, and a bench module that imported a value from it
// would import it again while it waits for them.

/** The middle of `xs` (the upper middle of an even count): what the benches report, to leave warm-up and stalls out. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
