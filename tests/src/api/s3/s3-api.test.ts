import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { apiHarness, clientConfig, type ApiHarness } from '../../../support/local-api.js';

const MiB = 1024 * 1024;

function s3Client(h: ApiHarness, extra: Record<string, unknown> = {}): S3Client {
  return new S3Client({ ...clientConfig(h.api), forcePathStyle: true, ...extra });
}

async function withS3(fn: (s3: S3Client, h: ApiHarness) => Promise<void>): Promise<void> {
  const h = await apiHarness();
  const s3 = s3Client(h);
  try {
    await fn(s3, h);
    assert.deepEqual(h.logged, [], 'the API logged no internal error');
  } finally {
    s3.destroy();
    await h.close();
  }
}

async function s3Code(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof S3ServiceException, `an S3 service error, got ${String(e)}`);
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  }
  assert.fail('the call was expected to fail');
}

const text = (b: { transformToString(): Promise<string> } | undefined) => b!.transformToString();

test('buckets: create, list, head, location, delete, and S3 errors for missing and non-empty ones', { timeout: 30_000 }, () =>
  withS3(async (s3, h) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'beta' }));
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(list.Buckets?.map((b) => b.Name), ['alpha', 'beta']);
    assert.ok(list.Buckets![0]!.CreationDate instanceof Date);
    assert.ok(list.Owner?.ID);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }));
    assert.equal(loc.LocationConstraint ?? '', '');
    assert.deepEqual(await s3Code(s3.send(new CreateBucketCommand({ Bucket: 'alpha' }))), {
      name: 'BucketAlreadyOwnedByYou',
      status: 409,
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
    });
    assert.equal((await s3Code(s3.send(new HeadBucketCommand({ Bucket: 'nope' })))).status, 404);
    assert.equal((await s3Code(s3.send(new ListObjectsV2Command({ Bucket: 'nope' })))).name, 'NoSuchBucket');
    assert.equal((await s3Code(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name, 'InvalidBucketName');
    const wrongRegion = await s3Code(s3.send(new CreateBucketCommand({ Bucket: 'gamma', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    assert.equal(wrongRegion.name, 'IllegalLocationConstraintException');
    await s3.send(new PutObjectCommand({ Bucket: 'beta', Key: 'k', Body: 'x' }));
    assert.equal((await s3Code(s3.send(new DeleteBucketCommand({ Bucket: 'beta' })))).name, 'BucketNotEmpty');
    await s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
    assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['beta']);
    // The same store the CLI and the jobs use.
    assert.equal((await h.services.s3.getObject({ Bucket: 'beta', Key: 'k' })).Body.toString(), 'x');
  }),
);

test('objects: put and get with metadata, checksums the SDK sends by default, ranges, conditions, head, delete', { timeout: 30_000 }, () =>
  withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'data' }));
    const body = 'hello, local S3\n';
    const put = await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', Body: body, ContentType: 'text/plain', Metadata: { stage: 'train' } }));
    assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    assert.ok(put.ChecksumCRC32, 'the SDK sent a CRC32 (its default) and S3 answers it');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt' }));
    assert.equal(await text(got.Body), body);
    assert.equal(got.ContentType, 'text/plain');
    assert.deepEqual(got.Metadata, { stage: 'train' });
    assert.equal(got.ContentLength, body.length);
    assert.equal(got.AcceptRanges, 'bytes');

    const part = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', Range: 'bytes=7-11' }));
    assert.equal(await text(part.Body), 'local');
    assert.equal(part.ContentRange, `bytes 7-11/${body.length}`);
    assert.equal(part.$metadata.httpStatusCode, 206);
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', Range: 'bytes=-3' }));
    assert.equal(await text(tail.Body), 'S3\n');
    const bad = await s3Code(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', Range: 'bytes=100-' })));
    assert.deepEqual([bad.name, bad.status], ['InvalidRange', 416]);

    assert.equal((await s3Code(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', IfMatch: '"0000"' })))).status, 412);
    assert.equal((await s3Code(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', IfNoneMatch: put.ETag })))).status, 304);
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', IfMatch: put.ETag }));
    assert.equal(await text(ok.Body), body);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, put.ETag);
    const missing = await s3Code(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'nothing' })));
    assert.deepEqual([missing.name, missing.status, missing.message], ['NoSuchKey', 404, 'The specified key does not exist.']);
    assert.equal((await s3Code(s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'nothing' })))).status, 404);

    // Conditional writes: create-only fails once the key exists.
    const exists = await s3Code(s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt', Body: 'y', IfNoneMatch: '*' })));
    assert.deepEqual([exists.name, exists.status], ['PreconditionFailed', 412]);

    await s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt' })); // deleting again succeeds, as on S3
    assert.equal((await s3Code(s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'a/b c/ü..//x.txt' })))).status, 404);
  }),
);

