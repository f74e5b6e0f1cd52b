// The package's own JSON Schemas — the rubric and answers file formats, and each event type's payload — are valid
// JSON Schema. cnassess compiles them without checking them against the meta-schema on every start; this is where
// they are checked instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_SCHEMAS } from '../../src/assessment/eventSchemas.js';
import { ROOT } from '../support/cli.js';

const metaSchemaProblems = (schema: object): string[] => {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.validateSchema(schema) ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
};

describe("the package's JSON Schemas", () => {
  it.each(['rubric.schema.json', 'answers.schema.json'])('%s is valid JSON Schema, and compiles in strict mode', (name) => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'rubric', name), 'utf8')) as object;
    expect(metaSchemaProblems(schema)).toEqual([]);
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it('has a valid schema for every event type, each compiling in strict mode', () => {
    expect(Object.keys(PAYLOAD_SCHEMAS).length).toBeGreaterThanOrEqual(10);
    for (const [type, schema] of Object.entries(PAYLOAD_SCHEMAS)) {
      expect(metaSchemaProblems(schema), type).toEqual([]);
      expect(() => new Ajv({ strict: true }).compile(schema), type).not.toThrow();
    }
  });

  it('finds a schema that is not valid JSON Schema (the check can fail)', () => {
    const problems = metaSchemaProblems({ type: 'object', properties: { a: { type: 'text' } }, required: 'a' });
    expect(problems).toEqual(
      expect.arrayContaining(['/required must be array', '/properties/a/type must be equal to one of the allowed values']),
    );
  });
});
