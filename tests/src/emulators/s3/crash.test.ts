import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { S3Store } from '../../../../src/emulators/s3/store.js';

const sandboxes: string[] = [];
after(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

const storeModule = new URL('../../../../src/emulators/s3/store.js', import.meta.url).href;

/** A child process that uploads `version` of key "k" as 64 chunks and is killed mid-way. */
const WRITER = `
import { S3Store } from ${JSON.stringify(storeModule)};
const [root, version] = process.argv.slice(2);
const store = new S3Store(root);
async function* body() {
  for (let i = 0; i < 64; i++) {
    if (i === 1) process.stdout.write('writing\\n');
    yield Buffer.alloc(64 * 1024, version);
    await new Promise((r) => setTimeout(r, 2));
  }
}
await store.putObject({ Bucket: 'bkt', Key: 'k', Body: body(), Metadata: { version } });
process.stdout.write('done\\n');
`;

function md5(buf: Buffer): string {
  return createHash('md5').update(buf).digest('hex');
}

async function runAndKill(script: string, root: string, version: string, killAfterMs: number): Promise<string> {
  // stderr forwarded, not inherited: a writer that outlived this process could not hold the runner's output open.
  const child = spawn(process.execPath, [script, root, version], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(process.stderr);
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('writing')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', () => resolve());
  });
  return out;
}

test('a writer killed with SIGKILL mid-upload leaves the previous object whole and nothing half-written visible', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 's3-crash-test-'));
  sandboxes.push(dir);
  const root = join(dir, 's3');
  const script = join(dir, 'writer.mjs');
  writeFileSync(script, WRITER);
  const store = new S3Store(root, { fsync: false });
  await store.createBucket({ Bucket: 'bkt' });
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: Buffer.alloc(64 * 64 * 1024, 'a'), Metadata: { version: 'a' } });
  const whole = (v: string) => md5(Buffer.alloc(64 * 64 * 1024, v));

  let killedMidway = 0;
  let current = 'a';
  const versions = 'bcdefghijk';
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i];
    // Mostly mid-upload; the last rounds may let some writers finish.
    const out = await runAndKill(script, root, v, i < 7 ? 5 + i * 5 : 150 + i * 20);
    if (out.includes('done')) current = v;
    else killedMidway++;
    const got = await store.getObject({ Bucket: 'bkt', Key: 'k' });
    // Data and metadata always belong to the same, complete version.
    assert.ok([whole(current), whole(v)].includes(md5(got.Body)), `round ${v}: torn object`);
    const seen = got.Body.subarray(0, 1).toString();
    assert.equal(got.Metadata.version, seen);
    assert.equal(got.ETag, `"${md5(got.Body)}"`);
    assert.equal(got.ContentLength, got.Body.length);
    current = seen;
    const listed = await store.listObjectsV2({ Bucket: 'bkt' });
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['k']);
  }
  assert.ok(killedMidway >= 5, `only ${killedMidway} writers were killed mid-upload`);
  // The crashes left temp files, which no read or listing saw; sweep clears them.
  const tmp = join(root, 'buckets', 'bkt', 'tmp');
  assert.ok(readdirSync(tmp).length >= 1);
  await store.sweep(0);
  assert.deepEqual(readdirSync(tmp), []);
  assert.ok(existsSync(join(root, 'buckets', 'bkt', 'bucket.json')));
});
