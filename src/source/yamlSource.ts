// Reading a user's YAML file (a rubric, an answers file) defensively: every problem becomes a
// positioned FileProblem, and nothing a hostile file does can crash the process or exhaust memory.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FileProblem } from '../errors.js';

/** Files larger than this are refused before parsing: a rubric or answers file is a few dozen KB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Deeper nesting than this is refused; real files nest about six levels. */
export const MAX_DEPTH = 64;
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
    return fileProblem('not-utf8', 'file is not valid UTF-8 text; save it as UTF-8');
  }
  if (text.trim() === '') return fileProblem('empty', 'file is empty; expected a YAML mapping');

  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: no merge keys (`<<` is just a key), duplicate keys are errors.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: false, strict: true });
  const pos = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, col };
  };

  let exhausted = false;
  const seen = new Set<string>();
  for (const e of doc.errors) {
    if (e.code === 'RESOURCE_EXHAUSTION') {
      exhausted = true;
      continue;
    }
    const { line, col } = pos(e.pos[0]);
    const key = `${line}:${col}:${e.code}`;
    if (seen.has(key)) continue; // the parser often reports one mistake several times at one spot
    seen.add(key);
    problems.push({ file, line, col, message: yamlErrorMessage(e.code, e.message), code: `yaml-${e.code.toLowerCase()}`, severity: 'error' });
  }
  if (exhausted) {
    problems.push({ file, line: 1, col: 1, message: `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, code: 'too-deep', severity: 'error' });
  }
  if (problems.length > 0) return { file, value: undefined, problems, locate: () => ({ line: 1, col: 1 }) };

  problems.push(...structuralProblems(file, doc, pos));
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
          problems.push({ file, ...pos(keyNode?.range?.[0]), message: `key "${key}" is not allowed`, code: 'forbidden-key', pointer: child, severity: 'error' });
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

function yamlErrorMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: each key may appear only once in a mapping';
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces';
    default:
      // The parser's own text is good but ends with a code excerpt we print positions for instead.
      return `YAML syntax error: ${message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
  }
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
