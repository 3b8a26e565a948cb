/**
 * The live view of an execution, built from its history events as they arrive: a state that takes
 * work shows when it starts and how long it took, or that it failed and why; a polling loop (the
 * same Task again and again) shows once. `run` and `serve` print it for local executions,
 * `start --wait` for one in AWS.
 */
import type { HistoryEvent } from '../asl/history.js';
import { readableCause } from '../lambda/index.js';
import { bookkeepingStep, JOB_STATES } from '../definition/index.js';
import { STATES_ERRORS } from '../core/error-catalogue.js';

export interface ProgressOptions {
  /**
   * Where elapsed time comes from: this machine's clock (a local run, whose history may be on
   * virtual time) or the events' timestamps (an execution in AWS, read some seconds late).
   */
  elapsed: 'wall' | 'events';
  /** States that end sooner are not reported as done (default 0: all are). */
  quietUnderMs?: number;
  /** `all`: every end, with its error; `failure`: only "execution failed" (a summary follows). */
  ends: 'all' | 'failure';
  /** More about a failed task than its event says (locally: the exception in the job's log). */
  explainFailure?: (failure: TaskFailure) => string | undefined;
}

/** A Task's failure as its history event reports it. */
export interface TaskFailure {
  state: string;
  error: string;
  cause: string;
  /** The cause parsed, when it is a JSON object (a `.sync` job's Describe* output). */
  details?: Record<string, unknown>;
}

/** Local runs: wall-clock time, states that ended within 200 ms left out, the summary tells the end. */
export const LOCAL_PROGRESS: ProgressOptions = { elapsed: 'wall', quietUnderMs: 200, ends: 'failure' };

export function progressPrinter(log: (line: string) => void, startedAt: number, opts: ProgressOptions): (e: HistoryEvent) => void {
  const started = new Map<string, number>();
  /** The failure of a state still open: reported when it exits (or the execution ends) instead of "done". */
  const failures = new Map<string, TaskFailure>();
  /** Quick failures the definition may catch (a lookup before create-or-update): news only if the execution then fails. */
  let quietFailures: string[] = [];
  let lastTask: string | undefined;
  const timeOf = (e: HistoryEvent) => (opts.elapsed === 'wall' ? Date.now() : e.timestamp);
  const failedLine = (at: string, f: TaskFailure, took: number) => {
    const extra = opts.explainFailure?.(f);
    return `${at} ${f.state} failed after ${formatDuration(took)}: ${f.error}${f.cause ? `: ${oneLine(reasonOf(f), 300)}` : ''}${extra ? ` — ${extra}` : ''}`;
  };
  /** Why each job stage runs, from its cache check: said when the job starts. */
  const why = new Map<string, string>();
  /** The bookkeeping state open now (a cache check, a record, ending a failed run): not shown as work. */
  let bookkeeping: ReturnType<typeof bookkeepingStep>;
  return (e) => {
    const now = timeOf(e);
    const at = `[${formatDuration(now - startedAt)}]`;
    const entered = e['stateEnteredEventDetails'] as { name?: string } | undefined;
    const exited = e['stateExitedEventDetails'] as { name?: string } | undefined;
    if (entered?.name && e.type === 'TaskStateEntered' && (bookkeeping = bookkeepingStep(entered.name, JOB_STATES))) {
      return;
    }
    if (bookkeeping?.step === 'check' && e.type === 'TaskSucceeded') {
      const check = cacheCheckOf(e);
      if (check?.warning) log(`${at} warning: ${check.warning}`);
      if (check?.hit) log(`${at} ${bookkeeping.state} ${check.reason}`);
      else if (check) why.set(bookkeeping.state!, check.reason);
      return;
    }
    if (bookkeeping && !e.type.startsWith('Execution')) {
      if (exited?.name) bookkeeping = undefined;
      return;
    }
    if (entered?.name && /^(Task|Map|Parallel)StateEntered$/.test(e.type)) {
      quietFailures = [];
      if (entered.name === lastTask) return;
      lastTask = entered.name;
      started.set(entered.name, now);
      const reason = why.get(entered.name);
      why.delete(entered.name);
      log(`${at} ${entered.name} ...${reason ? ` (ran: ${reason})` : ''}`);
    } else if (/^Task(Scheduled|Started)$/.test(e.type)) {
      // A retry: the earlier attempt's failure is not the state's outcome.
      if (lastTask !== undefined) failures.delete(lastTask);
    } else if (FAILURE_EVENT.test(e.type) && lastTask !== undefined && started.has(lastTask)) {
      const d = failureDetails(e);
      if (d) failures.set(lastTask, { state: lastTask, ...d });
    } else if (exited?.name && started.has(exited.name)) {
      const took = now - started.get(exited.name)!;
      started.delete(exited.name);
      const failure = failures.get(exited.name);
      failures.delete(exited.name);
      if (failure) {
        const line = failedLine(at, failure, took);
        if (took >= (opts.quietUnderMs ?? 0)) log(line);
        else quietFailures.push(line);
      } else if (took >= (opts.quietUnderMs ?? 0)) log(`${at} ${exited.name} done in ${formatDuration(took)}`);
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(e.type)) {
      // What failed before the end: quick failures that were caught, then states that never exited.
      for (const line of quietFailures) log(line);
      quietFailures = [];
      for (const [name, f] of failures) log(failedLine(at, f, now - (started.get(name) ?? now)));
      failures.clear();
      if (opts.ends === 'failure') {
        // The summary shows the failure that ended the run.
        if (e.type === 'ExecutionFailed') log(`${at} execution failed`);
        else log(`${at} execution ${e.type === 'ExecutionTimedOut' ? 'timed out' : 'aborted'}`);
      } else {
        log(`${at} execution ${e.type === 'ExecutionTimedOut' ? 'timed out' : e.type.slice('Execution'.length).toLowerCase()}${eventSubject(e) ? `: ${eventSubject(e)}` : ''}`);
      }
    } else if (e.type === 'ExecutionSucceeded' && opts.ends === 'all') {
      log(`${at} execution succeeded`);
    }
  };
}

