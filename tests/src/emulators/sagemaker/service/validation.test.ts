import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../../../src/core/json.js';
import { SageMakerError } from '../../../../../src/emulators/sagemaker/service/errors.js';
import { harness, processingRequest, trainingRequest, transformRequest, modelRequest } from '../../../../support/sagemaker-service.js';

function rejects(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SageMakerError, `expected a SageMakerError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

test('every broken constraint is reported in one ValidationException, in AWS wording and member order', async () => {
  const h = harness();
  const req = trainingRequest('bad_name');
  delete req['RoleArn'];
  rejects(
    () => h.sm.call('CreateTrainingJob', req),
    'ValidationException',
    "2 validation errors detected: Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; " +
      "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
  );
  await h.close();
});

test('nested members are named with list positions, as AWS names them', async () => {
  const h = harness();
  const req = processingRequest('p1');
  ((req['ProcessingInputs'] as JsonObject[])[0]!['S3Input'] as JsonObject)['S3DataType'] = 'Folder';
  ((req['ProcessingResources'] as JsonObject)['ClusterConfig'] as JsonObject)['InstanceCount'] = 0;
  rejects(
    () => h.sm.call('CreateProcessingJob', req),
    'ValidationException',
    "2 validation errors detected: Value 'Folder' at 'processingInputs.1.member.s3Input.s3DataType' failed to satisfy constraint: Member must satisfy enum value set: [ManifestFile, S3Prefix]; " +
      "Value '0' at 'processingResources.clusterConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await h.close();
});

test('map limits are reported for the whole map, like SageMaker does', async () => {
  const h = harness();
  const req = processingRequest('p1');
  req['Environment'] = { OK: 'x'.repeat(257) };
  rejects(
    () => h.sm.call('CreateProcessingJob', req),
    'ValidationException',
    `1 validation error detected: Value '{OK=${'x'.repeat(257)}}' at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256]`,
  );
  req['Environment'] = { '1BAD': 'x' };
  rejects(
    () => h.sm.call('CreateProcessingJob', req),
    'ValidationException',
    "1 validation error detected: Value '{1BAD=x}' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]",
  );
  await h.close();
});

test('hyperparameter values must be strings', async () => {
  const h = harness();
  const req = trainingRequest('t1');
  req['HyperParameters'] = { epochs: 10 };
  rejects(
    () => h.sm.call('CreateTrainingJob', req),
    'ValidationException',
    "1 validation error detected: Value '{epochs=10}' at 'hyperParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must be a string]",
  );
  await h.close();
});

test('processing LocalPaths must be under /opt/ml/processing/', async () => {
  const h = harness();
  const req = processingRequest('p1');
  ((req['ProcessingInputs'] as JsonObject[])[0]!['S3Input'] as JsonObject)['LocalPath'] = '/tmp/input';
  rejects(
    () => h.sm.call('CreateProcessingJob', req),
    'ValidationException',
    `ProcessingInput 'input' has LocalPath "/tmp/input"; a LocalPath must begin with /opt/ml/processing/.`,
  );
  const out = processingRequest('p2');
  (((out['ProcessingOutputConfig'] as JsonObject)['Outputs'] as JsonObject[])[0]!['S3Output'] as JsonObject)['LocalPath'] = '/opt/ml/processing/../../etc';
  assert.throws(() => h.sm.call('CreateProcessingJob', out), /ProcessingOutput 'train' has LocalPath/);
  await h.close();
});

test('explicit nulls are unset members: the seed requests are accepted and echo no nulls', async () => {
  const h = harness();
  h.sm.call('CreateProcessingJob', processingRequest('seed-prep'));
  h.sm.call('CreateTrainingJob', trainingRequest('seed-train'));
  h.sm.call('CreateModel', modelRequest('seed-model'));
  const p = h.sm.call('DescribeProcessingJob', { ProcessingJobName: 'seed-prep' });
  assert.equal('Environment' in p, false);
  assert.equal('NetworkConfig' in p, false);
  const t = h.sm.call('DescribeTrainingJob', { TrainingJobName: 'seed-train' });
  for (const k of ['HyperParameters', 'Environment', 'RetryStrategy', 'VpcConfig']) assert.equal(k in t, false, k);
  const m = h.sm.call('DescribeModel', { ModelName: 'seed-model' });
  assert.equal('Containers' in m, false);
  assert.equal(m['EnableNetworkIsolation'], false);
  await h.close();
});

test('unknown names are refused with each resource kind’s own message', async () => {
  const h = harness();
  rejects(() => h.sm.call('DescribeTrainingJob', { TrainingJobName: 'nope' }), 'ValidationException', 'Requested resource not found.');
  rejects(() => h.sm.call('DescribeModel', { ModelName: 'nope' }), 'ValidationException', 'Could not find model "arn:aws:sagemaker:us-east-1:111111111111:model/nope".');
  rejects(
    () => h.sm.call('DescribeEndpointConfig', { EndpointConfigName: 'Nope' }),
    'ValidationException',
    'Could not find endpoint configuration "arn:aws:sagemaker:us-east-1:111111111111:endpoint-config/nope".',
  );
  rejects(() => h.sm.call('DescribeEndpoint', { EndpointName: 'nope' }), 'ValidationException', 'Could not find endpoint "arn:aws:sagemaker:us-east-1:111111111111:endpoint/nope".');
  rejects(() => h.sm.call('StopTrainingJob', { TrainingJobName: 'nope' }), 'ResourceNotFound', 'Requested resource not found.');
  rejects(
    () => h.sm.call('CreateTransformJob', transformRequest('bt', 'no-model')),
    'ValidationException',
    'Could not find model "arn:aws:sagemaker:us-east-1:111111111111:model/no-model".',
  );
  rejects(() => h.sm.call('DescribeTrainingJob', {}), 'ValidationException', "1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null");
  await h.close();
});

test('names are unique per kind regardless of case, with SageMaker’s errors', async () => {
  const h = harness();
  h.sm.call('CreateTrainingJob', trainingRequest('Train-1'));
  rejects(
    () => h.sm.call('CreateTrainingJob', trainingRequest('train-1')),
    'ResourceInUse',
    'Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:111111111111:training-job/train-1)',
  );
  h.sm.call('CreateProcessingJob', processingRequest('train-1'));
  rejects(
    () => h.sm.call('CreateProcessingJob', processingRequest('TRAIN-1')),
    'ResourceInUse',
    'Processing job names must be unique within an AWS account and region, and a processing job with this name already exists (arn:aws:sagemaker:us-east-1:111111111111:processing-job/train-1)',
  );
  h.sm.call('CreateModel', modelRequest('m1'));
  rejects(() => h.sm.call('CreateModel', modelRequest('M1')), 'ValidationException', 'Cannot create already existing model "arn:aws:sagemaker:us-east-1:111111111111:model/m1".');
  await h.close();
});

test('transform limits: MaxConcurrentTransforms × MaxPayloadInMB ≤ 100', async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('m1'));
  const req = transformRequest('bt', 'm1');
  req['MaxConcurrentTransforms'] = 3;
  rejects(() => h.sm.call('CreateTransformJob', req), 'ValidationException', 'The value of MaxConcurrentTransforms multiplied by MaxPayloadInMB must not exceed 100 MB.');
  await h.close();
});

test('model and endpoint config checks: containers and variant models', async () => {
  const h = harness();
  const noContainer = modelRequest('m2');
  delete noContainer['PrimaryContainer'];
  rejects(() => h.sm.call('CreateModel', noContainer), 'ValidationException', 'Either PrimaryContainer or Containers must be specified.');
  rejects(
    () =>
      h.sm.call('CreateEndpointConfig', {
        EndpointConfigName: 'cfg',
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'ghost', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
      }),
    'ValidationException',
    'Could not find model "arn:aws:sagemaker:us-east-1:111111111111:model/ghost".',
  );
  rejects(
    () => h.sm.call('CreateEndpointConfig', { EndpointConfigName: 'cfg', ProductionVariants: [] }),
    'ValidationException',
    "1 validation error detected: Value '[]' at 'productionVariants' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  await h.close();
});

test('a MetricDefinitions regex the linear-time engine cannot run is refused before the job starts', async () => {
  const h = harness();
  const req = trainingRequest('t-metrics');
  (req['AlgorithmSpecification'] as JsonObject)['MetricDefinitions'] = [
    { Name: 'loss', Regex: 'loss=([0-9.]+)' },
    { Name: 'repeat', Regex: '(\\d+) \\1' },
  ];
  rejects(
    () => h.sm.call('CreateTrainingJob', req),
    'ValidationException',
    "Metric definition 'repeat' has a regular expression that cannot be used: (\\d+) \\1: the backreference \\1 at position 6 cannot run in linear time, so it would let a log line hang the job.",
  );
  assert.equal(h.runner.calls.length, 0);
  await h.close();
});

test("SageMaker's XGBoost image brings its own metric definitions: Describe shows them, and a request may not override them", async () => {
  const h = harness();
  const xgboost = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
  const req = trainingRequest('t-xgb');
  req['AlgorithmSpecification'] = { TrainingImage: xgboost, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'loss', Regex: 'loss=([0-9.]+)' }] };
  rejects(
    () => h.sm.call('CreateTrainingJob', req),
    'ValidationException',
    "You can't override the metric definitions for Amazon SageMaker algorithms. Please retry the request without specifying metric definitions.",
  );
  assert.equal(h.runner.calls.length, 0);
  req['AlgorithmSpecification'] = { TrainingImage: xgboost, TrainingInputMode: 'File' };
  h.sm.call('CreateTrainingJob', req);
  const d = h.sm.call('DescribeTrainingJob', { TrainingJobName: 't-xgb' }) as JsonObject;
  const defs = (d['AlgorithmSpecification'] as JsonObject)['MetricDefinitions'] as { Name: string; Regex: string }[];
  assert.equal(defs.length, 38);
  assert.deepEqual(
    defs.find((m) => m.Name === 'validation:auc'),
    { Name: 'validation:auc', Regex: '.*\\[[0-9]+\\].*#011validation-auc:([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*' },
  );
  // The scikit-learn image is a framework image: its jobs keep the request's definitions (none here).
  const sk = trainingRequest('t-sk');
  h.sm.call('CreateTrainingJob', sk);
  assert.equal(((h.sm.call('DescribeTrainingJob', { TrainingJobName: 't-sk' }) as JsonObject)['AlgorithmSpecification'] as JsonObject)['MetricDefinitions'], undefined);
  await h.close();
});
