/**
 * `mlops-sfn invoke` as users run it: a fresh CLI process against a home where an endpoint was
 * created (by a process that has since closed), and against a running `serve` (serve.json).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLocalServices } from '../../../../src/engine/local-services.js';
import { fixtures } from '../../../support/hosting.js';
import { liveServeUrl } from '../../../../src/cli/commands/invoke-local.js';
import { SERVE_FILE } from '../../../../src/engine/serve-file.js';
import { CLI } from '../../../support/cli.js';

const MAIN = CLI;
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

function cli(home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, '--home', home, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('mlops-sfn invoke in a fresh process', { timeout: 180_000 }, () => {
  let home: string;
  let rows: string;
  let row: string;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'mlops-sfn-invoke-e2e-'));
    rows = join(home, 'rows.csv');
    row = join(home, 'row.csv');
    writeFileSync(rows, '1,2,0,0\n-1,-2,0,0\n');
    // The container's default input_fn turns a single CSV row into a 1-D array, which predict refuses (500).
    writeFileSync(row, '1,2,0,0\n');
    const services = openLocalServices(home, { fsync: false });
    try {
      await services.s3.createBucket({ Bucket: 'models' });
      await services.s3.putObject({ Bucket: 'models', Key: 'm/model.tar.gz', Body: fixtures().file('model.tar.gz') });
      const sm = services.sagemaker;
      sm.createModel({ ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://models/m/model.tar.gz' }, ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r' });
      sm.createEndpointConfig({ EndpointConfigName: 'cfg', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] });
      sm.createEndpoint({ EndpointName: 'ep', EndpointConfigName: 'cfg' });
      assert.equal((await sm.waitFor('endpoint', 'ep'))!['EndpointStatus'], 'InService');
    } finally {
      // Its model server ends with this process's services: the CLI must start its own.
      await services.close();
    }
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('prints the prediction, starting the endpoint in that process (a stale serve.json is ignored)', async () => {
    // A live pid with nothing listening at the address: the CLI falls back to starting the endpoint itself.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    writeFileSync(join(home, SERVE_FILE), JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${port}` }));
    try {
      const r = await cli(home, 'invoke', 'ep', '--body', rows, '--content-type', 'text/csv', '--accept', 'text/csv');
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '1\n0\n');
    } finally {
      rmSync(join(home, SERVE_FILE), { force: true });
    }
  });

  it('exits 2 with one line for an unknown endpoint', async () => {
    const r = await cli(home, 'invoke', 'nope', '--body', rows, '--content-type', 'text/csv');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'mlops-sfn: An error occurred (ValidationError) when calling the InvokeEndpoint operation: Endpoint nope of account 111111111111 not found.\n');
  });

  it("exits 1 with the model server's own error and its log, not the container's HTML page", { timeout: 60_000 }, async () => {
    const r = await cli(home, 'invoke', 'ep', '--body', row, '--content-type', 'text/csv');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    // The Python exception that made the container answer 500, and where the whole traceback is.
    const log = join(home, 'logs', 'ep-AllTraffic.log');
    assert.match(r.stderr, /^mlops-sfn: ModelError from endpoint ep: the model server answered 500: ValueError: Expected 2D array, got 1D array instead/);
    assert.ok(r.stderr.includes(`model server log: ${log} (mlops-sfn logs ep)`), r.stderr);
    assert.doesNotMatch(r.stderr, /<!DOCTYPE|console\.aws\.amazon\.com/);
  });

  describe('with a running serve', { timeout: 180_000 }, () => {
    let server: Server;
    const seen: { path: string; type: string | undefined; body: string }[] = [];

    before(async () => {
      // Stands in for `mlops-sfn serve`: SageMaker runtime's InvokeEndpoint route and error shape.
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          seen.push({ path: req.url ?? '', type: req.headers['content-type'], body: Buffer.concat(chunks).toString() });
          if (req.method === 'POST' && req.url === '/endpoints/ep/invocations') return res.writeHead(200, { 'content-type': 'text/csv' }).end('warm\n');
          res
            .writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationError:http://internal.amazon.com/coral/com.amazon.coral.validate/' })
            .end(JSON.stringify({ message: 'Endpoint other of account 111111111111 not found.' }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      writeFileSync(join(home, SERVE_FILE), JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    });
    after(async () => {
      rmSync(join(home, SERVE_FILE), { force: true });
      await new Promise((r) => server.close(r));
    });

    it('sends the request to serve and prints its answer', async () => {
      const r = await cli(home, 'invoke', 'ep', '--body', rows, '--content-type', 'text/csv');
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'warm\n', '']);
      assert.deepEqual(seen.at(-1), { path: '/endpoints/ep/invocations', type: 'text/csv', body: '1,2,0,0\n-1,-2,0,0\n' });
    });

    it("prints serve's error in AWS's words, with the exit code for its kind", async () => {
      const r = await cli(home, 'invoke', 'other', '--body', rows);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'mlops-sfn: An error occurred (ValidationError) when calling the InvokeEndpoint operation: Endpoint other of account 111111111111 not found.\n');
    });
  });
});

describe('serve.json', () => {
  it('counts only when it names a live process and a loopback http address', () => {
    const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-serve-file-'));
    try {
      const write = (v: unknown) => writeFileSync(join(home, SERVE_FILE), typeof v === 'string' ? v : JSON.stringify(v));
      assert.equal(liveServeUrl(home), undefined);
      write({ pid: process.pid, url: 'http://127.0.0.1:8080' });
      assert.equal(liveServeUrl(home), 'http://127.0.0.1:8080');
      write({ pid: spawnSync('true').pid, url: 'http://127.0.0.1:8080' });
      assert.equal(liveServeUrl(home), undefined, 'its process has ended');
      write({ pid: process.pid, url: 'http://example.com:8080' });
      assert.equal(liveServeUrl(home), undefined, 'not loopback');
      write('{"pid": ');
      assert.equal(liveServeUrl(home), undefined, 'malformed');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
