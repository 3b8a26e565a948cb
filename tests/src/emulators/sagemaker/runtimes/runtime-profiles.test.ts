import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { imagePatternMatches, loadUserProfiles, RuntimeUnavailable, selectProfile } from '../../../../../src/emulators/sagemaker/runtimes/index.js';
import { processingJob, testHome } from '../../../../support/runner.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('each image of the runtime table, in every region it is published, with every tag form, selects its row', () => {
  for (const image of [
    '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1',
    '492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-scikit-learn:1.2-1-cpu-py3',
    'sagemaker-scikit-learn:1.2-1-cpu-py3',
  ]) {
    const p = selectProfile(image, [], '/h');
    assert.equal(p.name, 'sagemaker-scikit-learn-1.2-1', image);
    assert.equal(p.serving, 'sklearn');
    assert.equal(p.training, 'toolkit');
  }
  for (const image of [
    '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1-cpu-py3',
    '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    '414596584902.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  ]) {
    const p = selectProfile(image, [], '/h');
    assert.equal(p.name, 'sagemaker-xgboost-1.7-1', image);
    assert.equal(p.serving, 'xgboost');
    assert.equal(p.training, 'xgboost-algorithm');
    assert.ok(p.metricDefinitions.some((m) => m.Name === 'validation:auc'));
    assert.equal(p.libraries['xgboost']?.version, '1.7.4');
  }
  assert.throws(() => selectProfile('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:0.23-1-cpu-py3', [], '/h'), /No local runtime for image .*: sagemaker-scikit-learn runs locally only as :1\.2-1-cpu-py3 or :1\.2-1 .* \/h\/runtimes\.json/);
  assert.throws(() => selectProfile('111111111111.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', [], '/h'), /SageMaker publishes sagemaker-xgboost in us-east-1 from account 683313688378, not 111111111111/);
  assert.throws(() => selectProfile('683313688378.dkr.ecr.xx-nowhere-1.amazonaws.com/sagemaker-xgboost:1.7-1', [], '/h'), /SageMaker publishes no sagemaker-xgboost image in region xx-nowhere-1/);
  assert.throws(
    () => selectProfile('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-byoc:latest', [], '/h'),
    (e: unknown) =>
      e instanceof RuntimeUnavailable &&
      e.kind === 'ClientError' &&
      /Built in: SageMaker scikit-learn 1\.2-1 .*sagemaker-scikit-learn:1\.2-1-cpu-py3 or :1\.2-1\); SageMaker XGBoost 1\.7-1 .*sagemaker-xgboost:1\.7-1 or :1\.7-1-cpu-py3\)\. To run another image, map it to a local Python .* in \/h\/runtimes\.json: \{"profiles": \[\{"images": \["123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/my-byoc:latest"\]/.test(e.message),
  );
  assert.equal(imagePatternMatches('*.amazonaws.com/my-*:v?', 'a.b.amazonaws.com/my-img:v?'), true);
  assert.equal(imagePatternMatches('*.amazonaws.com/my-*:v?', 'a.b.amazonaws.com/my-img:v1'), false, 'only * is a wildcard');
});

