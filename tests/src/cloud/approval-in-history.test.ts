/**
 * The approval lookup `approve --cloud` relies on, read from histories our engine records while it
 * runs the real pipeline definition over the local SageMaker and S3 (jobs and model servers played by
 * test doubles, the approval step by the real approval Lambda): waiting, decided, timed out, and no
 * approval at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExecutionResult } from '../../../src/asl/execution.js';
import type { HistoryEvent } from '../../../src/asl/history.js';
import type { JsonObject } from '../../../src/core/json.js';
import { approvalDecision, type PendingApproval } from '../../../src/lambda/index.js';
import { approvalState, describeDecision, taskTokenIn } from '../../../src/cloud/approval-in-history.js';
import { censusForScriptedRuns, LocalPipeline } from '../../support/local-pipeline.js';

const DEPLOYMENT = {
  bucket: 'mlops-bucket',
  modelName: 'census',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  roleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  region: 'us-east-1',
};
const CENSUS = censusForScriptedRuns();
const MANUAL = CENSUS.replace(/^approval:\n(?: .*\n|\n)*/m, 'approval:\n  mode: manual\n  timeout_hours: 2\n');

interface Recorded {
  result: ExecutionResult;
  /** The history as it stood when the approval Lambda was called (the execution waiting). */
  whileWaiting: HistoryEvent[];
  pending?: PendingApproval;
}

async function record(yaml: string, answer?: JsonObject): Promise<Recorded> {
  const local = new LocalPipeline({ deployment: DEPLOYMENT });
  const events: HistoryEvent[] = [];
  let whileWaiting: HistoryEvent[] = [];
  try {
    const run = await local.run(yaml, {
      onEvent: (e) => events.push(e),
      decide: () => {
        whileWaiting = events.map((e) => ({ ...e }));
        return answer;
      },
    });
    return { result: run.result, whileWaiting, ...(run.pending[0] ? { pending: run.pending[0] } : {}) };
  } finally {
    await local.close();
  }
}

test('an execution waiting for a person: the token the approval Lambda received, from the RequestManualApproval task', { timeout: 60_000 }, async () => {
  const { whileWaiting, pending } = await record(MANUAL, approvalDecision('Approved', 'alice', 'fine', new Date('2026-01-01T00:00:00Z')));
  assert.ok(pending);
  const s = approvalState(whileWaiting);
  assert.equal(s.state, 'waiting');
  if (s.state !== 'waiting') return;
  assert.equal(s.taskToken, pending.taskToken);
  assert.equal(s.stateName, 'RequestManualApproval');
  assert.equal(s.timeoutSeconds, 7200);
  assert.equal(s.request?.['executionName'], pending.executionName);
  assert.deepEqual(s.request?.['metrics'], { accuracy: 0.91, roc_auc: 0.88 });
  // GetExecutionHistory with reverseOrder gives the same answer.
  assert.deepEqual(approvalState([...whileWaiting].reverse()), s);
});

test('after the decision the task is closed by TaskSucceeded with the decision as its output', { timeout: 60_000 }, async () => {
  const { result } = await record(MANUAL, approvalDecision('Rejected', 'bob', 'too slow', new Date('2026-01-01T00:00:00Z')));
  assert.equal(result.error, 'Pipeline.ModelRejected');
  const s = approvalState(result.history);
  assert.equal(s.state, 'decided');
  if (s.state !== 'decided') return;
  assert.equal(s.stateName, 'RequestManualApproval');
  assert.deepEqual(s.output, { decision: 'Rejected', approver: 'bob', comment: 'too slow', decidedAt: '2026-01-01T00:00:00.000Z' });
  assert.equal(describeDecision(s.output), 'rejected by bob at 2026-01-01T00:00:00.000Z: too slow');
});

test('nobody answering within the timeout closes the task with TaskTimedOut', { timeout: 60_000 }, async () => {
  const { result } = await record(MANUAL);
  assert.equal(result.cause, 'Nobody approved or rejected the model within 2 hours');
  const s = approvalState(result.history);
  assert.equal(s.state, 'timedOut');
  if (s.state !== 'timedOut') return;
  assert.equal(s.at - s.scheduledAt, 7_200_000, 'the task timed out after its TimeoutSeconds');
});

test('an automatic approval schedules no callback task: nothing to decide', { timeout: 60_000 }, async () => {
  const { result, pending } = await record(CENSUS);
  assert.equal(result.status, 'SUCCEEDED');
  assert.equal(pending, undefined);
  assert.deepEqual(approvalState(result.history), { state: 'none' });
  assert.ok(result.history.some((e) => e.type === 'TaskScheduled'), 'the run has other tasks, just no callback task');
});

test('a task token is found in a Payload object, a JSON string body, or top level', () => {
  assert.equal(taskTokenIn({ FunctionName: 'f', Payload: { taskToken: 'a' } })?.token, 'a');
  assert.equal(taskTokenIn({ QueueUrl: 'q', MessageBody: '{"TaskToken":"b","x":1}' })?.token, 'b');
  assert.equal(taskTokenIn({ TaskToken: 'c' })?.token, 'c');
  assert.equal(taskTokenIn({ Payload: { other: 'x' } }), undefined);
});
