// Reading a user's YAML file (a rubric, an answers file) defensively: every problem becomes a
// positioned FileProblem, and nothing a hostile file does can crash the process or exhaust memory.

import {
  Composer,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  YAMLParseError,
  type Document,
  type Node,
  type Scalar,
  type YAMLError,
} from 'yaml';
import type { FileProblem } from '../errors.js';
import { formatBytes, MAX_FILE_BYTES } from './fileSize.js';

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
  /** The header document before the data, when the file has one and the caller allowed it (`headerDocument`). */
  readonly header?: unknown;
  /** Line and column of the node at a JSON pointer (of its key, when `at` is 'key'); nearest existing ancestor otherwise. */
  locate(pointer: string, at?: 'key' | 'value'): { line: number; col: number };
}

/** Parses bytes already read from `file`. Pure: the caller does the reading (see readYamlFile). */
export function parseYamlSource(
  file: string,
  bytes: Uint8Array,
  /**
   * `json`: the file is JSON (read with YAML's JSON schema). `headerDocument`: the file may start with a header document
   * (`meta: …`, then `---`) before the one that holds the data, as OWASP DSOMM's model.yaml does; `header` holds it.
   */
  options: { json?: boolean; headerDocument?: boolean } = {},
): YamlSource {
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

  const lineCounter = new LineCounter();
  const parsed = parseMeasured(text, lineCounter, options.json === true, options.headerDocument === true);
  if ('tooDeepAt' in parsed) {
    const { line, col } = lineCounter.linePos(parsed.tooDeepAt);
    return fileProblem('too-deep', `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, line, col);
  }
  const doc = parsed.doc;
  const pos = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, col };
  };

  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) {
    // A second line of defence behind parseMeasured; the parser's other errors are then only echoes of it.
    const { line, col } = pos(exhausted.pos[0]);
    return fileProblem('too-deep', `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`, line, col);
  }
  problems.push(...syntaxProblems(file, text, doc, pos));
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
  const header = parsed.header;
  if (header !== undefined && header.errors.length > 0)
    return fileProblem('header', `the header document is not valid YAML: ${header.errors[0]?.message.split('\n')[0] ?? ''}`);
  let headerValue: unknown;
  try {
    headerValue = header?.toJS({ maxAliasCount: 0 });
  } catch {
    return fileProblem('header', 'the header document uses aliases, which cnassess refuses');
  }
  return { file, value: doc.toJS({ maxAliasCount: 0 }), problems, locate, ...(header !== undefined && { header: headerValue }) };
}

/**
 * Walks the document without recursion (so depth cannot overflow the stack) looking for what YAML
 * allows but we refuse. The walk is in document order, so once MAX_LISTED_PROBLEMS + 1 are found the
 * rest (an alias bomb has hundreds of thousands) are only counted.
 */
function structuralProblems(
  file: string,
  doc: Document,
  pos: (offset: number | undefined) => { line: number; col: number },
): FileProblem[] {
  const problems: FileProblem[] = [];
  let unlisted = 0;
  const report = (problem: FileProblem) => {
    if (problems.length <= MAX_LISTED_PROBLEMS) problems.push(problem);
    else unlisted++;
  };
  type Step = { node: unknown; depth: number; pointer: string } | { problem: FileProblem };
  const stack: Step[] = [{ node: doc.contents, depth: 1, pointer: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('problem' in step) {
      report(step.problem);
      continue;
    }
    const { node, depth, pointer } = step;
    if (depth > MAX_DEPTH) {
      const at = pos((node as Node | null)?.range?.[0]);
      report({
        file,
        ...at,
        message: `nesting is too deep; at most ${MAX_DEPTH} levels are allowed`,
        code: 'too-deep',
        pointer,
        severity: 'error',
      });
      break;
    }
    if (isAlias(node)) {
      report({
        file,
        ...pos(node.range?.[0]),
        message: `aliases (${JSON.stringify(`*${node.source.slice(0, 80)}`)}) are not allowed; write the value out in full`,
        code: 'alias',
        pointer,
        severity: 'error',
      });
    } else if (isMap(node)) {
      // Pushed last pair first, key before value, so they come off the stack in document order.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (isAlias(keyNode) || (!isScalar(keyNode) && keyNode !== null)) {
          const at = pos((keyNode as Node | null)?.range?.[0]);
          stack.push({
            problem: {
              file,
              ...at,
              message: 'this key is a list, mapping or alias; keys must be plain text',
              code: 'complex-key',
              pointer,
              severity: 'error',
            },
          });
          continue;
        }
        const key = String(isScalar(keyNode) ? keyNode.value : '');
        const child = `${pointer}/${escapePointer(key)}`;
        if (FORBIDDEN_KEYS.has(key)) {
          const message = `key "${key}" is not allowed: it is reserved in JavaScript and could change how the data behaves; remove or rename it`;
          stack.push({ problem: { file, ...pos(keyNode?.range?.[0]), message, code: 'forbidden-key', pointer: child, severity: 'error' } });
          continue;
        }
        stack.push({ node: pair.value, depth: depth + 1, pointer: child });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1, pointer: `${pointer}/${i}` });
    }
  }
  return capped(problems, unlisted);
}

/** The key and value nodes at a JSON pointer; the deepest existing ones when the pointer goes past the data. */
function nodeAtPointer(doc: Document, pointer: string): { key: Node | undefined; value: Node | undefined } {
  let value: unknown = doc.contents;
  let key: Node | undefined;
  for (const segment of parsePointer(pointer)) {
    if (isMap(value)) {
      const pair = value.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return { key, value: value };
      key = pair.key as Node;
      value = pair.value ?? pair.key;
    } else if (isSeq(value)) {
      const item = value.items[Number(segment)];
      if (item === undefined) return { key, value: value };
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

/** Errors after which the parser misreads the lines that follow, so it reports echoes of one mistake. */
const DERAILING = new Set([
  'BAD_INDENT',
  'MISSING_CHAR',
  'TAB_AS_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'UNEXPECTED_TOKEN',
  'BLOCK_IN_FLOW',
  'UNCLOSED',
]);

/**
 * The parser's errors as problems an author can act on: one per spot, placed on the offending text
 * rather than on the indentation before it, worded for the common mistakes, and without the echoes
 * an indentation mistake causes on the lines below it.
 */
function syntaxProblems(
  file: string,
  text: string,
  doc: Document,
  pos: (offset: number | undefined) => { line: number; col: number },
): FileProblem[] {
  // A line indented deeper than the keys above it reads as the continuation of the value before it;
  // the parser then reports that value as a bad key, but the mistake is the next line's indentation.
  const overIndented = new Set<number>();
  for (const e of doc.errors) {
    if (e.code !== 'MULTILINE_IMPLICIT_KEY') continue;
    const next = nextLineStart(text, e.pos[0]);
    if (next !== undefined && next < e.pos[1] && indentOf(text, next) > indentOf(text, lineStart(text, e.pos[0])))
      overIndented.add(e.pos[0]);
  }
  const index = lazyIndex(doc);
  const found = doc.errors.map((e) => {
    if (overIndented.has(e.pos[0])) {
      const message = `this line is indented more than the line above (line ${pos(e.pos[0]).line}), so YAML reads it as part of that line's value; line it up with the keys above`;
      return { offset: skipSpaces(text, nextLineStart(text, e.pos[0])!), code: 'BAD_INDENT', message };
    }
    const unclosed = unclosedBracket(e, index);
    if (unclosed) return { offset: unclosed.offset, code: 'UNCLOSED', message: unclosed.message };
    const quote = unclosedQuote(e, index);
    if (quote) return { offset: quote.offset, code: 'UNCLOSED_QUOTE', message: quote.message };
    // "Sequence item without - indicator" is how the parser sees a key indented a little too far.
    const code = e.code === 'MISSING_CHAR' && /^Sequence item without/.test(e.message) ? 'BAD_INDENT' : e.code;
    return { offset: skipSpaces(text, e.pos[0]), code, message: yamlErrorMessage(e, index) };
  });
  found.sort((x, y) => x.offset - y.offset);

  const problems: FileProblem[] = [];
  let unlisted = 0;
  const seen = new Set<string>();
  // After a derailing error, later ones are echoes until a line starts left of the line it was on.
  let derailed: { indent: number; leftmost: number } | undefined;
  const indents = lineIndents(text);
  let scanned = 0;
  for (const { offset, code, message } of found) {
    const { line, col } = pos(offset);
    for (; scanned < line; scanned++) if (derailed) derailed.leftmost = Math.min(derailed.leftmost, indents[scanned]!);
    if (derailed && derailed.leftmost < derailed.indent) derailed = undefined;
    if (DERAILING.has(code)) {
      if (derailed) continue;
      derailed = { indent: indents[line - 1] ?? 0, leftmost: Infinity };
    }
    if (seen.has(`${line}:${col}`)) continue;
    seen.add(`${line}:${col}`);
    if (problems.length > MAX_LISTED_PROBLEMS) unlisted++;
    else
      problems.push({ file, line, col, message: `YAML syntax error: ${message}`, code: `yaml-${code.toLowerCase()}`, severity: 'error' });
  }
  return capped(problems, unlisted);
}