test('every checksum algorithm is checked, and a wrong one stores nothing (BadDigest)', { timeout: 30_000 }, () =>
  withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sums' }));
    for (const alg of ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const) {
      const out = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: alg, Body: `bytes for ${alg}`, ChecksumAlgorithm: alg }));
      assert.ok(out[`Checksum${alg}`], `${alg} answered`);
    }
    const wrong = await s3Code(s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'wrong', Body: 'abc', ChecksumCRC32: 'AAAAAA==' })));
    assert.deepEqual([wrong.name, wrong.status], ['BadDigest', 400]);
    const md5 = await s3Code(s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'wrong', Body: 'abc', ContentMD5: createHash('md5').update('abd').digest('base64') })));
    assert.equal(md5.name, 'BadDigest');
    assert.equal((await s3Code(s3.send(new HeadObjectCommand({ Bucket: 'sums', Key: 'wrong' })))).status, 404);
  }),
);

test('copy, delete many, list v1 and v2 with prefixes, delimiters, start-after and URL encoding', { timeout: 60_000 }, () =>
  withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'list' }));
    const keys = ['a/1', 'a/2', 'a/b/3', 'b/4', 'c', 'sp ace/5', 'uni/é'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'list', Key, Body: Key }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'list', Key: 'copied', CopySource: 'list/sp%20ace/5' }));
    assert.ok(copy.CopyObjectResult?.ETag);
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: 'list', Key: 'copied' }))).Body), 'sp ace/5');
    const replaced = await s3.send(new CopyObjectCommand({ Bucket: 'list', Key: 'copied', CopySource: 'list/c', MetadataDirective: 'REPLACE', Metadata: { m: '1' }, ContentType: 'text/csv' }));
    assert.ok(replaced.CopyObjectResult?.LastModified instanceof Date);
    const h = await s3.send(new HeadObjectCommand({ Bucket: 'list', Key: 'copied' }));
    assert.deepEqual([h.ContentType, h.Metadata], ['text/csv', { m: '1' }]);
    assert.equal((await s3Code(s3.send(new CopyObjectCommand({ Bucket: 'list', Key: 'x', CopySource: 'list/missing' })))).name, 'NoSuchKey');

    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Delimiter: '/' }));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/', 'sp ace/', 'uni/']);
    assert.deepEqual(top.Contents?.map((c) => c.Key), ['c', 'copied']);
    assert.equal(top.KeyCount, 6);
    const under = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'a/', StartAfter: 'a/1' }));
    assert.deepEqual(under.Contents?.map((c) => c.Key), ['a/2', 'a/b/3']);
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'uni/', EncodingType: 'url' }));
    assert.equal(encoded.Contents?.[0]?.Key, 'uni/%C3%A9', 'keys come URL-encoded when asked (the SDK leaves them so)');
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', MaxKeys: 2 }));
    assert.equal(v1.IsTruncated, true);
    assert.equal(v1.NextMarker, 'b/');
    const v1next = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', Marker: v1.NextMarker }));
    assert.deepEqual(v1next.Contents?.map((c) => c.Key), ['c', 'copied']);

    const del = await s3.send(new DeleteObjectsCommand({ Bucket: 'list', Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    assert.equal(del.Deleted?.length, keys.length);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: 'list' }));
    assert.deepEqual(rest.Contents?.map((c) => c.Key), ['copied']);
  }),
);

