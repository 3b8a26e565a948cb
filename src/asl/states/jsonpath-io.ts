import type { Json, JsonObject } from '../../core/json.js';
import { runtimeError, States, type StatesError } from '../errors.js';
import { compilePath, compileReferencePath, selectInScope, type CompiledPath, type ReferencePath } from '../jsonpath/index.js';
import { compilePayloadTemplate, type CompiledTemplate } from '../payload/index.js';
import type { PathScope } from '../scope.js';

/**
 * JSONPath input and output processing, in AWS's order:
 * InputPath → Parameters → (the state's work) → ResultSelector → ResultPath → OutputPath.
 * A field set to null discards: InputPath/OutputPath null give {}, ResultPath null keeps the input.
 */
export class JsonPathIO {
  private readonly inputPath: CompiledPath | null | undefined;
  private readonly outputPath: CompiledPath | null | undefined;
  private readonly resultPath: ReferencePath | null | undefined;
  readonly parameters: CompiledTemplate | undefined;
  private readonly resultSelector: CompiledTemplate | undefined;

  constructor(raw: JsonObject, parametersField: string | undefined) {
    this.inputPath = optionalPath(raw, 'InputPath');
    this.outputPath = optionalPath(raw, 'OutputPath');
    const rp = raw['ResultPath'];
    this.resultPath = rp === undefined ? undefined : rp === null ? null : compileReferencePath(String(rp));
    const params = parametersField === undefined ? undefined : raw[parametersField];
    this.parameters = params === undefined ? undefined : compilePayloadTemplate(params, parametersField!);
    const rs = raw['ResultSelector'];
    this.resultSelector = rs === undefined ? undefined : compilePayloadTemplate(rs, 'ResultSelector');
  }

  /** InputPath: what the state works on. */
  effectiveInput(raw: Json, scope: PathScope): Json {
    const p = this.inputPath;
    if (p === undefined) return raw;
    if (p === null) return {};
    const v = selectInScope(p, { ...scope, input: raw });
    if (v === undefined) {
      throw runtimeError(
        States.Runtime,
        `The JSONPath '${p.source}' specified for the field 'InputPath' could not be found in the input '${JSON.stringify(raw)}'`,
      );
    }
    return v;
  }

  /** Parameters (or ItemSelector): applied to the effective input. */
  applyParameters(effective: Json, scope: PathScope): Json {
    return this.parameters === undefined ? effective : this.parameters.evaluate({ ...scope, input: effective });
  }

  /** ResultSelector on a task/branch/iteration result. */
  selectResult(result: Json, scope: PathScope): Json {
    return this.resultSelector === undefined ? result : this.resultSelector.evaluate({ ...scope, input: result });
  }

  /** ResultPath: combine the raw state input with the (selected) result. */
  combine(rawInput: Json, result: Json): Json {
    const rp = this.resultPath;
    if (rp === undefined) return result;
    if (rp === null) return rawInput;
    return rp.assign(rawInput, result);
  }

  /** OutputPath: what leaves the state. */
  output(value: Json, scope: PathScope): Json {
    const p = this.outputPath;
    if (p === undefined) return value;
    if (p === null) return {};
    const v = selectInScope(p, { ...scope, input: value });
    if (v === undefined) throw invalidPath(p, value, scope);
    return v;
  }
}

/**
 * AWS's error for a path that selects nothing in OutputPath, TimeoutSecondsPath and
 * HeartbeatSecondsPath: "Invalid path '<path>' : <Jayway's explanation>" (recorded texts).
 */
export function invalidPath(p: CompiledPath, input: Json, scope: PathScope): StatesError {
  return runtimeError(States.Runtime, `Invalid path '${p.source}' : ${p.describeMiss(rootValue(p, input, scope))}`);
}

/** The value a path's root ($, $$ or $var) names, for explaining why it selected nothing. */
function rootValue(p: CompiledPath, input: Json, scope: PathScope): Json {
  if (p.root.kind === 'input') return input;
  if (p.root.kind === 'context') return scope.context;
  return scope.variables.lookup(p.root.name) ?? null;
}

function optionalPath(raw: JsonObject, field: string): CompiledPath | null | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  return compilePath(String(v));
}
