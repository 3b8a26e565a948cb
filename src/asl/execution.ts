import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../core/json.js';
import { childAbort } from '../core/child-abort.js';
import { RealClock, type Clock } from '../core/clock.js';
import { executionArn, LOCAL_LOCATION, localRoleArn, stateMachineArn, type AwsLocation } from '../core/arn.js';
import { StatesError, States } from './errors.js';
import { CountingHistory, payloadDetails, RecordingHistory, type EventMeta, type HistoryEvent, type HistorySink, type RecordedHistory } from './history.js';
import type { StateMachine } from './machine.js';
import { isoTime, type ExecutionRuntime, type ExecutionType } from './runtime.js';
import { asStatesError } from './states/state-base.js';
import type { TaskInvoker } from './task-invoker.js';
import { VariableScope } from './variables.js';

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionOptions {
  tasks: TaskInvoker;
  name?: string;
  type?: ExecutionType;
  clock?: Clock;
  location?: AwsLocation;
  stateMachineName?: string;
  roleArn?: string;
  /** Aborting it stops the execution (StopExecution): status ABORTED. */
  signal?: AbortSignal;
  /** Called with each event as it is recorded (live progress, persistence) or replayed. */
  onEvent?: (e: HistoryEvent, meta: EventMeta) => void;
  /**
   * Resumes a STANDARD execution whose process ended: the interpreter runs again from the start,
   * replaying the recorded events thread by thread (tasks answered from them), and goes on live where
   * each thread's record ends. `startDate` is the execution's original start.
   */
  resume?: { history: RecordedHistory; startDate: number };
  /** Derive task tokens from this secret (see ExecutionRuntime.taskTokenSeed). */
  taskTokenSeed?: string;
  /** EXPRESS: the run id ending the execution ARN (a service that answers with the ARN first picks it). */
  expressRunId?: string;
  /**
   * EXPRESS started with StartSyncExecution. AWS writes no `$$.Execution.RedriveCount` there
   * (recorded: absent for StartSyncExecution, 0 for an asynchronous EXPRESS start and STANDARD).
   */
  sync?: boolean;
  /**
   * A redriven STANDARD execution: `$$.Execution.RedriveCount` is `count` and `RedriveTime` the
   * time of the redrive (AWS writes RedriveTime only once an execution has been redriven).
   */
  redrive?: { count: number; time: number };
  /** Started through a version or an alias: ExecutionStarted names them, as AWS records it. */
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
}

export interface ExecutionResult {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
  /** Empty for EXPRESS executions, which keep no history. */
  history: HistoryEvent[];
  /** Number of state transitions taken. */
  transitions: number;
}

/**
 * AWS's hard limits on an execution's duration: past them it ends TIMED_OUT with States.Timeout,
 * as a TimeoutSeconds of the machine would (AWS quotas: Express 5 minutes). Standard's one year is
 * not armed: under a virtual clock an execution waiting for a callback would jump straight to it.
 */
export const MAX_EXECUTION_SECONDS: Readonly<Record<ExecutionType, number>> = {
  EXPRESS: 5 * 60,
  STANDARD: Infinity,
};

/** ExecutionRedriven events form their own thread, so replay finds them whatever ran in between. */
const REDRIVE_THREAD = { last: 0, key: 'redrive' };

class Stopped extends Error {
  constructor(readonly status: 'TIMED_OUT' | 'ABORTED', readonly error?: string, override readonly cause?: string) {
    super(status);
  }
}

/** What a caller may abort an execution with (StopExecution's error and cause). */
type StopReason = { error?: string; cause?: string };

