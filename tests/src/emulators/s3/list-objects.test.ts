import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidArgumentError } from '../../../../src/emulators/s3/errors.js';
import { clearKeyIndexCache, keyIndexCacheHits } from '../../../../src/emulators/s3/key-index.js';
import { keyPath } from '../../../../src/emulators/s3/key-path.js';
import { encodeTrailer } from '../../../../src/emulators/s3/object-file.js';
import { S3Store } from '../../../../src/emulators/s3/store.js';
import type { ListObjectsV2Input, ListObjectsV2Output } from '../../../../src/emulators/s3/types.js';

const sandboxes: string[] = [];
after(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

async function storeWith(keys: Iterable<string>): Promise<S3Store> {
  const dir = mkdtempSync(join(tmpdir(), 's3-list-test-'));
  sandboxes.push(dir);
  const store = new S3Store(join(dir, 's3'), { fsync: false });
  await store.createBucket({ Bucket: 'bkt' });
  for (const key of keys) await store.putObject({ Bucket: 'bkt', Key: key, Body: key });
  return store;
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

type Entry = { key?: string; prefix?: string };

/** The listing S3 defines, computed the obvious way over a sorted array. */
function model(keys: string[], input: Omit<ListObjectsV2Input, 'Bucket' | 'ContinuationToken'>): Entry[] {
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter ?? '';
  const start = input.StartAfter ?? '';
  const entries: Entry[] = [];
  for (const key of [...keys].sort(byBytes)) {
    if (!key.startsWith(prefix) || byBytes(key, start) <= 0) continue;
    const at = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (at < 0) entries.push({ key });
    else {
      const cp = key.slice(0, at + delimiter.length);
      if (byBytes(cp, start) <= 0) continue;
      if (entries.length === 0 || entries[entries.length - 1].prefix !== cp) entries.push({ prefix: cp });
    }
  }
  return entries;
}

async function listAllPages(store: S3Store, input: Omit<ListObjectsV2Input, 'Bucket'>) {
  const pages: ListObjectsV2Output[] = [];
  let token: string | undefined;
  do {
    const page = await store.listObjectsV2({ Bucket: 'bkt', ...input, ...(token ? { ContinuationToken: token } : {}) });
    pages.push(page);
    token = page.NextContinuationToken;
    assert.equal(page.IsTruncated, token !== undefined);
    assert.ok(pages.length < 10_000);
  } while (token);
  return pages;
}

test('S3\'s documented example: Delimiter "/" rolls sub-folders into CommonPrefixes, counted in KeyCount', async () => {
  const store = await storeWith([
    'photos/2006/',
    'photos/2006/January/sample.jpg',
    'photos/2006/February/sample2.jpg',
    'photos/2006/February/sample3.jpg',
    'photos/2006/February/sample4.jpg',
  ]);
  const res = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'photos/2006/', Delimiter: '/' });
  assert.equal(res.Name, 'bkt');
  assert.equal(res.Prefix, 'photos/2006/');
  assert.equal(res.Delimiter, '/');
  assert.equal(res.MaxKeys, 1000);
  assert.equal(res.KeyCount, 3);
  assert.equal(res.IsTruncated, false);
  assert.deepEqual(res.Contents?.map((o) => [o.Key, o.Size, o.StorageClass]), [['photos/2006/', 12, 'STANDARD']]);
  assert.deepEqual(res.CommonPrefixes, [{ Prefix: 'photos/2006/February/' }, { Prefix: 'photos/2006/January/' }]);
  assert.equal(res.NextContinuationToken, undefined);
});

test('keys come back in UTF-8 byte order, not UTF-16 or locale order', async () => {
  // U+FF61 sorts before U+1F600 in UTF-16 code units but after it in UTF-8 bytes; "B" < "a" < "é".
  const keys = ['a', 'B', 'é', '\u{1F600}', '\uFF61', 'a/b', 'a-b', 'a0', 'a\0'];
  const store = await storeWith(keys);
  const res = await store.listObjectsV2({ Bucket: 'bkt' });
  assert.deepEqual(res.Contents?.map((o) => o.Key), ['B', 'a', 'a\0', 'a-b', 'a/b', 'a0', 'é', '\uFF61', '\u{1F600}']);
});

test('an empty bucket lists no Contents and no CommonPrefixes, like the SDK shows S3\'s answer', async () => {
  const store = await storeWith([]);
  assert.deepEqual(await store.listObjectsV2({ Bucket: 'bkt' }), {
    Name: 'bkt',
    Prefix: '',
    MaxKeys: 1000,
    KeyCount: 0,
    IsTruncated: false,
  });
});

