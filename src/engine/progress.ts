/**
 * The live view of a local run: one line per state as it starts and ends, with the elapsed time,
 * built from the execution's history events as they are recorded.
 */
import type { HistoryEvent } from '../asl/history.js';

/** One line per state as it starts and ends, with the elapsed time: the live view of a run. */
export function progressPrinter(log: (line: string) => void, t0: number): (e: HistoryEvent) => void {
  const started = new Map<string, number>();
  // A polling loop (DescribeEndpoint, Wait, Choice, again) shows once, not once per poll.
  let lastTask: string | undefined;
  return (e) => {
    const at = `[${formatElapsed(Date.now() - t0)}]`;
    const entered = e['stateEnteredEventDetails'] as { name?: string } | undefined;
    const exited = e['stateExitedEventDetails'] as { name?: string } | undefined;
    if (entered?.name && (e.type === 'TaskStateEntered' || e.type === 'MapStateEntered' || e.type === 'ParallelStateEntered')) {
      if (entered.name === lastTask) return;
      lastTask = entered.name;
      started.set(entered.name, Date.now());
      log(`${at} ${entered.name} ...`);
    } else if (exited?.name && started.has(exited.name)) {
      const took = Date.now() - started.get(exited.name)!;
      started.delete(exited.name);
      if (took >= 200) log(`${at} ${exited.name} done in ${formatElapsed(took)}`);
    } else if (e.type === 'ExecutionFailed') {
      // Task failures the definition catches (a lookup before create-or-update) are not news;
      // the summary shows the failure that ended the run.
      log(`${at} execution failed`);
    }
  };
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(Math.floor((ms % 1000) / 100))}`;
}

