// Reading a user's YAML file (a rubric, an answers file) defensively: every problem becomes a
// positioned FileProblem, and nothing a hostile file does can crash the process or exhaust memory.

import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, Parser, type Document, type Node, type YAMLError } from 'yaml';
import type { FileProblem } from '../errors.js';

/** Files larger than this are refused before parsing: a rubric or answers file is a few dozen KB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Deeper nesting than this is refused; real files nest about six levels. */
export const MAX_DEPTH = 64;
/** At most this many YAML-level problems are listed one by one; past it, the file is rarely YAML at all. */
export const MAX_LISTED_PROBLEMS = 10;
/** Keys that could reach an object's prototype when the data is used in JavaScript. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface YamlSource {
  readonly file: string;
  /** The parsed value, or undefined when the file could not be parsed into one. */
  readonly value: unknown;
  readonly problems: FileProblem[];
  /** Line and column of the node at a JSON pointer (of its key, when `at` is 'key'); nearest existing ancestor otherwise. */
  locate(pointer: string, at?: 'key' | 'value'): { line: number; col: number };
}

/** Parses bytes already read from `file`. Pure: the caller does the reading (see readYamlFile). */
export function parseYamlSource(file: string, bytes: Uint8Array): YamlSource {
  const problems: FileProblem[] = [];
  const fileProblem = (code: string, message: string, line = 1, col = 1): YamlSource => {
    problems.push({ file, line, col, message, code, severity: 'error' });
    return { file, value: undefined, problems, locate: () => ({ line: 1, col: 1 }) };
  };

  if (bytes.length > MAX_FILE_BYTES) {
    return fileProblem('too-large', `file is ${formatBytes(bytes.length)}; files over ${formatBytes(MAX_FILE_BYTES)} are refused`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fileProblem('utf16', 'file is encoded as UTF-16; save it as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, col } = positionOfByte(bytes, nul);
    return fileProblem('binary', 'file contains a NUL byte: it looks binary, not a YAML text file', line, col);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const { line, col } = positionOfByte(bytes, bad);
    const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return fileProblem('not-utf8', `file is not valid UTF-8 text (byte 0x${byte} here); save it as UTF-8`, line, col);
  }
  if (text.trim() === '') return fileProblem('empty', 'file is empty; expected a YAML mapping');
  // The parser recurses once per nesting level and, thousands of levels deep, can exhaust the stack
  // or even abort the process; so depth is measured first, with the parser's own iterative tokenizer.
  const deepAt = tooDeepAt(text);
  if (deepAt !== undefined) {
    const { line, col } = textPosition(text, deepAt);
    return fileProblem('too-deep', `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, line, col);
  }

  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: no merge keys (`<<` is just a key), duplicate keys are errors.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: false, strict: true });
  const pos = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, col };
  };

  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) {
    // A second line of defence behind tooDeepAt; the parser's other errors are then only echoes of it.
    const { line, col } = pos(exhausted.pos[0]);
    return fileProblem('too-deep', `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, line, col);
  }
  problems.push(...syntaxProblems(file, text, doc, pos));
  if (problems.length > 0) return { file, value: undefined, problems: capped(problems), locate: () => ({ line: 1, col: 1 }) };

  problems.push(...capped(structuralProblems(file, doc, pos)));
  const locate = (pointer: string, at: 'key' | 'value' = 'value') => {
    const { key, value } = nodeAtPointer(doc, pointer);
    const node = at === 'key' ? (key ?? value) : (value ?? key);
    return pos(node?.range?.[0]);
  };
  if (problems.length > 0) return { file, value: undefined, problems, locate };
  if (doc.contents === null) return fileProblem('empty', 'file holds no data (only comments); expected a YAML mapping');
  // Aliases were refused above, so toJS cannot expand a bomb; the count is a second line of defence.
  return { file, value: doc.toJS({ maxAliasCount: 0 }), problems, locate };
}

/** Walks the document without recursion (so depth cannot overflow the stack) looking for what YAML allows but we refuse. */
function structuralProblems(file: string, doc: Document, pos: (offset: number | undefined) => { line: number; col: number }): FileProblem[] {
  const problems: FileProblem[] = [];
  const stack: { node: unknown; depth: number; pointer: string }[] = [{ node: doc.contents, depth: 1, pointer: '' }];
  while (stack.length > 0) {
    const { node, depth, pointer } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      const at = pos((node as Node | null)?.range?.[0]);
      problems.push({ file, ...at, message: `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, code: 'too-deep', pointer, severity: 'error' });
      break;
    }
    if (isAlias(node)) {
      problems.push({
        file,
        ...pos(node.range?.[0]),
        message: `aliases (*${node.source}) are not allowed; write the value out in full`,
        code: 'alias',
        pointer,
        severity: 'error',
      });
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (isAlias(keyNode) || (!isScalar(keyNode) && keyNode !== null)) {
          const at = pos((keyNode as Node | null)?.range?.[0]);
          problems.push({ file, ...at, message: 'keys must be plain strings', code: 'complex-key', pointer, severity: 'error' });
          continue;
        }
        const key = String(isScalar(keyNode) ? keyNode.value : '');
        const child = `${pointer}/${escapePointer(key)}`;
        if (FORBIDDEN_KEYS.has(key)) {
          const message = `key "${key}" is not allowed: it is reserved in JavaScript and could change how the data behaves; remove or rename it`;
          problems.push({ file, ...pos(keyNode?.range?.[0]), message, code: 'forbidden-key', pointer: child, severity: 'error' });
          continue;
        }
        stack.push({ node: pair.value, depth: depth + 1, pointer: child });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, pointer: `${pointer}/${i}` }));
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The key and value nodes at a JSON pointer; the deepest existing ones when the pointer goes past the data. */
function nodeAtPointer(doc: Document, pointer: string): { key?: Node; value?: Node } {
  let value: unknown = doc.contents;
  let key: Node | undefined;
  for (const segment of parsePointer(pointer)) {
    if (isMap(value)) {
      const pair = value.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return { key, value: value as Node };
      key = pair.key as Node;
      value = pair.value ?? pair.key;
    } else if (isSeq(value)) {
      const item = value.items[Number(segment)];
      if (item === undefined) return { key, value: value as Node };
      key = undefined;
      value = item;
    } else {
      break;
    }
  }
  return { key, value: value as Node | undefined };
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The parser's errors as problems an author can act on: one per spot (the parser often reports one
 * mistake several times), placed on the offending text rather than on the indentation before it,
 * and worded for the common mistakes.
 */
function syntaxProblems(file: string, text: string, doc: Document, pos: (offset: number | undefined) => { line: number; col: number }): FileProblem[] {
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const add = (offset: number, code: string, message: string) => {
    const { line, col } = pos(skipSpaces(text, offset));
    if (seen.has(`${line}:${col}`)) return;
    seen.add(`${line}:${col}`);
    problems.push({ file, line, col, message: `YAML syntax error: ${message}`, code: `yaml-${code.toLowerCase()}`, severity: 'error' });
  };
  // A line indented deeper than the keys above it reads as the continuation of the value before it;
  // the parser then reports that value as a bad key, but the mistake is the next line's indentation.
  const overIndented = new Set<number>();
  for (const e of doc.errors) {
    if (e.code !== 'MULTILINE_IMPLICIT_KEY') continue;
    const next = nextLineStart(text, e.pos[0]);
    if (next !== undefined && next < e.pos[1] && indentOf(text, next) > indentOf(text, lineStart(text, e.pos[0]))) overIndented.add(e.pos[0]);
  }
  for (const e of doc.errors) {
    if (overIndented.has(e.pos[0])) {
      const next = nextLineStart(text, e.pos[0])!;
      add(next, 'BAD_INDENT', `this line is indented more than the line above (${pos(e.pos[0]).line}), so YAML reads it as part of that value; line it up with the keys above`);
    } else {
      add(e.pos[0], e.code, yamlErrorMessage(e, text, doc));
    }
  }
  return problems;
}

function yamlErrorMessage(e: YAMLError, text: string, doc: Document): string {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const key = text.slice(e.pos[0], e.pos[1]);
      return `duplicate key${key.length > 0 && key.length <= 60 ? ` "${key}"` : ''}: each key may appear only once in a mapping`;
    }
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second "---"); a rubric is a single document';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a mapping cannot start on the same line as the key it belongs to; put it on the next lines, indented, or quote the value if the colon is part of the text';
    case 'MISSING_CHAR':
      if (/^Sequence item without/.test(e.message)) return 'this line is indented neither like the keys above nor like a list item ("- "); check its indentation';
      break;
    case 'BAD_INDENT':
      if (/^All mapping items/.test(e.message)) return 'this key is not lined up with the other keys of its mapping; every key of a mapping starts at the same column';
      break;
  }
  const unclosed = /^Flow (sequence|map)\b.*end with an? ([\]}])/.exec(e.message);
  if (unclosed) {
    const opened = unclosedFlowCollection(doc, e.pos[0], unclosed[1] === 'map');
    const open = unclosed[1] === 'map' ? '{' : '[';
    // Reported where the parser gave up; the author needs to find the bracket that was never closed.
    const where = opened?.range ? `the "${open}" on line ${textPosition(text, opened.range[0]).line} is never closed` : `a "${open}" is never closed`;
    return `${where}: add "${unclosed[2]}" at its end, and indent any lines inside it more than the line it starts on`;
  }
  // The parser's own text is good but ends with a code excerpt we print positions for instead.
  return e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The innermost flow collection ([…] or {…}) whose content ends where the parser gave up looking for its closing bracket. */
function unclosedFlowCollection(doc: Document, offset: number, map: boolean): Node | undefined {
  let found: Node | undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
    } else if (isCollection(node)) {
      if (node.flow && isMap(node) === map && node.range?.[1] === offset && (!found || node.range[0] > found.range![0])) found = node;
      stack.push(...node.items);
    }
  }
  return found;
}

/** Past this many, problems are summarised in one line: a file with hundreds is rarely YAML at all. */
function capped(problems: FileProblem[]): FileProblem[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  const rest = problems.length - MAX_LISTED_PROBLEMS;
  const next = problems[MAX_LISTED_PROBLEMS]!;
  return [
    ...problems.slice(0, MAX_LISTED_PROBLEMS),
    { file: next.file, line: next.line, col: next.col, message: `${rest} more problem${rest === 1 ? '' : 's'} from here on, not listed; fix the ones above first`, code: 'too-many-problems', severity: 'error' },
  ];
}

/**
 * The offset at which nesting first exceeds MAX_DEPTH, or undefined. The tokenizer and parser keep
 * an explicit stack of open collections, so this costs no recursion however deep the input goes.
 */
function tooDeepAt(text: string): number | undefined {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    for (const _ of parser.next(lexeme)); // only the depth matters here, not the tokens
    // The stack holds the document, then one entry per nesting level.
    if (parser.stack.length > MAX_DEPTH + 1) return offset;
  }
  return undefined;
}

/** Line and column of an offset in a text, counting columns in UTF-16 units as the YAML parser does. */
function textPosition(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, col: offset - lineStart(text, offset) + 1 };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function nextLineStart(text: string, offset: number): number | undefined {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? undefined : nl + 1;
}

function indentOf(text: string, start: number): number {
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

/** Moves an offset at the start of a line past its indentation, onto the text the problem is about. */
function skipSpaces(text: string, offset: number): number {
  if (offset !== lineStart(text, offset)) return offset;
  const end = offset + indentOf(text, offset);
  return end < text.length && text[end] !== '\n' && text[end] !== '\r' ? end : offset;
}

/** Line and column of a byte; the column counts characters, as the YAML parser's positions do. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStartByte = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStartByte = i + 1;
    }
  }
  return { line, col: new TextDecoder('utf-8').decode(bytes.subarray(lineStartByte, offset)).length + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < bytes.length && bytes[i]! >= lo && bytes[i]! <= hi;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) n = 2;
    else if (b === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) n = 3;
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && cont(i + 1) && cont(i + 2)) n = 3;
    else if (b === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) n = 3;
    else if (b === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) n = 4;
    else if (b >= 0xf1 && b <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) n = 4;
    else if (b === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) n = 4;
    else return i;
    i += n;
  }
  return i;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
