/**
 * The step cache Lambda over a real local S3 (objects in a temp folder), through the same SDK-shaped
 * client `run` gives it: keys, hits that copy outputs, misses that say what changed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JsonObject } from '../../../src/core/json.js';
import { s3StoreForHome, type S3Store } from '../../../src/emulators/s3/index.js';
import { localCacheStorage } from '../../../src/engine/local-cache-storage.js';
import { cacheLocation, createCacheHandler, InvalidCacheEventError, type CacheCheck } from '../../../src/lambda/index.js';

const B = 'mlops-local';

function request(execution: string, extra: JsonObject = {}): JsonObject {
  return {
    ProcessingJobName: `evaluation-${execution}`,
    AppSpecification: { ImageUri: 'sklearn:1.2-1', ContainerEntrypoint: ['python3', '/opt/ml/processing/code/evaluation.py'] },
    ProcessingInputs: [
      { InputName: 'code', S3Input: { S3Uri: `s3://${B}/census/scripts`, LocalPath: '/opt/ml/processing/code', S3DataType: 'S3Prefix' } },
      { InputName: 'test', S3Input: { S3Uri: `s3://${B}/census/processing/${execution}/test`, LocalPath: '/opt/ml/processing/test', S3DataType: 'S3Prefix' } },
    ],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: `s3://${B}/census/evaluation/${execution}`, LocalPath: '/opt/ml/processing/evaluation' } }] },
    ...extra,
  };
}

async function withCache(fn: (s3: S3Store, call: (e: JsonObject) => Promise<JsonObject>) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-cache-'));
  const s3 = s3StoreForHome(home, { fsync: false });
  await s3.createBucket({ Bucket: B });
  let now = Date.parse('2026-12-01T00:00:00Z');
  const handler = createCacheHandler({ s3: localCacheStorage(s3), location: (p) => cacheLocation(B, p), now: () => (now += 1000) });
  try {
    await fn(s3, async (e) => (await handler(e)) as unknown as JsonObject);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const put = (s3: S3Store, key: string, body: string) => s3.putObject({ Bucket: B, Key: key, Body: Buffer.from(body) });
const check = (execution: string, extra: JsonObject = {}, settings: JsonObject = { enabled: true, max_age_days: null, from: null }) => ({
  step: 'check',
  pipeline: 'census',
  stage: 'evaluation',
  kind: 'processing',
  execution,
  request: request(execution, extra),
  settings,
});

/** Runs "the job": writes its output, as the evaluation job would, then records it. */
async function ran(s3: S3Store, call: (e: JsonObject) => Promise<JsonObject>, execution: string, answer: JsonObject, metrics = '{"accuracy": 0.9}') {
  await put(s3, `census/evaluation/${execution}/evaluation.json`, metrics);
  const result = { ...request(execution), ProcessingJobStatus: 'Completed', ProcessingJobArn: `arn:aws:sagemaker:us-east-1:1:processing-job/evaluation-${execution}` };
  return call({ step: 'record', pipeline: 'census', stage: 'evaluation', kind: 'processing', execution, cache: answer, result });
}

test('a job with the same request, input content and code is reused: its outputs are copied to this run and its description points there', { timeout: 30_000 }, () =>
  withCache(async (s3, call) => {
    await put(s3, 'census/scripts/evaluation.py', 'import metrics_util\nprint(1)\n');
    await put(s3, 'census/scripts/metrics_util.py', 'X = 1\n');
    await put(s3, 'census/scripts/preprocessing.py', 'print("pre")\n');
    await put(s3, 'census/scripts/input.yaml', 'app_id: a\n');
    await put(s3, 'census/processing/run-1/test/test.csv', '1,2\n');
    const first = (await call(check('run-1'))) as unknown as CacheCheck;
    assert.equal(first.hit, false);
    assert.equal(first.reason, 'no earlier run of evaluation');
    const names = first.parts.map((p) => `${p.kind} ${p.name}`);
    assert.ok(names.includes('code evaluation.py') && names.includes('code metrics_util.py'), names.join(', '));
    assert.ok(!names.some((n) => /preprocessing\.py|input\.yaml/.test(n)), 'only the code the job can import is keyed');
    assert.ok(names.includes('input s3://mlops-local/census/processing/{execution}/test'), names.join(', '));
    assert.deepEqual(await ran(s3, call, 'run-1', first as unknown as JsonObject), { recorded: true, key: first.key });

    // The next run: same code, same test data (under its own prefix), nothing else changed.
    await put(s3, 'census/processing/run-2/test/test.csv', '1,2\n');
    await put(s3, 'census/scripts/preprocessing.py', 'print("pre, edited")\n');
    const second = (await call(check('run-2'))) as unknown as CacheCheck;
    assert.equal(second.hit, true, second.reason);
    assert.equal(second.key, first.key);
    assert.equal(second.reason, 'reused (from run-1)');
    assert.equal(second.source?.execution, 'run-1');
    const copied = await s3.getObject({ Bucket: B, Key: 'census/evaluation/run-2/evaluation.json' });
    assert.equal(copied.Body.toString(), '{"accuracy": 0.9}');
    const outputs = (((second.result as JsonObject)['ProcessingOutputConfig'] as JsonObject)['Outputs'] as JsonObject[])[0]!;
    assert.equal((outputs['S3Output'] as JsonObject)['S3Uri'], `s3://${B}/census/evaluation/run-2`);
    assert.equal((second.result as JsonObject)['ProcessingJobName'], 'evaluation-run-1', 'the job that made the output');
  }),
);

