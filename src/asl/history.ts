import type { Json } from '../core/json.js';
import { StatesError, States } from './errors.js';

/**
 * Execution history in the shape of GetExecutionHistory. Event `input`/`output` fields are JSON
 * strings, as the AWS API returns them.
 */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [detailsKey: string]: unknown;
}

/** AWS's hard limit on STANDARD executions; the event that would pass it fails the execution. */
export const MAX_HISTORY_EVENTS = 25_000;

/** AWS fails an execution whose history would pass the limit; nothing can catch it. */
export class HistoryLimitExceeded extends StatesError {
  constructor(limit: number) {
    super(States.Runtime, `The execution reached the maximum number of history events (${limit}).`);
  }
}

/**
 * A thread of events: the main execution, one Parallel branch, or one Map iteration. AWS chains
 * `previousEventId` along the thread that caused an event, not along the global order.
 */
export interface EventThread {
  last: number;
  /**
   * The type of the Task or Wait state in progress on this thread ("Task"), from its StateEntered
   * until it exits; when the thread's Map or Parallel fails, AWS closes it with `<type>StateAborted`.
   */
  running?: string;
  /** The iterations of one Map run or the branches of one Parallel: set when the thread is created. */
  group?: ThreadGroup;
  /**
   * Which thread this is, stable across runs of the same execution ('' or absent: the execution
   * itself; `p<entered id>.<branch>` a Parallel branch; `m<entered id>.<index>` a Map iteration).
   * Resuming replays the recorded events of each thread in order, so ids match even though
   * concurrent threads interleave differently the second time.
   */
  readonly key?: string;
}

/** What a listener learns about an event besides the event itself. */
export interface EventMeta {
  /** The thread key (see EventThread.key). */
  thread: string;
  /** True when the event was recorded before (a resumed execution replaying its history). */
  replayed: boolean;
}

/** A stored history and the thread of each event (`threads[i]` belongs to `events[i]`), to resume from. */
export interface RecordedHistory {
  events: HistoryEvent[];
  threads: string[];
  /** Ids of events that stay in the history but are not replayed (a redrive runs those parts again). */
  skip?: ReadonlySet<number>;
}

/** A resumed execution did something other than what its history records: it cannot go on safely. */
export class ReplayDivergence extends StatesError {
  constructor(recorded: HistoryEvent, type: string, name: string | undefined) {
    const recordedName = (recorded['stateEnteredEventDetails'] as { name?: string } | undefined)?.name;
    super(
      States.Runtime,
      `Resuming the execution diverged from its history at event #${recorded.id}: the history has ${recorded.type}` +
        `${recordedName ? ` (${recordedName})` : ''} where the engine now produced ${type}${name ? ` (${name})` : ''}.`,
    );
  }
}

/** Threads run side by side; once one fails, the others are aborted (and record no outcome). */
export interface ThreadGroup {
  failed?: EventThread;
}

/** Whether a sibling in the thread's group failed, so this thread is being aborted. */
export function isAborted(thread: EventThread): boolean {
  const g = thread.group;
  return g !== undefined && g.failed !== undefined && g.failed !== thread;
}

export interface HistorySink {
  /** Whether events are kept (STANDARD) or only counted (EXPRESS keeps no history). */
  readonly enabled: boolean;
  /** Appends an event caused by `thread.last`, and makes it the thread's last event. */
  emit(thread: EventThread, type: string, details?: Record<string, unknown>): number;
  /**
   * Appends an event with an explicit previous event id; the thread pointer is not moved. `thread`
   * names the thread the event belongs to (for replay), by default the execution's.
   */
  emitAfter(previous: number, type: string, details?: Record<string, unknown>, thread?: EventThread): number;
  readonly events: HistoryEvent[];
  /** Events 1..replayedCount come from the recorded history (0 unless resuming). */
  readonly replayedCount: number;
  /** The next recorded event of a thread not replayed yet (resuming; `ahead` skips that many), else undefined. */
  peek(thread: EventThread, ahead?: number): HistoryEvent | undefined;
  /** The timestamp of an event (NaN where events are not kept). */
  timestampOf(id: number): number;
}

