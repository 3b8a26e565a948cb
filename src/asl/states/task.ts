import { createHmac, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/json.js';
import { childAbort } from '../../core/child-abort.js';
import { StatesError, runtimeError, States } from '../errors.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { isAborted } from '../history.js';
import { checkPayloadSize } from '../payload-limit.js';
import { buildContext, type Frame, type StateEntry } from '../runtime.js';
import type { PathScope } from '../scope.js';
import type { TaskDescriptor, TaskRequest } from '../task-invoker.js';
import { GuardedState, type AttemptResult } from './guarded-state.js';
import { invalidPath } from './jsonpath-io.js';
import { compileNumberField, readNumberField, type NumberChecks, type NumberField } from './number-field.js';
import { asStatesError, type QueryLanguage } from './state-base.js';
import { TaskDeadlines } from './task-deadlines.js';
import { TaskEvents, type RecordedOutcome, type TaskLimits } from './task-events.js';
import { ActivityEvents } from './activity-events.js';

/**
 * Task: calls a service through the TaskInvoker, with timeouts, heartbeats, Retry and Catch. Its
 * events are task-events.ts's, its deadlines task-deadlines.ts's; this class puts them in order.
 */
export class TaskState extends GuardedState {
  private readonly resource: string;
  private readonly args: CompiledJsonata | undefined;
  private readonly timeout: NumberField | undefined;
  private readonly heartbeat: NumberField | undefined;
  private descriptor: TaskDescriptor | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage) {
    super(name, raw, ql, 'Parameters');
    this.resource = String(raw['Resource']);
    if (ql === 'JSONata' && raw['Arguments'] !== undefined) this.args = compileJsonataValue(raw['Arguments'], 'Arguments');
    this.timeout = compileNumberField(raw, 'TimeoutSeconds', ql);
    this.heartbeat = compileNumberField(raw, 'HeartbeatSeconds', ql);
  }

  protected override get abortable(): boolean {
    return true;
  }

  protected async attempt(input: Json, frame: Frame, entry: StateEntry): Promise<AttemptResult> {
    const d = (this.descriptor ??= frame.rt.tasks.describe(this.resource));
    const token = d.waitForTaskToken || d.needsToken === true ? taskToken(frame, entry) : undefined;
    // $$.Task.Token is the callback pattern's; an activity's token reaches its worker through GetActivityTask.
    const context = buildContext(frame, entry, true, d.waitForTaskToken ? token : undefined);
    const scope = { input, context, variables: frame.vars };
    let parameters: Json;
    if (this.io) {
      parameters = this.io.applyParameters(this.io.effectiveInput(input, scope), scope);
    } else {
      parameters = this.args ? await this.args.evaluate(scope) : {};
    }
    // Kept synchronous where nothing needs awaiting, so TaskScheduled follows TaskStateEntered at once.
    let timeoutSeconds = this.timeout && readNumberField(this.timeout, scope, POSITIVE_SECONDS);
    if (timeoutSeconds instanceof Promise) timeoutSeconds = await timeoutSeconds;
    let heartbeatSeconds = this.heartbeat && readNumberField(this.heartbeat, scope, POSITIVE_SECONDS);
    if (heartbeatSeconds instanceof Promise) heartbeatSeconds = await heartbeatSeconds;

    const result = await this.invoke(parameters, frame, context, token, { timeoutSeconds, heartbeatSeconds });
    return this.shapeResult(input, result, scope);
  }

  /** Calls the service between its Scheduled/Started and Succeeded|Failed|TimedOut events. */
  private async invoke(parameters: Json, frame: Frame, context: JsonObject, token: string | undefined, limits: TaskLimits): Promise<Json> {
    if (this.descriptor!.eventStyle === 'activity') return this.invokeActivity(parameters, frame, context, token!, limits);
    const events = new TaskEvents(frame, this.descriptor!, this.resource);
    events.scheduled(parameters, limits);
    if (events.recording) await taskPickedUp();
    const startedId = events.started();
    const recorded = events.recordedOutcome();
    if (recorded !== undefined) return answerFromHistory(recorded, events);
    const { resumed, elapsedMs } = events.resumption(startedId);
    const request = {
      resource: this.resource,
      parameters,
      stateName: this.name,
      ...(token !== undefined ? { taskToken: token } : {}),
      ...(resumed ? { resumed: true } : {}),
      submitted: (response: Json) => events.submitted(response),
      context,
    };
    return await this.callService(frame, limits, elapsedMs, request, events, events.payloadOwner);
  }

  /**
   * An activity task: queued for workers by the integration (ActivityScheduled), taken by one
   * (ActivityStarted), answered through its token or ended by the state's deadlines, which run from
   * the start of the attempt. A resumed execution waits on for the same task (its token is stable).
   */
  private async invokeActivity(
    parameters: Json,
    frame: Frame,
    context: JsonObject,
    token: string,
    limits: TaskLimits,
  ): Promise<Json> {
    const events = new ActivityEvents(frame, this.resource, parameters, limits);
    let elapsedMs = 0;
    const resumed = events.wasScheduled;
    if (resumed) {
      const { outcome, scheduledAt } = events.replay();
      if (outcome !== undefined) return answerFromHistory(outcome, events);
      if (!Number.isNaN(scheduledAt)) elapsedMs = Math.max(0, frame.rt.clock.now() - scheduledAt);
    }
    const request = {
      resource: this.resource,
      parameters,
      stateName: this.name,
      taskToken: token,
      ...(resumed ? { resumed: true } : {}),
      activity: { scheduled: () => events.scheduled(), started: (worker: string | undefined) => events.started(worker) },
      context,
    };
    return await this.callService(frame, limits, elapsedMs, request, events, 'activity');
  }

  /**
   * The service call under the state's deadlines: its result (within the payload limit) recorded as
   * the attempt's success, or its error mapped and recorded as its failure — unless a sibling's
   * failure stopped it, which its Map or Parallel records.
   */
  private async callService(
    frame: Frame,
    limits: TaskLimits,
    elapsedMs: number,
    request: Omit<TaskRequest, 'signal' | 'heartbeat' | 'timeoutSeconds' | 'heartbeatSeconds'>,
    events: OutcomeEvents,
    payloadOwner: string,
  ): Promise<Json> {
    const deadlines = new TaskDeadlines(frame.rt.clock, limits, elapsedMs);
    const call = childAbort(frame.rt.signal);
    let result: Json;
    try {
      result = await deadlines.race(
        frame.rt.tasks.invoke({
          ...request,
          signal: call.signal,
          heartbeat: () => deadlines.heartbeat(),
          ...(limits.timeoutSeconds !== undefined ? { timeoutSeconds: limits.timeoutSeconds } : {}),
          ...(limits.heartbeatSeconds !== undefined ? { heartbeatSeconds: limits.heartbeatSeconds } : {}),
        }),
      );
      // AWS names the function ARN for the legacy Lambda resource, the resource type otherwise.
      checkPayloadSize(result, payloadOwner);
    } catch (e) {
      const err = taskError(e, call.signal.aborted);
      call.controller.abort(err);
      // A task stopped because a sibling branch or iteration failed records no outcome of its own:
      // its Map or Parallel closes it with TaskStateAborted.
      if (err.inStateContext || isAborted(frame.thread)) throw err;
      events.failed(err);
      throw err;
    } finally {
      deadlines.dispose();
      call.detach();
    }
    return events.succeeded(result);
  }
}

