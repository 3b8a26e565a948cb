/**
 * Store rows → Step Functions response shapes, typed by the AWS SDK's own output types so a missing
 * or misspelt member does not compile. Dates are Date objects here; the HTTP layer writes them as
 * epoch seconds, as the JSON protocol does.
 */
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  HistoryEvent as SdkHistoryEvent,
  StateMachineListItem,
} from '@aws-sdk/client-sfn';
import type { Json } from '../../core/json.js';
import type { ExecutionResult } from '../../asl/execution.js';
import type { HistoryEvent } from '../../asl/history.js';
import type { ExecutionRow, StateMachineRow, StateMachineVersionRow, Store, StoredEvent } from '../../store/index.js';
import { loggingShape, tracingShape } from './machine-config.js';

export function describeStateMachineShape(row: StateMachineRow): DescribeStateMachineOutput {
  const out: DescribeStateMachineOutput = {
    stateMachineArn: row.arn,
    name: row.name,
    status: row.status,
    definition: row.definition,
    roleArn: row.roleArn,
    type: row.type,
    creationDate: new Date(row.createdAt),
    loggingConfiguration: loggingShape(row.loggingConfiguration),
    tracingConfiguration: tracingShape(row.tracingConfiguration),
  };
  if (row.revisionId !== undefined) out.revisionId = row.revisionId;
  return out;
}

/** DescribeStateMachine on a version ARN: the version's own copy, under its ARN. */
export function describeVersionShape(v: StateMachineVersionRow, machine: StateMachineRow): DescribeStateMachineOutput {
  const out: DescribeStateMachineOutput = {
    stateMachineArn: v.arn,
    name: machine.name,
    status: machine.status,
    definition: v.definition,
    roleArn: v.roleArn,
    type: v.type,
    creationDate: new Date(v.createdAt),
    loggingConfiguration: loggingShape(v.loggingConfiguration),
    tracingConfiguration: tracingShape(v.tracingConfiguration),
  };
  if (v.description !== undefined) out.description = v.description;
  if (v.revisionId !== undefined) out.revisionId = v.revisionId;
  return out;
}

export function stateMachineListItem(row: StateMachineRow): StateMachineListItem {
  return { stateMachineArn: row.arn, name: row.name, type: row.type, creationDate: new Date(row.createdAt) };
}

export function describeExecutionShape(row: ExecutionRow): DescribeExecutionOutput {
  // The list item's members, with the redrive ones placed where DescribeExecution has them.
  const { redriveCount, redriveDate, stateMachineVersionArn, stateMachineAliasArn, ...item } = executionListItem(row);
  const out: DescribeExecutionOutput = item;
  out.input = row.input;
  out.inputDetails = { included: true };
  if (row.output !== undefined) {
    out.output = row.output;
    out.outputDetails = { included: true };
  }
  if (row.error !== undefined) out.error = row.error;
  if (row.cause !== undefined) out.cause = row.cause;
  if (stateMachineVersionArn !== undefined) out.stateMachineVersionArn = stateMachineVersionArn;
  if (stateMachineAliasArn !== undefined) out.stateMachineAliasArn = stateMachineAliasArn;
  out.redriveCount = redriveCount ?? 0;
  if (redriveDate !== undefined) out.redriveDate = redriveDate;
  const reason = notRedrivableReason(row, Date.now());
  if (reason !== undefined) {
    out.redriveStatus = 'NOT_REDRIVABLE';
    out.redriveStatusReason = reason;
  } else {
    out.redriveStatus = 'REDRIVABLE';
  }
  return out;
}

export function executionListItem(row: ExecutionRow): ExecutionListItem {
  const out: ExecutionListItem = {
    executionArn: row.arn,
    stateMachineArn: row.stateMachineArn,
    name: row.name,
    status: row.status,
    startDate: new Date(row.startDate),
  };
  if (row.stopDate !== undefined) out.stopDate = new Date(row.stopDate);
  if (row.versionArn !== undefined) out.stateMachineVersionArn = row.versionArn;
  if (row.aliasArn !== undefined) out.stateMachineAliasArn = row.aliasArn;
  out.redriveCount = row.redriveCount;
  if (row.redriveDate !== undefined) out.redriveDate = new Date(row.redriveDate);
  return out;
}

/** AWS keeps an unsuccessful execution redrivable this long after it stopped. */
export const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;

/**
 * Why an execution cannot be redriven now (AWS's redriveStatusReason texts), or undefined when it
 * can: FAILED, ABORTED or TIMED_OUT within 14 days, with its definition kept, under the event limit.
 */
export function notRedrivableReason(row: ExecutionRow, now: number): string | undefined {
  if (row.status === 'RUNNING' || row.status === 'SUCCEEDED') return `Execution is ${row.status} and cannot be redriven`;
  if (row.definition === undefined) return 'Execution was started before the launch of RedriveExecution';
  if (row.eventCount >= 25_000 - 1) return 'Execution history event limit exceeded';
  if (row.stopDate !== undefined && now - row.stopDate > REDRIVE_WINDOW_MS) return 'Execution redrivable period exceeded';
  return undefined;
}

/**
 * A stored event (the engine's event object, epoch-ms timestamp) as GetExecutionHistory returns it.
 * Without execution data, the input and output payloads are left out of every event.
 */
export function historyEventShape(stored: StoredEvent, includeExecutionData: boolean): SdkHistoryEvent {
  const e: Record<string, unknown> = { ...stored, timestamp: new Date(stored['timestamp'] as number) };
  if (!includeExecutionData) {
    for (const [k, v] of Object.entries(e)) {
      if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
      const details = { ...(v as Record<string, unknown>) };
      delete details['input'];
      delete details['output'];
      e[k] = details;
    }
  }
  return e as unknown as SdkHistoryEvent;
}

/**
 * An execution's result read back from the store (for a process that did not run it): the same shape
 * the engine returns, with `transitions` counted from the recorded StateEntered events.
 */
export function resultFromStore(store: Store, row: ExecutionRow): ExecutionResult {
  const history: HistoryEvent[] = [];
  let transitions = 0;
  for (let after = 0; ; ) {
    const page = store.executions.events(row.arn, { limit: 1000, afterId: after });
    for (const e of page) {
      const ev = e as HistoryEvent;
      if (ev.type.endsWith('StateEntered')) transitions++;
      history.push(ev);
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.id;
  }
  const r: ExecutionResult = {
    executionArn: row.arn,
    stateMachineArn: row.stateMachineArn,
    name: row.name,
    status: row.status as ExecutionResult['status'],
    input: JSON.parse(row.input) as Json,
    startDate: row.startDate,
    stopDate: row.stopDate ?? row.startDate,
    history,
    transitions,
  };
  if (row.output !== undefined) r.output = JSON.parse(row.output) as Json;
  if (row.error !== undefined) r.error = row.error;
  if (row.cause !== undefined) r.cause = row.cause;
  return r;
}
