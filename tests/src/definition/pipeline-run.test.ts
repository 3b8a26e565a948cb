/**
 * The rendered definition run on the real engine over the real local SageMaker service and S3, with
 * jobs and model servers played by test doubles and the approval step by the real approval Lambda
 * (tests/support/local-pipeline.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentValues } from '../../../src/config/index.js';
import type { JsonObject } from '../../../src/core/json.js';
import { readRunSummary, stageJobs } from '../../../src/definition/index.js';
import { approvalDecision, readableCause } from '../../../src/lambda/index.js';
import { callsTo, censusForScriptedRuns, LocalPipeline, scheduledTasks, type LocalPipelineOptions } from '../../support/local-pipeline.js';

const DEPLOYMENT: DeploymentValues = {
  bucket: 'mlops-local',
  modelName: 'census',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  roleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  region: 'us-east-1',
};
const CENSUS = censusForScriptedRuns();
const ACCOUNT_ARN = 'arn:aws:sagemaker:us-east-1:111111111111';

/** A fresh local home for one test, closed after it. */
async function withPipeline(fn: (local: LocalPipeline) => Promise<void>, opts: Partial<LocalPipelineOptions> = {}): Promise<void> {
  const local = new LocalPipeline({ deployment: DEPLOYMENT, ...opts });
  try {
    await fn(local);
  } finally {
    await local.close();
  }
}

/** The SageMaker and S3 calls of a run (the cache and stage-failure Lambdas are checked apart). */
const actions = (r: { result: { history: Parameters<typeof scheduledTasks>[0] } }) =>
  scheduledTasks(r.result.history)
    .map((t) => t.action)
    .filter((a) => a !== 'lambda:invoke');

const withApproval = (yaml: string, approval: string) => yaml.replace(/^approval:\n(?: .*\n|\n)*/m, `approval:\n${approval}\n`);

