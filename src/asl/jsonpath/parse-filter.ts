import type { Json, JsonObject } from '../../core/json.js';
import { isDefiniteStep, type CompareOp, type FilterExpr, type Operand, type Step, type SubPath } from './ast.js';
import type { Cursor } from './cursor.js';
import { compileSafeRegex, RegexSyntaxError } from './safe-regex.js';

/**
 * Parses a filter expression `?( ... )`: the cursor stands after '(' and is left after ')'.
 * Grammar (Jayway's inline filters): `||` binds looser than `&&`; `!` negates; a bare path tests
 * existence; comparisons take paths ('@...', '$...'), numbers, 'strings', "strings", true, false,
 * null, JSON arrays/objects and /regex/flags. The expression becomes data: it is evaluated by
 * filter-eval.ts, never by the JavaScript engine.
 */
/**
 * Reads the steps of a path inside a filter (`@.a.b`, `$.x`). The path grammar and the filter
 * grammar nest in each other; the path parser passes this in so the two modules do not import
 * each other.
 */
export type ReadSteps = (c: Cursor) => Step[];

export function parseFilterBody(c: Cursor, readSteps: ReadSteps): FilterExpr {
  const expr = parseOr(c, readSteps);
  c.skipSpaces();
  c.expect(')', "')' to close the filter expression");
  return expr;
}

function parseOr(c: Cursor, readSteps: ReadSteps): FilterExpr {
  let left = parseAnd(c, readSteps);
  for (;;) {
    c.skipSpaces();
    if (c.peek() !== '|' || c.peek(1) !== '|') return left;
    c.pos += 2;
    left = Object.freeze({ kind: 'or', left, right: parseAnd(c, readSteps) });
  }
}

function parseAnd(c: Cursor, readSteps: ReadSteps): FilterExpr {
  let left = parseUnary(c, readSteps);
  for (;;) {
    c.skipSpaces();
    if (c.peek() !== '&' || c.peek(1) !== '&') return left;
    c.pos += 2;
    left = Object.freeze({ kind: 'and', left, right: parseUnary(c, readSteps) });
  }
}

function parseUnary(c: Cursor, readSteps: ReadSteps): FilterExpr {
  c.skipSpaces();
  const at = c.pos;
  if (c.peek() === '!' && c.peek(1) !== '=') {
    c.pos++;
    c.enter(at);
    const expr = parseUnary(c, readSteps);
    c.leave();
    return Object.freeze({ kind: 'not', expr });
  }
  if (c.peek() === '(') {
    c.pos++;
    c.enter(at);
    const inner = parseOr(c, readSteps);
    c.leave();
    c.skipSpaces();
    c.expect(')', "')' to close the group");
    return inner;
  }
  return parseComparison(c, readSteps);
}

const SYMBOL_OPS: readonly CompareOp[] = ['===', '!==', '==', '!=', '<=', '>=', '=~', '<', '>'];
const WORD_OPS: ReadonlySet<string> = new Set<CompareOp>(['in', 'nin', 'contains', 'subsetof', 'anyof', 'noneof', 'size', 'empty']);

function parseComparison(c: Cursor, readSteps: ReadSteps): FilterExpr {
  const leftAt = c.pos;
  const left = parseOperand(c, readSteps);
  c.skipSpaces();
  const opAt = c.pos;
  const op = readOperator(c);
  if (op === undefined) {
    if (left.kind !== 'path') c.fail('a literal alone is not a condition; compare it with an operator', leftAt);
    return Object.freeze({ kind: 'exists', path: left.path });
  }
  c.skipSpaces();
  const rightAt = c.pos;
  const right = parseOperand(c, readSteps);
  const regexes = (left.kind === 'regex' ? 1 : 0) + (right.kind === 'regex' ? 1 : 0);
  if (op === '=~' && regexes !== 1) c.fail("'=~' compares a value with one /regex/", opAt);
  if (op !== '=~' && regexes > 0) c.fail(`a /regex/ can only be used with '=~'`, left.kind === 'regex' ? leftAt : rightAt);
  if (op === 'empty' && !(right.kind === 'literal' && typeof right.value === 'boolean')) c.fail("'empty' takes true or false", rightAt);
  if (op === 'size' && !(right.kind === 'literal' && typeof right.value === 'number')) c.fail("'size' takes a number", rightAt);
  return Object.freeze({ kind: 'compare', op, left, right });
}

