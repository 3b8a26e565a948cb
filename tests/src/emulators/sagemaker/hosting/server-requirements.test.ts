/**
 * A model server whose code (SAGEMAKER_SUBMIT_DIRECTORY) has a requirements.txt: installed into a
 * cached read-only layer before the server starts, offline from a wheel built here; a requirement
 * pip cannot install fails the start with the ping check's FailureReason and pip's message as the
 * local cause.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHosting, ModelServerStartError } from '../../../../../src/emulators/sagemaker/hosting/index.js';
import { fixtures, testHome, type TestHome } from '../../../../support/hosting.js';
import { buildWheel } from '../../../../support/wheel.js';

const IMAGE = 'sagemaker-scikit-learn:1.2-1-cpu-py3';
const INFERENCE_PY = `
import os, mlopsdemo


def model_fn(model_dir):
    return mlopsdemo.VALUE


def transform_fn(model, body, content_type, accept):
    return '%s %s' % (model, os.path.dirname(mlopsdemo.__file__)), 'text/plain'
`;

describe('model server requirements.txt', { timeout: 240_000 }, () => {
  let t: TestHome;
  let wheels: string;
  before(async () => {
    t = await testHome();
    wheels = mkdtempSync(join(tmpdir(), 'mlops-sfn-serve-wheels-'));
    buildWheel(wheels);
  });
  after(() => {
    t.cleanup();
    rmSync(wheels, { recursive: true, force: true });
  });
  const hosting = () => createHosting({ hostEnv: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, HOME: '/nonexistent' } });

  it('installs the code folder\'s requirements.txt into a layer the server imports from', async () => {
    const modelUrl = await t.put('req/model.tar.gz', fixtures().file('model.tar.gz'));
    await t.put('req/code/inference.py', INFERENCE_PY);
    await t.put('req/code/requirements.txt', 'mlopsdemo==1.0\n');
    const environment = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://hosting-tests/req/code/' };
    const server = await hosting().startServer({ name: 'req', image: IMAGE, modelDataUrl: modelUrl, environment }, t.hostingContext('req'));
    try {
      const res = await server.invoke({ body: Buffer.from('x'), contentType: 'text/plain' });
      assert.equal(res.status, 200, res.body.toString());
      assert.match(res.body.toString(), /^42 \/opt\/mlops-sfn\/pip-layer\/lib\/python3\.\d+\/site-packages\/mlopsdemo$/);
    } finally {
      await server.stop();
    }
  });

  it('a requirement pip cannot install fails the start with the ping failure and pip\'s message', async () => {
    const modelUrl = await t.put('bad/model.tar.gz', fixtures().file('model.tar.gz'));
    await t.put('bad/code/inference.py', INFERENCE_PY);
    await t.put('bad/code/requirements.txt', 'no-such-package-mlops==9.9\n');
    const environment = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://hosting-tests/bad/code/' };
    await assert.rejects(hosting().startServer({ name: 'bad', image: IMAGE, modelDataUrl: modelUrl, environment }, t.hostingContext('bad')), (e: unknown) => {
      assert.ok(e instanceof ModelServerStartError, String(e));
      assert.equal(e.stage, 'requirements');
      assert.equal(e.failureReasonFor('AllTraffic'), 'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.');
      assert.match(e.detail, /^InstallRequirementsError:\nExitCode 1\nErrorMessage "ERROR: Could not find a version that satisfies the requirement no-such-package-mlops==9.9/);
      return true;
    });
  });
});
