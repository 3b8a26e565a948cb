/**
 * TestState: runs one state with the local engine, as AWS's TestState API does, and reports its
 * output, error and cause, the next state and the status (SUCCEEDED, FAILED, RETRIABLE when a
 * Retrier would retry the error, CAUGHT_ERROR when a Catcher took it), with the inspection data of
 * the DEBUG and TRACE levels (the data after each JSONPath processing step). The state runs inside
 * a one-state machine whose transition targets are stubs, so it is the very engine code that runs
 * executions; Retry is left out (TestState never retries) and Wait states do not wait. `mock`
 * replaces a Task's service call with the given result or error, as AWS added in 2025.
 * (Not named test-state.ts: a file named test-*.ts is taken for test code.)
 */
import { randomUUID } from 'node:crypto';
import type { InspectionData, TestStateInput, TestStateOutput } from '@aws-sdk/client-sfn';
import type { AwsLocation } from '../../core/arn.js';
import { VirtualClock } from '../../core/clock.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { STATES_ERRORS } from '../../core/error-catalogue.js';
import { runExecution } from '../../asl/execution.js';
import type { HistoryEvent } from '../../asl/history.js';
import { InvalidDefinitionError, loadStateMachine } from '../../asl/machine.js';
import { JsonPathIO } from '../../asl/states/jsonpath-io.js';
import type { TaskInvoker } from '../../asl/task-invoker.js';
import { mockedTasks } from '../../integrations/mocked-tasks.js';
import { StepFunctionsError, validationError } from './errors.js';
import { checkPayloadSize, optionalString, parseJson, required } from './requests.js';

const LEVELS = ['INFO', 'DEBUG', 'TRACE'];

