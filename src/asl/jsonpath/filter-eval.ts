import { isJsonObject, type Json } from '../../core/json.js';
import type { CompareOp, FilterExpr, Operand, SubPath } from './ast.js';
import { javaNumberText } from '../../core/java-text.js';
import type { SafeRegex } from './safe-regex.js';

/**
 * Evaluation of `?( ... )` conditions with the comparison rules of Jayway's evaluators: numbers and
 * strings compare by value and by text, `<`-like operators need two numbers or two strings, a path
 * that selects nothing is "undefined" (equal to nothing, so `!=` holds), and regexes must match the
 * whole text.
 */

/** A /regex/ operand; a class so that no JSON value can be mistaken for one. */
class RegexValue {
  constructor(
    readonly regex: SafeRegex,
    readonly source: string,
  ) {}
}

/** What an operand evaluates to. `undefined` is Jayway's UNDEFINED (a path that found nothing). */
type Value = Json | undefined | RegexValue;

interface Resolved {
  readonly value: Value;
  /** The number as written in the filter (Jayway compares a number to a string through its text). */
  readonly text: string | undefined;
}

/**
 * Evaluates a path inside a filter (`@.a`, `$.b`) on the item or the root: a definite path gives
 * one value or undefined, any other the list of matches. The step evaluator passes this in, so the
 * filter and the steps (which nest in each other) do not import each other.
 */
export type EvalSubPath = (p: SubPath, item: Json, root: Json) => Json | undefined;

export function accept(expr: FilterExpr, item: Json, root: Json, evalSubPath: EvalSubPath): boolean {
  switch (expr.kind) {
    case 'or':
      return accept(expr.left, item, root, evalSubPath) || accept(expr.right, item, root, evalSubPath);
    case 'and':
      return accept(expr.left, item, root, evalSubPath) && accept(expr.right, item, root, evalSubPath);
    case 'not':
      return !accept(expr.expr, item, root, evalSubPath);
    case 'exists': {
      const v = evalSubPath(expr.path, item, root);
      return expr.path.definite ? v !== undefined : (v as Json[]).length > 0;
    }
    case 'compare':
      return compare(expr.op, resolve(expr.left, item, root, evalSubPath), resolve(expr.right, item, root, evalSubPath));
  }
}

function resolve(o: Operand, item: Json, root: Json, evalSubPath: EvalSubPath): Resolved {
  switch (o.kind) {
    case 'path':
      return { value: evalSubPath(o.path, item, root), text: undefined };
    case 'literal':
      return { value: o.value, text: o.text };
    case 'regex':
      return { value: new RegexValue(o.regex, o.source), text: undefined };
  }
}

function isRegex(v: Value): v is RegexValue {
  return v instanceof RegexValue;
}

function kindOf(v: Value): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'json';
  if (isRegex(v)) return 'regex';
  return typeof v === 'object' ? 'json' : typeof v;
}

function compare(op: CompareOp, l: Resolved, r: Resolved): boolean {
  switch (op) {
    case '==':
      return equals(l, r);
    case '!=':
      return !equals(l, r);
    case '===':
      return kindOf(l.value) === kindOf(r.value) && equals(l, r);
    case '!==':
      return !(kindOf(l.value) === kindOf(r.value) && equals(l, r));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordered(op, l.value, r.value);
    case '=~': {
      const [re, other] = isRegex(l.value) ? [l.value, r] : [r.value as RegexValue, l];
      return re.regex.test(regexInput(other));
    }
    case 'in':
      return Array.isArray(r.value) && r.value.some((x) => equals(l, plain(x)));
    case 'nin':
      return !(Array.isArray(r.value) && r.value.some((x) => equals(l, plain(x))));
    case 'contains':
      if (typeof l.value === 'string' && typeof r.value === 'string') return l.value.includes(r.value);
      return Array.isArray(l.value) && l.value.some((x) => equals(r, plain(x)));
    case 'subsetof':
      return Array.isArray(l.value) && Array.isArray(r.value) && l.value.every((x) => includes(r.value as Json[], x));
    case 'anyof':
      return Array.isArray(l.value) && Array.isArray(r.value) && l.value.some((x) => includes(r.value as Json[], x));
    case 'noneof':
      return Array.isArray(l.value) && Array.isArray(r.value) && !l.value.some((x) => includes(r.value as Json[], x));
    case 'size':
      return (Array.isArray(l.value) || typeof l.value === 'string') && l.value.length === Math.trunc(r.value as number);
    case 'empty':
      return (Array.isArray(l.value) || typeof l.value === 'string') && (l.value.length === 0) === r.value;
  }
}

function plain(value: Json): Resolved {
  return { value, text: undefined };
}

function includes(list: readonly Json[], x: Json): boolean {
  const needle = plain(x);
  return list.some((y) => equals(needle, plain(y)));
}

function numberText(n: number, text: string | undefined): string {
  return text ?? javaNumberText(n);
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Jayway's `left.equals(right)`: the left operand's type decides how a number meets a string. */
function equals(l: Resolved, r: Resolved): boolean {
  const a = l.value;
  const b = r.value;
  if (a === undefined || b === undefined) return false;
  if (isRegex(a) || isRegex(b)) return isRegex(a) && isRegex(b) && a.source === b.source;
  switch (typeof a) {
    case 'number':
      if (typeof b === 'number') return a === b;
      return typeof b === 'string' && DECIMAL.test(b) && Number(b) === a;
    case 'string':
      if (typeof b === 'string') return a === b;
      return typeof b === 'number' && a === numberText(b, r.text);
    case 'boolean':
      return a === b;
    default:
      if (a === null) return b === null;
      return typeof b === 'object' && b !== null && deepEqual(a, b);
  }
}

function ordered(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function regexInput(o: Resolved): string {
  const v = o.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v, o.text);
  if (typeof v === 'boolean') return String(v);
  return '';
}

/** Structural equality of JSON values (object member order does not matter). Iterative. */
export function deepEqual(x: Json, y: Json): boolean {
  const pending: [Json, Json][] = [[x, y]];
  while (pending.length > 0) {
    const [a, b] = pending.pop()!;
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) pending.push([a[i]!, b[i]!]);
      continue;
    }
    if (Array.isArray(b) || !isJsonObject(a) || !isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
      pending.push([a[k]!, b[k]!]);
    }
  }
  return true;
}