test('multipart: upload, copy a range as a part, list, complete with S3\'s ETag, abort, and S3\'s part errors', { timeout: 60_000 }, () =>
  withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
    const p1 = Buffer.alloc(5 * MiB, 'a');
    const p2 = Buffer.from('tail');
    await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: 'src', Body: 'XXXXsource-rangeXXXX' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'big', ContentType: 'text/plain', ChecksumAlgorithm: 'CRC32' }));
    assert.ok(UploadId);
    const u1 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big', UploadId, PartNumber: 1, Body: p1, ChecksumAlgorithm: 'CRC32' }));
    const u2 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big', UploadId, PartNumber: 2, Body: p2, ChecksumAlgorithm: 'CRC32' }));
    assert.ok(u1.ChecksumCRC32 && u2.ChecksumCRC32);
    const u3 = await s3.send(new UploadPartCopyCommand({ Bucket: 'mpu', Key: 'big', UploadId, PartNumber: 3, CopySource: 'mpu/src', CopySourceRange: 'bytes=4-15' }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big', UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, 5 * MiB], [2, 4], [3, 12]]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
    assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big', UploadId]]);

    // Part 2 is under 5 MiB and not last: S3 refuses.
    const small = await s3Code(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: u2.ETag }, { PartNumber: 3, ETag: u3.CopyPartResult!.ETag }] } })),
    );
    assert.equal(small.name, 'EntityTooSmall');
    const order = await s3Code(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: u2.ETag }, { PartNumber: 1, ETag: u1.ETag }] } })),
    );
    assert.equal(order.name, 'InvalidPartOrder');
    const wrongTag = await s3Code(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] } })));
    assert.equal(wrongTag.name, 'InvalidPart');

    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 2, ETag: u2.ETag }] } }),
    );
    const md5s = Buffer.concat([p1, p2].map((p) => createHash('md5').update(p).digest()));
    assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-2"`);
    assert.match(done.ChecksumCRC32 ?? '', /-2$/, 'a composite checksum of the two parts');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.ok(bytes.equals(Buffer.concat([p1, p2])));
    assert.equal(got.ContentType, 'text/plain');
    assert.equal((await s3Code(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big', UploadId })))).name, 'NoSuchUpload');

    const { UploadId: gone } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'aborted' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'aborted', UploadId: gone }));
    assert.equal((await s3Code(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'aborted', UploadId: gone, PartNumber: 1, Body: 'x' })))).name, 'NoSuchUpload');
    assert.equal((await s3Code(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'aborted', UploadId: '../../../etc', PartNumber: 1, Body: 'x' })))).name, 'NoSuchUpload');
    assert.equal((await s3Code(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big', UploadId: gone, PartNumber: 10001, Body: 'x' })))).name, 'InvalidArgument');
  }),
);

test('virtual-hosted requests (<bucket>.localhost) reach the same objects as path-style ones', { timeout: 30_000 }, () =>
  withS3(async (s3, h) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'vhost' }));
    await s3.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'dir/k.txt', Body: 'virtual' }));
    const port = new URL(h.api.url).port;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/dir/k.txt', headers: { host: `vhost.localhost:${port}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(answer, { status: 200, body: 'virtual' });
  }),
);

test('unsigned requests (curl, --no-sign-request) reach S3 by their path; unsigned GET / stays the console', { timeout: 30_000 }, () =>
  withS3(async (s3, h) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'open' }));
    const base = h.api.url.replace(/\/$/, '');
    const put = await fetch(`${base}/open/dir/plain%20key.txt`, { method: 'PUT', body: 'unsigned body' });
    assert.equal(put.status, 200);
    assert.equal(put.headers.get('etag'), `"${createHash('md5').update('unsigned body').digest('hex')}"`);
    const got = await fetch(`${base}/open/dir/plain%20key.txt`);
    assert.equal(await got.text(), 'unsigned body');
    const list = await (await fetch(`${base}/open?list-type=2&prefix=dir/`)).text();
    assert.match(list, /<ListBucketResult[^>]*>[\s\S]*<Key>dir\/plain key.txt<\/Key>/);
    const missing = await fetch(`${base}/open/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<Code>NoSuchKey<\/Code>/);
    const noBucket = await fetch(`${base}/nobucket/k`);
    assert.match(await noBucket.text(), /<Code>NoSuchBucket<\/Code>/);
    const del = await fetch(`${base}/open/dir/plain%20key.txt`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    const root = await fetch(`${base}/`);
    assert.match(root.headers.get('content-type') ?? '', /text\/html|application\/json/, 'not an S3 ListBuckets answer');
    assert.doesNotMatch(await root.text(), /ListAllMyBucketsResult/);
  }),
);

test('hostile requests: keys cannot leave the bucket, bad XML and entities are refused, unknown subresources say so', { timeout: 30_000 }, () =>
  withS3(async (s3, h) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'safe' }));
    await s3.send(new PutObjectCommand({ Bucket: 'safe', Key: '../../../../etc/passwd', Body: 'stays inside' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'safe' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['../../../../etc/passwd']);
    const port = new URL(h.api.url).port;
    const raw = (method: string, path: string, body = ''): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method, path, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/s3/aws4_request', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Delete><Object><Key>&b;</Key></Object></Delete>';
    const refused = await raw('POST', '/safe?delete', bomb);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /<Code>MalformedXML<\/Code>/);
    const garbage = await raw('POST', '/safe?delete', '<Delete><Object><Key>unclosed');
    assert.match(garbage.body, /<Code>MalformedXML<\/Code>/);
    const tagging = await raw('GET', '/safe?tagging');
    assert.equal(tagging.status, 501);
    assert.match(tagging.body, /<Code>NotImplemented<\/Code>.*tagging/);
    const badUri = await raw('GET', '/safe/%E0%A4%A');
    assert.match(badUri.body, /<Code>InvalidURI<\/Code>/);
  }),
);
