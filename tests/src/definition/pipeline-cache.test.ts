/**
 * Step caching on the census pipeline: the generated definition on the real engine, the real cache
 * Lambda over the real local S3, jobs played by the scripted runner (which writes the same bytes
 * each time, as deterministic scripts do). What a user checks: which stages ran, which were reused
 * and why, and that downstream stages see this run's outputs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentValues, StageName } from '../../../src/config/index.js';
import type { JsonObject } from '../../../src/core/json.js';
import { readRunSummary, stageReports } from '../../../src/definition/index.js';
import { callsTo, censusForScriptedRuns, LocalPipeline } from '../../support/local-pipeline.js';

const DEPLOYMENT: DeploymentValues = {
  bucket: 'mlops-local',
  modelName: 'census',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  roleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  region: 'us-east-1',
};
const CENSUS = censusForScriptedRuns();
const SCRIPTS: Record<string, string> = {
  'preprocessing.py': 'import pandas\nprint("split")\n',
  'train.py': 'import sklearn\nprint("fit")\n',
  'evaluation.py': 'import json\nfrom metrics_util import score\nprint(score())\n',
  'metrics_util.py': 'def score():\n    return 0.9\n',
  'inference.py': 'def model_fn(d):\n    return d\n',
  'input.yaml': 'app_id: aiops\n',
};

async function withCensus(fn: (local: LocalPipeline, put: (key: string, body: string) => Promise<void>) => Promise<void>): Promise<void> {
  const local = new LocalPipeline({ deployment: DEPLOYMENT });
  local.runner.writesOutputs = true;
  const put = async (key: string, body: string) => void (await local.s3.putObject({ Bucket: 'mlops-local', Key: key, Body: Buffer.from(body) }));
  try {
    await local.s3.createBucket({ Bucket: 'mlops-local' });
    for (const [file, body] of Object.entries(SCRIPTS)) await put(`census/scripts/${file}`, body);
    await put('census/data/census-income.csv', 'age,income\n39,<=50K\n');
    await fn(local, put);
  } finally {
    await local.close();
  }
}

let epoch = 1_724_940_000;
async function run(local: LocalPipeline, opts: { noCache?: boolean; from?: StageName; yaml?: string } = {}) {
  const r = await local.run(opts.yaml ?? CENSUS, { epoch: (epoch += 1000), ...(opts.noCache ? { noCache: true } : {}), ...(opts.from ? { from: opts.from } : {}) });
  assert.equal(r.result.status, 'SUCCEEDED', `${r.result.error}: ${r.result.cause}`);
  const stages = Object.fromEntries(stageReports(r.result.input, r.result.history).map((s) => [s.name, s]));
  const jobs = ['createProcessingJob.sync', 'createTrainingJob.sync', 'createTransformJob.sync'].flatMap((a) => callsTo(r.result.history, a));
  return { ...r, stages, jobs, summary: readRunSummary(r.result.output)! };
}

const statuses = (stages: Record<string, { status: string; reason: string }>) => Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, `${v.status}: ${v.reason}`]));

test('a run with nothing changed reuses every job stage: no job runs, and the outputs are at this run\'s locations', { timeout: 60_000 }, () =>
  withCensus(async (local) => {
    const first = await run(local);
    assert.deepEqual(statuses(first.stages), {
      preprocessing: 'ran: no earlier run of preprocessing',
      training: 'ran: no earlier run of training',
      evaluation: 'ran: no earlier run of evaluation',
      batchTransform: 'ran: no earlier run of batchTransform',
    });
    const second = await run(local);
    assert.deepEqual(second.jobs, [], 'no SageMaker job ran');
    const reused = `reused: reused (from ${first.name})`;
    assert.deepEqual(statuses(second.stages), { preprocessing: reused, training: reused, evaluation: reused, batchTransform: reused });
    assert.equal(second.stages['training']!.job, first.name, "the job that made the model: the first run's");
    // Downstream stages, the summary and the registry see this run's outputs, as a fresh run would produce them.
    const model = `s3://mlops-local/census/model/${second.name}/output/model.tar.gz`;
    assert.equal(second.summary.model.modelDataUrl, model);
    assert.equal((await local.s3.getObject({ Bucket: 'mlops-local', Key: `census/model/${second.name}/output/model.tar.gz` })).Body.toString(), 'a model');
    assert.equal(callsTo(second.result.history, 'createModel')[0]!['PrimaryContainer'] && ((callsTo(second.result.history, 'createModel')[0]!['PrimaryContainer'] as JsonObject)['ModelDataUrl']), model);
    assert.deepEqual(second.summary.metrics, { accuracy: 0.91, roc_auc: 0.88 }, "the metrics read from this run's copy of the evaluation output");
    assert.ok(await local.s3.objectExists({ Bucket: 'mlops-local', Key: `census/evaluation/${second.name}/evaluation.json` }));
    assert.equal(second.summary.batchOutput, `s3://mlops-local/census/batch-output/${second.name}/`);
    assert.deepEqual(local.packages('census').map((p) => (p['ModelPackageArn'] as string).split('/').pop()), ['1', '2'], 'each run registers its model version');
  }),
);

test('editing only evaluation.py (or a module it imports) re-runs evaluation and reuses preprocessing, training and batch transform', { timeout: 60_000 }, () =>
  withCensus(async (local, put) => {
    await run(local);
    await put('census/scripts/evaluation.py', 'import json\nfrom metrics_util import score\nprint("v2", score())\n');
    const edited = await run(local);
    assert.deepEqual(
      Object.fromEntries(Object.entries(edited.stages).map(([k, v]) => [k, v.status])),
      { preprocessing: 'reused', training: 'reused', evaluation: 'ran', batchTransform: 'reused' },
    );
    assert.equal(edited.stages['evaluation']!.reason, 'code changed: evaluation.py');
    assert.deepEqual(edited.jobs.map((j) => j['ProcessingJobName']), [`evaluation-${edited.name}`]);

    await put('census/scripts/metrics_util.py', 'def score():\n    return 0.95\n');
    const helper = await run(local);
    assert.equal(helper.stages['evaluation']!.reason, 'code changed: metrics_util.py');
    assert.equal(helper.stages['preprocessing']!.status, 'reused');
  }),
);

test('new input data re-runs preprocessing; training is reused when preprocessing wrote the same content', { timeout: 60_000 }, () =>
  withCensus(async (local, put) => {
    await run(local);
    await put('census/data/census-income.csv', 'age,income\n39,<=50K\n52,>50K\n');
    const r = await run(local);
    assert.equal(r.stages['preprocessing']!.status, 'ran');
    assert.equal(r.stages['preprocessing']!.reason, 'input changed: s3://mlops-local/census/data');
    assert.equal(r.stages['training']!.status, 'reused', 'keyed on the content of its input, not on the input\'s (per-run) URI');
  }),
);

test('run --no-cache and cache: false run their stages; run --from reuses earlier stages even when their key changed, with a warning', { timeout: 60_000 }, () =>
  withCensus(async (local, put) => {
    await run(local);
    const all = await run(local, { noCache: true });
    assert.equal(all.jobs.length, 4);
    assert.ok(Object.values(all.stages).every((s) => s.status === 'ran' && s.reason === 'caching is off (--no-cache or cache.enabled: false)'));

    const noTrainingCache = await run(local, { yaml: CENSUS.replace(/^training:\n  run: true\n/m, 'training:\n  run: true\n  cache: false\n') });
    assert.deepEqual([noTrainingCache.stages['training']!.status, noTrainingCache.stages['training']!.reason], ['ran', 'cache: false on this stage']);
    assert.equal(noTrainingCache.stages['preprocessing']!.status, 'reused');

    await put('census/scripts/preprocessing.py', 'import pandas\nprint("split differently")\n');
    const from = await run(local, { from: 'evaluation' });
    assert.equal(from.stages['preprocessing']!.status, 'reused');
    assert.match(from.stages['preprocessing']!.warning!, /^preprocessing: run --from evaluation reuses the output of mlops-census-\d+ although code changed: preprocessing\.py$/);
    assert.deepEqual([from.stages['evaluation']!.status, from.stages['evaluation']!.reason], ['ran', 'run --from evaluation']);
    assert.equal(from.stages['batchTransform']!.status, 'ran');
  }),
);
