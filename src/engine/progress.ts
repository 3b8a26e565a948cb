/**
 * The live view of an execution, built from its history events as they arrive: a state that takes
 * work shows when it starts and how long it took; a polling loop (the same Task again and again)
 * shows once. `run` and `serve` print it for local executions, `start --wait` for one in AWS.
 */
import type { HistoryEvent } from '../asl/history.js';

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
}

/** Local runs: wall-clock time, states that ended within 200 ms left out, the summary tells the end. */
export const LOCAL_PROGRESS: ProgressOptions = { elapsed: 'wall', quietUnderMs: 200, ends: 'failure' };

export function progressPrinter(log: (line: string) => void, startedAt: number, opts: ProgressOptions): (e: HistoryEvent) => void {
  const started = new Map<string, number>();
  let lastTask: string | undefined;
  const timeOf = (e: HistoryEvent) => (opts.elapsed === 'wall' ? Date.now() : e.timestamp);
  return (e) => {
    const now = timeOf(e);
    const at = `[${formatDuration(now - startedAt)}]`;
    const entered = e['stateEnteredEventDetails'] as { name?: string } | undefined;
    const exited = e['stateExitedEventDetails'] as { name?: string } | undefined;
    if (entered?.name && /^(Task|Map|Parallel)StateEntered$/.test(e.type)) {
      if (entered.name === lastTask) return;
      lastTask = entered.name;
      started.set(entered.name, now);
      log(`${at} ${entered.name} ...`);
    } else if (exited?.name && started.has(exited.name)) {
      const took = now - started.get(exited.name)!;
      started.delete(exited.name);
      if (took >= (opts.quietUnderMs ?? 0)) log(`${at} ${exited.name} done in ${formatDuration(took)}`);
    } else if (opts.ends === 'failure') {
      // Task failures the definition catches (a lookup before create-or-update) are not news;
      // the summary shows the failure that ended the run.
      if (e.type === 'ExecutionFailed') log(`${at} execution failed`);
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(e.type)) {
      log(`${at} execution ${e.type === 'ExecutionTimedOut' ? 'timed out' : e.type.slice('Execution'.length).toLowerCase()}${eventSubject(e) ? `: ${eventSubject(e)}` : ''}`);
    } else if (e.type === 'ExecutionSucceeded') {
      log(`${at} execution succeeded`);
    }
  };
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
    if (typeof d['error'] === 'string') return `${d['error']}${typeof d['cause'] === 'string' ? `: ${oneLine(d['cause'], 160)}` : ''}`;
    if (typeof d['resourceType'] === 'string') return `${d['resourceType']}:${String(d['resource'] ?? '')}`;
  }
  return '';
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
}
