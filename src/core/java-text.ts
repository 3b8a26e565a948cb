import type { Json } from './json.js';

/**
 * Some of Jayway's messages print the Java objects it evaluated. AWS reads JSON into Java maps and
 * lists (its States.Format prints objects as `{a=1, b=[]}`), which is what Jayway's Jackson provider
 * does; these helpers print a JSON value the way those Java objects print.
 */

/** The JsonProvider class Jayway names in "This is not a json object according to the JsonProvider". */
export const JSON_PROVIDER_CLASS = 'com.jayway.jsonpath.spi.json.JacksonJsonProvider';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** The Java class Jackson would have produced for this JSON value. */
export function javaClassName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'java.util.ArrayList';
  switch (typeof v) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'number':
      if (!Number.isInteger(v)) return 'java.lang.Double';
      if (v >= INT_MIN && v <= INT_MAX) return 'java.lang.Integer';
      return Number.isSafeInteger(v) ? 'java.lang.Long' : 'java.math.BigInteger';
    default:
      return 'java.util.LinkedHashMap';
  }
}

/**
 * How one JSON value prints as text: as Java's `toString()` of the maps and lists Jackson reads
 * (`{k=v, ...}`, `[a, b]`, strings bare) or as compact JSON, with numbers as `number` prints them.
 * Values nested deeper than `maxDepth` print as what `tooDeep` returns (or fail if it throws).
 */
interface JavaPrinter {
  number(n: number): string;
  string(s: string): string;
  /** Between a key and its value: `=` (Map.toString) or `:` (JSON). */
  entry: string;
  /** Between members: `, ` (Map/List.toString) or `,` (JSON). */
  separator: string;
  maxDepth: number;
  tooDeep(): string;
}

function print(v: Json, depth: number, p: JavaPrinter): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return p.string(v);
    case 'number':
      return p.number(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (depth > p.maxDepth) return p.tooDeep();
  let s = Array.isArray(v) ? '[' : '{';
  let first = true;
  if (Array.isArray(v)) {
    for (const x of v) {
      s += (first ? '' : p.separator) + print(x, depth + 1, p);
      first = false;
    }
    return s + ']';
  }
  for (const k of Object.keys(v)) {
    s += (first ? '' : p.separator) + p.string(k) + p.entry + print(v[k]!, depth + 1, p);
    first = false;
  }
  return s + '}';
}

const bare = (s: string): string => s;

/** Java's `toString()` of the value as Jayway's messages print it (too deep: `...`). */
export function javaString(v: Json): string {
  return print(v, 0, { number: javaNumberText, string: bare, entry: '=', separator: ', ', maxDepth: 100, tooDeep: () => '...' });
}

/** How States.Format shows one argument: strings bare, containers Java-style. `tooDeep` throws the caller's error. */
export function javaText(v: Json, maxDepth: number, tooDeep: () => never): string {
  return print(v, 0, { number: javaNumber, string: bare, entry: '=', separator: ', ', maxDepth, tooDeep });
}

/** Compact JSON text as States.JsonToString produces it (JVM number formatting). `tooDeep` throws the caller's error. */
export function javaJson(v: Json, maxDepth: number, tooDeep: () => never): string {
  return print(v, 0, { number: javaNumber, string: quote, entry: ':', separator: ',', maxDepth, tooDeep });
}

// JSON.stringify escapes control characters with lower-case hex; the JVM serialiser uses upper case.
const LOWER_HEX_ESCAPE = /\\u([0-9a-f]{4})/g;
const NEEDS_ESCAPE = /[\u0000-\u001f]/;

function quote(s: string): string {
  const q = JSON.stringify(s);
  return NEEDS_ESCAPE.test(s) ? q.replace(LOWER_HEX_ESCAPE, (_m, hex: string) => '\\u' + hex.toUpperCase()) : q;
}

/** How Jackson's numbers print in Jayway's messages: integral values as Integer/Long/BigInteger digits, others as Double.toString. */
export function javaNumberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e19) return n.toFixed(0);
  return javaDouble(n);
}

const LONG_LIMIT = 9.223372036854776e18;

/**
 * A number as AWS's intrinsics print it on the JVM: integers as a long, others as Double.toString.
 * JSON.parse has already merged 1 and 1.0, so integral values print as integers.
 */
export function javaNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < LONG_LIMIT) {
    if (n === 0) return '0';
    return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  }
  return javaDouble(n);
}

/** Java's Double.toString: plain notation for 1e-3 <= |d| < 1e7, otherwise d.dddE±n. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  // toExponential() gives the shortest digits that round-trip, as modern Java does.
  const [mantissa, exp] = d.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}
