import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import { S3Store, s3StoreForHome } from '../../../../src/emulators/s3/store.js';
import {
  displayLocalPath,
  humanReadableSize,
  registerS3Command,
  s3Cp,
  s3Ls,
  s3Mb,
  s3Rb,
  s3Rm,
  type S3CliIo,
} from '../../../../src/cli/commands/s3.js';
import { exitCodeFor } from '../../../../src/cli/run-main.js';

// `aws s3 ls` prints local time; pin the zone so expected lines are literal.
process.env.TZ = 'UTC';

const sandboxes: string[] = [];
after(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

interface Env {
  dir: string;
  store: S3Store;
  io: S3CliIo;
  lines: string[];
}

async function env(buckets: string[] = ['bkt']): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 's3-cli-test-'));
  sandboxes.push(dir);
  const store = s3StoreForHome(join(dir, '.mlops'), { fsync: false, now: () => Date.UTC(2024, 0, 1, 12, 0, 0) });
  for (const b of buckets) await store.createBucket({ Bucket: b });
  const lines: string[] = [];
  return { dir, store, lines, io: { out: (l) => lines.push(l), cwd: dir } };
}

async function put(store: S3Store, key: string, body = 'x', bucket = 'bkt') {
  await store.putObject({ Bucket: bucket, Key: key, Body: body });
}

/** The command fails with bad input: one line, exit 2 (a UserError, or the S3 emulator's own typed error). */
async function userError(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    const { code, line } = exitCodeFor(err);
    assert.ok(code === 2 || (err instanceof UserError && code === err.exitCode), `expected bad input, got ${String(err)}`);
    assert.match(line, message);
    assert.ok(!line.includes('\n'), 'one line');
    return true;
  });
}

test('ls with no path lists buckets with their creation time', async () => {
  const e = await env(['beta', 'alpha']);
  assert.equal(await s3Ls(e.store, undefined, {}, e.io), 0);
  assert.deepEqual(e.lines, ['2024-01-01 12:00:00 alpha', '2024-01-01 12:00:00 beta']);
});

test('ls prints PRE lines for common prefixes and aws s3 ls\'s columns for objects', async () => {
  const e = await env();
  await put(e.store, 'data/a.csv', 'x'.repeat(1234));
  await put(e.store, 'data/sub/b.csv');
  await put(e.store, 'data/sub2/c.csv');
  await put(e.store, 'top.txt', 'hello');
  assert.equal(await s3Ls(e.store, 's3://bkt', {}, e.io), 0);
  assert.deepEqual(e.lines, ['                           PRE data/', '2024-01-01 12:00:00          5 top.txt']);
  e.lines.length = 0;
  await s3Ls(e.store, 's3://bkt/data/', {}, e.io);
  assert.deepEqual(e.lines, [
    '                           PRE sub/',
    '                           PRE sub2/',
    '2024-01-01 12:00:00       1234 a.csv',
  ]);
  e.lines.length = 0;
  // Without the trailing "/" the prefix itself is the common prefix, as in aws s3 ls.
  await s3Ls(e.store, 's3://bkt/data', {}, e.io);
  assert.deepEqual(e.lines, ['                           PRE data/']);
});

test('ls --recursive prints full keys; --human-readable and --summarize match aws s3 ls', async () => {
  const e = await env();
  await put(e.store, 'a/one', 'x'.repeat(1536));
  await put(e.store, 'a/b/two', 'y');
  await s3Ls(e.store, 'bkt/a/', { recursive: true, humanReadable: true, summarize: true }, e.io);
  assert.deepEqual(e.lines, [
    '2024-01-01 12:00:00     1 Byte a/b/two',
    '2024-01-01 12:00:00    1.5 KiB a/one',
    '',
    'Total Objects: 2',
    '   Total Size: 1.5 KiB',
  ]);
});

test('ls of a prefix with nothing under it exits 1 without output; of a missing bucket fails clearly', async () => {
  const e = await env();
  assert.equal(await s3Ls(e.store, 's3://bkt/nothing/', {}, e.io), 1);
  assert.equal(await s3Ls(e.store, 's3://bkt', {}, e.io), 0);
  assert.deepEqual(e.lines, []);
  await userError(
    s3Ls(e.store, 's3://missing-bucket/x', {}, e.io),
    /^An error occurred \(NoSuchBucket\) when calling the ListObjectsV2 operation: The specified bucket does not exist\. Create it with: mlops-sfn s3 mb s3:\/\/missing-bucket$/,
  );
  await userError(s3Ls(e.store, 'http://x/y', {}, e.io), /not a valid S3 URI/);
});

