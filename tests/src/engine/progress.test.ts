import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEvent } from '../../../src/asl/history.js';
import { progressPrinter } from '../../../src/engine/progress.js';

let id = 0;
const ev = (type: string, at: number, details: Record<string, unknown> = {}): HistoryEvent => ({ id: ++id, previousEventId: id - 1, timestamp: at, type, ...details });
const entered = (type: string, name: string, at: number) => ev(type, at, { stateEnteredEventDetails: { name } });
const exited = (type: string, name: string, at: number) => ev(type, at, { stateExitedEventDetails: { name } });
const failed = (at: number, error: string, cause: string) => ev('TaskFailed', at, { taskFailedEventDetails: { resourceType: 'sagemaker', resource: 'createTrainingJob.sync', error, cause } });

function print(events: HistoryEvent[], explain?: (state: string) => string | undefined): string[] {
  const lines: string[] = [];
  const p = progressPrinter((l) => lines.push(l), 0, { elapsed: 'events', quietUnderMs: 200, ends: 'failure', ...(explain ? { explainFailure: (f) => explain(f.state) } : {}) });
  for (const e of events) p(e);
  return lines;
}

test('a stage whose task failed and was caught is reported failed, with the job\'s FailureReason and the explanation, not done', () => {
  const cause = JSON.stringify({ TrainingJobName: 'job-1', FailureReason: 'AlgorithmError: , exit code: 1', ModelArtifacts: {} });
  const lines = print(
    [
      entered('TaskStateEntered', 'Training', 1000),
      ev('TaskScheduled', 1000),
      failed(5000, 'States.TaskFailed', cause),
      exited('TaskStateExited', 'Training', 5000),
      entered('FailStateEntered', 'PipelineFailed', 5000),
      ev('ExecutionFailed', 5000, { executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'Stage training failed' } }),
    ],
    () => 'ValueError: bad C (mlops-sfn logs job-1)',
  );
  assert.deepEqual(lines, [
    '[00:01.0] Training ...',
    '[00:05.0] Training failed after 00:04.0: States.TaskFailed: AlgorithmError: , exit code: 1 — ValueError: bad C (mlops-sfn logs job-1)',
    '[00:05.0] execution failed',
  ]);
});

test('a failed attempt that a retry overcomes ends "done"; a quick caught lookup miss is not news when the run goes on', () => {
  const lines = print([
    entered('TaskStateEntered', 'Training', 0),
    ev('TaskScheduled', 0),
    failed(1000, 'ThrottlingException', 'slow down'),
    ev('TaskScheduled', 2000),
    ev('TaskSucceeded', 4000),
    exited('TaskStateExited', 'Training', 4000),
    entered('TaskStateEntered', 'FindEndpoint', 4000),
    failed(4010, 'SageMaker.AmazonSageMakerException', 'Could not find endpoint'),
    exited('TaskStateExited', 'FindEndpoint', 4010),
    entered('TaskStateEntered', 'CreateEndpoint', 4000),
    ev('TaskSucceeded', 4500),
    exited('TaskStateExited', 'CreateEndpoint', 4500),
    ev('ExecutionSucceeded', 4500),
  ]);
  assert.deepEqual(lines, ['[00:00.0] Training ...', '[00:04.0] Training done in 00:04.0', '[00:04.0] FindEndpoint ...', '[00:04.0] CreateEndpoint ...', '[00:04.5] CreateEndpoint done in 00:00.5']);
});

test('a failure nobody catches is reported when the execution ends', () => {
  const lines = print([
    entered('TaskStateEntered', 'Evaluation', 0),
    ev('TaskScheduled', 0),
    ev('TaskTimedOut', 3000, { taskTimedOutEventDetails: { error: 'States.Timeout', cause: '' } }),
    ev('ExecutionFailed', 3000, { executionFailedEventDetails: { error: 'States.Timeout' } }),
  ]);
  assert.deepEqual(lines, ['[00:00.0] Evaluation ...', '[00:03.0] Evaluation failed after 00:03.0: States.Timeout', '[00:03.0] execution failed']);
});

test('a reused stage says from which execution, a stage that runs says why, and the cache and failure steps are not shown as work', () => {
  const checked = (at: number, payload: Record<string, unknown>) => ev('TaskSucceeded', at, { taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: JSON.stringify({ Payload: payload, StatusCode: 200 }) } });
  const lines = print([
    entered('TaskStateEntered', 'CheckPreprocessingCache', 0),
    ev('TaskScheduled', 0),
    checked(300, { hit: true, reason: 'reused (from mlops-census-1)' }),
    exited('TaskStateExited', 'CheckPreprocessingCache', 300),
    entered('TaskStateEntered', 'CheckEvaluationCache', 300),
    checked(600, { hit: false, reason: 'code changed: evaluation.py' }),
    exited('TaskStateExited', 'CheckEvaluationCache', 600),
    entered('TaskStateEntered', 'Evaluation', 600),
    ev('TaskSucceeded', 3000),
    exited('TaskStateExited', 'Evaluation', 3000),
    entered('TaskStateEntered', 'RecordEvaluation', 3000),
    ev('TaskSucceeded', 3500),
    exited('TaskStateExited', 'RecordEvaluation', 3500),
    entered('TaskStateEntered', 'CheckBatchTransformCache', 3500),
    checked(3600, { hit: true, reason: 'reused (from mlops-census-1)', warning: 'batchTransform: run --from x reuses the output of mlops-census-1 although code changed: a.py' }),
    exited('TaskStateExited', 'CheckBatchTransformCache', 3600),
    entered('TaskStateEntered', 'PipelineFailed', 3600),
    ev('TaskFailed', 3700, { taskFailedEventDetails: { error: 'States.TaskFailed', cause: '{"errorMessage":"Stage x failed"}' } }),
    ev('ExecutionFailed', 3700, { executionFailedEventDetails: { error: 'States.TaskFailed', cause: '{"errorMessage":"Stage x failed"}' } }),
  ]);
  assert.deepEqual(lines, [
    '[00:00.3] Preprocessing reused (from mlops-census-1)',
    '[00:00.6] Evaluation ... (ran: code changed: evaluation.py)',
    '[00:03.0] Evaluation done in 00:02.4',
    '[00:03.6] warning: batchTransform: run --from x reuses the output of mlops-census-1 although code changed: a.py',
    '[00:03.6] BatchTransform reused (from mlops-census-1)',
    '[00:03.7] execution failed',
  ]);
});
