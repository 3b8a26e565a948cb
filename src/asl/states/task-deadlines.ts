/**
 * A Task's TimeoutSeconds and HeartbeatSeconds as races against the service call: either one
 * running out fails the attempt with States.Timeout / States.HeartbeatTimeout; a heartbeat from the
 * integration (SendTaskHeartbeat) starts the heartbeat countdown again. Both run on the
 * execution's clock (virtual in tests and `run --fast`).
 */
import type { Json } from '../../core/json.js';
import type { Clock } from '../../core/clock.js';
import { childAbort, type ChildAbort } from '../../core/child-abort.js';
import { StatesError, States } from '../errors.js';
import type { TaskLimits } from './task-events.js';

export class TaskDeadlines {
  /** Aborted when the attempt ends: every countdown stops. */
  private readonly timers = new AbortController();
  private heartbeatTimer: ChildAbort | undefined;
  private readonly races: Promise<never>[] = [];

  /** `elapsedMs`: how long a resumed attempt has run already (it keeps its original deadline). */
  constructor(
    private readonly clock: Clock,
    limits: TaskLimits,
    elapsedMs: number,
  ) {
    if (limits.timeoutSeconds !== undefined) {
      this.races.push(
        clock.sleep(limits.timeoutSeconds * 1000 - elapsedMs, this.timers.signal).then(() => {
          throw new StatesError(States.Timeout, undefined);
        }),
      );
    }
    if (limits.heartbeatSeconds !== undefined) this.races.push(this.armHeartbeat(limits.heartbeatSeconds * 1000));
    for (const r of this.races) r.catch(() => undefined);
  }

  /** The integration's heartbeat: the HeartbeatSeconds countdown starts again. */
  heartbeat(): void {
    this.heartbeatTimer?.controller.abort();
  }

  /** The call's result, unless a deadline passes first. */
  race(call: Promise<Json>): Promise<Json> {
    return this.races.length ? Promise.race([call, ...this.races]) : call;
  }

  /** Stops every countdown (the attempt has ended). */
  dispose(): void {
    this.timers.abort();
  }

  private armHeartbeat(ms: number): Promise<never> {
    const timer = childAbort(this.timers.signal);
    this.heartbeatTimer = timer;
    return this.clock.sleep(ms, timer.signal).then(
      () => {
        timer.detach();
        throw new StatesError(States.HeartbeatTimeout, undefined);
      },
      (e: unknown) => {
        timer.detach();
        if (this.timers.signal.aborted) throw e;
        return this.armHeartbeat(ms);
      },
    );
  }
}