test('MaxKeys 0 returns an empty page that is not truncated; MaxKeys above 1,000 returns 1,000', async () => {
  const keys = Array.from({ length: 1005 }, (_, i) => `k${String(i).padStart(5, '0')}`);
  const store = await storeWith(keys);
  const zero = await store.listObjectsV2({ Bucket: 'bkt', MaxKeys: 0 });
  assert.equal(zero.KeyCount, 0);
  assert.equal(zero.IsTruncated, false);
  assert.equal(zero.NextContinuationToken, undefined);
  const big = await store.listObjectsV2({ Bucket: 'bkt', MaxKeys: 5000 });
  assert.equal(big.Contents?.length, 1000);
  assert.equal(big.IsTruncated, true);
  const rest = await store.listObjectsV2({ Bucket: 'bkt', ContinuationToken: big.NextContinuationToken });
  assert.deepEqual(rest.Contents?.map((o) => o.Key), keys.slice(1000));
  assert.equal(rest.ContinuationToken, big.NextContinuationToken);
  await assert.rejects(store.listObjectsV2({ Bucket: 'bkt', MaxKeys: -1 }), InvalidArgumentError);
  await assert.rejects(store.listObjectsV2({ Bucket: 'bkt', MaxKeys: 1.5 }), InvalidArgumentError);
});

test('a forged or corrupted continuation token is refused with S3\'s message', async () => {
  const store = await storeWith(['a']);
  for (const token of ['garbage', '', Buffer.from('1zz').toString('base64url'), 'MTJl\n']) {
    await assert.rejects(store.listObjectsV2({ Bucket: 'bkt', ContinuationToken: token }), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.message, 'The continuation token provided is incorrect');
      return true;
    });
  }
});

test('a page that ends on a common prefix continues after every key under it', async () => {
  const store = await storeWith(['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla', 'zed']);
  const pages = await listAllPages(store, { Delimiter: '/', MaxKeys: 1 });
  assert.deepEqual(
    pages.map((p) => [...(p.Contents ?? []).map((o) => o.Key), ...(p.CommonPrefixes ?? []).map((c) => c.Prefix)]),
    [['asdf'], ['boo/'], ['cquux/'], ['zed']],
  );
  assert.equal(pages[pages.length - 1].IsTruncated, false);
  // StartAfter equal to a common prefix skips it whole, as a marker does.
  const after = await store.listObjectsV2({ Bucket: 'bkt', Delimiter: '/', StartAfter: 'boo/', MaxKeys: 1 });
  assert.deepEqual(after.CommonPrefixes, [{ Prefix: 'cquux/' }]);
  assert.equal(after.StartAfter, 'boo/');
  assert.equal(after.IsTruncated, true);
});

test('random listings match the reference model, page by page and in total', async () => {
  const alphabet = ['a', 'b', '/', '-', '.', 'é', '0', '//'];
  const keys = new Set<string>();
  while (keys.size < 400) {
    let k = '';
    const len = 1 + (randomBytes(1)[0] % 7);
    for (let i = 0; i < len; i++) k += alphabet[randomBytes(1)[0] % alphabet.length];
    keys.add(k);
  }
  const store = await storeWith(keys);
  const all = [...keys];
  const prefixes = ['', 'a', 'a/', 'b/', '/', 'é', 'zz', 'a//'];
  const delimiters = ['', '/', 'b', '//', '-a'];
  for (const prefix of prefixes) {
    for (const delimiter of delimiters) {
      for (const maxKeys of [1, 7, 1000]) {
        const startAfter = randomBytes(1)[0] % 2 === 0 ? undefined : all[randomBytes(2).readUInt16BE(0) % all.length];
        const input = {
          Prefix: prefix,
          ...(delimiter ? { Delimiter: delimiter } : {}),
          ...(startAfter !== undefined ? { StartAfter: startAfter } : {}),
        };
        const expected = model(all, input);
        const pages = await listAllPages(store, { ...input, MaxKeys: maxKeys });
        const got: Entry[] = [];
        for (const p of pages) {
          assert.ok(p.KeyCount <= maxKeys);
          assert.equal(p.KeyCount, (p.Contents?.length ?? 0) + (p.CommonPrefixes?.length ?? 0));
          // Within a page, S3 returns contents and common prefixes as separate sorted lists.
          const items: Entry[] = [
            ...(p.Contents ?? []).map((o): Entry => ({ key: o.Key })),
            ...(p.CommonPrefixes ?? []).map((c): Entry => ({ prefix: c.Prefix })),
          ].sort((x, y) => byBytes(x.key ?? x.prefix!, y.key ?? y.prefix!));
          got.push(...items);
        }
        assert.deepEqual(got, expected, JSON.stringify({ ...input, maxKeys }));
        if (expected.length > maxKeys) assert.ok(pages.length > 1);
      }
    }
  }
});

