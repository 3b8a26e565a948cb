/**
 * A model server gets the same sandbox as a job, also when mlops-sfn runs as root: the escape
 * probe runs as the server's transform_fn (real bubblewrap, real /usr/bin/python3) and must find no
 * way to the host. With the model's EnableNetworkIsolation the server reaches no network, loopback
 * included, yet still answers its invocations.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from '../../../../../src/store/index.js';
import { assertContained, ESCAPE_PROBE_PY, helloServer, probeArgs, type ProbeReport } from '../../../../support/escape-probe.js';
import { readFileSync } from 'node:fs';
import { createHosting, ModelServerStartError } from '../../../../../src/emulators/sagemaker/hosting/index.js';
import { testHome, type TestHome } from '../../../../support/hosting.js';

let t: TestHome;
let hello: Awaited<ReturnType<typeof helloServer>>;
let code: string;
before(async () => {
  t = await testHome();
  Store.open(t.home).close();
  await t.put('probe-src/probe.py', ESCAPE_PROBE_PY);
  code = `s3://hosting-tests/probe-src/`;
  hello = await helloServer();
});
after(async () => {
  await hello.close();
  t.cleanup();
});

async function serverProbe(name: string, networkIsolation: boolean): Promise<void> {
  const server = await createHosting().startServer(
    { name, image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', environment: { SAGEMAKER_PROGRAM: 'probe.py', SAGEMAKER_SUBMIT_DIRECTORY: code }, networkIsolation },
    t.hostingContext(name),
  );
  try {
    const args = probeArgs(t.home, hello.port);
    const r = await server.invoke({ body: Buffer.from(JSON.stringify(args)), contentType: 'application/json', accept: 'application/json', timeoutMs: 30_000 });
    assert.equal(r.status, 200, r.body.toString());
    assertContained(JSON.parse(r.body.toString()) as ProbeReport, args, { networkIsolation });
  } finally {
    await server.stop();
  }
}

test('a model server with network isolation finds no way out of its sandbox, no network, and still answers', { timeout: 60_000 }, async () => {
  await serverProbe('probe-isolated', true);
});

test('a model server without network isolation finds no way out either, and reaches the host network', { timeout: 60_000 }, async () => {
  await serverProbe('probe-net', false);
});

test('where bubblewrap is missing, a model server refuses to start and says what to install', { timeout: 30_000 }, async () => {
  const ctx = t.hostingContext('no-bwrap');
  await assert.rejects(
    createHosting({ bwrapPath: '/nonexistent/bwrap' }).startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', environment: { SAGEMAKER_PROGRAM: 'probe.py', SAGEMAKER_SUBMIT_DIRECTORY: code } }, ctx),
    (e: unknown) => {
      assert.ok(e instanceof ModelServerStartError);
      assert.match(e.describe(), /Local cause \(spawn\): bubblewrap \(\/nonexistent\/bwrap\) is not installed.*apt-get install bubblewrap.*MLOPS_SFN_SANDBOX=off/);
      return true;
    },
  );
  assert.match(readFileSync(ctx.logFile, 'utf8'), /mlops-sfn: bubblewrap \(\/nonexistent\/bwrap\) is not installed/);
});

test('MLOPS_SFN_SANDBOX=off: each model server warns that it runs unsandboxed, in its log and on standard error', { timeout: 60_000 }, async () => {
  const warnings: string[] = [];
  const before = process.env['MLOPS_SFN_SANDBOX'];
  process.env['MLOPS_SFN_SANDBOX'] = 'off';
  try {
    const hosting = createHosting({ warn: (line) => warnings.push(line) });
    for (const name of ['off-1', 'off-2']) {
      const ctx = t.hostingContext(name);
      const server = await hosting.startServer({ name, image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', environment: { SAGEMAKER_PROGRAM: 'probe.py', SAGEMAKER_SUBMIT_DIRECTORY: code } }, ctx);
      await server.stop();
      assert.match(readFileSync(ctx.logFile, 'utf8'), new RegExp(`^mlops-sfn: WARNING: the model server of model ${name} runs WITHOUT a sandbox \\(MLOPS_SFN_SANDBOX=off\\)`));
    }
  } finally {
    if (before === undefined) delete process.env['MLOPS_SFN_SANDBOX'];
    else process.env['MLOPS_SFN_SANDBOX'] = before;
  }
  assert.equal(warnings.length, 2, 'one warning per server');
});