test('humanReadableSize follows the AWS CLI, including ties rounded to even', () => {
  assert.equal(humanReadableSize(0), '0 Bytes');
  assert.equal(humanReadableSize(1), '1 Byte');
  assert.equal(humanReadableSize(1023), '1023 Bytes');
  assert.equal(humanReadableSize(1024), '1.0 KiB');
  assert.equal(humanReadableSize(1280), '1.2 KiB');
  assert.equal(humanReadableSize(1048575), '1.0 MiB');
  assert.equal(humanReadableSize(5 * 1024 ** 3), '5.0 GiB');
});

test('cp uploads a file under its own name to a bucket or "dir/", or to the exact key given', async () => {
  const e = await env();
  writeFileSync(join(e.dir, 'a.json'), '{"a":1}');
  mkdirSync(join(e.dir, 'sub'));
  writeFileSync(join(e.dir, 'sub', 'b.txt'), 'b');
  await s3Cp(e.store, './a.json', 's3://bkt', {}, e.io);
  await s3Cp(e.store, 'a.json', 's3://bkt/dir/', {}, e.io);
  await s3Cp(e.store, 'sub/b.txt', 's3://bkt/renamed.bin', {}, e.io);
  assert.deepEqual(e.lines, [
    'upload: ./a.json to s3://bkt/a.json',
    'upload: ./a.json to s3://bkt/dir/a.json',
    'upload: sub/b.txt to s3://bkt/renamed.bin',
  ]);
  assert.equal((await e.store.headObject({ Bucket: 'bkt', Key: 'a.json' })).ContentType, 'application/json');
  assert.equal((await e.store.getObject({ Bucket: 'bkt', Key: 'renamed.bin' })).Body.toString(), 'b');
  await s3Cp(e.store, 'a.json', 's3://bkt/typed', { contentType: 'text/x-custom', quiet: true }, e.io);
  assert.equal((await e.store.headObject({ Bucket: 'bkt', Key: 'typed' })).ContentType, 'text/x-custom');
  assert.equal(e.lines.length, 3, '--quiet prints nothing');
});

test('cp refuses bad input with one actionable line', async () => {
  const e = await env();
  mkdirSync(join(e.dir, 'folder'));
  await userError(s3Cp(e.store, './missing.txt', 's3://bkt/', {}, e.io), /^The user-provided path \.\/missing\.txt does not exist\.$/);
  await userError(s3Cp(e.store, 'folder', 's3://bkt/', {}, e.io), /is a folder: add --recursive/);
  await userError(s3Cp(e.store, 'a', 'b', {}, e.io), /at least one of them must be an s3:\/\/ URI/);
  writeFileSync(join(e.dir, 'f'), 'x');
  await userError(s3Cp(e.store, 'f', 's3://no-such-bucket/f', {}, e.io), /\(NoSuchBucket\).*mlops-sfn s3 mb s3:\/\/no-such-bucket/);
  await userError(s3Cp(e.store, 's3://bkt/nope.csv', '.', {}, e.io), /\(NoSuchKey\) when calling the HeadObject operation: The specified key does not exist: s3:\/\/bkt\/nope\.csv\. See what is there with: mlops-sfn s3 ls s3:\/\/bkt\/$/);
  await userError(s3Cp(e.store, 's3://bkt', '.', {}, e.io), /names a bucket, not an object: add --recursive/);
  await userError(s3Cp(e.store, 's3://Bad_Bucket/x', '.', {}, e.io), /not a valid bucket name/);
});

test('cp downloads to a folder under the key\'s name, or to the file name given', async () => {
  const e = await env();
  await put(e.store, 'models/model.tar.gz', 'weights');
  mkdirSync(join(e.dir, 'out'));
  await s3Cp(e.store, 's3://bkt/models/model.tar.gz', 'out', {}, e.io);
  await s3Cp(e.store, 's3://bkt/models/model.tar.gz', 'new/dir/', {}, e.io);
  await s3Cp(e.store, 's3://bkt/models/model.tar.gz', 'renamed.tgz', {}, e.io);
  assert.deepEqual(e.lines, [
    'download: s3://bkt/models/model.tar.gz to out/model.tar.gz',
    'download: s3://bkt/models/model.tar.gz to new/dir/model.tar.gz',
    'download: s3://bkt/models/model.tar.gz to ./renamed.tgz',
  ]);
  for (const p of ['out/model.tar.gz', 'new/dir/model.tar.gz', 'renamed.tgz']) {
    assert.equal(readFileSync(join(e.dir, p), 'utf8'), 'weights');
  }
});

