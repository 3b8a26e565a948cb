import { isJsonObject, type Json } from '../../core/json.js';
import { Msg } from './messages.js';
import { checkPath } from './paths.js';
import type { ProblemList } from './problem.js';

/**
 * Payload templates (JSONPath Parameters, ResultSelector, ItemSelector, Credentials, Assign):
 * a key ending in `.$` takes its value from a path, a context path, a variable or an intrinsic
 * function call, so the value must be a string of one of those shapes. Other keys are literals and
 * are never looked at (AWS accepts any JSON there, e.g. literals inside arrays).
 */

/** The 18 intrinsic functions of JSONPath states. */
export const INTRINSICS: ReadonlySet<string> = new Set([
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique',
  'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge', 'States.MathRandom',
  'States.MathAdd', 'States.StringSplit', 'States.UUID',
]);

/** Deeper templates are not looked into: validation must stay bounded on hostile input. */
const MAX_TEMPLATE_DEPTH = 256;

export function checkPayloadTemplate(value: Json, location: string, problems: ProblemList, depth = 0): void {
  if (depth > MAX_TEMPLATE_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkPayloadTemplate(value[i], `${location}[${i}]`, problems, depth + 1);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const at = `${location}/${key}`;
    if (key.endsWith('.$')) {
      if (typeof child !== 'string' || !isDynamicValue(child)) problems.schema(at, Msg.badDollarField(key));
    } else {
      checkPayloadTemplate(child, at, problems, depth + 1);
    }
  }
}

/** A path, context path, variable reference or intrinsic function call. */
export function isDynamicValue(text: string): boolean {
  const s = text.trim();
  if (s.startsWith('$')) return checkPath(s).ok;
  return isIntrinsicCall(s);
}

/**
 * The outline of `States.Name(args)`: a known name, then parentheses that balance outside quoted
 * strings (`\'` escapes a quote) and close at the very end. Arguments are the evaluator's business.
 */
export function isIntrinsicCall(s: string): boolean {
  const open = s.indexOf('(');
  if (open < 0 || !INTRINSICS.has(s.slice(0, open).trim())) return false;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
    } else if (c === "'") {
      i++;
      while (i < s.length && s[i] !== "'") {
        if (s[i] === '\\') i++;
        i++;
      }
      if (i >= s.length) return false;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return s.slice(i + 1).trim() === '';
    }
  }
  return false;
}
