/**
 * What happened to each state of an execution, read from its history as GetExecutionHistory returns
 * it (over the JSON protocol: timestamps in epoch seconds). Statuses are the Step Functions
 * console's: in progress, succeeded, failed, caught error, cancelled, and not run (no entry).
 *
 * Events are attributed to a state by following `previousEventId` back to the state's
 * StateEntered, as AWS threads them, so Map iterations and Parallel branches running at once are
 * told apart. Pure data: used by the browser and checked by the Node tests.
 */

export type RunStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'CaughtError' | 'Cancelled';

export interface WireEvent {
  id: number;
  previousEventId?: number;
  type: string;
  /** Epoch seconds (AWS JSON protocol) or milliseconds; see `eventTime`. */
  timestamp: number;
  [details: string]: unknown;
}

/** One entry into a state (a state in a loop or a Map iteration is entered many times). */
export interface StateEntry {
  enteredEventId: number;
  /** The Map / Parallel entry this one runs inside (events after this one exits belong to it). */
  parent?: StateEntry;
  enteredAt: number;
  exitedAt?: number;
  input?: string;
  output?: string;
  status: RunStatus;
  error?: string;
  cause?: string;
  /** Task attempts after the first (TaskScheduled events beyond one). */
  retries: number;
  resource?: string;
  resourceType?: string;
  /** The Task's parameters as sent to the service (a JSON string). */
  parameters?: string;
}

export interface StateRun {
  name: string;
  /** The last entry's status, except that any entry still running makes it InProgress. */
  status: RunStatus;
  entries: StateEntry[];
}

export interface ExecutionView {
  states: Map<string, StateRun>;
  /** The execution's own end, when it has one. */
  end?: { type: string; error?: string; cause?: string; at: number };
}

type Details = { name?: string; input?: string; output?: string; error?: string; cause?: string; resource?: string; resourceType?: string; parameters?: string };

/** Epoch milliseconds: the wire sends seconds (with a fraction); stored events already hold ms. */
export function eventTime(ts: number): number {
  return ts < 1e11 ? ts * 1000 : ts;
}

export function detailsOf(e: WireEvent): Details | undefined {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && typeof v === 'object' && v !== null) return v as Details;
  }
  return undefined;
}

const EXECUTION_ENDS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

