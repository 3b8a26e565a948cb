import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { builtinProfiles } from '../../../../../src/emulators/sagemaker/runtimes/index.js';
const BUILTIN_PROFILES = builtinProfiles();
import { BUCKET, processingJob, ROLE, s3Input, s3Output, SKLEARN_IMAGE, testHome, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  h = await testHome();
});
after(() => h.cleanup());

const runner = createJobRunner();

// Written for this test: records what the container sees, then leaves a message.
const PREP_PY = `
import json, os, sys
def walk(root):
    out = []
    for d, dirs, files in os.walk(root):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)
out = "/opt/ml/processing/out"
report = {
    "input": walk("/opt/ml/processing/input"),
    "model": walk("/opt/ml/processing/model"),
    "config": walk("/opt/ml/config"),
    "output_exists": os.path.isdir("/opt/ml/processing/out"),
    "empty_input_exists": os.path.isdir("/opt/ml/processing/empty"),
    "env": dict(os.environ),
    "argv": sys.argv[1:],
    "cwd": os.getcwd(),
    "jobconfig": json.load(open("/opt/ml/config/processingjobconfig.json")),
    "resourceconfig": json.load(open("/opt/ml/config/resourceconfig.json")),
    "a_csv": open("/opt/ml/processing/input/a.csv").read(),
}
os.makedirs(out + "/nested", exist_ok=True)
json.dump(report, open(out + "/report.json", "w"))
open(out + "/nested/part.csv", "w").write("x\\n")
open("/opt/ml/output/message", "w").write("processed 2 files")
print("prep done")
print("to stderr", file=sys.stderr)
`;

test('a processing job sees its staged inputs, config files and exactly its environment, and its outputs are uploaded', { timeout: 120_000 }, async () => {
  await h.put('proc/code/prep.py', PREP_PY);
  await h.put('proc/raw/a.csv', '1,2\n');
  await h.put('proc/raw/deep/b.csv', '3,4\n');
  await h.put('proc/raw/folder/', ''); // a folder marker: no file
  await h.put('proc/model/job-1/output/model.tar.gz', 'tgz');
  await h.put('proc/model/job-1/output/model.tar.gz.bak', 'not this one');
  const lines: string[] = [];
  const job = processingJob('prep-1', {
    AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/prep.py'], ContainerArguments: ['--ratio', '0.2'] },
    Environment: { MY_SETTING: 'on' },
    ProcessingInputs: [
      s3Input('code', `s3://${BUCKET}/proc/code`, '/opt/ml/processing/code'),
      s3Input('raw', `s3://${BUCKET}/proc/raw`, '/opt/ml/processing/input'),
      s3Input('model', `s3://${BUCKET}/proc/model/job-1/output/model.tar.gz`, '/opt/ml/processing/model'),
      s3Input('empty', `s3://${BUCKET}/proc/nothing-here/`, '/opt/ml/processing/empty'),
    ],
    ProcessingOutputConfig: { Outputs: [s3Output('out', `s3://${BUCKET}/proc/out`, '/opt/ml/processing/out')] },
    StoppingCondition: { MaxRuntimeInSeconds: 300 },
  });
  const outcome = await runner.run(job, h.context('prep-1', { onLog: (l) => lines.push(l) }));
  assert.equal(outcome.status, 'Completed', JSON.stringify(outcome));
  assert.equal(outcome.exitMessage, 'processed 2 files');
  assert.equal(outcome.failureReason, undefined);
  assert.ok(outcome.endTime >= outcome.startTime);

  assert.deepEqual(await h.keys('proc/out/'), ['proc/out/nested/part.csv', 'proc/out/report.json']);
  const report = JSON.parse((await h.get('proc/out/report.json')).toString());
  assert.deepEqual(report.input, ['a.csv', 'deep/b.csv']);
  assert.deepEqual(report.model, ['model.tar.gz'], 'an S3Uri naming an object stages only that object, by its base name');
  assert.equal(report.a_csv, '1,2\n');
  assert.equal(report.output_exists, true);
  assert.equal(report.empty_input_exists, true);
  assert.deepEqual(report.config, ['processingjobconfig.json', 'resourceconfig.json']);
  assert.deepEqual(report.argv, ['--ratio', '0.2']);
  assert.equal(report.cwd, '/');
  assert.deepEqual(report.resourceconfig, { current_host: 'algo-1', hosts: ['algo-1'] });

  const cfg = report.jobconfig;
  assert.equal(cfg.ProcessingJobArn, job.arn);
  assert.equal(cfg.ProcessingJobName, 'prep-1');
  assert.deepEqual(cfg.AppSpecification, {
    ImageUri: SKLEARN_IMAGE,
    ContainerEntrypoint: ['python3', '/opt/ml/processing/code/prep.py'],
    ContainerArguments: ['--ratio', '0.2'],
  });
  assert.deepEqual(cfg.Environment, { MY_SETTING: 'on' });
  assert.deepEqual(cfg.ProcessingInputs[1], {
    InputName: 'raw',
    S3Input: {
      LocalPath: '/opt/ml/processing/input',
      S3Uri: `s3://${BUCKET}/proc/raw`,
      S3DataDistributionType: 'FullyReplicated',
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3CompressionType: 'None',
      S3DownloadMode: 'StartOfJob',
    },
  });
  assert.deepEqual(cfg.ProcessingOutputConfig, {
    Outputs: [{ OutputName: 'out', S3Output: { LocalPath: '/opt/ml/processing/out', S3Uri: `s3://${BUCKET}/proc/out`, S3UploadMode: 'EndOfJob' } }],
    KmsKeyId: null,
  });
  assert.deepEqual(cfg.ProcessingResources, { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: null } });
  assert.equal(cfg.RoleArn, ROLE);
  assert.deepEqual(cfg.StoppingCondition, { MaxRuntimeInSeconds: 300 });

  // The request's Environment, the image's ENV, PATH/HOME and the region: nothing from the runner's own environment.
  const env = report.env as Record<string, string>;
  assert.equal(env['MY_SETTING'], 'on');
  assert.equal(env['AWS_REGION'], 'us-east-1');
  assert.equal(env['AWS_DEFAULT_REGION'], 'us-east-1');
  assert.equal(env['SM_MODEL_DIR'], '/opt/ml/model', 'the scikit-learn image sets SM_MODEL_DIR in its ENV');
  assert.equal(env['HOME'], '/root');
  assert.equal(env['PYTHONUNBUFFERED'], '1');
  assert.equal(env['TRAINING_JOB_NAME'], undefined);
  assert.equal(env['SM_CHANNELS'], undefined);
  assert.equal(env['SAGEMAKER_BASE_DIR'], undefined, 'inside the sandbox /opt/ml is the real path');
  const imageEnv = Object.keys(BUILTIN_PROFILES[0].env);
  const expected = ['AWS_DEFAULT_REGION', 'AWS_REGION', 'HOME', 'MY_SETTING', 'PATH', 'PWD', ...imageEnv].sort();
  assert.deepEqual(Object.keys(env).sort(), expected, 'exactly the image ENV, the request Environment and the region: nothing of the runner');

  const log = readFileSync(h.context('prep-1').logFile, 'utf8').split('\n');
  assert.ok(log.includes('prep done') && log.includes('to stderr'), log.join('\n'));
  assert.ok(lines.includes('prep done'), 'onLog sees each line');
});

