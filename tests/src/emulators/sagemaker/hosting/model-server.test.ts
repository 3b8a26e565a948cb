import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelSpec } from '../../../../../src/emulators/sagemaker/contracts.js';
import { createHosting, ModelServerStartError, type LocalModelServer } from '../../../../../src/emulators/sagemaker/hosting/index.js';
import { invokeModelServer } from '../../../../../src/emulators/sagemaker/invoke-url.js';
import { fixtures, processesWithArgument, testHome, waitForLog, type TestHome } from '../../../../support/hosting.js';

const hosting = createHosting();

function raw(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const r = request(new URL(path, url), { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end(opts.body);
  });
}

function npy(dtypeDescr: string, shape: string, data: Buffer): Buffer {
  let header = `{'descr': '${dtypeDescr}', 'fortran_order': False, 'shape': ${shape}, }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const h = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(h);
  h[6] = 1;
  h[7] = 0;
  h.writeUInt16LE(header.length, 8);
  return Buffer.concat([h, Buffer.from(header, 'latin1'), data]);
}

// Each suite starts Python model servers: a stuck start or stop fails the suite instead of stalling the run.
describe('endpoint model server', { timeout: 180_000 }, () => {
  let t: TestHome;
  let modelUrl: string;
  let sourcedirUrl: string;

  before(async () => {
    t = await testHome();
    const f = fixtures();
    modelUrl = await t.put('model/model.tar.gz', f.file('model.tar.gz'));
    sourcedirUrl = await t.put('code/sourcedir.tar.gz', f.file('sourcedir.tar.gz'));
  });
  after(() => t.cleanup());

  describe('with the scikit-learn container default handlers', () => {
    let server: LocalModelServer;
    before(async () => {
      server = await hosting.startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment: {} }, t.hostingContext('defaults'));
    });
    after(() => server.stop());

    it('answers GET /ping with 200 and an empty body', async () => {
      const r = await raw(server.url, '/ping');
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers['content-type'], 'application/json');
    });

    it('predicts a CSV batch and answers in CSV, one value per line', async () => {
      const r = await invokeModelServer(server.url, { body: Buffer.from('1,2,0,0\n-1,-2,0,0\n'), contentType: 'text/csv', accept: 'text/csv' });
      assert.equal(r.status, 200);
      assert.equal(r.contentType, 'text/csv; charset=utf-8');
      assert.equal(r.body.toString(), '1\n0\n');
    });

    it('predicts JSON and answers JSON when Accept is missing or */*', async () => {
      for (const accept of [undefined, '*/*']) {
        const r = await invokeModelServer(server.url, { body: Buffer.from('[[1, 2, 0, 0], [-1, -2, 0, 0]]'), contentType: 'application/json', accept });
        assert.equal(r.status, 200);
        assert.equal(r.contentType, 'application/json');
        assert.equal(r.body.toString(), '[1, 0]');
      }
    });

    it('answers a single-row CSV with 500, as the container does (the row decodes to a 1-D array)', async () => {
      const r = await invokeModelServer(server.url, { body: Buffer.from('1,2,0,0'), contentType: 'text/csv' });
      assert.equal(r.status, 500);
      assert.equal(r.contentType, 'text/html; charset=utf-8');
      assert.match(r.body.toString(), /<title>500 Internal Server Error<\/title>/);
      const log = t.hostingContext('defaults').logFile;
      assert.match(await waitForLog(log, /Expected 2D array/), /Expected 2D array, got 1D array instead/);
    });

    it('answers an unsupported content type with 500 (the sklearn handlers are wrapped)', async () => {
      const r = await server.invoke({ body: Buffer.from('x'), contentType: 'text/plain' });
      assert.equal(r.status, 500);
    });

    it('decodes application/x-npy without unpickling: an object array is refused', async () => {
      const floats = Buffer.alloc(32);
      [1, 2, 0, 0].forEach((v, i) => floats.writeDoubleLE(v, i * 8));
      const ok = await server.invoke({ body: npy('<f8', '(1, 4)', floats), contentType: 'application/x-npy', accept: 'application/json' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.toString(), '[1]');
      // A pickle payload that would create a file if it were ever loaded.
      const marker = join(t.home, 'pwned');
      const pickle = Buffer.from(`cos\nsystem\n(S'touch ${marker}'\ntR.`, 'latin1');
      const evil = await server.invoke({ body: npy('|O', '(1,)', pickle), contentType: 'application/x-npy' });
      assert.equal(evil.status, 500);
      assert.equal(existsSync(marker), false);
    });

    it('refuses requests whose Host or Origin is not loopback, and direct requests without the token', async () => {
      assert.equal((await raw(server.url, '/ping', { headers: { host: 'rebind.example:8080' } })).status, 403);
      assert.equal((await raw(server.url, '/ping', { headers: { origin: 'http://evil.example' } })).status, 403);
      // A page on another local port (a dev server, a notebook) cannot invoke the model either.
      assert.equal((await raw(server.url, '/invocations', { method: 'POST', headers: { origin: 'http://localhost:3000' } })).status, 403);
      assert.equal((await raw(server.url, '/unknown')).status, 404);
    });
  });

  describe('with a user inference script', () => {
    let server: LocalModelServer;
    const marker = `mlops-sfn-child-${process.pid}-${Date.now()}`;
    // Several children: the kernel then takes long enough to tear the sandbox down that a stop()
    // resolving before the teardown ends is caught every time, not once in a while.
    const children = 12;
    const env = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '', SPAWN_MARKER: marker, SPAWN_COUNT: String(children) };
    before(async () => {
      env.SAGEMAKER_SUBMIT_DIRECTORY = sourcedirUrl;
      server = await hosting.startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment: env }, t.hostingContext('script'));
    });
    after(() => server.stop());

    it("uses the script's input_fn, predict_fn and output_fn (a single CSV row works)", async () => {
      const csv = await server.invoke({ body: Buffer.from('1,2,0,0'), contentType: 'text/csv', accept: 'text/csv' });
      assert.equal(csv.status, 200);
      assert.equal(csv.contentType, 'text/csv; charset=utf-8');
      assert.ok(Number(csv.body.toString()) > 0.9);
      const json = await server.invoke({ body: Buffer.from('{"instances": [[-1, -2, 0, 0]]}'), contentType: 'application/json' });
      assert.equal(json.status, 200);
      assert.equal(json.contentType, 'application/json');
      const out = JSON.parse(json.body.toString()) as { version: string; model_dir: string; cwd: string; probabilities: number[] };
      assert.equal(out.version, 'v1');
      // The sandbox shows the private model folder at the container path.
      assert.deepEqual([out.model_dir, out.cwd], ['/opt/ml/model', '/opt/ml/code']);
      assert.ok(out.probabilities[0] < 0.1);
    });

    it('serves the script\'s execution_parameters_fn at /execution-parameters', async () => {
      const r = await raw(server.url, '/execution-parameters');
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.body.toString()), { BatchStrategy: 'SINGLE_RECORD', MaxConcurrentTransforms: 2, MaxPayloadInMB: 1 });
    });

    it('update swaps the model without dropping in-flight requests', async () => {
      const url = server.url;
      const seen: string[] = [];
      let failures = 0;
      let stop = false;
      const client = async (): Promise<void> => {
        while (!stop) {
          const r = await invokeModelServer(url, { body: Buffer.from('{"instances": [[1, 2, 0, 0]]}'), contentType: 'application/json' }).catch(() => undefined);
          if (!r || r.status !== 200) failures++;
          else seen.push((JSON.parse(r.body.toString()) as { version: string }).version);
        }
      };
      const clients = Array.from({ length: 6 }, client);
      await new Promise((r) => setTimeout(r, 200));
      const v2: ModelSpec = { name: 'm2', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment: { ...env, MODEL_VERSION: 'v2' } };
      await server.update(v2);
      const afterSwap = seen.length;
      await new Promise((r) => setTimeout(r, 200));
      stop = true;
      await Promise.all(clients);
      assert.equal(failures, 0);
      assert.equal(server.url, url);
      assert.ok(seen.includes('v1') && seen.includes('v2'), `saw ${new Set(seen).size} versions`);
      assert.ok(seen.slice(afterSwap).every((v) => v === 'v2'), 'only v2 answers after update resolved');
      // After the switch only the requests already in flight to v1 finish there: at most one per client
      // (counting answers, not time, so a slow machine cannot make this flaky).
      const lateV1 = seen.slice(seen.indexOf('v2')).filter((v) => v === 'v1').length;
      assert.ok(lateV1 <= clients.length, `v1 answered ${lateV1} requests after v2 first did`);
      assert.equal(processesWithArgument(marker), children, "the old server's child processes ended with it");
    });

    it('stop resolves once every process the server started has ended', async () => {
      assert.equal(processesWithArgument(marker), children);
      await server.stop();
      assert.equal(processesWithArgument(marker), 0);
    });
  });

  it('without the sandbox too, stop resolves once every process the server started has ended', { timeout: 60_000 }, async () => {
    const marker = `mlops-sfn-child-nosandbox-${process.pid}-${Date.now()}`;
    const environment = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: sourcedirUrl, SPAWN_MARKER: marker, SPAWN_COUNT: '12' };
    const server = await createHosting({ sandbox: 'none' }).startServer({ name: 'n', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: modelUrl, environment }, t.hostingContext('nosandbox'));
    try {
      assert.equal(processesWithArgument(marker), 12);
    } finally {
      await server.stop();
    }
    assert.equal(processesWithArgument(marker), 0);
  });

  it('rejects startServer when the model fails to load, with the ping failure reason and the cause (no sandbox)', async () => {
    const bad = await t.put('bad/model.tar.gz', fixtures().file('bad-model.tar.gz'));
    const ctx = t.hostingContext('bad');
    await assert.rejects(
      createHosting({ sandbox: 'none' }).startServer({ name: 'bad', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: bad, environment: {} }, ctx),
      (e: unknown) => {
        assert.ok(e instanceof ModelServerStartError);
        assert.equal(e.stage, 'model_fn');
        assert.equal(
          e.failureReasonFor('AllTraffic'),
          'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
        );
        assert.match(e.detail, /Error/);
        return true;
      },
    );
    assert.match(await waitForLog(ctx.logFile, /Traceback/), /Traceback/);
  });

  it('rejects model data that is missing', async () => {
    await assert.rejects(
      hosting.startServer({ name: 'x', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: `s3://hosting-tests/nope/model.tar.gz`, environment: {} }, t.hostingContext('missing')),
      { message: 'Could not find model data at s3://hosting-tests/nope/model.tar.gz.' },
    );
  });

  for (const [name, why] of [
    ['traversal.tar.gz', /"\.\." path segment/],
    ['symlink.tar.gz', /symbolic link/],
  ] as const) {
    it(`refuses a model archive with a hostile member (${name})`, async () => {
      const url = await t.put(`hostile/${name}`, fixtures().file(name));
      const ctx = t.hostingContext(name);
      await assert.rejects(hosting.startServer({ name: 'h', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: url, environment: {} }, ctx), (e: unknown) => {
        assert.ok(e instanceof ModelServerStartError);
        assert.equal(e.stage, 'model_archive');
        assert.equal(e.message, `Failed to extract model data archive from URL "${url}". Please ensure that the object located at the URL is a valid tar.gz archive.`);
        assert.match(e.detail, why);
        return true;
      });
      assert.equal(existsSync(join(ctx.workDir, 'escaped.txt')), false);
      assert.equal(existsSync(join(ctx.workDir, 'server-1', 'opt', 'escaped.txt')), false);
      assert.equal(existsSync(join(ctx.workDir, 'server-1', 'opt', 'ml', 'escaped.txt')), false);
    });
  }
});
