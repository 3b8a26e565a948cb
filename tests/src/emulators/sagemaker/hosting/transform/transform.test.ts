import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../../../../src/core/json.js';
import type { ModelSpec } from '../../../../../../src/emulators/sagemaker/contracts.js';
import { createHosting } from '../../../../../../src/emulators/sagemaker/hosting/create-hosting.js';
import { resolveHostingOptions } from '../../../../../../src/emulators/sagemaker/hosting/hosting-options.js';
import { LogSink } from '../../../../../../src/emulators/sagemaker/hosting/log-sink.js';
import type { ModelBackend } from '../../../../../../src/emulators/sagemaker/hosting/model-backend.js';
import { launchBackend } from '../../../../../../src/emulators/sagemaker/hosting/model-server.js';
import { BUCKET, fixtures, testHome, waitForLog, type TestHome } from '../../../../../support/hosting.js';
import { listInputObjects } from '../../../../../../src/emulators/sagemaker/hosting/transform/input-objects.js';
import { ALGORITHM_ERROR, transformInputs } from '../../../../../../src/emulators/sagemaker/hosting/transform/run-transform.js';
import { batchEnvironment, parseTransformRequest } from '../../../../../../src/emulators/sagemaker/hosting/transform/transform-config.js';

const CSV = 'text/csv';
const JSON_TYPE = 'application/json';

interface Combo {
  split: 'None' | 'Line';
  strategy: 'MultiRecord' | 'SingleRecord';
  assemble: 'None' | 'Line';
  join?: 'Input';
  inputFilter?: string;
  outputFilter?: string;
  expected: string;
}

function request(inputUri: string, outputPath: string, o: Partial<Combo> & { contentType?: string; accept?: string; extra?: JsonObject } = {}): JsonObject {
  const req: JsonObject = {
    TransformJobName: 'job',
    ModelName: 'model',
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: inputUri } },
      ContentType: o.contentType ?? CSV,
      SplitType: o.split ?? 'Line',
    },
    TransformOutput: { S3OutputPath: outputPath, Accept: o.accept ?? CSV, AssembleWith: o.assemble ?? 'Line' },
    TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    BatchStrategy: o.strategy ?? 'MultiRecord',
    ...(o.extra ?? {}),
  };
  if (o.join || o.inputFilter || o.outputFilter) {
    req['DataProcessing'] = {
      ...(o.inputFilter ? { InputFilter: o.inputFilter } : {}),
      ...(o.outputFilter ? { OutputFilter: o.outputFilter } : {}),
      ...(o.join ? { JoinSource: o.join } : {}),
    };
  }
  return req;
}

