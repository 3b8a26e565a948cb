import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalError } from '../../../../src/core/errors.js';
import { formatS3Uri, InvalidS3UriError, parseCopySource, parseS3Uri } from '../../../../src/emulators/s3/uri.js';

test('s3://bucket/key splits at the first slash and keeps the key literally', () => {
  assert.deepEqual(parseS3Uri('s3://bucket/a/b.csv'), { bucket: 'bucket', key: 'a/b.csv' });
  assert.deepEqual(parseS3Uri('s3://bucket'), { bucket: 'bucket', key: '' });
  assert.deepEqual(parseS3Uri('s3://bucket/'), { bucket: 'bucket', key: '' });
  assert.deepEqual(parseS3Uri('s3://bucket/dir/'), { bucket: 'bucket', key: 'dir/' });
  assert.deepEqual(parseS3Uri('s3://bucket/../x'), { bucket: 'bucket', key: '../x' });
  assert.deepEqual(parseS3Uri('s3://bucket//x'), { bucket: 'bucket', key: '/x' });
  assert.deepEqual(parseS3Uri('s3://bucket/a%20b'), { bucket: 'bucket', key: 'a%20b' });
});

test('things that are not S3 URIs fail with a message saying what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['bucket/key', /does not start with "s3:\/\/"/],
    ['/tmp/file', /does not start with "s3:\/\/"/],
    ['S3://bucket/key', /lowercase "s3:\/\/"/],
    ['https://bucket.s3.amazonaws.com/key', /starts with "https:\/\/" instead of "s3:\/\/"/],
    ['s3:/bucket/key', /does not start with "s3:\/\/"/],
    ['s3://', /bucket name is missing/],
    ['s3:///key', /bucket name is missing/],
    ['s3://My_Bucket/key', /not a valid bucket name/],
    ['s3://ab/key', /between 3 and 63/],
  ];
  for (const [uri, message] of cases) {
    assert.throws(() => parseS3Uri(uri), (err: unknown) => {
      assert.ok(err instanceof InvalidS3UriError && err instanceof LocalError);
      assert.match(err.message, message);
      assert.match(err.message, /expected s3:\/\/bucket\/key/);
      assert.ok(!err.message.includes('\n'));
      return true;
    }, uri);
  }
});

test('formatS3Uri is the inverse of parseS3Uri', () => {
  for (const uri of ['s3://bucket/a/b', 's3://bucket/', 's3://bucket/..']) {
    const { bucket, key } = parseS3Uri(uri);
    assert.equal(formatS3Uri(bucket, key), uri);
  }
});

test('CopySource is URL-decoded, may start with "/" and may carry a versionId', () => {
  assert.deepEqual(parseCopySource('src-bucket/a%20b/c.txt'), { bucket: 'src-bucket', key: 'a b/c.txt' });
  assert.deepEqual(parseCopySource('/src-bucket/k?versionId=1'), { bucket: 'src-bucket', key: 'k' });
  assert.deepEqual(parseCopySource('src-bucket/..%2Fx'), { bucket: 'src-bucket', key: '../x' });
  assert.throws(() => parseCopySource('src-bucket'), /bucket or the key is missing/);
  assert.throws(() => parseCopySource('src-bucket/%E0%A4%A'), /URL-encoded/);
});
