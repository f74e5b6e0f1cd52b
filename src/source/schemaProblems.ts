// Turns JSON Schema (ajv) errors into positioned problems a file's author understands.

import type { ErrorObject } from 'ajv';
import type { FileProblem } from '../errors.js';
import type { YamlSource } from './yamlSource.js';
import { didYouMean } from '../text.js';

export function schemaProblems(source: YamlSource, errors: readonly ErrorObject[]): FileProblem[] {
  // A failed `oneOf` also reports why each of its branches failed, at the same place or deeper.
  // Those say the same thing less clearly (and through $ref their schema paths say nothing of the
  // oneOf), so the outermost oneOf failure at a place speaks for everything at and below it.
  const oneOfPlaces = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const relevant = errors
    .filter((e) => {
      const covering = oneOfPlaces.filter((place) => within(e.instancePath, place));
      if (covering.length === 0) return true;
      const outermost = covering.reduce((a, b) => (a.length <= b.length ? a : b));
      return e.keyword === 'oneOf' && e.instancePath === outermost;
    })
    // Where oneOfs nest at one place (a branch that is itself a oneOf, through $ref), ajv reports the inner failure
    // first and the outermost last: the outermost speaks for the value.
    .filter(
      (e, i, all) => e.keyword !== 'oneOf' || all.findLastIndex((x) => x.keyword === 'oneOf' && x.instancePath === e.instancePath) === i,
    )
    // Except where the value plainly meant one branch — a mapping, and one mapping form that fits its keys best —:
    // then that branch's own errors ("unknown key noet; did you mean note?") say more than "no allowed form".
    .flatMap((e) => (e.keyword === 'oneOf' ? (meantBranch(e, errors) ?? [e]) : [e]));

  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  for (const e of relevant) {
    const { pointer, at, message } = describe(e);
    // The outermost oneOf at a place comes first from ajv; later ones there are its branches.
    const key = e.keyword === 'oneOf' ? pointer : `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file: source.file, ...source.locate(pointer, at), message, pointer, code: `schema-${e.keyword}`, severity: 'error' });
  }
  return problems;
}

/** The errors of the one mapping branch of a failed oneOf that a mapping value was meant for, if that is clear. */
function meantBranch(e: ErrorObject, errors: readonly ErrorObject[]): ErrorObject[] | undefined {
  const data = e.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const branches = Array.isArray(e.schema) ? (e.schema as { type?: unknown; required?: unknown }[]) : [];
  const fit = branches.map((b) =>
    b.type !== 'object' ? -1 : (Array.isArray(b.required) ? b.required : []).filter((k) => typeof k === 'string' && k in data).length,
  );
  const best = Math.max(...fit);
  if (best < 0 || fit.filter((f) => f === best).length !== 1) return undefined;
  const prefix = `${e.schemaPath}/${fit.indexOf(best)}/`;
  const own = errors.filter((x) => x.schemaPath.startsWith(prefix) && within(x.instancePath, e.instancePath));
  return own.length > 0 ? own : undefined;
}

function within(path: string, place: string): boolean {
  return path === place || path.startsWith(`${place}/`);
}

function describe(e: ErrorObject): { pointer: string; at: 'key' | 'value'; message: string } {
  const pointer = e.instancePath;
  const field = lastSegment(pointer);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { pointer, at: 'value', message: `missing required key "${String(params.missingProperty)}"${inWhat(pointer, e.data)}` };
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      return {
        pointer: `${pointer}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        at: 'key',
        message: `unknown key ${show(extra)}${inWhat(pointer, e.data)}${didYouMean(extra, allowed)} (expected one of: ${allowed.join(', ')})`,
      };
    }
    case 'enum':
      return {
        pointer,
        at: 'value',
        message: `${show(e.data)} is not a valid ${field} (expected one of: ${(params.allowedValues as unknown[]).join(', ')})`,
      };
    case 'type': {
      // YAML reads 1.0 as a number and true as a boolean; quoting is the fix an author needs.
      const quote =
        params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')
          ? '; put the value in quotes to make it text'
          : '';
      return { pointer, at: 'value', message: `${field} should be ${article(String(params.type))}, found ${typeName(e.data)}${quote}` };
    }
    case 'pattern': {
      const described = typeof e.parentSchema?.description === 'string' ? firstSentence(e.parentSchema.description) : undefined;
      const hint = described ?? PATTERN_HINTS[String(params.pattern)] ?? `a value matching ${String(params.pattern)}`;
      return { pointer, at: 'value', message: `${show(e.data)} is not a valid ${field} (expected ${lowerFirst(hint)})` };
    }
    case 'minItems': {
      const found = Array.isArray(e.data) ? `, found ${e.data.length}` : '';
      return {
        pointer,
        at: 'value',
        message: `${field} needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}${found}`,
      };
    }
    case 'maxItems':
      return { pointer, at: 'value', message: `${field} has more than ${String(params.limit)} items` };
    case 'minLength':
      return { pointer, at: 'value', message: `${field} must not be empty` };
    case 'maxLength':
      return { pointer, at: 'value', message: `${field} is longer than ${String(params.limit)} characters` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        pointer,
        at: 'value',
        message: `${field} ${String(e.data)} is out of range (must be ${String(params.comparison)} ${String(params.limit)})`,
      };
    case 'uniqueItems':
      return { pointer, at: 'value', message: `${field} lists the same value twice` };
    case 'oneOf':
      return { pointer, at: 'value', message: `${field} does not match any allowed form${formsOf(e)}` };
    default:
      return { pointer, at: 'value', message: `${field} ${e.message ?? 'is invalid'}` };
  }
}

