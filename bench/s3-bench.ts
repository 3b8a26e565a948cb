/**
 * The local S3 over its REST API: a 1 GiB file through `aws s3 cp` up and back (multipart both
 * ways, checked byte-equal by SHA-256), and the same bytes through AWS SDK v3 PutObject/GetObject
 * streams, beside the anchor measured in the same run: copying the file on the same file system
 * (what the bytes cost without S3 in between).
 *
 * Run alone with `node dist/bench/s3-bench.js [MiB]`, or call `runS3Bench()`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalApi } from '../src/api/index.js';
import { openLocalServices } from '../src/engine/local-services.js';
import { LocalStepFunctions } from '../src/engine/step-functions/index.js';

const MiB = 1024 * 1024;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const block = randomBytes(8 * MiB);
  const out = createWriteStream(path);
  for (let done = 0; done < bytes; done += block.length) {
    if (!out.write(block.subarray(0, Math.min(block.length, bytes - done)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

export async function runS3Bench(log: (line: string) => void = console.log, mib = 1024): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-s3-bench-'));
  const services = openLocalServices(join(dir, 'home'), {});
  const sfn = new LocalStepFunctions(services, {});
  const api = await startLocalApi({ services, stepFunctions: sfn, log: (l) => process.stderr.write(`${l}\n`) });
  const s3 = new S3Client({ endpoint: api.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  try {
    const src = join(dir, 'src.bin');
    await writeRandomFile(src, mib * MiB);
    const size = statSync(src).size;
    const rate = (ms: number) => `${((size / MiB / ms) * 1000).toFixed(0).padStart(5)} MiB/s`;
    const fsMs = await timed(() => copyFile(src, join(dir, 'fs-copy.bin')));
    rmSync(join(dir, 'fs-copy.bin'));
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const label = `${mib} MiB`;

    const sdkPut = await timed(() => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'sdk.bin', Body: createReadStream(src), ContentLength: size })));
    const sdkGet = await timed(async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'sdk.bin' }));
      await pipeline(got.Body as NodeJS.ReadableStream, createWriteStream(join(dir, 'sdk-back.bin')));
    });
    const sdkSame = (await sha256(join(dir, 'sdk-back.bin'))) === (await sha256(src));
    rmSync(join(dir, 'sdk-back.bin'));
    log(`${`S3 SDK v3 PutObject, ${label}`.padEnd(34)} ours ${rate(sdkPut)}   file copy ${rate(fsMs)}   ratio ${(fsMs / sdkPut).toFixed(2)}`);
    log(`${`S3 SDK v3 GetObject, ${label}`.padEnd(34)} ours ${rate(sdkGet)}   file copy ${rate(fsMs)}   ratio ${(fsMs / sdkGet).toFixed(2)}   byte-equal: ${sdkSame}`);

    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l', AWS_DEFAULT_REGION: 'us-east-1' };
    // Asynchronously: the API answering it runs in this very process.
    const aws = (...args: string[]) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('aws', ['--endpoint-url', api.url, 's3', 'cp', '--only-show-errors', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c));
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`aws s3 cp ${args.join(' ')}: ${err}`))));
      });
    if (spawnSync('aws', ['--version']).status !== 0) {
      log('aws s3 cp: skipped (the AWS CLI is not installed)');
      return;
    }
    const up = await timed(() => aws(src, 's3://bench/cli.bin'));
    const down = await timed(() => aws('s3://bench/cli.bin', join(dir, 'cli-back.bin')));
    const same = (await sha256(join(dir, 'cli-back.bin'))) === (await sha256(src));
    log(`${`aws s3 cp up, ${label}`.padEnd(34)} ours ${rate(up)}   file copy ${rate(fsMs)}   ratio ${(fsMs / up).toFixed(2)}`);
    log(`${`aws s3 cp down, ${label}`.padEnd(34)} ours ${rate(down)}   file copy ${rate(fsMs)}   ratio ${(fsMs / down).toFixed(2)}   byte-equal: ${same}`);
  } finally {
    s3.destroy();
    await api.close();
    await sfn.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runS3Bench(console.log, Number(process.argv[2] ?? 1024)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