test('a non-zero exit fails the job with AlgorithmError, keeps the ExitMessage and still uploads outputs', { timeout: 120_000 }, async () => {
  await h.put(
    'fail/code/x.py',
    `import os
os.makedirs('/opt/ml/processing/out', exist_ok=True)
open('/opt/ml/processing/out/partial.txt', 'w').write('p')
open('/opt/ml/output/message', 'w').write('é' * 600)
raise SystemExit(3)
`,
  );
  const outcome = await runner.run(
    processingJob('fail-1', {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/x.py'] },
      ProcessingInputs: [s3Input('code', `s3://${BUCKET}/fail/code/`, '/opt/ml/processing/code')],
      ProcessingOutputConfig: { Outputs: [s3Output('out', `s3://${BUCKET}/fail/out/`, '/opt/ml/processing/out')] },
    }),
    h.context('fail-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(outcome.failureReason, 'AlgorithmError: See job logs for more information');
  assert.equal(outcome.exitMessage, 'é'.repeat(512), 'the first 1 KiB, whole characters only');
  assert.deepEqual(await h.keys('fail/out/'), ['fail/out/partial.txt']);
});

test('a command that cannot be executed fails the job with a ClientError naming it', { timeout: 120_000 }, async () => {
  const outcome = await runner.run(processingJob('badentry', { AppSpecification: { ContainerEntrypoint: ['no-such-program-here', '--x'] } }), h.context('badentry'));
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason ?? '', /^ClientError: Cannot start the container's command: exec "no-such-program-here": No such file or directory/);
});

test('a processing job on the scikit-learn image needs a ContainerEntrypoint (the image has no ENTRYPOINT)', { timeout: 120_000 }, async () => {
  const outcome = await runner.run(processingJob('noentry', {}), h.context('noentry'));
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason ?? '', /^ClientError: The image ".*sagemaker-scikit-learn:1.2-1-cpu-py3" has no ENTRYPOINT or CMD/);
});

test('Pipe input mode and FeatureStore outputs fail clearly instead of running with missing data', { timeout: 120_000 }, async () => {
  const pipe = await runner.run(
    processingJob('pipe-1', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingInputs: [s3Input('raw', `s3://${BUCKET}/proc/raw`, '/opt/ml/processing/input', { S3InputMode: 'Pipe' })],
    }),
    h.context('pipe-1'),
  );
  assert.equal(pipe.status, 'Failed');
  assert.match(pipe.failureReason ?? '', /^ClientError: Input "raw": S3InputMode Pipe is not supported by the local runner/);

  const fs = await runner.run(
    processingJob('fs-1', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'f', FeatureStoreOutput: { FeatureGroupName: 'g' } }] },
    }),
    h.context('fs-1'),
  );
  assert.match(fs.failureReason ?? '', /^ClientError: Output "f": FeatureStoreOutput is not supported/);
});

