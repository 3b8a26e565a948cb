/**
 * DynamoDB's attribute values in their JSON wire form ({"S": "x"}, {"N": "1.5"}, {"M": {...}}, ...):
 * validation with DynamoDB's messages, numbers as DynamoDB keeps them (decimal, 38 digits, so 1 and
 * 1.0 are equal and sums are exact), comparison, key encoding and item size.
 */
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { DynamoDbError, validation } from './errors.js';

export type AttributeValue = JsonObject;
export type Item = Record<string, AttributeValue>;

export const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof TYPES)[number];

const SET_NAMES: Record<string, string> = { SS: 'string set', NS: 'number set', BS: 'binary set' };

export function typeOf(v: AttributeValue): AttributeType {
  return Object.keys(v)[0] as AttributeType;
}

/** A decimal number: sign, digits without leading/trailing zeros, and the exponent of the last digit. */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

function parseDecimal(text: string): Decimal | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return { negative: false, digits: '0', exponent: 0 };
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return { negative: m[1] === '-', digits, exponent };
}

/** DynamoDB's number limits: 38 significant digits, magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125. */
function checkNumber(d: Decimal): void {
  if (d.digits === '0') return;
  if (d.digits.length > 38) throw validation('Attempting to store more than 38 significant digits in a Number');
  const magnitude = d.exponent + d.digits.length - 1;
  if (magnitude > 125) throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (magnitude < -130) throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
}

/** The canonical text of a DynamoDB number (what DynamoDB returns: no exponent, no redundant zeros). */
export function canonicalNumber(text: string): string {
  const d = parseDecimal(text);
  if (!d) throw validation('A value provided cannot be converted into a number');
  checkNumber(d);
  return formatDecimal(d);
}

function formatDecimal(d: Decimal): string {
  if (d.digits === '0') return '0';
  let s: string;
  if (d.exponent >= 0) s = d.digits + '0'.repeat(d.exponent);
  else {
    const point = d.digits.length + d.exponent;
    s = point > 0 ? `${d.digits.slice(0, point)}.${d.digits.slice(point)}` : `0.${'0'.repeat(-point)}${d.digits}`;
  }
  return (d.negative ? '-' : '') + s;
}

/** Exact decimal arithmetic on canonical numbers (UpdateExpression `+`/`-`, ADD). */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = parseDecimal(a)!;
  const y = parseDecimal(b)!;
  const scale = Math.min(x.exponent, y.exponent);
  const big = (d: Decimal) => BigInt(d.digits) * 10n ** BigInt(d.exponent - scale) * (d.negative ? -1n : 1n);
  const sum = big(x) + (subtract ? -big(y) : big(y));
  const negative = sum < 0n;
  const text = (negative ? -sum : sum).toString();
  const d = parseDecimal(`${negative ? '-' : ''}${text}e${scale}`)!;
  checkNumber(d);
  return formatDecimal(d);
}

export function compareNumbers(a: string, b: string): number {
  const x = parseDecimal(a)!;
  const y = parseDecimal(b)!;
  const sign = (d: Decimal) => (d.digits === '0' ? 0 : d.negative ? -1 : 1);
  if (sign(x) !== sign(y)) return sign(x) - sign(y);
  if (sign(x) === 0) return 0;
  const magX = x.exponent + x.digits.length;
  const magY = y.exponent + y.digits.length;
  const width = Math.max(x.digits.length, y.digits.length);
  const px = x.digits.padEnd(width, '0');
  const py = y.digits.padEnd(width, '0');
  const c = magX !== magY ? Math.sign(magX - magY) : px < py ? -1 : px > py ? 1 : 0;
  return x.negative ? -c : c;
}

/** Binary values travel as base64 in JSON; compared and stored as bytes. */
function bytesOf(b64: string): Buffer {
  return Buffer.from(b64, 'base64');
}

function compareCodeUnits(a: string, b: string): number {
  // DynamoDB orders strings by their UTF-8 bytes.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Checks an attribute value as DynamoDB does and returns it normalised (numbers canonical, binary
 * re-encoded), so stored items compare and print as DynamoDB's do.
 */
