import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { imagePatternMatches, loadUserProfiles, selectProfile } from '../../../../../src/emulators/sagemaker/runtimes/index.js';
import { processingJob, testHome } from '../../../../support/runner.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('the scikit-learn 1.2-1 image of any region and account selects the built-in profile', () => {
  for (const image of [
    '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    '662702820516.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    '451049120500.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-scikit-learn:1.2-1-cpu-py3',
  ]) {
    assert.equal(selectProfile(image, [], '/h').python, '/usr/bin/python3');
  }
  assert.throws(() => selectProfile('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:0.23-1-cpu-py3', [], '/h'), /No local runtime for image .* \/h\/runtimes\.json/);
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
