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
  /** Set by the parent Map or Parallel once a sibling failed: this thread records no outcome. */
  aborted?: boolean;
}

export interface HistorySink {
  /** Whether events are kept (STANDARD) or only counted (EXPRESS keeps no history). */
  readonly enabled: boolean;
  /** Appends an event caused by `thread.last`, and makes it the thread's last event. */
  emit(thread: EventThread, type: string, details?: Record<string, unknown>): number;
  /** Appends an event with an explicit previous event id; the thread pointer is not moved. */
  emitAfter(previous: number, type: string, details?: Record<string, unknown>): number;
  readonly events: HistoryEvent[];
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
  constructor(
    private readonly now: () => number,
    /** Called with each event as it is recorded (live progress, persistence). */
    private readonly onEvent?: (e: HistoryEvent) => void,
    private readonly limit = MAX_HISTORY_EVENTS,
  ) {}

  emit(thread: EventThread, type: string, details?: Record<string, unknown>): number {
    const id = this.emitAfter(thread.last, type, details);
    thread.last = id;
    return id;
  }

  emitAfter(previous: number, type: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    // The event that would reach the limit is replaced by ExecutionFailed (the run loop records
    // it), so AWS's last event id is exactly the limit.
    if (id >= this.limit && !type.startsWith('Execution')) throw new HistoryLimitExceeded(this.limit);
    const ev: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: previous };
    if (details !== undefined) ev[detailsKeyFor(type)] = details;
    this.events.push(ev);
    this.onEvent?.(ev);
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
  private count = 0;
  emit(thread: EventThread, _type: string, _details?: Record<string, unknown>): number {
    thread.last = ++this.count;
    return this.count;
  }
  emitAfter(_previous: number, _type: string, _details?: Record<string, unknown>): number {
    return ++this.count;
  }
}

/** AWS serialises payloads in history as JSON strings with `truncated` flags. */
export function payloadDetails(field: 'input' | 'output', value: Json): Record<string, unknown> {
  return { [field]: JSON.stringify(value), [`${field}Details`]: { truncated: false } };
}
