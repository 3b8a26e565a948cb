/**
 * A Task attempt's events in the execution history: Scheduled and Started, Submitted (for .sync
 * integrations), then Succeeded, Failed or TimedOut, in the Lambda style (`LambdaFunction*`) for
 * the legacy Lambda resource and the Task style otherwise. When an execution resumes, the recorded
 * history answers a task whose outcome it holds, and says how long a started one has run.
 */
import type { Json } from '../../core/json.js';
import { StatesError, States } from '../errors.js';
import { detailsKeyFor, payloadDetails } from '../history.js';
import type { Frame } from '../runtime.js';
import type { TaskDescriptor } from '../task-invoker.js';

/** The events that end a task's attempt (what a resumed task is answered with). */
const COMPLETIONS = new Set([
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
]);

/** An outcome the recorded history already holds. */
export type RecordedOutcome = { readonly output: Json } | { readonly error: StatesError };

/** Where a started attempt stands when the execution resumes. */
export interface Resumption {
  /** Started before the process ended, outcome unknown: the integration picks the work up again. */
  readonly resumed: boolean;
  /** How long it has run already (counts against TimeoutSeconds). */
  readonly elapsedMs: number;
}

export interface TaskLimits {
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
}

export class TaskEvents {
  private readonly lambda: boolean;
  private readonly ids: { resource: string; resourceType: string };

  constructor(
    private readonly frame: Frame,
    descriptor: TaskDescriptor,
    private readonly resource: string,
  ) {
    this.lambda = descriptor.eventStyle === 'lambda';
    this.ids = { resource: descriptor.resource, resourceType: descriptor.resourceType };
  }

  /** Whether events carry details (a STANDARD execution's history); EXPRESS ones are only counted. */
  get recording(): boolean {
    return this.frame.rt.history.enabled;
  }

  scheduled(parameters: Json, limits: TaskLimits): void {
    const h = this.frame.rt.history;
    if (!h.enabled) {
      h.emit(this.frame.thread, 'TaskScheduled');
      return;
    }
    const details: Record<string, unknown> = this.lambda
      ? { ...payloadDetails('input', parameters), resource: this.resource }
      : { parameters: JSON.stringify(parameters), region: this.frame.rt.location.region, ...this.ids };
    if (limits.timeoutSeconds !== undefined) details['timeoutInSeconds'] = limits.timeoutSeconds;
    if (limits.heartbeatSeconds !== undefined) details['heartbeatInSeconds'] = limits.heartbeatSeconds;
    h.emit(this.frame.thread, this.lambda ? 'LambdaFunctionScheduled' : 'TaskScheduled', details);
  }

  /** Records Started; returns its event id. */
  started(): number {
    const h = this.frame.rt.history;
    if (!h.enabled) h.emit(this.frame.thread, 'TaskStarted');
    else if (this.lambda) h.emit(this.frame.thread, 'LambdaFunctionStarted');
    else h.emit(this.frame.thread, 'TaskStarted', this.ids);
    return this.frame.thread.last;
  }

  /** Resuming: the outcome the history recorded after Started (a replayed Submitted is passed). */
  recordedOutcome(): RecordedOutcome | undefined {
    const h = this.frame.rt.history;
    const thread = this.frame.thread;
    let recorded = h.peek(thread);
    if (recorded?.type === 'TaskSubmitted' && COMPLETIONS.has(h.peek(thread, 1)?.type ?? '')) {
      h.emit(thread, 'TaskSubmitted');
      recorded = h.peek(thread);
    }
    if (recorded === undefined || !COMPLETIONS.has(recorded.type)) return undefined;
    const details = (recorded[detailsKeyFor(recorded.type)] ?? {}) as { output?: string; error?: string; cause?: string };
    if (recorded.type.endsWith('Succeeded')) return { output: JSON.parse(details.output ?? 'null') as Json };
    return { error: new StatesError(details.error, details.cause) };
  }

  resumption(startedId: number): Resumption {
    const rt = this.frame.rt;
    const resumed = startedId <= rt.history.replayedCount;
    const scheduledAt = rt.history.timestampOf(startedId);
    const elapsedMs = resumed && !Number.isNaN(scheduledAt) ? Math.max(0, rt.clock.now() - scheduledAt) : 0;
    return { resumed, elapsedMs };
  }

  submitted(response: Json): void {
    const h = this.frame.rt.history;
    if (h.enabled) h.emit(this.frame.thread, 'TaskSubmitted', { ...payloadDetails('output', response), ...this.ids });
    else h.emit(this.frame.thread, 'TaskSubmitted');
  }

  succeeded(result: Json): Json {
    const h = this.frame.rt.history;
    if (!h.enabled) h.emit(this.frame.thread, 'TaskSucceeded');
    else if (this.lambda) h.emit(this.frame.thread, 'LambdaFunctionSucceeded', payloadDetails('output', result));
    else h.emit(this.frame.thread, 'TaskSucceeded', { ...payloadDetails('output', result), ...this.ids });
    return result;
  }

  failed(err: StatesError): void {
    const h = this.frame.rt.history;
    if (!h.enabled) {
      h.emit(this.frame.thread, 'TaskFailed');
      return;
    }
    const timedOut = err.error === States.Timeout || err.error === States.HeartbeatTimeout;
    const details: Record<string, unknown> = {};
    if (err.cause !== undefined) details['cause'] = err.cause;
    if (err.error !== undefined) details['error'] = err.error;
    if (this.lambda) h.emit(this.frame.thread, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
    else h.emit(this.frame.thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...details, ...this.ids });
  }

  /** What the result's size is checked against: AWS names the function ARN for the legacy Lambda resource, the resource type otherwise. */
  get payloadOwner(): string {
    return this.lambda ? this.resource : this.ids.resourceType;
  }
}