function formsOf(e: ErrorObject): string {
  if (typeof e.parentSchema?.description === 'string') return ` (expected ${lowerFirst(e.parentSchema.description)})`;
  const branches = (e.schema as { required?: string[] }[] | undefined) ?? [];
  const forms = branches.map((b) => (b.required ? `{ ${b.required.join(', ')} }` : '')).filter(Boolean);
  return forms.length > 0 ? ` (expected ${forms.join(' or ')})` : '';
}

/** Patterns without a description in the schema, in words. */
const PATTERN_HINTS: Record<string, string> = {
  '^https?://[^\\s]+$': 'an http:// or https:// address without spaces',
};

/** The singular of each list in a rubric or answers file, to name an item of it by its id. */
const ITEM_NAMES: Record<string, string> = {
  aspects: 'aspect',
  questions: 'question',
  recommendations: 'recommendation',
  choices: 'choice',
  levels: 'level',
  links: 'link',
};

function inWhat(pointer: string, data?: unknown): string {
  if (pointer === '') return ' at the top level';
  const segments = pointer.split('/').filter(Boolean);
  const item = ITEM_NAMES[segments.at(-2) ?? ''];
  const id = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>).id : undefined;
  if (item && /^\d+$/.test(segments.at(-1) ?? '') && typeof id === 'string') return ` in ${item} ${show(id)}`;
  return ` in ${lastSegment(pointer)}`;
}

/** "Semantic version, e.g. 1.2.0. Bump it when…" → "Semantic version, e.g. 1.2.0.": a sentence ends where a capital follows. */
function firstSentence(s: string): string {
  return s.split(/(?<=\.)\s+(?=[A-Z])/)[0]!;
}

function lastSegment(pointer: string): string {
  const segments = pointer.split('/').filter(Boolean);
  // For an array item, name the array and the position: "choices[2]".
  const last = segments.at(-1);
  if (last === undefined) return 'the file';
  if (/^\d+$/.test(last)) return `${segments.at(-2) ?? 'item'}[${last}]`;
  return last;
}

function show(value: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? String(value) : json.slice(0, 80);
}

function typeName(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${article(typeof value)} (${show(value)})`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}
