// Hostile rubric files of a chosen size, made from a minimal valid rubric: what an attacker sends to exhaust time,
// memory or the stack. The broken-rubric tests check what is refused and where (test/rubric/brokenRubrics.test.ts);
// the bench measures how the cost grows with the size (test/bench/rubric.bench.ts).

/** `n` nested flow lists: "[[[[…". */
export function nestedLists(n: number): string {
  return '['.repeat(n);
}

/** One recommendation of `minimal` requiring `n` ids. */
export function requiresList(minimal: string, n: number): string {
  const ids = Array.from({ length: n }, (_, i) => `r${i}`).join(', ');
  return minimal.replace('        impact: high\n', `        impact: high\n        requires: [${ids}]\n`);
}

/** `n` recommendations, each requiring the next: a chain longer than the call stack is deep when `n` is large. */
export function requiresChain(minimal: string, n: number): string {
  const recommendations = Array.from(
    { length: n },
    (_, i) => `      - { id: r${i}, title: t, why: w, level: 2, effort: S, impact: low, requires: [r${i + 1}] }`,
  ).join('\n');
  return minimal.replace(/ {4}recommendations:\n[\s\S]*$/, `    recommendations:\n${recommendations}\n`);
}

/** The same key `n` times. */
export function duplicateKeys(n: number): string {
  return 'a: 1\n'.repeat(n);
}

/** A list of `n` aliases of one anchor (expanded, a "billion laughs"). */
export function aliases(n: number): string {
  return `a: &a [lol]\nb: [${'*a, '.repeat(n - 1)}*a]\n`;
}
