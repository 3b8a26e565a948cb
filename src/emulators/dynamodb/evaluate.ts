/**
 * Evaluates parsed DynamoDB expressions against an item: conditions to true/false, update actions to
 * the new item (every right-hand side read from the item as it was, as DynamoDB does), projections
 * to the projected item. Errors are DynamoDB's ValidationExceptions.
 */
import { cloneJson, type Json, type JsonObject } from '../../core/json.js';
import { addNumbers, compareValues, equalValues, typeOf, type AttributeValue, type Item } from './attribute-values.js';
import { validation } from './errors.js';
import type { Condition, Operand, Path, SetValue, UpdateActions } from './expressions.js';

/** The value at a document path, or undefined. */
export function valueAt(item: Item, path: Path): AttributeValue | undefined {
  const first = path[0]!;
  if (!('name' in first)) return undefined;
  let cur: AttributeValue | undefined = item[first.name];
  for (const step of path.slice(1)) {
    if (!cur) return undefined;
    if ('name' in step) cur = typeOf(cur) === 'M' ? ((cur['M'] as JsonObject)[step.name] as AttributeValue | undefined) : undefined;
    else cur = typeOf(cur) === 'L' ? ((cur['L'] as Json[])[step.index] as AttributeValue | undefined) : undefined;
  }
  return cur;
}

function operandValue(item: Item, o: Operand, expression: string): AttributeValue | undefined {
  if (o.kind === 'value') return o.value;
  if (o.kind === 'path') return valueAt(item, o.path);
  const v = valueAt(item, o.path);
  if (!v) return undefined;
  const t = typeOf(v);
  const x = v[t]!;
  let n: number;
  if (t === 'S') n = [...(x as string)].length;
  else if (t === 'B') n = Buffer.from(x as string, 'base64').length;
  else if (t === 'SS' || t === 'NS' || t === 'BS' || t === 'L') n = (x as Json[]).length;
  else if (t === 'M') n = Object.keys(x as JsonObject).length;
  else throw validation(`Invalid ${expression}: Incorrect operand type for operator or function; operator or function: size, operand type: ${typeName(t)}`);
  return { N: String(n) };
}

