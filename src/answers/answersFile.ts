// Answers files: one respondent's answers to one assessment, as YAML. Parsing and checking are
// pure; every problem comes back with its position, and nothing is recorded unless there are none.

import { decide, type AssessmentCommand } from '../assessment/decider.js';
import type { AnswerValue } from '../assessment/events.js';
import { assessmentStream, evolve, type AssessmentState } from '../assessment/state.js';
import { DomainError, type FileProblem } from '../errors.js';
import { schemaValidator } from '../rubric/schema.js';
import type { Rubric } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { schemaProblems } from '../source/schemaProblems.js';
import { escapePointer, parseYamlSource, type YamlSource } from '../source/yamlSource.js';
import { Document, isMap, isScalar, parse, visit } from 'yaml';
import { answerLevel } from '../assessment/scoring.js';
import { levelName } from '../rubric/levels.js';
import { safeText } from '../text.js';

type RawAnswer = string | string[] | { answer: string | string[]; note?: string };

export interface AnswersFile {
  readonly assessment: { readonly id: string } | { readonly org: string; readonly scope?: string; readonly period: string };
  readonly respondent: string;
  readonly answers: Readonly<Record<string, RawAnswer>>;
  readonly targets?: Readonly<Record<string, number | string>>;
}

export interface ParsedAnswersFile {
  /** The file, or with `partial` what of it has no schema problem (to check against the rubric all the same). */
  readonly file?: AnswersFile;
  readonly partial?: boolean;
  readonly source: YamlSource;
  readonly problems: readonly FileProblem[];
}

export function parseAnswersFile(path: string, bytes: Uint8Array): ParsedAnswersFile {
  const source = parseYamlSource(path, bytes);
  if (source.value === undefined) return { source, problems: source.problems };
  const validate = schemaValidator('answers.schema.json');
  if (validate(source.value)) return { source, file: source.value as AnswersFile, problems: [] };
  const problems = schemaProblems(source, validate.errors ?? []);
  const salvaged = salvage(source.value, problems);
  return { source, problems, ...(salvaged !== undefined && { file: salvaged, partial: true }) };
}

/**
 * What of a file with schema problems can still be checked against the rubric, so that one run reports every
 * problem: each answer and target without a problem of its own, when the file still says which assessment and who.
 */
function salvage(value: unknown, problems: readonly FileProblem[]): AnswersFile | undefined {
  const bad = problems.map((p) => p.pointer ?? '');
  const clean = (pointer: string) => !bad.some((b) => b === pointer || b.startsWith(`${pointer}/`) || pointer.startsWith(`${b}/`));
  if (typeof value !== 'object' || value === null || bad.includes('')) return undefined;
  const v = value as Record<string, unknown>;
  if (!clean('/assessment') || !clean('/respondent') || typeof v.respondent !== 'string') return undefined;
  const part = (key: 'answers' | 'targets') => {
    const map = v[key];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return {};
    return Object.fromEntries(Object.entries(map).filter(([k]) => clean(`/${key}/${escapePointer(k)}`)));
  };
  return {
    assessment: v.assessment as AnswersFile['assessment'],
    respondent: v.respondent,
    answers: part('answers'),
    targets: part('targets'),
  };
}

/**
 * Checks every answer and target against the rubric and the assessment's state, in file order (so a
 * `when` can rely on an answer earlier in the same file), and returns the commands to record.
 */
export function planImport(
  parsed: { file: AnswersFile; source: YamlSource; assessmentId: string },
  rubric: Rubric,
  initial: AssessmentState | undefined,
  start: AssessmentCommand | undefined,
): { commands: AssessmentCommand[]; problems: FileProblem[] } {
  const { file, source } = parsed;
  const problems: FileProblem[] = [];
  const commands: AssessmentCommand[] = [];
  let state = initial;
  let seq = initial?.lastSeq ?? 0;
  const apply = (command: AssessmentCommand, pointer: string) => {
    try {
      for (const event of decide(command, state, rubric)) {
        seq++;
        state = evolve(state, event, { stream: assessmentStream(parsed.assessmentId), seq, version: seq, at: '' });
      }
      commands.push(command);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const hint =
        e.code !== 'unknown-question'
          ? ''
          : start
            ? '; `cnassess rubric show` lists its questions'
            : `; \`cnassess rubric show --assessment ${parsed.assessmentId}\` lists its questions`;
      // An unknown id is the key's fault; anything else is the value's.
      const at = e.code === 'unknown-question' || e.code === 'unknown-aspect' ? 'key' : 'value';
      problems.push({
        file: source.file,
        ...source.locate(pointer, at),
        message: e.message + hint,
        pointer,
        code: e.code,
        severity: 'error',
      });
    }
  };
  if (start) apply(start, '/assessment');

  for (const [question, raw] of Object.entries(file.answers)) {
    const { answer, note } = normaliseAnswer(raw);
    const pointer = `/answers/${escapePointer(question)}`;
    apply({ type: 'RecordAnswer', question, answer, respondent: file.respondent, ...(note !== undefined && { note }) }, pointer);
  }
  for (const [aspect, target] of Object.entries(file.targets ?? {})) {
    const pointer = `/targets/${escapePointer(aspect)}`;
    const level = typeof target === 'number' ? target : rubric.levels.find((l) => l.name.toLowerCase() === target.toLowerCase())?.level;
    if (level === undefined) {
      problems.push({
        file: source.file,
        ...source.locate(pointer),
        message: `"${target}" is not a level (levels: ${rubric.levels.map((l) => `${l.level} ${l.name}`).join(', ')})`,
        pointer,
        code: 'unknown-level',
        severity: 'error',
      });
      continue;
    }
    apply({ type: 'SetTarget', aspect, level }, pointer);
  }
  return { commands, problems };
}