/** The cache Lambda's answer in a cache check's TaskSucceeded event. */
function cacheCheckOf(e: HistoryEvent): { hit: boolean; reason: string; warning?: string } | undefined {
  const d = e['taskSucceededEventDetails'] as { output?: unknown } | undefined;
  if (typeof d?.output !== 'string') return undefined;
  try {
    const payload = (JSON.parse(d.output) as { Payload?: { hit?: unknown; reason?: unknown; warning?: unknown } }).Payload;
    if (typeof payload?.reason !== 'string') return undefined;
    return { hit: payload.hit === true, reason: payload.reason, ...(typeof payload.warning === 'string' ? { warning: payload.warning } : {}) };
  } catch {
    return undefined;
  }
}

/** The events that end a Task's (or a Map run's) attempt in failure. */
const FAILURE_EVENT = /^((Task|Activity|LambdaFunction)\w*(Failed|TimedOut)|MapRunFailed)$/;

/** The error and cause of a failure event (TaskFailed, TaskTimedOut, ...). */
function failureDetails(e: HistoryEvent): Omit<TaskFailure, 'state'> | undefined {
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
    const d = v as Record<string, unknown>;
    const error = typeof d['error'] === 'string' ? d['error'] : e.type.endsWith('TimedOut') ? STATES_ERRORS.Timeout : STATES_ERRORS.TaskFailed;
    const cause = typeof d['cause'] === 'string' ? d['cause'] : '';
    let details: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(cause) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
    } catch {
      /* a plain-text cause */
    }
    return { error, cause, ...(details ? { details } : {}) };
  }
  return undefined;
}

/** What a person needs of a cause: a `.sync` job's FailureReason rather than its whole description. */
function reasonOf(f: TaskFailure): string {
  const reason = f.details?.['FailureReason'] ?? f.details?.['errorMessage'];
  if (typeof reason === 'string') return reason;
  return f.cause;
}

/** mm:ss.d, or h:mm:ss for runs of an hour and more. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const tenth = Math.floor((Math.max(0, ms) % 1000) / 100);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}.${tenth}`;
}

/** What one event is about: the state's name, or the error of a failure. */
export function eventSubject(e: HistoryEvent): string {
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
    const d = v as Record<string, unknown>;
    if (typeof d['name'] === 'string') return d['name'];
    if (typeof d['error'] === 'string') return `${d['error']}${typeof d['cause'] === 'string' ? `: ${oneLine(readableCause(d['cause']), 160)}` : ''}`;
    if (typeof d['resourceType'] === 'string') return `${d['resourceType']}:${String(d['resource'] ?? '')}`;
  }
  return '';
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
}