test('the census pipeline runs every stage, passing outputs between them through the state', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const run = await local.run(CENSUS);
    const { result, name } = run;
    const history = result.history;
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(actions(run), [
      'sagemaker:createProcessingJob.sync',
      'sagemaker:createTrainingJob.sync',
      'sagemaker:createProcessingJob.sync',
      'aws-sdk:s3:getObject',
      'aws-sdk:sagemaker:createModelPackageGroup',
      'aws-sdk:sagemaker:createModelPackage',
      'aws-sdk:sagemaker:updateModelPackage',
      'sagemaker:createModel',
      'sagemaker:createEndpointConfig',
      'aws-sdk:sagemaker:describeEndpoint',
      'sagemaker:createEndpoint',
      'aws-sdk:sagemaker:describeEndpoint',
      'sagemaker:createTransformJob.sync',
    ]);
    const artifact = `s3://mlops-local/census/model/${name}/output/model.tar.gz`;
    const [preprocessing, evaluation] = callsTo(history, 'createProcessingJob.sync') as [JsonObject, JsonObject];
    // Job names follow the seed's state machine; the seed-only top-level AppManaged and nulls are not sent.
    assert.equal(preprocessing['ProcessingJobName'], name);
    assert.equal(callsTo(history, 'createTrainingJob.sync')[0]!['TrainingJobName'], name);
    assert.equal(evaluation['ProcessingJobName'], `evaluation-${name}`);
    for (const p of [preprocessing, evaluation]) {
      assert.ok(!('AppManaged' in p) && !('Environment' in p) && !('NetworkConfig' in p));
    }
    assert.equal((preprocessing['ProcessingInputs'] as JsonObject[])[0]!['AppManaged'], false, 'AppManaged inside inputs is a real field and is kept');
    // Training's model.tar.gz feeds evaluation, the registry and CreateModel.
    const modelInput = (evaluation['ProcessingInputs'] as JsonObject[]).find((i) => (i['S3Input'] as JsonObject)['LocalPath'] === '/opt/ml/processing/model')!;
    assert.equal((modelInput['S3Input'] as JsonObject)['S3Uri'], artifact);
    const createModel = callsTo(history, 'createModel')[0]!;
    assert.equal(createModel['ModelName'], `model-${name}`);
    assert.equal((createModel['PrimaryContainer'] as JsonObject)['ModelDataUrl'], artifact);
    assert.ok(!('Containers' in createModel));
    const registered = callsTo(history, 'createModelPackage')[0]!;
    assert.equal(registered['ModelPackageGroupName'], 'census');
    assert.equal(registered['ModelApprovalStatus'], 'PendingManualApproval');
    assert.equal(((registered['InferenceSpecification'] as JsonObject)['Containers'] as JsonObject[])[0]!['ModelDataUrl'], artifact);
    assert.deepEqual(registered['CustomerMetadataProperties'], { execution: name, 'metric:accuracy': '0.91', 'metric:roc_auc': '0.88' });
    assert.deepEqual(registered['ModelMetrics'], {
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://mlops-local/census/evaluation/${name}/evaluation.json` } },
    });
    assert.deepEqual(callsTo(history, 'updateModelPackage')[0], {
      ModelPackageArn: `${ACCOUNT_ARN}:model-package/census/1`,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'All approval rules passed: accuracy >= 0.8; roc_auc >= 0.75',
    });
    assert.deepEqual(callsTo(history, 'createEndpointConfig')[0], {
      EndpointConfigName: `endpoint-${name}`,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `model-${name}`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large', InitialVariantWeight: 1 }],
      // The census example's endpoint.data_capture, as the API takes it.
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: 's3://mlops-local/census/datacapture',
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
      },
    });
    const transform = callsTo(history, 'createTransformJob.sync')[0]!;
    assert.equal(transform['TransformJobName'], `batch-${name}`);
    assert.equal(transform['ModelName'], `model-${name}`);
    const out = result.output as JsonObject;
    assert.deepEqual(out['metrics'], { accuracy: 0.91, roc_auc: 0.88 });
    assert.equal((out['approval'] as JsonObject)['decision'], 'Approved');
    assert.equal((out['endpoint'] as JsonObject)['EndpointStatus'], 'InService');
    assert.equal(out['batchOutput'], `s3://mlops-local/census/batch-output/${name}/`);
    assert.equal((out['model'] as JsonObject)['modelPackageArn'], `${ACCOUNT_ARN}:model-package/census/1`);
    // The typed run summary `run` reads is the output, field for field (its --json document is the output).
    const summary = readRunSummary(result.output)!;
    assert.equal(JSON.stringify(summary), JSON.stringify(out));
    assert.deepEqual(stageJobs(summary), [
      { stage: 'preprocessing', job: name },
      { stage: 'training', job: name },
      { stage: 'evaluation', job: `evaluation-${name}` },
      { stage: 'batchTransform', job: `batch-${name}` },
    ]);
    assert.equal(summary.endpoint?.EndpointName, 'census');
    // What the local SageMaker now holds: the approved version and the endpoint serving the model.
    assert.deepEqual(local.packages('census').map((p) => p['ModelApprovalStatus']), ['Approved']);
    const endpoint = local.sagemaker.describeEndpoint({ EndpointName: 'census' });
    assert.equal(endpoint['EndpointStatus'], 'InService');
    assert.equal(endpoint['EndpointConfigName'], `endpoint-${name}`);
    assert.deepEqual(local.hosting.transforms, [`batch-${name}`]);
  }),
);