function readOperator(c: Cursor): CompareOp | undefined {
  for (const op of SYMBOL_OPS) {
    if (c.src.startsWith(op, c.pos)) {
      c.pos += op.length;
      return op;
    }
  }
  const m = /^[A-Za-z]+/.exec(c.src.slice(c.pos, c.pos + 12));
  if (m && WORD_OPS.has(m[0].toLowerCase())) {
    c.pos += m[0].length;
    return m[0].toLowerCase() as CompareOp;
  }
  if (m) c.fail(`unknown filter operator '${m[0]}'`);
  return undefined;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function parseOperand(c: Cursor, readSteps: ReadSteps): Operand {
  c.skipSpaces();
  const at = c.pos;
  const ch = c.peek();
  if (ch === '@' || ch === '$') return Object.freeze({ kind: 'path', path: parseSubPath(c, readSteps) });
  if (ch === '/') return parseRegex(c);
  if (ch === "'" || ch === '"' || ch === '[' || ch === '{' || ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9') || /[a-z]/.test(ch ?? '')) {
    NUMBER.lastIndex = c.pos;
    const num = ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9') ? NUMBER.exec(c.src) : null;
    if (num) {
      c.pos += num[0].length;
      return Object.freeze({ kind: 'literal', value: Number(num[0]), text: num[0] });
    }
    return Object.freeze({ kind: 'literal', value: parseLiteral(c) });
  }
  return c.fail(ch === undefined ? 'unexpected end of the filter' : `unexpected '${ch}' in the filter`, at);
}

function parseSubPath(c: Cursor, readSteps: ReadSteps): SubPath {
  const relative = c.peek() === '@';
  c.pos++;
  const next = c.peek();
  if (!relative && next === '$') c.fail('the context object ($$) cannot be used inside a filter');
  if (next !== undefined && next !== '.' && next !== '[' && !/[\s)\]=!<>~&|,]/.test(next)) {
    c.fail(`unexpected '${next}' after '${relative ? '@' : '$'}'`);
  }
  const steps = readSteps(c);
  return Object.freeze({ relative, steps: Object.freeze(steps), definite: steps.every(isDefiniteStep) });
}

function parseRegex(c: Cursor): Operand {
  const start = c.pos;
  c.pos++;
  let body = '';
  for (;;) {
    const ch = c.peek();
    if (ch === undefined) c.fail('unterminated /regex/', start);
    if (ch === '/') break;
    if (ch === '\\' && c.peek(1) === '/') {
      body += '/';
      c.pos += 2;
      continue;
    }
    if (ch === '\\' && c.peek(1) !== undefined) {
      body += ch + c.peek(1)!;
      c.pos += 2;
      continue;
    }
    body += ch;
    c.pos++;
  }
  c.pos++;
  const flagsStart = c.pos;
  while (!c.eof && /[A-Za-z]/.test(c.peek()!)) c.pos++;
  const flags = c.src.slice(flagsStart, c.pos);
  try {
    return Object.freeze({ kind: 'regex', regex: compileSafeRegex(body, flags), source: c.src.slice(start, c.pos) });
  } catch (e) {
    if (e instanceof RegexSyntaxError) return c.fail(`bad regular expression: ${e.problem}`, start + 1 + e.position);
    throw e;
  }
}

/** JSON-like literals (strings may use single quotes, as Jayway's lenient parser allows). */
function parseLiteral(c: Cursor): Json {
  c.skipSpaces();
  const at = c.pos;
  const ch = c.peek();
  if (ch === "'" || ch === '"') return parseString(c);
  if (ch === '[') {
    c.enter(at);
    c.pos++;
    const items: Json[] = [];
    c.skipSpaces();
    if (c.peek() === ']') c.pos++;
    else {
      for (;;) {
        items.push(parseLiteral(c));
        c.skipSpaces();
        if (c.peek() === ',') {
          c.pos++;
          continue;
        }
        c.expect(']', "',' or ']' in an array literal");
        break;
      }
    }
    c.leave();
    return items;
  }
  if (ch === '{') {
    c.enter(at);
    c.pos++;
    const obj: JsonObject = {};
    c.skipSpaces();
    if (c.peek() === '}') c.pos++;
    else {
      for (;;) {
        c.skipSpaces();
        const q = c.peek();
        if (q !== "'" && q !== '"') c.fail('expected a quoted key in an object literal');
        const key = parseString(c);
        c.skipSpaces();
        c.expect(':', "':' after an object key");
        // defineProperty: a "__proto__" key must stay data, not replace the literal's prototype.
        Object.defineProperty(obj, key, { value: parseLiteral(c), enumerable: true, writable: true, configurable: true });
        c.skipSpaces();
        if (c.peek() === ',') {
          c.pos++;
          continue;
        }
        c.expect('}', "',' or '}' in an object literal");
        break;
      }
    }
    c.leave();
    return obj;
  }
  NUMBER.lastIndex = c.pos;
  const num = NUMBER.exec(c.src);
  if (num) {
    c.pos += num[0].length;
    return Number(num[0]);
  }
  for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
    if (c.src.startsWith(word, c.pos) && !/[\w$]/.test(c.src[c.pos + word.length] ?? '')) {
      c.pos += word.length;
      return value;
    }
  }
  return c.fail(ch === undefined ? 'unexpected end of the filter' : `unexpected '${ch}' in the filter`, at);
}

function parseString(c: Cursor): string {
  const quote = c.peek()!;
  const start = c.pos;
  c.pos++;
  let out = '';
  for (;;) {
    const ch = c.peek();
    if (ch === undefined) c.fail(`unterminated string, missing closing ${quote}`, start);
    c.pos++;
    if (ch === quote) return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const esc = c.peek();
    if (esc === undefined) c.fail('unterminated string', start);
    c.pos++;
    switch (esc) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        const hex = c.src.slice(c.pos, c.pos + 4);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) c.fail('bad \\u escape', c.pos - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        c.pos += 4;
        break;
      }
      default:
        out += esc; // \' \" \\ \/ and any other escaped character stand for themselves
    }
  }
}
