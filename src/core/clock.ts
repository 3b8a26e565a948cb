import { setLongTimeout } from './long-timer.js';

/**
 * Time enters the engine only through a Clock, so tests and `--fast` runs can complete Waits, retry
 * backoff and timeouts at once while timestamps stay consistent (like Temporal's injected time).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** True when sleeps complete at once (virtual time). */
  readonly virtual: boolean;
  /** Marks real-time work in flight (virtual timers cannot overtake it; a virtual clock runs at real speed meanwhile); call the result to release. */
  hold(): () => void;
  /** Real work took `ms`: a virtual clock moves on by as much (a real one already has). */
  elapse(ms: number): void;
}

const noop = () => {};

export class RealClock implements Clock {
  readonly virtual = false;
  hold(): () => void {
    return noop;
  }
  elapse(): void {}
  now(): number {
    return Date.now();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      // Not setTimeout: it fires at once past ~24.8 days, and AWS allows a year-long Wait.
      const timer = setLongTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        timer.clear();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Virtual time: sleepers are queued and the clock jumps to the earliest deadline as soon as the
 * process has nothing else to do (checked on the next macrotask). Races keep their meaning: a
 * 5 s task timeout still beats a 60 s handler, both completing at once. Work that runs in real time
 * (a child process) takes a `hold()` so virtual timers cannot overtake it, and the time it takes is
 * charged to the clock, so histories show how long that work lasted.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private t: number;
  private timers: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;
  private holds = 0;
  /** Real time (Date.now()) when the current stretch of held work began, while any hold is taken. */
  private heldSince: number | undefined;
  private scheduled = false;

  constructor(start: number = Date.now()) {
    this.t = start;
  }

  /**
   * Virtual time skips what nobody waits through (Waits, polling intervals), but while real work is
   * held (a job, a model server starting, a person deciding) it runs as fast as real time, so the
   * history's timestamps show how long each stage really worked.
   */
  now(): number {
    return this.heldSince === undefined ? this.t : this.t + Math.max(0, Date.now() - this.heldSince);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer = {
        at: this.now() + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  elapse(ms: number): void {
    // Timers this passes are due: advance() fires them in order (without moving time back). Work
    // done while held is already charged by the hold.
    if (ms > 0 && this.heldSince === undefined) this.t += ms;
  }

  /** Keeps virtual time still until the returned release function is called. */
  hold(): () => void {
    if (this.holds++ === 0) this.heldSince = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) {
        // The stretch of real work is charged once, however many holds overlapped in it.
        this.t = this.now();
        this.heldSince = undefined;
      }
      this.schedule();
    };
  }

  private schedule(): void {
    if (this.scheduled || this.timers.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.advance();
    });
  }

  private advance(): void {
    if (this.holds > 0 || this.timers.length === 0) return;
    let best = 0;
    for (let i = 1; i < this.timers.length; i++) {
      const a = this.timers[i]!;
      const b = this.timers[best]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const at = this.timers[best]!.at;
    if (at > this.t) this.t = at;
    // Every timer due at this instant fires before any reaction to them runs: on AWS, tasks that
    // time out together all record their timeout before their Map or Parallel handles the first.
    const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.seq - b.seq);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const timer of due) timer.fire();
    this.schedule();
  }
}