test('a second run finds the group and the endpoint, and updates the endpoint after it settles', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const first = await local.run(CENSUS);
    assert.equal(first.result.status, 'SUCCEEDED', `${first.result.error}: ${first.result.cause}`);
    // An update already under way (by someone else) keeps the endpoint Updating until it ends.
    let finishUpdate!: () => void;
    local.hosting.updateGate = new Promise<void>((r) => (finishUpdate = r));
    local.sagemaker.call('UpdateEndpoint', { EndpointName: 'census', EndpointConfigName: `endpoint-${first.name}` });
    assert.equal(local.sagemaker.describeEndpoint({ EndpointName: 'census' })['EndpointStatus'], 'Updating');
    // The update ends once the run has seen the endpoint Updating (its first DescribeEndpoint answered).
    const onEvent = (e: { type: string; [k: string]: unknown }) => {
      const d = e['taskSucceededEventDetails'] as { resource?: string } | undefined;
      if (e.type === 'TaskSucceeded' && d?.resource === 'describeEndpoint') finishUpdate();
    };
    const second = await local.run(CENSUS, { epoch: 1_724_950_000, onEvent });
    assert.equal(second.result.status, 'SUCCEEDED', `${second.result.error}: ${second.result.cause}`);
    const steps = actions(second);
    assert.ok(steps.includes('aws-sdk:sagemaker:createModelPackageGroup'), 'tries to create the group and tolerates "already exists"');
    assert.ok(steps.includes('sagemaker:updateEndpoint') && !steps.includes('sagemaker:createEndpoint'));
    const describes = callsTo(second.result.history, 'describeEndpoint').length;
    assert.ok(describes >= 2, `the run waited for the update under way to end (${describes} describes)`);
    assert.equal(callsTo(second.result.history, 'updateEndpoint')[0]!['EndpointConfigName'], `endpoint-${second.name}`);
    const versions = local.packages('census');
    assert.equal(versions.length, 2);
    assert.ok(String(versions[1]!['ModelPackageArn']).endsWith('/census/2'));
    assert.equal(local.sagemaker.describeEndpoint({ EndpointName: 'census' })['EndpointConfigName'], `endpoint-${second.name}`);
  }),
);

test('a model that fails the rules is rejected in the registry and never deployed', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    local.runner.evaluationMetrics = { accuracy: 0.71, roc_auc: { value: 0.9 } };
    const { result } = await local.run(CENSUS);
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'Pipeline.ModelRejected');
    assert.equal(result.cause, 'Approval rules failed: accuracy >= 0.8 (got 0.71)');
    assert.equal(callsTo(result.history, 'updateModelPackage')[0]!['ModelApprovalStatus'], 'Rejected');
    assert.deepEqual(local.packages('census').map((p) => p['ModelApprovalStatus']), ['Rejected']);
    for (const action of ['createModel', 'createEndpointConfig', 'createEndpoint', 'createTransformJob.sync']) assert.deepEqual(callsTo(result.history, action), [], action);
    assert.equal(local.hosting.started.length, 0);
  }),
);

test('a missing metrics file fails the rules with the reason', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    local.runner.evaluationMetrics = undefined;
    const { result } = await local.run(CENSUS);
    assert.equal(result.error, 'Pipeline.ModelRejected');
    assert.match(result.cause!, /^Approval rules failed: accuracy >= 0\.8 \(no value: Could not read the metrics file s3:\/\/mlops-local\/census\/evaluation\/.*\/evaluation\.json: S3\.NoSuchKeyException The specified key does not exist/);
  }),
);

test('a failed job ends the run with its error and a cause naming the stage, the job and the reason', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    local.runner.outcome = (kind) => (kind === 'training' ? { status: 'Failed', reason: 'AlgorithmError: ValueError: could not convert string to float' } : { status: 'Completed' });
    const { result, name } = await local.run(CENSUS);
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'States.TaskFailed');
    assert.equal(readableCause(result.cause!), `Stage training failed (training job ${name}): AlgorithmError: ValueError: could not convert string to float`);
    assert.deepEqual(callsTo(result.history, 'createModelPackage'), []);
    assert.equal(local.sagemaker.describeTrainingJob({ TrainingJobName: name })['TrainingJobStatus'], 'Failed');
  }),
);

