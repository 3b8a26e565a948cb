import { jsonTypeName, type Json, type JsonObject } from '../../core/json.js';
import { runtimeError, States, type StatesError } from '../errors.js';

/**
 * Argument checks shared by the intrinsics. A failed check fails the state with States.Runtime
 * and a cause that starts "Invalid arguments in States.<Name>": executions on AWS report exactly
 * that for a non-number MathAdd argument, a non-numeric, zero-step or over-1000-item ArrayRange
 * and unparsable StringToJson input (docs/conformance.md lists the evidence). The ASL
 * specification's States.IntrinsicFailure is not what AWS reports, so a Catch on it would never
 * fire there. What follows the function name is ours: AWS's own detail text is not recorded.
 */
export function intrinsicFailure(fn: string, detail: string): StatesError {
  return runtimeError(States.Runtime, `Invalid arguments in ${fn}: ${detail}`);
}

const ORDINALS = ['first', 'second', 'third'];

/** "first", "second", "third" (no intrinsic type-checks a later argument). */
function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

/** A short rendering of a value for error messages. */
export function preview(v: Json): string {
  const s = JSON.stringify(v);
  return s.length > 200 ? s.slice(0, 200) + '...' : s;
}

function wrongType(fn: string, args: readonly Json[], i: number, expected: string): StatesError {
  const v = args[i]!;
  return intrinsicFailure(fn, `the ${ordinal(i)} argument must be ${expected}, but was ${jsonTypeName(v)} ${preview(v)}.`);
}

export function arrayArg(fn: string, args: readonly Json[], i: number): Json[] {
  const v = args[i];
  if (!Array.isArray(v)) throw wrongType(fn, args, i, 'an array');
  return v;
}

export function stringArg(fn: string, args: readonly Json[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') throw wrongType(fn, args, i, 'a string');
  return v;
}

export function objectArg(fn: string, args: readonly Json[], i: number): JsonObject {
  const v = args[i];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw wrongType(fn, args, i, 'a JSON object');
  return v;
}

export function numberArg(fn: string, args: readonly Json[], i: number): number {
  const v = args[i];
  if (typeof v !== 'number') throw wrongType(fn, args, i, 'a number');
  return v;
}

export function integerArg(fn: string, args: readonly Json[], i: number): number {
  const v = args[i];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(fn, args, i, 'an integer');
  return v;
}

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

/**
 * A number rounded the way AWS rounds MathAdd/MathRandom arguments: half up (Java's Math.round),
 * so 2.5 → 3 and -2.5 → -2; then checked against Java's int range.
 */
export function roundedIntArg(fn: string, args: readonly Json[], i: number): number {
  const r = Math.round(numberArg(fn, args, i));
  if (r < INT_MIN || r > INT_MAX) {
    throw intrinsicFailure(fn, `the ${ordinal(i)} argument must be between ${INT_MIN} and ${INT_MAX}, but was ${preview(args[i]!)}.`);
  }
  return r === 0 ? 0 : r;
}
