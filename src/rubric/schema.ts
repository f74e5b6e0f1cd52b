// JSON Schema validation of rubric and answers files. Each schema is compiled once, on first use,
// so commands that never read a YAML file never load ajv.
//
// The schemas are the package's own JSON modules (rubric/*.schema.json, also what editors load), loaded by the module
// system like any import: createRequire rather than `import … with { type: 'json' }`, which Node 20 still reports as
// experimental on stderr, and rather than a static import, which would load them on every start.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { RUBRIC_DIR } from '../paths.js';

const compiled = new Map<string, ValidateFunction>();
const requireJson = createRequire(import.meta.url);

export function schemaValidator(name: 'rubric.schema.json' | 'answers.schema.json'): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = requireJson(join(RUBRIC_DIR, name)) as object;
    // allErrors: a file's author gets every problem at once. verbose: messages can name the allowed keys. The schema
    // is the package's own, checked against JSON Schema's meta-schema by a test rather than on every start.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateSchema: false });
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}
