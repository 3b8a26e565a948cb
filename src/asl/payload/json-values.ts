import type { Json, JsonObject } from '../../core/json.js';
import { runtimeError, States } from '../errors.js';

/**
 * Deepest JSON nesting the intrinsics walk. Payloads are capped at 256 KiB, which still allows
 * nesting deep enough to overflow the stack; past this the intrinsic fails instead, with the
 * States.Runtime that AWS reports for every intrinsic failure.
 */
export const MAX_JSON_DEPTH = 2000;

export function tooDeep(): Error {
  return runtimeError(States.Runtime, `The value is nested more than ${MAX_JSON_DEPTH} levels deep.`);
}

/** For printers that take the error to throw when a value is too deep. */
export function throwTooDeep(): never {
  throw tooDeep();
}

/**
 * Sets a key as plain data. Plain assignment of "__proto__" would replace the object's
 * prototype instead of creating a key, so that one key is defined explicitly.
 */
export function setOwn(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A fresh deep copy, so constant parts of a template are never shared between evaluations. */
export function copyJson(v: Json, depth = 0): Json {
  if (v === null || typeof v !== 'object') return v;
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  if (Array.isArray(v)) {
    const out: Json[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJson(v[i]!, depth + 1);
    return out;
  }
  const out: JsonObject = {};
  for (const k of Object.keys(v)) setOwn(out, k, copyJson(v[k]!, depth + 1));
  return out;
}

/** JSON value equality: object key order does not matter, 0 equals -0. */
export function jsonEquals(a: Json, b: Json, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i]!, b[i]!, depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEquals(a[k]!, b[k]!, depth + 1)) return false;
  }
  return true;
}

/** A string that is equal for equal JSON values (sorted keys), for hashing values into a Set. */
export function canonicalKey(v: Json, depth = 0): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return v === 0 ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ',') + canonicalKey(v[i]!, depth + 1);
    return s + ']';
  }
  const keys = Object.keys(v).sort();
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    s += (i === 0 ? '' : ',') + JSON.stringify(k) + ':' + canonicalKey(v[k]!, depth + 1);
  }
  return s + '}';
}
