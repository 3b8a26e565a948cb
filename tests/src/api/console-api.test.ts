/**
 * The console's JSON endpoints: approvals decided through the same table `mlops-sfn approve` uses
 * (only from the console's own origin), job logs read in chunks without escaping the logs folder,
 * and the local S3 browsed and downloaded without a page ever rendering an object's content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticSite } from '../../../src/console/static-site.js';
import { apiHarness } from '../../support/local-api.js';

test('approvals: listed without their task token, decided once from the own origin, refused from another', { timeout: 30_000 }, async () => {
  const h = await apiHarness();
  const own = h.api.url;
  const post = (path: string, body: unknown, origin?: string) =>
    fetch(`${own}/console/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) }, body: JSON.stringify(body) });
  try {
    h.services.store.approvals.request('run-1', 'arn:aws:states:us-east-1:111111111111:execution:p:run-1', 'secret-token', { metrics: { accuracy: 0.9 } });
    const listed = (await (await fetch(`${own}/console/api/approvals`)).json()) as { approvals: Record<string, unknown>[] };
    assert.equal(listed.approvals.length, 1);
    assert.equal(listed.approvals[0]!['executionName'], 'run-1');
    assert.equal('taskToken' in listed.approvals[0]!, false);
    assert.doesNotMatch(JSON.stringify(listed), /secret-token/);

    const foreign = await post('approvals/run-1/decision', { decision: 'Approved' }, `http://localhost:${Number(new URL(own).port) + 1}`);
    assert.equal(foreign.status, 403);
    await foreign.text();
    assert.equal(h.services.store.approvals.get('run-1')?.status, 'Pending', 'a foreign page decided nothing');

    const bad = await post('approvals/run-1/decision', { decision: 'Maybe' }, own);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /decision must be "Approved" or "Rejected"/);

    const ok = await post('approvals/run-1/decision', { decision: 'Approved', comment: 'fine', approver: 'alice' }, own);
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.match(((await ok.json()) as { message: string }).message, /^approved run-1 \(by alice\)/);
    const row = h.services.store.approvals.get('run-1')!;
    assert.deepEqual([row.status, row.approver, row.comment], ['Approved', 'alice', 'fine']);

    const again = await post('approvals/run-1/decision', { decision: 'Rejected' }, own);
    assert.equal(again.status, 409);
    assert.match(((await again.json()) as { message: string }).message, /already approved by alice/);
    const unknown = await post('approvals/nobody/decision', { decision: 'Rejected' });
    assert.equal(unknown.status, 409);
    assert.match(((await unknown.json()) as { message: string }).message, /no approval is waiting for nobody/);
  } finally {
    await h.close();
  }
});

test('logs: read from an offset in whole characters; names that could leave the logs folder are refused', { timeout: 30_000 }, async () => {
  const h = await apiHarness();
  try {
    mkdirSync(join(h.home, 'logs'), { recursive: true });
    writeFileSync(join(h.home, 'logs', 'train-1.log'), 'epoch 1 — loss 0.5\n<script>alert(1)</script>\n');
    const first = (await (await fetch(`${h.api.url}/console/api/logs/train-1?offset=0`)).json()) as { text: string; offset: number; size: number; exists: boolean };
    assert.equal(first.text, 'epoch 1 — loss 0.5\n<script>alert(1)</script>\n');
    assert.equal(first.offset, first.size);
    const rest = (await (await fetch(`${h.api.url}/console/api/logs/train-1?offset=${first.offset}`)).json()) as { text: string };
    assert.equal(rest.text, '');
    const none = (await (await fetch(`${h.api.url}/console/api/logs/not-started`)).json()) as { exists: boolean };
    assert.equal(none.exists, false);
    for (const hostile of ['..%2F..%2Fstate.db', '%2Fetc%2Fpasswd', 'a.b', '-x']) {
      const r = await fetch(`${h.api.url}/console/api/logs/${hostile}`);
      assert.equal(r.status, 400, hostile);
      await r.text();
    }
  } finally {
    await h.close();
  }
});

test('S3 objects the console shows through S3\'s API never run as pages of its origin: opened or downloaded, a stored HTML page is inert', { timeout: 30_000 }, async () => {
  const h = await apiHarness();
  const key = 'out/<img src=x onerror=alert(1)>.html';
  try {
    await h.services.s3.createBucket({ Bucket: 'demo' });
    await h.services.s3.putObject({ Bucket: 'demo', Key: key, Body: Buffer.from('<html><script>alert(1)</script></html>'), ContentType: 'text/html' });
    const path = `/demo/${key.split('/').map(encodeURIComponent).join('/')}`;
    // A browser's navigation: unsigned, no Origin.
    const opened = await fetch(`${h.api.url.replace(/\/$/, '')}${path}`);
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.equal(opened.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await opened.text(), '<html><script>alert(1)</script></html>');
    // The console's download link asks S3 for an attachment.
    const disposition = `attachment; filename*=UTF-8''${encodeURIComponent('<img src=x onerror=alert(1)>.html')}`;
    const dl = await fetch(`${h.api.url.replace(/\/$/, '')}${path}?response-content-disposition=${encodeURIComponent(disposition)}`);
    assert.equal(dl.headers.get('content-disposition'), disposition);
    assert.equal(dl.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    await dl.text();
    // The console's own JSON endpoints no longer serve S3.
    const gone = await fetch(`${h.api.url}/console/api/s3/buckets`);
    assert.equal(gone.status, 404);
    await gone.text();
  } finally {
    await h.close();
  }
});

test('the static site serves only its own files, under a strict Content-Security-Policy', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not served: not a site file type');
  const site = staticSite(dir);
  const server = createServer((req, res) => {
    if (!site.handle(req, res, new URL(req.url ?? '/', 'http://x').pathname)) res.writeHead(418).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(await page.text(), /<title>t<\/title>/);
    assert.equal((await fetch(`${base}/assets/app.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.notEqual((await fetch(`${base}/assets/%2e%2e/%2e%2e/package.json`)).status, 200);
    for (const path of ['/assets/secret.txt', '/assets/..%2Fsecret.txt', '/assets/']) {
      const r = await fetch(`${base}${path}`);
      assert.equal(r.status, 404, path);
      await r.text();
    }
    assert.equal((await fetch(`${base}/elsewhere`)).status, 418, 'other paths are not the site\'s');
    assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 418);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