/** The details key AWS uses for an event type, e.g. TaskScheduled → taskScheduledEventDetails. */
export function detailsKeyFor(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return type.charAt(0).toLowerCase() + type.slice(1) + 'EventDetails';
}

export class RecordingHistory implements HistorySink {
  readonly enabled = true;
  readonly events: HistoryEvent[] = [];
  readonly replayedCount: number;
  /** Per thread: its recorded events and how many have been replayed. */
  private readonly pending = new Map<string, { events: HistoryEvent[]; next: number }>();

  constructor(
    private readonly now: () => number,
    /** Called with each event as it is recorded (live progress, persistence) or replayed. */
    private readonly onEvent?: (e: HistoryEvent, meta: EventMeta) => void,
    private readonly limit = MAX_HISTORY_EVENTS,
    /** A resumed execution's history: its events are replayed instead of recorded again. */
    recorded?: RecordedHistory,
  ) {
    this.replayedCount = recorded?.events.length ?? 0;
    if (!recorded) return;
    for (let i = 0; i < recorded.events.length; i++) {
      const e = recorded.events[i]!;
      this.events.push(e);
      if (recorded.skip?.has(e.id)) continue;
      const key = recorded.threads[i] ?? '';
      let q = this.pending.get(key);
      if (!q) this.pending.set(key, (q = { events: [], next: 0 }));
      q.events.push(e);
    }
  }

  emit(thread: EventThread, type: string, details?: Record<string, unknown>): number {
    const id = this.emitAfter(thread.last, type, details, thread);
    thread.last = id;
    return id;
  }

  peek(thread: EventThread, ahead = 0): HistoryEvent | undefined {
    const q = this.pending.get(thread.key ?? '');
    return q && q.next + ahead < q.events.length ? q.events[q.next + ahead] : undefined;
  }

  timestampOf(id: number): number {
    return this.events[id - 1]?.timestamp ?? NaN;
  }

  emitAfter(previous: number, type: string, details?: Record<string, unknown>, thread?: EventThread): number {
    const key = thread?.key ?? '';
    if (this.pending.size > 0) {
      const q = this.pending.get(key);
      if (q && q.next < q.events.length) {
        const recorded = q.events[q.next]!;
        const name = (details?.['name'] as string | undefined) ?? undefined;
        const recordedName = (recorded[detailsKeyFor(recorded.type)] as { name?: string } | undefined)?.name;
        if (recorded.type !== type || (name !== undefined && recordedName !== undefined && name !== recordedName)) {
          throw new ReplayDivergence(recorded, type, name);
        }
        q.next++;
        if (q.next === q.events.length) this.pending.delete(key);
        this.onEvent?.(recorded, { thread: key, replayed: true });
        return recorded.id;
      }
    }
    const id = this.events.length + 1;
    // The event that would reach the limit is replaced by ExecutionFailed (the run loop records
    // it), so AWS's last event id is exactly the limit.
    if (id >= this.limit && !type.startsWith('Execution')) throw new HistoryLimitExceeded(this.limit);
    const ev: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: previous };
    if (details !== undefined) ev[detailsKeyFor(type)] = details;
    this.events.push(ev);
    this.onEvent?.(ev, { thread: key, replayed: false });
    return id;
  }
}

/**
 * EXPRESS executions keep no history: ids are still counted so error causes that quote
 * "entered at the event id #N" read the same as on AWS.
 */
export class CountingHistory implements HistorySink {
  readonly enabled = false;
  readonly events: HistoryEvent[] = [];
  readonly replayedCount = 0;
  private count = 0;
  peek(_thread: EventThread, _ahead?: number): HistoryEvent | undefined {
    return undefined;
  }
  timestampOf(_id: number): number {
    return NaN;
  }
  emit(thread: EventThread, _type: string, _details?: Record<string, unknown>): number {
    thread.last = ++this.count;
    return this.count;
  }
  emitAfter(_previous: number, _type: string, _details?: Record<string, unknown>, _thread?: EventThread): number {
    return ++this.count;
  }
}

/** AWS serialises payloads in history as JSON strings with `truncated` flags. */
export function payloadDetails(field: 'input' | 'output', value: Json): Record<string, unknown> {
  return { [field]: JSON.stringify(value), [`${field}Details`]: { truncated: false } };
}
