// JSON Schema validation of rubric and answers files. Each schema is compiled once, on first use,
// so commands that never read a YAML file never load ajv.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { RUBRIC_DIR } from '../paths.js';

const compiled = new Map<string, ValidateFunction>();

export function schemaValidator(name: 'rubric.schema.json' | 'answers.schema.json'): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(RUBRIC_DIR, name), 'utf8')) as object;
    // allErrors: a file's author gets every problem at once. verbose: messages can name the allowed keys.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}
