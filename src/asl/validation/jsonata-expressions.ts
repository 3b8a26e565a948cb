import { loadJsonata } from '../jsonata/index.js';
import { isJsonObject, type Json } from '../../core/json.js';
import { unsupportedReferences, type AstNode } from './jsonata-references.js';
import { Code, type ProblemList } from './problem.js';

/**
 * JSONata strings of JSONata states: a string value that starts with `{%` and ends with `%}` holds
 * an expression (anything else is a literal). AWS parses every expression at create time and
 * refuses one that does not parse with INVALID_JSONATA_EXPRESSION; the message is jsonata's own
 * parser message without its "S0xxx: " code (measured, floci-io/floci#2745). A parsed expression is
 * then checked for reads AWS does not support (jsonata-references.ts). Nothing is evaluated.
 */

export function isJsonataString(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

export interface ExpressionProblem {
  code: string;
  message: string;
}

/**
 * What AWS would refuse in `{% expr %}`: a parse error, else reads it does not support.
 * `inCatcher` is true for a Catch's own Output / Assign, where `$states.errorOutput` exists.
 */
export function jsonataProblems(text: string, inCatcher: boolean): ExpressionProblem[] {
  let ast: AstNode;
  try {
    ast = loadJsonata()(text.slice(2, -2)).ast() as unknown as AstNode;
  } catch (err) {
    return [{ code: Code.InvalidJsonataExpression, message: parserMessage(err) }];
  }
  return unsupportedReferences(ast, inCatcher).map((message) => ({ code: Code.UnsupportedJsonataExpression, message }));
}

/** jsonata throws plain objects ({ code, message, position, token }), not Error instances. */
function parserMessage(err: unknown): string {
  const message = typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
    ? (err as { message: string }).message
    : String(err);
  return message.replace(/^S0\d{3}: /, '');
}

const MAX_DEPTH = 256;

/** Checks every JSONata string inside `value` (objects, arrays, nested), reporting where it sits. */
export function checkJsonataStrings(value: Json, location: string, problems: ProblemList, inCatcher = false, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (!isJsonataString(value)) return;
    for (const p of jsonataProblems(value, inCatcher)) problems.add(p.code, location, p.message);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkJsonataStrings(value[i], `${location}[${i}]`, problems, inCatcher, depth + 1);
    return;
  }
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) checkJsonataStrings(value[key], `${location}/${key}`, problems, inCatcher, depth + 1);
  }
}
