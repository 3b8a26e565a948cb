/**
 * Task callbacks (SendTaskSuccess/Failure/Heartbeat) from any process. The waiting task lives in the
 * memory of the process running its execution (`services.tasks.tokens`); while it waits, its token
 * is also in the store, so a callback sent from another terminal's `serve` or CLI is left there and
 * the owner hands it over on its next poll.
 */
import type { Json } from '../../core/json.js';
import { StatesError } from '../../asl/errors.js';
import type { TaskInvoker, TaskRequest } from '../../asl/task-invoker.js';
import { TaskTokenError, type TaskTokens } from '../../integrations/task-tokens.js';
import type { Store, TaskCallback } from '../../store/index.js';
import { invalidToken, taskTimedOut } from './errors.js';

/** Tokens this process waits on, with the heartbeat count from other processes already applied. */
export type WaitingTokens = Map<string, { heartbeatsSeen: number }>;

/** What the durable invoker needs from the execution it serves. */
export interface DurableExecution {
  arn: string;
  waiting: WaitingTokens;
  /** Commits the history recorded so far (the task's Scheduled/Started events). */
  commit(): void;
  /** True once this process has let go of the execution (it is ending; a resume takes over). */
  detached(): boolean;
}

/**
 * The TaskInvoker a persisted execution runs with: the shared one, after committing the history so far
 * (a task never has an effect its stored history does not lead up to), plus a store row for each task
 * token while its task waits. The row keeps the task's outcome when it closes, so a resume that did
 * not record it yet is answered with it; a late callback gets TaskTimedOut.
 */
export function durableTasks(inner: TaskInvoker, store: Store, x: DurableExecution): TaskInvoker {
  return {
    describe: (resource) => inner.describe(resource),
    async invoke(req: TaskRequest): Promise<Json> {
      x.commit();
      const token = req.taskToken;
      if (token === undefined) return inner.invoke(req);
      let handedOut: Json | undefined;
      if (req.resumed) {
        const row = store.taskTokens.reopen(token, x.arn, req.stateName);
        const cb = row.callback;
        if (cb) {
          // Answered while no process ran the execution, or before its outcome was recorded. The
          // service had the token (the answer proves it): its response is recorded as it was, or as
          // null when the process ended between handing the token out and noting the response.
          req.submitted?.(row.handedOut !== undefined ? (JSON.parse(row.handedOut) as Json) : null);
          store.taskTokens.close(token);
          if (cb.kind === 'success') return JSON.parse(cb.output) as Json;
          throw new StatesError(cb.error, cb.cause);
        }
        if (row.handedOut !== undefined) handedOut = JSON.parse(row.handedOut) as Json;
      } else {
        store.taskTokens.open(token, x.arn, req.stateName);
      }
      x.waiting.set(token, { heartbeatsSeen: 0 });
      let outcome: TaskCallback | undefined;
      try {
        const output = await inner.invoke({
          ...req,
          ...(handedOut !== undefined ? { tokenHandedOut: handedOut } : {}),
          onTokenHandedOut: (response) => store.isOpen && store.taskTokens.markHandedOut(token, JSON.stringify(response ?? null)),
        });
        outcome = { kind: 'success', output: JSON.stringify(output) };
        return output;
      } catch (e) {
        if (!req.signal.aborted && e instanceof StatesError) {
          outcome = { kind: 'failure', ...(e.error !== undefined ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}) };
        }
        throw e;
      } finally {
        x.waiting.delete(token);
        if (store.isOpen && !x.detached()) {
          if (outcome) store.taskTokens.closeWith(token, outcome);
          else store.taskTokens.close(token);
        }
      }
    },
  };
}

/** Hands a callback to the waiting task: at once when it waits in this process, else through the store. */
export function sendCallback(tokens: TaskTokens, store: Store, token: string, callback: TaskCallback | { kind: 'heartbeat' }): void {
  try {
    if (callback.kind === 'success') tokens.sendTaskSuccess(token, JSON.parse(callback.output) as Json);
    else if (callback.kind === 'failure') tokens.sendTaskFailure(token, callback.error, callback.cause);
    else tokens.sendTaskHeartbeat(token);
    return;
  } catch (e) {
    if (!(e instanceof TaskTokenError)) throw e;
    if (e.awsName === 'TaskTimedOut') throw taskTimedOut();
    // Unknown here: it may wait in another process.
  }
  const row = store.taskTokens.get(token);
  if (!row) throw invalidToken();
  if (row.status !== 'WAITING') throw taskTimedOut();
  // A RUNNING execution whose process ended keeps its tokens: the callback waits in the row for the
  // process that resumes it.
  const execution = store.executions.get(row.executionArn);
  if (!execution || execution.status !== 'RUNNING') throw taskTimedOut();
  const ok = callback.kind === 'heartbeat' ? store.taskTokens.heartbeat(token) : store.taskTokens.deliver(token, callback);
  if (!ok) throw taskTimedOut();
}

/** The owner's side: delivers callbacks and heartbeats that other processes left for its tokens. */
export function takeCallbacks(tokens: TaskTokens, store: Store, waiting: WaitingTokens): void {
  if (waiting.size === 0) return;
  for (const row of store.taskTokens.waiting([...waiting.keys()])) {
    const seen = waiting.get(row.token);
    if (!seen) continue;
    try {
      if (row.heartbeats > seen.heartbeatsSeen) {
        seen.heartbeatsSeen = row.heartbeats;
        tokens.sendTaskHeartbeat(row.token);
      }
      const cb = row.callback;
      if (cb?.kind === 'success') tokens.sendTaskSuccess(row.token, JSON.parse(cb.output) as Json);
      else if (cb?.kind === 'failure') tokens.sendTaskFailure(row.token, cb.error, cb.cause);
    } catch (e) {
      // The task ended meanwhile (timed out, execution stopped): the callback is moot.
      if (!(e instanceof TaskTokenError)) throw e;
    }
    if (row.callback) store.taskTokens.close(row.token);
  }
}
