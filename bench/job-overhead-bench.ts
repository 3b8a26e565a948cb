/**
 * A no-op processing job's overhead: CreateProcessingJob until the record says Completed, through
 * the local SageMaker service (real store, real S3, the sandboxed runner, the script downloaded as
 * a ProcessingInput as the seed pipeline does), minus what the script itself costs. The anchor,
 * measured in the same run and alternating with the jobs so both see the same machine load, is
 * what the job costs without us: a bare `/usr/bin/python3 noop.py` start. Bar: overhead <= 300 ms.
 *
 * Run alone with `node dist/bench/job-overhead-bench.js`, or call `runJobOverheadBench()`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_LOCATION } from '../src/core/arn.js';
import { S3Store } from '../src/emulators/s3/index.js';
import { createJobRunner, type JobTimings } from '../src/emulators/sagemaker/runner/index.js';
import { SageMakerService } from '../src/emulators/sagemaker/service/index.js';
import { Store } from '../src/store/index.js';

const PYTHON = '/usr/bin/python3';
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const RUNS = 7;
const WARMUP = 1;
const BAR_MS = 300;

export interface JobOverheadResult {
  /** Medians over RUNS, in milliseconds. */
  jobMs: number;
  bareMs: number;
  /** Median of (job - bare) over back-to-back pairs. */
  overheadMs: number;
  ratio: number;
  timings: { setupMs: number; runMs: number; uploadMs: number };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runJobOverheadBench(log: (line: string) => void = console.log): Promise<JobOverheadResult> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-job-bench-'));
  const store = Store.open(home);
  const s3 = new S3Store(join(home, 's3'));
  let last: JobTimings | undefined;
  const sm = new SageMakerService({
    store,
    s3,
    home,
    location: LOCAL_LOCATION,
    runner: createJobRunner({ onTimings: (_job, t) => (last = t) }),
  });
  try {
    const script = join(home, 'noop.py');
    writeFileSync(script, 'pass\n');
    await s3.createBucket({ Bucket: 'bench' });
    await s3.putObject({ Bucket: 'bench', Key: 'code/noop.py', Body: 'pass\n' });
    const job = async (name: string): Promise<number> => {
      const t0 = performance.now();
      sm.createProcessingJob({
        ProcessingJobName: name,
        RoleArn: 'arn:aws:iam::111111111111:role/SageMakerRole',
        AppSpecification: { ImageUri: IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/noop.py'] },
        ProcessingInputs: [
          { InputName: 'code', S3Input: { S3Uri: 's3://bench/code/noop.py', LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
        ],
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 } },
      });
      const d = await sm.waitFor('processing-job', name);
      const ms = performance.now() - t0;
      if (d?.['ProcessingJobStatus'] !== 'Completed') throw new Error(`no-op job ${name}: ${String(d?.['ProcessingJobStatus'])} ${String(d?.['FailureReason'])}`);
      return ms;
    };
    const bare = (): number => {
      const t0 = performance.now();
      const r = spawnSync(PYTHON, [script]);
      if (r.status !== 0) throw new Error(`${PYTHON} noop.py exited with ${r.status}`);
      return performance.now() - t0;
    };
    const jobs: number[] = [];
    const bares: number[] = [];
    const pairs: number[] = [];
    const timings: JobTimings[] = [];
    for (let i = -WARMUP; i < RUNS; i++) {
      const b = bare();
      const j = await job(`noop-${i + WARMUP}`);
      if (i < 0) continue;
      bares.push(b);
      jobs.push(j);
      pairs.push(j - b);
      timings.push(last!);
    }
    const result: JobOverheadResult = {
      jobMs: median(jobs),
      bareMs: median(bares),
      overheadMs: median(pairs),
      ratio: median(jobs) / median(bares),
      timings: {
        setupMs: median(timings.map((t) => t.setupMs)),
        runMs: median(timings.map((t) => t.runMs)),
        uploadMs: median(timings.map((t) => t.uploadMs)),
      },
    };
    const f = (n: number): string => n.toFixed(1);
    log(
      `${'No-op processing job, create -> Completed'.padEnd(40)} ours ${f(result.jobMs)} ms, anchor bare python3 noop.py ${f(result.bareMs)} ms, ` +
        `ratio ${result.ratio.toFixed(1)}x; overhead ${f(result.overheadMs)} ms (bar: <= ${BAR_MS} ms; medians of ${RUNS})`,
    );
    log(
      `${''.padEnd(40)} where it goes (runner, medians): setup ${f(result.timings.setupMs)} ms (folders, staging the script, runtime check), ` +
        `run ${f(result.timings.runMs)} ms (sandbox + script), upload ${f(result.timings.uploadMs)} ms`,
    );
    return result;
  } finally {
    await sm.close();
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runJobOverheadBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
