import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHosting } from '../../../../../src/emulators/sagemaker/hosting/index.js';
import { invokeModelServer } from '../../../../../src/emulators/sagemaker/invoke-url.js';
import { fixtures, testHome, waitForLog, type TestHome } from '../../../../support/hosting.js';

const ROWS = { body: Buffer.from('1,2,0,0\n-1,-2,0,0\n'), contentType: 'text/csv', accept: 'text/csv' };

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a model server that stops unexpectedly', { timeout: 180_000 }, () => {
  let t: TestHome;
  let modelUrl: string;

  before(async () => {
    t = await testHome();
    modelUrl = await t.put('model/model.tar.gz', fixtures().file('model.tar.gz'));
  });
  after(() => t.cleanup());

  it('is started again, and requests meanwhile get SageMaker runtime\'s ServiceUnavailable', async () => {
    const ctx = t.hostingContext('crash');
    const server = await createHosting({ restartDelayMs: 50 }).startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment: {} }, ctx);
    try {
      assert.equal((await invokeModelServer(server.url, ROWS)).body.toString(), '1\n0\n');
      const first = server.serverPid!;
      process.kill(first, 'SIGKILL');
      // Until the new server answers, the endpoint's URL answers as SageMaker runtime does, not as a container.
      let down = await invokeModelServer(server.url, ROWS);
      await until(async () => (down = await invokeModelServer(server.url, ROWS)).status !== 200);
      assert.equal(down.status, 503);
      assert.equal(down.errorType, 'ServiceUnavailable');
      assert.match(JSON.parse(down.body.toString()).message, /model server stopped unexpectedly \(signal SIGKILL\)/);
      await until(() => server.restarts === 1);
      assert.notEqual(server.serverPid, first);
      const again = await invokeModelServer(server.url, ROWS);
      assert.equal(again.status, 200);
      assert.equal(again.body.toString(), '1\n0\n');
      const log = await waitForLog(ctx.logFile, /model server restarted/);
      assert.match(log, new RegExp(`the model server \\(pid ${first}\\) stopped unexpectedly \\(signal SIGKILL\\); starting a new one`));
      assert.match(log, /model server restarted \(attempt 1 of 5, pid \d+\)/);
    } finally {
      await server.stop();
    }
  });

  it('gives up after the bounded attempts, and keeps answering ServiceUnavailable', async () => {
    const ctx = t.hostingContext('gone');
    const url = await t.put('model/gone.tar.gz', fixtures().file('model.tar.gz'));
    const server = await createHosting({ restartAttempts: 2, restartDelayMs: 20 }).startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: url, environment: {} }, ctx);
    try {
      // The model data is gone, so no new server can start.
      await t.s3.deleteObject({ Bucket: 'hosting-tests', Key: 'model/gone.tar.gz' });
      process.kill(server.serverPid!, 'SIGKILL');
      const log = await waitForLog(ctx.logFile, /gave up restarting/);
      assert.match(log, /restart attempt 1 of 2 failed: Could not find model data/);
      assert.match(log, /restart attempt 2 of 2 failed/);
      assert.match(log, /gave up restarting the model server after 2 attempts/);
      const res = await invokeModelServer(server.url, ROWS);
      assert.equal(res.status, 503);
      assert.equal(res.errorType, 'ServiceUnavailable');
      assert.match(JSON.parse(res.body.toString()).message, /could not be replaced: its model server failed 2 restarts in a row/);
      assert.equal((await server.invoke(ROWS)).errorType, 'ServiceUnavailable');
      assert.equal(server.restarts, 0);
    } finally {
      await server.stop();
    }
  });

  it('is not restarted after an orderly stop', async () => {
    const ctx = t.hostingContext('orderly');
    const server = await createHosting({ restartDelayMs: 20 }).startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment: {} }, ctx);
    await server.stop();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.restarts, 0);
    assert.doesNotMatch(await waitForLog(ctx.logFile, /$^/), /stopped unexpectedly/);
  });
});