test('a job without capacity runs again under a new name, then a persistent shortage fails the run', { timeout: 60_000 }, async () => {
  await withPipeline(async (local) => {
    let tries = 0;
    local.runner.outcome = (kind) =>
      kind === 'processing' && tries++ < 1 ? { status: 'Failed', reason: 'CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type.' } : { status: 'Completed' };
    const { result, name } = await local.run(CENSUS);
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(callsTo(result.history, 'createProcessingJob.sync').map((p) => p['ProcessingJobName']), [name, `${name}-r1`, `evaluation-${name}`]);
  });
  await withPipeline(async (local) => {
    local.runner.outcome = (kind) => (kind === 'training' ? { status: 'Failed', reason: 'CapacityError: Unable to provision requested ML compute capacity.' } : { status: 'Completed' });
    const failed = await local.run(CENSUS);
    assert.equal(failed.result.error, 'States.TaskFailed');
    assert.deepEqual(callsTo(failed.result.history, 'createTrainingJob.sync').map((p) => p['TrainingJobName']), [failed.name, `${failed.name}-r1`, `${failed.name}-r2`]);
    assert.match(readableCause(failed.result.cause!), new RegExp(`^Stage training failed \\(training job ${failed.name}-r2\\): CapacityError`));
  });
});

test('manual approval waits for a person, with the metrics and model version, and records who decided', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const yaml = withApproval(CENSUS, '  mode: auto-then-manual\n  rules: ["accuracy >= 0.8"]\n  timeout_hours: 2');
    const { result, pending, name } = await local.run(yaml, { decide: () => approvalDecision('Approved', 'alice', 'looks good', new Date('2026-01-01T00:00:00Z')) });
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.equal(pending.length, 1);
    const p = pending[0]!;
    assert.equal(p.executionName, name);
    assert.equal(p.modelPackageArn, `${ACCOUNT_ARN}:model-package/census/1`);
    assert.deepEqual(p.metrics, { accuracy: 0.91, roc_auc: 0.88 });
    assert.deepEqual(p.checks, [{ rule: 'accuracy >= 0.8', value: 0.91, passed: true }]);
    assert.equal(p.timeoutSeconds, 7200);
    assert.ok(p.taskToken.length > 0 && p.expiresAt !== undefined);
    assert.deepEqual((result.output as JsonObject)['approval'], {
      decision: 'Approved',
      decidedBy: 'alice',
      comment: 'looks good',
      decidedAt: '2026-01-01T00:00:00.000Z',
      reason: 'Approved by alice',
      checks: [{ rule: 'accuracy >= 0.8', value: 0.91, passed: true }],
    });
    assert.equal(JSON.stringify(readRunSummary(result.output)), JSON.stringify(result.output), "a person's decision reads back field for field");
    assert.equal(callsTo(result.history, 'updateModelPackage')[0]!['ApprovalDescription'], 'Approved by alice');
    assert.equal(callsTo(result.history, 'createEndpoint').length, 1);
  }),
);

test('a manual rejection, and no answer before the timeout, both reject the model', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const manual = withApproval(CENSUS, '  mode: manual\n  timeout_hours: 1');
    const rejected = await local.run(manual, { decide: () => approvalDecision('Rejected', 'bob', 'too slow') });
    assert.equal(rejected.result.error, 'Pipeline.ModelRejected');
    assert.equal(rejected.result.cause, 'Rejected by bob: too slow');
    assert.equal(callsTo(rejected.result.history, 'updateModelPackage')[0]!['ModelApprovalStatus'], 'Rejected');

    const timedOut = await local.run(manual, { epoch: 1_724_950_000 });
    assert.equal(timedOut.result.error, 'Pipeline.ModelRejected');
    assert.equal(timedOut.result.cause, 'Nobody approved or rejected the model within 1 hours');
    assert.deepEqual(callsTo(timedOut.result.history, 'createModel'), []);
    assert.deepEqual(local.packages('census').map((p) => p['ModelApprovalStatus']), ['Rejected', 'Rejected']);
  }),
);

