import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidPipelineError } from '../../../src/config/index.js';
import { UserError } from '../../../src/core/errors.js';
import { packageFile } from '../../../src/core/package-root.js';
import { deploymentValuesFromOutputs, planPipelineUpload, regionOfArn, uploadPlan, type S3Sender } from '../../../src/engine/pipeline-upload.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A pipeline folder: the census example's YAML and two scripts. */
function pipelineDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-upload-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'pipeline.yaml'), readFileSync(packageFile('examples', 'census', 'pipeline.yaml')));
  mkdirSync(join(dir, 'scripts', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'scripts', 'train.py'), 'print("train")\n');
  writeFileSync(join(dir, 'scripts', 'lib', 'util.py'), 'X = 1\n');
  // The entry points the census YAML names (validation refuses a pipeline without them).
  writeFileSync(join(dir, 'scripts', 'preprocessing.py'), 'print("prep")\n');
  writeFileSync(join(dir, 'scripts', 'evaluation.py'), 'print("eval")\n');
  mkdirSync(join(dir, 'scripts', '__pycache__'));
  writeFileSync(join(dir, 'scripts', '__pycache__', 'train.cpython-311.pyc'), 'junk');
  return dir;
}

const outputs = {
  MlOpsBucket: 'census-bucket-1abc',
  ModelName: 'census',
  ImageUri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  SageMakerExecutionRole: 'arn:aws:iam::123456789012:role/sm-role',
  StateMachine: 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline',
};

test('the deployment values come from the stack outputs', () => {
  assert.equal(regionOfArn(outputs.StateMachine), 'eu-west-1');
  assert.deepEqual(deploymentValuesFromOutputs(outputs, 'eu-west-1'), {
    bucket: 'census-bucket-1abc',
    modelName: 'census',
    imageUri: outputs.ImageUri,
    roleArn: 'arn:aws:iam::123456789012:role/sm-role',
    region: 'eu-west-1',
  });
  assert.throws(() => deploymentValuesFromOutputs({ ...outputs, ImageUri: '' }, 'eu-west-1'), (e: unknown) => e instanceof UserError && /lack ImageUri/.test(e.message));
});

test('the YAML goes to <model>/scripts/input.yaml with the deployment values filled in, the scripts beside it', async () => {
  const dir = pipelineDir();
  const plan = await planPipelineUpload(dir, deploymentValuesFromOutputs(outputs, 'eu-west-1'));
  assert.equal(plan.bucket, 'census-bucket-1abc');
  assert.deepEqual(
    plan.entries.map((e) => [e.key, e.contentType]),
    [
      ['census/scripts/input.yaml', 'application/yaml'],
      ['census/scripts/evaluation.py', 'text/x-python'],
      ['census/scripts/lib/util.py', 'text/x-python'],
      ['census/scripts/preprocessing.py', 'text/x-python'],
      ['census/scripts/train.py', 'text/x-python'],
      ['census/scripts/source.tar.gz', 'application/gzip'],
    ],
  );
  const yaml = plan.entries[0]!.body.toString('utf8');
  assert.ok(yaml.includes('s3://census-bucket-1abc/census/scripts'));
  assert.ok(yaml.includes(`ImageUri: ${outputs.ImageUri}`));
  assert.ok(yaml.includes('RoleArn: arn:aws:iam::123456789012:role/sm-role'));
  assert.ok(!/\b(MLOPS_BUCKET|IMAGE_URI|SAGEMAKER_EXECUTION_ROLE)\b/.test(yaml.replace(/^#.*$/gm, '')), 'deployment placeholders are filled');
  // The execution name is only known when the trigger starts a run.
  assert.ok(yaml.includes('SFN_EXECUTION_ID'));
  assert.equal(plan.entries[4]!.body.toString('utf8'), 'print("train")\n');
});

test('without a scripts/ folder, the Python files beside the YAML are the scripts (the census layout)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-upload-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'pipeline.yaml'), readFileSync(packageFile('examples', 'census', 'pipeline.yaml')));
  writeFileSync(join(dir, 'train.py'), 'print(1)\n');
  writeFileSync(join(dir, 'evaluation.py'), 'print(2)\n');
  writeFileSync(join(dir, 'preprocessing.py'), 'print(3)\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a script');
  const plan = await planPipelineUpload(join(dir, 'pipeline.yaml'), deploymentValuesFromOutputs(outputs, 'eu-west-1'));
  assert.deepEqual(
    plan.entries.map((e) => e.key),
    ['census/scripts/input.yaml', 'census/scripts/evaluation.py', 'census/scripts/preprocessing.py', 'census/scripts/train.py', 'census/scripts/source.tar.gz'],
  );
});

test('a pipeline with problems uploads nothing', async () => {
  const dir = pipelineDir();
  writeFileSync(join(dir, 'pipeline.yaml'), 'app_id: a\nmodel_id: m\njob_prefix: p\npreprocesing:\n  run: true\n');
  await assert.rejects(planPipelineUpload(dir, deploymentValuesFromOutputs(outputs, 'eu-west-1')), InvalidPipelineError);
});

test('the plan is uploaded object by object with PutObject, and what else is under the prefix is deleted', async () => {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const lines: string[] = [];
  const client = {
    send: async (c: { constructor: { name: string }; input: object }) => {
      sent.push({ name: c.constructor.name, input: c.input as Record<string, unknown> });
      if (c.constructor.name === 'ListObjectsV2Command') return { Contents: [{ Key: 'm/scripts/input.yaml' }, { Key: 'm/scripts/old.py' }], IsTruncated: false };
      return {};
    },
  };
  const { removed } = await uploadPlan(
    { bucket: 'b', prefix: 'm/scripts/', entries: [{ key: 'm/scripts/input.yaml', body: Buffer.from('x'), contentType: 'application/yaml' }] },
    client as unknown as S3Sender,
    (l) => lines.push(l),
  );
  assert.deepEqual(removed, ['m/scripts/old.py']);
  assert.deepEqual(
    sent.map((c) => c.name),
    ['PutObjectCommand', 'ListObjectsV2Command', 'DeleteObjectsCommand'],
  );
  assert.deepEqual(sent[0]!.input, { Bucket: 'b', Key: 'm/scripts/input.yaml', Body: Buffer.from('x'), ContentType: 'application/yaml' });
  assert.deepEqual(sent[1]!.input, { Bucket: 'b', Prefix: 'm/scripts/' });
  assert.deepEqual(sent[2]!.input, { Bucket: 'b', Delete: { Objects: [{ Key: 'm/scripts/old.py' }], Quiet: true } });
  assert.deepEqual(lines, ['upload: s3://b/m/scripts/input.yaml', 'delete: s3://b/m/scripts/old.py (no longer in the pipeline folder)']);
});
