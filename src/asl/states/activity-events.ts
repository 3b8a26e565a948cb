/**
 * An activity task's events, as AWS writes them: ActivityScheduled (the resource, the task's input
 * and its limits) once the task is queued, ActivityStarted (the worker's name, when it gave one)
 * when a worker takes it, then ActivitySucceeded, ActivityFailed or ActivityTimedOut. A resumed
 * execution replays the recorded ones; the integration's callbacks then record nothing twice.
 */
import type { Json } from '../../core/json.js';
import { StatesError, States } from '../errors.js';
import { detailsKeyFor, payloadDetails } from '../history.js';
import type { Frame } from '../runtime.js';
import type { RecordedOutcome, TaskLimits } from './task-events.js';

export class ActivityEvents {
  private scheduledDone = false;
  private startedDone = false;

  constructor(
    private readonly frame: Frame,
    private readonly resource: string,
    private readonly input: Json,
    private readonly limits: TaskLimits,
  ) {}

  /** Whether the history holds this attempt's ActivityScheduled (the execution resumes after it). */
  get wasScheduled(): boolean {
    return this.frame.rt.history.peek(this.frame.thread)?.type === 'ActivityScheduled';
  }

  scheduled(): void {
    if (this.scheduledDone) return;
    this.scheduledDone = true;
    const h = this.frame.rt.history;
    if (!h.enabled) {
      h.emit(this.frame.thread, 'ActivityScheduled');
      return;
    }
    const details: Record<string, unknown> = { resource: this.resource, ...payloadDetails('input', this.input) };
    if (this.limits.timeoutSeconds !== undefined) details['timeoutInSeconds'] = this.limits.timeoutSeconds;
    if (this.limits.heartbeatSeconds !== undefined) details['heartbeatInSeconds'] = this.limits.heartbeatSeconds;
    h.emit(this.frame.thread, 'ActivityScheduled', details);
  }

  started(workerName: string | undefined): void {
    if (this.startedDone) return;
    this.startedDone = true;
    const h = this.frame.rt.history;
    if (!h.enabled) {
      h.emit(this.frame.thread, 'ActivityStarted');
      return;
    }
    h.emit(this.frame.thread, 'ActivityStarted', workerName === undefined ? {} : { workerName });
  }

  /** Resuming: replays Scheduled (and Started), and answers with a recorded outcome. */
  replay(): { outcome?: RecordedOutcome; scheduledAt: number } {
    const h = this.frame.rt.history;
    const thread = this.frame.thread;
    this.scheduled();
    const scheduledAt = h.timestampOf(thread.last);
    const next = h.peek(thread);
    if (next?.type === 'ActivityStarted') this.started((next['activityStartedEventDetails'] as { workerName?: string } | undefined)?.workerName);
    const recorded = h.peek(thread);
    if (recorded?.type === 'ActivitySucceeded') {
      const details = recorded['activitySucceededEventDetails'] as { output?: string } | undefined;
      return { outcome: { output: JSON.parse(details?.output ?? 'null') as Json }, scheduledAt };
    }
    if (recorded?.type === 'ActivityFailed' || recorded?.type === 'ActivityTimedOut') {
      const details = (recorded[detailsKeyFor(recorded.type)] ?? {}) as { error?: string; cause?: string };
      return { outcome: { error: new StatesError(details.error, details.cause) }, scheduledAt };
    }
    return { scheduledAt };
  }

  succeeded(result: Json): Json {
    const h = this.frame.rt.history;
    h.emit(this.frame.thread, 'ActivitySucceeded', h.enabled ? payloadDetails('output', result) : undefined);
    return result;
  }

  failed(err: StatesError): void {
    const h = this.frame.rt.history;
    const timedOut = err.error === States.Timeout || err.error === States.HeartbeatTimeout;
    const details: Record<string, unknown> = {};
    if (err.cause !== undefined) details['cause'] = err.cause;
    if (err.error !== undefined) details['error'] = err.error;
    h.emit(this.frame.thread, timedOut ? 'ActivityTimedOut' : 'ActivityFailed', h.enabled ? details : undefined);
  }
}
