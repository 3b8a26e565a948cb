import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealClock, VirtualClock } from '../../../src/core/clock.js';
import type { Json, JsonObject } from '../../../src/core/json.js';
import { runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import { IntegrationRegistry } from '../../../src/integrations/registry.js';
import { SageMakerIntegration, SageMakerSdkIntegration } from '../../../src/integrations/sagemaker.js';
import { harness, modelRequest, trainingRequest, type Harness } from '../../support/sagemaker-service.js';
import type { FakeBehaviour } from '../../support/sagemaker-doubles.js';

function tasks(h: Harness, clock?: VirtualClock): IntegrationRegistry {
  return new IntegrationRegistry().add(new SageMakerIntegration(h.sm, clock ? { clock } : {})).add(new SageMakerSdkIntegration(h.sm));
}

function task(resource: string, parameters: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: 'Task', States: { Task: { Type: 'Task', Resource: resource, Parameters: parameters, End: true, ...extra } } };
}

/** The seed's training state: every member comes from the input (nulls included), the name from $$. */
const SEED_TRAINING = task('arn:aws:states:::sagemaker:createTrainingJob.sync', {
  'AlgorithmSpecification.$': '$.training.input.AlgorithmSpecification',
  'HyperParameters.$': '$.training.input.HyperParameters',
  'InputDataConfig.$': '$.training.input.InputDataConfig',
  'OutputDataConfig.$': '$.training.input.OutputDataConfig',
  'ResourceConfig.$': '$.training.input.ResourceConfig',
  'RoleArn.$': '$.training.input.RoleArn',
  'Environment.$': '$.training.input.Environment',
  'StoppingCondition.$': '$.training.input.StoppingCondition',
  'Tags.$': '$.training.input.Tags',
  'RetryStrategy.$': '$.training.input.RetryStrategy',
  'VpcConfig.$': '$.training.input.VpcConfig',
  'TrainingJobName.$': '$$.Execution.Name',
});

