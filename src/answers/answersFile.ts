// Answers files: one respondent's answers to one assessment, as YAML. Parsing and checking are
// pure; every problem comes back with its position, and nothing is recorded unless there are none.

import { decide, type AssessmentCommand } from '../assessment/decider.js';
import type { AnswerValue } from '../assessment/events.js';
import { evolve, type AssessmentState } from '../assessment/state.js';
import { DomainError, type FileProblem } from '../errors.js';
import { schemaValidator } from '../rubric/schema.js';
import type { Rubric } from '../rubric/types.js';
import { NOT_APPLICABLE } from '../rubric/types.js';
import { schemaProblems } from '../source/schemaProblems.js';
import { escapePointer, parseYamlSource, type YamlSource } from '../source/yamlSource.js';

type RawAnswer = string | string[] | { answer: string | string[]; note?: string };

export interface AnswersFile {
  readonly assessment: { readonly id: string } | { readonly org: string; readonly scope?: string; readonly period: string };
  readonly respondent: string;
  readonly answers: Readonly<Record<string, RawAnswer>>;
  readonly targets?: Readonly<Record<string, number | string>>;
}

export interface ParsedAnswersFile {
  readonly file?: AnswersFile;
  readonly source: YamlSource;
  readonly problems: readonly FileProblem[];
}

export function parseAnswersFile(path: string, bytes: Uint8Array): ParsedAnswersFile {
  const source = parseYamlSource(path, bytes);
  if (source.value === undefined) return { source, problems: source.problems };
  const validate = schemaValidator('answers.schema.json');
  if (!validate(source.value)) return { source, problems: schemaProblems(source, validate.errors ?? []) };
  return { source, file: source.value as AnswersFile, problems: [] };
}

/**
 * Checks every answer and target against the rubric and the assessment's state, in file order (so a
 * `when` can rely on an answer earlier in the same file), and returns the commands to record.
 */
export function planImport(
  parsed: { file: AnswersFile; source: YamlSource },
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
        state = evolve(state, event, { stream: 'assessment/import', seq, version: seq, at: '' });
      }
      commands.push(command);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problems.push({ file: source.file, ...source.locate(pointer), message: e.message, pointer, code: e.code, severity: 'error' });
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
  const targets = Object.fromEntries(state.targets);
  return {
    assessment: { id: state.id },
    respondent,
    answers,
    ...(Object.keys(targets).length > 0 && { targets }),
  };
}
