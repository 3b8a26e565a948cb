/**
 * Executions left RUNNING by a process that ended (a killed `run`, a crashed `serve`): nobody will
 * finish them, so any process that opens the service closes them as ABORTED, with an error and cause
 * saying why and a history that still starts and ends as an execution's does. Executions of live
 * processes (another terminal's `run` shares the database) are never touched.
 */
import { localRoleArn, type AwsLocation } from '../../core/arn.js';
import type { Json } from '../../core/json.js';
import { payloadDetails, type HistoryEvent } from '../../asl/history.js';
import type { ExecutionEnd, ExecutionRow, Store } from '../../store/index.js';
import { isCurrentProcess, ownerAlive } from './process-owner.js';
import { LOCAL_ERRORS } from '../../core/error-catalogue.js';

/** The error and cause of executions whose process ended before they did. */
export const PROCESS_ENDED_ERROR = LOCAL_ERRORS.ProcessEnded;

export function processEndedCause(pid: number): string {
  return `The local mlops-sfn process that ran this execution (pid ${pid}) ended before the execution did.`;
}

/** Closes every orphan; returns how many. */
export function closeOrphans(store: Store, location: AwsLocation, now: number): number {
  let n = 0;
  for (const row of store.executions.running()) {
    if (isCurrentProcess(row.owner) || ownerAlive(row.owner)) continue;
    const end: ExecutionEnd = { status: 'ABORTED', error: PROCESS_ENDED_ERROR, cause: processEndedCause(row.owner?.pid ?? 0), stopDate: now };
    if (closeAsOrphan(store, location, row, end)) n++;
  }
  return n;
}

/** Closes one execution nobody runs any more, appending its closing events; false if it was not RUNNING. */
export function closeAsOrphan(store: Store, location: AwsLocation, row: ExecutionRow, end: ExecutionEnd): boolean {
  const closed = store.executions.closeFromOutside(row.arn, end, (current) => {
    const events: HistoryEvent[] = [];
    let last = current.eventCount;
    if (last === 0) {
      // The owner died before its first flush: the history still starts where executions start.
      const roleArn = store.stateMachines.get(row.stateMachineArn)?.roleArn ?? localRoleArn(location);
      events.push({
        timestamp: row.startDate,
        type: 'ExecutionStarted',
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: { ...payloadDetails('input', JSON.parse(row.input) as Json), roleArn },
      });
      last = 1;
    }
    const details: Record<string, unknown> = {};
    if (end.error !== undefined) details['error'] = end.error;
    if (end.cause !== undefined) details['cause'] = end.cause;
    events.push({ timestamp: end.stopDate, type: 'ExecutionAborted', id: last + 1, previousEventId: last, executionAbortedEventDetails: details });
    return events;
  });
  if (closed) store.taskTokens.closeForExecution(row.arn);
  return closed;
}
