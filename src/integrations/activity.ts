/**
 * Activity tasks: a Task whose Resource is an activity ARN hands its input to a worker that polls
 * with GetActivityTask and answers with SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat and
 * the task token it was given. The task is queued in the store, so a worker talking to any local
 * process (a `serve` while `run` executes in another terminal) can take it; the process running the
 * execution learns that its task was taken at once when the worker came through this process
 * (`taken`), otherwise from the store on its next poll. The answer travels as any task token's does.
 */
import type { Json } from '../core/json.js';
import { runtimeError, States } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import type { ActivityTaskRow, Store } from '../store/index.js';
import type { Integration } from './integration.js';
import type { ParsedResource } from './resource-arn.js';
import type { TaskTokens } from './task-tokens.js';

interface Pending {
  resolve(workerName: string | undefined): void;
}

export class ActivityIntegration implements Integration {
  private readonly pending = new Map<string, Pending>();
  private readonly scheduledListeners = new Set<(activityArn: string) => void>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly tokens: TaskTokens,
    private readonly opts: { pollMs?: number } = {},
  ) {}

  supports(r: ParsedResource): boolean {
    return r.activity;
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const token = req.taskToken;
    if (token === undefined) throw new Error('an activity task needs a task token');
    if (!this.store.activities.get(r.resource)) throw runtimeError(States.Runtime, `The activity ${r.resource} does not exist.`);
    const waiting = this.tokens.wait(token, req.signal, req.heartbeat);
    waiting.catch(() => undefined);
    const executionArn = String((req.context['Execution'] as { Id?: unknown } | undefined)?.Id ?? '');
    try {
      const row = this.store.activities.schedule({ token, activityArn: r.resource, executionArn, stateName: req.stateName, input: JSON.stringify(req.parameters) });
      req.activity?.scheduled();
      for (const listener of this.scheduledListeners) listener(r.resource);
      const workerName = row.status === 'STARTED' ? row.workerName : await this.whenTaken(token, req.signal, waiting);
      req.activity?.started(workerName);
      return await waiting;
    } finally {
      if (this.store.isOpen) this.store.activities.close(token);
    }
  }

  /** GetActivityTask in this process took the task: its execution hears of it at once. */
  taken(row: ActivityTaskRow): void {
    this.pending.get(row.token)?.resolve(row.workerName);
  }

  /** Called whenever a task is queued in this process (GetActivityTask's long poll wakes on it). */
  onScheduled(listener: (activityArn: string) => void): () => void {
    this.scheduledListeners.add(listener);
    return () => this.scheduledListeners.delete(listener);
  }

  private whenTaken(token: string, signal: AbortSignal, outcome: Promise<Json>): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve, reject) => {
      const done = () => {
        this.pending.delete(token);
        signal.removeEventListener('abort', onAbort);
        if (this.pending.size === 0 && this.poll) {
          clearInterval(this.poll);
          this.poll = undefined;
        }
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(token, {
        resolve: (workerName) => {
          done();
          resolve(workerName);
        },
      });
      // The outcome can only come from a worker that took the task; a failure ends the wait too.
      outcome.then(
        () => this.pending.get(token)?.resolve(this.store.isOpen ? this.store.activities.task(token)?.workerName : undefined),
        () => undefined,
      );
      // A worker served by another process: seen in the store.
      this.poll ??= setInterval(() => this.pollStore(), this.opts.pollMs ?? 250);
    });
  }

  private pollStore(): void {
    if (!this.store.isOpen) return;
    for (const [token, p] of [...this.pending]) {
      const row = this.store.activities.task(token);
      if (row && row.status !== 'SCHEDULED') p.resolve(row.workerName);
    }
  }
}
