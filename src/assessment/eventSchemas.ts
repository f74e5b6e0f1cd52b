// The shape of each event type's data, as JSON Schema: every stored event is checked against it when read (after
// upcasting), so a record with a valid hash but an impossible payload — a hand-made line, a bug in another tool — is
// damage at its line, never a crash in a view. Compiled once per process, on the first event read.

import type { ValidateFunction } from 'ajv';
import { schemaValidator } from '../rubric/schema.js';
import { PAYLOAD_SCHEMA_OPTIONS, validatorFor } from '../rubric/validators.js';
import type { DomainEventType } from './events.js';

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const level = { type: 'integer', minimum: 0, maximum: 10 } as const;
const answer = { oneOf: [{ const: 'n/a' }, { type: 'array', minItems: 1, maxItems: 100, items: id }] } as const;
const rubricRef = {
  type: 'object',
  required: ['id', 'version', 'digest'],
  properties: { id, version: { type: 'string', minLength: 1, maxLength: 100 }, digest: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
} as const;

/**
 * The JSON Schema of each event type's payload. Extra keys are allowed, as a newer cnassess may add optional fields
 * to a type without a new schema version. (The rubric inside RubricRegistered is checked against the rubric format.)
 */
export const PAYLOAD_SCHEMAS: Readonly<Record<DomainEventType, object>> = {
  RubricRegistered: { type: 'object', required: ['ref', 'rubric'], properties: { ref: rubricRef, rubric: { type: 'object' } } },
  AssessmentStarted: {
    type: 'object',
    required: ['org', 'scope', 'period', 'rubric'],
    properties: { org: name, scope: name, period: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' }, rubric: rubricRef, carriedFrom: id },
  },
  AnswerRecorded: {
    type: 'object',
    required: ['question', 'answer', 'respondent'],
    properties: {
      question: id,
      answer,
      respondent: name,
      note: { type: 'string', maxLength: 2000 },
      carried: { type: 'boolean' },
    },
  },
  AnswerCleared: { type: 'object', required: ['question', 'respondent'], properties: { question: id, respondent: name } },
  TargetSet: { type: 'object', required: ['aspect', 'level'], properties: { aspect: id, level } },
  AssessmentCompleted: { type: 'object' },
  AssessmentReopened: { type: 'object', properties: { reason: text } },
  RespondentsInvited: {
    type: 'object',
    required: ['respondents'],
    properties: { respondents: { type: 'array', minItems: 1, maxItems: 1000, items: name } },
  },
  ConsensusRecorded: {
    type: 'object',
    required: ['question', 'answer', 'rationale', 'facilitator', 'settled'],
    properties: {
      question: id,
      answer,
      rationale: text,
      facilitator: name,
      settled: {
        type: 'array',
        maxItems: 10000,
        items: { type: 'object', required: ['respondent', 'answer'], properties: { respondent: name, answer } },
      },
    },
  },
  RespondentRenamed: { type: 'object', required: ['from', 'to'], properties: { from: name, to: name } },
  StepStatusSet: {
    type: 'object',
    required: ['step', 'status'],
    properties: {
      step: id,
      status: { enum: ['planned', 'in-progress', 'done', 'wont-do'] },
      note: text,
      owner: name,
      due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      carried: { type: 'boolean' },
    },
  },
};

/**
 * The validator of one event type, loaded or compiled the first time a record of that type is read: a command that
 * reads three types of event compiles three schemas, not thirteen, when there is no precompiled one.
 */
function validatorOf(type: DomainEventType): ValidateFunction | undefined {
  // An unknown type (a newer cnassess's, or a hostile "constructor") has no schema, not Object.prototype's.
  if (!Object.hasOwn(PAYLOAD_SCHEMAS, type)) return undefined;
  return validatorFor(payloadKey(type), PAYLOAD_SCHEMAS[type], PAYLOAD_SCHEMA_OPTIONS);
}

/** The name of a payload's validator among the package's precompiled ones. */
export function payloadKey(type: DomainEventType): string {
  return `event ${type}`;
}

/** Why `data` is not a possible payload of `type`, or undefined when it is. */
export function payloadProblem(type: DomainEventType, data: unknown): string | undefined {
  const validate = validatorOf(type);
  if (validate === undefined) return undefined;
  if (!validate(data)) return describe(validate);
  if (type === 'RubricRegistered') {
    // The rubric itself, against the rubric format: scoring and the report read every part of it.
    const rubric = schemaValidator('rubric.schema.json');
    if (!rubric((data as { rubric: unknown }).rubric)) return describe(rubric, '/rubric');
  }
  return undefined;
}

function describe(validate: ValidateFunction, prefix = ''): string {
  const error = validate.errors?.[0];
  if (!error) return 'it does not have the shape of its type';
  const where = `data${prefix}${error.instancePath}`;
  return `${where} ${error.message ?? 'is not valid'}`;
}
