import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { s3StoreForHome, type S3Store } from '../../../../src/emulators/s3/store.js';
import { writeObjectToFile } from '../../../../src/emulators/s3/transfer.js';

/** The compiled store modules (dist/src/emulators/s3), for the child processes to import. */
const here = fileURLToPath(new URL('../../../../src/emulators/s3/', import.meta.url));

/** Runs `body` (an ES module's text) in a child process that imports the store; resolves once it prints "ready". */
function child(body: string): { ready: Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; kill: (s: NodeJS.Signals) => void } {
  const script = `import { s3StoreForHome } from ${JSON.stringify(join(here, 'store.js'))};
import { writeObjectToFile } from ${JSON.stringify(join(here, 'transfer.js'))};
import { Readable } from 'node:stream';
import { existsSync, readdirSync } from 'node:fs';
const endless = () => new Readable({ read() { setTimeout(() => this.push(Buffer.alloc(1024)), 20); } });
const waitFor = async (f) => { while (!f()) await new Promise((r) => setTimeout(r, 20)); console.log('ready'); };
${body}`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => p.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.on('exit', (code, signal) => r({ code, signal })));
  return { ready, exited, kill: (s) => p.kill(s) };
}

test('an upload killed midway leaves a temp file that the next opening of the home removes', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-temps-'));
  try {
    const tmp = join(home, 's3', 'buckets', 'bkt', 'tmp');
    const c = child(`const store = s3StoreForHome(${JSON.stringify(home)});
await store.createBucket({ Bucket: 'bkt' });
const put = store.putObject({ Bucket: 'bkt', Key: 'big', Body: endless() });
await waitFor(() => readdirSync(${JSON.stringify(tmp)}).length > 0);
await put;`);
    await c.ready;
    c.kill('SIGKILL');
    await c.exited;
    assert.equal(readdirSync(tmp).length, 1, 'the killed upload left its temp file');
    // A live writer's temp file (this process's) is an upload in progress: it stays.
    const store = s3StoreForHome(home);
    assert.deepEqual(readdirSync(tmp), []);
    const live = store.putObject({ Bucket: 'bkt', Key: 'slow', Body: new Readable({ read() {} }) });
    live.catch(() => undefined);
    for (let i = 0; i < 100 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    s3StoreForHome(home);
    assert.equal(readdirSync(tmp).length, 1, 'an upload in progress keeps its temp file');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

/** The store, except that reading `key` fails after the first kilobyte. */
function failingMidway(store: S3Store): S3Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'getObjectStream') return Reflect.get(target, prop, receiver);
      return async (input: { Bucket: string; Key: string }) => {
        const real = await target.getObjectStream(input);
        let sent = false;
        const Body = new Readable({
          read() {
            if (!sent) {
              sent = true;
              this.push(Buffer.alloc(1024));
            } else this.destroy(new Error('connection reset midway'));
          },
        });
        real.Body.destroy();
        return { ...real, Body };
      };
    },
  });
}

test('a download that fails midway leaves no .part in the folder', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-temps-'));
  const out = mkdtempSync(join(tmpdir(), 'mlops-sfn-download-'));
  try {
    const store = s3StoreForHome(home);
    await store.createBucket({ Bucket: 'bkt' });
    await store.putObject({ Bucket: 'bkt', Key: 'k', Body: Buffer.alloc(100_000) });
    await assert.rejects(writeObjectToFile(failingMidway(store), 'bkt', 'k', join(out, 'k')), /connection reset midway/);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`a download stopped by ${signal} leaves no .part in the folder`, { timeout: 30_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-temps-'));
    const out = mkdtempSync(join(tmpdir(), 'mlops-sfn-download-'));
    try {
      const c = child(`const store = s3StoreForHome(${JSON.stringify(home)});
await store.createBucket({ Bucket: 'bkt' });
await store.putObject({ Bucket: 'bkt', Key: 'k', Body: Buffer.alloc(10) });
const slow = new Proxy(store, { get: (t, p) => p === 'getObjectStream' ? async (i) => ({ ...(await t.getObjectStream(i)), Body: endless() }) : Reflect.get(t, p) });
const done = writeObjectToFile(slow, 'bkt', 'k', ${JSON.stringify(join(out, 'k'))});
await waitFor(() => readdirSync(${JSON.stringify(out)}).length > 0);
await done;`);
      await c.ready;
      assert.match(readdirSync(out).join(' '), /\.part$/);
      c.kill(signal);
      const { signal: ended } = await c.exited;
      assert.equal(ended, signal, 'the process still ends by the signal');
      assert.deepEqual(readdirSync(out), []);
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
}