test('listing reads only each object\'s small footer, never its data', async () => {
  const store = await storeWith([]);
  const data = Buffer.alloc(1 << 20, 1);
  for (let i = 0; i < 40; i++) await store.putObject({ Bucket: 'bkt', Key: `big/${i}`, Body: data });
  const probe = await open(__filename_like(), 'r');
  const proto = Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> };
  await probe.close();
  const original = proto.read;
  let bytesRead = 0;
  proto.read = async function (this: unknown, ...args: unknown[]) {
    const res = await original.apply(this, args);
    bytesRead += res.bytesRead;
    return res;
  };
  try {
    const res = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'big/' });
    assert.equal(res.KeyCount, 40);
    assert.ok(res.Contents?.every((o) => o.Size === data.length));
  } finally {
    proto.read = original;
  }
  assert.ok(bytesRead > 0, 'the patch saw the footer reads');
  assert.ok(bytesRead <= 40 * 8192, `read ${bytesRead} bytes for 40 MiB of objects`);
});

function __filename_like(): string {
  return new URL(import.meta.url).pathname;
}

test('a prefix of 100,000 objects pages without touching object data', { timeout: 120_000 }, async () => {
  const store = await storeWith(['before', 'zafter']);
  // Written straight in the store's format: 100,000 puts would make this test slow for no gain.
  const objects = join(store.root, 'buckets', 'bkt', 'objects');
  const lastModified = new Date(Date.UTC(2024, 0, 1)).toISOString();
  const N = 100_000;
  for (let i = 0; i < N; i++) {
    const key = `data/part-${String(i).padStart(6, '0')}.csv`;
    const kp = keyPath(Buffer.from(key));
    const dir = join(objects, ...kp.dirs);
    if (i === 0) mkdirSync(dir, { recursive: true });
    const trailer = encodeTrailer({
      key,
      size: 2,
      etag: '"bd1a3a1c0c8c0a4b9cc7ebd0a1f1ab01"',
      lastModified,
      contentType: 'text/csv',
      metadata: {},
    });
    writeFileSync(join(dir, kp.file), Buffer.concat([Buffer.from('x\n'), trailer]));
  }
  clearKeyIndexCache();
  const first = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'data/', MaxKeys: 1000 });
  assert.equal(first.KeyCount, 1000);
  assert.equal(first.Contents?.[999].Key, 'data/part-000999.csv');
  const middle = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'data/', StartAfter: 'data/part-054320.csv', MaxKeys: 3 });
  assert.deepEqual(middle.Contents?.map((o) => o.Key), ['data/part-054321.csv', 'data/part-054322.csv', 'data/part-054323.csv']);
  const last = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'data/', StartAfter: 'data/part-099998.csv' });
  assert.deepEqual(last.Contents?.map((o) => o.Key), ['data/part-099999.csv']);
  assert.equal(last.IsTruncated, false);
  // The whole prefix rolls up into one common prefix without visiting its 100,000 keys.
  const rolled = await store.listObjectsV2({ Bucket: 'bkt', Delimiter: '/' });
  assert.deepEqual(rolled.CommonPrefixes, [{ Prefix: 'data/' }]);
  assert.deepEqual(rolled.Contents?.map((o) => o.Key), ['before', 'zafter']);
});

test('a cached listing of a large, settled folder still sees every later put and delete', async () => {
  const keys = Array.from({ length: 600 }, (_, i) => `big/${String(i).padStart(4, '0')}`);
  const store = await storeWith(keys);
  const folder = join(store.root, 'buckets', 'bkt', 'objects', Buffer.from('big/').toString('hex'));
  const settle = () => {
    const past = new Date(Date.now() - 60_000);
    utimesSync(folder, past, past);
  };
  clearKeyIndexCache();
  settle();
  const count = async () => {
    let n = 0;
    for await (const o of store.listAll('bkt', 'big/')) n += o.Key.startsWith('big/') ? 1 : 0;
    return n;
  };
  assert.equal(await count(), 600);
  assert.equal(keyIndexCacheHits(), 0);
  assert.equal(await count(), 600);
  assert.ok(keyIndexCacheHits() > 0, 'the second listing reused the sorted folder');
  await store.putObject({ Bucket: 'bkt', Key: 'big/0600', Body: 'new' });
  assert.equal(await count(), 601, 'a put after caching is listed');
  settle();
  assert.equal(await count(), 601);
  const hits = keyIndexCacheHits();
  assert.equal(await count(), 601);
  assert.ok(keyIndexCacheHits() > hits);
  await store.deleteObject({ Bucket: 'bkt', Key: 'big/0000' });
  const first = await store.listObjectsV2({ Bucket: 'bkt', Prefix: 'big/', MaxKeys: 1 });
  assert.deepEqual(first.Contents?.map((o) => o.Key), ['big/0001'], 'a delete after caching is not listed');
});
