import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../../../src/core/json.js';
import { harness, modelRequest } from '../../../../support/sagemaker-service.js';

function config(name: string, model: string, variant = 'AllTraffic'): JsonObject {
  return { EndpointConfigName: name, ProductionVariants: [{ VariantName: variant, ModelName: model, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] };
}

async function body(url: string): Promise<string> {
  const r = await fetch(`${url}/invocations`, { method: 'POST', body: '1,2' });
  return r.text();
}

test('an endpoint goes Creating → InService behind a real local server, updates in place and is deleted', { timeout: 120_000 }, async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('model-a'));
  h.sm.call('CreateModel', modelRequest('model-b'));
  assert.deepEqual(h.sm.call('CreateEndpointConfig', config('cfg-a', 'model-a')), { EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:111111111111:endpoint-config/cfg-a' });
  h.sm.call('CreateEndpointConfig', config('cfg-b', 'model-b'));
  const cfg = h.sm.call('DescribeEndpointConfig', { EndpointConfigName: 'cfg-a' });
  assert.equal((cfg['ProductionVariants'] as JsonObject[])[0]!['InitialVariantWeight'], 1);

  assert.deepEqual(h.sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-a' }), { EndpointArn: 'arn:aws:sagemaker:us-east-1:111111111111:endpoint/ep' });
  assert.equal(h.sm.call('DescribeEndpoint', { EndpointName: 'ep' })['EndpointStatus'], 'Creating');
  assert.throws(() => h.sm.call('UpdateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-b' }), /Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:111111111111:endpoint\/ep"\./);
  assert.throws(() => h.sm.call('CreateEndpoint', { EndpointName: 'EP', EndpointConfigName: 'cfg-a' }), /Cannot create already existing endpoint/);
  const live = (await h.sm.waitFor('endpoint', 'ep'))!;
  assert.equal(live['EndpointStatus'], 'InService');
  const variant = (live['ProductionVariants'] as JsonObject[])[0]!;
  assert.equal(variant['VariantName'], 'AllTraffic');
  assert.equal(variant['CurrentInstanceCount'], 1);
  assert.equal(await body(h.sm.endpointUrl('ep')!), 'model-a');

  h.sm.call('UpdateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-b' });
  assert.equal(h.sm.call('DescribeEndpoint', { EndpointName: 'ep' })['EndpointStatus'], 'Updating');
  const updated = (await h.sm.waitFor('endpoint', 'ep'))!;
  assert.equal(updated['EndpointStatus'], 'InService');
  assert.equal(updated['EndpointConfigName'], 'cfg-b');
  assert.equal(await body(h.sm.endpointUrl('ep')!), 'model-b');
  assert.equal(h.hosting.running, 1);

  const list = h.sm.call('ListEndpoints', {});
  assert.deepEqual((list['Endpoints'] as JsonObject[]).map((e) => [e['EndpointName'], e['EndpointStatus']]), [['ep', 'InService']]);

  h.sm.call('DeleteEndpoint', { EndpointName: 'ep' });
  assert.equal(h.sm.call('DescribeEndpoint', { EndpointName: 'ep' })['EndpointStatus'], 'Deleting');
  assert.equal(await h.sm.waitFor('endpoint', 'ep'), undefined);
  assert.throws(() => h.sm.call('DescribeEndpoint', { EndpointName: 'ep' }), /Could not find endpoint/);
  assert.equal(h.hosting.running, 0);
  await h.close();
});

test('an endpoint whose model server never answers ends Failed with the reason', { timeout: 120_000 }, async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('bad', 'example.com/broken:1'));
  h.sm.call('CreateEndpointConfig', config('cfg', 'bad'));
  h.sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg' });
  const d = (await h.sm.waitFor('endpoint', 'ep'))!;
  assert.equal(d['EndpointStatus'], 'Failed');
  assert.match(d['FailureReason'] as string, /did not pass the ping health check/);
  assert.throws(() => h.sm.call('UpdateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg' }), /Cannot update failed endpoint/);
  await h.close();
});

test('a failed update leaves the endpoint InService on its old configuration', { timeout: 120_000 }, async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('good'));
  h.sm.call('CreateModel', modelRequest('bad', 'example.com/broken:1'));
  h.sm.call('CreateEndpointConfig', config('cfg-good', 'good'));
  h.sm.call('CreateEndpointConfig', config('cfg-bad', 'bad', 'Canary'));
  h.sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-good' });
  await h.sm.waitFor('endpoint', 'ep');
  h.sm.call('UpdateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-bad' });
  const d = (await h.sm.waitFor('endpoint', 'ep'))!;
  assert.equal(d['EndpointStatus'], 'InService');
  assert.equal(d['EndpointConfigName'], 'cfg-good');
  assert.match(d['FailureReason'] as string, /ping health check/);
  assert.equal(await body(h.sm.endpointUrl('ep')!), 'good');
  await h.close();
});

test('models and endpoint configs are described, listed and deleted', { timeout: 120_000 }, async () => {
  const h = harness();
  h.sm.call('CreateModel', modelRequest('m1'));
  const m = h.sm.call('DescribeModel', { ModelName: 'm1' });
  assert.deepEqual(Object.keys(m), ['ModelName', 'PrimaryContainer', 'ExecutionRoleArn', 'CreationTime', 'ModelArn', 'EnableNetworkIsolation']);
  assert.equal((m['PrimaryContainer'] as JsonObject)['Mode'], 'SingleModel');
  assert.deepEqual((h.sm.call('ListModels', {})['Models'] as JsonObject[]).map((x) => x['ModelName']), ['m1']);
  h.sm.call('CreateEndpointConfig', config('c1', 'm1'));
  assert.deepEqual(h.sm.call('DeleteEndpointConfig', { EndpointConfigName: 'c1' }), {});
  assert.deepEqual(h.sm.call('DeleteModel', { ModelName: 'm1' }), {});
  assert.throws(() => h.sm.call('DeleteModel', { ModelName: 'm1' }), /Could not find model/);
  await h.close();
});
