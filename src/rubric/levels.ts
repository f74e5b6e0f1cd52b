// Naming levels: one place, since every view (score, report, diff, trend) says "3 Scale".
import type { Rubric } from './types.js';

/** The level's name, or its number when the rubric does not define it. */
export function levelName(rubric: Rubric, level: number): string {
  return rubric.levels.find((l) => l.level === level)?.name ?? String(level);
}
