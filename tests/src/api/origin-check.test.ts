/**
 * Cross-site requests from a page on another local port (or a sandboxed `null` origin) must not
 * drive the API: only the console's own origin and clients that send no Origin (SDKs, the CLI) may.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiHarness, ROLE } from '../../support/local-api.js';

const WAIT = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });

test('a page on another localhost port cannot start or stop executions; the own origin and origin-less clients can', { timeout: 30_000 }, async () => {
  const h = await apiHarness();
  const port = new URL(h.api.url).port;
  const post = (target: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(h.api.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0', ...headers }, body: JSON.stringify(body) });
  try {
    const created = await post('AWSStepFunctions.CreateStateMachine', { name: 'waits', definition: WAIT, roleArn: ROLE });
    assert.equal(created.status, 200);
    const { stateMachineArn } = (await created.json()) as { stateMachineArn: string };

    for (const origin of [`http://localhost:${Number(port) + 1}`, `http://127.0.0.1:${Number(port) + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const r = await post('AWSStepFunctions.StartExecution', { stateMachineArn, name: 'from-elsewhere' }, { origin });
      assert.equal(r.status, 403, `origin ${origin}`);
      assert.match(await r.text(), /^Forbidden: /);
    }
    const listed = await post('AWSStepFunctions.ListExecutions', { stateMachineArn });
    assert.deepEqual(((await listed.json()) as { executions: unknown[] }).executions, [], 'nothing was started by a foreign page');

    const own = await post('AWSStepFunctions.StartExecution', { stateMachineArn, name: 'from-console' }, { origin: `http://127.0.0.1:${port}` });
    assert.equal(own.status, 200);
    const { executionArn } = (await own.json()) as { executionArn: string };

    const foreignStop = await post('AWSStepFunctions.StopExecution', { executionArn }, { origin: `http://localhost:${Number(port) + 1}` });
    assert.equal(foreignStop.status, 403);
    await foreignStop.text();
    const stopped = await post('AWSStepFunctions.StopExecution', { executionArn });
    assert.equal(stopped.status, 200, 'an SDK (no Origin) may stop it');
    await stopped.text();
  } finally {
    await h.close();
  }
});
