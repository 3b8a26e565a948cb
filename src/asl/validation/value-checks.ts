import { ownValue, type Json, type JsonObject } from '../../core/json.js';
import type { QueryLanguage } from './field-tables.js';
import { isJsonataString } from './jsonata-expressions.js';
import { Msg, type JsonKind } from './messages.js';
import { checkPath, checkReferencePath, checkResultPath, NO_DOLLAR } from './paths.js';
import type { ProblemList } from './problem.js';

/** Small typed checks shared by the state checkers; each reports at `<location>/<field>`. */

export function has(obj: JsonObject, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, field);
}

export function kindOf(value: Json): JsonKind | 'NULL' {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  switch (typeof value) {
    case 'string': return 'STRING';
    case 'boolean': return 'BOOLEAN';
    case 'number': return Number.isInteger(value) ? 'INTEGER' : 'NUMBER';
    default: return 'OBJECT';
  }
}

/** Reports a type mismatch; true when the value has the expected JSON type. */
export function expectKind(obj: JsonObject, field: string, kind: JsonKind, location: string, problems: ProblemList): boolean {
  const value = ownValue(obj, field);
  if (value === undefined) return false;
  const actual = kindOf(value);
  const ok = actual === kind || (kind === 'NUMBER' && actual === 'INTEGER');
  if (!ok) problems.schema(`${location}/${field}`, Msg.expectedType(kind));
  return ok;
}

export function expectEnum(obj: JsonObject, field: string, values: readonly string[], location: string, problems: ProblemList): void {
  if (!expectKind(obj, field, 'STRING', location, problems)) return;
  if (!values.includes(obj[field] as string)) problems.schema(`${location}/${field}`, Msg.oneOf(values));
}

/** Fields that exclude each other: report once, at the first of them (where AWS points). */
export function expectAtMostOne(obj: JsonObject, fields: readonly string[], location: string, problems: ProblemList): void {
  const present = fields.filter((f) => has(obj, f));
  if (present.length > 1) problems.schema(`${location}/${present[0]}`, Msg.onlyOneOf(fields));
}

export interface NumberRule {
  integer: boolean;
  min?: number;
  max?: number;
  /** How AWS prints the bound: "0" for integer fields, "0.0" for decimal ones. */
  decimal?: boolean;
}

/**
 * A numeric field. In a JSONata state it may instead hold a `{% %}` expression, which the JSONata
 * pass parses; in a JSONPath state a string is a type error.
 */
export function expectNumber(obj: JsonObject, field: string, rule: NumberRule, language: QueryLanguage, location: string, problems: ProblemList): void {
  const value = ownValue(obj, field);
  if (value === undefined) return;
  if (language === 'JSONata' && isJsonataString(value)) return;
  const at = `${location}/${field}`;
  if (typeof value !== 'number' || (rule.integer && !Number.isInteger(value))) {
    problems.schema(at, Msg.expectedType(rule.integer ? 'INTEGER' : 'NUMBER'));
    return;
  }
  const show = (n: number) => (rule.decimal && Number.isInteger(n) ? n.toFixed(1) : String(n));
  if (rule.min !== undefined && value < rule.min) problems.schema(at, Msg.minimum(show(rule.min)));
  else if (rule.max !== undefined && value > rule.max) problems.schema(at, Msg.maximum(show(rule.max)));
}

export interface PathRule {
  /** Any path; a Reference Path (one node); a ResultPath (one node of the state input). */
  kind: 'path' | 'reference' | 'result';
  /** null is a valid value (InputPath, OutputPath, ResultPath discard). */
  nullable?: boolean;
  /**
   * AWS calls the field a Reference Path in its messages even where this check stays lenient
   * (Choice Variable: AWS says "Value is not a Reference Path: Reference path didn't start with
   * '$'", but whether it refuses wildcards there is unknown, so they are let through).
   */
  calledReferencePath?: boolean;
}

/** A field holding a path; reports at `<location>/<field>`. */
export function expectPath(obj: JsonObject, field: string, rule: PathRule, location: string, problems: ProblemList): void {
  const value = ownValue(obj, field);
  if (value === undefined || (value === null && rule.nullable)) return;
  const at = `${location}/${field}`;
  if (typeof value !== 'string') {
    problems.schema(at, Msg.expectedType('STRING'));
    return;
  }
  const result = rule.kind === 'result' ? checkResultPath(value) : rule.kind === 'reference' ? checkReferencePath(value) : checkPath(value);
  if (!result.ok) {
    const reason = result.reason ?? 'invalid path';
    const asReference = rule.kind !== 'path' || rule.calledReferencePath === true;
    if (asReference) problems.schema(at, Msg.notReferencePath(reason.replace(/^Path /, 'Reference path ')));
    else problems.schema(at, Msg.notJsonPath(reason === NO_DOLLAR ? undefined : reason));
  }
}
