import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { BUCKET, channel, makeTarGz, readTarGz, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  h = await testHome();
});
after(() => h.cleanup());

const runner = createJobRunner();

// Written for this test: a "training" that reads its channels and config and writes a model.
const TRAIN_PY = `
import json, os
cfg = "/opt/ml/input/config/"
seen = {
    "hyperparameters": json.load(open(cfg + "hyperparameters.json")),
    "inputdataconfig": json.load(open(cfg + "inputdataconfig.json")),
    "resourceconfig": json.load(open(cfg + "resourceconfig.json")),
    "train": sorted(os.listdir("/opt/ml/input/data/train")),
    "validation": sorted(os.listdir("/opt/ml/input/data/validation")),
    "env": {k: v for k, v in os.environ.items() if k.startswith(("SM_", "TRAINING_", "AWS_"))},
}
try:
    open("/opt/ml/input/data/validation/new.txt", "w").write("x")
    seen["fastfile_writable"] = True
except OSError:
    seen["fastfile_writable"] = False
os.makedirs("/opt/ml/model/sub", exist_ok=True)
json.dump(seen, open("/opt/ml/model/seen.json", "w"))
open("/opt/ml/model/sub/weights.bin", "w").write("w")
open("/opt/ml/output/data/extra.txt", "w").write("e")
print("epoch 1 loss=0.50 acc: 0.7")
print("epoch 2 loss=0.25 acc: 0.9")
print("loss=oops is not a number")
`;