/** How an attempt's outcome is recorded (TaskEvents, ActivityEvents). */
interface OutcomeEvents {
  succeeded(result: Json): Json;
  failed(err: StatesError): void;
}

/** Resuming: a task whose outcome is recorded is answered from the history, never run again. */
function answerFromHistory(recorded: RecordedOutcome, events: OutcomeEvents): Json {
  if ('output' in recorded) return events.succeeded(recorded.output);
  events.failed(recorded.error);
  throw recorded.error;
}

/**
 * A task starts asynchronously after it is scheduled: on AWS, Map iterations and Parallel branches
 * that schedule tasks together record every TaskScheduled before the first TaskStarted.
 */
function taskPickedUp(): Promise<void> {
  return Promise.resolve();
}

/**
 * What a failed call means for the state: a StatesError (the service's error, a deadline, the
 * payload limit) as it is. Anything else an integration throws is a bug in it (a TypeError, say),
 * so it is `States.Runtime` (the local engine's internal error), which no Retry retries and no Catch
 * catches: a definition's `States.ALL` or `States.TaskFailed` handler must not hide our bug as the
 * task's failure. While the state is being stopped (the execution stops, a sibling branch failed)
 * the call rejects with whatever stopped it, which stands for the stop as before.
 */
function taskError(e: unknown, stopping: boolean): StatesError {
  if (e instanceof StatesError) return e;
  if (stopping) return new StatesError(States.TaskFailed, e instanceof Error ? e.message : String(e));
  return asStatesError(e);
}

/**
 * A task token: random, or, when the execution has a token seed (persisted executions), derived from
 * it and the attempt's place (thread, entered event, retry), so a resumed execution's waiting task
 * keeps the token its caller already holds.
 */
function taskToken(frame: Frame, entry: StateEntry): string {
  const seed = frame.rt.taskTokenSeed;
  if (seed === undefined) return randomUUID() + randomUUID().replace(/-/g, '');
  return createHmac('sha256', seed)
    .update(`${frame.thread.key ?? ''}|${entry.enteredEventId}|${entry.retryCount}`)
    .digest('base64url');
}

/** TimeoutSeconds / HeartbeatSeconds: a positive integer; a path that selects nothing is AWS's "Invalid path". */
const POSITIVE_SECONDS: NumberChecks = {
  fromPath(v: Json | undefined, path, field, scope: PathScope): number {
    if (v === undefined) throw invalidPath(path, scope.input, scope);
    return positiveSeconds(v, field, States.Runtime);
  },
  fromJsonata: (v, field) => positiveSeconds(v, field, States.QueryEvaluationError),
};

function positiveSeconds(v: Json | undefined, field: string, kind: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw runtimeError(kind, `The ${field} field must be a positive integer but was '${JSON.stringify(v ?? null)}'`);
  }
  return v;
}
