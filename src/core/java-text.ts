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

/** Java's `toString()` of the value (maps as `{k=v, ...}`, lists as `[a, b]`, strings unquoted). */
export function javaString(v: Json, depth = 0): string {
  if (v === null) return 'null';
  if (depth > 100) return '...';
  if (Array.isArray(v)) return `[${v.map((x) => javaString(x, depth + 1)).join(', ')}]`;
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return String(v);
    case 'number':
      return javaNumberText(v);
    default:
      return `{${Object.keys(v)
        .map((k) => `${k}=${javaString(v[k]!, depth + 1)}`)
        .join(', ')}}`;
  }
}

/** How Java prints a JSON number: integral values as Integer/Long, others as Double.toString. */
export function javaNumberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e19) return n.toFixed(0);
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
