// Cutting a wide table's columns into tables that fit a screen and A4: the organisation view's heatmap, the report's
// trend. Pure.

/** The most aspect columns one such table holds (the built-in rubric's six fit on A4 with the others of the table). */
export const MOST_ASPECT_COLUMNS = 6;

/**
 * `[from, to)` of each of the fewest tables that hold `count` columns at most `most` apiece, of sizes that differ by one
 * at most: 13 columns are 5, 4 and 4, not 5, 5 and 3. One table, empty, when there is nothing to cut.
 */
export function evenRuns(count: number, most = MOST_ASPECT_COLUMNS): [from: number, to: number][] {
  const tables = Math.max(1, Math.ceil(count / most));
  const [size, larger] = [Math.floor(count / tables), count % tables];
  const runs: [number, number][] = [];
  let from = 0;
  for (let t = 0; t < tables; t++) {
    const to = from + size + (t < larger ? 1 : 0);
    runs.push([from, to]);
    from = to;
  }
  return runs;
}
