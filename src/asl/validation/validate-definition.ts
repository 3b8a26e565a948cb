import { isJsonObject, jsonDepthExceeds, MAX_JSON_DEPTH, ownValue, type JsonObject } from '../../core/json.js';
import type { Context, SubMachineKind } from './context.js';
import { BRANCH_FIELDS, PROCESSOR_FIELDS, TOP_LEVEL_FIELDS, type QueryLanguage } from './field-tables.js';
import { duplicateStateNames } from './duplicate-keys.js';
import { checkTransitions } from './graph.js';
import { Msg } from './messages.js';
import { Code, ProblemList, type DefinitionProblem } from './problem.js';
import { checkState } from './validate-state.js';
import { expectEnum, expectKind, expectNumber, has } from './value-checks.js';

const MACHINE_FIELDS: Readonly<Record<SubMachineKind, ReadonlySet<string>>> = {
  top: TOP_LEVEL_FIELDS,
  branch: BRANCH_FIELDS,
  processor: PROCESSOR_FIELDS,
};

/**
 * Nesting deeper than this is refused (TOO_DEEPLY_NESTED) rather than recursed into, which keeps
 * validation bounded on hostile input; real definitions stay far below it.
 */
const MAX_NESTING = 64;

export interface ValidationOptions {
  /** The state machine's type: EXPRESS machines refuse `.sync`, `.waitForTaskToken` and activities. */
  type?: 'STANDARD' | 'EXPRESS';
}

/**
 * Checks a definition the way CreateStateMachine / ValidateStateMachineDefinition do and lists
 * every problem AWS would report (empty when AWS would create it). Accepts the parsed definition
 * or its JSON text. A Task whose service this project does not emulate is not a problem here.
 */
export function validateDefinition(definition: unknown, options: ValidationOptions = {}): DefinitionProblem[] {
  const problems = new ProblemList();
  let document = definition;
  if (definition === undefined || definition === null) {
    problems.add(Code.MissingDescription, '', Msg.missingDefinition());
    return problems.items;
  }
  if (typeof definition === 'string') {
    if (definition.trim() === '') {
      problems.schema('', Msg.definitionNotObject());
      return problems.items;
    }
    try {
      document = JSON.parse(definition);
    } catch (err) {
      problems.add(Code.InvalidJsonDescription, '', err instanceof Error ? err.message : String(err));
      return problems.items;
    }
    if (jsonDepthExceeds(document, MAX_JSON_DEPTH)) {
      problems.add(Code.TooDeeplyNested, '', Msg.jsonTooDeep(MAX_JSON_DEPTH));
      return problems.items;
    }
    for (const dup of duplicateStateNames(definition)) problems.add(Code.DuplicateStateName, dup.location, Msg.duplicateState(dup.name));
  }
  if (!isJsonObject(document)) {
    problems.schema('', Msg.definitionNotObject());
    return problems.items;
  }
  // Checked first and iteratively: every later check (and the compiler) walks values recursively.
  if (jsonDepthExceeds(document, MAX_JSON_DEPTH)) {
    problems.add(Code.TooDeeplyNested, '', Msg.jsonTooDeep(MAX_JSON_DEPTH));
    return problems.items;
  }

  const ctx: Context = {
    problems,
    machineLanguage: machineLanguage(document),
    express: options.type === 'EXPRESS',
    stateNames: new Set(),
    labels: new Set(),
    subMachine: (machine, location, kind, depth) => checkMachine(machine, location, kind, depth, ctx),
  };
  checkMachine(document, '', 'top', 0, ctx);
  return problems.items;
}

/** Exactly "JSONPath" (or no field) means JSONPath; any other declared value is taken as JSONata. */
function machineLanguage(definition: JsonObject): QueryLanguage {
  return has(definition, 'QueryLanguage') && definition.QueryLanguage !== 'JSONPath' ? 'JSONata' : 'JSONPath';
}

/** The top level, a Parallel branch or a Map ItemProcessor / Iterator: StartAt plus States. */
function checkMachine(machine: JsonObject, prefix: string, kind: SubMachineKind, depth: number, ctx: Context): void {
  const { problems } = ctx;
  const at = prefix === '' ? '/' : prefix;
  if (depth > MAX_NESTING) {
    problems.add(Code.TooDeeplyNested, at, Msg.tooDeep());
    return;
  }
  const allowed = MACHINE_FIELDS[kind];
  for (const key of Object.keys(machine)) if (!allowed.has(key)) problems.schema(at, Msg.notSupported(key));
  const missing = ['States', 'StartAt'].filter((f) => !has(machine, f));
  if (missing.length > 0) problems.schema(at, Msg.required(missing));
  expectKind(machine, 'StartAt', 'STRING', prefix, problems);
  expectKind(machine, 'Comment', 'STRING', prefix, problems);
  if (kind === 'top') {
    expectEnum(machine, 'QueryLanguage', ['JSONPath', 'JSONata'], prefix, problems);
    expectEnum(machine, 'Version', ['1.0'], prefix, problems);
    expectNumber(machine, 'TimeoutSeconds', { integer: true, min: 1 }, 'JSONPath', prefix, problems);
  }

  const states = ownValue(machine, 'States');
  if (states === undefined) return;
  if (!isJsonObject(states)) {
    problems.schema(`${prefix}/States`, Msg.expectedType('OBJECT'));
    return;
  }
  const names = Object.keys(states);
  if (names.length === 0) {
    problems.schema(`${prefix}/States`, Msg.empty());
    return;
  }
  for (const name of names) checkState(name, states[name], `${prefix}/States/${name}`, depth, ctx);
  checkTransitions(states, ownValue(machine, 'StartAt'), prefix, kind === 'top', problems);
}
