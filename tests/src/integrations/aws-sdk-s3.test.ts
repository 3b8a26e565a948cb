import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../../src/core/clock.js';
import type { JsonObject } from '../../../src/core/json.js';
import { runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import { s3StoreForHome } from '../../../src/emulators/s3/index.js';
import { S3SdkIntegration } from '../../../src/integrations/aws-sdk-s3.js';
import { IntegrationRegistry } from '../../../src/integrations/registry.js';

async function setup() {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sdk-s3-'));
  const s3 = s3StoreForHome(home, { fsync: false });
  await s3.createBucket({ Bucket: 'mlops-bucket' });
  const tasks = new IntegrationRegistry().add(new S3SdkIntegration(s3));
  const run = (definition: JsonObject, input: JsonObject = {}) => runExecution(loadStateMachine(definition), input, { tasks, clock: new RealClock() });
  return { home, s3, run, done: () => rmSync(home, { recursive: true, force: true }) };
}

const sdk = (action: string) => `arn:aws:states:::aws-sdk:s3:${action}`;
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;

test('putObject, getObject, headObject, listObjectsV2, copyObject and deleteObject against the local store', async () => {
  const t = await setup();
  const r = await t.run({
    StartAt: 'Put',
    States: {
      Put: { Type: 'Task', Resource: sdk('putObject'), Parameters: { Bucket: 'mlops-bucket', Key: 'demo/config.json', 'Body.$': '$.config', ContentType: 'application/json' }, ResultPath: '$.put', Next: 'Get' },
      Get: { Type: 'Task', Resource: sdk('getObject'), Parameters: { Bucket: 'mlops-bucket', Key: 'demo/config.json' }, ResultSelector: { 'config.$': 'States.StringToJson($.Body)', 'all.$': '$' }, ResultPath: '$.get', Next: 'Copy' },
      Copy: { Type: 'Task', Resource: sdk('copyObject'), Parameters: { Bucket: 'mlops-bucket', Key: 'demo/copy.json', CopySource: 'mlops-bucket/demo/config.json' }, ResultPath: '$.copy', Next: 'Head' },
      Head: { Type: 'Task', Resource: sdk('headObject'), Parameters: { Bucket: 'mlops-bucket', Key: 'demo/copy.json' }, ResultPath: '$.head', Next: 'List' },
      List: { Type: 'Task', Resource: sdk('listObjectsV2'), Parameters: { Bucket: 'mlops-bucket', Prefix: 'demo/' }, ResultPath: '$.list', Next: 'Delete' },
      Delete: { Type: 'Task', Resource: sdk('deleteObject'), Parameters: { Bucket: 'mlops-bucket', Key: 'demo/copy.json' }, ResultPath: '$.delete', End: true },
    },
  }, { config: { model_id: 'demo', epochs: 3 } });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const out = r.output as JsonObject;
  const put = out['put'] as JsonObject;
  assert.match(put['ETag'] as string, /^"[0-9a-f]{32}"$/);
  const get = out['get'] as JsonObject;
  assert.deepEqual(get['config'], { model_id: 'demo', epochs: 3 });
  const all = get['all'] as JsonObject;
  assert.equal(all['Body'], '{"model_id":"demo","epochs":3}');
  assert.equal(all['ContentLength'], 30);
  assert.equal(all['ContentType'], 'application/json');
  assert.match(all['LastModified'] as string, INSTANT);
  assert.equal(all['ETag'], put['ETag']);
  assert.match(((out['copy'] as JsonObject)['CopyObjectResult'] as JsonObject)['LastModified'] as string, INSTANT);
  assert.equal((out['head'] as JsonObject)['ContentType'], 'application/json');
  const list = out['list'] as JsonObject;
  assert.deepEqual((list['Contents'] as JsonObject[]).map((c) => [c['Key'], c['Size'], c['StorageClass']]), [
    ['demo/config.json', 30, 'STANDARD'],
    ['demo/copy.json', 30, 'STANDARD'],
  ]);
  assert.equal(list['KeyCount'], 2);
  assert.equal(list['Name'], 'mlops-bucket');
  assert.deepEqual(out['delete'], {});
  assert.equal(await t.s3.objectExists({ Bucket: 'mlops-bucket', Key: 'demo/copy.json' }), false);
  t.done();
});

test('missing keys and buckets fail with the SDK v2 exception names, which Catch can match', async () => {
  const t = await setup();
  const r = await t.run({
    StartAt: 'Get',
    States: {
      Get: {
        Type: 'Task',
        Resource: sdk('getObject'),
        Parameters: { Bucket: 'mlops-bucket', Key: 'absent' },
        Catch: [{ ErrorEquals: ['S3.NoSuchKeyException'], ResultPath: '$.err', Next: 'NoBucket' }],
        End: true,
      },
      NoBucket: { Type: 'Task', Resource: sdk('listObjectsV2'), Parameters: { Bucket: 'no-such-bucket' }, End: true },
    },
  });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'S3.NoSuchBucketException');
  assert.match(r.cause!, /^The specified bucket does not exist \(Service: S3, Status Code: 404, Request ID: [0-9A-F]{16}, Extended Request ID: .+\)$/);
  t.done();
});

test('unknown or missing members are refused with States.Runtime', async () => {
  const t = await setup();
  const r = await t.run({ StartAt: 'Get', States: { Get: { Type: 'Task', Resource: sdk('getObject'), Parameters: { Bucket: 'mlops-bucket', Keys: 'x' }, End: true } } });
  assert.equal(r.error, 'States.Runtime');
  assert.match(r.cause!, /\[The field "Keys" is not supported by Step Functions\]$/);
  const r2 = await t.run({ StartAt: 'Get', States: { Get: { Type: 'Task', Resource: sdk('getObject'), Parameters: { Bucket: 'mlops-bucket' }, End: true } } });
  assert.match(r2.cause!, /\[The field 'Key' is required but was missing\]$/);
  t.done();
});
