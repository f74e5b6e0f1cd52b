// JSON Schema validation of rubric and answers files. Each schema is loaded (precompiled) or compiled once, on first
// use, so commands that never read a YAML file never load it (rubric/validators.ts).
//
// The schemas are the package's own JSON modules (rubric/*.schema.json, also what editors load), loaded by the module
// system like any import: createRequire rather than `import … with { type: 'json' }`, which Node 20 still reports as
// experimental on stderr, and rather than a static import, which would load them on every start.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { RUBRIC_DIR } from '../paths.js';
import { FILE_SCHEMA_OPTIONS, validatorFor } from './validators.js';

const requireJson = createRequire(import.meta.url);

export const FILE_SCHEMAS = ['rubric.schema.json', 'answers.schema.json'] as const;

/** A package schema, as the module system loads JSON (see above). */
export function fileSchema(name: (typeof FILE_SCHEMAS)[number]): object {
  return requireJson(join(RUBRIC_DIR, name)) as object;
}

export function schemaValidator(name: (typeof FILE_SCHEMAS)[number]): ValidateFunction {
  return validatorFor(name, fileSchema(name), FILE_SCHEMA_OPTIONS);
}
