import type { Clock } from '../core/clock.js';
import type { AwsLocation } from '../core/arn.js';
import type { Json, JsonObject } from '../core/json.js';
import type { EventThread, HistorySink } from './history.js';
import type { VariableScope } from './variables.js';
import type { TaskInvoker } from './task-invoker.js';

export type ExecutionType = 'STANDARD' | 'EXPRESS';

/** Everything one execution shares across its states, branches and iterations. */
export interface ExecutionRuntime {
  readonly clock: Clock;
  readonly history: HistorySink;
  readonly tasks: TaskInvoker;
  readonly location: AwsLocation;
  readonly type: ExecutionType;
  /** `$$.Execution` and `$$.StateMachine`, shared by every context object of the execution. */
  readonly executionContext: JsonObject;
  /**
   * A redriven execution replaying its history: `$$.Execution` as it was when the recorded event
   * `eventId` happened (an earlier RedriveCount), so replayed expressions compute what they computed
   * then, as AWS keeps the values states produced before a redrive.
   */
  readonly executionContextAt?: (eventId: number) => JsonObject;
  readonly stateMachineContext: JsonObject;
  /** Aborted when the execution is stopped or times out; long waits and tasks listen to it. */
  readonly signal: AbortSignal;
  /** Shared counters (state transitions), kept in one object so branch runtimes share them. */
  readonly stats: { transitions: number };
  /**
   * When set, task tokens are derived from it and the task's place in the execution, so a resumed
   * execution hands out the same token its waiting task had (a callback sent meanwhile still fits).
   */
  readonly taskTokenSeed?: string;
}

/** Where a state runs: its execution, its event thread and its variable scope. */
export interface Frame {
  readonly rt: ExecutionRuntime;
  readonly thread: EventThread;
  readonly vars: VariableScope;
  /** `$$.Map.Item` inside a Map iteration (and the ItemSelector). */
  readonly mapItem?: JsonObject;
}

/** What a state does once it has run: the next state (undefined = end of this machine) and its output. */
export interface StateOutcome {
  next: string | undefined;
  output: Json;
}

/** Per-entry information about the running state. */
export interface StateEntry {
  readonly name: string;
  readonly enteredEventId: number;
  /** The previous event id of the StateEntered event (EvaluationFailed events chain to it). */
  readonly enteredPreviousEventId: number;
  readonly enteredTime: string;
  /** The StateEntered event's time (epoch ms): a resumed Wait or timeout counts from it. */
  readonly enteredAt: number;
  retryCount: number;
}

/** `$$` for a state; `Task.Token` and `Map.Item` are added where they exist. */
export function buildContext(frame: Frame, entry: StateEntry, withRetryCount: boolean, taskToken?: string): JsonObject {
  const state: JsonObject = withRetryCount
    ? { EnteredTime: entry.enteredTime, Name: entry.name, RetryCount: entry.retryCount }
    : { EnteredTime: entry.enteredTime, Name: entry.name };
  const replaying = frame.rt.executionContextAt ? frame.rt.history.peek(frame.thread) : undefined;
  const ctx: JsonObject = {
    Execution: replaying ? frame.rt.executionContextAt!(replaying.id) : frame.rt.executionContext,
    State: state,
    StateMachine: frame.rt.stateMachineContext,
  };
  if (taskToken !== undefined) ctx['Task'] = { Token: taskToken };
  if (frame.mapItem !== undefined) ctx['Map'] = { Item: frame.mapItem };
  return ctx;
}

let lastMs = NaN;
let lastIso = '';

/**
 * AWS's timestamp format in the context object and history: ISO-8601 with milliseconds, UTC.
 * Consecutive states usually enter within the same millisecond, so the last string is reused.
 */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