test('an S3 key or manifest entry that would leave the input folder fails the job and writes nothing outside it', { timeout: 120_000 }, async () => {
  await h.put('evil/data/ok.csv', 'ok');
  await h.put('evil/data/../../../escaped.txt', 'gotcha');
  const ctx = h.context('evil-1');
  const outcome = await runner.run(
    processingJob('evil-1', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingInputs: [s3Input('data', `s3://${BUCKET}/evil/data/`, '/opt/ml/processing/input')],
    }),
    ctx,
  );
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason ?? '', /^ClientError: input "data": Refusing to download .*escaped\.txt/);
  for (const dir of [ctx.workDir, join(ctx.workDir, 'opt'), join(ctx.workDir, 'opt', 'ml'), join(ctx.workDir, 'opt', 'ml', 'processing')]) {
    assert.equal(existsSync(join(dir, 'escaped.txt')), false);
  }

  await h.put('evil/manifest.json', JSON.stringify([{ prefix: `s3://${BUCKET}/evil/data/` }, 'ok.csv', '../../../etc/x']));
  const manifest = await runner.run(
    processingJob('evil-2', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingInputs: [s3Input('data', `s3://${BUCKET}/evil/manifest.json`, '/opt/ml/processing/input', { S3DataType: 'ManifestFile' })],
    }),
    h.context('evil-2'),
  );
  assert.equal(manifest.status, 'Failed');
  assert.match(manifest.failureReason ?? '', /manifest entry "\.\.\/\.\.\/\.\.\/etc\/x" cannot be saved/);

  const local = await runner.run(
    processingJob('evil-3', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingInputs: [s3Input('data', `s3://${BUCKET}/evil/data/`, '/opt/ml/processing/../../../etc')],
    }),
    h.context('evil-3'),
  );
  assert.match(local.failureReason ?? '', /^ClientError: Input "data" LocalPath .* must be a folder under \/opt\/ml\/processing\//);
});

test('a ManifestFile input stages exactly the listed objects', { timeout: 120_000 }, async () => {
  await h.put('man/data/a.csv', 'a');
  await h.put('man/data/sub/b.csv', 'b');
  await h.put('man/data/c.csv', 'not listed');
  await h.put('man/list.json', JSON.stringify([{ prefix: `s3://${BUCKET}/man/data/` }, 'a.csv', 'sub/b.csv']));
  const ctx = h.context('man-1');
  const outcome = await runner.run(
    processingJob('man-1', {
      AppSpecification: { ContainerEntrypoint: ['true'] },
      ProcessingInputs: [s3Input('data', `s3://${BUCKET}/man/list.json`, '/opt/ml/processing/input', { S3DataType: 'ManifestFile' })],
    }),
    ctx,
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const input = join(ctx.workDir, 'opt', 'ml', 'processing', 'input');
  assert.equal(readFileSync(join(input, 'sub', 'b.csv'), 'utf8'), 'b');
  assert.equal(existsSync(join(input, 'c.csv')), false);
});

test('an output that cannot be uploaded fails a job that otherwise completed', { timeout: 120_000 }, async () => {
  const outcome = await runner.run(
    processingJob('upfail-1', {
      AppSpecification: { ContainerEntrypoint: ['sh', '-c', 'echo x > /opt/ml/processing/out/x.txt'] },
      ProcessingOutputConfig: { Outputs: [s3Output('out', 's3://no-such-bucket-here/out/', '/opt/ml/processing/out')] },
    }),
    h.context('upfail-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.equal(outcome.failureReason, 'ClientError: Failed to upload output "out" to s3://no-such-bucket-here/out/: NoSuchBucket: The specified bucket does not exist');
});
