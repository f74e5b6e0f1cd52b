// Where cnassess's own files (rubric/, templates/, package.json) are. Found by walking up from this
// module to the folder with package.json, so it holds from src/ (tests), dist/ (the package) and
// dist-bench/src/ (benchmarks) alike.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find cnassess's package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const RUBRIC_DIR = join(PACKAGE_ROOT, 'rubric');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
