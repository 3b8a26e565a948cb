/**
 * Executions of the deployed state machine, read with ListExecutions, DescribeExecution and
 * GetExecutionHistory and returned in the shapes the local `executions` command prints: rows with
 * epoch-millisecond dates, and history events shaped like the engine's (`HistoryEvent`, the
 * GetExecutionHistory shape with `timestamp` in milliseconds), so one formatter serves both.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type ExecutionStatus,
  type HistoryEvent as SdkHistoryEvent,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '../asl/history.js';
import { UserError } from '../core/errors.js';
import { awsErrorName } from './cloud-errors.js';
import type { CloudSession } from './cloud-session.js';

export interface ExecutionRow {
  name: string;
  arn: string;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE. */
  status: string;
  /** Milliseconds since the epoch. */
  startDate: number;
  stopDate?: number;
  error?: string;
  cause?: string;
}

export interface ExecutionDescription extends ExecutionRow {
  stateMachineArn: string;
  /** JSON text, as DescribeExecution returns it. */
  input?: string;
  output?: string;
  redriveCount?: number;
}

export interface ListOptions {
  status?: string;
  /** Most recent first; at most this many (default 20). */
  limit?: number;
}

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** An execution's ARN from its name (in this state machine) or from an ARN given as is. */
export function executionArnFor(stateMachineArn: string, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${nameOrArn}`;
}

function ms(d: Date | undefined): number | undefined {
  return d instanceof Date ? d.getTime() : undefined;
}

export async function listCloudExecutions(session: CloudSession, opts: ListOptions = {}): Promise<ExecutionRow[]> {
  const status = opts.status?.toUpperCase();
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new UserError(`invalid status ${JSON.stringify(opts.status)}: expected one of ${STATUSES.join(', ')}`, 'INVALID_OPTION');
  }
  const limit = opts.limit ?? 20;
  const stateMachineArn = await session.stateMachineArn();
  const rows: ExecutionRow[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.call('states:ListExecutions', () =>
      session.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn,
          maxResults: Math.min(1000, limit - rows.length),
          ...(status !== undefined ? { statusFilter: status as ExecutionStatus } : {}),
          ...(nextToken !== undefined ? { nextToken } : {}),
        }),
      ),
    );
    for (const e of page.executions ?? []) {
      const stop = ms(e.stopDate);
      rows.push({ name: e.name ?? '', arn: e.executionArn ?? '', status: e.status ?? 'UNKNOWN', startDate: ms(e.startDate) ?? 0, ...(stop !== undefined ? { stopDate: stop } : {}) });
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined && rows.length < limit);
  // ListExecutions carries no error: an execution that ended badly is described to show why.
  for (const row of rows) {
    if (!ENDED_BADLY.has(row.status)) continue;
    const d = await session.call('states:DescribeExecution', () => session.sfn.send(new DescribeExecutionCommand({ executionArn: row.arn })));
    if (d.error !== undefined) row.error = d.error;
    if (d.cause !== undefined) row.cause = d.cause;
  }
  return rows;
}

const ENDED_BADLY = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** DescribeExecution by name or ARN; a missing one is a one-line error naming it. */
export async function describeCloudExecution(session: CloudSession, nameOrArn: string): Promise<ExecutionDescription> {
  const stateMachineArn = nameOrArn.startsWith('arn:') ? undefined : await session.stateMachineArn();
  const executionArn = stateMachineArn ? executionArnFor(stateMachineArn, nameOrArn) : nameOrArn;
  const d = await session.call('states:DescribeExecution', () =>
    session.sfn.send(new DescribeExecutionCommand({ executionArn })).catch((e: unknown) => {
      throw notFound(e, nameOrArn, executionArn, session.localHome) ?? e;
    }),
  );
  const stop = ms(d.stopDate);
  return {
    name: d.name ?? '',
    arn: d.executionArn ?? executionArn,
    status: d.status ?? 'UNKNOWN',
    startDate: ms(d.startDate) ?? 0,
    ...(stop !== undefined ? { stopDate: stop } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
    stateMachineArn: d.stateMachineArn ?? '',
    ...(d.input !== undefined ? { input: d.input } : {}),
    ...(d.output !== undefined ? { output: d.output } : {}),
    ...(d.redriveCount !== undefined ? { redriveCount: d.redriveCount } : {}),
  };
}

/** AWS's answers for an execution that is not there, as one line naming it. */
export function notFound(e: unknown, nameOrArn: string, executionArn: string, localHome = false): UserError | undefined {
  const name = awsErrorName(e);
  if (name === 'ExecutionDoesNotExist') {
    return new UserError(`no execution ${nameOrArn} (${executionArn}): \`mlops-sfn executions${localHome ? '' : ' --cloud'}\` lists the recent ones`, 'EXECUTION_NOT_FOUND');
  }
  if (name === 'InvalidArn') {
    return new UserError(`invalid execution ${JSON.stringify(nameOrArn)}: give its name or its ARN (${(e as Error).message})`, 'INVALID_OPTION');
  }
  return undefined;
}

export interface HistoryOptions {
  /** Newest first (GetExecutionHistory's reverseOrder). */
  reverse?: boolean;
  /** Stop reading once this returns true for an event (pages are read lazily). */
  until?: (e: HistoryEvent) => boolean;
}

/** Converts one SDK event (Date timestamp) to the engine's shape (epoch milliseconds). */
export function fromSdkEvent(e: SdkHistoryEvent): HistoryEvent {
  const out: HistoryEvent = { timestamp: ms(e.timestamp) ?? 0, type: e.type ?? 'Unknown', id: e.id ?? 0, previousEventId: e.previousEventId ?? 0 };
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails') && v !== undefined) out[k] = v;
  return out;
}

/** The whole history (or, with `until`, up to the event that satisfies it), oldest first unless `reverse`. */
export async function cloudExecutionHistory(session: CloudSession, nameOrArn: string, opts: HistoryOptions = {}): Promise<HistoryEvent[]> {
  const executionArn = nameOrArn.startsWith('arn:') ? nameOrArn : executionArnFor(await session.stateMachineArn(), nameOrArn);
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await session.call('states:GetExecutionHistory', () =>
      session.sfn
        .send(
          new GetExecutionHistoryCommand({
            executionArn,
            maxResults: 1000,
            reverseOrder: opts.reverse === true,
            includeExecutionData: true,
            ...(token !== undefined ? { nextToken: token } : {}),
          }),
        )
        .catch((e: unknown) => {
          throw notFound(e, nameOrArn, executionArn, session.localHome) ?? e;
        }),
    );
    for (const raw of page.events ?? []) {
      const e = fromSdkEvent(raw);
      events.push(e);
      if (opts.until?.(e)) return events;
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}
