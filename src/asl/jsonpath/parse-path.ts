import type { FunctionName, PathRoot, Step } from './ast.js';
import { Cursor, isSpace } from './cursor.js';
import { parseFilterBody } from './parse-filter.js';

export interface ParsedPath {
  readonly root: PathRoot;
  readonly steps: readonly Step[];
}

const INPUT_ROOT: PathRoot = Object.freeze({ kind: 'input' });
const CONTEXT_ROOT: PathRoot = Object.freeze({ kind: 'context' });
const WILDCARD: Step = Object.freeze({ kind: 'wildcard' });
const SCAN: Step = Object.freeze({ kind: 'scan' });

const FUNCTIONS: ReadonlySet<string> = new Set<FunctionName>(['length', 'min', 'max', 'avg', 'sum', 'stddev']);
const VARIABLE_START = /[\p{L}_]/u;
const VARIABLE_PART = /[\p{L}\p{N}_]/u;

/**
 * Jayway trims blanks (spaces only, not tabs or newlines) from both ends of a path before it
 * compiles it, so AWS accepts and evaluates `"$.config.size "` as `$.config.size`.
 */
export function trimBlanks(path: string): string {
  let start = 0;
  let end = path.length;
  while (start < end && path.charCodeAt(start) === 32) start++;
  while (end > start && path.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === path.length ? path : path.slice(start, end);
}

/**
 * Parses a whole path (blanks around it are trimmed, as Jayway does): '$' (input), '$$' (context object) or '$name' (variable), then segments.
 * After the root the grammar is Jayway's, which AWS runs: dot names end only at '.', '[' or '('
 * (so '-', unicode, quotes are name characters), bracket names are taken verbatim (Jayway 2.2,
 * the version AWS behaves as, does not unescape them), and slices ignore a third (step) part.
 */
export function parsePath(written: string): ParsedPath {
  const source = trimBlanks(written);
  const c = new Cursor(source);
  if (source[0] !== '$') c.fail("a path must start with '$'", 0);
  c.pos = 1;
  let root = INPUT_ROOT;
  if (c.peek() === '$') {
    c.pos++;
    root = CONTEXT_ROOT;
  } else if (c.peek() !== undefined && VARIABLE_START.test(c.peek()!)) {
    const start = c.pos;
    while (!c.eof && VARIABLE_PART.test(c.peek()!)) c.pos++;
    root = Object.freeze({ kind: 'variable', name: source.slice(start, c.pos) });
  }
  if (!c.eof && c.peek() !== '.' && c.peek() !== '[') c.fail(`unexpected '${c.peek()}' after the root, expected '.' or '['`);
  const steps = parseSteps(c, false);
  return { root, steps };
}

/**
 * Reads segments until the end of the source or, inside a filter, until a character that ends an
 * operand (space, ')', an operator...). The cursor stands just after the root ('$', '@').
 */
/** The steps of a path inside a filter expression. */
function readFilterSteps(c: Cursor): Step[] {
  return parseSteps(c, true);
}

export function parseSteps(c: Cursor, inFilter: boolean): Step[] {
  const steps: Step[] = [];
  while (!c.eof) {
    const ch = c.peek()!;
    if (inFilter && endsOperand(ch)) break;
    if (steps.length > 0 && steps[steps.length - 1]!.kind === 'function') c.fail('a function call must be the last segment');
    if (ch === '.') {
      const dotAt = c.pos;
      if (c.peek(1) === '.') {
        steps.push(SCAN);
        c.pos += 2;
      } else c.pos++;
      if (c.eof || (inFilter && endsOperand(c.peek()!))) c.fail("a path must not end with '.' or '..'", dotAt);
      if (c.peek() === '.') c.fail("unexpected '.'");
    }
    readSegment(c, steps, inFilter);
    const last = steps[steps.length - 1]!;
    if (steps.length >= 2 && steps[steps.length - 2]!.kind === 'scan' && last.kind === 'function') {
      c.fail("a function cannot follow '..'");
    }
  }
  return steps;
}

/** Characters that end a path used as a filter operand. */
function endsOperand(ch: string): boolean {
  switch (ch) {
    case ')':
    case ']':
    case ',':
    case '<':
    case '>':
    case '=':
    case '!':
    case '~':
    case '&':
    case '|':
      return true;
    default:
      return isSpace(ch);
  }
}

function readSegment(c: Cursor, steps: Step[], inFilter: boolean): void {
  const ch = c.peek()!;
  if (ch === '[') readBracket(c, steps);
  else if (ch === '*') {
    c.pos++;
    steps.push(WILDCARD);
  } else readName(c, steps, inFilter);
}

function readName(c: Cursor, steps: Step[], inFilter: boolean): void {
  const start = c.pos;
  while (!c.eof) {
    const ch = c.peek()!;
    if (ch === '.' || ch === '[' || ch === '(') break;
    if (inFilter && endsOperand(ch)) break;
    if (ch === ' ') c.fail("use bracket notation ['my name'] for a name with blanks");
    c.pos++;
  }
  const name = c.src.slice(start, c.pos);
  if (name === '') c.fail('expected a name', start);
  if (c.peek() === '(') {
    if (!FUNCTIONS.has(name)) c.fail(`unknown function '${name}()'`, start);
    c.pos++;
    c.skipSpaces();
    c.expect(')', `')' (functions take no arguments)`);
    steps.push(Object.freeze({ kind: 'function', name: name as FunctionName }));
    return;
  }
  steps.push(Object.freeze({ kind: 'property', name }));
}

function readBracket(c: Cursor, steps: Step[]): void {
  const open = c.pos;
  c.pos++;
  c.skipSpaces();
  const ch = c.peek();
  if (ch === "'" || ch === '"') {
    const names = readQuotedNames(c);
    steps.push(Object.freeze(names.length === 1 ? { kind: 'property', name: names[0]! } : { kind: 'properties', names: Object.freeze(names) }));
  } else if (ch === '*') {
    c.pos++;
    c.skipSpaces();
    c.expect(']', "']' after '*'");
    steps.push(WILDCARD);
  } else if (ch === '?') {
    c.pos++;
    c.skipSpaces();
    c.expect('(', "'(' after '?'");
    c.enter(open);
    const expr = parseFilterBody(c, readFilterSteps);
    c.leave();
    c.skipSpaces();
    c.expect(']', "']' to close the filter");
    steps.push(Object.freeze({ kind: 'filter', expr }));
  } else if (ch !== undefined && ((ch >= '0' && ch <= '9') || ch === '-' || ch === ':')) {
    readIndexes(c, steps, open);
  } else {
    c.fail("expected a quoted name, an index, a slice, '*' or '?(' after '['", open);
  }
}

function readQuotedNames(c: Cursor): string[] {
  const names: string[] = [];
  for (;;) {
    c.skipSpaces();
    const quote = c.peek();
    if (quote !== "'" && quote !== '"') c.fail('expected a quoted name');
    const start = ++c.pos;
    for (;;) {
      const ch = c.peek();
      if (ch === undefined) c.fail(`unterminated name, missing closing ${quote}`, start - 1);
      if (ch === quote) break;
      // A backslash protects the next character from ending the name; both stay in the name.
      c.pos += ch === '\\' ? 2 : 1;
    }
    names.push(c.src.slice(start, c.pos));
    c.pos++;
    c.skipSpaces();
    if (c.peek() === ',') {
      c.pos++;
      continue;
    }
    c.expect(']', "',' or ']' after a quoted name");
    return names;
  }
}

const INT = /^-?\d+$/;

function readIndexes(c: Cursor, steps: Step[], open: number): void {
  const close = c.src.indexOf(']', c.pos);
  if (close < 0) c.fail("missing ']'", open);
  const content = c.src.slice(c.pos, close).trim();
  if (!/^[0-9,:\- ]*$/.test(content)) c.fail('an index list or slice may hold only digits, \'-\', \',\' and \':\'', c.pos);
  c.pos = close + 1;
  if (content.includes(':')) {
    // Java's split drops trailing empty parts: "1:" has no end, "1::2" reads as "1:".
    const parts = content.split(':');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    const bound = (i: number): number | undefined => {
      const text = parts[i];
      return text === undefined || text === '' ? undefined : toInt(c, text, open);
    };
    const from = bound(0);
    const to = bound(1);
    if (from === undefined && to === undefined) c.fail('a slice needs a start or an end', open);
    steps.push(Object.freeze({ kind: 'slice', from, to }));
    return;
  }
  const indexes = content.split(',').map((t) => toInt(c, t.trim(), open));
  steps.push(Object.freeze(indexes.length === 1 ? { kind: 'index', index: indexes[0]! } : { kind: 'indexes', indexes: Object.freeze(indexes) }));
}

function toInt(c: Cursor, text: string, at: number): number {
  const n = INT.test(text) ? Number(text) : NaN;
  // Jayway parses indexes as Java ints.
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) c.fail(`'${text}' is not a valid array index`, at);
  return n === 0 ? 0 : n; // no -0
}
