// Parsing a rubric, purely: bytes in; YAML with positions, the schema, the semantic checks; the typed Rubric out
// (defaults filled in), or every problem with its position. Reading the file is source/rubricFile.ts's job.

import { createHash } from 'node:crypto';
import type { FileProblem } from '../errors.js';
import { schemaProblems } from '../source/schemaProblems.js';
import { parseYamlSource, type YamlSource } from '../source/yamlSource.js';
import { semanticProblems } from './checks.js';
import { schemaValidator } from './schema.js';
import type { AnswerRule, Aspect, ChoiceCondition, Condition, HowToAnswer, Question, Raise, Recommendation, Rubric } from './types.js';

export interface RubricParse {
  /** Present only when there are no errors (warnings allowed). */
  readonly rubric?: Rubric;
  readonly problems: readonly FileProblem[];
}

/**
 * The last few parses, by content and options. Parsing is pure and its result readonly, and a process that runs many
 * commands through main() — the test suite runs hundreds — would otherwise parse the same rubric (60 KB of YAML with
 * positions, the schema, the checks) again for each: a tenth of the suite's time. Not by file name: the same bytes
 * under another name (the copy a store keeps) parse the same, and only the problems' file differs.
 */
const recentParses = new Map<string, { file: string; parsed: RubricParse }>();
const RECENT_PARSES = 8;

/** Pure: bytes in, rubric or positioned problems out. */
export function parseRubric(file: string, bytes: Uint8Array, options: { builtIn: boolean }): RubricParse {
  const key = `${options.builtIn ? 'built-in' : 'file'}\0${createHash('sha256').update(bytes).digest('hex')}`;
  const recent = recentParses.get(key);
  if (recent !== undefined) {
    // Least recently used goes first: the rubric every command reads stays while one-off rubrics come and go.
    recentParses.delete(key);
    recentParses.set(key, recent);
    if (recent.file === file || recent.parsed.problems.length === 0) return recent.parsed;
    return { ...recent.parsed, problems: recent.parsed.problems.map((p) => ({ ...p, file })) };
  }
  const parsed = parseRubricUncached(file, bytes, options);
  recentParses.set(key, { file, parsed });
  if (recentParses.size > RECENT_PARSES) recentParses.delete(recentParses.keys().next().value as string);
  return parsed;
}

/** parseRubric without the memo: every call parses (what `npm run bench` measures). */
export function parseRubricUncached(file: string, bytes: Uint8Array, options: { builtIn: boolean }): RubricParse {
  const source = parseYamlSource(file, bytes);
  if (source.value === undefined) return { problems: source.problems };
  const value = source.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // Placed on the value itself, not on line 1, which may be a comment.
    const found = Array.isArray(value) ? 'a list' : value === null ? 'nothing (null)' : `a single ${typeof value} value`;
    const message = `the file holds ${found}; a rubric is a YAML mapping with the keys id, version, title, levels and aspects`;
    return { problems: [{ file, ...source.locate(''), message, code: 'not-a-mapping', severity: 'error' }] };
  }
  const oversized = oversizedRequires(file, source, value);
  if (oversized.length > 0) return { problems: oversized };
  const validate = schemaValidator('rubric.schema.json');
  const schemaOk = validate(value);
  const problems = [...(schemaOk ? [] : schemaProblems(source, validate.errors ?? [])), ...semanticProblems(source, value, options)].sort(
    (a, b) => a.line - b.line || a.col - b.col,
  );
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { rubric: normalise(value as RawRubric), problems };
}

/** Far more than any real recommendation needs; see oversizedRequires. */
const MAX_REQUIRES = 1000;

/**
 * ajv checks `uniqueItems` by comparing every pair of items when their type comes through a $ref,
 * as `requires` does; a hostile list of 300 000 ids would then take minutes. Such lists are refused
 * before the schema runs.
 */
function oversizedRequires(file: string, source: YamlSource, value: object): FileProblem[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const field = (v: unknown, key: string): unknown =>
    typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return list(field(value, 'aspects')).flatMap((aspect, a) =>
    list(field(aspect, 'recommendations')).flatMap((r, i) => {
      const requires = list(field(r, 'requires'));
      if (requires.length <= MAX_REQUIRES) return [];
      const pointer = `/aspects/${a}/recommendations/${i}/requires`;
      const message = `requires lists ${requires.length} ids; a recommendation may require at most ${MAX_REQUIRES}`;
      return [{ file, ...source.locate(pointer), message, pointer, code: 'too-many-requires', severity: 'error' as const }];
    }),
  );
}