test('compare_to_approved: the new model must beat the approved version by the margin', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const yaml = withApproval(CENSUS, '  rules: ["accuracy >= 0.8"]\n  compare_to_approved: {metric: roc_auc, min_improvement: 0.01}');
    const first = await local.run(yaml);
    assert.equal(first.result.status, 'SUCCEEDED', 'no approved version yet: the comparison passes');
    assert.deepEqual(local.packages('census').map((p) => p['ModelApprovalStatus']), ['Approved']);

    const second = await local.run(yaml, { epoch: 1_724_950_000 });
    assert.equal(second.result.error, 'Pipeline.ModelRejected');
    assert.equal(second.result.cause, 'Approval rules failed: roc_auc >= 0.89 (approved model: 0.88) (got 0.88)');

    // The scripted evaluation now answers differently with the same code and inputs: only --no-cache runs it again.
    local.runner.evaluationMetrics = { accuracy: 0.93, roc_auc: 0.9 };
    const third = await local.run(yaml, { epoch: 1_724_960_000, noCache: true });
    assert.equal(third.result.status, 'SUCCEEDED', `${third.result.error}: ${third.result.cause}`);
    assert.deepEqual(local.packages('census').map((p) => p['ModelApprovalStatus']), ['Approved', 'Rejected', 'Approved']);
  }),
);

test('stages switched off by their run flags are skipped, and approval needs a model trained in the run', { timeout: 60_000 }, () =>
  withPipeline(async (local) => {
    const yaml = CENSUS.replace(/^(training|evaluation|CreateModel|batchTransform):\n  run: true/gm, '$1:\n  run: false').replace(/^endpoint:\n  run: true/m, 'endpoint:\n  run: false');
    const run = await local.run(yaml);
    const { result, name } = run;
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(actions(run), ['sagemaker:createProcessingJob.sync']);
    const out = result.output as JsonObject;
    assert.equal(out['approval'], null);
    assert.deepEqual(Object.keys(out['stages'] as JsonObject), ['preprocessing']);
    assert.equal((out['model'] as JsonObject)['modelDataUrl'], `s3://mlops-local/census/model/${name}/output/model.tar.gz`, 'the model the file names');
  }),
);

test('an endpoint that fails, or never becomes InService, fails the run with the reason', { timeout: 90_000 }, async () => {
  await withPipeline(async (local) => {
    local.hosting.failStart = 'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.';
    const failed = await local.run(CENSUS);
    assert.equal(failed.result.error, 'Pipeline.EndpointFailed');
    const reason = String(local.sagemaker.describeEndpoint({ EndpointName: 'census' })['FailureReason']);
    assert.match(reason, /did not pass the ping health check/);
    assert.equal(readableCause(failed.result.cause!), `Stage endpoint failed (endpoint census): The endpoint is Failed: ${reason}`);
    assert.deepEqual(callsTo(failed.result.history, 'createTransformJob.sync'), []);

    // The next run deletes the Failed endpoint and creates it again.
    local.hosting.failStart = undefined;
    const again = await local.run(CENSUS, { epoch: 1_724_950_000 });
    assert.equal(again.result.status, 'SUCCEEDED', `${again.result.error}: ${again.result.cause}`);
    const steps = actions(again);
    assert.ok(steps.includes('aws-sdk:sagemaker:deleteEndpoint') && steps.includes('sagemaker:createEndpoint'));
    assert.equal(local.sagemaker.describeEndpoint({ EndpointName: 'census' })['EndpointStatus'], 'InService');
  });

  // A model server that does not answer its ping in time: virtual time runs on into the pipeline's own timeout.
  await withPipeline(
    async (local) => {
      let ready!: () => void;
      local.hosting.startGate = new Promise<void>((r) => (ready = r));
      const timedOut = await local.run(CENSUS.replace('variant_name: AllTraffic', 'variant_name: AllTraffic\n  timeout_minutes: 2\n  poll_seconds: 30'));
      ready();
      assert.equal(timedOut.result.error, 'Pipeline.EndpointTimedOut');
      assert.equal(readableCause(timedOut.result.cause!), 'Stage endpoint failed (endpoint census): The endpoint was not InService after 120 seconds (status: Creating)');
    },
    { holdClockWhileEndpointsStart: false },
  );
});
