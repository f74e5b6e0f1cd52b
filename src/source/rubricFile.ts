// Reading a rubric file: the built-in one or a company's, relative paths from the command's folder, then parsed by
// rubric/parse.ts. Problems name the file as the user gave it.

import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidFileError, type FileProblem } from '../errors.js';
import { RUBRIC_DIR } from '../paths.js';
import { parseRubric } from '../rubric/parse.js';
import type { Rubric } from '../rubric/types.js';
import { readInputFile } from './inputFile.js';

export const BUILT_IN_RUBRIC_PATH = join(RUBRIC_DIR, 'cloud-native.yaml');
/** The built-in rubric as it was first released, kept for old logs' comparisons, `rubric diff` and the demo. */
export const FIRST_BUILT_IN_RUBRIC_PATH = join(RUBRIC_DIR, 'history', 'cloud-native-1.0.0.yaml');

/**
 * Reads and parses a rubric file (relative paths from `cwd`); `undefined` means the built-in one. Throws
 * InvalidFileError on errors, naming the file as given.
 */
export async function loadRubric(file?: string, cwd = '.'): Promise<{ rubric: Rubric; warnings: readonly FileProblem[]; path: string }> {
  const path = file ?? BUILT_IN_RUBRIC_PATH;
  const parsed = parseRubric(path, await readUserFile(path, { cwd }), { builtIn: await isBuiltIn(resolve(cwd, path)) });
  if (!parsed.rubric) throw new InvalidFileError(parsed.problems, `${path} is not a valid rubric`);
  return { rubric: parsed.rubric, warnings: parsed.problems, path };
}

export async function isBuiltIn(path: string): Promise<boolean> {
  try {
    return (await realpath(path)) === (await realpath(BUILT_IN_RUBRIC_PATH));
  } catch {
    return false;
  }
}

/** Reads a file the user named: a regular file of at most 2 MB, or one clear sentence. */
export const readUserFile = readInputFile;
