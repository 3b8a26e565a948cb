import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { packageFile } from '../../../src/core/package-root.js';
import { InvalidPipelineError } from '../../../src/config/problems.js';
import type { ExecutionStarter, S3Reader } from '../../../src/lambda/clients.js';
import { createTriggerHandler, deploymentFromEnv, InvalidTriggerEventError } from '../../../src/lambda/trigger.js';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111111111111:stateMachine:mlops-pipeline';
const DEPLOYMENT = deploymentFromEnv({
  MLOPS_BUCKET: 'mlops-bucket',
  IMAGE_URI: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  SAGEMAKER_EXECUTION_ROLE: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  AWS_REGION: 'us-east-1',
});

/** S3 and Step Functions clients for the commands the trigger sends (the seam the handlers take). */
function fakes(objects: Record<string, string>) {
  const started: StartExecutionCommand['input'][] = [];
  const s3: S3Reader = {
    async send(command: GetObjectCommand) {
      assert.ok(command instanceof GetObjectCommand);
      const body = objects[`${command.input.Bucket}/${command.input.Key}`];
      if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { $metadata: {}, ContentLength: Buffer.byteLength(body), Body: { transformToString: async () => body } } as never;
    },
  };
  const sfn: ExecutionStarter = {
    async send(command: StartExecutionCommand) {
      assert.ok(command instanceof StartExecutionCommand);
      if (started.some((s) => s.name === command.input.name)) throw Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' });
      started.push(command.input);
      return { $metadata: {}, executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${command.input.name}`, startDate: new Date(1_724_940_337_000) };
    },
  };
  return { s3, sfn, started };
}

const CENSUS = readFileSync(packageFile('examples', 'census', 'pipeline.yaml'), 'utf8');
const event = { config: { bucket: 'mlops-bucket', prefix: 'census/scripts/input.yaml' } };

test('the trigger reads the YAML, names the execution, fills SFN_EXECUTION_ID and starts the state machine', { timeout: 120_000 }, async () => {
  const { s3, sfn, started } = fakes({ 'mlops-bucket/census/scripts/input.yaml': CENSUS });
  const logs: string[] = [];
  const handler = createTriggerHandler({ s3, sfn, stateMachineArn: STATE_MACHINE, deployment: DEPLOYMENT, now: () => 1_724_940_337_512, log: (l) => logs.push(l) });
  const result = await handler(event);
  assert.deepEqual(result, {
    statusCode: 200,
    body: '"Success"',
    executionArn: 'arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:mlops-census-1724940337',
    executionName: 'mlops-census-1724940337',
    startDate: '2024-08-29T14:05:37.000Z',
  });
  assert.equal(started.length, 1);
  assert.equal(started[0]!.stateMachineArn, STATE_MACHINE);
  assert.equal(started[0]!.name, 'mlops-census-1724940337');
  const input = started[0]!.input!;
  assert.ok(!/SFN_EXECUTION_ID|MLOPS_BUCKET|IMAGE_URI|SAGEMAKER_EXECUTION_ROLE/.test(input));
  const parsed = JSON.parse(input);
  assert.equal(parsed.training.input.OutputDataConfig.S3OutputPath, 's3://mlops-bucket/census/model/');
  assert.equal(parsed.CreateModel.input.PrimaryContainer.ModelDataUrl, 's3://mlops-bucket/census/model/mlops-census-1724940337/output/model.tar.gz');
  assert.equal(parsed.training.input.RoleArn, DEPLOYMENT.roleArn);
  assert.deepEqual(parsed.approval.rules[0], { metric: 'roc_auc', op: '>=', threshold: 0.8, text: 'roc_auc >= 0.8' });
  assert.deepEqual(logs, ['Started arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:mlops-census-1724940337 from s3://mlops-bucket/census/scripts/input.yaml']);
});

test('bad YAML fails the invocation with every problem and starts nothing', { timeout: 120_000 }, async () => {
  const broken = CENSUS.replace('InstanceType: ml.m5.xlarge', 'InstanceTyp: ml.m5.xlarge').replace('run: true', 'run: maybe');
  const { s3, sfn, started } = fakes({ 'mlops-bucket/census/scripts/input.yaml': broken });
  const handler = createTriggerHandler({ s3, sfn, stateMachineArn: STATE_MACHINE, deployment: DEPLOYMENT, log: () => {} });
  await assert.rejects(handler(event), (e: unknown) => {
    assert.ok(e instanceof InvalidPipelineError);
    assert.match(e.message, /^s3:\/\/mlops-bucket\/census\/scripts\/input\.yaml: 2 problems in the pipeline configuration\n/);
    assert.match(e.message, /s3:\/\/mlops-bucket\/census\/scripts\/input\.yaml:\d+:\d+: preprocessing\.run: must be true or false, not the string "maybe"/);
    assert.match(e.message, /preprocessing\.input\.ProcessingResources\.ClusterConfig\.InstanceTyp: unknown field \(did you mean InstanceType\?\)/);
    return true;
  });
  await assert.rejects(handler(event), /2 problems/);
  const yamlBomb = 'a: &a [1, 2]\nb: [*a, *a]\n';
  const bomb = fakes({ 'mlops-bucket/census/scripts/input.yaml': yamlBomb });
  await assert.rejects(createTriggerHandler({ ...bomb, stateMachineArn: STATE_MACHINE, deployment: DEPLOYMENT })(event), /YAML aliases \(\*a\) are not accepted/);
  assert.equal(started.length + bomb.started.length, 0);
});

test('a wrong event, a missing object and a name clash each say what to do', { timeout: 120_000 }, async () => {
  const { s3, sfn } = fakes({ 'mlops-bucket/census/scripts/input.yaml': CENSUS });
  const handler = createTriggerHandler({ s3, sfn, stateMachineArn: STATE_MACHINE, deployment: DEPLOYMENT, now: () => 5_000, log: () => {} });
  await assert.rejects(handler({ bucket: 'mlops-bucket' }), (e: unknown) => e instanceof InvalidTriggerEventError && /expected \{"config": \{"bucket"/.test(e.message));
  await assert.rejects(handler({ config: { bucket: 'mlops-bucket', prefix: 'nope.yaml' } }), /s3:\/\/mlops-bucket\/nope\.yaml: no such object \(upload the pipeline YAML there/);
  await handler(event);
  await assert.rejects(handler(event), /already exists: runs started within the same second share a name/);
});

test('the deployment comes from the environment the stack sets, naming what is missing', { timeout: 120_000 }, () => {
  assert.deepEqual(DEPLOYMENT, {
    bucket: 'mlops-bucket',
    modelName: 'demo',
    imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    roleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
    region: 'us-east-1',
  });
  assert.throws(() => deploymentFromEnv({ IMAGE_URI: 'x' }), /MLOPS_BUCKET \(the MLOps bucket\) is not set/);
});
