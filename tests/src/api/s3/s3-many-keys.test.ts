/**
 * ListObjectsV2 over 100,000 keys (the issue's bar), paged by the SDK's own paginator: every key
 * once, in S3's order, 100 pages. Its own file, so it runs beside the other API tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { apiHarness, clientConfig } from '../../../support/local-api.js';

test('ListObjectsV2 pages through 100,000 keys exactly once each, in S3\'s order', { timeout: 600_000 }, async () => {
  const h = await apiHarness();
  const s3 = new S3Client({ ...clientConfig(h.api), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const count = 100_000;
    const expected: string[] = [];
    for (let i = 0; i < count; i++) expected.push(`k/${String(i).padStart(6, '0')}`);
    for (let i = 0; i < count; i += 200) {
      await Promise.all(expected.slice(i, i + 200).map((Key) => h.services.s3.putObject({ Bucket: 'many', Key, Body: '' })));
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'many', MaxKeys: 1000 })) {
      pages++;
      assert.equal(page.KeyCount, page.Contents?.length ?? 0);
      for (const c of page.Contents ?? []) seen.push(c.Key!);
    }
    assert.equal(pages, 100);
    assert.equal(seen.length, count);
    assert.deepEqual(seen, expected);
    assert.deepEqual(h.logged, [], 'the API logged no internal error');
  } finally {
    s3.destroy();
    await h.close();
  }
});
