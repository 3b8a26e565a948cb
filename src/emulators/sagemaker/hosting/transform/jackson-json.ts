/**
 * JSON records for batch transform's data processing, read and written the way a Java service
 * using Jackson's tree model would (our assumption for SageMaker's data plane): member order is
 * kept exactly (JavaScript objects would move integer-like keys first), integers print as
 * integers, and any number written with a fraction or exponent is a double printed by Java's
 * Double.toString ("6.0", "1.0E-5"). JSON.parse/JSON.stringify would lose all three.
 */
import { javaDouble } from '../../../../core/java-text.js';

/** A number, kept as the text Jackson would write for it. */
export class JNum {
  constructor(readonly text: string) {}
}

export type JValue = null | boolean | string | JNum | JValue[] | JObject;
export type JObject = Map<string, JValue>;

export function isJObject(v: JValue): v is JObject {
  return v instanceof Map;
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const MAX_DEPTH = 1000;

export function parseJson(text: string): JValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): JsonSyntaxError => new JsonSyntaxError(`${what} at position ${i}`);
  const value = (depth: number): JValue => {
    if (depth > MAX_DEPTH) throw fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JObject = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw fail('expected a member name');
        const key = str();
        ws();
        if (text[i] !== ':') throw fail('expected ":"');
        i++;
        obj.set(key, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else throw fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: JValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else throw fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) throw fail('unexpected character');
    i += m[0].length;
    const isDouble = m[1] !== undefined || m[2] !== undefined;
    return new JNum(isDouble ? javaDouble(Number(m[0])) : BigInt(m[0]).toString());
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) throw fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const v = value(0);
  ws();
  if (i !== text.length) throw fail('unexpected text after the value');
  return v;
}

export function stringifyJson(v: JValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringifyJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, x] of v) parts.push(`${JSON.stringify(k)}:${stringifyJson(x)}`);
  return `{${parts.join(',')}}`;
}