test('runtimes.json profiles come first, and a malformed file names itself', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'smrunner-profiles-'));
  dirs.push(home);
  assert.deepEqual(await loadUserProfiles(home), []);
  writeFileSync(join(home, 'runtimes.json'), JSON.stringify({ profiles: [{ images: ['*/sagemaker-scikit-learn:*'], python: '/opt/py/bin/python3', path: ['/opt/py/bin', '/usr/bin'] }] }));
  const user = await loadUserProfiles(home);
  const p = selectProfile('1.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', user, home);
  assert.equal(p.python, '/opt/py/bin/python3');
  assert.equal(p.path, '/opt/py/bin:/usr/bin');
  assert.equal(p.trainingToolkit, true);
  // A bring-your-own image standing on the user's virtual environment, served like the XGBoost image.
  writeFileSync(
    join(home, 'runtimes.json'),
    JSON.stringify({ profiles: [{ name: 'byoc', images: ['*.amazonaws.com/my-byoc:*'], python: '/opt/venv/bin/python3', serving: 'xgboost', training: 'xgboost-algorithm', modules: ['xgboost'] }] }),
  );
  const byoc = selectProfile('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-byoc:v3', await loadUserProfiles(home), home);
  assert.equal(byoc.name, 'byoc');
  assert.equal(byoc.serving, 'xgboost');
  assert.equal(byoc.training, 'xgboost-algorithm');
  assert.equal(byoc.install['xgboost'], 'python3-xgboost');
  assert.equal(byoc.source, 'user');
  writeFileSync(join(home, 'runtimes.json'), '{"profiles": [{"images": ["x"], "serving": "tensorflow"}]}');
  await assert.rejects(loadUserProfiles(home), /profiles\[0\]\.serving must be one of sklearn, xgboost/);
  writeFileSync(join(home, 'runtimes.json'), '{"profiles": [{"python": "python3"}]}');
  await assert.rejects(loadUserProfiles(home), /runtimes\.json: profiles\[0\] needs "images"/);
  writeFileSync(join(home, 'runtimes.json'), '{"profiles": [{"images": ["x"], "python": "python3"}]}');
  await assert.rejects(loadUserProfiles(home), /profiles\[0\]\.python must be an absolute path/);
  writeFileSync(join(home, 'runtimes.json'), '{oops');
  await assert.rejects(loadUserProfiles(home), /runtimes\.json is not valid JSON/);
});

test('a job whose runtime lacks the interpreter or a module fails naming what to install', { timeout: 120_000 }, async () => {
  const h = await testHome();
  dirs.push(h.home);
  writeFileSync(
    join(h.home, 'runtimes.json'),
    JSON.stringify({
      profiles: [
        { images: ['local/no-python'], python: '/nonexistent/bin/python3', modules: ['sklearn'] },
        { images: ['local/no-module'], python: '/usr/bin/python3', modules: ['json', 'mlops_sfn_missing_mod'], install: { mlops_sfn_missing_mod: 'python3-mlops-missing' } },
      ],
    }),
  );
  const runner = createJobRunner();
  const noPython = await runner.run(processingJob('rt-1', { AppSpecification: { ImageUri: 'local/no-python', ContainerEntrypoint: ['python3', '-c', 'pass'] } }), h.context('rt-1'));
  assert.equal(noPython.status, 'Failed');
  assert.match(noPython.failureReason ?? '', /^InternalServerError: The Python interpreter \/nonexistent\/bin\/python3 .* apt-get install python3 python3-sklearn/);

  const noModule = await runner.run(
    processingJob('rt-2', { AppSpecification: { ImageUri: 'local/no-module', ContainerEntrypoint: ['python3', '-c', 'import mlops_sfn_missing_mod'] } }),
    h.context('rt-2'),
  );
  assert.equal(noModule.status, 'Failed');
  assert.match(noModule.failureReason ?? '', /^InternalServerError: The image's Python module mlops_sfn_missing_mod is not installed for \/usr\/bin\/python3 .*Install: apt-get install python3-mlops-missing$/);

  // A job that does not need the missing module is not failed for it.
  const fine = await runner.run(processingJob('rt-3', { AppSpecification: { ImageUri: 'local/no-module', ContainerEntrypoint: ['python3', '-c', 'pass'] } }), h.context('rt-3'));
  assert.equal(fine.status, 'Completed', fine.failureReason);

  const unknown = await runner.run(processingJob('rt-4', { AppSpecification: { ImageUri: 'local/unknown', ContainerEntrypoint: ['true'] } }), h.context('rt-4'));
  assert.match(unknown.failureReason ?? '', /^ClientError: No local runtime for image "local\/unknown"/);
});
