import type { Json, JsonObject } from '../../src/core/json.js';
import type { StatesError } from '../../src/asl/errors.js';
import type { VariableLookup } from '../../src/asl/scope.js';
import { compileJsonataValue } from '../../src/asl/jsonata/template.js';
import type { JsonataBindings } from '../../src/asl/jsonata/types.js';

/** A variable store for tests that also records which names were looked up. */
export function variables(values: Record<string, Json> = {}): VariableLookup & { looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    lookup(name: string): Json | undefined {
      looked.push(name);
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    },
  };
}

export function bindings(input: Json = {}, extra: Partial<JsonataBindings> = {}): JsonataBindings {
  const context: JsonObject = { Execution: { Id: 'arn:exec' } };
  return { input, context, variables: variables(), ...extra };
}

/** Evaluates `value` compiled for `field` (default Output). */
export function evaluate(value: Json, input: Json = {}, extra: Partial<JsonataBindings> = {}, field = 'Output'): Promise<Json> {
  return compileJsonataValue(value, field).evaluate(bindings(input, extra));
}

/** The StatesError an evaluation fails with (fails the test if it succeeds or throws something else). */
export async function failure(value: Json, input: Json = {}, extra: Partial<JsonataBindings> = {}, field = 'Output'): Promise<StatesError> {
  try {
    const v = await evaluate(value, input, extra, field);
    throw new Error(`expected a failure, got ${JSON.stringify(v)}`);
  } catch (e) {
    if ((e as { name?: string }).name !== 'StatesError') throw e;
    return e as StatesError;
  }
}
