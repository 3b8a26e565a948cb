import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import {
  BucketAlreadyOwnedByYouError,
  BucketNotEmptyError,
  InvalidBucketNameError,
  InvalidRequestError,
  KeyTooLongError,
  NoSuchBucketError,
  NoSuchKeyError,
  S3Error,
} from '../../../../src/emulators/s3/errors.js';
import { S3Store, s3StoreForHome } from '../../../../src/emulators/s3/store.js';

const sandboxes: string[] = [];
after(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 's3-store-test-'));
  sandboxes.push(dir);
  return dir;
}

async function storeWithBucket(bucket = 'bkt'): Promise<S3Store> {
  const store = new S3Store(join(sandbox(), 's3'), { fsync: false });
  await store.createBucket({ Bucket: bucket });
  return store;
}

function md5Etag(data: string | Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

/** Every path under `dir`, relative to it. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

const ODD_KEYS = [
  '..',
  '.',
  '../x',
  '../../../../etc/passwd',
  'a//b',
  '/leading',
  'trailing/',
  '//',
  '%2e%2e%2f',
  '..%2f..%2fx',
  '..\\..\\x',
  'with spaces and\ttabs',
  'unicode/é/日本/\u{1F600}',
  'nul\0inside',
  'a/./b',
  'x'.repeat(1024),
  'é'.repeat(512),
  '/'.repeat(1024),
  'a/'.repeat(512),
];

test('buckets: create, exists, list sorted with creation dates, delete when empty', async () => {
  const store = new S3Store(join(sandbox(), 's3'), { fsync: false, now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678) });
  assert.deepEqual(await store.listBuckets(), { Buckets: [] });
  assert.deepEqual(await store.createBucket({ Bucket: 'zeta' }), { Location: '/zeta' });
  await store.createBucket({ Bucket: 'alpha' });
  assert.equal(await store.bucketExists('alpha'), true);
  assert.equal(await store.bucketExists('gamma'), false);
  assert.deepEqual(await store.listBuckets(), {
    Buckets: [
      { Name: 'alpha', CreationDate: new Date('2024-01-02T03:04:05.000Z') },
      { Name: 'zeta', CreationDate: new Date('2024-01-02T03:04:05.000Z') },
    ],
  });
  await store.deleteBucket({ Bucket: 'zeta' });
  assert.deepEqual((await store.listBuckets()).Buckets.map((b) => b.Name), ['alpha']);
});

test('creating a bucket twice fails with BucketAlreadyOwnedByYou and keeps its objects', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: 'v' });
  await assert.rejects(store.createBucket({ Bucket: 'bkt' }), (err: unknown) => {
    assert.ok(err instanceof BucketAlreadyOwnedByYouError);
    assert.equal(err.code, 'BucketAlreadyOwnedByYou');
    assert.equal(err.message, 'Your previous request to create the named bucket succeeded and you already own it.');
    assert.equal(err.statusCode, 409);
    return true;
  });
  assert.equal((await store.getObject({ Bucket: 'bkt', Key: 'k' })).Body.toString(), 'v');
});

test('creating the same bucket concurrently succeeds exactly once', async () => {
  const store = new S3Store(join(sandbox(), 's3'), { fsync: false });
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.createBucket({ Bucket: 'race' })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof BucketAlreadyOwnedByYouError);
});

test('deleting a bucket with objects fails with BucketNotEmpty; a missing one with NoSuchBucket', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'deep/er/key', Body: 'v' });
  await assert.rejects(store.deleteBucket({ Bucket: 'bkt' }), (err: unknown) => {
    assert.ok(err instanceof BucketNotEmptyError);
    assert.equal(err.message, 'The bucket you tried to delete is not empty');
    return true;
  });
  await store.deleteObject({ Bucket: 'bkt', Key: 'deep/er/key' });
  await store.deleteBucket({ Bucket: 'bkt' });
  await assert.rejects(store.deleteBucket({ Bucket: 'bkt' }), NoSuchBucketError);
});

test('operations on a missing bucket fail with NoSuchBucket and S3\'s message', async () => {
  const store = new S3Store(join(sandbox(), 's3'), { fsync: false });
  const ops = [
    () => store.putObject({ Bucket: 'nope', Key: 'k', Body: 'x' }),
    () => store.getObject({ Bucket: 'nope', Key: 'k' }),
    () => store.headObject({ Bucket: 'nope', Key: 'k' }),
    () => store.deleteObject({ Bucket: 'nope', Key: 'k' }),
    () => store.listObjectsV2({ Bucket: 'nope' }),
    () => store.headBucket({ Bucket: 'nope' }),
  ];
  for (const op of ops) {
    await assert.rejects(op(), (err: unknown) => {
      assert.ok(err instanceof NoSuchBucketError);
      assert.equal(err.code, 'NoSuchBucket');
      assert.equal(err.message, 'The specified bucket does not exist');
      assert.equal(err.statusCode, 404);
      return true;
    });
  }
  assert.equal(existsSync(store.root), false, 'failed operations create nothing');
});

test('invalid bucket names are refused before touching the disk', async () => {
  const root = join(sandbox(), 's3');
  const store = new S3Store(root, { fsync: false });
  for (const name of ['..', '../escape', 'UPPER', 'a/b']) {
    await assert.rejects(store.createBucket({ Bucket: name }), InvalidBucketNameError);
    await assert.rejects(store.putObject({ Bucket: name, Key: 'k', Body: 'x' }), InvalidBucketNameError);
  }
});

test('put/get/head round-trip bytes, content type, metadata, size, ETag and LastModified', async () => {
  const store = new S3Store(join(sandbox(), 's3'), { fsync: false, now: () => Date.UTC(2024, 5, 1, 12, 0, 0, 999) });
  await store.createBucket({ Bucket: 'bkt' });
  const body = Buffer.from('hello, world');
  const put = await store.putObject({
    Bucket: 'bkt',
    Key: 'greeting.txt',
    Body: body,
    ContentType: 'text/plain',
    Metadata: { Owner: 'Team-A' },
  });
  // S3's ETag for a single-part object is the quoted hex MD5 of its bytes.
  assert.deepEqual(put, { ETag: md5Etag(body), Size: 12, LastModified: new Date('2024-06-01T12:00:00.000Z') });
  const head = await store.headObject({ Bucket: 'bkt', Key: 'greeting.txt' });
  assert.deepEqual(head, {
    ContentLength: 12,
    ContentType: 'text/plain',
    ETag: '"e4d7f1b4ed2e42d15898f4b27b019da4"',
    LastModified: new Date('2024-06-01T12:00:00.000Z'),
    Metadata: { owner: 'Team-A' },
  });
  const got = await store.getObject({ Bucket: 'bkt', Key: 'greeting.txt' });
  assert.deepEqual(got.Body, body);
  assert.equal(got.ETag, head.ETag);
});

test('a put without content type gets S3\'s default, and an empty object has the empty MD5', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'empty', Body: Buffer.alloc(0) });
  const head = await store.headObject({ Bucket: 'bkt', Key: 'empty' });
  assert.equal(head.ContentType, 'binary/octet-stream');
  assert.equal(head.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  assert.equal(head.ContentLength, 0);
  const stream = await store.getObjectStream({ Bucket: 'bkt', Key: 'empty' });
  const chunks: Buffer[] = [];
  for await (const c of stream.Body) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).length, 0);
});

test('odd keys round-trip byte-exactly and are listed exactly', async () => {
  const store = await storeWithBucket();
  for (const [i, key] of ODD_KEYS.entries()) await store.putObject({ Bucket: 'bkt', Key: key, Body: `body ${i}` });
  for (const [i, key] of ODD_KEYS.entries()) {
    assert.equal((await store.getObject({ Bucket: 'bkt', Key: key })).Body.toString(), `body ${i}`, JSON.stringify(key));
  }
  const listed = [];
  for await (const o of store.listAll('bkt')) listed.push(o.Key);
  const expected = [...ODD_KEYS].map((k) => Buffer.from(k)).sort(Buffer.compare).map((b) => b.toString());
  assert.deepEqual(listed, expected);
  // "." and ".." are their own objects, distinct from each other and from "a/./b" vs "a/b".
  assert.equal(await store.objectExists({ Bucket: 'bkt', Key: 'a/b' }), false);
});

test('no key, however crafted, creates or reads a file outside the bucket\'s folder', async () => {
  const base = sandbox();
  const root = join(base, 'store');
  const store = new S3Store(root, { fsync: false });
  await store.createBucket({ Bucket: 'bkt' });
  await store.createBucket({ Bucket: 'other' });
  writeFileSync(join(base, 'secret.txt'), 'top secret');
  const before = tree(base).filter((p) => !p.startsWith('store'));
  const otherBefore = tree(join(root, 'buckets', 'other'));

  const pieces = ['..', '.', '...', '', '%2e%2e', '%2e%2e%2f', '%00', '..\\', '\0', '~', ' ', 'secret.txt', 'buckets', 'other', 'objects', 'tmp', '．．'];
  const keys = new Set<string>();
  for (const a of pieces) for (const b of pieces) for (const sepr of ['/', '\\', '//']) keys.add(`${a}${sepr}${b}`);
  for (const depth of [1, 2, 5, 20]) {
    keys.add('../'.repeat(depth) + 'secret.txt');
    keys.add('/..'.repeat(depth) + '/secret.txt');
    keys.add('..\\'.repeat(depth) + 'secret.txt');
    keys.add('../'.repeat(depth) + 'buckets/other/objects/x');
  }
  keys.add('/etc/passwd');
  keys.add(join(base, 'secret.txt'));
  keys.delete('');
  let ops = 0;
  for (const key of keys) {
    await assert.rejects(store.getObject({ Bucket: 'bkt', Key: key }), NoSuchKeyError);
    await store.putObject({ Bucket: 'bkt', Key: key, Body: key });
    assert.equal((await store.getObject({ Bucket: 'bkt', Key: key })).Body.toString(), key);
    await store.headObject({ Bucket: 'bkt', Key: key });
    await store.copyObject({ SourceBucket: 'bkt', SourceKey: key, Bucket: 'bkt', Key: key + '.copy' });
    await store.listObjectsV2({ Bucket: 'bkt', Prefix: key, Delimiter: '/', MaxKeys: 3 });
    await store.deleteObject({ Bucket: 'bkt', Key: key + '.copy' });
    ops += 7;
  }
  assert.ok(ops >= 5000, `${ops} operations`);
  assert.deepEqual(tree(base).filter((p) => !p.startsWith('store')), before, 'nothing changed outside the store');
  assert.deepEqual(tree(join(root, 'buckets', 'other')), otherBefore, 'nothing changed in another bucket');
  let count = 0;
  for await (const o of store.listAll('bkt')) {
    assert.ok(keys.has(o.Key));
    count++;
  }
  assert.equal(count, keys.size);
  for (const key of keys) await store.deleteObject({ Bucket: 'bkt', Key: key });
  assert.deepEqual(await readdir(join(root, 'buckets', 'bkt', 'objects')), [], 'deletes prune emptied folders');
});

test('keys over 1,024 bytes fail with KeyTooLongError', async () => {
  const store = await storeWithBucket();
  await assert.rejects(store.putObject({ Bucket: 'bkt', Key: 'x'.repeat(1025), Body: '' }), KeyTooLongError);
  await assert.rejects(store.getObject({ Bucket: 'bkt', Key: '\u{1F600}'.repeat(257) }), KeyTooLongError);
});

test('a missing key fails with NoSuchKey; deleting one succeeds like S3', async () => {
  const store = await storeWithBucket();
  await assert.rejects(store.getObject({ Bucket: 'bkt', Key: 'nothing' }), (err: unknown) => {
    assert.ok(err instanceof NoSuchKeyError);
    assert.equal(err.code, 'NoSuchKey');
    assert.equal(err.message, 'The specified key does not exist.');
    assert.equal(err.details.Key, 'nothing');
    return true;
  });
  await assert.rejects(store.headObject({ Bucket: 'bkt', Key: 'a/b/c' }), NoSuchKeyError);
  await store.deleteObject({ Bucket: 'bkt', Key: 'nothing' });
  assert.equal(await store.objectExists({ Bucket: 'bkt', Key: 'nothing' }), false);
});

test('overwriting replaces data and metadata together', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: 'first version', Metadata: { v: '1' }, ContentType: 'text/a' });
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: '2nd', Metadata: { v: '2' } });
  const got = await store.getObject({ Bucket: 'bkt', Key: 'k' });
  assert.equal(got.Body.toString(), '2nd');
  assert.deepEqual(got.Metadata, { v: '2' });
  assert.equal(got.ContentType, 'binary/octet-stream');
  assert.equal(got.ETag, md5Etag('2nd'));
});

test('a reader that opened an object keeps reading that version while it is overwritten', async () => {
  const store = await storeWithBucket();
  const big = Buffer.alloc(4 << 20, 'a');
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: big });
  const reading = await store.getObjectStream({ Bucket: 'bkt', Key: 'k' });
  await store.putObject({ Bucket: 'bkt', Key: 'k', Body: Buffer.alloc(10, 'b') });
  const chunks: Buffer[] = [];
  for await (const c of reading.Body) chunks.push(c as Buffer);
  assert.deepEqual(Buffer.concat(chunks), big);
  assert.equal(reading.ETag, md5Etag(big));
});

test('streams and files are written chunk by chunk, with the right size and MD5', async () => {
  const store = await storeWithBucket();
  const chunk = Buffer.alloc(1 << 20, 7);
  let produced = 0;
  async function* source() {
    for (let i = 0; i < 16; i++) {
      produced++;
      yield chunk;
    }
  }
  const res = await store.putObject({ Bucket: 'bkt', Key: 'streamed', Body: Readable.from(source()) });
  assert.equal(produced, 16);
  assert.equal(res.Size, 16 << 20);
  assert.equal(res.ETag, md5Etag(Buffer.concat(Array.from({ length: 16 }, () => chunk))));

  const file = join(sandbox(), 'local.bin');
  await writeFile(file, Buffer.alloc(3_000_000, 'z'));
  const fromFile = await store.putObjectFromFile({ Bucket: 'bkt', Key: 'from-file', FilePath: file, ContentType: 'x/y' });
  assert.equal(fromFile.Size, 3_000_000);
  const stream = await store.getObjectStream({ Bucket: 'bkt', Key: 'from-file' });
  assert.equal(stream.ContentType, 'x/y');
  let total = 0;
  let maxChunk = 0;
  for await (const c of stream.Body) {
    total += (c as Buffer).length;
    maxChunk = Math.max(maxChunk, (c as Buffer).length);
  }
  assert.equal(total, 3_000_000);
  assert.ok(maxChunk < 3_000_000, 'read in chunks, not all at once');
  await assert.rejects(store.putObjectFromFile({ Bucket: 'bkt', Key: 'x', FilePath: join(sandbox(), 'missing') }), {
    code: 'ENOENT',
  });
});

test('a failing body stream leaves no object and no temp file behind', async () => {
  const store = await storeWithBucket();
  async function* broken() {
    yield Buffer.from('partial');
    throw new Error('connection reset');
  }
  await assert.rejects(store.putObject({ Bucket: 'bkt', Key: 'k', Body: broken() }), /connection reset/);
  assert.equal(await store.objectExists({ Bucket: 'bkt', Key: 'k' }), false);
  assert.deepEqual(await readdir(join(store.root, 'buckets', 'bkt', 'tmp')), []);
});

test('copy keeps bytes and ETag, copies or replaces metadata, and refuses an unchanged self-copy', async () => {
  const store = await storeWithBucket();
  await store.createBucket({ Bucket: 'dest' });
  await store.putObject({ Bucket: 'bkt', Key: 'src', Body: 'payload', ContentType: 'text/csv', Metadata: { a: '1' } });
  const res = await store.copyObject({ SourceBucket: 'bkt', SourceKey: 'src', Bucket: 'dest', Key: 'copied' });
  assert.equal(res.CopyObjectResult.ETag, md5Etag('payload'));
  const copied = await store.getObject({ Bucket: 'dest', Key: 'copied' });
  assert.equal(copied.Body.toString(), 'payload');
  assert.equal(copied.ContentType, 'text/csv');
  assert.deepEqual(copied.Metadata, { a: '1' });

  await assert.rejects(store.copyObject({ SourceBucket: 'bkt', SourceKey: 'src', Bucket: 'bkt', Key: 'src' }), (err: unknown) => {
    assert.ok(err instanceof InvalidRequestError);
    assert.match(err.message, /^This copy request is illegal because it is trying to copy an object to itself/);
    return true;
  });
  await store.copyObject({
    SourceBucket: 'bkt',
    SourceKey: 'src',
    Bucket: 'bkt',
    Key: 'src',
    MetadataDirective: 'REPLACE',
    Metadata: { b: '2' },
  });
  const replaced = await store.headObject({ Bucket: 'bkt', Key: 'src' });
  assert.deepEqual(replaced.Metadata, { b: '2' });
  assert.equal(replaced.ContentType, 'binary/octet-stream');
  assert.equal((await store.getObject({ Bucket: 'bkt', Key: 'src' })).Body.toString(), 'payload');

  await assert.rejects(store.copyObject({ SourceBucket: 'bkt', SourceKey: 'none', Bucket: 'dest', Key: 'x' }), NoSuchKeyError);
  await assert.rejects(store.copyObject({ SourceBucket: 'bkt', SourceKey: 'src', Bucket: 'nobucket', Key: 'x' }), NoSuchBucketError);
});

test('deleteObjects reports every key as deleted, missing ones included, like S3', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'a', Body: '1' });
  const res = await store.deleteObjects({ Bucket: 'bkt', Delete: { Objects: [{ Key: 'a' }, { Key: 'never' }] } });
  assert.deepEqual(res, { Deleted: [{ Key: 'a' }, { Key: 'never' }], Errors: [] });
  const quiet = await store.deleteObjects({ Bucket: 'bkt', Delete: { Objects: [{ Key: 'x'.repeat(2000) }], Quiet: true } });
  assert.deepEqual(quiet.Deleted, []);
  assert.equal(quiet.Errors[0].Code, 'KeyTooLongError');
});

test('concurrent puts and deletes in one folder never lose a completed put', async () => {
  const store = await storeWithBucket();
  const work: Promise<unknown>[] = [];
  for (let round = 0; round < 30; round++) {
    work.push(store.putObject({ Bucket: 'bkt', Key: `dir/sub/keep-${round}`, Body: 'k' }));
    work.push(
      store
        .putObject({ Bucket: 'bkt', Key: `dir/sub/tmp-${round}`, Body: 't' })
        .then(() => store.deleteObject({ Bucket: 'bkt', Key: `dir/sub/tmp-${round}` })),
    );
  }
  await Promise.all(work);
  const keys = [];
  for await (const o of store.listAll('bkt')) keys.push(o.Key);
  assert.equal(keys.length, 30);
  assert.ok(keys.every((k) => k.startsWith('dir/sub/keep-')));
});

test('files the store did not write (crash leftovers, strays) are never objects', async () => {
  const store = await storeWithBucket();
  await store.putObject({ Bucket: 'bkt', Key: 'real', Body: 'r' });
  const objects = join(store.root, 'buckets', 'bkt', 'objects');
  // A temp file in the objects folder, an object-named file with no footer, and a junk folder.
  writeFileSync(join(objects, 'x.tmp'), 'half written');
  writeFileSync(join(objects, Buffer.from('fake').toString('hex') + '.o'), 'no footer here');
  writeFileSync(join(store.root, 'buckets', 'bkt', 'tmp', 'abc.tmp'), 'crashed upload');
  const listed = await store.listObjectsV2({ Bucket: 'bkt' });
  assert.deepEqual(listed.Contents?.map((o) => o.Key), ['real']);
  await assert.rejects(store.getObject({ Bucket: 'bkt', Key: 'fake' }), (err: unknown) => {
    assert.ok(err instanceof S3Error);
    assert.equal(err.code, 'InternalError');
    return true;
  });
});

test('sweep removes stale temp files and leftovers of interrupted bucket deletes, never fresh uploads', async () => {
  const store = await storeWithBucket();
  const tmp = join(store.root, 'buckets', 'bkt', 'tmp');
  writeFileSync(join(tmp, 'old.tmp'), 'x');
  writeFileSync(join(tmp, 'fresh.tmp'), 'y');
  const past = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  const { utimesSync, mkdirSync } = await import('node:fs');
  utimesSync(join(tmp, 'old.tmp'), past, past);
  mkdirSync(join(store.root, 'trash', 'half-deleted', 'objects'), { recursive: true });
  await store.sweep();
  assert.deepEqual(readdirSync(tmp), ['fresh.tmp']);
  assert.throws(() => statSync(join(store.root, 'trash')), { code: 'ENOENT' });
});

test('s3StoreForHome keeps the store in <home>/s3', () => {
  assert.equal(s3StoreForHome('/x/home').root, join('/x/home', 's3'));
});
