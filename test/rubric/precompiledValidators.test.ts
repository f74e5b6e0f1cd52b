// The built package's precompiled validators (dist/validators.cjs, written by `npm run build` and by the tests' global
// setup): one for every schema, compiled from the schemas as they are now, and judging every input as ajv compiling
// the same schema at run time does.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_SCHEMAS, payloadKey } from '../../src/assessment/eventSchemas.js';
import type { DomainEventType } from '../../src/assessment/events.js';
import { fileSchema } from '../../src/rubric/schema.js';
import { packageSchemas } from '../../src/build/packageSchemas.js';
import {
  FILE_SCHEMA_OPTIONS,
  PAYLOAD_SCHEMA_OPTIONS,
  PRECOMPILED_FILE,
  schemaDigest,
  type PrecompiledValidators,
} from '../../src/rubric/validators.js';
import { parseYamlSource } from '../../src/source/yamlSource.js';
import { ROOT } from '../support/cli.js';

const built = createRequire(import.meta.url)(join(ROOT, 'dist', PRECOMPILED_FILE)) as PrecompiledValidators;
const schemas = packageSchemas();

/** What a validator says of a value: valid, or its errors. */
function verdict(validate: (data: unknown) => boolean, data: unknown): { valid: boolean; errors: ErrorObject[] } {
  const valid = validate(data);
  return { valid, errors: (validate as unknown as { errors?: ErrorObject[] | null }).errors ?? [] };
}

describe('the precompiled validators in dist/', () => {
  it('hold one validator for every schema, compiled from the schema and options as they are now', () => {
    expect(Object.keys(built.validators).sort()).toEqual(schemas.map((s) => s.key).sort());
    for (const { key, schema, options } of schemas) expect(built.digests[key], key).toBe(schemaDigest(schema, options));
  });

  it('judge every rubric of the corpus, valid and broken, as a validator compiled now does, error for error', () => {
    const compiled = new Ajv(FILE_SCHEMA_OPTIONS).compile(fileSchema('rubric.schema.json'));
    const precompiled = built.validators['rubric.schema.json']!;
    const dir = join(ROOT, 'test', 'fixtures', 'rubrics');
    const files = ['valid', 'broken'].flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f)));
    files.push(join(ROOT, 'rubric', 'cloud-native.yaml'));
    let invalid = 0;
    for (const file of files) {
      const value = parseYamlSource(file, readFileSync(file)).value;
      if (value === undefined) continue;
      const now = verdict(compiled, value);
      expect(verdict(precompiled, value), file).toEqual(now);
      if (!now.valid) invalid++;
    }
    expect(invalid).toBeGreaterThan(10); // the corpus reached the schema's errors, not only its happy path
  });

  it('judge payloads of every event type, good and bad, as a validator compiled now does', () => {
    const bad = [null, 'text', [], {}, { question: 7 }, { respondent: '' }, { answer: 'maybe' }, { level: 99 }];
    for (const type of Object.keys(PAYLOAD_SCHEMAS) as DomainEventType[]) {
      const compiled = new Ajv(PAYLOAD_SCHEMA_OPTIONS).compile(PAYLOAD_SCHEMAS[type]);
      for (const data of bad)
        expect(verdict(built.validators[payloadKey(type)]!, data), `${type} ${JSON.stringify(data)}`).toEqual(verdict(compiled, data));
    }
  });
});
