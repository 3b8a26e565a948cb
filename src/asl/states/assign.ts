import type { Json, JsonObject } from '../../core/json.js';
import { compilePayloadTemplate } from '../payload/index.js';
import { compileJsonataValue, type CompiledJsonata, type JsonataBindings } from '../jsonata/index.js';
import type { PathScope } from '../scope.js';
import type { QueryLanguage } from './state-base.js';

/**
 * A state's (or a Catch's, or a Choice rule's) Assign block, compiled in the state's query
 * language. Every value is computed from the variables as they were before the state; the engine
 * applies them all at once afterwards.
 */
export type CompiledAssign = JsonPathAssign | JsonataAssign;

/** A payload template: synchronous, like everything JSONPath. */
export interface JsonPathAssign {
  readonly language: 'JSONPath';
  evaluate(scope: PathScope): Map<string, Json>;
}

/** One JSONata value per variable. */
export interface JsonataAssign {
  readonly language: 'JSONata';
  evaluate(b: JsonataBindings): Promise<Map<string, Json>>;
}

export function compileAssign(raw: Json | undefined, ql: QueryLanguage): CompiledAssign | undefined {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  if (ql === 'JSONPath') {
    const template = compilePayloadTemplate(raw, 'Assign');
    return {
      language: 'JSONPath',
      evaluate: (scope) => new Map(Object.entries(template.evaluate(scope) as JsonObject)),
    };
  }
  const entries: [string, CompiledJsonata][] = Object.entries(raw).map(([k, v]) => [k, compileJsonataValue(v, `Assign/${k}`)]);
  return {
    language: 'JSONata',
    async evaluate(b) {
      const out = new Map<string, Json>();
      for (const [k, c] of entries) out.set(k, await c.evaluate(b));
      return out;
    },
  };
}

/**
 * A JSONPath state's Assign values (undefined without an Assign block). An Assign is compiled in
 * its state's language, so a JSONPath state never holds a JSONata one.
 */
export function assignByPath(assign: CompiledAssign | undefined, scope: PathScope): Map<string, Json> | undefined {
  return assign?.language === 'JSONPath' ? assign.evaluate(scope) : undefined;
}

/**
 * A JSONata state's Assign values. Not async itself: callers await it only when the state has an
 * Assign block, so a state without one takes no extra turn (branches' events keep AWS's order).
 */
export function assignByJsonata(assign: CompiledAssign, b: JsonataBindings): Promise<Map<string, Json>> | undefined {
  return assign.language === 'JSONata' ? assign.evaluate(b) : undefined;
}