export function checkValue(v: Json | undefined, depth = 0): AttributeValue {
  if (depth > 32) throw validation('Nesting Levels have exceeded supported limits');
  if (!isJsonObject(v)) throw new DynamoDbError('SerializationException', 'Start of structure or map found where not expected');
  const keys = Object.keys(v).filter((k) => v[k] !== null);
  if (keys.length === 0) throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (keys.length > 1) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  const t = keys[0]!;
  const x = v[t]!;
  switch (t) {
    case 'S':
      if (typeof x !== 'string') break;
      return { S: x };
    case 'N':
      if (typeof x !== 'string') break;
      return { N: canonicalNumber(x) };
    case 'B':
      if (typeof x !== 'string') break;
      return { B: bytesOf(x).toString('base64') };
    case 'BOOL':
      if (typeof x !== 'boolean') break;
      return { BOOL: x };
    case 'NULL':
      if (x !== true) throw validation('One or more parameter values were invalid: Null attribute value types must have the value of true');
      return { NULL: true };
    case 'M': {
      if (!isJsonObject(x)) break;
      const out: JsonObject = {};
      for (const [k, e] of Object.entries(x)) out[k] = checkValue(e, depth + 1);
      return { M: out };
    }
    case 'L':
      if (!Array.isArray(x)) break;
      return { L: x.map((e) => checkValue(e, depth + 1)) };
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(x) || x.some((e) => typeof e !== 'string')) break;
      if (x.length === 0) throw validation(`One or more parameter values were invalid: An ${SET_NAMES[t]}  may not be empty`);
      const items = (x as string[]).map((e) => (t === 'NS' ? canonicalNumber(e) : t === 'BS' ? bytesOf(e).toString('base64') : e));
      if (new Set(items).size !== items.length) throw validation(`One or more parameter values were invalid: Input collection [${(x as string[]).join(', ')}] contains duplicates.`);
      return { [t]: items };
    }
    default:
      throw new DynamoDbError('SerializationException', `Unexpected field type: ${t}`);
  }
  throw new DynamoDbError('SerializationException', `Unexpected value type for ${t}`);
}

export function checkItem(v: Json | undefined, what = 'Item'): Item {
  if (!isJsonObject(v)) throw validation(`1 validation error detected: Value null at '${what.charAt(0).toLowerCase() + what.slice(1)}' failed to satisfy constraint: Member must not be null`);
  const out: Item = {};
  for (const [k, e] of Object.entries(v)) {
    if (k === '') throw validation('One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value.');
    out[k] = checkValue(e);
  }
  return out;
}

/** Equality as conditions use it (sets equal regardless of order). */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  const x = a[t]!;
  const y = b[t]!;
  switch (t) {
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'SS':
    case 'BS':
    case 'NS': {
      const xs = x as string[];
      const ys = y as string[];
      return xs.length === ys.length && xs.every((e) => ys.some((f) => (t === 'NS' ? compareNumbers(e, f) === 0 : e === f)));
    }
    case 'M': {
      const xm = x as JsonObject;
      const ym = y as JsonObject;
      const kx = Object.keys(xm);
      return kx.length === Object.keys(ym).length && kx.every((k) => ym[k] !== undefined && equalValues(xm[k] as AttributeValue, ym[k] as AttributeValue));
    }
    case 'L': {
      const xl = x as Json[];
      const yl = y as Json[];
      return xl.length === yl.length && xl.every((e, i) => equalValues(e as AttributeValue, yl[i] as AttributeValue));
    }
    default:
      return x === y;
  }
}

/** Ordering for <, <=, >, >=, BETWEEN: only between two S, two N or two B values (undefined otherwise). */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const t = typeOf(a);
  if (t !== typeOf(b)) return undefined;
  if (t === 'N') return compareNumbers(a['N'] as string, b['N'] as string);
  if (t === 'S') return compareCodeUnits(a['S'] as string, b['S'] as string);
  if (t === 'B') return Buffer.compare(bytesOf(a['B'] as string), bytesOf(b['B'] as string));
  return undefined;
}

/** A key attribute's value as stored in the key column: type-tagged canonical text. */
export function keyText(v: AttributeValue): string {
  const t = typeOf(v);
  return `${t}:${String(v[t])}`;
}

/** DynamoDB's item size: attribute names plus values (UTF-8 bytes; numbers about 1 byte per 2 digits). */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + valueSize(v);
  return n;
}

function valueSize(v: AttributeValue): number {
  const t = typeOf(v);
  const x = v[t]!;
  switch (t) {
    case 'S':
      return Buffer.byteLength(x as string, 'utf8');
    case 'N':
      return Math.ceil((x as string).replace(/[-.]/g, '').length / 2) + 1;
    case 'B':
      return bytesOf(x as string).length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (x as string[]).reduce((s, e) => s + valueSize({ [t.slice(0, 1)]: e }), 0);
    case 'M':
      return 3 + Object.entries(x as JsonObject).reduce((s, [k, e]) => s + Buffer.byteLength(k, 'utf8') + 1 + valueSize(e as AttributeValue), 0);
    case 'L':
      return 3 + (x as Json[]).reduce<number>((s, e) => s + 1 + valueSize(e as AttributeValue), 0);
  }
}

export const MAX_ITEM_BYTES = 400 * 1024;