async function run(h: Harness, definition: JsonObject, input: Json, name = 'exec-1', opts: { clock?: VirtualClock; signal?: AbortSignal } = {}) {
  return runExecution(loadStateMachine(definition), input, {
    tasks: tasks(h, opts.clock),
    clock: opts.clock ?? new RealClock(),
    name,
    stateMachineName: 'mlops',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

function seedInput(name: string): JsonObject {
  const req = trainingRequest(name);
  delete req['TrainingJobName'];
  return { training: { run: true, input: req } };
}

test('.sync returns the Describe response with epoch-ms times and the Tags map Step Functions adds', async () => {
  const h = harness();
  const r = await run(h, SEED_TRAINING, seedInput('x'), 'mlops-demo-1');
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const out = r.output as JsonObject;
  assert.equal(out['TrainingJobName'], 'mlops-demo-1');
  assert.equal(out['TrainingJobStatus'], 'Completed');
  assert.equal(typeof out['CreationTime'], 'number');
  assert.equal(typeof out['TrainingEndTime'], 'number');
  assert.deepEqual(out['ModelArtifacts'], { S3ModelArtifacts: 's3://mlops-bucket/demo/model/mlops-demo-1/output/model.tar.gz' });
  assert.deepEqual(out['Tags'], {
    APP_ID: 'aiops',
    MANAGED_BY_AWS: 'STARTED_BY_STEP_FUNCTIONS',
    AWS_STEP_FUNCTIONS_EXECUTION_ARN: 'arn:aws:states:us-east-1:111111111111:execution:mlops:mlops-demo-1',
  });
  for (const k of ['HyperParameters', 'Environment', 'RetryStrategy', 'VpcConfig']) assert.equal(k in out, false, k);
  // The runner got the request with the nulls removed.
  assert.equal('HyperParameters' in h.runner.calls[0]!.job.request, false);
  await h.close();
});

test('request-response returns the Create response only', async () => {
  const h = harness();
  const params = { ...trainingRequest('rr-1') };
  const r = await run(h, task('arn:aws:states:::sagemaker:createTrainingJob', params), {});
  assert.deepEqual(r.output, { TrainingJobArn: 'arn:aws:sagemaker:us-east-1:111111111111:training-job/rr-1' });
  const m = await run(h, task('arn:aws:states:::sagemaker:createModel', modelRequest('Model-1')), {}, 'exec-2');
  assert.deepEqual(m.output, { ModelArn: 'arn:aws:sagemaker:us-east-1:111111111111:model/model-1' });
  await h.close();
});

test('a failed .sync job fails the task with States.TaskFailed and the Describe response as cause', async () => {
  const behaviours: Record<string, FakeBehaviour> = { 'exec-f': { kind: 'fail', reason: 'AlgorithmError: , exit code: 1' } };
  const h = harness(behaviours);
  const r = await run(h, SEED_TRAINING, seedInput('x'), 'exec-f');
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.TaskFailed');
  const cause = JSON.parse(r.cause!) as JsonObject;
  assert.equal(cause['TrainingJobStatus'], 'Failed');
  assert.equal(cause['FailureReason'], 'AlgorithmError: , exit code: 1');
  assert.equal((cause['Tags'] as JsonObject)['MANAGED_BY_AWS'], 'STARTED_BY_STEP_FUNCTIONS');
  const failed = r.history.find((e) => e.type === 'TaskFailed') as unknown as { taskFailedEventDetails: JsonObject };
  assert.equal(failed.taskFailedEventDetails['resourceType'], 'sagemaker');
  assert.equal(failed.taskFailedEventDetails['resource'], 'createTrainingJob.sync');
  await h.close();
});

test('a reused job name fails with SageMaker.ResourceInUseException and the Java SDK cause text', async () => {
  const h = harness();
  h.sm.call('CreateTrainingJob', trainingRequest('exec-dup'));
  const r = await run(h, SEED_TRAINING, seedInput('x'), 'exec-dup');
  assert.equal(r.error, 'SageMaker.ResourceInUseException');
  assert.match(
    r.cause!,
    /^Training job names must be unique within an AWS account and region, and a training job with this name already exists \(arn:aws:sagemaker:us-east-1:111111111111:training-job\/exec-dup\) \(Service: AmazonSageMaker; Status Code: 400; Error Code: ResourceInUse; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
  );
  await h.close();
});

test('SageMaker validation errors are SageMaker.AmazonSageMakerException, and Retry/Catch see them', async () => {
  const h = harness();
  const params = { ...trainingRequest('bad_name') };
  const clean: JsonObject = {
    StartAt: 'Task',
    States: {
      Task: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTrainingJob',
        Parameters: params,
        Catch: [{ ErrorEquals: ['SageMaker.AmazonSageMakerException'], ResultPath: '$.error', Next: 'Caught' }],
        Next: 'Caught',
      },
      Caught: { Type: 'Pass', End: true },
    },
  };
  const r = await run(h, clean, {});
  assert.equal(r.status, 'SUCCEEDED');
  const err = (r.output as JsonObject)['error'] as JsonObject;
  assert.equal(err['Error'], 'SageMaker.AmazonSageMakerException');
  assert.match(err['Cause'] as string, /^1 validation error detected: Value 'bad_name' at 'trainingJobName' .* \(Service: AmazonSageMaker; Status Code: 400; Error Code: ValidationException; /);
  await h.close();
});

test('fields Step Functions does not know, or of the wrong type, fail with States.Runtime before any call', async () => {
  const h = harness();
  const params = { ...trainingRequest('t-unknown'), S3Operations: {} };
  const r = await run(h, task('arn:aws:states:::sagemaker:createTrainingJob', params, { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Task' }] }), {});
  assert.equal(r.error, 'States.Runtime');
  assert.match(r.cause!, /^An error occurred while executing the state 'Task' \(entered at the event id #2\)\. The Parameters '\{.*\}' could not be used to start the Task: \[The field "S3Operations" is not supported by Step Functions\]$/);
  const typed = { ...trainingRequest('t-typed'), HyperParameters: { epochs: 10 } };
  const r2 = await run(h, task('arn:aws:states:::sagemaker:createTrainingJob', typed), {}, 'exec-2');
  assert.equal(r2.error, 'States.Runtime');
  assert.match(r2.cause!, /\[The value for the field 'epochs' must be a STRING\]$/);
  assert.equal(h.runner.calls.length, 0);
  await h.close();
});

test('patterns Step Functions does not offer for an action are not run', async () => {
  const h = harness();
  const reg = tasks(h);
  assert.equal(reg.isEmulated('arn:aws:states:::sagemaker:createModel.sync'), false);
  assert.equal(reg.isEmulated('arn:aws:states:::sagemaker:createEndpoint.sync'), false);
  assert.equal(reg.isEmulated('arn:aws:states:::sagemaker:createTrainingJob.waitForTaskToken'), false);
  assert.equal(reg.isEmulated('arn:aws:states:::sagemaker:createTransformJob.sync'), true);
  assert.equal(reg.isEmulated('arn:aws:states:::aws-sdk:sagemaker:describeEndpoint'), true);
  assert.equal(reg.isEmulated('arn:aws:states:::aws-sdk:sagemaker:createHyperParameterTuningJob'), false);
  await h.close();
});

test('stopping the execution stops the job it waits on', async () => {
  const h = harness({ 'exec-stop': { kind: 'hang' } });
  const controller = new AbortController();
  const p = run(h, SEED_TRAINING, seedInput('x'), 'exec-stop', { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 50));
  controller.abort({ error: 'Stopped', cause: 'by test' });
  const r = await p;
  assert.equal(r.status, 'ABORTED');
  const d = (await h.sm.waitFor('training-job', 'exec-stop'))!;
  assert.equal(d['TrainingJobStatus'], 'Stopped');
  await h.close();
});

test('under virtual time a .sync job is waited for in real time, so TimeoutSeconds keeps its meaning', async () => {
  const h = harness({ 'exec-v': { kind: 'complete', ms: 60 } });
  const clock = new VirtualClock();
  const r = await run(h, { ...SEED_TRAINING, States: { Task: { ...((SEED_TRAINING['States'] as JsonObject)['Task'] as JsonObject), TimeoutSeconds: 5 } } }, seedInput('x'), 'exec-v', { clock });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  await h.close();
});

test('TimeoutSeconds ends the task with States.Timeout and stops the job', async () => {
  const h = harness({ 'exec-t': { kind: 'hang' } });
  const def = { ...SEED_TRAINING, States: { Task: { ...((SEED_TRAINING['States'] as JsonObject)['Task'] as JsonObject), TimeoutSeconds: 1 } } };
  const r = await run(h, def, seedInput('x'), 'exec-t');
  assert.equal(r.error, 'States.Timeout');
  const d = (await h.sm.waitFor('training-job', 'exec-t'))!;
  assert.equal(d['TrainingJobStatus'], 'Stopped');
  await h.close();
});

test('aws-sdk:sagemaker calls return the SDK shape with Instant timestamps and SDK v2 error names', async () => {
  const h = harness();
  const registry = {
    StartAt: 'Group',
    States: {
      Group: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModelPackageGroup', Parameters: { ModelPackageGroupName: 'census' }, ResultPath: '$.group', Next: 'Package' },
      Package: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModelPackage',
        Parameters: {
          ModelPackageGroupName: 'census',
          InferenceSpecification: { Containers: [{ Image: 'img', ModelDataUrl: 's3://b/m.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
          CustomerMetadataProperties: { accuracy: '0.9' },
        },
        ResultPath: '$.package',
        Next: 'Approve',
      },
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:updateModelPackage',
        Parameters: { 'ModelPackageArn.$': '$.package.ModelPackageArn', ModelApprovalStatus: 'Approved' },
        ResultPath: null,
        Next: 'Describe',
      },
      Describe: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeModelPackage', Parameters: { 'ModelPackageName.$': '$.package.ModelPackageArn' }, ResultPath: '$.described', Next: 'Missing' },
      Missing: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeTrainingJob',
        Parameters: { TrainingJobName: 'nope' },
        Catch: [{ ErrorEquals: ['SageMaker.SageMakerException'], ResultPath: '$.missing', Next: 'Done' }],
        End: true,
      },
      Done: { Type: 'Pass', End: true },
    },
  };
  const r = await run(h, registry, {});
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const out = r.output as JsonObject;
  assert.deepEqual(out['package'], { ModelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/census/1' });
  const d = out['described'] as JsonObject;
  assert.equal(d['ModelApprovalStatus'], 'Approved');
  assert.equal(d['ModelPackageVersion'], 1);
  assert.match(d['CreationTime'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  const missing = out['missing'] as JsonObject;
  assert.match(missing['Cause'] as string, /^Requested resource not found\. \(Service: SageMaker, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
  await h.close();
});

test('a deployment: createModel, createEndpointConfig, createEndpoint, then a describeEndpoint wait loop', async () => {
  const h = harness();
  const def: JsonObject = {
    StartAt: 'Model',
    States: {
      Model: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createModel', Parameters: modelRequest('m-1'), ResultPath: null, Next: 'Config' },
      Config: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createEndpointConfig',
        Parameters: { EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm-1', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] },
        ResultPath: null,
        Next: 'Endpoint',
      },
      Endpoint: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createEndpoint', Parameters: { EndpointName: 'ep-1', EndpointConfigName: 'cfg-1' }, ResultPath: '$.created', Next: 'Describe' },
      Describe: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeEndpoint', Parameters: { EndpointName: 'ep-1' }, ResultPath: '$.endpoint', Next: 'Ready?' },
      'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.endpoint.EndpointStatus', StringEquals: 'Creating', Next: 'Wait' }], Default: 'Done' },
      Wait: { Type: 'Wait', Seconds: 1, Next: 'Describe' },
      Done: { Type: 'Pass', End: true },
    },
  };
  const r = await run(h, def, {}, 'exec-ep', { clock: new VirtualClock() });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const out = r.output as JsonObject;
  assert.deepEqual(out['created'], { EndpointArn: 'arn:aws:sagemaker:us-east-1:111111111111:endpoint/ep-1' });
  assert.equal((out['endpoint'] as JsonObject)['EndpointStatus'], 'InService');
  assert.equal(await (await fetch(`${h.sm.endpointUrl('ep-1')}/invocations`, { method: 'POST', body: '1' })).text(), 'm-1');
  await h.close();
});
