import type { Clock } from '../core/clock.js';

/**
 * Gives the event loop a turn during long runs of states.
 *
 * Pass, Choice, Succeed and Fail states run synchronously (no promise per transition, which is
 * what makes the engine fast), so a loop of them would hold the event loop for as long as it runs:
 * the local API stops answering, signals are not handled, and the execution's own timeout and
 * StopExecution can never fire. Every TRANSITIONS_PER_CHECK transitions the loop looks at the time;
 * once a slice of SLICE_MS has gone by it awaits one macrotask. The slice is shared by every
 * execution in the process, as the event loop is.
 */
/** A power of two: the run loop tests `(transitions & CHECK_MASK) === 0` on the count it keeps anyway. */
export const TRANSITIONS_PER_CHECK = 1024;
export const CHECK_MASK = TRANSITIONS_PER_CHECK - 1;
export const SLICE_MS = 20;

let sliceStarted = performance.now();

/** True when the current slice of work has lasted SLICE_MS: the caller should `await giveTurn(...)`. */
export function turnDue(): boolean {
  return performance.now() - sliceStarted >= SLICE_MS;
}

/**
 * Lets other work run for one macrotask. A virtual clock is held meanwhile, so its timers do not
 * jump ahead of work still in progress, and is then charged the real time the slice took: virtual
 * time skips idle waits, never work, so an endless loop still meets its execution time limit.
 */
export async function giveTurn(clock: Clock): Promise<void> {
  // Charged before the hold: a virtual clock charges held time itself and ignores elapse() meanwhile.
  clock.elapse(performance.now() - sliceStarted);
  const release = clock.hold();
  await new Promise<void>((resolve) => setImmediate(resolve));
  release();
  sliceStarted = performance.now();
}
