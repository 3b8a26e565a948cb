import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { executionNameFor, pipelineExecutionInput } from '../../../src/config/execution-input.js';
import { parsePipelineText } from '../../../src/config/parse-pipeline.js';
import { fillPlaceholders, replacePlaceholders, type DeploymentValues } from '../../../src/config/placeholders.js';

const DEPLOYMENT: DeploymentValues = {
  bucket: 'my-mlops-bucket',
  modelName: 'demo',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecutionRole',
  region: 'eu-west-1',
};

const YAML = `
app_id: aiops
model_id: MODEL_NAME
job_prefix: mlops
CreateModel:
  run: true
  input:
    PrimaryContainer:
      Image: IMAGE_URI
      ModelDataUrl: s3://MLOPS_BUCKET/demo/model/SFN_EXECUTION_ID/output/model.tar.gz
      Environment: {SAGEMAKER_REGION: AWS_REGION_NAME, KEEP: MLOPS_BUCKET_2}
    ExecutionRoleArn: SAGEMAKER_EXECUTION_ROLE
approval:
  mode: auto-then-manual
  rules: ["accuracy >= 0.8", "loss<0.3", "roc_auc = 0.9"]
  timeout_hours: 1.5
endpoint:
  instance_count: 2
  timeout_minutes: 10
  poll_seconds: 45
`;

test('the execution input fills placeholders, names the run, and normalises the new sections', () => {
  const { config, problems } = parsePipelineText(YAML, 'p.yaml');
  assert.deepEqual(problems.map((p) => p.severity), ['warning']);
  const name = executionNameFor(config!, DEPLOYMENT, 1724940337.9);
  assert.equal(name, 'mlops-demo-1724940337');
  const input = pipelineExecutionInput(config!, DEPLOYMENT, name);
  assert.deepEqual(input['CreateModel'], {
    run: true,
    cache: true,
    input: {
      PrimaryContainer: {
        Image: DEPLOYMENT.imageUri,
        ModelDataUrl: 's3://my-mlops-bucket/demo/model/mlops-demo-1724940337/output/model.tar.gz',
        Environment: { SAGEMAKER_REGION: 'eu-west-1', KEEP: 'MLOPS_BUCKET_2' },
      },
      ExecutionRoleArn: DEPLOYMENT.roleArn,
    },
  });
  assert.equal(input['model_id'], 'demo');
  assert.deepEqual(input['approval'], {
    mode: 'auto-then-manual',
    rules: [
      { metric: 'accuracy', op: '>=', threshold: 0.8, text: 'accuracy >= 0.8' },
      { metric: 'loss', op: '<', threshold: 0.3, text: 'loss < 0.3' },
      { metric: 'roc_auc', op: '==', threshold: 0.9, text: 'roc_auc == 0.9' },
    ],
    compare_to_approved: null,
    metrics_output: 'evaluation',
    metrics_file: 'evaluation.json',
    timeout_seconds: 5400,
  });
  assert.deepEqual(input['registry'], {
    run: true,
    model_package_group: 'demo',
    description: 'Models trained by the aiops demo pipeline',
    content_types: ['text/csv'],
    response_types: ['text/csv'],
  });
  assert.deepEqual(input['endpoint'], {
    run: true,
    name: 'aiops-demo',
    instance_type: 'ml.m5.large',
    instance_count: 2,
    variant_name: 'AllTraffic',
    poll_seconds: 45,
    max_polls: 14,
    data_capture: null,
  });
  assert.equal(input['preprocessing'], undefined);
  assert.deepEqual(input['cache'], { enabled: true, max_age_days: null, from: null });
});

test('the cache section, a stage\'s cache: false, run --no-cache and run --from reach the execution input', () => {
  const yaml = YAML.replace(/^CreateModel:\n  run: true/m, 'CreateModel:\n  run: true\n  cache: false') + 'cache:\n  max_age_days: 7\n';
  const { config, problems } = parsePipelineText(yaml, 'p.yaml');
  assert.ok(config, problems.map((p) => p.message).join('\n'));
  const input = pipelineExecutionInput(config, DEPLOYMENT, 'mlops-demo-1');
  assert.equal((input['CreateModel'] as { cache: boolean }).cache, false);
  assert.deepEqual(input['cache'], { enabled: true, max_age_days: 7, from: null });
  assert.deepEqual(pipelineExecutionInput(config, DEPLOYMENT, 'mlops-demo-1', { noCache: true, from: 'evaluation' })['cache'], {
    enabled: false,
    max_age_days: 7,
    from: 'evaluation',
  });
  const bad = parsePipelineText(YAML + 'cache:\n  enabled: yes please\n  max_age: 3\n', 'p.yaml');
  assert.equal(bad.config, undefined);
  assert.ok(bad.problems.some((p) => /cache/.test(p.message) || p.path?.includes('cache')), bad.problems.map((p) => p.message).join('\n'));
});

test('placeholders are replaced as whole words only', () => {
  const values = { MLOPS_BUCKET: 'b', SFN_EXECUTION_ID: 'run-1' };
  assert.equal(replacePlaceholders('s3://MLOPS_BUCKET/x/SFN_EXECUTION_ID/', values), 's3://b/x/run-1/');
  assert.equal(replacePlaceholders('MLOPS_BUCKET_2 XMLOPS_BUCKET', values), 'MLOPS_BUCKET_2 XMLOPS_BUCKET');
  assert.deepEqual(fillPlaceholders({ MLOPS_BUCKET: ['MLOPS_BUCKET'] }, values), { MLOPS_BUCKET: ['b'] });
});

test('names that only break the rules once filled in are refused with what to change', () => {
  const { config } = parsePipelineText('app_id: a\nmodel_id: MODEL_NAME\njob_prefix: mlops\n', 'p.yaml');
  const long = { ...DEPLOYMENT, modelName: 'm'.repeat(40) };
  assert.throws(() => executionNameFor(config!, long, 1) && pipelineExecutionInput(config!, long, executionNameFor(config!, long, 1)), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /job_prefix and model_id are 45 characters once filled in; at most 37 fit/);
    return true;
  });
});
