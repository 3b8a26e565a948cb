/**
 * JSONata for ASL states with QueryLanguage JSONata: compile a field value once (at definition
 * load), evaluate it per state run against `$states` and the workflow variables.
 */
import type { Json } from '../../core/json.js';
import type { StatesError } from '../errors.js';
import { unexpectedResultType } from './errors.js';
import { expressionsOf } from './template.js';
import type { CompiledJsonata } from './types.js';

export { isJsonataString } from './delimiters.js';
export { JsonataSyntaxError } from './errors.js';
export { JSONATA_LIMITS } from './limits.js';
export { compileJsonataValue } from './template.js';
export type { CompiledJsonata, JsonataBindings } from './types.js';

/** Names of workflow variables an expression references (for validation and to bind only those). */
export function referencedVariables(c: CompiledJsonata): ReadonlySet<string> {
  const out = new Set<string>();
  for (const e of expressionsOf(c)) for (const name of e.analysis.variables) out.add(name);
  return out;
}

/** One expression inside a compiled value, for create-time checks that need its location. */
export interface JsonataExpressionInfo {
  /** "Output/v", "Items[1]", "Assign/x". */
  readonly field: string;
  /** The text between the delimiters, trimmed. */
  readonly source: string;
  /** Workflow variables it reads. */
  readonly variables: ReadonlySet<string>;
  /**
   * What it reads from the top-level context item ("phone" for `{% phone %}`, "$", "$$", "*"):
   * AWS refuses these with UNSUPPORTED_JSONATA_EXPRESSION ("Reference to 'phone' at the top level
   * is not supported.", "Reference to '$$' is not supported.").
   */
  readonly topLevelReferences: readonly string[];
}

export function jsonataExpressions(c: CompiledJsonata): readonly JsonataExpressionInfo[] {
  return expressionsOf(c).map((e) => ({
    field: e.field,
    source: e.source,
    variables: e.analysis.variables,
    topLevelReferences: e.analysis.topLevelReferences,
  }));
}

/**
 * AWS's error for a value of the wrong type in a typed field, recorded for Map Items:
 * "The JSONata expression '<source>' specified for the field '<field>' returned an unexpected result
 * type. Expected 'array', but was 'string' for value: "string"". Meant for a field whose whole
 * value is one expression (c.source defined); `expected` is AWS's type word ('array', 'boolean',
 * 'number', 'string', 'object').
 */
export function resultTypeError(c: CompiledJsonata, expected: string, value: Json): StatesError {
  return unexpectedResultType(c.source ?? '', c.field, expected, value);
}
export { loadJsonata } from './lazy-modules.js';