/** Each line's indentation in spaces; blank and comment-only lines count as infinitely indented. */
function lineIndents(text: string): number[] {
  return text.split('\n').map((line) => {
    const content = line.trimStart();
    return content === '' || content.startsWith('#') ? Infinity : line.length - line.replace(/^ +/, '').length;
  });
}

function yamlErrorMessage(e: YAMLError, index: () => NodeIndex): string {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const key = index().scalarsAt.get(e.pos[0])?.value;
      const name = typeof key === 'string' || typeof key === 'number' ? ` ${JSON.stringify(String(key).slice(0, 80))}` : '';
      return `duplicate key${name}: each key may appear only once in a mapping`;
    }
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second "---"); expected a single document';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a mapping cannot start on the same line as the key it belongs to; put it on the next lines, indented, or quote the value if the colon is part of the text';
    case 'MISSING_CHAR':
      if (/^Sequence item without/.test(e.message))
        return 'this line is indented neither like the keys above nor like a list item ("- "); check its indentation';
      break;
    case 'BAD_INDENT':
      if (/^All mapping items/.test(e.message))
        return 'this key is not lined up with the other keys of its mapping; every key of a mapping starts at the same column';
      break;
    case 'IMPOSSIBLE':
      // The parser's name for states it did not expect, e.g. after a [list] or {mapping} used as a key.
      return `this line could not be read (${e.message.split('\n')[0]}); check its indentation, and that every key is plain text`;
    default:
      break;
  }
  // The parser's own text is good but ends with a code excerpt we print positions for instead.
  return (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The parser reports an unclosed [ or { where it gave up looking for the closing bracket, often a
 * line or more later; the author needs the bracket that was opened, so the problem is placed there.
 */
function unclosedBracket(e: YAMLError, index: () => NodeIndex): { offset: number; message: string } | undefined {
  const match = /^Flow (sequence|map)\b.*end with an? ([\]}])/.exec(e.message);
  if (!match) return undefined;
  // The innermost collection of the right kind whose content ends where the parser gave up.
  const opened = (index().flowsEndingAt.get(e.pos[0]) ?? [])
    .filter((n) => isMap(n) === (match[1] === 'map'))
    .sort((x, y) => y.range![0] - x.range![0])[0];
  if (!opened?.range) return undefined;
  const [open, close] = match[1] === 'map' ? ['{', '}'] : ['[', ']'];
  return {
    offset: opened.range[0],
    message: `this "${open}" is never closed; add "${close}" at the end of its ${match[1] === 'map' ? 'mapping' : 'list'}, and indent any lines inside it more than the line it starts on`,
  };
}

/** Like unclosedBracket, for a quoted string: the parser reports where the text ran out, the author needs where it began. */
function unclosedQuote(e: YAMLError, index: () => NodeIndex): { offset: number; message: string } | undefined {
  const match = /^Missing closing (["'])quote/.exec(e.message);
  if (!match) return undefined;
  const type = match[1] === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
  const opened = index().quotesEndingAt.get(e.pos[0]);
  if (opened?.type !== type || !opened.range) return undefined;
  return { offset: opened.range[0], message: `this quoted text has no closing ${match[1]}; add one where the text should end` };
}

interface NodeIndex {
  /** Scalars by start offset (keys included). */
  readonly scalarsAt: Map<number, Scalar>;
  /** Quoted scalars by the offset their content ends at. */
  readonly quotesEndingAt: Map<number, Scalar>;
  /** Flow collections ([…] and {…}) by the offset their content ends at. */
  readonly flowsEndingAt: Map<number, Node[]>;
}

/**
 * Finds nodes by position for the error messages, built once and only if needed: a hostile file can
 * have a hundred thousand errors, and a search of the whole document for each would take hours.
 */
function lazyIndex(doc: Document): () => NodeIndex {
  let index: NodeIndex | undefined;
  return () => {
    if (index) return index;
    const built: NodeIndex = { scalarsAt: new Map(), quotesEndingAt: new Map(), flowsEndingAt: new Map() };
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isPair(node)) {
        stack.push(node.key, node.value);
      } else if (isCollection(node)) {
        if (node.flow && node.range) built.flowsEndingAt.set(node.range[1], [...(built.flowsEndingAt.get(node.range[1]) ?? []), node]);
        for (const item of node.items) stack.push(item); // not push(...items): a list can outnumber a call's arguments
      } else if (isScalar(node) && node.range) {
        built.scalarsAt.set(node.range[0], node);
        if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') built.quotesEndingAt.set(node.range[1], node);
      }
    }
    return (index = built);
  };
}

/** Past this many, problems are summarised in one line: a file with hundreds is rarely YAML at all. */
function capped(problems: FileProblem[], unlisted = 0): FileProblem[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  const rest = problems.length - MAX_LISTED_PROBLEMS + unlisted;
  const next = problems[MAX_LISTED_PROBLEMS]!;
  return [
    ...problems.slice(0, MAX_LISTED_PROBLEMS),
    {
      file: next.file,
      line: next.line,
      col: next.col,
      message: `${rest} more problem${rest === 1 ? '' : 's'} from here on, not listed; fix the ones above first`,
      code: 'too-many-problems',
      severity: 'error',
    },
  ];
}

/**
 * What the yaml package's parseDocument does, driven one token at a time so that nesting depth is
 * measured before anything recurses: composing recurses once per level and, thousands of levels
 * deep, exhausts the stack or even aborts the process. The tokenizer and parser keep an explicit
 * stack of open collections, so measuring costs no recursion however deep the input goes.
 */
function parseMeasured(
  text: string,
  lineCounter: LineCounter,
  json: boolean,
  headerDocument: boolean,
): { doc: Document.Parsed; header?: Document.Parsed } | { tooDeepAt: number } {
  // The yaml package reports each problem as an Error, and an Error records a stack trace when it is made. cnassess
  // turns every one into a positioned line and never shows a stack, so they are made without: 50 000 duplicate keys
  // took 0.8 s to parse, 0.7 s of it in recording stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let parsed: ReturnType<typeof parseTokens>;
  try {
    parsed = parseTokens(text, lineCounter, json, headerDocument);
  } catch {
    // A bug, in the yaml package or here: parse again with stacks, so the report of the bug says where it is.
    Error.stackTraceLimit = stackTraceLimit;
    return parseTokens(text, lineCounter, json, headerDocument);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return parsed;
}

function parseTokens(
  text: string,
  lineCounter: LineCounter,
  json: boolean,
  headerDocument: boolean,
): { doc: Document.Parsed; header?: Document.Parsed } | { tooDeepAt: number } {
  // YAML 1.2 core schema: no merge keys (`<<` is just a key), duplicate keys are errors. A JSON file is read with the
  // JSON schema, so what JSON does not allow (NaN, an unquoted word) is an error at its place, not a string.
  const composer = new Composer({ uniqueKeys: true, merge: false, strict: true, ...(json && { schema: 'json' as const }) });
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // Parser.parse() does this itself; Parser.next() does not.
  const docs: Document.Parsed[] = [];
  const compose = (tokens: Iterable<Parameters<Composer['next']>[0]>) => {
    for (const token of tokens) for (const doc of composer.next(token)) docs.push(doc);
  };
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    compose(parser.next(lexeme));
    // The stack holds the document, then one entry per nesting level.
    if (parser.stack.length > MAX_DEPTH + 1) return { tooDeepAt: offset };
    if (docs.length > (headerDocument ? 2 : 1)) break; // one document too many is an error; no need to read a thousand more
  }
  if (docs.length <= (headerDocument ? 2 : 1)) {
    compose(parser.end());
    for (const doc of composer.end(true, text.length)) docs.push(doc);
  }
  const header = headerDocument && docs.length >= 2 ? docs.shift() : undefined;
  const [doc, second] = docs;
  if (second)
    doc!.errors.push(new YAMLParseError([second.range[0], second.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
  return { doc: doc!, ...(header !== undefined && { header }) };
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
