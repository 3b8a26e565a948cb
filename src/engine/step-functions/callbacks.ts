/**
 * Task callbacks (SendTaskSuccess/Failure/Heartbeat) from any process. The waiting task lives in the
 * memory of the process running its execution (`services.tasks.tokens`); while it waits, its token
 * is also in the store, so a callback sent from another terminal's `serve` or CLI is left there and
 * the owner hands it over on its next poll.
 */
import type { Json } from '../../core/json.js';
import type { TaskInvoker, TaskRequest } from '../../asl/task-invoker.js';
import { TaskTokenError, type TaskTokens } from '../../integrations/task-tokens.js';
import type { Store, TaskCallback } from '../../store/index.js';
import { invalidToken, taskTimedOut } from './errors.js';
import { ownerAlive } from './process-owner.js';

/** Tokens this process waits on, with the heartbeat count from other processes already applied. */
export type WaitingTokens = Map<string, { heartbeatsSeen: number }>;

/**
 * The TaskInvoker one execution runs with: the shared one, plus a store row for each task token
 * while its task waits (and closed after, so a late callback gets TaskTimedOut).
 */
export function recordingTokens(inner: TaskInvoker, store: Store, executionArn: string, waiting: WaitingTokens): TaskInvoker {
  return {
    describe: (resource) => inner.describe(resource),
    async invoke(req: TaskRequest): Promise<Json> {
      const token = req.taskToken;
      if (token === undefined) return inner.invoke(req);
      store.taskTokens.open(token, executionArn, req.stateName);
      waiting.set(token, { heartbeatsSeen: 0 });
      try {
        return await inner.invoke(req);
      } finally {
        waiting.delete(token);
        if (store.isOpen) store.taskTokens.close(token);
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
  const execution = store.executions.get(row.executionArn);
  if (!execution || execution.status !== 'RUNNING' || !ownerAlive(execution.owner)) throw taskTimedOut();
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