export async function testState(input: TestStateInput, tasks: TaskInvoker, location: AwsLocation, signal?: AbortSignal): Promise<TestStateOutput> {
  const definitionText = required(input.definition, 'definition');
  const level = input.inspectionLevel ?? 'INFO';
  if (!LEVELS.includes(level)) throw validationError('inspectionLevel', level, 'Member must satisfy enum value set: [INFO, DEBUG, TRACE]');
  const inputText = optionalString(input.input, 'input') ?? '{}';
  checkPayloadSize(inputText, 'input');
  const parsedInput = parseJson(inputText);
  if (!parsedInput.ok) throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${parsedInput.message}'`);
  const parsedDef = parseJson(definitionText);
  if (!parsedDef.ok) throw new StepFunctionsError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${parsedDef.message}'`);

  // A whole state machine with `stateName`, or one state on its own.
  const stateName = optionalString(input.stateName, 'stateName');
  let state: JsonObject;
  let name: string;
  let machineLanguage: Json | undefined;
  if (stateName !== undefined) {
    const states = isJsonObject(parsedDef.value) && isJsonObject(parsedDef.value['States']) ? parsedDef.value['States'] : undefined;
    const found = states?.[stateName];
    if (!isJsonObject(found)) throw new StepFunctionsError('ValidationException', `State '${stateName}' not found in the state machine definition`);
    state = found;
    name = stateName;
    machineLanguage = (parsedDef.value as JsonObject)['QueryLanguage'];
  } else {
    if (!isJsonObject(parsedDef.value) || typeof parsedDef.value['Type'] !== 'string') {
      throw new StepFunctionsError('InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The state definition must be a JSON object with a Type at /'");
    }
    state = parsedDef.value;
    name = 'TestState';
  }

  const targets = transitionTargets(state).filter((t) => t !== name);
  const { Retry: retriers, ...withoutRetry } = state;
  const machineDef: JsonObject = {
    StartAt: name,
    States: { [name]: withoutRetry, ...Object.fromEntries(targets.map((t) => [t, { Type: 'Succeed' }])) },
  };
  if (machineLanguage !== undefined) machineDef['QueryLanguage'] = machineLanguage;
  const variables = optionalString(input.variables, 'variables');
  if (variables !== undefined) {
    const v = parseJson(variables);
    if (!v.ok || !isJsonObject(v.value)) throw new StepFunctionsError('ValidationException', 'variables must be a JSON object of variable names and values');
    // The variables are in scope when the state starts: assigned by a Pass state before it.
    machineDef['StartAt'] = '__TestStateVariables';
    (machineDef['States'] as JsonObject)['__TestStateVariables'] = { Type: 'Pass', QueryLanguage: 'JSONata', Assign: v.value, Next: name };
  }
  let machine;
  try {
    machine = loadStateMachine(machineDef);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw new StepFunctionsError('InvalidDefinition', e.message);
    throw e;
  }

  const invoker = input.mock ? mockedTasks(tasks, mockCase(name, input.mock)) : tasks;
  const run = await runExecution(machine, parsedInput.value as Json, {
    tasks: invoker,
    clock: new VirtualClock(),
    location,
    name: `TestState-${randomUUID()}`,
    stateMachineName: 'TestState',
    ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
    ...(signal ? { signal } : {}),
  });

  const history = run.history;
  const enteredAt = history.findIndex((e) => e.type.endsWith('StateEntered') && detail(e, 'stateEnteredEventDetails')?.['name'] === name);
  const exited = history.find((e, i) => i > enteredAt && e.type.endsWith('StateExited') && detail(e, 'stateExitedEventDetails')?.['name'] === name);
  const next = exited ? history.slice(history.indexOf(exited) + 1).find((e) => e.type.endsWith('StateEntered')) : undefined;
  const nextState = next ? (detail(next, 'stateEnteredEventDetails')?.['name'] as string | undefined) : undefined;
  const failure = [...history].reverse().find((e) => /(Failed|TimedOut)$/.test(e.type) && !e.type.startsWith('Execution'));
  const out: TestStateOutput = {};

  if (exited && nextState !== undefined && failure !== undefined && state['Catch'] !== undefined) {
    const d = detail(failure, detailKey(failure.type)) ?? {};
    out.status = 'CAUGHT_ERROR';
    out.output = String(detail(exited, 'stateExitedEventDetails')?.['output'] ?? 'null');
    if (d['error'] !== undefined) out.error = String(d['error']);
    if (d['cause'] !== undefined) out.cause = String(d['cause']);
    out.nextState = nextState;
  } else if (run.status === 'SUCCEEDED') {
    out.status = 'SUCCEEDED';
    out.output = exited ? String(detail(exited, 'stateExitedEventDetails')?.['output'] ?? 'null') : JSON.stringify(run.output ?? null);
    if (nextState !== undefined) out.nextState = nextState;
  } else {
    out.status = run.error !== undefined && retries(retriers, run.error) ? 'RETRIABLE' : 'FAILED';
    if (run.error !== undefined) out.error = run.error;
    if (run.cause !== undefined) out.cause = run.cause;
  }
  if (level !== 'INFO') {
    const inspection = inspect(state, parsedInput.value as Json, history, enteredAt, run.status);
    if (inspection) out.inspectionData = inspection;
  }
  return out;
}

/** Every state a state may go to next: Next, Default, each Choice rule's Next, each Catcher's Next. */
function transitionTargets(state: JsonObject): string[] {
  const targets = new Set<string>();
  const add = (v: Json | undefined) => typeof v === 'string' && targets.add(v);
  add(state['Next']);
  add(state['Default']);
  for (const list of [state['Choices'], state['Catch']]) if (Array.isArray(list)) for (const r of list) if (isJsonObject(r)) add(r['Next']);
  return [...targets];
}

/** Whether one of the state's Retriers (which TestState does not run) would retry this error. */
function retries(retriers: Json | undefined, error: string): boolean {
  if (!Array.isArray(retriers)) return false;
  return retriers.some((r) => {
    if (!isJsonObject(r) || !Array.isArray(r['ErrorEquals'])) return false;
    if (r['MaxAttempts'] === 0) return false;
    const names = r['ErrorEquals'] as Json[];
    return names.includes(error) || (names.includes(STATES_ERRORS.ALL) && error !== STATES_ERRORS.Runtime);
  });
}

/** The mock as a one-state test case: the same mocked invoker Step Functions Local test cases use. */
function mockCase(stateName: string, mock: NonNullable<TestStateInput['mock']>) {
  let outcome: { kind: 'return'; value: Json } | { kind: 'throw'; error: string; cause: string };
  if (mock.errorOutput !== undefined) {
    outcome = { kind: 'throw', error: mock.errorOutput.error ?? '', cause: mock.errorOutput.cause ?? '' };
  } else {
    const parsed = parseJson(required(mock.result, 'mock.result'));
    if (!parsed.ok) throw new StepFunctionsError('ValidationException', `mock.result is not valid JSON: ${parsed.message}`);
    outcome = { kind: 'return', value: parsed.value as Json };
  }
  const response = { name: 'TestStateMock', ranges: [{ from: 0, to: 0, outcome }] };
  return { file: 'TestState mock', stateMachine: 'TestState', name: 'TestState', states: new Map([[stateName, response]]) } as Parameters<typeof mockedTasks>[1];
}

function detail(e: HistoryEvent, key: string): Record<string, unknown> | undefined {
  return (e as unknown as Record<string, Record<string, unknown> | undefined>)[key];
}

function detailKey(type: string): string {
  return type.charAt(0).toLowerCase() + type.slice(1) + 'EventDetails';
}

/**
 * DEBUG/TRACE inspection data of a JSONPath state, as AWS shows it: the data after InputPath and
 * Parameters, the result, and after ResultSelector and ResultPath, each as JSON text. The result
 * is the one the engine recorded (the task's, or the Pass state's Result).
 */
function inspect(state: JsonObject, input: Json, history: HistoryEvent[], enteredAt: number, status: string): InspectionData | undefined {
  if (state['QueryLanguage'] === 'JSONata') return { input: JSON.stringify(input) };
  const type = state['Type'];
  const io = new JsonPathIO(state, type === 'Task' || type === 'Pass' || type === 'Parallel' || type === 'Map' ? 'Parameters' : undefined);
  const scope = { input, context: {}, variables: undefined as never };
  const data: InspectionData = { input: JSON.stringify(input) };
  try {
    if (type === 'Pass' && state['Result'] !== undefined) {
      const result = state['Result'] as Json;
      data.result = JSON.stringify(result);
      const selected = io.selectResult(result, scope);
      data.afterResultSelector = JSON.stringify(selected);
      data.afterResultPath = JSON.stringify(io.combine(input, selected));
      return data;
    }
    const effective = io.effectiveInput(input, scope);
    data.afterInputPath = JSON.stringify(effective);
    if (type !== 'Pass' && type !== 'Task' && type !== 'Parallel' && type !== 'Map') return data;
    const parameters = io.applyParameters(effective, scope);
    data.afterParameters = JSON.stringify(parameters);
    let result: Json | undefined = parameters;
    if (type !== 'Pass') {
      const done = history.slice(enteredAt).find((e) => /^(Task|LambdaFunction|Activity)Succeeded$/.test(e.type));
      if (!done) return data;
      result = JSON.parse(String(detail(done, detailKey(done.type))?.['output'] ?? 'null')) as Json;
      data.result = JSON.stringify(result);
    }
    if (status !== 'SUCCEEDED' && type !== 'Pass') return data;
    const selected = io.selectResult(result, scope);
    data.afterResultSelector = JSON.stringify(selected);
    data.afterResultPath = JSON.stringify(io.combine(input, selected));
  } catch {
    // A step that fails shows the data up to it (the error is the test's answer).
  }
  return data;
}
