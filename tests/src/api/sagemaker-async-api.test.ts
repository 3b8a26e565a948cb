/**
 * InvokeEndpointAsync through the real SageMaker runtime SDK v3 client: input read from the local
 * S3, the model server's answer written to `<S3OutputPath>/<InferenceId>.out`, failures to the
 * failure path, AWS's answer shape, and the refusal of an endpoint without AsyncInferenceConfig.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeEndpointAsyncCommand, SageMakerRuntimeClient, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, PutObjectCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import type { JsonObject } from '../../../src/core/json.js';
import { pendingAsyncInvocations } from '../../../src/api/sagemaker-async-api.js';
import { apiHarness, clientConfig, type ApiHarness } from '../../support/local-api.js';

async function deploy(h: ApiHarness, name: string, asyncConfig?: JsonObject): Promise<void> {
  const sm = h.services.sagemaker;
  sm.call('CreateModel', {
    ModelName: `${name}-model`,
    PrimaryContainer: { Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', ModelDataUrl: 's3://b/model.tar.gz' },
    ExecutionRoleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  });
  sm.call('CreateEndpointConfig', {
    EndpointConfigName: `${name}-config`,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `${name}-model`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
    ...(asyncConfig ? { AsyncInferenceConfig: asyncConfig } : {}),
  });
  sm.call('CreateEndpoint', { EndpointName: name, EndpointConfigName: `${name}-config` });
  const d = (await sm.waitFor('endpoint', name)) as JsonObject;
  assert.equal(d['EndpointStatus'], 'InService');
}

async function settled(): Promise<void> {
  while (pendingAsyncInvocations.size) await Promise.all([...pendingAsyncInvocations]);
}

test('InvokeEndpointAsync: 202 with InferenceId and locations; the answer lands in S3 as SageMaker writes it; failures go to the failure path', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const cfg = clientConfig(h.api);
  const runtime = new SageMakerRuntimeClient(cfg);
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const text = async (bucket: string, key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'async' }));
    await s3.send(new PutObjectCommand({ Bucket: 'async', Key: 'in/rows.csv', Body: '1,2,3' }));
    await s3.send(new PutObjectCommand({ Bucket: 'async', Key: 'in/bad.csv', Body: 'fail' }));
    await deploy(h, 'scorer', { OutputConfig: { S3OutputPath: 's3://async/out/', S3FailurePath: 's3://async/failed' }, ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 } });

    const ok = await runtime.send(
      new InvokeEndpointAsyncCommand({ EndpointName: 'scorer', InputLocation: 's3://async/in/rows.csv', ContentType: 'text/csv', Accept: 'application/json', InferenceId: 'run-1' }),
    );
    assert.equal(ok.$metadata.httpStatusCode, 202);
    assert.equal(ok.InferenceId, 'run-1');
    assert.equal(ok.OutputLocation, 's3://async/out/run-1.out');
    assert.equal(ok.FailureLocation, 's3://async/failed/run-1-error.out');
    await settled();
    assert.deepEqual(JSON.parse(await text('async', 'out/run-1.out')), { model: 'scorer-model', body: '1,2,3', contentType: 'text/csv', accept: 'application/json' });

    // Without an InferenceId SageMaker makes one; the output is named after it.
    const generated = await runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'scorer', InputLocation: 's3://async/in/rows.csv' }));
    assert.match(generated.InferenceId!, /^[0-9a-f-]{36}$/);
    assert.equal(generated.OutputLocation, `s3://async/out/${generated.InferenceId}.out`);
    await settled();
    assert.equal(JSON.parse(await text('async', `out/${generated.InferenceId}.out`)).body, '1,2,3');

    // A model error and an input that is not there end at the failure location, with what went wrong.
    await runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'scorer', InputLocation: 's3://async/in/bad.csv', InferenceId: 'bad' }));
    await runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'scorer', InputLocation: 's3://async/in/missing.csv', InferenceId: 'missing' }));
    await settled();
    assert.match(await text('async', 'failed/bad-error.out'), /^Received server error \(500\) from primary with message "boom"/);
    assert.match(await text('async', 'failed/missing-error.out'), /Failed to download the input from s3:\/\/async\/in\/missing\.csv: NoSuchKey/);
    await assert.rejects(text('async', 'out/bad.out'), /NoSuchKey|does not exist/);

    // An endpoint without AsyncInferenceConfig, an unknown endpoint and a bad InputLocation are refused at once.
    await deploy(h, 'realtime');
    const refused = async (input: ConstructorParameters<typeof InvokeEndpointAsyncCommand>[0], message: RegExp) =>
      assert.rejects(runtime.send(new InvokeEndpointAsyncCommand(input)), (e: unknown) => {
        assert.ok(e instanceof ValidationError, String(e));
        assert.match(e.message, message);
        return true;
      });
    await refused({ EndpointName: 'realtime', InputLocation: 's3://async/in/rows.csv' }, /^Endpoint realtime of account 111111111111 is not configured for asynchronous inference/);
    await refused({ EndpointName: 'nowhere', InputLocation: 's3://async/in/rows.csv' }, /^Endpoint nowhere of account 111111111111 not found\.$/);
    await refused({ EndpointName: 'scorer', InputLocation: 'https://async/in/rows.csv' }, /InputLocation "https:\/\/async\/in\/rows\.csv" is not a valid S3 URI/);
    await refused({ EndpointName: 'scorer', InputLocation: 's3://async/in/rows.csv', InferenceId: 'has space' }, /at 'inferenceId' failed to satisfy constraint/);
    assert.deepEqual(h.logged, []);
  } finally {
    runtime.destroy();
    s3.destroy();
    await h.close();
  }
});
