/**
 * Redrive (RedriveExecution): a FAILED, ABORTED or TIMED_OUT execution goes on from the states that
 * did not succeed, with the history it has. The engine replays what succeeded (see RecordingHistory)
 * and runs the rest again; this decides which recorded events are *not* replayed: in every thread,
 * the tail from its unfinished state on (that state runs again), and the events that closed the
 * execution, its failed or aborted Map iterations and Parallel branches. A Map or Parallel that did
 * not finish keeps its start, so its iterations and branches that succeeded are not run again.
 */
import type { HistoryEvent, RecordedHistory } from './history.js';

/** Events that end an open container state's attempt or a thread because of a failure. */
const CONTAINERS = new Set(['Map', 'Parallel']);

/** The ids of recorded events a redrive does not replay (each redrive's tails, up to its ExecutionRedriven). */
export function redriveSkips(recorded: RecordedHistory): Set<number> {
  const skip = new Set<number>();
  // Each redrive cut the history before it: its tails are computed on what preceded it.
  let from = 0;
  const { events, threads } = recorded;
  for (let i = 0; i <= events.length; i++) {
    if (i < events.length && events[i]!.type !== 'ExecutionRedriven') continue;
    for (const id of tails(events.slice(from, i), threads.slice(from, i), skip)) skip.add(id);
    from = i + 1;
  }
  return skip;
}

/** The tail of every thread of one attempt (events already skipped by an earlier redrive are ignored). */
function tails(events: HistoryEvent[], threads: string[], skipped: ReadonlySet<number>): number[] {
  const byThread = new Map<string, HistoryEvent[]>();
  events.forEach((e, i) => {
    if (skipped.has(e.id) || e.type === 'ExecutionRedriven') return;
    const key = threads[i] ?? '';
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  });
  const out: number[] = [];
  for (const list of byThread.values()) {
    const keep = keptLength(list);
    for (const e of list.slice(keep)) out.push(e.id);
  }
  return out;
}

/** How many leading events of a thread a redrive replays. */
function keptLength(list: HistoryEvent[]): number {
  // The last state entered and not exited on this thread (states of one thread run one at a time).
  let open = -1;
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!.type;
    if (t.endsWith('StateEntered')) open = i;
    else if (t.endsWith('StateExited')) open = -1;
  }
  if (open >= 0) {
    const type = list[open]!.type.slice(0, -'StateEntered'.length);
    // An unfinished Map or Parallel keeps its start: its threads say which parts run again.
    if (CONTAINERS.has(type) && list[open + 1]?.type === `${type}StateStarted`) return open + 2;
    return open;
  }
  // Everything finished on this thread: keep up to its last completed step, drop the closing failure.
  let keep = 0;
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!.type;
    if (t.endsWith('StateExited') || t === 'ExecutionStarted' || t === 'MapIterationStarted' || t === 'MapIterationSucceeded') keep = i + 1;
  }
  return keep;
}
