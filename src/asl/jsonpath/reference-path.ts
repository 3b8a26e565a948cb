import type { Json, JsonObject } from '../../core/json.js';
import { runtimeError } from '../errors.js';
import type { Step } from './ast.js';
import { isObject, ownMember, setOwn } from './evaluate.js';
import { parsePath } from './parse-path.js';
import { PathSyntaxError } from './syntax-error.js';
import { STATES_ERRORS } from '../../core/error-catalogue.js';

/**
 * The error AWS raises when a ResultPath cannot be applied. Observed on AWS (error and cause):
 * `States.ReferencePathConflict` / `Unable to apply ReferencePath $.someTaskResult to input "input1"`
 * (a string state input). The ASL specification calls this States.ResultPathMatchFailure, but that
 * name is not what AWS reports.
 */
export const REFERENCE_PATH_CONFLICT = STATES_ERRORS.ReferencePathConflict;

/** ResultPath-style reference path: definite, names and indexes only ('$', '$.a.b', "$['a']", '$.a[0]'). */
export interface ReferencePath {
  readonly source: string;
  /**
   * Returns the new document: `value` placed at the path inside a copy-on-write of `target` (only
   * the objects along the path are copied; `target` is never mutated). '$' replaces the whole
   * target. Missing objects along the path are created. Throws runtimeError(States.ReferencePathConflict,
   * "Unable to apply ReferencePath <path> to input <json>") when a name must be set on something that
   * is not an object, or an index does not address an existing element of an array.
   */
  assign(target: Json, value: Json): Json;
}

export function compileReferencePath(source: string): ReferencePath {
  const { root, steps } = parsePath(source);
  if (root.kind !== 'input') throw new PathSyntaxError(source, "a reference path here must start with '$' (the state input)", 0);
  const bad = steps.findIndex((s) => s.kind !== 'property' && s.kind !== 'index');
  if (bad >= 0) throw new PathSyntaxError(source, 'a reference path may contain only names and single indexes', 0);
  return Object.freeze({
    source,
    assign: steps.length === 0 ? (_target: Json, value: Json): Json => value : (target: Json, value: Json): Json => assignAt(source, steps, target, value),
  });
}

/** True when every segment is a name or a single index: a path that names exactly one node. */
export function isReferenceSteps(steps: readonly Step[]): boolean {
  return steps.every((s) => s.kind === 'property' || s.kind === 'index');
}

function assignAt(source: string, steps: readonly Step[], target: Json, value: Json): Json {
  const out = put(steps, 0, target, value);
  if (out === CONFLICT) throw runtimeError(REFERENCE_PATH_CONFLICT, `Unable to apply ReferencePath ${source} to input ${JSON.stringify(target)}`);
  return out;
}

/** Marks a path that cannot be applied; thrown as one error at the top, with the whole input. */
const CONFLICT: unique symbol = Symbol('conflict');

function put(steps: readonly Step[], i: number, node: Json | undefined, value: Json): Json | typeof CONFLICT {
  const s = steps[i]!;
  const last = i === steps.length - 1;
  if (s.kind === 'property') {
    // A missing member along the path becomes a new object, as AWS does for '$.a.b' on {}.
    const base: Json = node === undefined ? {} : node;
    if (!isObject(base)) return CONFLICT;
    const child = last ? value : put(steps, i + 1, ownMember(base, s.name), value);
    if (child === CONFLICT) return CONFLICT;
    const copy = shallowCopy(base);
    setOwn(copy, s.name, child);
    return copy;
  }
  if (s.kind === 'index' && Array.isArray(node)) {
    const at = s.index < 0 ? node.length + s.index : s.index;
    if (at < 0 || at >= node.length) return CONFLICT;
    const child = last ? value : put(steps, i + 1, node[at], value);
    if (child === CONFLICT) return CONFLICT;
    const copy = node.slice();
    copy[at] = child;
    return copy;
  }
  return CONFLICT;
}

/** A key loop: several times faster than object spread in V8 for this shape of use. */
function shallowCopy(obj: JsonObject): JsonObject {
  const copy: JsonObject = {};
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    setOwn(copy, k, obj[k]!);
  }
  return copy;
}
