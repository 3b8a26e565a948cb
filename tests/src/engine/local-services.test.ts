import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../../src/core/clock.js';
import type { JsonObject } from '../../../src/core/json.js';
import { runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, openLocalServices } from '../../../src/engine/local-services.js';

function tempHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'mlops-local-')), 'home');
}

test('openLocalServices creates the home, its state database and every integration', { timeout: 120_000 }, async () => {
  const home = tempHome();
  const services = openLocalServices(home, { fsync: false });
  try {
    assert.ok(existsSync(join(home, 'state.db')));
    assert.equal(services.location.region, DEFAULT_REGION);
    assert.equal(DEFAULT_REGION, 'us-east-1');
    assert.equal(DEFAULT_ACCOUNT_ID, '111111111111');
    for (const resource of [
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::sagemaker:createProcessingJob.sync',
      'arn:aws:states:::sagemaker:createEndpoint',
      'arn:aws:states:::aws-sdk:sagemaker:listModelPackages',
      'arn:aws:states:::aws-sdk:s3:getObject',
    ]) {
      assert.equal(services.tasks.isEmulated(resource), true, resource);
    }
  } finally {
    await services.close();
    await services.close();
  }
  assert.equal(services.store.isOpen, false);
  rmSync(join(home, '..'), { recursive: true, force: true });
});

// A processing script written for this test: reads its input, writes an output and a message.
const SCRIPT = `
import os
rows = open("/opt/ml/processing/input/data.csv").read().splitlines()
os.makedirs("/opt/ml/processing/train", exist_ok=True)
open("/opt/ml/processing/train/train.csv", "w").write("\\n".join(rows[1:]) + "\\n")
open("/opt/ml/output/message", "w").write(f"kept {len(rows) - 1} rows")
if os.environ.get("FAIL") == "yes":
    raise SystemExit(3)
`;

function prepState(fail: boolean): JsonObject {
  return {
    StartAt: 'Prep',
    States: {
      Prep: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createProcessingJob.sync',
        Parameters: {
          'ProcessingJobName.$': '$$.Execution.Name',
          RoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecutionRole',
          AppSpecification: { ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', ContainerEntrypoint: ['python3', '/opt/ml/processing/code/prep.py'] },
          ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 1 } },
          ProcessingInputs: [
            { InputName: 'code', S3Input: { S3Uri: 's3://mlops-bucket/scripts', LocalPath: '/opt/ml/processing/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
            { InputName: 'input', S3Input: { S3Uri: 's3://mlops-bucket/raw', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
          ],
          ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://mlops-bucket/prep/train', LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }] },
          Environment: fail ? { FAIL: 'yes' } : null,
          NetworkConfig: null,
          StoppingCondition: { MaxRuntimeInSeconds: 300 },
        },
        End: true,
      },
    },
  };
}

test('the real job runner runs a .sync processing job end to end through the engine', { timeout: 120_000 }, async () => {
  const home = tempHome();
  const services = openLocalServices(home, { fsync: false });
  try {
    await services.s3.createBucket({ Bucket: 'mlops-bucket' });
    await services.s3.putObject({ Bucket: 'mlops-bucket', Key: 'scripts/prep.py', Body: SCRIPT });
    await services.s3.putObject({ Bucket: 'mlops-bucket', Key: 'raw/data.csv', Body: 'a,b\n1,2\n3,4\n' });
    const ok = await runExecution(loadStateMachine(prepState(false)), {}, { tasks: services.tasks, clock: new RealClock(), name: 'prep-ok' });
    assert.equal(ok.status, 'SUCCEEDED', ok.cause);
    const out = ok.output as JsonObject;
    assert.equal(out['ProcessingJobStatus'], 'Completed');
    assert.equal(out['ExitMessage'], 'kept 2 rows');
    assert.equal((await services.s3.getObject({ Bucket: 'mlops-bucket', Key: 'prep/train/train.csv' })).Body.toString(), '1,2\n3,4\n');
    assert.ok(existsSync(join(home, 'logs', 'prep-ok.log')));

    const bad = await runExecution(loadStateMachine(prepState(true)), {}, { tasks: services.tasks, clock: new RealClock(), name: 'prep-bad' });
    assert.equal(bad.error, 'States.TaskFailed');
    const cause = JSON.parse(bad.cause!) as JsonObject;
    assert.equal(cause['ProcessingJobStatus'], 'Failed');
    assert.equal(cause['FailureReason'], 'AlgorithmError: See job logs for more information');
    assert.equal(cause['ExitMessage'], 'kept 2 rows');
    assert.ok(existsSync(join(home, 'logs', 'prep-bad.log')));
  } finally {
    await services.close();
    rmSync(join(home, '..'), { recursive: true, force: true });
  }
});
