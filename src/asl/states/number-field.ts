/**
 * A numeric field that a state may give three ways: fixed in the definition (`"TimeoutSeconds": 60`),
 * read from a path (`"TimeoutSecondsPath": "$.t"`, JSONPath states), or computed by JSONata
 * (`"TimeoutSeconds": "{% $t %}"`, JSONata states). Task (TimeoutSeconds, HeartbeatSeconds), Map
 * (MaxConcurrency, the tolerated failures, ItemBatcher's limits) and Wait (Seconds) read theirs
 * through here; each says how a value read at run time is checked, since AWS's rules and messages
 * differ per field.
 */
import type { Json, JsonObject } from '../../core/json.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { compilePath, selectInScope, type CompiledPath } from '../jsonpath/index.js';
import type { PathScope } from '../scope.js';
import type { QueryLanguage } from './state-base.js';

export type NumberField =
  | { readonly fixed: number }
  /** `field` is the path field's name (`TimeoutSecondsPath`), as AWS's messages name it. */
  | { readonly path: CompiledPath; readonly field: string }
  | { readonly jsonata: CompiledJsonata; readonly field: string };

/** How a field's value read at run time is checked (each throws AWS's error for its field). */
export interface NumberChecks {
  /** The value the path selected (undefined when it selected nothing). */
  fromPath(value: Json | undefined, path: CompiledPath, field: string, scope: PathScope): number;
  /** The value the expression evaluated to. */
  fromJsonata(value: Json, field: string): number;
}

/**
 * `field` of `raw`: a number, a JSONata string (JSONata states), or `<field>Path`. The definition's
 * validation has refused the forms the state's query language does not have.
 */
export function compileNumberField(raw: JsonObject, field: string, ql: QueryLanguage): NumberField | undefined {
  const v = raw[field];
  if (typeof v === 'number') return { fixed: v };
  if (typeof v === 'string' && ql === 'JSONata') return { jsonata: compileJsonataValue(v, field), field };
  const p = raw[`${field}Path`];
  if (typeof p === 'string') return { path: compilePath(p), field: `${field}Path` };
  return undefined;
}

/**
 * The field's value in `scope`. Synchronous unless JSONata must be evaluated, so a state whose
 * fields are fixed or paths records its next event without an extra turn of the event loop.
 */
export function readNumberField(f: NumberField, scope: PathScope, checks: NumberChecks): number | Promise<number> {
  if ('fixed' in f) return f.fixed;
  if ('path' in f) return checks.fromPath(selectInScope(f.path, scope), f.path, f.field, scope);
  return f.jsonata.evaluate(scope).then((v) => checks.fromJsonata(v, f.field));
}