test('cp will not save a ".." key under its own name, which would land outside the folder', async () => {
  const e = await env();
  await put(e.store, '..', 'evil');
  mkdirSync(join(e.dir, 'out'));
  await userError(s3Cp(e.store, 's3://bkt/..', 'out', {}, e.io), /give a file name as the destination/);
  await s3Cp(e.store, 's3://bkt/..', 'out/dotdot.txt', {}, e.io);
  assert.equal(readFileSync(join(e.dir, 'out', 'dotdot.txt'), 'utf8'), 'evil');
});

test('cp copies between buckets and keys, keeping the name when the destination ends in "/"', async () => {
  const e = await env(['bkt', 'dest']);
  await put(e.store, 'a/file.txt', 'content');
  await s3Cp(e.store, 's3://bkt/a/file.txt', 's3://dest/', {}, e.io);
  await s3Cp(e.store, 's3://bkt/a/file.txt', 's3://dest/b/c.txt', {}, e.io);
  assert.deepEqual(e.lines, ['copy: s3://bkt/a/file.txt to s3://dest/file.txt', 'copy: s3://bkt/a/file.txt to s3://dest/b/c.txt']);
  assert.equal((await e.store.getObject({ Bucket: 'dest', Key: 'b/c.txt' })).Body.toString(), 'content');
});

test('cp --recursive uploads a folder, downloads a prefix ("data" meaning "data/") and copies a prefix', async () => {
  const e = await env(['bkt', 'dest']);
  mkdirSync(join(e.dir, 'local', 'nested'), { recursive: true });
  writeFileSync(join(e.dir, 'local', 'a.csv'), 'a');
  writeFileSync(join(e.dir, 'local', 'nested', 'b.csv'), 'b');
  await s3Cp(e.store, 'local', 's3://bkt/data', { recursive: true }, e.io);
  assert.deepEqual(e.lines.sort(), [
    'upload: local/a.csv to s3://bkt/data/a.csv',
    'upload: local/nested/b.csv to s3://bkt/data/nested/b.csv',
  ]);
  await put(e.store, 'database.csv', 'not under data/');
  e.lines.length = 0;
  await s3Cp(e.store, 's3://bkt/data', 'copy', { recursive: true }, e.io);
  assert.deepEqual(e.lines.sort(), [
    'download: s3://bkt/data/a.csv to copy/a.csv',
    'download: s3://bkt/data/nested/b.csv to copy/nested/b.csv',
  ]);
  assert.equal(readFileSync(join(e.dir, 'copy', 'nested', 'b.csv'), 'utf8'), 'b');
  e.lines.length = 0;
  await s3Cp(e.store, 's3://bkt/data/', 's3://dest/backup', { recursive: true }, e.io);
  assert.deepEqual(e.lines, [
    'copy: s3://bkt/data/a.csv to s3://dest/backup/a.csv',
    'copy: s3://bkt/data/nested/b.csv to s3://dest/backup/nested/b.csv',
  ]);
  e.lines.length = 0;
  await s3Cp(e.store, 'local', 's3://bkt/dry', { recursive: true, dryrun: true }, e.io);
  assert.deepEqual(e.lines.sort(), [
    '(dryrun) upload: local/a.csv to s3://bkt/dry/a.csv',
    '(dryrun) upload: local/nested/b.csv to s3://bkt/dry/nested/b.csv',
  ]);
  assert.equal(await e.store.objectExists({ Bucket: 'bkt', Key: 'dry/a.csv' }), false);
});

test('cp --recursive refuses a prefix holding a key that would escape the folder, writing nothing', async () => {
  const e = await env();
  await put(e.store, 'p/ok.txt');
  await put(e.store, 'p/../../escape.txt');
  await userError(s3Cp(e.store, 's3://bkt/p', 'out', { recursive: true }, e.io), /Refusing to download s3:\/\/bkt\/p\/\.\.\/\.\.\/escape\.txt/);
  assert.throws(() => readFileSync(join(e.dir, 'out', 'ok.txt')), { code: 'ENOENT' });
});