describe('batch transform against a running model server', { timeout: 180_000 }, () => {
  let t: TestHome;
  let sum: ModelBackend;
  let sklearn: ModelBackend;
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
  };

  before(async () => {
    t = await testHome();
    const f = fixtures();
    const code = await t.put('code/sum.tar.gz', f.file('sum-sourcedir.tar.gz'));
    const model = await t.put('model/model.tar.gz', f.file('model.tar.gz'));
    const options = resolveHostingOptions();
    const sink = new LogSink(t.hostingContext('shared').logFile);
    const [a, b] = await Promise.all([
      launchBackend({ name: 'sum', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', environment: { SAGEMAKER_PROGRAM: 'sum.py', SAGEMAKER_SUBMIT_DIRECTORY: code } }, t.hostingContext('sum'), sink, options, 1, {
        SAGEMAKER_BATCH: 'true',
      }),
      launchBackend({ name: 'lr', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: model, environment: {} }, t.hostingContext('lr'), sink, options, 1, { SAGEMAKER_BATCH: 'true' }),
    ]);
    sum = a.backend;
    sklearn = b.backend;
    await t.put('combo/in/a.csv', '1,2,3\n4,5,6\n7,8,9\n');
  });
  after(async () => {
    await Promise.all([sum?.stop(0), sklearn?.stop(0)]);
    t.cleanup();
  });

  async function run(backend: ModelBackend, req: JsonObject): Promise<'Completed' | 'Failed' | 'Stopped'> {
    const config = parseTransformRequest(req);
    const inputs = await listInputObjects(t.s3, config, 'us-east-1');
    return transformInputs(config, inputs, backend, t.jobContext('combo'), log);
  }

  const combos: Combo[] = [
    { split: 'None', strategy: 'MultiRecord', assemble: 'None', expected: '6.0\n15.0\n24.0' },
    { split: 'None', strategy: 'MultiRecord', assemble: 'Line', expected: '6.0\n15.0\n24.0\n' },
    { split: 'None', strategy: 'SingleRecord', assemble: 'None', expected: '6.0\n15.0\n24.0' },
    { split: 'None', strategy: 'SingleRecord', assemble: 'Line', expected: '6.0\n15.0\n24.0\n' },
    { split: 'Line', strategy: 'MultiRecord', assemble: 'None', expected: '6.0\n15.0\n24.0' },
    { split: 'Line', strategy: 'MultiRecord', assemble: 'Line', expected: '6.0\n15.0\n24.0\n' },
    { split: 'Line', strategy: 'SingleRecord', assemble: 'None', expected: '6.015.024.0' },
    { split: 'Line', strategy: 'SingleRecord', assemble: 'Line', expected: '6.0\n15.0\n24.0\n' },
    { split: 'Line', strategy: 'MultiRecord', assemble: 'Line', join: 'Input', expected: '1,2,3,6.0\n4,5,6,15.0\n7,8,9,24.0\n' },
    { split: 'Line', strategy: 'SingleRecord', assemble: 'Line', join: 'Input', expected: '1,2,3,6.0\n4,5,6,15.0\n7,8,9,24.0\n' },
    {
      split: 'Line',
      strategy: 'MultiRecord',
      assemble: 'Line',
      join: 'Input',
      inputFilter: '$[1:]',
      outputFilter: '$[0,-1]',
      expected: '1,5.0\n4,11.0\n7,17.0\n',
    },
    { split: 'Line', strategy: 'SingleRecord', assemble: 'Line', inputFilter: '$[0:1]', expected: '3.0\n9.0\n15.0\n' },
  ];
  combos.forEach((c, i) => {
    const name = `SplitType ${c.split}, ${c.strategy}, AssembleWith ${c.assemble}, JoinSource ${c.join ?? 'None'}${c.inputFilter ? `, InputFilter ${c.inputFilter}` : ''}${c.outputFilter ? `, OutputFilter ${c.outputFilter}` : ''}`;
    it(`CSV: ${name}`, async () => {
      const status = await run(sum, request(`s3://${BUCKET}/combo/in/`, `s3://${BUCKET}/combo/out-${i}`, c));
      assert.equal(status, 'Completed');
      assert.equal((await t.get(`combo/out-${i}/a.csv.out`))?.toString(), c.expected);
    });
  });

  it('JSON: SplitType None joins the output into the input object, then OutputFilter picks members', async () => {
    await t.put('json/one/r.json', '{"id": "r1", "features": [1, 2, 3.5], "0": "first"}');
    const base = { split: 'None' as const, strategy: 'MultiRecord' as const, contentType: JSON_TYPE, accept: JSON_TYPE, join: 'Input' as const };
    assert.equal(await run(sum, request(`s3://${BUCKET}/json/one/`, `s3://${BUCKET}/json/out1/`, { ...base, assemble: 'None', inputFilter: '$.features' })), 'Completed');
    assert.equal((await t.get('json/out1/r.json.out'))?.toString(), '{"id":"r1","features":[1,2,3.5],"0":"first","SageMakerOutput":{"sum":6.5}}');
    const filtered = { ...base, assemble: 'Line' as const, inputFilter: '$.features', outputFilter: "$['id','SageMakerOutput']" };
    assert.equal(await run(sum, request(`s3://${BUCKET}/json/one/`, `s3://${BUCKET}/json/out2/`, filtered)), 'Completed');
    assert.equal((await t.get('json/out2/r.json.out'))?.toString(), '{"id":"r1","SageMakerOutput":{"sum":6.5}}\n');
  });

  it('JSON Lines: a non-object input record is wrapped as SageMakerInput', async () => {
    await t.put('jsonl/in/r.jsonl', '{"id": 1, "features": [1, 2]}\n[3, 4.0]\n');
    const req = request(`s3://${BUCKET}/jsonl/in/`, `s3://${BUCKET}/jsonl/out/`, {
      split: 'Line',
      strategy: 'MultiRecord',
      assemble: 'Line',
      contentType: 'application/jsonlines',
      accept: JSON_TYPE,
      join: 'Input',
    });
    assert.equal(await run(sum, req), 'Completed');
    assert.equal(
      (await t.get('jsonl/out/r.jsonl.out'))?.toString(),
      '{"id":1,"features":[1,2],"SageMakerOutput":{"sum":3.0}}\n{"SageMakerInput":[3,4.0],"SageMakerOutput":{"sum":7.0}}\n',
    );
  });

  it('writes <S3OutputPath>/<key relative to the prefix>.out for every object, and reads ManifestFile and Gzip inputs', async () => {
    await t.put('tree/in/x.csv', '1,1\n');
    await t.put('tree/in/sub/y.csv', '2,2\n');
    assert.equal(await run(sum, request(`s3://${BUCKET}/tree/in`, `s3://${BUCKET}/tree/out/`, {})), 'Completed');
    assert.equal((await t.get('tree/out/x.csv.out'))?.toString(), '2.0\n');
    assert.equal((await t.get('tree/out/sub/y.csv.out'))?.toString(), '4.0\n');
    // A prefix naming one object, or ending inside a name: outputs are named from the prefix's folder.
    assert.equal(await run(sum, request(`s3://${BUCKET}/tree/in/x.csv`, `s3://${BUCKET}/tree/single`, {})), 'Completed');
    assert.equal((await t.get('tree/single/x.csv.out'))?.toString(), '2.0\n');
    assert.equal(await run(sum, request(`s3://${BUCKET}/tree/in/x`, `s3://${BUCKET}/tree/partial/`, {})), 'Completed');
    assert.equal((await t.get('tree/partial/x.csv.out'))?.toString(), '2.0\n');

    await t.put('man/data/p.csv', '5,5\n');
    await t.put('man/data/q.csv', '6,6\n');
    await t.put('man/list.manifest', JSON.stringify([{ prefix: `s3://${BUCKET}/man/data/` }, 'q.csv', 'p.csv']));
    const manifest = request(`s3://${BUCKET}/man/list.manifest`, `s3://${BUCKET}/man/out/`, {});
    (((manifest['TransformInput'] as JsonObject)['DataSource'] as JsonObject)['S3DataSource'] as JsonObject)['S3DataType'] = 'ManifestFile';
    assert.equal(await run(sum, manifest), 'Completed');
    assert.equal((await t.get('man/out/q.csv.out'))?.toString(), '12.0\n');
    assert.equal((await t.get('man/out/p.csv.out'))?.toString(), '10.0\n');

    await t.put('gz/in/z.csv.gz', gzipSync('1,2\n3,4\n'));
    const gz = request(`s3://${BUCKET}/gz/in/`, `s3://${BUCKET}/gz/out/`, {});
    (gz['TransformInput'] as JsonObject)['CompressionType'] = 'Gzip';
    assert.equal(await run(sum, gz), 'Completed');
    assert.equal((await t.get('gz/out/z.csv.gz.out'))?.toString(), '3.0\n7.0\n');
  });

  it('rejects RecordIO and TFRecord with a clear error', () => {
    for (const split of ['RecordIO', 'TFRecord']) {
      const req = request(`s3://${BUCKET}/combo/in/`, `s3://${BUCKET}/x/`, {});
      (req['TransformInput'] as JsonObject)['SplitType'] = split;
      assert.throws(() => parseTransformRequest(req), new RegExp(`SplitType ${split} is not supported`));
    }
  });

  it('SingleRecord CSV with the default sklearn handlers fails as on AWS (each row decodes to a 1-D array)', async () => {
    await t.put('sk/in/rows.csv', '1,2,0,0\n-1,-2,0,0\n');
    const failing = request(`s3://${BUCKET}/sk/in/`, `s3://${BUCKET}/sk/single/`, { strategy: 'SingleRecord', extra: { ModelClientConfig: { InvocationsMaxRetries: 1 } } });
    logs.length = 0;
    assert.equal(await run(sklearn, failing), 'Failed');
    assert.equal(await t.get('sk/single/rows.csv.out'), undefined);
    assert.ok(logs.includes(`${BUCKET}/sk/in/rows.csv: ClientError: 500`), logs.join('\n'));
    const tracebacks = (await waitForLog(t.hostingContext('shared').logFile, /Expected 2D array[^]*Expected 2D array/)).match(/Expected 2D array/g);
    assert.ok((tracebacks?.length ?? 0) >= 2, 'the request was retried once');
    assert.equal(await run(sklearn, request(`s3://${BUCKET}/sk/in/`, `s3://${BUCKET}/sk/multi/`, {})), 'Completed');
    assert.equal((await t.get('sk/multi/rows.csv.out'))?.toString(), '1\n0\n');
  });

  it('fails an object whose single record exceeds MaxPayloadInMB (SplitType None)', async () => {
    await t.put('big/in/b.csv', '1,'.repeat(600_000) + '1\n');
    const req = request(`s3://${BUCKET}/big/in/`, `s3://${BUCKET}/big/out/`, { split: 'None', extra: { MaxPayloadInMB: 1 } });
    logs.length = 0;
    assert.equal(await run(sum, req), 'Failed');
    assert.equal(await t.get('big/out/b.csv.out'), undefined);
    assert.match(logs.join('\n'), /larger than MaxPayloadInMB \(1 MB\)/);
  });
});

