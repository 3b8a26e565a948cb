/**
 * The local S3 driven by the clients users already have: the AWS CLI v1 (`aws s3 cp|ls|sync|rm`,
 * multipart above its 8 MiB threshold) and boto3 (upload_file/download_file through its transfer
 * manager, plain calls and its S3 errors). Skipped, saying why, where the machine has neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiHarness, type ApiHarness } from '../../../support/local-api.js';

const CLIENT_ENV = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

const awsCli = has('aws', ['--version']);
const python = ['python3', 'python3.11'].find((p) => has(p, ['-c', 'import boto3']));

/** Runs a command with a time limit; resolves with its output, rejects with its stderr. */
function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...CLIENT_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`));
    });
    child.stdin.end(input ?? '');
  });
}

async function withApi(fn: (h: ApiHarness, dir: string) => Promise<void>): Promise<void> {
  const h = await apiHarness();
  const dir = mkdtempSync(join(tmpdir(), 'mlops-s3-clients-'));
  try {
    await fn(h, dir);
    assert.deepEqual(h.logged, []);
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('aws s3 mb|cp|ls|sync|rm work unchanged, including a multipart upload and download', { timeout: 180_000, skip: !awsCli && 'the AWS CLI is not installed (pip install awscli)' }, () =>
  withApi(async (h, dir) => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', h.api.url, ...args, ...(['cp', 'sync', 'rm'].includes(args[1]!) ? ['--only-show-errors'] : [])]);
    await aws('s3', 'mb', 's3://cli');
    const big = randomBytes(20 * 1024 * 1024 + 123);
    writeFileSync(join(dir, 'big.bin'), big);
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'a.txt'), 'a');
    writeFileSync(join(dir, 'tree', 'sub', 'b.txt'), 'b');

    await aws('s3', 'cp', join(dir, 'big.bin'), 's3://cli/data/big.bin');
    const head = await h.services.s3.headObject({ Bucket: 'cli', Key: 'data/big.bin' });
    assert.match(head.ETag, /-3"$/, 'uploaded in three 8 MiB parts');
    await aws('s3', 'cp', 's3://cli/data/big.bin', join(dir, 'back.bin'));
    assert.equal(sha(readFileSync(join(dir, 'back.bin'))), sha(big));

    await aws('s3', 'sync', join(dir, 'tree'), 's3://cli/tree/');
    const listing = await aws('s3', 'ls', '--recursive', 's3://cli/');
    assert.deepEqual(
      listing.trim().split('\n').map((l) => l.trim().split(/\s+/).at(-1)),
      ['data/big.bin', 'tree/a.txt', 'tree/sub/b.txt'],
    );
    // A second sync sends nothing; after a local change it sends that file only.
    writeFileSync(join(dir, 'tree', 'a.txt'), 'changed');
    await aws('s3', 'sync', join(dir, 'tree'), 's3://cli/tree/');
    assert.equal((await h.services.s3.getObject({ Bucket: 'cli', Key: 'tree/a.txt' })).Body.toString(), 'changed');
    await aws('s3', 'rm', '--recursive', 's3://cli/tree/');
    const rest = await aws('s3', 'ls', '--recursive', 's3://cli/');
    assert.equal(rest.trim().split('\n').length, 1);
    await assert.rejects(aws('s3', 'cp', 's3://cli/missing.txt', join(dir, 'x')), /404|Not Found|does not exist/);
    // Without a signature (public-bucket habits, or no credentials at all) the same commands work.
    await aws('s3', 'cp', '--no-sign-request', join(dir, 'tree', 'a.txt'), 's3://cli/open/a.txt');
    await aws('s3', 'cp', '--no-sign-request', 's3://cli/open/a.txt', join(dir, 'open-back.txt'));
    assert.equal(readFileSync(join(dir, 'open-back.txt'), 'utf8'), 'changed');
    assert.match(await aws('s3', 'ls', '--no-sign-request', 's3://cli/open/'), /a\.txt/);
  }),
);

const BOTO_SCRIPT = `
import sys, json, boto3, botocore
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')
out = {}
s3.create_bucket(Bucket='boto')
s3.upload_file(sys.argv[2], 'boto', 'up/model.tar.gz')
s3.download_file('boto', 'up/model.tar.gz', sys.argv[3])
s3.put_object(Bucket='boto', Key='small.json', Body=b'{"a": 1}', ContentType='application/json')
out['small'] = s3.get_object(Bucket='boto', Key='small.json')['Body'].read().decode()
out['keys'] = [o['Key'] for o in s3.list_objects_v2(Bucket='boto')['Contents']]
try:
    s3.get_object(Bucket='boto', Key='nope')
except botocore.exceptions.ClientError as e:
    out['missing'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    s3.head_bucket(Bucket='nobucket')
except botocore.exceptions.ClientError as e:
    out['nobucket'] = e.response['Error']['Code']
s3.get_waiter('object_exists').wait(Bucket='boto', Key='small.json')
print(json.dumps(out))
`;

test('boto3 upload_file/download_file (multipart), plain calls, errors and waiters', { timeout: 180_000, skip: !python && 'no Python with boto3 on PATH (pip install boto3)' }, () =>
  withApi(async (h, dir) => {
    const data = randomBytes(12 * 1024 * 1024);
    writeFileSync(join(dir, 'in.bin'), data);
    writeFileSync(join(dir, 'script.py'), BOTO_SCRIPT);
    const out = JSON.parse(await run(python!, [join(dir, 'script.py'), h.api.url, join(dir, 'in.bin'), join(dir, 'out.bin')])) as Record<string, unknown>;
    assert.equal(sha(readFileSync(join(dir, 'out.bin'))), sha(data));
    assert.equal(out.small, '{"a": 1}');
    assert.deepEqual(out.keys, ['small.json', 'up/model.tar.gz']);
    assert.deepEqual(out.missing, ['NoSuchKey', 404]);
    assert.equal(out.nobucket, '404');
    assert.match((await h.services.s3.headObject({ Bucket: 'boto', Key: 'up/model.tar.gz' })).ETag, /-2"$/);
  }),
);
