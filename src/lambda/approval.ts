/**
 * The approval Lambda. The state machine invokes it with a task token when a model needs a
 * person's decision (`lambda:invoke.waitForTaskToken`), then waits. The handler:
 *  1. stores the pending approval (token, metrics, model version) in an ApprovalStore;
 *  2. notifies: an SNS message (topic from APPROVAL_TOPIC_ARN) saying what to decide and how.
 * Someone then answers with SendTaskSuccess, output {"decision": "Approved"|"Rejected",
 * "approver", "comment", "decidedAt"} (`approvalDecision` builds it; `mlops-sfn approve|reject`
 * and the AWS CLI send it). No answer within the pipeline's timeout rejects the model.
 *
 * Where is a pending approval kept? In AWS nothing extra is needed: the request, token included,
 * is in the SNS message and in the execution's history (the task's parameters), which is where
 * `approve` finds it (`NoopApprovalStore`). Locally, a store is plugged in so the console and the
 * CLI can list and answer pending approvals.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { Json, JsonObject } from '../core/json.js';
import { LocalError } from '../core/errors.js';
import { PIPELINE_ERRORS } from '../core/error-catalogue.js';
import type { Publisher, TaskCallbacks } from './clients.js';

/** What the state machine sends (the RequestManualApproval state's Payload). */
export interface ApprovalRequest {
  taskToken: string;
  executionArn: string;
  executionName: string;
  stateMachineArn?: string;
  requestedAt?: string;
  timeoutSeconds?: number;
  modelPackageGroup?: string | null;
  modelPackageArn?: string | null;
  modelDataUrl?: string | null;
  metrics?: Record<string, number>;
  checks?: { rule: string; value: number | null; passed: boolean }[];
}

export interface PendingApproval extends ApprovalRequest {
  /** When the state machine stops waiting (requestedAt + timeoutSeconds), if known. */
  expiresAt?: string;
}

/** Where pending approvals are kept until someone answers them. */
export interface ApprovalStore {
  put(pending: PendingApproval): Promise<void>;
}

/** AWS: the request is in the execution history and the SNS message; nothing else to keep. */
export class NoopApprovalStore implements ApprovalStore {
  async put(): Promise<void> {}
}

/** Keeps pending approvals in memory, by execution ARN (tests, and a reference for local stores). */
export class InMemoryApprovalStore implements ApprovalStore {
  readonly pending = new Map<string, PendingApproval>();
  async put(p: PendingApproval): Promise<void> {
    this.pending.set(p.executionArn, p);
  }
}

export interface ApprovalDeps {
  store: ApprovalStore;
  /** SNS client and topic; without them the request is only stored (local runs notify on the console). */
  sns?: Publisher;
  topicArn?: string;
  log?: (line: string) => void;
}

/**
 * The approval Lambda's answer (JSON, as a Lambda result travels): stored, and whether a
 * notification went out (with SNS's message id when SNS gave one).
 */
export type ApprovalNotified = { stored: true; notified: boolean } | { stored: true; notified: true; messageId: string };

export function createApprovalHandler(deps: ApprovalDeps): (event: unknown) => Promise<ApprovalNotified> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event: unknown) => {
    const request = parseRequest(event);
    const pending: PendingApproval = { ...request };
    if (request.requestedAt && typeof request.timeoutSeconds === 'number') {
      const at = Date.parse(request.requestedAt);
      if (Number.isFinite(at)) pending.expiresAt = new Date(at + request.timeoutSeconds * 1000).toISOString();
    }
    await deps.store.put(pending);
    if (!deps.sns || !deps.topicArn) {
      log(`Approval requested for ${request.executionName} (no notification topic configured)`);
      return { stored: true, notified: false };
    }
    const { subject, message } = approvalMessage(pending);
    const out = await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: {
          executionArn: { DataType: 'String', StringValue: request.executionArn },
          ...(request.modelPackageArn ? { modelPackageArn: { DataType: 'String', StringValue: request.modelPackageArn } } : {}),
        },
      }),
    );
    log(`Approval requested for ${request.executionName}: notified ${deps.topicArn} (message ${out.MessageId ?? '?'})`);
    return { stored: true, notified: true, ...(out.MessageId ? { messageId: out.MessageId } : {}) };
  };
}

