import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import { approvalDecision, approvalMessage, createApprovalHandler, failApproval, InMemoryApprovalStore, sendApprovalDecision, type ApprovalRequest } from '../../../src/lambda/approval.js';
import type { Publisher, TaskCallbacks } from '../../../src/lambda/clients.js';

const REQUEST: ApprovalRequest = {
  taskToken: 'AAAA-token-1',
  executionArn: 'arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:mlops-census-1724940337',
  executionName: 'mlops-census-1724940337',
  requestedAt: '2026-01-01T00:00:00.000Z',
  timeoutSeconds: 3600,
  modelPackageGroup: 'census',
  modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/census/3',
  modelDataUrl: 's3://b/census/model/mlops-census-1724940337/output/model.tar.gz',
  metrics: { accuracy: 0.94, roc_auc: 0.9 },
  checks: [{ rule: 'accuracy >= 0.8', value: 0.94, passed: true }],
};

function fakeSns() {
  const published: PublishCommand['input'][] = [];
  const sns: Publisher = {
    async send(command: PublishCommand) {
      assert.ok(command instanceof PublishCommand);
      published.push(command.input);
      return { $metadata: {}, MessageId: 'msg-1' };
    },
  };
  return { sns, published };
}

test('the approval handler stores the pending approval and notifies with what to decide and how', async () => {
  const store = new InMemoryApprovalStore();
  const { sns, published } = fakeSns();
  const handler = createApprovalHandler({ store, sns, topicArn: 'arn:aws:sns:us-east-1:111111111111:approvals', log: () => {} });
  assert.deepEqual(await handler(REQUEST), { stored: true, notified: true, messageId: 'msg-1' });
  assert.deepEqual(store.pending.get(REQUEST.executionArn), { ...REQUEST, expiresAt: '2026-01-01T01:00:00.000Z' });
  assert.equal(published.length, 1);
  const m = published[0]!;
  assert.equal(m.TopicArn, 'arn:aws:sns:us-east-1:111111111111:approvals');
  assert.equal(m.Subject, 'Model approval needed: mlops-census-1724940337');
  assert.match(m.Message!, /Model version: {2}arn:aws:sagemaker:us-east-1:111111111111:model-package\/census\/3/);
  assert.match(m.Message!, / {2}accuracy: 0\.94\n/);
  assert.match(m.Message!, /\[pass\] accuracy >= 0\.8 \(got 0\.94\)/);
  assert.match(m.Message!, /Decide before: {2}2026-01-01T01:00:00\.000Z \(then it is rejected\)/);
  assert.match(m.Message!, /npx mlops-sfn approve mlops-census-1724940337 --comment/);
  assert.match(m.Message!, /aws stepfunctions send-task-success --task-token 'AAAA-token-1' --task-output '\{"decision":"Approved","approver":"<your name>","comment":"<comment>","decidedAt":"<now>"\}'/);
  assert.equal(m.MessageAttributes!['executionArn']!.StringValue, REQUEST.executionArn);
});

test('without a topic (local runs) the request is only stored; a malformed request is refused', async () => {
  const store = new InMemoryApprovalStore();
  const handler = createApprovalHandler({ store, log: () => {} });
  assert.deepEqual(await handler(REQUEST), { stored: true, notified: false });
  assert.equal(store.pending.size, 1);
  await assert.rejects(handler({ executionArn: 'x', executionName: 'y' }), /taskToken is missing/);
  await assert.rejects(handler('text'), /Invalid approval request/);
});

test('decisions are sent as the task output the state machine reads, or as a failure', async () => {
  const sent: unknown[] = [];
  const sfn: TaskCallbacks = {
    async send(command: SendTaskSuccessCommand | SendTaskFailureCommand) {
      sent.push(command);
      return { $metadata: {} };
    },
  } as TaskCallbacks;
  const decision = approvalDecision('Rejected', 'bob', undefined, new Date('2026-01-02T03:04:05Z'));
  assert.deepEqual(decision, { decision: 'Rejected', approver: 'bob', comment: null, decidedAt: '2026-01-02T03:04:05.000Z' });
  await sendApprovalDecision(sfn, 'tok', decision);
  await failApproval(sfn, 'tok2', 'Pipeline.ModelRejected', 'no');
  assert.ok(sent[0] instanceof SendTaskSuccessCommand);
  assert.deepEqual((sent[0] as SendTaskSuccessCommand).input, { taskToken: 'tok', output: JSON.stringify(decision) });
  assert.ok(sent[1] instanceof SendTaskFailureCommand);
  assert.deepEqual((sent[1] as SendTaskFailureCommand).input, { taskToken: 'tok2', error: 'Pipeline.ModelRejected', cause: 'no' });
});

test('SNS subjects stay within 100 ASCII characters', () => {
  const { subject } = approvalMessage({ ...REQUEST, executionName: 'é'.repeat(200) });
  assert.ok(subject.length <= 100 && /^[\x20-\x7e]+$/.test(subject));
});
