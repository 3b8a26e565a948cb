/**
 * requirements.txt's cost once its layer is cached: the same script-mode training job with and
 * without a requirements.txt (a wheel built here, served from a local folder), alternating so both
 * see the same machine load, after one job that builds the layer. Prints the medians and their
 * difference (bar: the cached job starts within 0.2 s of the job without one).
 *
 * Run alone with `node dist/bench/requirements-bench.js`, or call `runRequirementsBench()`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Store } from '../src/emulators/s3/index.js';
import { createJobRunner } from '../src/emulators/sagemaker/runner/index.js';

const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const RUNS = 7;
const BAR_MS = 200;

const WHEEL_PY = `
import base64, hashlib, sys, zipfile
name, ver, out = 'benchdemo', '1.0', sys.argv[1]
files = {name + '/__init__.py': b'VALUE = 1\\n',
         name + '-' + ver + '.dist-info/METADATA': ('Metadata-Version: 2.1\\nName: ' + name + '\\nVersion: ' + ver + '\\n').encode(),
         name + '-' + ver + '.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
rec = []
with zipfile.ZipFile(out + '/' + name + '-' + ver + '-py3-none-any.whl', 'w') as z:
    for n, d in files.items():
        z.writestr(n, d)
        rec.append('%s,sha256=%s,%d' % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode(), len(d)))
    rec.append(name + '-' + ver + '.dist-info/RECORD,,')
    z.writestr(name + '-' + ver + '.dist-info/RECORD', '\\n'.join(rec) + '\\n')
`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runRequirementsBench(print: (line: string) => void = console.log): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-req-bench-'));
  try {
    const wheels = join(home, 'wheels');
    mkdirSync(wheels);
    execFileSync('/usr/bin/python3', ['-c', WHEEL_PY, wheels]);
    const s3 = new S3Store(join(home, 's3'), { fsync: false });
    await s3.createBucket({ Bucket: 'bench' });
    const script = 'import os\ntry:\n    import benchdemo\nexcept ImportError:\n    pass\nopen(os.path.join(os.environ["SM_MODEL_DIR"], "m"), "w").write("m")\n';
    for (const variant of ['plain', 'req']) await s3.putObject({ Bucket: 'bench', Key: `${variant}/train.py`, Body: script });
    await s3.putObject({ Bucket: 'bench', Key: 'req/requirements.txt', Body: 'benchdemo==1.0\n' });
    await s3.putObject({ Bucket: 'bench', Key: 'data/a.csv', Body: 'a' });
    const runner = createJobRunner({ hostEnv: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, HOME: '/nonexistent' } });
    let n = 0;
    const job = async (variant: string): Promise<number> => {
      const name = `${variant}-${n++}`;
      const t0 = performance.now();
      const outcome = await runner.run(
        {
          kind: 'training',
          name,
          arn: `arn:aws:sagemaker:us-east-1:111111111111:training-job/${name}`,
          request: {
            TrainingJobName: name,
            RoleArn: 'arn:aws:iam::111111111111:role/r',
            AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
            HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://bench/${variant}/"` },
            InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bench/data/' } } }],
            OutputDataConfig: { S3OutputPath: 's3://bench/models' },
            ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
            StoppingCondition: { MaxRuntimeInSeconds: 600 },
          },
        },
        { home, workDir: join(home, 'jobs', name), logFile: join(home, 'logs', `${name}.log`), s3, region: 'us-east-1', accountId: '111111111111', signal: new AbortController().signal },
      );
      if (outcome.status !== 'Completed') throw new Error(`${name}: ${outcome.failureReason}`);
      return performance.now() - t0;
    };
    const first = await job('req');
    await job('plain');
    const plain: number[] = [];
    const cached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) plain.push(await job('plain')), cached.push(await job('req'));
      else cached.push(await job('req')), plain.push(await job('plain'));
    }
    const diff = median(cached) - median(plain);
    print(
      `${'requirements.txt, layer cached'.padEnd(40)} job ${median(cached).toFixed(0)} ms vs ${median(plain).toFixed(0)} ms without requirements.txt: +${diff.toFixed(0)} ms (bar: <= ${BAR_MS} ms); first job, pip install: ${first.toFixed(0)} ms`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runRequirementsBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
