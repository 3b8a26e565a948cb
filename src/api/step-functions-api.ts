/**
 * Step Functions over AWS JSON 1.0: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>` and the
 * request as a JSON object; answers are the action's output, errors 400 with AWS's error name in
 * `__type` (namespaced as the SDK's model is, so it raises its own exception classes).
 */
import type { ServerResponse } from 'node:http';
import type { LocalStepFunctions } from '../engine/step-functions/index.js';
import { StepFunctionsError } from '../engine/step-functions/index.js';
import { awsJson, send, sendJsonError } from './http-io.js';
import type { ProtocolErrorName, StepFunctionsErrorName } from '../core/error-catalogue.js';

export const SFN_TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const NAMESPACE = 'com.amazonaws.sfn';
/** A 1 MiB definition plus JSON escaping fits; nothing else a caller sends comes close. */
export const SFN_BODY_LIMIT = 4 * 1024 * 1024;

/** `signal` aborts when the caller hangs up (GetActivityTask's long poll stops waiting). */
type Handler = (sfn: LocalStepFunctions, input: Record<string, unknown>, signal: AbortSignal) => unknown;

/** Input members reach the service as sent; the service checks each one as AWS does. */
const ACTIONS: Record<string, Handler> = {
  CreateStateMachine: (s, i) => s.createStateMachine(i as never),
  UpdateStateMachine: (s, i) => s.updateStateMachine(i as never),
  DescribeStateMachine: (s, i) => s.describeStateMachine(i as never),
  ListStateMachines: (s, i) => s.listStateMachines(i as never),
  DeleteStateMachine: (s, i) => s.deleteStateMachine(i as never),
  StartExecution: (s, i) => s.startExecution(i as never),
  StartSyncExecution: (s, i) => s.startSyncExecution(i as never),
  DescribeExecution: (s, i) => s.describeExecution(i as never),
  ListExecutions: (s, i) => s.listExecutions(i as never),
  GetExecutionHistory: (s, i) => s.getExecutionHistory(i as never),
  StopExecution: (s, i) => s.stopExecution(i as never),
  RedriveExecution: (s, i) => s.redriveExecution(i as never),
  SendTaskSuccess: (s, i) => s.sendTaskSuccess(i as never),
  SendTaskFailure: (s, i) => s.sendTaskFailure(i as never),
  SendTaskHeartbeat: (s, i) => s.sendTaskHeartbeat(i as never),
  DescribeStateMachineForExecution: (s, i) => s.describeStateMachineForExecution(i as never),
  ValidateStateMachineDefinition: (s, i) => s.validateStateMachineDefinition(i as never),
  PublishStateMachineVersion: (s, i) => s.publishStateMachineVersion(i as never),
  ListStateMachineVersions: (s, i) => s.listStateMachineVersions(i as never),
  DeleteStateMachineVersion: (s, i) => s.deleteStateMachineVersion(i as never),
  CreateStateMachineAlias: (s, i) => s.createStateMachineAlias(i as never),
  DescribeStateMachineAlias: (s, i) => s.describeStateMachineAlias(i as never),
  UpdateStateMachineAlias: (s, i) => s.updateStateMachineAlias(i as never),
  DeleteStateMachineAlias: (s, i) => s.deleteStateMachineAlias(i as never),
  ListStateMachineAliases: (s, i) => s.listStateMachineAliases(i as never),
  TagResource: (s, i) => s.tagResource(i as never),
  UntagResource: (s, i) => s.untagResource(i as never),
  ListTagsForResource: (s, i) => s.listTagsForResource(i as never),
  CreateActivity: (s, i) => s.createActivity(i as never),
  DescribeActivity: (s, i) => s.describeActivity(i as never),
  ListActivities: (s, i) => s.listActivities(i as never),
  DeleteActivity: (s, i) => s.deleteActivity(i as never),
  GetActivityTask: (s, i, signal) => s.getActivityTask(i as never, signal),
  TestState: (s, i, signal) => s.testState(i as never, signal),
};

export function sfnError(res: ServerResponse, status: number, name: StepFunctionsErrorName | ProtocolErrorName, message: string): void {
  sendJsonError(res, status, CONTENT_TYPE, `${NAMESPACE}#${name}`, message);
}

export async function handleStepFunctions(sfn: LocalStepFunctions, action: string, body: Buffer, res: ServerResponse): Promise<void> {
  const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!handler) {
    sendJsonError(res, 400, CONTENT_TYPE, 'UnknownOperationException', `The local Step Functions service does not implement ${action}.`);
    return;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    sendJsonError(res, 400, CONTENT_TYPE, 'SerializationException', 'The request body is not valid JSON.');
    return;
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    sendJsonError(res, 400, CONTENT_TYPE, 'SerializationException', 'The request body must be a JSON object.');
    return;
  }
  const hangUp = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) hangUp.abort();
  });
  try {
    const out = await handler(sfn, input as Record<string, unknown>, hangUp.signal);
    send(res, 200, { 'Content-Type': CONTENT_TYPE }, awsJson(out));
  } catch (e) {
    if (e instanceof StepFunctionsError) return sfnError(res, 400, e.awsName, e.message);
    throw e;
  }
}
