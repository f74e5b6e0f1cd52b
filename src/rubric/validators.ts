// JSON Schema validators for the package's own schemas (the rubric and answers formats, each event type's payload).
// Compiling the rubric format's schema took a quarter of every command's start, so `npm run build` compiles them all
// ahead into dist/validators.cjs (ajv's standalone code; see build/afterCompile.ts), loaded here like any
// module. A precompiled validator is used only if it was compiled from exactly this schema, these options and this
// ajv (a digest of the three): a stale or missing build falls back to compiling with ajv, never to an old schema. The
// sources (src/, as the tests run them) have no such file, and compile.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';

/** allErrors: a file's author gets every problem at once. verbose: messages can name the allowed keys. */
export const FILE_SCHEMA_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateSchema: false };
/** A payload that fails is damage: the first problem is enough. */
export const PAYLOAD_SCHEMA_OPTIONS: Options = { allErrors: false, strict: true, validateSchema: false };
// validateSchema: false — the schemas are this package's own, checked against JSON Schema's meta-schema by a test
// (test/rubric/schemas.test.ts) rather than on every start.

/** Where the build writes the precompiled validators, relative to this module's folder's parent (dist/). */
export const PRECOMPILED_FILE = 'validators.cjs';

export interface PrecompiledValidators {
  /** key → schemaDigest of the schema and options it was compiled from. */
  readonly digests: Readonly<Record<string, string>>;
  readonly validators: Readonly<Record<string, ValidateFunction>>;
}

const requireModule = createRequire(import.meta.url);

/** What a validator was compiled from: the schema, ajv's options, and ajv's version (its generated code changes). */
export function schemaDigest(schema: object, options: Options): string {
  const { version } = requireModule('ajv/package.json') as { version: string };
  return createHash('sha256')
    .update(JSON.stringify([version, options, schema]))
    .digest('hex');
}

let precompiled: PrecompiledValidators | null | undefined;
const compilers = new Map<Options, Ajv>();
/** Each key's validator, once loaded or compiled in this process. */
const inUse = new Map<string, ValidateFunction>();

function loadPrecompiled(): PrecompiledValidators | null {
  if (precompiled === undefined) {
    try {
      precompiled = requireModule(`../${PRECOMPILED_FILE}`) as PrecompiledValidators;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw e;
      precompiled = null;
    }
  }
  return precompiled;
}

/**
 * The validator of `schema` under `options`, named `key`: the build's, when compiled from exactly these; otherwise
 * compiled now. Either way once per process.
 */
export function validatorFor(key: string, schema: object, options: Options): ValidateFunction {
  let validate = inUse.get(key);
  if (validate === undefined) {
    validate = loadOrCompile(key, schema, options);
    inUse.set(key, validate);
  }
  return validate;
}

function loadOrCompile(key: string, schema: object, options: Options): ValidateFunction {
  const built = loadPrecompiled();
  const validate = built?.validators[key];
  if (validate !== undefined && built?.digests[key] === schemaDigest(schema, options)) return validate;
  let ajv = compilers.get(options);
  if (ajv === undefined) {
    // Loaded only here: with a precompiled validator, a command never loads ajv's compiler.
    const { Ajv: AjvClass } = requireModule('ajv') as typeof import('ajv');
    ajv = new AjvClass(options);
    compilers.set(options, ajv);
  }
  return ajv.compile(schema);
}
