import type { Json } from '../../core/json.js';
import type { PathScope } from '../scope.js';

/**
 * What an expression can read: `$states.*` and the workflow variables — a state's scope
 * (`$states.input`, `$states.context`, `$name`) and, at some points, more.
 */
export interface JsonataBindings extends PathScope {
  /** `$states.result` (after a Task/Map/Parallel ran) */
  result?: Json;
  /** `$states.errorOutput` (inside Catch) */
  errorOutput?: Json;
}

export interface CompiledJsonata {
  /** True when the value holds no expression anywhere: evaluate() returns the literal. */
  readonly isConstant: boolean;
  /** The field name given at compile time ("Output", "Items", "Assign/x"). */
  readonly field: string;
  /**
   * The expression text (trimmed, without delimiters) when the whole value is one `{% %}` string,
   * else undefined. AWS quotes it in "unexpected result type" messages (see resultTypeError).
   */
  readonly source: string | undefined;
  /**
   * The value with every expression evaluated. Literal parts are shared between evaluations, and
   * values read from the input or variables are returned by reference: clone before mutating a
   * result. Fails with States.QueryEvaluationError (location = the field path).
   */
  evaluate(b: JsonataBindings): Promise<Json>;
}