describe('runTransform', { timeout: 180_000 }, () => {
  let t: TestHome;
  let model: ModelSpec;
  const hosting = createHosting();

  before(async () => {
    t = await testHome();
    const f = fixtures();
    model = { name: 'lr', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: await t.put('model/model.tar.gz', f.file('model.tar.gz')), environment: {} };
    await t.put('seed/in/big.csv', f.file('big.csv'));
    await t.put('seed/in/small.csv', f.file('small.csv'));
  });
  after(() => t.cleanup());

  it('runs the seed pipeline\'s transform: Line, MultiRecord, several mini-batches in flight, output in input order', async () => {
    const req = request(`s3://${BUCKET}/seed/in/`, `s3://${BUCKET}/seed/out/`, { extra: { MaxConcurrentTransforms: 2, MaxPayloadInMB: 1 } });
    const ctx = t.jobContext('seed');
    const outcome = await hosting.runTransform({ name: 'job', arn: 'arn', request: req, model }, ctx);
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    const f = fixtures();
    assert.equal((await t.get('seed/out/big.csv.out'))?.toString(), f.file('big.pred').toString());
    assert.equal((await t.get('seed/out/small.csv.out'))?.toString(), f.file('small.pred').toString());
    assert.match(await waitForLog(ctx.logFile, /BatchStrategy/), /:\[sagemaker logs\]: MaxConcurrentTransforms=2, MaxPayloadInMB=1, BatchStrategy=MULTI_RECORD/);
  });

  it('fails the job but keeps the other objects\' output when one object\'s requests keep failing', async () => {
    await t.put('mixed/in/good.csv', '1,2,0,0\n-1,-2,0,0\n');
    await t.put('mixed/in/bad.csv', '1,2,0,0\nnot,a,number,row\n');
    const req = request(`s3://${BUCKET}/mixed/in/`, `s3://${BUCKET}/mixed/out/`, { extra: { ModelClientConfig: { InvocationsMaxRetries: 0 } } });
    const ctx = t.jobContext('mixed');
    const outcome = await hosting.runTransform({ name: 'job', arn: 'arn', request: req, model }, ctx);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureReason, ALGORITHM_ERROR);
    assert.equal((await t.get('mixed/out/good.csv.out'))?.toString(), '1\n0\n');
    assert.equal(await t.get('mixed/out/bad.csv.out'), undefined);
    assert.match(await waitForLog(ctx.logFile, /ClientError: 500/), new RegExp(`${BUCKET}/mixed/in/bad.csv: ClientError: 500`));
  });

  it('fails with SageMaker\'s message when the input prefix holds no objects', async () => {
    const req = request(`s3://${BUCKET}/nothing/here/`, `s3://${BUCKET}/x/`, {});
    const outcome = await hosting.runTransform({ name: 'job', arn: 'arn', request: req, model }, t.jobContext('empty'));
    assert.equal(outcome.status, 'Failed');
    assert.match(outcome.failureReason ?? '', /^ClientError: No S3 objects found under S3 URL "s3:\/\/hosting-tests\/nothing\/here\/"/);
  });

  it('passes the batch environment to the container', () => {
    const env = batchEnvironment(parseTransformRequest(request(`s3://${BUCKET}/a/`, `s3://${BUCKET}/b/`, { extra: { MaxPayloadInMB: 4, Environment: { K: 'V' } } })));
    assert.deepEqual(env, { K: 'V', SAGEMAKER_BATCH: 'true', SAGEMAKER_MAX_PAYLOAD_IN_MB: '4', SAGEMAKER_BATCH_STRATEGY: 'MULTI_RECORD' });
  });
});
