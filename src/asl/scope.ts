import type { Json, JsonObject } from '../core/json.js';

/** Read access to workflow variables visible from a state (its own scope and the outer ones). */
export interface VariableLookup {
  /** The variable's value, or undefined when it was never assigned in a visible scope. */
  lookup(name: string): Json | undefined;
}

/**
 * What a state's expressions can read — a JSONPath expression, payload template, intrinsic or
 * Choice rule, and JSONata (which adds `$states.result` and `$states.errorOutput`, see
 * JsonataBindings). The one scope type of the interpreter.
 */
export interface PathScope {
  /** `$`: the effective input of the step being evaluated. */
  input: Json;
  /** `$$`: the context object. */
  context: JsonObject;
  /** `$name`: workflow variables. */
  variables: VariableLookup;
}

export const NO_VARIABLES: VariableLookup = { lookup: () => undefined };