function normaliseAnswer(raw: RawAnswer): { answer: AnswerValue; note?: string } {
  const value = typeof raw === 'object' && !Array.isArray(raw) ? raw.answer : raw;
  const note = typeof raw === 'object' && !Array.isArray(raw) ? raw.note : undefined;
  const list = Array.isArray(value) ? value : [value];
  const answer: AnswerValue = list.length === 1 && list[0] === NOT_APPLICABLE ? NOT_APPLICABLE : list;
  return { answer, ...(note !== undefined && { note }) };
}

/** The answers file for one respondent's current answers: what `export` writes and `import` reads back. */
export function answersFileOf(state: AssessmentState, respondent: string): AnswersFile {
  const answers: Record<string, RawAnswer> = {};
  for (const [question, responses] of state.responses) {
    const r = responses.get(respondent);
    // A carried answer the respondent has not confirmed is not theirs yet; importing it would confirm it.
    if (!r || r.carried) continue;
    const value = r.answer === NOT_APPLICABLE ? NOT_APPLICABLE : r.answer.length === 1 ? r.answer[0]! : [...r.answer];
    answers[question] = r.note !== undefined ? { answer: value, note: r.note } : value;
  }
  // Only the targets this respondent set: importing the file must not put another person's targets under their name.
  const targets = Object.fromEntries([...state.targets].filter(([aspect]) => state.targetSetBy.get(aspect) === respondent));
  return {
    assessment: { id: state.id },
    respondent,
    answers,
    ...(Object.keys(targets).length > 0 && { targets }),
  };
}

// Characters a reviewer of the exported file must see as escapes, not as text that reorders or hides what is around it.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * The answers file as `export` writes it: a modeline naming the schema (so an editor checks the file), and a comment
 * before each answer with the level and label of what was chosen, so the file reads without the rubric at hand.
 * Every string that holds a control or bidi character is written double-quoted with that character escaped; the
 * text is read back and must give the same data.
 */
export function answersFileText(state: AssessmentState, respondent: string, rubric: Rubric, schema: string): string {
  const data = answersFileOf(state, respondent);
  const doc = new Document(data);
  const answers = doc.get('answers');
  if (isMap(answers)) {
    for (const pair of answers.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      const comment = answerComment(rubric, id, data.answers[id]);
      if (comment !== undefined && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
    }
  }
  const targets = doc.get('targets');
  if (isMap(targets)) {
    for (const pair of targets.items) {
      if (isScalar(pair.value) && typeof pair.value.value === 'number')
        pair.value.comment = ` ${oneLine(levelName(rubric, pair.value.value))}`;
    }
  }
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && INVISIBLE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const header = [
    `# yaml-language-server: $schema=${schema}`,
    `# ${oneLine(respondent)}'s answers to ${state.id}, exported by cnassess; \`cnassess import FILE\` records them again.`,
  ].join('\n');
  const plain = doc.toString({ lineWidth: 0 });
  // Only double-quoted scalars hold these characters now (keys are ids, comments are one clean line), and there
  // \uXXXX is an escape YAML reads back as the character itself.
  const escaped = plain.replace(
    new RegExp(INVISIBLE.source, 'g'),
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  const text = JSON.stringify(parse(escaped)) === JSON.stringify(parse(plain)) ? escaped : plain;
  return `${header}\n${text}`;
}

function answerComment(rubric: Rubric, id: string, raw: RawAnswer | undefined): string | undefined {
  const question = rubric.aspects.flatMap((a) => a.questions).find((q) => q.id === id);
  if (question === undefined || raw === undefined) return undefined;
  const value = typeof raw === 'object' && !Array.isArray(raw) ? raw.answer : raw;
  if (value === NOT_APPLICABLE) return 'not applicable';
  const ids = Array.isArray(value) ? value : [value];
  const labels = ids.map((c) => question.choices.find((x) => x.id === c)?.label ?? c);
  const level = answerLevel(rubric, question, ids);
  return oneLine(`${level === undefined ? '–' : `${level} ${levelName(rubric, level)}`}: ${labels.join('; ')}`);
}

/** Text safe for a YAML comment: one line, no control or bidi character. */
function oneLine(text: string): string {
  return safeText(text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' '));
}
