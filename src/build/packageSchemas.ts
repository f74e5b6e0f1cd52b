// Every JSON Schema of the package, with the name and the ajv options its validator is used under: what the build
// precompiles (precompileValidators.ts), and what the tests check the precompiled validators against.

import type { Options } from 'ajv';
import { PAYLOAD_SCHEMAS, payloadKey } from '../assessment/eventSchemas.js';
import type { DomainEventType } from '../assessment/events.js';
import { FILE_SCHEMAS, fileSchema } from '../rubric/schema.js';
import { FILE_SCHEMA_OPTIONS, PAYLOAD_SCHEMA_OPTIONS } from '../rubric/validators.js';

export interface PackageSchema {
  readonly key: string;
  readonly schema: object;
  readonly options: Options;
}

export function packageSchemas(): PackageSchema[] {
  return [
    ...FILE_SCHEMAS.map((name) => ({ key: name, schema: fileSchema(name), options: FILE_SCHEMA_OPTIONS })),
    ...(Object.keys(PAYLOAD_SCHEMAS) as DomainEventType[]).map((type) => ({
      key: payloadKey(type),
      schema: PAYLOAD_SCHEMAS[type],
      options: PAYLOAD_SCHEMA_OPTIONS,
    })),
  ];
}
