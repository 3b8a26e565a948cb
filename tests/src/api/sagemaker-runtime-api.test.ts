import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { DescribeEndpointCommand, ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { JsonObject } from '../../../src/core/json.js';
import { apiHarness, clientConfig, type ApiHarness } from '../../support/local-api.js';

async function deployEndpoint(h: ApiHarness, name: string): Promise<void> {
  const sm = h.services.sagemaker;
  sm.call('CreateModel', {
    ModelName: `${name}-model`,
    PrimaryContainer: { Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', ModelDataUrl: 's3://b/model.tar.gz' },
    ExecutionRoleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  });
  sm.call('CreateEndpointConfig', {
    EndpointConfigName: `${name}-config`,
    ProductionVariants: [{ VariantName: 'Blue', ModelName: `${name}-model`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
  });
  sm.call('CreateEndpoint', { EndpointName: name, EndpointConfigName: `${name}-config` });
  const d = (await sm.waitFor('endpoint', name)) as JsonObject;
  assert.equal(d['EndpointStatus'], 'InService');
}

test('SageMakerRuntimeClient: InvokeEndpoint reaches the model server with SageMaker runtime headers and errors', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const runtime = new SageMakerRuntimeClient(clientConfig(h.api));
  try {
    await deployEndpoint(h, 'census');
    const out = await runtime.send(
      new InvokeEndpointCommand({ EndpointName: 'census', Body: Buffer.from('1,2,3'), ContentType: 'text/csv', Accept: 'application/json', CustomAttributes: 'trace=1' }),
    );
    assert.equal(out.ContentType, 'application/json');
    assert.equal(out.InvokedProductionVariant, 'Blue');
    assert.equal(out.CustomAttributes, 'trace=1;seen');
    assert.deepEqual(JSON.parse(Buffer.from(out.Body!).toString('utf8')), { model: 'census-model', body: '1,2,3', contentType: 'text/csv', accept: 'application/json' });

    await assert.rejects(runtime.send(new InvokeEndpointCommand({ EndpointName: 'census', Body: Buffer.from('fail'), ContentType: 'text/csv' })), (e: unknown) => {
      assert.ok(e instanceof ModelError, String(e));
      assert.equal(e.OriginalStatusCode, 500);
      assert.equal(e.OriginalMessage, 'boom');
      assert.equal(e.$metadata.httpStatusCode, 424);
      assert.match(e.message, /^Received server error \(500\) from primary with message "boom"\. See https:\/\/us-east-1\.console\.aws\.amazon\.com\//);
      assert.equal(e.LogStreamArn, 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/sagemaker/Endpoints/census');
      return true;
    });
    await assert.rejects(runtime.send(new InvokeEndpointCommand({ EndpointName: 'nowhere', Body: Buffer.from('1') })), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.message, 'Endpoint nowhere of account 111111111111 not found.');
      return true;
    });
    assert.deepEqual(h.logged, []);
  } finally {
    runtime.destroy();
    await h.close();
  }
});

test('SageMakerClient: Describe and List calls read the local SageMaker, with dates as dates', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const sm = new SageMakerClient(clientConfig(h.api));
  try {
    await deployEndpoint(h, 'ep1');
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'ep1' }));
    assert.equal(d.EndpointStatus, 'InService');
    assert.ok(d.CreationTime instanceof Date);
    assert.ok(Math.abs(d.CreationTime.getTime() - Date.now()) < 60_000);
    const list = await sm.send(new ListEndpointsCommand({}));
    assert.deepEqual(list.Endpoints!.map((e) => e.EndpointName), ['ep1']);
    await assert.rejects(sm.send(new DescribeEndpointCommand({ EndpointName: 'nope' })), /Could not find endpoint/);
  } finally {
    sm.destroy();
    await h.close();
  }
});
