// What names a rubric in the log. Its own module so that the commands that only read the log (score, verify, list)
// never load the YAML parser that rubric/parse.ts needs.
import { createHash } from 'node:crypto';
import type { Rubric, RubricRef } from './types.js';

/** A content digest that ignores formatting and comments: two files with the same rubric data share it. */
export function rubricRef(rubric: Rubric): RubricRef {
  return { id: rubric.id, version: rubric.version, digest: createHash('sha256').update(JSON.stringify(rubric)).digest('hex') };
}
