import { isAborted } from './history.js';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { AwsError } from '../core/errors.js';
import type { StepFunctionsErrorName } from '../core/error-catalogue.js';
import { CHECK_MASK, giveTurn, turnDue } from './event-loop-turns.js';
import type { Frame } from './runtime.js';
import { ChoiceState } from './states/choice.js';
import { FailState } from './states/fail.js';
import { MapState } from './states/map.js';
import { ParallelState } from './states/parallel.js';
import { PassState } from './states/pass.js';
import type { QueryLanguage, StateBase } from './states/state-base.js';
import type { SubMachine } from './states/sub-machine.js';
import { SucceedState } from './states/succeed.js';
import { TaskState } from './states/task.js';
import { WaitState } from './states/wait.js';
import { formatProblems, validateDefinition, type ValidationOptions } from './validation/index.js';

/** A definition AWS's CreateStateMachine would reject (its InvalidDefinition error). */
export class InvalidDefinitionError extends AwsError {
  constructor(message: string) {
    super('InvalidDefinition' satisfies StepFunctionsErrorName, message, 400);
  }
}

/**
 * A compiled (sub-)machine: every path, template and expression was parsed once at load; running it
 * only walks states. States that need no I/O run synchronously, so a loop of Pass and Choice states
 * costs no promise per transition.
 */
export class CompiledMachine implements SubMachine {
  readonly startAt: string;
  readonly states = new Map<string, StateBase>();

  constructor(definition: JsonObject, where: string, language: QueryLanguage) {
    this.startAt = String(definition['StartAt']);
    const own = definition['QueryLanguage'];
    const ql: QueryLanguage = own === 'JSONata' || own === 'JSONPath' ? own : language;
    const states = isJsonObject(definition['States']) ? definition['States'] : {};
    for (const [name, raw] of Object.entries(states)) {
      if (!isJsonObject(raw)) continue;
      this.states.set(name, compileState(name, raw, ql, `${where}/States/${name}`));
    }
  }

  async run(input: Json, frame: Frame): Promise<Json> {
    let state = this.states.get(this.startAt)!;
    let value = input;
    const stats = frame.rt.stats;
    for (;;) {
      if ((++stats.transitions & CHECK_MASK) === 0 && turnDue()) {
        await giveTurn(frame.rt.clock);
        // A stop or the execution's timeout could only be seen now: end this loop with it.
        if (frame.rt.signal.aborted) throw frame.rt.signal.reason;
      }
      let outcome = state.run(value, frame);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome.next === undefined) return outcome.output;
      // A sibling branch or iteration failed: stop here instead of running on (AWS aborts it).
      if (isAborted(frame.thread)) throw frame.rt.signal.reason;
      // A stop (StopExecution, a deleted state machine) takes effect at the transition, before the next state.
      if (frame.rt.signal.aborted) throw frame.rt.signal.reason;
      value = outcome.output;
      state = this.states.get(outcome.next)!;
    }
  }
}

function compileState(name: string, raw: JsonObject, machineLanguage: QueryLanguage, where: string): StateBase {
  const own = raw['QueryLanguage'];
  const ql: QueryLanguage = own === 'JSONata' || own === 'JSONPath' ? own : machineLanguage;
  const sub = (def: JsonObject, w: string, parent: QueryLanguage) => new CompiledMachine(def, w, parent);
  switch (raw['Type']) {
    case 'Pass':
      return new PassState(name, raw, ql);
    case 'Task':
      return new TaskState(name, raw, ql);
    case 'Choice':
      return new ChoiceState(name, raw, ql, where);
    case 'Wait':
      return new WaitState(name, raw, ql);
    case 'Succeed':
      return new SucceedState(name, raw, ql);
    case 'Fail':
      return new FailState(name, raw, ql);
    case 'Parallel':
      return new ParallelState(name, raw, ql, where, sub);
    case 'Map':
      return new MapState(name, raw, ql, where, sub);
    default:
      throw new InvalidDefinitionError(`Unknown state type ${JSON.stringify(raw['Type'])} at ${where}`);
  }
}

/** A validated, compiled state machine definition, ready to run any number of executions. */
export interface StateMachine {
  readonly definition: JsonObject;
  readonly root: CompiledMachine;
  readonly timeoutSeconds: number | undefined;
  readonly queryLanguage: QueryLanguage;
}

/**
 * Validates a definition as CreateStateMachine does and compiles it. Throws InvalidDefinitionError
 * with AWS's message when the definition would be rejected.
 */
export function loadStateMachine(definition: unknown, options: ValidationOptions = {}): StateMachine {
  const problems = validateDefinition(definition, options);
  if (problems.length > 0) throw new InvalidDefinitionError(formatProblems(problems));
  const def = definition as JsonObject;
  const ql: QueryLanguage = def['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath';
  let root: CompiledMachine;
  try {
    root = new CompiledMachine(def, '', ql);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw e;
    // A path, template or expression that the validator let through but the compiler cannot parse.
    throw new InvalidDefinitionError(`Invalid State Machine Definition: ${e instanceof Error ? e.message : String(e)}`);
  }
  const t = def['TimeoutSeconds'];
  return { definition: def, root, timeoutSeconds: typeof t === 'number' ? t : undefined, queryLanguage: ql };
}