test('a miss says what changed since the nearest earlier entry: code, an imported module, input content, a request field', { timeout: 30_000 }, () =>
  withCache(async (s3, call) => {
    await put(s3, 'census/scripts/evaluation.py', 'import metrics_util\n');
    await put(s3, 'census/scripts/metrics_util.py', 'X = 1\n');
    await put(s3, 'census/processing/r1/test/test.csv', '1,2\n');
    await ran(s3, call, 'r1', await call(check('r1')));

    await put(s3, 'census/scripts/evaluation.py', 'import metrics_util\nprint("edited")\n');
    await put(s3, 'census/processing/r2/test/test.csv', '1,2\n');
    assert.equal(((await call(check('r2'))) as unknown as CacheCheck).reason, 'code changed: evaluation.py');

    await put(s3, 'census/scripts/evaluation.py', 'import metrics_util\n');
    await put(s3, 'census/scripts/metrics_util.py', 'X = 2\n');
    assert.equal(((await call(check('r2'))) as unknown as CacheCheck).reason, 'code changed: metrics_util.py');

    await put(s3, 'census/scripts/metrics_util.py', 'X = 1\n');
    await put(s3, 'census/processing/r2/test/test.csv', '1,3\n');
    assert.equal(((await call(check('r2'))) as unknown as CacheCheck).reason, 'input changed: s3://mlops-local/census/processing/{execution}/test');

    await put(s3, 'census/processing/r2/test/test.csv', '1,2\n');
    const env = (await call(check('r2', { Environment: { LEVEL: '2' } }))) as unknown as CacheCheck;
    assert.equal(env.reason, 'request field added: Environment');
    assert.equal(((await call(check('r2'))) as unknown as CacheCheck).hit, true);
  }),
);

test('cache: false, caching off, an expired entry and deleted outputs all run the job, each saying why', { timeout: 30_000 }, () =>
  withCache(async (s3, call) => {
    await put(s3, 'census/scripts/evaluation.py', 'print(1)\n');
    await ran(s3, call, 'r1', await call(check('r1')));
    const off = (await call({ ...check('r2'), stageEnabled: false })) as unknown as CacheCheck;
    assert.deepEqual([off.hit, off.reason, off.record], [false, 'cache: false on this stage', false]);
    assert.deepEqual(await call({ step: 'record', pipeline: 'census', stage: 'evaluation', kind: 'processing', execution: 'r2', cache: off as unknown as JsonObject, result: {} }), { recorded: false });
    const noCache = (await call(check('r2', {}, { enabled: false, max_age_days: null, from: null }))) as unknown as CacheCheck;
    assert.deepEqual([noCache.hit, noCache.reason], [false, 'caching is off (--no-cache or cache.enabled: false)']);
    const expired = (await call(check('r2', {}, { enabled: true, max_age_days: 0.00001, from: null }))) as unknown as CacheCheck;
    assert.deepEqual([expired.hit, expired.reason], [false, 'the output of r1 is older than cache.max_age_days (0.00001)']);
    await s3.deleteObject({ Bucket: B, Key: 'census/evaluation/r1/evaluation.json' });
    const gone = (await call(check('r2'))) as unknown as CacheCheck;
    assert.deepEqual([gone.hit, gone.reason], [false, 'the output of r1 was deleted: s3://mlops-local/census/evaluation/r1/evaluation.json']);
  }),
);

test('run --from reuses the latest output of an earlier stage even when its key changed, with a warning; the stage itself runs', { timeout: 30_000 }, () =>
  withCache(async (s3, call) => {
    await put(s3, 'census/scripts/evaluation.py', 'print(1)\n');
    await ran(s3, call, 'r1', await call(check('r1')));
    await put(s3, 'census/scripts/evaluation.py', 'print(2)\n');
    const from = { enabled: true, max_age_days: null, from: 'batchTransform' };
    const reused = (await call(check('r2', {}, from))) as unknown as CacheCheck;
    assert.equal(reused.hit, true);
    assert.equal(reused.warning, 'evaluation: run --from batchTransform reuses the output of r1 although code changed: evaluation.py');
    const own = (await call(check('r2', {}, { ...from, from: 'evaluation' }))) as unknown as CacheCheck;
    assert.deepEqual([own.hit, own.reason], [false, 'run --from evaluation']);
  }),
);

test('events the state machine would never send are refused with what is expected', { timeout: 30_000 }, () =>
  withCache(async (_s3, call) => {
    for (const bad of [null, {}, { ...check('r1'), stage: '../x' }, { ...check('r1'), kind: 'shell' }, { ...check('r1'), pipeline: '../../etc' }, { ...check('r1'), step: 'drop' }, { ...check('r1'), request: 'x' }]) {
      await assert.rejects(call(bad as JsonObject), (e: unknown) => e instanceof InvalidCacheEventError && /^Invalid cache event: /.test((e as Error).message));
    }
  }),
);
