/**
 * Persists an execution's history events as the engine records them, in batches: one transaction
 * per batch costs far less than one per event, and a Pass/Choice loop that runs synchronously for
 * thousands of transitions must not pay a commit each time. A batch is written when it reaches
 * `maxEvents`, when `intervalMs` has passed since its first event (so a slow execution's progress
 * shows up in other processes quickly), and at the end together with the final status. A kill loses
 * at most the unflushed batch; the execution is then closed as an orphan by the next process.
 */
import type { EventMeta, HistoryEvent } from '../../asl/history.js';
import type { ExecutionEnd, Store } from '../../store/index.js';

export interface HistoryWriterOptions {
  intervalMs: number;
  maxEvents: number;
  /** Where a failed background flush is reported (the execution itself goes on). */
  onError: (e: unknown) => void;
}

export class HistoryWriter {
  private batch: HistoryEvent[] = [];
  /** The thread key of each batched event (what a resume replays by). */
  private threads: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  private detached = false;

  constructor(
    private readonly store: Store,
    private readonly executionArn: string,
    private readonly opts: HistoryWriterOptions,
  ) {}

  /** The engine's onEvent hook: must stay cheap. */
  readonly add = (e: HistoryEvent, meta?: EventMeta): void => {
    // Replayed events are stored already; a detached writer's execution goes on in a later process.
    if (meta?.replayed || this.detached) return;
    this.batch.push(e);
    this.threads.push(meta?.thread ?? '');
    if (this.batch.length >= this.opts.maxEvents) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.intervalMs);
      // The execution's own work keeps the process alive, not a pending flush.
      this.timer.unref();
    }
  };

  /** Writes the pending batch now (also before reads, so this process sees its own progress). */
  flush(): void {
    this.write(undefined);
  }

  /**
   * Writes what is pending and records nothing more: this process is ending and leaves the execution
   * RUNNING for a resume (the events its unwinding run would add are not the execution's).
   */
  detach(): void {
    this.flush();
    this.detached = true;
  }

  /** Writes the rest of the history and the final status in one transaction; false if stopped elsewhere first. */
  finish(end: ExecutionEnd): boolean {
    return this.write(end);
  }

  private write(end: ExecutionEnd | undefined): boolean {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.batch.length === 0 && !end) return false;
    if (this.detached) return false;
    const events = this.batch;
    const threads = this.threads;
    this.batch = [];
    this.threads = [];
    try {
      return this.store.executions.record(this.executionArn, events, end, threads);
    } catch (e) {
      // Keep going without history rather than fail the user's execution; report once.
      if (!this.failed) this.opts.onError(e);
      this.failed = true;
      if (end) throw e;
      return false;
    }
  }
}