function typeName(t: string): string {
  return ({ S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', M: 'MAP', L: 'LIST', SS: 'STRING SET', NS: 'NUMBER SET', BS: 'BINARY SET' } as Record<string, string>)[t] ?? t;
}

export function evaluateCondition(item: Item, c: Condition, expression = 'ConditionExpression'): boolean {
  switch (c.op) {
    case 'and':
      return evaluateCondition(item, c.left, expression) && evaluateCondition(item, c.right, expression);
    case 'or':
      return evaluateCondition(item, c.left, expression) || evaluateCondition(item, c.right, expression);
    case 'not':
      return !evaluateCondition(item, c.expr, expression);
    case 'cmp': {
      const a = operandValue(item, c.left, expression);
      const b = operandValue(item, c.right, expression);
      if (!a || !b) return false;
      if (c.cmp === '=') return equalValues(a, b);
      if (c.cmp === '<>') return !equalValues(a, b);
      const order = compareValues(a, b);
      if (order === undefined) return false;
      return c.cmp === '<' ? order < 0 : c.cmp === '<=' ? order <= 0 : c.cmp === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const v = operandValue(item, c.value, expression);
      const lo = operandValue(item, c.low, expression);
      const hi = operandValue(item, c.high, expression);
      if (lo && hi && compareValues(lo, hi) !== undefined && compareValues(lo, hi)! > 0) {
        throw validation(
          `Invalid ${expression}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${typeOf(lo)}:${String(lo[typeOf(lo)])}}, upper bound operand: AttributeValue: {${typeOf(hi)}:${String(hi[typeOf(hi)])}}`,
        );
      }
      if (!v || !lo || !hi) return false;
      const a = compareValues(v, lo);
      const b = compareValues(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = operandValue(item, c.value, expression);
      return v !== undefined && c.list.some((o) => {
        const w = operandValue(item, o, expression);
        return w !== undefined && equalValues(v, w);
      });
    }
    case 'fn': {
      const path = (c.args[0] as { path: Path }).path;
      const v = valueAt(item, path);
      if (c.name === 'attribute_exists') return v !== undefined;
      if (c.name === 'attribute_not_exists') return v === undefined;
      const arg = operandValue(item, c.args[1]!, expression);
      if (c.name === 'attribute_type') {
        const t = arg && typeOf(arg) === 'S' ? (arg['S'] as string) : undefined;
        if (!t || !['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'].includes(t)) {
          throw validation(`Invalid ${expression}: Invalid attribute type name found; type: ${t ?? '?'}, valid types: { B,N,S,BOOL,NULL,SS,NS,BS,L,M }`);
        }
        return v !== undefined && typeOf(v) === t;
      }
      if (!v || !arg) return false;
      if (c.name === 'begins_with') {
        const t = typeOf(v);
        if (t !== typeOf(arg) || (t !== 'S' && t !== 'B')) return false;
        return t === 'S' ? (v['S'] as string).startsWith(arg['S'] as string) : Buffer.from(v['B'] as string, 'base64').subarray(0, Buffer.from(arg['B'] as string, 'base64').length).equals(Buffer.from(arg['B'] as string, 'base64'));
      }
      // contains
      const t = typeOf(v);
      if (t === 'S') return typeOf(arg) === 'S' && (v['S'] as string).includes(arg['S'] as string);
      if (t === 'SS' || t === 'NS' || t === 'BS') return typeOf(arg) === t.slice(0, 1) && (v[t] as string[]).some((e) => equalValues({ [t.slice(0, 1)]: e }, arg));
      if (t === 'L') return (v['L'] as Json[]).some((e) => equalValues(e as AttributeValue, arg));
      return false;
    }
  }
}

const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';

function setValueOf(item: Item, v: SetValue): AttributeValue {
  switch (v.kind) {
    case 'operand': {
      const x = operandValue(item, v.operand, 'UpdateExpression');
      if (!x) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return x;
    }
    case 'if_not_exists':
      return valueAt(item, v.path) ?? setValueOf(item, v.fallback);
    case 'list_append': {
      const a = setValueOf(item, v.left);
      const b = setValueOf(item, v.right);
      if (typeOf(a) !== 'L' || typeOf(b) !== 'L') throw validation(INCORRECT_TYPE);
      return { L: [...(a['L'] as Json[]), ...(b['L'] as Json[])] };
    }
    case 'plus':
    case 'minus': {
      const a = setValueOf(item, v.left);
      const b = setValueOf(item, v.right);
      if (typeOf(a) !== 'N' || typeOf(b) !== 'N') throw validation(INCORRECT_TYPE);
      return { N: addNumbers(a['N'] as string, b['N'] as string, v.kind === 'minus') };
    }
  }
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

/** Writes `value` at `path` in `item` (mutates); a missing or mistyped parent is DynamoDB's error. */
function assign(item: Item, path: Path, value: AttributeValue | undefined): void {
  const first = path[0] as { name: string };
  if (path.length === 1) {
    if (value === undefined) delete item[first.name];
    else item[first.name] = value;
    return;
  }
  const parent = valueAt(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if ('name' in last) {
    if (!parent || typeOf(parent) !== 'M') {
      if (value === undefined) return;
      throw validation(INVALID_PATH);
    }
    const m = parent['M'] as JsonObject;
    if (value === undefined) delete m[last.name];
    else m[last.name] = value;
    return;
  }
  if (!parent || typeOf(parent) !== 'L') {
    if (value === undefined) return;
    throw validation(INVALID_PATH);
  }
  const list = parent['L'] as Json[];
  if (value === undefined) {
    if (last.index < list.length) list.splice(last.index, 1);
  } else if (last.index < list.length) list[last.index] = value;
  else list.push(value);
}

/** Applies update actions; returns the new item (the old one is left untouched). */
export function applyUpdate(old: Item, u: UpdateActions): Item {
  // Every right-hand side reads the item as it was before this update.
  const sets = u.set.map((s) => ({ path: s.path, value: setValueOf(old, s.value) }));
  const item = cloneJson(old as JsonObject) as Item;
  for (const s of sets) assign(item, s.path, s.value);
  // REMOVE of list elements: highest index first, so earlier indexes still name the elements meant.
  const removals = [...u.remove].sort((a, b) => {
    const x = a[a.length - 1]!;
    const y = b[b.length - 1]!;
    return 'index' in x && 'index' in y ? y.index - x.index : 0;
  });
  for (const p of removals) assign(item, p, undefined);
  for (const a of u.add) {
    const cur = valueAt(old, a.path);
    const t = typeOf(a.value);
    if (t === 'N') {
      if (cur && typeOf(cur) !== 'N') throw validation(INCORRECT_TYPE);
      assign(item, a.path, { N: cur ? addNumbers(cur['N'] as string, a.value['N'] as string) : (a.value['N'] as string) });
    } else if (t === 'SS' || t === 'NS' || t === 'BS') {
      if (cur && typeOf(cur) !== t) throw validation(INCORRECT_TYPE);
      const have = cur ? (cur[t] as string[]) : [];
      const merged = [...have];
      for (const e of a.value[t] as string[]) if (!merged.some((h) => equalValues({ [t.slice(0, 1)]: h }, { [t.slice(0, 1)]: e }))) merged.push(e);
      assign(item, a.path, { [t]: merged });
    } else {
      throw validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${typeName(t)}`);
    }
  }
  for (const d of u.delete) {
    const t = typeOf(d.value);
    if (t !== 'SS' && t !== 'NS' && t !== 'BS') throw validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${typeName(t)}`);
    const cur = valueAt(old, d.path);
    if (!cur) continue;
    if (typeOf(cur) !== t) throw validation(INCORRECT_TYPE);
    const kept = (cur[t] as string[]).filter((h) => !(d.value[t] as string[]).some((e) => equalValues({ [t.slice(0, 1)]: h }, { [t.slice(0, 1)]: e })));
    assign(item, d.path, kept.length ? { [t]: kept } : undefined);
  }
  return item;
}

/** The item with only the projected paths (GetItem's ProjectionExpression); nested paths keep their enclosing maps and lists. */
export function project(item: Item, paths: Path[]): Item {
  const out: Item = {};
  for (const p of paths) {
    if (valueAt(item, p) === undefined) continue;
    const first = p[0] as { name: string };
    out[first.name] = pick(item[first.name]!, p.slice(1), out[first.name]);
  }
  return out;
}

/** `src` narrowed to `steps` (which exist in it), merged into what was already picked from it. */
function pick(src: AttributeValue, steps: Path, into: AttributeValue | undefined): AttributeValue {
  if (steps.length === 0) return cloneJson(src as JsonObject) as AttributeValue;
  const [step, ...rest] = steps as [Path[number], ...Path];
  if ('name' in step) {
    const m = (into?.['M'] as JsonObject | undefined) ?? {};
    m[step.name] = pick((src['M'] as JsonObject)[step.name] as AttributeValue, rest, m[step.name] as AttributeValue | undefined);
    return { M: m };
  }
  const l = (into?.['L'] as Json[] | undefined) ?? [];
  l.push(pick((src['L'] as Json[])[step.index] as AttributeValue, rest, undefined));
  return { L: l };
}
