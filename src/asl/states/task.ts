import { createHmac, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/json.js';
import { StatesError, runtimeError, States } from '../errors.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { compilePath, selectInScope, type CompiledPath } from '../jsonpath/index.js';
import { detailsKeyFor, isAborted, payloadDetails } from '../history.js';
import { checkPayloadSize } from '../payload-limit.js';
import { buildContext, type Frame, type StateEntry } from '../runtime.js';
import type { TaskDescriptor } from '../task-invoker.js';
import { GuardedState, type AttemptResult } from './guarded-state.js';
import { invalidPath } from './jsonpath-io.js';
import type { QueryLanguage } from './state-base.js';
import { childAbort } from '../../core/child-abort.js';

type Seconds = { fixed: number } | { path: CompiledPath; field: string } | { jsonata: CompiledJsonata; field: string } | undefined;

/** Task: calls a service through the TaskInvoker, with timeouts, heartbeats, Retry and Catch. */
export class TaskState extends GuardedState {
  private readonly resource: string;
  private readonly args: CompiledJsonata | undefined;
  private readonly timeout: Seconds;
  private readonly heartbeat: Seconds;
  private descriptor: TaskDescriptor | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage) {
    super(name, raw, ql, 'Parameters');
    this.resource = String(raw['Resource']);
    if (ql === 'JSONata' && raw['Arguments'] !== undefined) this.args = compileJsonataValue(raw['Arguments'], 'Arguments');
    this.timeout = seconds(raw, 'TimeoutSeconds', ql);
    this.heartbeat = seconds(raw, 'HeartbeatSeconds', ql);
  }

  protected override get abortable(): boolean {
    return true;
  }

  protected async attempt(input: Json, frame: Frame, entry: StateEntry): Promise<AttemptResult> {
    const d = (this.descriptor ??= frame.rt.tasks.describe(this.resource));
    const token = d.waitForTaskToken ? taskToken(frame, entry) : undefined;
    const context = buildContext(frame, entry, true, token);
    const scope = { input, context, variables: frame.vars };
    let parameters: Json;
    if (this.io) {
      parameters = this.io.applyParameters(this.io.effectiveInput(input, scope), scope);
    } else {
      parameters = this.args ? await this.args.evaluate(scope) : {};
    }
    // Kept synchronous where nothing needs awaiting, so TaskScheduled follows TaskStateEntered at once.
    let timeoutSeconds = resolveSeconds(this.timeout, scope);
    if (timeoutSeconds instanceof Promise) timeoutSeconds = await timeoutSeconds;
    let heartbeatSeconds = resolveSeconds(this.heartbeat, scope);
    if (heartbeatSeconds instanceof Promise) heartbeatSeconds = await heartbeatSeconds;

    const result = await this.invoke(parameters, frame, context, token, timeoutSeconds, heartbeatSeconds);
    return this.shapeResult(input, result, scope);
  }

  /** Calls the service, recording the Scheduled/Started/Succeeded|Failed|TimedOut events. */
  private async invoke(
    parameters: Json,
    frame: Frame,
    context: JsonObject,
    token: string | undefined,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<Json> {
    const d = this.descriptor!;
    const h = frame.rt.history;
    const lambda = d.eventStyle === 'lambda';
    const ids = { resource: d.resource, resourceType: d.resourceType };
    if (h.enabled) {
      if (lambda) {
        const details: Record<string, unknown> = { ...payloadDetails('input', parameters), resource: this.resource };
        if (timeoutSeconds !== undefined) details['timeoutInSeconds'] = timeoutSeconds;
        if (heartbeatSeconds !== undefined) details['heartbeatInSeconds'] = heartbeatSeconds;
        h.emit(frame.thread, 'LambdaFunctionScheduled', details);
        await taskPickedUp();
        h.emit(frame.thread, 'LambdaFunctionStarted');
      } else {
        const details: Record<string, unknown> = {
          parameters: JSON.stringify(parameters),
          region: frame.rt.location.region,
          ...ids,
        };
        if (timeoutSeconds !== undefined) details['timeoutInSeconds'] = timeoutSeconds;
        if (heartbeatSeconds !== undefined) details['heartbeatInSeconds'] = heartbeatSeconds;
        h.emit(frame.thread, 'TaskScheduled', details);
        await taskPickedUp();
        h.emit(frame.thread, 'TaskStarted', ids);
      }
    } else {
      h.emit(frame.thread, 'TaskScheduled');
      h.emit(frame.thread, 'TaskStarted');
    }
    const startedId = frame.thread.last;

    // Resuming: a task whose outcome is recorded is answered from the history, never run again.
    let recorded = h.peek(frame.thread);
    if (recorded?.type === 'TaskSubmitted' && COMPLETIONS.has(h.peek(frame.thread, 1)?.type ?? '')) {
      h.emit(frame.thread, 'TaskSubmitted');
      recorded = h.peek(frame.thread);
    }
    if (recorded !== undefined && COMPLETIONS.has(recorded.type)) {
      const details = (recorded[detailsKeyFor(recorded.type)] ?? {}) as { output?: string; error?: string; cause?: string };
      if (recorded.type.endsWith('Succeeded')) return this.succeeded(JSON.parse(details.output ?? 'null') as Json, frame, lambda, ids);
      const err = new StatesError(details.error, details.cause);
      this.recordFailure(err, frame, lambda, ids);
      throw err;
    }
    // Started before the process ended, outcome unknown: the integration picks the work up again.
    const resumed = startedId <= h.replayedCount;
    const scheduledAt = h.timestampOf(startedId);
    const elapsed = resumed && !Number.isNaN(scheduledAt) ? Math.max(0, frame.rt.clock.now() - scheduledAt) : 0;

    const child = childAbort(frame.rt.signal);
    const controller = child.controller;
    const timers = new AbortController();
    let heartbeatDeadline: (() => void) | undefined;
    const races: Promise<never>[] = [];
    if (timeoutSeconds !== undefined) {
      races.push(
        frame.rt.clock.sleep(timeoutSeconds * 1000 - elapsed, timers.signal).then(() => {
          throw new StatesError(States.Timeout, undefined);
        }),
      );
    }
    if (heartbeatSeconds !== undefined) {
      let hbController = new AbortController();
      const arm = (): Promise<never> =>
        frame.rt.clock.sleep(heartbeatSeconds * 1000, AbortSignal.any([timers.signal, hbController.signal])).then(
          () => {
            throw new StatesError(States.HeartbeatTimeout, undefined);
          },
          (e) => {
            if (timers.signal.aborted) throw e;
            hbController = new AbortController();
            return arm();
          },
        );
      races.push(arm());
      heartbeatDeadline = () => hbController.abort();
    }
    for (const r of races) r.catch(() => undefined);

    let result: Json;
    try {
      const call = frame.rt.tasks.invoke({
        resource: this.resource,
        parameters,
        stateName: this.name,
        ...(token !== undefined ? { taskToken: token } : {}),
        ...(resumed ? { resumed: true } : {}),
        signal: controller.signal,
        heartbeat: () => heartbeatDeadline?.(),
        submitted: (response: Json) => {
          if (h.enabled) h.emit(frame.thread, 'TaskSubmitted', { ...payloadDetails('output', response), ...ids });
          else h.emit(frame.thread, 'TaskSubmitted');
        },
        context,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      });
      result = races.length ? await Promise.race([call, ...races]) : await call;
      // AWS names the function ARN for the legacy Lambda resource, the resource type otherwise.
      checkPayloadSize(result, lambda ? this.resource : d.resourceType);
    } catch (e) {
      const err = e instanceof StatesError ? e : new StatesError(States.TaskFailed, e instanceof Error ? e.message : String(e));
      controller.abort(err);
      // A task stopped because a sibling branch or iteration failed records no outcome of its own:
      // its Map or Parallel closes it with TaskStateAborted.
      if (err.inStateContext || isAborted(frame.thread)) throw err;
      this.recordFailure(err, frame, lambda, ids);
      throw err;
    } finally {
      timers.abort();
      child.detach();
    }
    return this.succeeded(result, frame, lambda, ids);
  }

  private succeeded(result: Json, frame: Frame, lambda: boolean, ids: { resource: string; resourceType: string }): Json {
    const h = frame.rt.history;
    if (h.enabled) {
      if (lambda) h.emit(frame.thread, 'LambdaFunctionSucceeded', payloadDetails('output', result));
      else h.emit(frame.thread, 'TaskSucceeded', { ...payloadDetails('output', result), ...ids });
    } else {
      h.emit(frame.thread, 'TaskSucceeded');
    }
    return result;
  }

  private recordFailure(err: StatesError, frame: Frame, lambda: boolean, ids: { resource: string; resourceType: string }): void {
    const h = frame.rt.history;
    const timedOut = err.error === States.Timeout || err.error === States.HeartbeatTimeout;
    const details: Record<string, unknown> = {};
    if (err.cause !== undefined) details['cause'] = err.cause;
    if (err.error !== undefined) details['error'] = err.error;
    if (!h.enabled) {
      h.emit(frame.thread, 'TaskFailed');
      return;
    }
    if (lambda) h.emit(frame.thread, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
    else h.emit(frame.thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...details, ...ids });
  }
}

/** The events that end a task's attempt (what a resumed task is answered with). */
const COMPLETIONS = new Set([
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
]);

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

function seconds(raw: JsonObject, field: 'TimeoutSeconds' | 'HeartbeatSeconds', ql: QueryLanguage): Seconds {
  const v = raw[field];
  if (typeof v === 'number') return { fixed: v };
  if (ql === 'JSONata' && typeof v === 'string') return { jsonata: compileJsonataValue(v, field), field };
  const p = raw[`${field}Path`];
  if (ql === 'JSONPath' && typeof p === 'string') return { path: compilePath(p), field: `${field}Path` };
  return undefined;
}

/**
 * A task starts asynchronously after it is scheduled: on AWS, Map iterations and Parallel branches
 * that schedule tasks together record every TaskScheduled before the first TaskStarted.
 */
function taskPickedUp(): Promise<void> {
  return Promise.resolve();
}

type SecondsScope = { input: Json; context: JsonObject; variables: Frame['vars'] };

/** TimeoutSeconds / HeartbeatSeconds: fixed, from a path (a miss is AWS's "Invalid path"), or JSONata. */
function resolveSeconds(s: Seconds, scope: SecondsScope): number | undefined | Promise<number> {
  if (s === undefined) return undefined;
  if ('fixed' in s) return s.fixed;
  if ('path' in s) {
    const v = selectInScope(s.path, scope);
    if (v === undefined) throw invalidPath(s.path, scope.input, scope);
    return positiveSeconds(v, s.field, States.Runtime);
  }
  return s.jsonata.evaluate(scope).then((v) => positiveSeconds(v, s.field, States.QueryEvaluationError));
}

function positiveSeconds(v: Json | undefined, field: string, kind: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw runtimeError(kind, `The ${field} field must be a positive integer but was '${JSON.stringify(v ?? null)}'`);
  }
  return v;
}
