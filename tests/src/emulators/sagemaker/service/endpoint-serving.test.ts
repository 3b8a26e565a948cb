import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../../../../src/core/json.js';
import { Store } from '../../../../../src/store/index.js';
import { SageMakerRuntimeError } from '../../../../../src/emulators/sagemaker/runtime-errors.js';
import { harness, modelRequest, type Harness } from '../../../../support/sagemaker-service.js';

function config(name: string, model: string): JsonObject {
  return { EndpointConfigName: name, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: model, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] };
}

async function body(url: string): Promise<string> {
  return (await fetch(`${url}/invocations`, { method: 'POST', body: '1,2' })).text();
}

/** An endpoint `ep` on model `m-a`, InService, created by `h`. */
async function deployed(h: Harness): Promise<JsonObject> {
  h.sm.call('CreateModel', modelRequest('m-a'));
  h.sm.call('CreateModel', modelRequest('m-b'));
  h.sm.call('CreateEndpointConfig', config('cfg-a', 'm-a'));
  h.sm.call('CreateEndpointConfig', config('cfg-b', 'm-b'));
  h.sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-a' });
  return (await h.sm.waitFor('endpoint', 'ep'))!;
}

/** Two services over one store stand for two processes sharing a home. */
function pair(): { a: Harness; b: Harness; close(): Promise<void> } {
  const store = Store.memory();
  const a = harness({}, { store });
  const b = harness({}, { store });
  return {
    a,
    b,
    async close() {
      await a.sm.close();
      await b.close();
    },
  };
}

test('an InService endpoint created by another process is served here from its record, with its status and times unchanged', { timeout: 120_000 }, async () => {
  const { a, b, close } = pair();
  const before = await deployed(a);
  await a.sm.close(); // the creating process ends: its model servers are gone
  assert.equal(b.sm.endpointUrl('ep'), undefined);
  const url = await b.sm.ensureEndpointServing('ep');
  assert.equal(await body(url), 'm-a');
  assert.equal(b.sm.endpointUrl('ep'), url);
  assert.deepEqual(b.sm.describeEndpoint({ EndpointName: 'ep' }), before);
  // Already serving: the same server, nothing started again.
  assert.equal(await b.sm.ensureEndpointServing('EP'), url);
  assert.equal(b.hosting.started.length, 1);
  await close();
});

test('the recorded deployment serves even after its endpoint configuration and model are deleted', { timeout: 120_000 }, async () => {
  const { a, b, close } = pair();
  await deployed(a);
  await a.sm.close();
  a.sm.call('DeleteEndpointConfig', { EndpointConfigName: 'cfg-a' });
  a.sm.call('DeleteModel', { ModelName: 'm-a' });
  assert.equal(await body(await b.sm.ensureEndpointServing('ep')), 'm-a');
  await close();
});

test('a process serving an endpoint catches up with an update or a delete made by another process', { timeout: 120_000 }, async () => {
  const { a, b, close } = pair();
  await deployed(a);
  const url = await b.sm.ensureEndpointServing('ep');
  a.sm.call('UpdateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg-b' });
  // While the update runs, the endpoint keeps serving its previous deployment, as on AWS.
  assert.equal(await b.sm.ensureEndpointServing('ep'), url);
  await a.sm.waitFor('endpoint', 'ep');
  assert.equal(await b.sm.ensureEndpointServing('ep'), url, 'the same address, blue/green');
  assert.equal(await body(url), 'm-b');
  a.sm.call('DeleteEndpoint', { EndpointName: 'ep' });
  await a.sm.waitFor('endpoint', 'ep');
  await assert.rejects(b.sm.ensureEndpointServing('ep'), { name: 'ValidationError', message: 'Endpoint ep of account 111111111111 not found.' });
  assert.equal(b.sm.endpointUrl('ep'), undefined);
  await close();
});

test("an unknown endpoint, or one that does not serve, is refused with SageMaker runtime's ValidationError", { timeout: 120_000 }, async () => {
  const h = harness();
  await assert.rejects(h.sm.ensureEndpointServing('nope'), (e: unknown) => {
    assert.ok(e instanceof SageMakerRuntimeError);
    assert.equal(e.code, 'ValidationError');
    assert.equal(e.statusCode, 400);
    assert.equal(e.message, 'Endpoint nope of account 111111111111 not found.');
    return true;
  });
  h.sm.call('CreateModel', modelRequest('bad', 'example.com/broken:1'));
  h.sm.call('CreateEndpointConfig', config('cfg', 'bad'));
  h.sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg' });
  await assert.rejects(h.sm.ensureEndpointServing('ep'), { name: 'ValidationError', message: /^Endpoint ep of account 111111111111 is Creating; only an InService endpoint can be invoked\.$/ });
  await h.sm.waitFor('endpoint', 'ep');
  await assert.rejects(h.sm.ensureEndpointServing('ep'), { name: 'ValidationError', message: /^Endpoint ep of account 111111111111 is Failed \(The primary container .* did not pass the ping health check/ });
  await h.close();
});

test('adoptInServiceEndpoints starts every InService endpoint and reports the ones that cannot start', { timeout: 120_000 }, async () => {
  const { a, b, close } = pair();
  await deployed(a);
  a.sm.call('CreateEndpoint', { EndpointName: 'ep-2', EndpointConfigName: 'cfg-b' });
  await a.sm.waitFor('endpoint', 'ep-2');
  await a.sm.close();
  // An endpoint recorded before deployments were kept, whose model has since gone.
  a.store.resources.update('endpoint', 'ep-2', (row) => ({ record: { Description: row.record['Description']!, Tags: [] } }));
  a.sm.call('DeleteModel', { ModelName: 'm-b' });
  const adopted = await b.sm.adoptInServiceEndpoints();
  assert.deepEqual(
    adopted.map((x) => [x.name, x.url !== undefined, x.error]),
    [
      ['ep', true, undefined],
      ['ep-2', false, 'Endpoint ep-2 cannot be served here: its model m-b no longer exists.'],
    ],
  );
  assert.equal(await body(adopted[0]!.url!), 'm-a');
  await close();
});

test("a model's EnableNetworkIsolation reaches its model server, also when another process serves the endpoint from its record", async () => {
  const { a, b, close } = pair();
  a.sm.call('CreateModel', { ...modelRequest('iso'), EnableNetworkIsolation: true });
  a.sm.call('CreateModel', modelRequest('open'));
  a.sm.call('CreateEndpointConfig', config('cfg-iso', 'iso'));
  a.sm.call('CreateEndpointConfig', config('cfg-open', 'open'));
  a.sm.call('CreateEndpoint', { EndpointName: 'ep-iso', EndpointConfigName: 'cfg-iso' });
  a.sm.call('CreateEndpoint', { EndpointName: 'ep-open', EndpointConfigName: 'cfg-open' });
  await a.sm.waitFor('endpoint', 'ep-iso');
  await a.sm.waitFor('endpoint', 'ep-open');
  const byName = (started: { name: string; networkIsolation?: boolean }[]) => Object.fromEntries(started.map((m) => [m.name, m.networkIsolation === true]));
  assert.deepEqual(byName(a.hosting.started), { iso: true, open: false });
  await a.sm.close();
  await b.sm.ensureEndpointServing('ep-iso');
  await b.sm.ensureEndpointServing('ep-open');
  assert.deepEqual(byName(b.hosting.started), { iso: true, open: false });
  await close();
});
