/**
 * requirements.txt in script-mode code: installed before the script runs, into a cached layer over
 * the runtime (never the system Python), with pip's own settings; a failed install fails the job as
 * the training toolkit does. Offline: the package is a wheel built here and served from a local
 * folder (PIP_NO_INDEX + PIP_FIND_LINKS). A real PyPI package is tried where PyPI answers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { buildWheel } from '../../../../support/wheel.js';
import { BUCKET, channel, makeTarGz, processingJob, readTarGz, s3Input, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
let wheels: string;
before(async () => {
  h = await testHome();
  wheels = mkdtempSync(join(tmpdir(), 'mlops-sfn-wheels-'));
  buildWheel(wheels);
});
after(() => {
  h.cleanup();
  rmSync(wheels, { recursive: true, force: true });
});

const offline = () => createJobRunner({ hostEnv: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, HOME: '/nonexistent' } });

// Imports the package from requirements.txt, and tries to change the layer it came from.
const TRAIN_PY = `
import os, mlopsdemo, sklearn
where = os.path.dirname(mlopsdemo.__file__)
try:
    open(os.path.join(where, "planted.py"), "w").write("x")
    writable = True
except OSError:
    writable = False
open(os.path.join(os.environ["SM_MODEL_DIR"], "out.txt"), "w").write("%d %s %s" % (mlopsdemo.VALUE, where, writable))
`;

async function train(name: string, requirements: string, runner = offline()) {
  await h.put(`${name}/src/train.py`, TRAIN_PY);
  await h.put(`${name}/src/requirements.txt`, requirements);
  await h.put(`${name}/data/a.csv`, 'a');
  const t0 = performance.now();
  const outcome = await runner.run(
    trainingJob(name, {
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/${name}/src/"` },
      InputDataConfig: [channel('train', `s3://${BUCKET}/${name}/data/`)],
    }),
    h.context(name),
  );
  return { outcome, ms: performance.now() - t0, log: readFileSync(join(h.home, 'logs', `${name}.log`), 'utf8') };
}

function modelText(name: string): Promise<string | undefined> {
  return h.get(`models/${name}/output/model.tar.gz`).then((b) => readTarGz(b).find((m) => m.name === 'out.txt')?.content);
}

test('requirements.txt is installed into a read-only layer before the script runs; the runtime keeps its own packages', { timeout: 180_000 }, async () => {
  const { outcome, log } = await train('req-1', 'mlopsdemo==1.0\nscikit-learn\n');
  assert.equal(outcome.status, 'Completed', `${outcome.failureReason}\n${log}`);
  assert.match(log, /Installing dependencies from requirements.txt:\n\/usr\/bin\/python3 -m pip install -r requirements.txt/);
  assert.match(log, /Requirement already satisfied: scikit-learn in \/usr\/lib\/python3\/dist-packages/);
  assert.match(log, /Successfully installed mlopsdemo-1.0/);
  const [value, where, writable] = (await modelText('req-1'))!.split(' ');
  assert.equal(value, '42');
  assert.match(where!, /^\/opt\/mlops-sfn\/pip-layer\/lib\/python3\.\d+\/site-packages\/mlopsdemo$/);
  assert.equal(writable, 'False', 'the job cannot change the cached layer');
  // Never into the system Python.
  assert.notEqual(spawnSync('/usr/bin/python3', ['-c', 'import mlopsdemo']).status, 0);
  const layers = readdirSync(join(h.home, 'sagemaker', 'pip-layers'));
  assert.equal(layers.filter((n) => !n.startsWith('.')).length, 1);
  assert.deepEqual(layers.filter((n) => n.startsWith('.')), [], 'no build folder is left behind');

  // The same file again: taken from the cache, pip does not run.
  const again = await train('req-2', 'mlopsdemo==1.0\nscikit-learn\n');
  assert.equal(again.outcome.status, 'Completed', again.outcome.failureReason);
  assert.match(again.log, /Installing dependencies from requirements.txt: already installed in /);
  assert.doesNotMatch(again.log, /Successfully installed/);
  assert.equal((await modelText('req-2'))!.split(' ')[0], '42');
});

test('a requirements.txt inside a source archive, and one beside a processing script, are installed too', { timeout: 180_000 }, async () => {
  await h.put('arch/src.tar.gz', makeTarGz([{ name: 'train.py', content: TRAIN_PY }, { name: 'requirements.txt', content: 'mlopsdemo\n' }]));
  await h.put('arch/data/a.csv', 'a');
  const outcome = await offline().run(
    trainingJob('req-arch', {
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/arch/src.tar.gz"` },
      InputDataConfig: [channel('train', `s3://${BUCKET}/arch/data/`)],
    }),
    h.context('req-arch'),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.equal((await modelText('req-arch'))!.split(' ')[0], '42');

  await h.put('proc/code/prep.py', 'import mlopsdemo\nopen("/opt/ml/processing/out/v.txt", "w").write(str(mlopsdemo.VALUE))\n');
  await h.put('proc/code/requirements.txt', 'mlopsdemo==1.0\n');
  const proc = await offline().run(
    processingJob('req-proc', {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'] },
      ProcessingInputs: [s3Input('code', `s3://${BUCKET}/proc/code/`, '/opt/ml/processing/input/code')],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://${BUCKET}/proc/out`, LocalPath: '/opt/ml/processing/out', S3UploadMode: 'EndOfJob' } }] },
    }),
    h.context('req-proc'),
  );
  assert.equal(proc.status, 'Completed', proc.failureReason);
  assert.equal((await h.get('proc/out/v.txt')).toString(), '42');
});

test("an unresolvable requirement fails the job with the toolkit's InstallRequirementsError and pip's message", { timeout: 180_000 }, async () => {
  const { outcome, log } = await train('req-bad', 'mlopsdemo==1.0\nno-such-package-mlops==9.9\n');
  assert.equal(outcome.status, 'Failed');
  assert.equal(
    outcome.failureReason,
    'AlgorithmError: InstallRequirementsError:\nExitCode 1\nErrorMessage "ERROR: Could not find a version that satisfies the requirement no-such-package-mlops==9.9 (from versions: none)\nERROR: No matching distribution found for no-such-package-mlops==9.9"\nCommand "/usr/bin/python3 -m pip install -r requirements.txt", exit code: 1',
  );
  assert.match(log, /ERROR: No matching distribution found for no-such-package-mlops==9.9/);
  assert.doesNotMatch(log, /Invoking script/, 'the script never ran');
  assert.deepEqual(readdirSync(join(h.home, 'sagemaker', 'pip-layers')).filter((n) => n.startsWith('.')), [], 'nothing half-built is kept');
});

test('an index that does not answer fails the job with pip\'s message (PIP_INDEX_URL is respected)', { timeout: 180_000 }, async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const runner = createJobRunner({ hostEnv: { PIP_INDEX_URL: `http://127.0.0.1:${port}/simple`, PIP_RETRIES: '0', PIP_TIMEOUT: '3', HOME: '/nonexistent' } });
  const { outcome, log } = await train('req-noindex', 'mlopsdemo-not-local==1.0\n', runner);
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason!, /^AlgorithmError: InstallRequirementsError:\nExitCode 1\nErrorMessage "ERROR: Could not find a version that satisfies the requirement mlopsdemo-not-local==1.0/);
  assert.match(log, new RegExp(`127\\.0\\.0\\.1:${port}`));
});

test('a real package from PyPI, where this machine reaches it', { timeout: 300_000 }, async (t) => {
  const reach = spawnSync('/usr/bin/python3', ['-c', 'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/tomli-w/", timeout=5)'], { timeout: 10_000 });
  if (reach.status !== 0) return t.skip('PyPI does not answer from this machine');
  await h.put('pypi/src/train.py', 'import os, tomli_w\nopen(os.path.join(os.environ["SM_MODEL_DIR"], "out.txt"), "w").write(tomli_w.dumps({"a": 1}))\n');
  await h.put('pypi/src/requirements.txt', 'tomli-w==1.0.0\n');
  await h.put('pypi/data/a.csv', 'a');
  const outcome = await createJobRunner({ hostEnv: { HOME: '/nonexistent' } }).run(
    trainingJob('req-pypi', {
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/pypi/src/"` },
      InputDataConfig: [channel('train', `s3://${BUCKET}/pypi/data/`)],
    }),
    h.context('req-pypi'),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.equal(await modelText('req-pypi'), 'a = 1\n');
});

test("a job's own PIP_FIND_LINKS cannot open a host folder to pip (only this machine's settings are bound)", { timeout: 180_000 }, async () => {
  await h.put('hostile/src/train.py', 'print("never")\n');
  await h.put('hostile/src/requirements.txt', 'mlopsdemo==1.0  # not in the cache yet\n');
  await h.put('hostile/data/a.csv', 'a');
  const outcome = await createJobRunner({ hostEnv: { HOME: '/nonexistent' } }).run(
    trainingJob('req-hostile', {
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/hostile/src/"` },
      InputDataConfig: [channel('train', `s3://${BUCKET}/hostile/data/`)],
      // The wheel folder is on this machine; the job names it, so pip must not see it.
      Environment: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels },
    }),
    h.context('req-hostile'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason!, /ErrorMessage "ERROR: Could not find a version that satisfies the requirement mlopsdemo==1.0/);
});