// The raw shape after schema validation; optional keys get their defaults in normalise().
interface RawQuestion extends Omit<Question, 'weight' | 'gate' | 'notApplicable'> {
  weight?: number;
  gate?: boolean;
  notApplicable?: boolean;
}
interface RawRecommendation extends Omit<Recommendation, 'requires' | 'links' | 'raises'> {
  requires?: string[];
  raises?: Array<string | Raise>;
  links?: Recommendation['links'];
}
interface RawAspect extends Omit<Aspect, 'weight' | 'questions' | 'recommendations'> {
  weight?: number;
  questions: RawQuestion[];
  recommendations: RawRecommendation[];
}
interface RawRubric extends Omit<Rubric, 'aspects'> {
  aspects: RawAspect[];
}

function normalise(raw: RawRubric): Rubric {
  // Built key by key (not spread) so the digest's JSON has one stable key order. Fields added to the format later are
  // left out when absent, so a rubric that does not use them keeps the digest it always had.
  return {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    ...(raw.description !== undefined && { description: raw.description }),
    ...(raw.howToAnswer !== undefined && { howToAnswer: normaliseHowToAnswer(raw.howToAnswer) }),
    ...(raw.multiChoice !== undefined && { multiChoice: raw.multiChoice }),
    ...(raw.aspectRule !== undefined && { aspectRule: raw.aspectRule }),
    ...(raw.nouns !== undefined && { nouns: { aspect: raw.nouns.aspect, aspects: raw.nouns.aspects } }),
    levels: raw.levels.map((l) => ({ level: l.level, name: l.name, summary: l.summary })),
    aspects: raw.aspects.map((a) => ({
      id: a.id,
      title: a.title,
      summary: a.summary,
      weight: a.weight ?? 1,
      ...(a.rule !== undefined && { rule: a.rule }),
      ...(a.group !== undefined && { group: a.group }),
      ...(a.sourceId !== undefined && { sourceId: a.sourceId }),
      questions: a.questions.map((q) => ({
        id: q.id,
        text: q.text,
        ...(q.help !== undefined && { help: q.help }),
        type: q.type,
        weight: q.weight ?? 1,
        gate: q.gate ?? false,
        notApplicable: q.notApplicable ?? false,
        ...(q.when !== undefined && { when: normaliseCondition(q.when) }),
        ...(q.replaces !== undefined && { replaces: q.replaces }),
        ...(q.multiChoice !== undefined && { multiChoice: q.multiChoice }),
        ...(q.rules !== undefined && { rules: q.rules.map(normaliseRule) }),
        ...(q.sourceId !== undefined && { sourceId: q.sourceId }),
        choices: q.choices.map((c) => ({
          id: c.id,
          label: c.label,
          level: c.level,
          ...(c.exclusive === true && { exclusive: true }),
          ...(c.help !== undefined && { help: c.help }),
          ...(c.links !== undefined && { links: c.links.map((l) => ({ title: l.title, url: l.url })) }),
          ...(c.sourceId !== undefined && { sourceId: c.sourceId }),
        })),
      })),
      recommendations: a.recommendations.map((r) => ({
        id: r.id,
        title: r.title,
        why: r.why,
        level: r.level,
        effort: r.effort,
        impact: r.impact,
        requires: r.requires ?? [],
        ...(r.raises !== undefined && {
          raises: r.raises.map((x): Raise =>
            typeof x === 'string' ? { question: x } : { question: x.question, ...(x.choice !== undefined && { choice: x.choice }) },
          ),
        }),
        links: (r.links ?? []).map((l) => ({ title: l.title, url: l.url })),
      })),
    })),
  };
}

function normaliseHowToAnswer(h: HowToAnswer): HowToAnswer {
  return {
    ...(h.scope !== undefined && { scope: h.scope }),
    ...(h.between !== undefined && { between: h.between }),
    ...(h.unknown !== undefined && { unknown: h.unknown }),
    ...(h.evidence !== undefined && { evidence: h.evidence }),
    ...(h.terms !== undefined && { terms: h.terms.map((t) => ({ term: t.term, meaning: t.meaning })) }),
  };
}

function normaliseRule(rule: AnswerRule): AnswerRule {
  return 'default' in rule ? { default: true, level: rule.level } : { when: normaliseChoiceCondition(rule.when), level: rule.level };
}

function normaliseChoiceCondition<C extends ChoiceCondition>(condition: C): C;
function normaliseChoiceCondition(condition: ChoiceCondition): ChoiceCondition {
  if (typeof condition === 'string') return condition;
  if ('all' in condition) return { all: condition.all.map(normaliseChoiceCondition) };
  if ('any' in condition) return { any: condition.any.map(normaliseChoiceCondition) };
  return { none: condition.none.map(normaliseChoiceCondition) };
}

function normaliseCondition(when: Condition): Condition {
  return 'atLeast' in when ? { question: when.question, atLeast: when.atLeast } : { question: when.question, anyOf: [...when.anyOf] };
}
