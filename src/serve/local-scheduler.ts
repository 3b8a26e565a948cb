/**
 * The deployment's EventBridge Scheduler schedule, run locally by `serve`: the same cron expression
 * and time zone (with AWS's daylight-saving rules, from src/schedule), the same target (the trigger
 * Lambda) and the same event. As on AWS, the flexible time window is off (it fires on the minute),
 * fire times that pass while nothing is serving are not made up for, and the Lambda is invoked
 * asynchronously: a function error is retried twice, one and then two minutes later, the way
 * Lambda retries asynchronous invocations.
 */
import type { Clock } from '../core/clock.js';
import { nextFireTimes, parseAwsCron, type AwsCron } from '../schedule/index.js';

/** Lambda's asynchronous invocation retries: two, after one and then two minutes. */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** Sleep in steps so a suspended laptop or a changed wall clock is noticed within the hour. */
const MAX_SLEEP_MS = 60 * 60 * 1000;

export interface ScheduleFiring {
  /** The scheduled time (epoch ms). */
  scheduledAt: number;
  attempt: number;
}

export interface LocalScheduleOptions {
  /** `cron(...)` as deployed (or its six bare fields). */
  expression: string;
  timezone: string;
  clock: Clock;
  /** Invokes the target with the schedule's event; a rejection is a function error. */
  invoke: (firing: ScheduleFiring) => Promise<unknown>;
  log: (line: string) => void;
}

export class LocalSchedule {
  private readonly cron: AwsCron;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: LocalScheduleOptions) {
    this.cron = parseAwsCron(opts.expression);
  }

  /** The next time the schedule fires after `after` (default: now), or undefined when it has ended. */
  next(after: number = this.opts.clock.now()): number | undefined {
    return nextFireTimes(this.cron, this.opts.timezone, after, 1).times[0]?.at;
  }

  start(): void {
    this.loop ??= this.run().catch((e: unknown) => {
      if (!this.stopping.signal.aborted) this.opts.log(`the schedule stopped: ${(e as Error).message}`);
    });
  }

  /** Stops firing; resolves when invocations already started have finished. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('schedule stopped'));
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { clock } = this.opts;
    let after = clock.now();
    for (;;) {
      const at = this.next(after);
      if (at === undefined) {
        this.opts.log('the schedule has no more fire times');
        return;
      }
      while (clock.now() < at) await clock.sleep(Math.min(at - clock.now(), MAX_SLEEP_MS), this.stopping.signal);
      after = at;
      const firing = this.fire(at);
      this.inFlight.add(firing);
      void firing.finally(() => this.inFlight.delete(firing));
    }
  }

  private async fire(scheduledAt: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let failure: Error;
      // The Lambda runs in real time: virtual time waits for it, so the run is named for its fire time.
      const release = this.opts.clock.hold();
      try {
        await this.opts.invoke({ scheduledAt, attempt });
        return;
      } catch (e) {
        failure = e as Error;
      } finally {
        release();
      }
      const delay = ASYNC_RETRY_DELAYS_MS[attempt - 1];
      const what = `the schedule's invocation of ${new Date(scheduledAt).toISOString()} failed (attempt ${attempt}): ${failure.message}`;
      if (delay === undefined) {
        this.opts.log(`${what}; no retries left`);
        return;
      }
      this.opts.log(`${what}; retrying in ${delay / 60_000} min`);
      try {
        await this.opts.clock.sleep(delay, this.stopping.signal);
      } catch {
        return;
      }
    }
  }
}
