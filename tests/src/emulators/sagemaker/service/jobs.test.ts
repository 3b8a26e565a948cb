import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../../../../src/core/json.js';
import { Store } from '../../../../../src/store/index.js';
import { harness, modelRequest, processingRequest, trainingRequest, transformRequest } from '../../../../support/sagemaker-service.js';

test('a processing job answers InProgress at once, runs in its own folder and log, and completes', { timeout: 120_000 }, async () => {
  const h = harness({ prep: { kind: 'complete', ms: 30, outcome: { exitMessage: 'all good' } } });
  const created = h.sm.call('CreateProcessingJob', processingRequest('prep'));
  assert.deepEqual(created, { ProcessingJobArn: 'arn:aws:sagemaker:us-east-1:111111111111:processing-job/prep' });
  const first = h.sm.call('DescribeProcessingJob', { ProcessingJobName: 'prep' });
  assert.equal(first['ProcessingJobStatus'], 'InProgress');
  assert.equal(typeof first['CreationTime'], 'number');
  const done = (await h.sm.waitFor('processing-job', 'prep'))!;
  assert.equal(done['ProcessingJobStatus'], 'Completed');
  assert.equal(done['ExitMessage'], 'all good');
  assert.ok((done['ProcessingEndTime'] as number) >= (done['ProcessingStartTime'] as number));
  // SageMaker's defaults are filled in.
  const input = (done['ProcessingInputs'] as JsonObject[])[0]!;
  assert.deepEqual(input['S3Input'], {
    S3Uri: 's3://sagemaker-sample-data-us-east-1/processing/census',
    LocalPath: '/opt/ml/processing/input',
    S3DataType: 'S3Prefix',
    S3InputMode: 'File',
    S3DataDistributionType: 'FullyReplicated',
    S3CompressionType: 'None',
  });
  assert.deepEqual(done['StoppingCondition'], { MaxRuntimeInSeconds: 3600 });
  // The runner got the request without nulls, a fresh work folder and the job's log file.
  const call = h.runner.calls[0]!;
  assert.equal(call.job.kind, 'processing');
  assert.equal('Environment' in call.job.request, false);
  assert.equal(call.ctx.workDir, join(h.home, 'sagemaker', 'jobs', 'prep'));
  assert.ok(existsSync(call.ctx.workDir));
  assert.equal(call.ctx.logFile, join(h.home, 'logs', 'prep.log'));
  assert.match(readFileSync(call.ctx.logFile, 'utf8'), /running processing job prep/);
  await h.close();
});

test('a failed training job records SageMaker’s status, reason and secondary statuses', { timeout: 120_000 }, async () => {
  const h = harness({ t1: { kind: 'fail', reason: 'AlgorithmError: , exit code: 1' } });
  h.sm.call('CreateTrainingJob', trainingRequest('t1'));
  const d = (await h.sm.waitFor('training-job', 't1'))!;
  assert.equal(d['TrainingJobStatus'], 'Failed');
  assert.equal(d['SecondaryStatus'], 'Failed');
  assert.equal(d['FailureReason'], 'AlgorithmError: , exit code: 1');
  assert.deepEqual((d['SecondaryStatusTransitions'] as JsonObject[]).map((t) => t['Status']), ['Starting', 'Downloading', 'Training', 'Failed']);
  assert.deepEqual(d['ModelArtifacts'], { S3ModelArtifacts: 's3://mlops-bucket/demo/model/t1/output/model.tar.gz' });
  assert.deepEqual(d['OutputDataConfig'], { KmsKeyId: '', S3OutputPath: 's3://mlops-bucket/demo/model/', CompressionType: 'GZIP' });
  assert.equal(d['EnableManagedSpotTraining'], false);
  await h.close();
});

