/**
 * `approve|reject <execution> --cloud`: finds the execution's pending approval in its history
 * (newest events first) and answers the task token with SendTaskSuccess and the same decision
 * output the local approvals send (`approvalDecision`), which the state machine records.
 */
import type { HistoryEvent } from '../asl/history.js';
import { UserError } from '../core/errors.js';
import { approvalDecision, sendApprovalDecision, type Decision } from '../lambda/index.js';
import { approvalState, describeDecision, taskTokenIn, type ApprovalState } from './approval-in-history.js';
import { awsErrorName } from './cloud-errors.js';
import { cloudExecutionHistory, describeCloudExecution, listCloudExecutions, type ExecutionDescription } from './cloud-executions.js';
import type { CloudSession } from './cloud-session.js';

export interface CloudDecisionOptions {
  approver: string;
  comment?: string;
  now?: () => Date;
}

/** Reads newest-first only as far back as the newest callback task (and the state that scheduled it). */
export async function currentApproval(session: CloudSession, executionArn: string): Promise<ApprovalState> {
  let stopAt: number | undefined;
  const events = await cloudExecutionHistory(session, executionArn, {
    reverse: true,
    until: (e: HistoryEvent) => {
      if (stopAt !== undefined) return e.id <= stopAt;
      if (e.type === 'TaskScheduled' && isCallbackTask(e)) stopAt = e.previousEventId;
      return stopAt !== undefined && e.id <= stopAt;
    },
  });
  return approvalState(events);
}

function isCallbackTask(e: HistoryEvent): boolean {
  const d = e['taskScheduledEventDetails'] as { resource?: string; parameters?: string } | undefined;
  if (!d?.resource?.endsWith('.waitForTaskToken') || typeof d.parameters !== 'string') return false;
  try {
    return taskTokenIn(JSON.parse(d.parameters)) !== undefined;
  } catch {
    return false;
  }
}

/** Names of running executions (most recent first, up to 10 looked at) that wait for a decision. */
export async function executionsWaitingForApproval(session: CloudSession): Promise<string[]> {
  const running = await listCloudExecutions(session, { status: 'RUNNING', limit: 10 });
  const waiting: string[] = [];
  for (const r of running) if ((await currentApproval(session, r.arn)).state === 'waiting') waiting.push(r.name);
  return waiting;
}

async function findExecution(session: CloudSession, execution: string): Promise<ExecutionDescription> {
  try {
    return await describeCloudExecution(session, execution);
  } catch (e) {
    if (!(e instanceof UserError) || e.code !== 'EXECUTION_NOT_FOUND') throw e;
    const waiting = await executionsWaitingForApproval(session);
    throw new UserError(
      `no execution ${execution} in ${await session.stateMachineArn()}` +
        (waiting.length ? ` (waiting for an approval: ${waiting.join(', ')})` : ' (none is waiting for an approval)'),
      'EXECUTION_NOT_FOUND',
    );
  }
}

/** Decides the pending approval of a deployed execution; returns the line to print. */
export async function decideInCloud(session: CloudSession, execution: string, decision: Decision, opts: CloudDecisionOptions): Promise<string> {
  const ex = await findExecution(session, execution);
  const approval = await currentApproval(session, ex.arn);
  const verb = decision === 'Approved' ? 'approved' : 'rejected';
  if (ex.status !== 'RUNNING') {
    const before = approval.state === 'decided' ? `; its approval was ${describeDecision(approval.output)}` : approval.state === 'timedOut' ? '; its approval timed out' : '';
    throw new UserError(`${ex.name} is not running (${ex.status}): there is nothing to decide${before}`, 'NOT_WAITING');
  }
  switch (approval.state) {
    case 'none':
      throw new UserError(`${ex.name} is not waiting for an approval (it is running and has not asked for one yet)`, 'NOT_WAITING');
    case 'decided':
      throw new UserError(`${ex.name} was already ${describeDecision(approval.output)}; a decision is taken once`, 'ALREADY_DECIDED');
    case 'timedOut':
      throw new UserError(`the approval of ${ex.name} expired at ${new Date(approval.at).toISOString()} (the task timed out): nobody decided in time, so the model is rejected`, 'APPROVAL_EXPIRED');
    case 'failed':
      throw new UserError(`the approval request of ${ex.name} failed (${approval.error ?? 'error'}: ${approval.cause ?? 'no cause'}); there is nothing to decide`, 'NOT_WAITING');
    case 'waiting':
      break;
  }
  const output = approvalDecision(decision, opts.approver, opts.comment ?? null, (opts.now ?? (() => new Date()))());
  await session.call('states:SendTaskSuccess', () =>
    sendApprovalDecision(session.sfn, approval.taskToken, output).catch((e: unknown) => {
      const name = awsErrorName(e);
      if (name === 'TaskTimedOut') {
        throw new UserError(`the approval of ${ex.name} has expired or was already answered (TaskTimedOut): nothing was decided`, 'APPROVAL_EXPIRED');
      }
      if (name === 'InvalidToken' || name === 'TaskDoesNotExist') {
        throw new UserError(`the approval token of ${ex.name} is no longer valid (${name}): the task ended meanwhile; \`mlops-sfn executions --cloud describe ${ex.name}\` shows how`, 'APPROVAL_EXPIRED');
      }
      throw e;
    }),
  );
  const where = approval.stateName ? ` to ${approval.stateName}` : '';
  return `${verb} ${ex.name} (by ${opts.approver}): the decision was sent${where}; follow it with \`mlops-sfn executions --cloud describe ${ex.name}\``;
}