/** Runs one execution of a loaded state machine to its end. */
export async function runExecution(machine: StateMachine, input: Json, opts: ExecutionOptions): Promise<ExecutionResult> {
  const clock = opts.clock ?? new RealClock();
  const location = opts.location ?? LOCAL_LOCATION;
  const type = opts.type ?? 'STANDARD';
  const name = opts.name ?? randomUUID();
  const machineName = opts.stateMachineName ?? 'local';
  const smArn = stateMachineArn(location, machineName);
  const exArn = executionArn(location, machineName, name, type === 'EXPRESS' ? (opts.expressRunId ?? randomUUID()) : undefined);
  const roleArn = opts.roleArn ?? localRoleArn(location);
  const startDate = opts.resume?.startDate ?? clock.now();

  const history: HistorySink =
    type === 'EXPRESS' ? new CountingHistory() : new RecordingHistory(() => clock.now(), opts.onEvent, undefined, opts.resume?.history);

  // StopExecution's signal carries the error and cause the execution is aborted with.
  const stop = childAbort(opts.signal, {
    reason: (r) => new Stopped('ABORTED', (r as StopReason | undefined)?.error, (r as StopReason | undefined)?.cause),
  });
  const controller = stop.controller;

  const executionContext: JsonObject = {
    Id: exArn,
    Input: input,
    StartTime: isoTime(startDate),
    Name: name,
    RoleArn: roleArn,
  };
  Object.assign(executionContext, redriveFields(type, opts));
  const contextAt = redriveCountsInHistory(executionContext, opts);
  const rt: ExecutionRuntime = {
    clock,
    history,
    tasks: opts.tasks,
    location,
    type,
    executionContext,
    ...(contextAt ? { executionContextAt: contextAt } : {}),
    stateMachineContext: { Id: smArn, Name: machineName },
    signal: controller.signal,
    stats: { transitions: 0 },
    ...(opts.taskTokenSeed !== undefined ? { taskTokenSeed: opts.taskTokenSeed } : {}),
  };
  const thread = { last: 0, key: '' };
  const storedEvents = history.events.length;
  // The first state's StateEntered chains to 0, not to ExecutionStarted (as AWS records it).
  history.emitAfter(0, 'ExecutionStarted', history.enabled ? executionStartedDetails(input, roleArn, opts) : undefined, thread);
  // Each redrive is recorded once, after the history it continues (replayed when resuming a redriven run).
  for (let k = 1; k <= (type === 'STANDARD' ? (opts.redrive?.count ?? 0) : 0); k++) {
    history.emitAfter(storedEvents, 'ExecutionRedriven', history.enabled ? { redriveCount: k } : undefined, REDRIVE_THREAD);
  }

  const base = { executionArn: exArn, stateMachineArn: smArn, name, input, startDate, history: history.events };
  const run = machine.root.run(input, { rt, thread, vars: new VariableScope() });

  let timeout: Promise<never> | undefined;
  const timers = new AbortController();
  const limitSeconds = Math.min(machine.timeoutSeconds ?? Infinity, MAX_EXECUTION_SECONDS[type]);
  if (Number.isFinite(limitSeconds)) {
    // A resumed execution keeps its deadline from its original start (a redriven one from its redrive).
    const since = opts.redrive && opts.redrive.count > 0 ? opts.redrive.time : startDate;
    timeout = clock.sleep(limitSeconds * 1000 - Math.max(0, clock.now() - since), timers.signal).then(() => {
      const stop = new Stopped('TIMED_OUT', States.Timeout);
      controller.abort(stop);
      throw stop;
    });
    timeout.catch(() => undefined);
  }
  const aborted = new Promise<never>((_, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);

  try {
    const output = await Promise.race(timeout ? [run, timeout, aborted] : [run, aborted]);
    history.emit(thread, 'ExecutionSucceeded', history.enabled ? payloadDetails('output', output) : undefined);
    return finish({ ...base, status: 'SUCCEEDED', output });
  } catch (e) {
    if (e instanceof Stopped) {
      const details: Record<string, unknown> = {};
      if (e.error !== undefined) details['error'] = e.error;
      if (e.cause !== undefined) details['cause'] = e.cause;
      history.emit(thread, e.status === 'TIMED_OUT' ? 'ExecutionTimedOut' : 'ExecutionAborted', history.enabled ? details : undefined);
      return finish({ ...base, status: e.status, ...(e.error ? { error: e.error } : {}), ...(e.cause ? { cause: e.cause } : {}) });
    }
    const err: StatesError = asStatesError(e);
    const details: Record<string, unknown> = {};
    if (err.error !== undefined) details['error'] = err.error;
    if (err.cause !== undefined) details['cause'] = err.cause;
    history.emit(thread, 'ExecutionFailed', history.enabled ? details : undefined);
    return finish({
      ...base,
      status: 'FAILED',
      ...(err.error !== undefined ? { error: err.error } : {}),
      ...(err.cause !== undefined ? { cause: err.cause } : {}),
    });
  } finally {
    timers.abort();
    stop.detach();
    if (!controller.signal.aborted) controller.abort(new Stopped('ABORTED'));
  }

  function finish(r: Omit<ExecutionResult, 'stopDate' | 'transitions'>): ExecutionResult {
    return { ...r, stopDate: clock.now(), transitions: rt.stats.transitions };
  }
}

/**
 * For a redriven execution with a recorded history: `$$.Execution` as of a recorded event, with the
 * RedriveCount (and RedriveTime) of the ExecutionRedriven events before it.
 */
function redriveCountsInHistory(current: JsonObject, opts: ExecutionOptions): ((eventId: number) => JsonObject) | undefined {
  const count = opts.redrive?.count ?? 0;
  const recorded = opts.resume?.history.events;
  if (count === 0 || !recorded) return undefined;
  const redrives = recorded.filter((e) => e.type === 'ExecutionRedriven');
  const byCount = new Map<number, JsonObject>();
  return (eventId) => {
    let k = 0;
    while (k < redrives.length && redrives[k]!.id < eventId) k++;
    if (k >= count) return current;
    let ctx = byCount.get(k);
    if (!ctx) {
      const { RedriveTime: _time, ...rest } = current;
      ctx = k === 0 ? { ...rest, RedriveCount: 0 } : { ...rest, RedriveCount: k, RedriveTime: isoTime(redrives[k - 1]!.timestamp) };
      byCount.set(k, ctx);
    }
    return ctx;
  };
}

/**
 * `$$.Execution`'s redrive fields: RedriveCount wherever AWS writes it (STANDARD and asynchronous
 * EXPRESS executions, 0 until a redrive; not in StartSyncExecution runs); RedriveTime only in an
 * execution that has been redriven.
 */
export function redriveFields(type: ExecutionType, opts: Pick<ExecutionOptions, 'sync' | 'redrive'>): JsonObject {
  if (type === 'EXPRESS' && opts.sync === true) return {};
  const count = type === 'STANDARD' ? (opts.redrive?.count ?? 0) : 0;
  if (count > 0 && opts.redrive !== undefined) return { RedriveCount: count, RedriveTime: isoTime(opts.redrive.time) };
  return { RedriveCount: count };
}

/** ExecutionStarted's details: the input, the role, and the version or alias the start went through. */
export function executionStartedDetails(
  input: Json,
  roleArn: string,
  opts: Pick<ExecutionOptions, 'stateMachineVersionArn' | 'stateMachineAliasArn'>,
): Record<string, unknown> {
  const d: Record<string, unknown> = { ...payloadDetails('input', input), roleArn };
  if (opts.stateMachineAliasArn !== undefined) d['stateMachineAliasArn'] = opts.stateMachineAliasArn;
  if (opts.stateMachineVersionArn !== undefined) d['stateMachineVersionArn'] = opts.stateMachineVersionArn;
  return d;
}