export function readExecution(events: readonly WireEvent[]): ExecutionView {
  const states = new Map<string, StateRun>();
  /** Event id → the entry it belongs to. */
  const owner = new Map<number, StateEntry>();
  const open = new Set<StateEntry>();
  const view: ExecutionView = { states };
  /**
   * The entry an event continues: its previous event's, or, once that entry has exited, the
   * enclosing Map/Parallel's (a Map iteration's last state exits, then the iteration ends).
   */
  const ownerOf = (previous: number | undefined): StateEntry | undefined => {
    let entry = previous === undefined ? undefined : owner.get(previous);
    while (entry && !open.has(entry)) entry = entry.parent;
    return entry;
  };

  for (const e of events) {
    const d = detailsOf(e);
    const at = eventTime(e.timestamp);
    if (e.type.endsWith('StateEntered')) {
      const name = d?.name ?? '?';
      const entry: StateEntry = { enteredEventId: e.id, enteredAt: at, status: 'InProgress', retries: 0 };
      const parent = ownerOf(e.previousEventId);
      if (parent) entry.parent = parent;
      if (d?.input !== undefined) entry.input = d.input;
      let run = states.get(name);
      if (!run) states.set(name, (run = { name, status: 'InProgress', entries: [] }));
      run.entries.push(entry);
      owner.set(e.id, entry);
      open.add(entry);
      continue;
    }
    const entry = ownerOf(e.previousEventId);
    if (EXECUTION_ENDS.has(e.type)) {
      view.end = { type: e.type, at, ...(d?.error !== undefined ? { error: d.error } : {}), ...(d?.cause !== undefined ? { cause: d.cause } : {}) };
      for (const o of open) {
        if (e.type === 'ExecutionFailed' && o === entry) {
          o.status = 'Failed';
          if (d?.error !== undefined && o.error === undefined) o.error = d.error;
          if (d?.cause !== undefined && o.cause === undefined) o.cause = d.cause;
        } else if (e.type === 'ExecutionFailed' && o.error !== undefined) o.status = 'Failed';
        else o.status = e.type === 'ExecutionSucceeded' ? 'Succeeded' : e.type === 'ExecutionFailed' ? 'Failed' : 'Cancelled';
        o.exitedAt ??= at;
      }
      open.clear();
      continue;
    }
    if (!entry) continue;
    owner.set(e.id, entry);
    if (e.type.endsWith('StateExited')) {
      if (d?.output !== undefined) entry.output = d.output;
      entry.exitedAt = at;
      // A state that failed and still exited had its error caught (its Catch led on).
      entry.status = entry.error !== undefined ? 'CaughtError' : 'Succeeded';
      open.delete(entry);
      continue;
    }
    if (e.type === 'TaskScheduled') {
      if (entry.resource !== undefined) entry.retries++;
      if (d?.resource !== undefined) entry.resource = d.resource;
      if (d?.resourceType !== undefined) entry.resourceType = d.resourceType;
      if (d?.parameters !== undefined) entry.parameters = d.parameters;
      if (entry.error !== undefined) {
        // Retried: the earlier attempt's error no longer decides the state's status.
        delete entry.error;
        delete entry.cause;
      }
      continue;
    }
    if (d && (d.error !== undefined || d.cause !== undefined) && /(Failed|TimedOut|Aborted)$/.test(e.type)) {
      if (d.error !== undefined) entry.error = d.error;
      if (d.cause !== undefined) entry.cause = d.cause;
      if (/^(Map|Parallel)StateFailed$|^EvaluationFailed$/.test(e.type)) entry.status = 'Failed';
    }
  }
  for (const run of states.values()) {
    run.status = run.entries.some((x) => x.status === 'InProgress') ? 'InProgress' : run.entries[run.entries.length - 1]!.status;
  }
  return view;
}

/** The history filters of the Step Functions console's event view. */
export type EventFilter = 'all' | 'state' | 'task' | 'failures' | 'execution';

export function eventMatches(e: WireEvent, filter: EventFilter, text: string): boolean {
  const t = e.type;
  if (filter === 'state' && !/State(Entered|Exited)$/.test(t)) return false;
  if (filter === 'task' && (!/^(Task|Activity|LambdaFunction)/.test(t) || /State(Entered|Exited)$/.test(t))) return false;
  if (filter === 'failures' && !/(Failed|TimedOut|Aborted)$/.test(t)) return false;
  if (filter === 'execution' && !t.startsWith('Execution')) return false;
  if (text === '') return true;
  const needle = text.toLowerCase();
  if (t.toLowerCase().includes(needle) || String(e.id) === needle) return true;
  const name = detailsOf(e)?.name;
  return name !== undefined && name.toLowerCase().includes(needle);
}

/** "1.2 s", "3 min 4 s", "1 h 2 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

/** The SageMaker job a Task started, from its parameters: what to describe, and whose log to show. */
export function sagemakerJob(entry: StateEntry): { kind: 'TrainingJob' | 'ProcessingJob' | 'TransformJob'; name: string } | undefined {
  if (entry.parameters === undefined || !/sagemaker/i.test(`${entry.resourceType ?? ""}:${entry.resource ?? ""}`)) return undefined;
  let p: unknown;
  try {
    p = JSON.parse(entry.parameters);
  } catch {
    return undefined;
  }
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as Record<string, unknown>;
  for (const kind of ['TrainingJob', 'ProcessingJob', 'TransformJob'] as const) {
    const name = o[`${kind}Name`];
    if (typeof name === 'string') return { kind, name };
  }
  return undefined;
}