test('a completed training job reports artifacts, metrics and billable time', { timeout: 120_000 }, async () => {
  const h = harness({ t2: { kind: 'complete', outcome: { finalMetricDataList: [{ MetricName: 'train:loss', Value: 0.25, Timestamp: 1 }] } } });
  h.sm.call('CreateTrainingJob', trainingRequest('t2'));
  const d = (await h.sm.waitFor('training-job', 't2'))!;
  assert.equal(d['TrainingJobStatus'], 'Completed');
  assert.equal(d['SecondaryStatus'], 'Completed');
  assert.deepEqual(d['FinalMetricDataList'], [{ MetricName: 'train:loss', Value: 0.25, Timestamp: 1 }]);
  assert.deepEqual((d['SecondaryStatusTransitions'] as JsonObject[]).map((t) => t['Status']), ['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);
  assert.equal(d['TrainingTimeInSeconds'], 1);
  assert.equal('FailureReason' in d, false);
  await h.close();
});

test('StopTrainingJob stops a running job; stopping it again is refused', { timeout: 120_000 }, async () => {
  const h = harness({ long: { kind: 'hang' } });
  h.sm.call('CreateTrainingJob', trainingRequest('long'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(h.sm.call('StopTrainingJob', { TrainingJobName: 'long' }), {});
  assert.equal(h.sm.call('DescribeTrainingJob', { TrainingJobName: 'long' })['TrainingJobStatus'], 'Stopping');
  const d = (await h.sm.waitFor('training-job', 'long'))!;
  assert.equal(d['TrainingJobStatus'], 'Stopped');
  assert.equal(d['SecondaryStatus'], 'Stopped');
  assert.throws(
    () => h.sm.call('StopTrainingJob', { TrainingJobName: 'long' }),
    (e: Error) => e.name === 'ValidationException' && e.message === 'The request was rejected because the training job is in status Stopped.',
  );
  await h.close();
});

test('MaxRuntimeInSeconds stops the job: Stopped with SecondaryStatus MaxRuntimeExceeded', { timeout: 120_000 }, async () => {
  const h = harness({ slow: { kind: 'hang' } });
  const req = trainingRequest('slow');
  req['StoppingCondition'] = { MaxRuntimeInSeconds: 1 };
  h.sm.call('CreateTrainingJob', req);
  const d = (await h.sm.waitFor('training-job', 'slow'))!;
  assert.equal(d['TrainingJobStatus'], 'Stopped');
  assert.equal(d['SecondaryStatus'], 'MaxRuntimeExceeded');
  await h.close();
});

test('a runner that throws fails the job with an internal error instead of losing it', { timeout: 120_000 }, async () => {
  const h = harness({ bug: { kind: 'throw', message: 'runner bug' } });
  h.sm.call('CreateProcessingJob', processingRequest('bug'));
  const d = (await h.sm.waitFor('processing-job', 'bug'))!;
  assert.equal(d['ProcessingJobStatus'], 'Failed');
  assert.equal(d['FailureReason'], 'InternalServerError: runner bug');
  await h.close();
});

test('a transform job runs through Hosting with its model', { timeout: 120_000 }, async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('m1'));
  assert.deepEqual(h.sm.call('CreateTransformJob', transformRequest('bt-1', 'm1')), { TransformJobArn: 'arn:aws:sagemaker:us-east-1:111111111111:transform-job/bt-1' });
  const d = (await h.sm.waitFor('transform-job', 'bt-1'))!;
  assert.equal(d['TransformJobStatus'], 'Completed');
  assert.deepEqual(d['DataProcessing'], { InputFilter: '$', OutputFilter: '$', JoinSource: 'None' });
  assert.deepEqual(h.hosting.transforms, ['bt-1']);
  await h.close();
});

test('List*Jobs filter, sort and page like SageMaker', { timeout: 120_000 }, async () => {
  let t = 1_000;
  const h = harness({}, { now: () => (t += 1000) });
  const sm = h.sm;
  for (const n of ['job-b', 'job-a', 'other-c']) sm.call('CreateTrainingJob', trainingRequest(n));
  await Promise.all(['job-b', 'job-a', 'other-c'].map((n) => sm.waitFor('training-job', n)));
  const names = (r: JsonObject) => (r['TrainingJobSummaries'] as JsonObject[]).map((s) => s['TrainingJobName']);
  assert.deepEqual(names(sm.call('ListTrainingJobs', {})), ['job-b', 'job-a', 'other-c']);
  assert.deepEqual(names(sm.call('ListTrainingJobs', { SortBy: 'Name', SortOrder: 'Descending' })), ['other-c', 'job-b', 'job-a']);
  assert.deepEqual(names(sm.call('ListTrainingJobs', { NameContains: 'JOB' })), ['job-b', 'job-a']);
  const page1 = sm.call('ListTrainingJobs', { MaxResults: 2 });
  assert.deepEqual(names(page1), ['job-b', 'job-a']);
  assert.equal(typeof page1['NextToken'], 'string');
  const page2 = sm.call('ListTrainingJobs', { MaxResults: 2, NextToken: page1['NextToken']! });
  assert.deepEqual(names(page2), ['other-c']);
  assert.equal('NextToken' in page2, false);
  assert.deepEqual(names(sm.call('ListTrainingJobs', { StatusEquals: 'Failed' })), []);
  const summary = (sm.call('ListTrainingJobs', { MaxResults: 1 })['TrainingJobSummaries'] as JsonObject[])[0]!;
  assert.deepEqual(Object.keys(summary), ['TrainingJobName', 'TrainingJobArn', 'CreationTime', 'TrainingEndTime', 'LastModifiedTime', 'TrainingJobStatus', 'SecondaryStatus']);
  assert.throws(() => sm.call('ListTrainingJobs', { MaxResults: 101 }), /Member must have value less than or equal to 100/);
  await h.close();
});

test('records survive a restart: a new service over the same state.db describes old jobs', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sm-disk-'));
  const first = harness({}, { store: Store.open(home) });
  first.sm.call('CreateProcessingJob', processingRequest('persist'));
  await first.sm.waitFor('processing-job', 'persist');
  await first.close();
  const second = harness({}, { store: Store.open(home) });
  assert.equal(second.sm.call('DescribeProcessingJob', { ProcessingJobName: 'PERSIST' })['ProcessingJobStatus'], 'Completed');
  await second.close();
  rmSync(home, { recursive: true, force: true });
});
