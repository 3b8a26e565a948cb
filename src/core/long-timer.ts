/**
 * setTimeout with no upper bound on the delay.
 *
 * Node stores a timer's delay in 32 bits: anything over 2^31-1 ms (about 24.8 days) fires after
 * 1 ms instead. AWS allows far longer: a Wait of a year, a 30-day task timeout, a 720-hour
 * approval, a 28-day training job. So a long delay is cut into chunks, and each chunk re-reads the
 * wall clock, so the deadline holds even if the process was suspended in between.
 */

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/** The parts of the platform a long timer uses (replaced in tests to look inside). */
export interface TimerHost {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** The longest single delay; defaults to MAX_TIMER_MS. */
  readonly maxChunkMs?: number;
}

const NODE_TIMERS: TimerHost = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface LongTimerOptions {
  /** Let the process exit while the timer waits (Node's `unref`). */
  unref?: boolean;
  host?: TimerHost;
}

/** Calls `fn` once `ms` milliseconds have passed (0 for negative or NaN delays). */
export function setLongTimeout(fn: () => void, ms: number, opts: LongTimerOptions = {}): LongTimer {
  const host = opts.host ?? NODE_TIMERS;
  const maxChunk = host.maxChunkMs ?? MAX_TIMER_MS;
  const delay = ms === Infinity ? Number.MAX_SAFE_INTEGER / 2 : Number.isFinite(ms) && ms > 0 ? ms : 0;
  const deadline = host.now() + delay;
  let handle: unknown;
  let cleared = false;
  const arm = (): void => {
    const left = Math.max(0, deadline - host.now());
    // The last chunk fires as setTimeout would; an earlier one re-reads the clock and re-arms.
    const last = left <= maxChunk;
    handle = host.setTimeout(() => {
      if (cleared) return;
      if (last) fn();
      else arm();
    }, last ? left : maxChunk);
    if (opts.unref) (handle as { unref?: () => void }).unref?.();
  };
  arm();
  return {
    clear: () => {
      cleared = true;
      host.clearTimeout(handle);
    },
  };
}