test('a training job with a ContainerEntrypoint gets its channels and config files, and its model becomes model.tar.gz', { timeout: 120_000 }, async () => {
  await h.put('tr/code/train.py', TRAIN_PY);
  await h.put('tr/train/part-1.csv', '1,2\n');
  await h.put('tr/train/more/part-2.csv', '3,4\n');
  await h.put('tr/val/val.csv', '5,6\n');
  const job = trainingJob('train-1', {
    AlgorithmSpecification: {
      ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
      TrainingInputMode: 'File',
      MetricDefinitions: [
        { Name: 'train:loss', Regex: 'loss=([0-9.]+)' },
        { Name: 'accuracy', Regex: 'acc: (\\S+)' },
        { Name: 'never-seen', Regex: 'zzz=(.*)' },
      ],
    },
    HyperParameters: { epochs: '2', 'learning-rate': '0.1' },
    InputDataConfig: [
      channel('train', `s3://${BUCKET}/tr/train`, { ContentType: 'text/csv' }),
      channel('validation', `s3://${BUCKET}/tr/val/val.csv`, { InputMode: 'FastFile' }),
      channel('code', `s3://${BUCKET}/tr/code/`),
    ],
  });
  const outcome = await runner.run(job, h.context('train-1'));
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.equal(outcome.s3ModelArtifacts, `s3://${BUCKET}/models/train-1/output/model.tar.gz`);
  assert.deepEqual(await h.keys('models/train-1/'), ['models/train-1/output/model.tar.gz', 'models/train-1/output/output.tar.gz']);

  const model = readTarGz(await h.get('models/train-1/output/model.tar.gz'));
  assert.deepEqual(
    model.map((m) => [m.name, m.type]),
    [
      ['seen.json', '0'],
      ['sub/', '5'],
      ['sub/weights.bin', '0'],
    ],
  );
  assert.ok(model.every((m) => m.uid === 0));
  assert.deepEqual(
    readTarGz(await h.get('models/train-1/output/output.tar.gz')).map((m) => [m.name, m.content]),
    [['extra.txt', 'e']],
  );

  const seen = JSON.parse(model[0].content);
  assert.deepEqual(seen.hyperparameters, { epochs: '2', 'learning-rate': '0.1' });
  assert.deepEqual(seen.inputdataconfig, {
    train: { ContentType: 'text/csv', TrainingInputMode: 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' },
    validation: { TrainingInputMode: 'FastFile', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' },
    code: { TrainingInputMode: 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' },
  });
  assert.deepEqual(seen.resourceconfig, {
    current_host: 'algo-1',
    current_instance_type: 'ml.m5.xlarge',
    current_group_name: 'homogeneousCluster',
    hosts: ['algo-1'],
    instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: 'ml.m5.xlarge', hosts: ['algo-1'] }],
    network_interface_name: 'eth0',
  });
  assert.deepEqual(seen.train, ['more', 'part-1.csv']);
  assert.deepEqual(seen.validation, ['val.csv']);
  assert.equal(seen.fastfile_writable, false, 'FastFile channels are read-only');
  // With its own entrypoint the toolkit does not run: only the platform's and the image's variables.
  assert.deepEqual(seen.env, {
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    SM_CHECKPOINT_CONFIG_FILE: '/opt/ml/input/config/checkpointconfig.json',
    SM_INPUT: '/opt/ml/input',
    SM_INPUT_DATA_CONFIG_FILE: '/opt/ml/input/config/inputdataconfig.json',
    SM_INPUT_TRAINING_CONFIG_FILE: '/opt/ml/input/config/hyperparameters.json',
    SM_MODEL_DIR: '/opt/ml/model',
    TRAINING_JOB_ARN: job.arn,
    TRAINING_JOB_NAME: 'train-1',
  });

  assert.deepEqual(
    outcome.finalMetricDataList?.map((m) => [m.MetricName, m.Value]),
    [
      ['train:loss', 0.25],
      ['accuracy', 0.9],
    ],
  );
  const extra = outcome.extra as { SecondaryStatus: string; SecondaryStatusTransitions: { Status: string; StatusMessage: string }[] };
  assert.equal(extra.SecondaryStatus, 'Completed');
  assert.deepEqual(
    extra.SecondaryStatusTransitions.map((t) => t.Status),
    ['Starting', 'Downloading', 'Training', 'Uploading', 'Completed'],
  );
});

// Written for this test: a script-mode entry point that records its arguments and environment.
const SCRIPT_MODE_PY = `
import json, os, sys
from lib.helper import answer
os.makedirs(os.environ["SM_MODEL_DIR"], exist_ok=True)
json.dump({
    "argv": sys.argv[1:],
    "cwd": os.getcwd(),
    "answer": answer(),
    "env": {k: v for k, v in os.environ.items() if k.startswith("SM_") or k in ("TRAINING_JOB_NAME", "CURRENT_HOST", "SAGEMAKER_JOB_NAME")},
}, open(os.path.join(os.environ["SM_MODEL_DIR"], "run.json"), "w"))
`;

test('script mode: sagemaker_program from a submitted tar.gz runs with the hyperparameters as arguments and the SM_* environment', { timeout: 120_000 }, async () => {
  await h.put(
    'sm/source/sourcedir.tar.gz',
    makeTarGz([
      { name: 'train.py', content: SCRIPT_MODE_PY },
      { name: 'lib/', type: 'dir' },
      { name: 'lib/__init__.py', content: '' },
      { name: 'lib/helper.py', content: 'def answer():\n    return 42\n' },
    ]),
  );
  await h.put('sm/train/data.csv', '1\n');
  await h.put('sm/test/data.csv', '2\n');
  const ctx = h.context('script-1');
  const outcome = await runner.run(
    trainingJob('script-1', {
      HyperParameters: {
        sagemaker_program: '"train.py"',
        sagemaker_submit_directory: `"s3://${BUCKET}/sm/source/sourcedir.tar.gz"`,
        sagemaker_container_log_level: '20',
        sagemaker_job_name: '"script-1"',
        sagemaker_region: '"us-east-1"',
        epochs: '10',
        'learning-rate': '0.001',
        early: 'true',
        name: 'abc',
        x: '5',
        layers: '[1, 2]',
      },
      InputDataConfig: [channel('train', `s3://${BUCKET}/sm/train/`), channel('test', `s3://${BUCKET}/sm/test/`)],
    }),
    ctx,
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const run = JSON.parse(readTarGz(await h.get('models/script-1/output/model.tar.gz')).find((m) => m.name === 'run.json')!.content);
  assert.deepEqual(run.argv, ['--early', 'True', '--epochs', '10', '--layers', '[1, 2]', '--learning-rate', '0.001', '--name', 'abc', '-x', '5']);
  assert.equal(run.cwd, '/opt/ml/code');
  assert.equal(run.answer, 42);
  const env = run.env as Record<string, string>;
  assert.equal(env['SM_MODEL_DIR'], '/opt/ml/model');
  assert.equal(env['SM_CHANNELS'], '["test","train"]');
  assert.equal(env['SM_CHANNEL_TRAIN'], '/opt/ml/input/data/train');
  assert.equal(env['SM_CHANNEL_TEST'], '/opt/ml/input/data/test');
  assert.equal(env['SM_HPS'], '{"early":true,"epochs":10,"layers":[1,2],"learning-rate":0.001,"name":"abc","x":5}');
  assert.equal(env['SM_HP_LEARNING-RATE'], '0.001');
  assert.equal(env['SM_HP_EARLY'], 'true');
  assert.equal(env['SM_HP_NAME'], 'abc');
  assert.equal(env['SM_USER_ARGS'], '["--early","True","--epochs","10","--layers","[1, 2]","--learning-rate","0.001","--name","abc","-x","5"]');
  assert.equal(env['SM_OUTPUT_DATA_DIR'], '/opt/ml/output/data');
  assert.equal(env['SM_INPUT_DIR'], '/opt/ml/input');
  assert.equal(env['SM_HOSTS'], '["algo-1"]');
  assert.equal(env['SM_CURRENT_HOST'], 'algo-1');
  assert.equal(env['SM_CURRENT_INSTANCE_TYPE'], 'ml.m5.xlarge');
  assert.ok(Number(env['SM_NUM_CPUS']) >= 1);
  assert.equal(env['SM_NUM_GPUS'], '0');
  assert.equal(env['SM_USER_ENTRY_POINT'], 'train.py');
  assert.equal(env['SM_MODULE_NAME'], 'train');
  assert.equal(env['SM_MODULE_DIR'], `s3://${BUCKET}/sm/source/sourcedir.tar.gz`);
  assert.equal(env['SM_FRAMEWORK_MODULE'], 'sagemaker_sklearn_container.training:main');
  assert.equal(env['SM_LOG_LEVEL'], '20');
  assert.equal(env['TRAINING_JOB_NAME'], 'script-1');
  assert.equal(env['SAGEMAKER_JOB_NAME'], 'script-1');
  assert.equal(env['CURRENT_HOST'], 'algo-1');
  const trainingEnv = JSON.parse(env['SM_TRAINING_ENV']);
  assert.deepEqual(trainingEnv.channel_input_dirs, { test: '/opt/ml/input/data/test', train: '/opt/ml/input/data/train' });
  assert.deepEqual(trainingEnv.hyperparameters, { early: true, epochs: 10, layers: [1, 2], 'learning-rate': 0.001, name: 'abc', x: 5 });
  assert.equal(existsSync(join(ctx.workDir, 'opt', 'ml', 'output', 'success')), true, 'the toolkit marks success');
  const log = readFileSync(ctx.logFile, 'utf8');
  assert.match(log, /Invoking script with the following command:\n\n\/usr\/bin\/python3 train\.py --early True --epochs 10/);
});

test('a failure file written by the algorithm becomes the FailureReason, with the exit code', { timeout: 120_000 }, async () => {
  await h.put('ff/code/fail.py', "open('/opt/ml/output/failure', 'w').write('bad data: column x is empty')\nraise SystemExit(2)\n");
  const outcome = await runner.run(
    trainingJob('failfile-1', {
      AlgorithmSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/fail.py'] },
      InputDataConfig: [channel('code', `s3://${BUCKET}/ff/code/`)],
    }),
    h.context('failfile-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(outcome.failureReason, 'AlgorithmError: bad data: column x is empty, exit code: 2');
  assert.equal((outcome.extra as { SecondaryStatus: string }).SecondaryStatus, 'Failed');
  assert.deepEqual(await h.keys('models/failfile-1/'), ['models/failfile-1/output/model.tar.gz', 'models/failfile-1/output/output.tar.gz']);
});

test('script mode: a failing script is reported as the toolkit reports it', { timeout: 120_000 }, async () => {
  await h.put('sf/src/main.py', 'import sys\nprint("about to fail", file=sys.stderr)\nsys.exit(3)\n');
  await h.put('sf/train/a.csv', 'a');
  const outcome = await runner.run(
    trainingJob('scriptfail-1', {
      HyperParameters: { sagemaker_program: '"main.py"', sagemaker_submit_directory: `"s3://${BUCKET}/sf/src/"`, epochs: '1' },
      InputDataConfig: [channel('train', `s3://${BUCKET}/sf/train/`)],
    }),
    h.context('scriptfail-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(outcome.failureReason, 'AlgorithmError: ExecuteUserScriptError:\nExitCode 3\nErrorMessage ""\nCommand "/usr/bin/python3 main.py --epochs 1", exit code: 1');
});

test('source archive members that would leave /opt/ml/code are refused and nothing lands outside', { timeout: 120_000 }, async () => {
  const attempts: [string, Buffer][] = [
    ['dotdot', makeTarGz([{ name: 'train.py', content: 'print(1)' }, { name: '../escaped.py', content: 'x' }])],
    ['absolute', makeTarGz([{ name: '/tmp/escaped-abs.py', content: 'x' }])],
    ['symlink', makeTarGz([{ name: 'out', type: 'symlink', linkname: '/opt/ml' }, { name: 'out/escaped-link.py', content: 'x' }])],
    [
      'chained',
      makeTarGz([
        { name: 'a/', type: 'dir' },
        { name: 'a/b/', type: 'dir' },
        { name: 'c/', type: 'dir' },
        { name: 'a/b/y', type: 'symlink', linkname: '../../c' },
        { name: 'a/b/x', type: 'symlink', linkname: 'y/../../..' },
      ]),
    ],
    ['hardlink', makeTarGz([{ name: 'train.py', content: 'print(1)' }, { name: 'shadow', type: 'hardlink', linkname: '../../../etc/shadow' }])],
    ['dotdot-inside', makeTarGz([{ name: './a/../../escaped.py', content: 'x' }])],
    ['device', makeTarGz([{ name: 'train.py', content: 'print(1)' }, { name: 'zero', type: 'chardev' }])],
    ['fifo', makeTarGz([{ name: 'train.py', content: 'print(1)' }, { name: 'pipe', type: 'fifo' }])],
  ];
  await h.put('tv/train/a.csv', 'a');
  for (const [name, archive] of attempts) {
    await h.put(`tv/${name}.tar.gz`, archive);
    const ctx = h.context(`trav-${name}`);
    const outcome = await runner.run(
      trainingJob(`trav-${name}`, {
        HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/tv/${name}.tar.gz"` },
        InputDataConfig: [channel('train', `s3://${BUCKET}/tv/train/`)],
      }),
      ctx,
    );
    assert.equal(outcome.status, 'Failed', name);
    assert.match(outcome.failureReason ?? '', /^AlgorithmError: Framework Error: \n.*(outside|not a file, folder or link)/, `${name}: ${outcome.failureReason}`);
    const optMl = join(ctx.workDir, 'opt', 'ml');
    for (const f of [join(optMl, 'escaped.py'), join(optMl, 'escaped-link.py'), join(ctx.workDir, 'tmp', 'escaped-abs.py'), '/tmp/escaped-abs.py']) {
      assert.equal(existsSync(f), false, `${name}: ${f} must not exist`);
    }
  }
});

test('a source archive made with `tar -czf x.tar.gz -C dir .` (members ./ and ./train.py) runs as SageMaker runs it', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-srcdir-'));
  try {
    mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'src', 'train.py'), 'import os\nfrom lib.helper import answer\nopen(os.path.join(os.environ["SM_MODEL_DIR"], "answer.txt"), "w").write(str(answer()))\n');
    writeFileSync(join(dir, 'src', 'lib', '__init__.py'), '');
    writeFileSync(join(dir, 'src', 'lib', 'helper.py'), 'def answer():\n    return 42\n');
    execFileSync('tar', ['-czf', join(dir, 'x.tar.gz'), '-C', join(dir, 'src'), '.']);
    const listed = execFileSync('tar', ['-tzf', join(dir, 'x.tar.gz')], { encoding: 'utf8' }).split('\n');
    assert.ok(listed.includes('./') && listed.includes('./train.py'), listed.join(' '));
    await h.put('dot/src/x.tar.gz', readFileSync(join(dir, 'x.tar.gz')));
    await h.put('dot/train/a.csv', 'a');
    const outcome = await runner.run(
      trainingJob('dotdir-1', {
        HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/dot/src/x.tar.gz"` },
        InputDataConfig: [channel('train', `s3://${BUCKET}/dot/train/`)],
      }),
      h.context('dotdir-1'),
    );
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    const model = readTarGz(await h.get('models/dotdir-1/output/model.tar.gz'));
    assert.equal(model.find((m) => m.name === 'answer.txt')?.content, '42');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a channel with no objects fails as SageMaker refuses it', { timeout: 120_000 }, async () => {
  const outcome = await runner.run(
    trainingJob('empty-1', { InputDataConfig: [channel('train', `s3://${BUCKET}/nothing/here/`)], HyperParameters: { sagemaker_program: '"t.py"' } }),
    h.context('empty-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(
    outcome.failureReason,
    `ClientError: No S3 objects found under S3 URL "s3://${BUCKET}/nothing/here/" given in input data source. Please ensure that the bucket exists in the selected region (us-east-1), that objects exist under that S3 prefix, and that the role "arn:aws:iam::111111111111:role/SageMakerRole" has "s3:ListBucket" permissions on bucket "${BUCKET}".`,
  );
});

test('CompressionType NONE uploads the model files uncompressed under output/model/', { timeout: 120_000 }, async () => {
  await h.put('nc/code/t.py', "open('/opt/ml/model/m.txt', 'w').write('m')\n");
  const outcome = await runner.run(
    trainingJob('nocompress-1', {
      AlgorithmSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/t.py'] },
      InputDataConfig: [channel('code', `s3://${BUCKET}/nc/code/`)],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/nc-out`, CompressionType: 'NONE' },
    }),
    h.context('nocompress-1'),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.equal(outcome.s3ModelArtifacts, `s3://${BUCKET}/nc-out/nocompress-1/output/model/`);
  assert.deepEqual(await h.keys('nc-out/'), ['nc-out/nocompress-1/output/model/m.txt', 'nc-out/nocompress-1/output/output.tar.gz']);
});

test('a model folder replaced by a link out of /opt/ml is not archived from the host', { timeout: 120_000 }, async () => {
  await h.put('ln/code/t.py', "import os, shutil\nshutil.rmtree('/opt/ml/model')\nos.symlink('/etc', '/opt/ml/model')\n");
  const outcome = await runner.run(
    trainingJob('modellink-1', {
      AlgorithmSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/t.py'] },
      InputDataConfig: [channel('code', `s3://${BUCKET}/ln/code/`)],
    }),
    h.context('modellink-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(outcome.failureReason, 'ClientError: Cannot upload model.tar.gz: its folder was replaced by a link that leads outside /opt/ml');
  assert.deepEqual(await h.keys('models/modellink-1/'), []);
});

test('a catastrophic MetricDefinitions regex over a long log line does not hang: the job ends and other metrics are still read', { timeout: 120_000 }, async () => {
  // A backtracking engine takes exponential time in the run of a's before the '!' on (a+)+$.
  await h.put('redos/code/train.py', `print("a" * 100000 + "!")\nprint("epoch 1 loss=0.5")\nprint("epoch 2 loss=0.125")\nprint("aaaa")\n`);
  const job = trainingJob('train-redos', {
    AlgorithmSpecification: {
      ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
      TrainingInputMode: 'File',
      MetricDefinitions: [
        { Name: 'redos', Regex: '(a+)+$' },
        { Name: 'train:loss', Regex: 'loss=([0-9.]+)' },
      ],
    },
    InputDataConfig: [channel('code', `s3://${BUCKET}/redos/code/`)],
  });
  const outcome = await runner.run(job, h.context('train-redos'));
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.deepEqual(
    outcome.finalMetricDataList?.map((m) => [m.MetricName, m.Value]),
    [['train:loss', 0.125]],
  );
});
