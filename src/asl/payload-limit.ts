import { MAX_JSON_DEPTH, type Json } from '../core/json.js';
import { StatesError, States } from './errors.js';

/** AWS's quota on state input/output and task results: 256 KiB of UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 262_144;

/**
 * An upper bound on a value's UTF-8 JSON size that is cheap for small values: strings count 3 bytes
 * per UTF-16 unit plus escapes' worst case, so only values that might exceed the quota are
 * serialised exactly.
 */
function sizeUpperBound(v: Json, budget: number, depth: number): number {
  if (v === null || typeof v === 'boolean') return 5;
  if (typeof v === 'number') return 24;
  if (typeof v === 'string') return 6 * v.length + 2;
  // Deeper than any JSON AWS parses: stop before the recursion (here or in JSON.stringify) overflows.
  if (depth >= MAX_JSON_DEPTH) throw TOO_DEEP;
  let n = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && n <= budget; i++) n += sizeUpperBound(v[i]!, budget, depth + 1) + 1;
    return n;
  }
  for (const k in v) {
    n += 6 * k.length + 4 + sizeUpperBound(v[k]!, budget, depth + 1);
    if (n > budget) return n;
  }
  return n;
}

const TOO_DEEP = Symbol('too-deep');

/** What keeps a value from being a state's data: over 256 KiB, or nested past MAX_JSON_DEPTH. */
export function payloadProblem(v: Json): 'size' | 'depth' | undefined {
  try {
    if (sizeUpperBound(v, MAX_PAYLOAD_BYTES, 0) <= MAX_PAYLOAD_BYTES) return undefined;
  } catch (e) {
    if (e === TOO_DEEP) return 'depth';
    throw e;
  }
  return Buffer.byteLength(JSON.stringify(v), 'utf8') > MAX_PAYLOAD_BYTES ? 'size' : undefined;
}

export function payloadTooLarge(v: Json): boolean {
  return payloadProblem(v) !== undefined;
}

export function dataLimitError(what: string): StatesError {
  return new StatesError(
    States.DataLimitExceeded,
    `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}

export function checkPayloadSize(v: Json, what: string): void {
  const problem = payloadProblem(v);
  if (problem === 'size') throw dataLimitError(what);
  if (problem === 'depth') {
    throw new StatesError(
      States.DataLimitExceeded,
      `The state/task '${what}' returned a result nested more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
}
