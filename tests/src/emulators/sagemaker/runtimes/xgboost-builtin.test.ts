/**
 * The SageMaker XGBoost 1.7-1 image run locally, checked against XGBoost run bare on the same data:
 * algorithm-mode training (built-in metrics in FinalMetricDataList, xgboost-model in model.tar.gz,
 * the container's validation errors, checkpoints), the model server in algorithm mode (predictions
 * equal to the bare model's to 1e-6, the container's statuses and Accept forms), batch transform,
 * and script mode on the same image.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { JsonObject } from '../../../../../src/core/json.js';
import type { JobOutcome, ModelSpec } from '../../../../../src/emulators/sagemaker/contracts.js';
import { createHosting, type LocalModelServer } from '../../../../../src/emulators/sagemaker/hosting/index.js';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/index.js';
import { BUCKET, channel, makeTarGz, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const PYTHON = '/usr/bin/python3';
// From dist/tests/src/emulators/sagemaker/runtimes/ to the checkout's tests/fixtures/.
const BARE = fileURLToPath(new URL('../../../../../../tests/fixtures/xgboost_bare.py', import.meta.url));
const ROUNDS = 20;
const PARAMS = { objective: 'binary:logistic', eval_metric: ['auc', 'logloss'], max_depth: 4, eta: 0.3 };

interface Bare {
  evals: Record<string, number>;
  predictions: number[];
}

/** Reads one member of a gzipped tar archive (enough for the archives the runner writes). */
function tarMember(archive: Buffer, name: string): Buffer | undefined {
  const tar = gunzipSync(archive);
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    const member = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (member === '') return undefined;
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    if (member.replace(/^\.\//, '') === name) return tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function assertClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length, 'as many predictions as rows');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `row ${i}: ${actual[i]} vs bare ${expected[i]}`);
  }
}

function xgboostJob(name: string, hyperParameters: Record<string, string>, extra: JsonObject = {}): ReturnType<typeof trainingJob> {
  return trainingJob(name, {
    AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
    HyperParameters: hyperParameters,
    InputDataConfig: [
      channel('train', `s3://${BUCKET}/data/train/`, { ContentType: 'text/csv' }),
      channel('validation', `s3://${BUCKET}/data/validation/`, { ContentType: 'text/csv' }),
    ],
    ...extra,
  });
}

const HYPERPARAMETERS = { num_round: String(ROUNDS), objective: 'binary:logistic', eval_metric: 'auc,logloss', max_depth: '4', eta: '0.3' };

describe('SageMaker XGBoost 1.7-1, algorithm mode, against bare XGBoost', { timeout: 600_000 }, () => {
  let h: TestHome;
  let dataDir: string;
  let bare: Bare;
  let trained: JobOutcome;
  let modelDataUrl: string;
  let testCsv: string;

  before(async () => {
    h = await testHome();
    dataDir = mkdtempSync(join(tmpdir(), 'xgb-bare-'));
    execFileSync(PYTHON, [BARE, 'data', dataDir, '1000'], { timeout: 60_000 });
    bare = JSON.parse(execFileSync(PYTHON, [BARE, 'train', dataDir, JSON.stringify(PARAMS), String(ROUNDS)], { timeout: 120_000 }).toString()) as Bare;
    await h.put('data/train/train.csv', readFileSync(join(dataDir, 'train.csv')));
    await h.put('data/validation/validation.csv', readFileSync(join(dataDir, 'validation.csv')));
    testCsv = readFileSync(join(dataDir, 'test.csv'), 'utf8');
    trained = await createJobRunner().run(xgboostJob('xgb-train', HYPERPARAMETERS), h.context('xgb-train'));
    modelDataUrl = trained.s3ModelArtifacts ?? '';
  });
  after(() => {
    h.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trains, logs every round in the container format and fills FinalMetricDataList from the built-in metric definitions', () => {
    assert.equal(trained.status, 'Completed', trained.failureReason);
    const log = readFileSync(h.context('xgb-train').logFile, 'utf8');
    assert.match(log, /^\[0\]#011train-auc:\d\.\d{5}#011train-logloss:\d\.\d{5}#011validation-auc:\d\.\d{5}#011validation-logloss:\d\.\d{5}$/m);
    assert.match(log, new RegExp(`^\\[${ROUNDS - 1}\\]#011train-auc:`, 'm'));
    assert.match(log, /^\[\d{4}-\d\d-\d\d:\d\d:\d\d:\d\d:INFO\] Running XGBoost Sagemaker in algorithm mode$/m);
    const metrics = Object.fromEntries((trained.finalMetricDataList ?? []).map((m) => [m.MetricName, m.Value]));
    assert.deepEqual(Object.keys(metrics).sort(), ['train:auc', 'train:logloss', 'validation:auc', 'validation:logloss']);
    for (const [name, value] of Object.entries(bare.evals)) {
      // The log prints 5 decimals; the metric is what the log says.
      assert.ok(Math.abs(metrics[name]! - value) <= 5e-6, `${name}: ${metrics[name]} vs bare ${value}`);
    }
  });

  it('writes xgboost-model into model.tar.gz: the same model as bare XGBoost trains', async () => {
    const member = tarMember(await h.get(modelDataUrl.replace(`s3://${BUCKET}/`, '')), 'xgboost-model');
    assert.ok(member, 'model.tar.gz holds xgboost-model');
    const file = join(dataDir, 'job-model');
    writeFileSync(file, member);
    const predictions = JSON.parse(execFileSync(PYTHON, [BARE, 'predict', file, join(dataDir, 'test.csv')], { timeout: 60_000 }).toString()) as number[];
    assertClose(predictions, bare.predictions);
  });

  describe('its model server', () => {
    let server: LocalModelServer;
    before(async () => {
      const model: ModelSpec = { name: 'xgb', image: XGBOOST_IMAGE, modelDataUrl, environment: {} };
      server = await createHosting().startServer(model, { home: h.home, workDir: join(h.home, 'endpoints', 'xgb'), logFile: join(h.home, 'logs', 'xgb-endpoint.log'), s3: h.s3, region: 'us-east-1' });
    });
    after(() => server?.stop());

    it('answers text/csv (no Accept) with one prediction per line, equal to bare XGBoost to 1e-6', async () => {
      const r = await server.invoke({ body: Buffer.from(testCsv), contentType: 'text/csv' });
      assert.equal(r.status, 200, r.body.toString());
      assert.match(r.contentType, /^text\/csv/);
      assertClose(r.body.toString().trim().split('\n').map(Number), bare.predictions);
    });

    it('answers application/json as {"predictions": [{"score": p}, ...]} and reads text/libsvm', async () => {
      const json = await server.invoke({ body: Buffer.from(testCsv), contentType: 'text/csv', accept: 'application/json' });
      assert.equal(json.status, 200);
      const scores = (JSON.parse(json.body.toString()) as { predictions: { score: number }[] }).predictions.map((p) => p.score);
      assertClose(scores, bare.predictions);
      const libsvm = testCsv
        .trim()
        .split('\n')
        .map((line) => '0 ' + line.split(',').map((v, i) => `${i}:${v}`).join(' '))
        .join('\n');
      const r = await server.invoke({ body: Buffer.from(libsvm), contentType: 'text/libsvm' });
      assert.equal(r.status, 200, r.body.toString());
      assertClose(r.body.toString().trim().split('\n').map(Number), bare.predictions);
    });

    it('answers as the container does what it cannot serve', async () => {
      assert.equal((await server.invoke({ body: Buffer.alloc(0), contentType: 'text/csv' })).status, 204);
      const badType = await server.invoke({ body: Buffer.from('1,2'), contentType: 'image/png' });
      assert.equal(badType.status, 415);
      assert.match(badType.body.toString(), /^image\/png is not an accepted ContentType: csv, libsvm, parquet, recordio-protobuf, text\/csv/);
      const recordio = await server.invoke({ body: Buffer.from([1, 2, 3]), contentType: 'application/x-recordio-protobuf' });
      assert.equal(recordio.status, 415);
      assert.match(recordio.body.toString(), /cannot read application\/x-recordio-protobuf/);
      const accept = await server.invoke({ body: Buffer.from(testCsv), contentType: 'text/csv', accept: 'text/plain' });
      assert.equal(accept.status, 406);
      assert.match(accept.body.toString(), /^Accept type text\/plain is not supported\. Please use supported accept types: \['application\/json', 'application\/jsonlines', 'application\/x-recordio-protobuf', 'text\/csv'\]\.$/);
      // More columns than the model has features: XGBoost refuses to predict (fewer pass, as missing values).
      const features = await server.invoke({ body: Buffer.from('1,2,3,4,5,6,7,8'), contentType: 'text/csv' });
      assert.equal(features.status, 400);
      assert.match(features.body.toString(), /^Unable to evaluate payload provided: .*Number of columns does not match number of features in booster/s);
      assert.equal((await server.invoke({ body: Buffer.from(testCsv), contentType: 'text/csv', accept: 'application/jsonlines' })).status, 500);
    });
  });

  it('batch-transforms a CSV file into the same predictions, one per line', async () => {
    await h.put('batch/in/test.csv', testCsv);
    const request: JsonObject = {
      TransformJobName: 'xgb-batch',
      ModelName: 'xgb',
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/batch/in/` } }, ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { S3OutputPath: `s3://${BUCKET}/batch/out/`, Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      BatchStrategy: 'MultiRecord',
    };
    const model: ModelSpec = { name: 'xgb', image: XGBOOST_IMAGE, modelDataUrl, environment: {} };
    const outcome = await createHosting().runTransform({ name: 'xgb-batch', arn: 'arn', request, model }, h.context('xgb-batch'));
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    const lines = (await h.get('batch/out/test.csv.out')).toString().trim().split('\n');
    assertClose(lines.map(Number), bare.predictions);
  });

  it('fails a job with the container\'s hyperparameter and channel errors', async () => {
    const runner = createJobRunner();
    const cases: [string, Record<string, string>, JsonObject, RegExp][] = [
      ['xgb-no-rounds', { objective: 'binary:logistic' }, {}, /UserError: Missing required hyperparameter: num_round/],
      ['xgb-eta', { num_round: '2', eta: '2' }, {}, /Hyperparameter eta: 2\.0 is not in \[0, 1\]/],
      ['xgb-csv-label', { num_round: '2' }, { InputDataConfig: [channel('train', `s3://${BUCKET}/data/train/`, { ContentType: 'text/csv;label_size=2' })] }, /Channel configuration for 'train' channel is not supported: \{'ContentType': 'text\/csv;label_size=2'/],
      ['xgb-extra', { num_round: '2', silent: '0' }, {}, /Extraneous hyperparameter found: silent/],
      ['xgb-auc', { num_round: '2', objective: 'reg:squarederror', eval_metric: 'auc' }, {}, /Metric 'auc' can only be applied for classification and ranking problems\./],
      [
        'xgb-test-channel',
        { num_round: '2' },
        { InputDataConfig: [channel('train', `s3://${BUCKET}/data/train/`, { ContentType: 'text/csv' }), channel('test', `s3://${BUCKET}/data/validation/`, { ContentType: 'text/csv' })] },
        /Extraneous channel found: test/,
      ],
      [
        'xgb-content-type',
        { num_round: '2' },
        { InputDataConfig: [channel('train', `s3://${BUCKET}/data/train/`, { ContentType: 'application/json' })] },
        /Channel configuration for 'train' channel is not supported: \{'ContentType': 'application\/json'/,
      ],
    ];
    for (const [name, hps, extra, reason] of cases) {
      const outcome = await runner.run(xgboostJob(name, hps, extra), h.context(name));
      assert.equal(outcome.status, 'Failed', name);
      assert.match(outcome.failureReason ?? '', /^AlgorithmError: framework error: \n/, name);
      assert.match(outcome.failureReason ?? '', reason, name);
      assert.match(outcome.failureReason ?? '', /, exit code: 1$/, name);
    }
  });

  it('reads text/libsvm channels and writes XGBoost\'s checkpoint where CheckpointConfig points', async () => {
    await h.put('libsvm/train/train.libsvm', readFileSync(join(dataDir, 'train.libsvm')));
    const job = trainingJob('xgb-libsvm', {
      AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
      HyperParameters: { num_round: '3', objective: 'binary:logistic' },
      InputDataConfig: [channel('train', `s3://${BUCKET}/libsvm/train/`, { ContentType: 'text/libsvm' })],
      CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/xgb-libsvm/` },
    });
    const outcome = await createJobRunner().run(job, h.context('xgb-libsvm'));
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    assert.deepEqual(
      (outcome.finalMetricDataList ?? []).map((m) => m.MetricName),
      ['train:logloss'],
      'the objective\'s default metric is printed and matched',
    );
    // The image's algorithm mode hands XGBoost's own TrainingCheckPoint the resume round (0 on a fresh start).
    assert.deepEqual(await h.keys('checkpoints/xgb-libsvm/'), ['checkpoints/xgb-libsvm/xgboost-checkpoint_0.json']);
  });

  it('runs a script on the same image in script mode, with the toolkit\'s environment and arguments', async () => {
    const script = [
      'import argparse, os',
      'import numpy as np, xgboost as xgb',
      'p = argparse.ArgumentParser()',
      "p.add_argument('--num_round', type=int)",
      "p.add_argument('--max_depth', type=int)",
      'a = p.parse_args()',
      "d = np.loadtxt(os.path.join(os.environ['SM_CHANNEL_TRAIN'], 'train.csv'), delimiter=',')",
      "b = xgb.train({'max_depth': a.max_depth, 'objective': 'binary:logistic'}, xgb.DMatrix(d[:, 1:], label=d[:, 0]), a.num_round)",
      "b.save_model(os.path.join(os.environ['SM_MODEL_DIR'], 'model.json'))",
      "print('rounds', a.num_round, 'model dir', os.environ['SM_MODEL_DIR'])",
    ].join('\n');
    await h.put('code/sourcedir.tar.gz', makeTarGz([{ name: 'train.py', content: script }]));
    const job = xgboostJob('xgb-script', {
      num_round: '4',
      max_depth: '3',
      sagemaker_program: '"train.py"',
      sagemaker_submit_directory: `"s3://${BUCKET}/code/sourcedir.tar.gz"`,
    });
    const outcome = await createJobRunner().run(job, h.context('xgb-script'));
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    const log = readFileSync(h.context('xgb-script').logFile, 'utf8');
    assert.match(log, /^rounds 4 model dir \/opt\/ml\/model$/m);
    assert.match(log, /train\.py --max_depth 3 --num_round 4/);
    assert.ok(tarMember(await h.get(outcome.s3ModelArtifacts!.replace(`s3://${BUCKET}/`, '')), 'model.json'));
  });
});
