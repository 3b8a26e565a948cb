/** JSON values as they travel through a state machine. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type name AWS uses in its messages ("object", "array", "string", ...). */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Byte length of a value once serialised as UTF-8 JSON: the unit of AWS's 256 KiB payload quota.
 * Strings are measured without serialising twice.
 */
export function jsonByteLength(v: Json): number {
  return Buffer.byteLength(JSON.stringify(v), 'utf8');
}

/** A deep copy, for values that a state may later mutate (ResultPath merges into its input). */
export function cloneJson<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** Own-property lookup that never reaches Object.prototype (keys like "__proto__" are data). */
export function ownValue(obj: JsonObject, key: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A deep copy of a JSON value with every string (not key) passed through `fn`. */
export function mapJsonStrings(value: Json, fn: (s: string) => string): Json {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((x) => mapJsonStrings(x, fn));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(value)) out[k] = mapJsonStrings(x, fn);
    return out;
  }
  return value;
}

/**
 * The deepest nesting of arrays and objects accepted in a definition, an execution input or a state's
 * data (Jackson's default StreamReadConstraints depth, which AWS's JSON services sit on). Beyond it the
 * recursive walks of JSON values (serialising, sizing, templates) could overflow the stack.
 */
export const MAX_JSON_DEPTH = 1000;

/** True when `v` nests arrays/objects more than `max` levels deep; iterative, so any depth is safe. */
export function jsonDepthExceeds(v: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(x) ? x : Object.values(x);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/**
 * Why `text` failed JSON.parse, for a one-line message: where (` at line L, column C`, when the
 * parser names a position; empty otherwise) and the parser's reason without its position.
 */
export function jsonSyntaxError(text: string, err: unknown): { where: string; reason: string } {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  let where = '';
  if (pos) {
    const upTo = text.slice(0, Number(pos[1]));
    where = ` at line ${upTo.split('\n').length}, column ${upTo.length - upTo.lastIndexOf('\n')}`;
  }
  return { where, reason: msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '') };
}
