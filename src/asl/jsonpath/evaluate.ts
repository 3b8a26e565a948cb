import type { Json, JsonObject } from '../../core/json.js';
import type { AggregateName, FunctionName, Step, SubPath } from './ast.js';
import { accept } from './filter-eval.js';

/**
 * Evaluation of compiled segments with Jayway's semantics (the engine AWS runs): a segment that does
 * not fit the data (a name on a non-object, an index on a non-array, an index out of range) selects
 * nothing. Only own JSON members are read, so "__proto__" or "constructor" are plain keys.
 */

const hasOwn = Object.prototype.hasOwnProperty;

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function ownMember(obj: JsonObject, key: string): Json | undefined {
  return hasOwn.call(obj, key) ? obj[key] : undefined;
}

/** Sets a member without ever invoking the `__proto__` setter. */
export function setOwn(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Jayway's element access: a negative index counts from the end; out of range is a miss. */
export function elementAt(arr: readonly Json[], index: number): Json | undefined {
  const i = index < 0 ? arr.length + index : index;
  return i >= 0 && i < arr.length ? arr[i] : undefined;
}

/** ['a','b'] as the last segment: a new object holding those of the names that are present. */
export function mergeMembers(obj: JsonObject, names: readonly string[]): JsonObject {
  const merged: JsonObject = {};
  for (const n of names) {
    if (hasOwn.call(obj, n)) setOwn(merged, n, obj[n]!);
  }
  return merged;
}

/**
 * The indexes a slice visits, exactly as Jayway computes them: [from:] and [:to] count negative
 * bounds from the end, but [from:to] does not normalise them, so a negative `from` walks through
 * negative indexes (which then count from the end) and a negative `to` selects nothing.
 */
export function sliceIndexes(len: number, from: number | undefined, to: number | undefined, visit: (index: number) => void): void {
  if (len === 0) return;
  if (to === undefined) {
    let f = from! < 0 ? len + from! : from!;
    f = Math.max(0, f);
    for (let i = f; i < len; i++) visit(i);
    return;
  }
  if (from === undefined) {
    let t = to < 0 ? len + to : to;
    t = Math.min(len, t);
    for (let i = 0; i < t; i++) visit(i);
    return;
  }
  const t = Math.min(len, to);
  if (from >= t) return;
  // Indexes below -len never hit an element; skip them instead of looping over them.
  for (let i = Math.max(from, -len); i < t; i++) visit(i);
}

/** Jayway's path functions; undefined when the function has no result (aggregate of no numbers). */
export function applyFunction(name: FunctionName, model: Json): Json | undefined {
  if (name === 'length') {
    if (Array.isArray(model)) return model.length;
    if (isObject(model)) return Object.keys(model).length;
    return null;
  }
  return aggregate(name, model);
}

function aggregate(name: AggregateName, model: Json): number | undefined {
  if (!Array.isArray(model)) return undefined;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of model) {
    if (typeof v !== 'number') continue;
    count++;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return undefined;
  switch (name) {
    case 'min':
      return min;
    case 'max':
      return max;
    case 'sum':
      return sum;
    case 'avg':
      return sum / count;
    case 'stddev':
      return Math.sqrt(sumSq / count - (sum / count) * (sum / count));
  }
}

export const AGGREGATE_EMPTY = 'Aggregation function attempted to calculate value using empty array';

/** A definite path: the one selected value, or undefined. `root` is what '$' means inside filters. */
export function selectDefinite(steps: readonly Step[], model: Json, root: Json): Json | undefined {
  let v: Json | undefined = model;
  const last = steps.length - 1;
  for (let i = 0; i <= last; i++) {
    const s = steps[i]!;
    switch (s.kind) {
      case 'property':
        if (!isObject(v) || !hasOwn.call(v, s.name)) return undefined;
        v = v[s.name]!;
        break;
      case 'properties':
        // Jayway merges a name list only as the last segment; elsewhere it is an error.
        if (!isObject(v) || i !== last) return undefined;
        return mergeMembers(v, s.names);
      case 'index':
        if (!Array.isArray(v)) return undefined;
        v = elementAt(v, s.index);
        if (v === undefined) return undefined;
        break;
      case 'function':
        return applyFunction(s.name, v);
      default: {
        // Not reached for definite paths; kept total so a caller mistake cannot crash evaluation.
        const out: Json[] = [];
        collect(steps, i, v, root, out);
        return out;
      }
    }
  }
  return v;
}

/** An indefinite path: every match, in document order, appended to `out`. */
/** A path inside a filter, on the filtered item (`@`) or the root (`$`). */
function evalSubPath(p: SubPath, item: Json, root: Json): Json | undefined {
  const base = p.relative ? item : root;
  if (p.definite) return selectDefinite(p.steps, base, root);
  const out: Json[] = [];
  collect(p.steps, 0, base, root, out);
  return out;
}

export function collect(steps: readonly Step[], i: number, model: Json, root: Json, out: Json[]): void {
  if (i === steps.length) {
    out.push(model);
    return;
  }
  const s = steps[i]!;
  switch (s.kind) {
    case 'property':
      if (isObject(model) && hasOwn.call(model, s.name)) collect(steps, i + 1, model[s.name]!, root, out);
      return;
    case 'properties':
      if (isObject(model) && i === steps.length - 1) out.push(mergeMembers(model, s.names));
      return;
    case 'index':
      if (Array.isArray(model)) {
        const v = elementAt(model, s.index);
        if (v !== undefined) collect(steps, i + 1, v, root, out);
      }
      return;
    case 'indexes':
      if (Array.isArray(model)) {
        for (const index of s.indexes) {
          const v = elementAt(model, index);
          if (v !== undefined) collect(steps, i + 1, v, root, out);
        }
      }
      return;
    case 'slice':
      if (Array.isArray(model)) {
        sliceIndexes(model.length, s.from, s.to, (index) => {
          const v = elementAt(model, index);
          if (v !== undefined) collect(steps, i + 1, v, root, out);
        });
      }
      return;
    case 'wildcard':
      if (Array.isArray(model)) {
        for (const v of model) collect(steps, i + 1, v, root, out);
      } else if (isObject(model)) {
        for (const k of Object.keys(model)) collect(steps, i + 1, model[k]!, root, out);
      }
      return;
    case 'filter':
      // On an object the filter tests the object itself; on an array, each element.
      if (Array.isArray(model)) {
        for (const v of model) if (accept(s.expr, v, root, evalSubPath)) collect(steps, i + 1, v, root, out);
      } else if (isObject(model) && accept(s.expr, model, root, evalSubPath)) {
        collect(steps, i + 1, model, root, out);
      }
      return;
    case 'function': {
      const v = applyFunction(s.name, model);
      if (v !== undefined) out.push(v);
      return;
    }
    case 'scan':
      scan(steps, i, model, root, out);
      return;
  }
}

/**
 * '..' followed by segment S: every object or array of the subtree, in pre-order, to which S
 * applies gets S (and what follows) evaluated on it. Iterative, so deep documents cannot overflow
 * the call stack. Like Jayway, when S is an array segment that is not last, the rest of the path
 * runs on every element of each array (Jayway's deep-scan behaviour, which AWS inherits).
 */
function scan(steps: readonly Step[], i: number, model: Json, root: Json, out: Json[]): void {
  const next = steps[i + 1]!;
  const nextIsLast = i + 2 === steps.length;
  const stack: Json[] = [model];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      if (scanApplies(next, node, root)) {
        if (nextIsLast) collect(steps, i + 1, node, root, out);
        else for (const v of node) collect(steps, i + 2, v, root, out);
      }
      for (let k = node.length - 1; k >= 0; k--) {
        const child = node[k]!;
        if (typeof child === 'object' && child !== null) stack.push(child);
      }
    } else if (isObject(node)) {
      if (scanApplies(next, node, root)) collect(steps, i + 1, node, root, out);
      const keys = Object.keys(node);
      for (let k = keys.length - 1; k >= 0; k--) {
        const child = node[keys[k]!]!;
        if (typeof child === 'object' && child !== null) stack.push(child);
      }
    }
  }
}

function scanApplies(next: Step, node: Json, root: Json): boolean {
  switch (next.kind) {
    case 'property':
      return isObject(node) && hasOwn.call(node, next.name);
    case 'properties':
      return isObject(node) && next.names.every((n) => hasOwn.call(node, n));
    case 'index':
    case 'indexes':
    case 'slice':
      return Array.isArray(node);
    case 'wildcard':
      return true;
    case 'filter':
      return accept(next.expr, node, root, evalSubPath);
    default:
      return false;
  }
}