test('cp streams stdin to an object and an object to stdout with "-"', async () => {
  const e = await env();
  await s3Cp(e.store, '-', 's3://bkt/from-stdin', {}, { ...e.io, stdin: Readable.from([Buffer.from('piped ')]) });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await s3Cp(e.store, 's3://bkt/from-stdin', '-', {}, { ...e.io, stdout: sink });
  assert.equal(Buffer.concat(chunks).toString(), 'piped ');
  assert.deepEqual(e.lines, []);
});

test('rm deletes one object, or with --recursive everything under a prefix', async () => {
  const e = await env();
  for (const k of ['logs/1', 'logs/2', 'logs2/keep', 'other']) await put(e.store, k);
  await s3Rm(e.store, 's3://bkt/other', {}, e.io);
  await s3Rm(e.store, 's3://bkt/logs', { recursive: true }, e.io);
  assert.deepEqual(e.lines, ['delete: s3://bkt/other', 'delete: s3://bkt/logs/1', 'delete: s3://bkt/logs/2']);
  const left = [];
  for await (const o of e.store.listAll('bkt')) left.push(o.Key);
  assert.deepEqual(left, ['logs2/keep']);
  await userError(s3Rm(e.store, 's3://bkt', {}, e.io), /names a bucket, not an object: add --recursive .* or use "s3 rb"/);
  await userError(s3Rm(e.store, 'local/path', {}, e.io), /is not an S3 URI/);
});

test('mb and rb create and remove buckets with aws s3\'s messages', async () => {
  const e = await env([]);
  await s3Mb(e.store, 's3://new-bucket', e.io);
  await userError(
    s3Mb(e.store, 's3://new-bucket', e.io),
    /^make_bucket failed: s3:\/\/new-bucket An error occurred \(BucketAlreadyOwnedByYou\) when calling the CreateBucket operation: Your previous request to create the named bucket succeeded and you already own it\.$/,
  );
  await put(e.store, 'k', 'v', 'new-bucket');
  await userError(s3Rb(e.store, 's3://new-bucket', {}, e.io), /\(BucketNotEmpty\).*Add --force/);
  await s3Rb(e.store, 's3://new-bucket', { force: true }, e.io);
  assert.deepEqual(e.lines, ['make_bucket: new-bucket', 'delete: s3://new-bucket/k', 'remove_bucket: new-bucket']);
  assert.equal(await e.store.bucketExists('new-bucket'), false);
  await userError(s3Mb(e.store, 's3://UPPER', e.io), /not a valid bucket name/);
  await userError(s3Mb(e.store, 's3://bkt/key', e.io), /takes a bucket/);
});

test('displayLocalPath prints paths like the AWS CLI does', () => {
  assert.equal(displayLocalPath('a.txt', '/w'), './a.txt');
  assert.equal(displayLocalPath('/w/x/a.txt', '/w'), 'x/a.txt');
  assert.equal(displayLocalPath('/elsewhere/a.txt', '/w'), '../elsewhere/a.txt');
});

test('registerS3Command wires the commands into commander with the home it is given', async () => {
  const e = await env([]);
  const program = new Command().exitOverride();
  const printed: string[] = [];
  const io = () => ({ out: (l: string) => printed.push(l), cwd: e.dir });
  registerS3Command(program, () => join(e.dir, '.mlops'), io);
  writeFileSync(join(e.dir, 'f.txt'), 'data');
  await program.parseAsync(['s3', 'mb', 's3://wired'], { from: 'user' });
  await program.parseAsync(['s3', 'cp', 'f.txt', 's3://wired/in/'], { from: 'user' });
  await program.parseAsync(['s3', 'ls', 's3://wired', '--recursive'], { from: 'user' });
  await program.parseAsync(['s3', 'rm', '--recursive', 's3://wired/in'], { from: 'user' });
  assert.equal(printed.length, 4);
  assert.deepEqual([printed[0], printed[1], printed[3]], [
    'make_bucket: wired',
    'upload: ./f.txt to s3://wired/in/f.txt',
    'delete: s3://wired/in/f.txt',
  ]);
  assert.match(printed[2], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {10}4 in\/f\.txt$/);
  const exitBefore = process.exitCode;
  await program.parseAsync(['s3', 'ls', 's3://wired/nothing/'], { from: 'user' });
  assert.equal(process.exitCode, 1, 'an empty listing exits 1 like aws s3 ls');
  process.exitCode = exitBefore;
  assert.equal(await new S3Store(join(e.dir, '.mlops', 's3')).bucketExists('wired'), true);
});
