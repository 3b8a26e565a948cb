/**
 * `start --cloud`: starts the deployed pipeline exactly as its schedule does — the trigger Lambda
 * invoked with `{"config": {"bucket", "prefix": "<model-name>/scripts/input.yaml"}}` — and, with
 * `--wait`, follows the execution to its end from DescribeExecution and GetExecutionHistory.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { HistoryEvent } from '../asl/history.js';
import { UserError } from '../core/errors.js';
import type { TriggerEvent, TriggerResult } from '../lambda/index.js';
import { approvalState } from './approval-in-history.js';
import { awsErrorName } from './cloud-errors.js';
import type { CloudOptions } from './cloud-options.js';
import { cloudExecutionHistory, describeCloudExecution, type ExecutionDescription } from './cloud-executions.js';
import type { CloudSession } from './cloud-session.js';
import { formatDuration, progressPrinter } from '../engine/progress.js';

export interface Started {
  executionArn: string;
  executionName: string;
  startDate: string;
  /** Where the trigger read the pipeline. */
  source: string;
}

/** Invokes the trigger Lambda with the schedule's event; its failure (a bad YAML, ...) is one line, exit 1. */
export async function startInCloud(session: CloudSession): Promise<Started> {
  const target = await session.trigger();
  const event: TriggerEvent = { config: { bucket: target.bucket, prefix: target.key } };
  const source = `s3://${target.bucket}/${target.key}`;
  const out = await session.call('lambda:InvokeFunction', () =>
    session.lambda.send(new InvokeCommand({ FunctionName: target.functionName, Payload: Buffer.from(JSON.stringify(event)) })).catch((e: unknown) => {
      if (awsErrorName(e) === 'ResourceNotFoundException') {
        throw new UserError(`no trigger function ${target.functionName} in region ${session.region}: check the stack (mlops-sfn deploy) or --function-name`, 'FUNCTION_NOT_FOUND');
      }
      throw e;
    }),
  );
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let payload: unknown;
  try {
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    payload = text;
  }
  if (out.FunctionError) {
    const p = (payload ?? {}) as { errorType?: string; errorMessage?: string };
    throw new UserError(
      `the trigger ${target.functionName} could not start the pipeline from ${source}: ${p.errorType ?? out.FunctionError}: ${p.errorMessage ?? text}`,
      'TRIGGER_FAILED',
      1,
    );
  }
  const r = (payload ?? {}) as Partial<TriggerResult>;
  if (typeof r.executionArn !== 'string' || r.executionArn === '') {
    throw new UserError(`the trigger ${target.functionName} answered without an execution ARN (${text.slice(0, 200)}): is it the pipeline's trigger function?`, 'TRIGGER_FAILED', 1);
  }
  const executionName = r.executionName ?? r.executionArn.split(':').pop()!;
  return { executionArn: r.executionArn, executionName, startDate: r.startDate ?? new Date().toISOString(), source };
}

/** The flags a follow-up command needs to reach the same stack, e.g. ` --region eu-west-1`. */
export function cloudFlagsHint(opts: CloudOptions): string {
  const parts: string[] = [];
  const add = (flag: string, v: string | undefined) => {
    if (v !== undefined) parts.push(`${flag} ${/^[\w.:/@-]+$/.test(v) ? v : JSON.stringify(v)}`);
  };
  add('--stack-name', opts.stackName);
  add('--model-name', opts.modelName);
  add('--state-machine-arn', opts.stateMachineArn);
  add('--region', opts.region);
  add('--profile', opts.profile);
  add('--endpoint-url', opts.endpointUrl);
  return parts.length ? ' ' + parts.join(' ') : '';
}

/** How a follow-up command reaches the same executions: nothing for the local home, else `--cloud` and the flags. */
export function modeFlags(opts: CloudOptions): string {
  return opts.localHome ? '' : ` --cloud${cloudFlagsHint(opts)}`;
}

export function consoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** What `start` prints: the execution and how to follow it. */
export function startedLines(s: Started, session: CloudSession, opts: CloudOptions): string[] {
  const mode = modeFlags(opts);
  const lines = [
    `started ${s.executionName} from ${s.source}`,
    `  execution: ${s.executionArn}`,
    `  follow:    npx mlops-sfn executions${mode} describe ${s.executionName}   (or: history ${s.executionName})`,
  ];
  if (session.context.endpoint === undefined) lines.push(`  console:   ${consoleUrl(session.region, s.executionArn)}`);
  return lines;
}

export interface FollowOptions {
  intervalMs: number;
  log: (line: string) => void;
  /** Shown when the execution waits for a person: the command that decides. */
  approveHint?: (executionName: string) => string;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls DescribeExecution until the execution ends, showing progress from the history events that
 * arrived since the last poll (read newest first, only as far back as needed).
 */
export async function followExecution(session: CloudSession, executionArn: string, opts: FollowOptions): Promise<ExecutionDescription> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let lastSeen = 0;
  let printer: ((e: HistoryEvent) => void) | undefined;
  let announcedApproval: number | undefined;
  const catchUp = async (startDate: number): Promise<void> => {
    const fresh = await cloudExecutionHistory(session, executionArn, { reverse: true, until: (e) => e.id <= lastSeen + 1 });
    const events = fresh.filter((e) => e.id > lastSeen).sort((a, b) => a.id - b.id);
    if (events.length === 0) return;
    printer ??= progressPrinter(opts.log, startDate, { elapsed: 'events', ends: 'all' });
    for (const e of events) printer(e);
    lastSeen = events[events.length - 1]!.id;
    const approval = approvalState(events);
    if (approval.state === 'waiting' && announcedApproval !== approval.scheduledEventId) {
      announcedApproval = approval.scheduledEventId;
      opts.log(`waiting for a manual approval${approval.stateName ? ` (${approval.stateName})` : ''}: ${opts.approveHint?.(executionArn.split(':').pop()!) ?? 'answer it with SendTaskSuccess'}`);
    }
  };
  for (;;) {
    const d = await describeCloudExecution(session, executionArn);
    await catchUp(d.startDate);
    if (d.status !== 'RUNNING') return d;
    await sleep(opts.intervalMs);
  }
}

/** The end of `start --wait`: success prints how long it took; anything else is exit 1 with AWS's error and cause. */
export function finishedLine(d: ExecutionDescription): string {
  const took = d.stopDate !== undefined ? ` in ${formatDuration(d.stopDate - d.startDate)}` : '';
  if (d.status === 'SUCCEEDED') return `${d.name} succeeded${took}`;
  throw new UserError(
    `${d.name} ${d.status.toLowerCase().replace('_', ' ')}${took}` + (d.error !== undefined ? `: error: ${d.error}` : '') + (d.cause !== undefined ? `; cause: ${d.cause}` : ''),
    'EXECUTION_FAILED',
    1,
  );
}
