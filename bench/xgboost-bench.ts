/**
 * The SageMaker XGBoost 1.7-1 image's algorithm mode as a local training job, CreateTrainingJob
 * until the record says Completed (real store, real S3, the sandboxed runner, the CSV channels
 * staged, model.tar.gz uploaded), beside its anchor measured in the same run, alternating: a plain
 * `python3` process doing the same training bare (XGBoost's CSV reader, xgboost.train with the same
 * parameters and rounds printing each round, save_model). Target: ratio <= 1.2x.
 *
 * Run alone with `node dist/bench/xgboost-bench.js`, or call `runXgboostBench()`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_LOCATION } from '../src/core/arn.js';
import type { JsonObject } from '../src/core/json.js';
import { S3Store } from '../src/emulators/s3/index.js';
import { createJobRunner, type JobTimings } from '../src/emulators/sagemaker/runner/index.js';
import { SageMakerService } from '../src/emulators/sagemaker/service/index.js';
import { Store } from '../src/store/index.js';

const PYTHON = '/usr/bin/python3';
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
// From dist/bench/ to the checkout's tests/fixtures/.
const BARE = fileURLToPath(new URL('../../tests/fixtures/xgboost_bare.py', import.meta.url));
const ROWS = 30_000;
const ROUNDS = 50;
const RUNS = 3;
const TARGET = 1.2;

export interface XgboostBenchResult {
  jobMs: number;
  bareMs: number;
  ratio: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runXgboostBench(log: (line: string) => void = console.log): Promise<XgboostBenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-xgb-bench-'));
  const data = join(home, 'data');
  const store = Store.open(home);
  const s3 = new S3Store(join(home, 's3'));
  let last: JobTimings | undefined;
  const sm = new SageMakerService({ store, s3, home, location: LOCAL_LOCATION, runner: createJobRunner({ onTimings: (_job, t) => (last = t) }) });
  try {
    execFileSync('mkdir', ['-p', data]);
    execFileSync(PYTHON, [BARE, 'data', data, String(ROWS)], { timeout: 300_000 });
    await s3.createBucket({ Bucket: 'bench' });
    await s3.putObject({ Bucket: 'bench', Key: 'xgb/train/train.csv', Body: readFileSync(join(data, 'train.csv')) });
    await s3.putObject({ Bucket: 'bench', Key: 'xgb/validation/validation.csv', Body: readFileSync(join(data, 'validation.csv')) });
    const params = { objective: 'binary:logistic', eval_metric: 'auc', max_depth: 6, eta: 0.2 };
    const channel = (name: string): JsonObject => ({
      ChannelName: name,
      ContentType: 'text/csv',
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://bench/xgb/${name}/`, S3DataDistributionType: 'FullyReplicated' } },
    });
    const job = async (name: string): Promise<number> => {
      const t0 = performance.now();
      sm.createTrainingJob({
        TrainingJobName: name,
        RoleArn: 'arn:aws:iam::111111111111:role/SageMakerRole',
        AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
        HyperParameters: { num_round: String(ROUNDS), objective: params.objective, eval_metric: params.eval_metric, max_depth: String(params.max_depth), eta: String(params.eta) },
        InputDataConfig: [channel('train'), channel('validation')],
        OutputDataConfig: { S3OutputPath: 's3://bench/xgb/model/' },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      });
      const d = await sm.waitFor('training-job', name);
      const ms = performance.now() - t0;
      if (d?.['TrainingJobStatus'] !== 'Completed') throw new Error(`XGBoost job ${name}: ${String(d?.['TrainingJobStatus'])} ${String(d?.['FailureReason'])}`);
      return ms;
    };
    const bare = (): number => {
      const t0 = performance.now();
      const r = spawnSync(PYTHON, [BARE, 'plain', data, JSON.stringify(params), String(ROUNDS)], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`bare xgboost.train exited with ${r.status}: ${r.stderr.toString().slice(-300)}`);
      return performance.now() - t0;
    };
    const jobs: number[] = [];
    const bares: number[] = [];
    const timings: JobTimings[] = [];
    for (let i = 0; i < RUNS; i++) {
      bares.push(bare());
      jobs.push(await job(`xgb-bench-${i}`));
      timings.push(last!);
    }
    const result = { jobMs: median(jobs), bareMs: median(bares), ratio: median(jobs) / median(bares) };
    const s = (ms: number): string => (ms / 1000).toFixed(2);
    log(
      `${'XGBoost 1.7-1 training job, create -> Completed'.padEnd(40)} ours ${s(result.jobMs)} s, anchor bare xgboost.train process ${s(result.bareMs)} s ` +
        `(${ROWS.toLocaleString('en-US')} rows, ${ROUNDS} rounds), ratio ${result.ratio.toFixed(2)}x (target <= ${TARGET}x; medians of ${RUNS})`,
    );
    log(
      `${''.padEnd(40)} where it goes (runner, medians): setup ${s(median(timings.map((t) => t.setupMs)))} s (staging the channels), ` +
        `run ${s(median(timings.map((t) => t.runMs)))} s (sandbox + algorithm mode), upload ${s(median(timings.map((t) => t.uploadMs)))} s`,
    );
    return result;
  } finally {
    await sm.close();
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runXgboostBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