function parseRequest(event: unknown): ApprovalRequest {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new LocalError(PIPELINE_ERRORS.InvalidApprovalRequest, 'Invalid approval request: expected the object the pipeline state machine sends (with taskToken and executionArn)');
  }
  const e = event as Record<string, unknown>;
  for (const field of ['taskToken', 'executionArn', 'executionName'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '') {
      throw new LocalError(PIPELINE_ERRORS.InvalidApprovalRequest, `Invalid approval request: ${field} is missing (the state machine passes $states.context.Task.Token and the execution)`);
    }
  }
  return e as unknown as ApprovalRequest;
}

/** SNS subjects: at most 100 ASCII characters, no line breaks. */
function subjectLine(s: string): string {
  const ascii = s.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? ascii.slice(0, 97) + '...' : ascii;
}

/** The notification: what is to be decided, the evidence, and the commands that decide it. */
export function approvalMessage(p: PendingApproval): { subject: string; message: string } {
  const lines: string[] = [];
  lines.push(`A model trained by ${p.executionName} is waiting for approval.`, '');
  if (p.modelPackageArn) lines.push(`Model version:  ${p.modelPackageArn}`);
  if (p.modelDataUrl) lines.push(`Model artifact: ${p.modelDataUrl}`);
  lines.push(`Execution:      ${p.executionArn}`);
  if (p.expiresAt) lines.push(`Decide before:  ${p.expiresAt} (then it is rejected)`);
  const metrics = Object.entries(p.metrics ?? {});
  if (metrics.length > 0) {
    lines.push('', 'Metrics:');
    for (const [k, v] of metrics) lines.push(`  ${k}: ${v}`);
  }
  if (p.checks && p.checks.length > 0) {
    lines.push('', 'Checks:');
    for (const c of p.checks) lines.push(`  [${c.passed ? 'pass' : 'FAIL'}] ${c.rule}${c.value === null ? ' (no value)' : ` (got ${c.value})`}`);
  }
  const approve = JSON.stringify(approvalDecision('Approved', '<your name>', '<comment>', new Date(0))).replace('"1970-01-01T00:00:00.000Z"', '"<now>"');
  lines.push(
    '',
    'To approve or reject:',
    `  npx mlops-sfn approve ${p.executionName} --comment "..."`,
    `  npx mlops-sfn reject ${p.executionName} --comment "..."`,
    'or with the AWS CLI (decision "Approved" or "Rejected"):',
    `  aws stepfunctions send-task-success --task-token '${p.taskToken}' --task-output '${approve}'`,
  );
  return { subject: subjectLine(`Model approval needed: ${p.executionName}`), message: lines.join('\n') };
}

export type Decision = 'Approved' | 'Rejected';

/** The task output the state machine expects from whoever decides. */
export interface ApprovalDecisionOutput extends JsonObject {
  decision: Decision;
  approver: string;
  comment: string | null;
  decidedAt: string;
}

export function approvalDecision(decision: Decision, approver: string, comment?: string | null, at: Date = new Date()): ApprovalDecisionOutput {
  return { decision, approver, comment: comment ?? null, decidedAt: at.toISOString() };
}

/** Answers a pending approval (for `approve`/`reject` and the console; any SFN client, AWS or local). */
export async function sendApprovalDecision(sfn: TaskCallbacks, taskToken: string, output: ApprovalDecisionOutput): Promise<void> {
  await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output as Json) }));
}

/** Fails a pending approval outright (the run ends with the given error unless the definition catches it). */
export async function failApproval(sfn: TaskCallbacks, taskToken: string, error: string, cause: string): Promise<void> {
  await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
}

let cached: ((event: unknown) => Promise<ApprovalNotified>) | undefined;

/** The Lambda entry point in AWS: SNS from the environment, the request kept in the execution. */
export async function handler(event: unknown): Promise<ApprovalNotified> {
  if (!cached) {
    const topicArn = process.env['APPROVAL_TOPIC_ARN'];
    const sns = topicArn ? new (await import('@aws-sdk/client-sns')).SNSClient({}) : undefined;
    cached = createApprovalHandler({ store: new NoopApprovalStore(), ...(sns && topicArn ? { sns, topicArn } : {}) });
  }
  return cached(event);
}
