import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, InvalidBucketNameError, KeyTooLongError, MetadataTooLargeError } from '../../../../src/emulators/s3/errors.js';
import { assertBucketName, bucketNameProblem, keyBytes, normaliseMetadata } from '../../../../src/emulators/s3/names.js';

test('valid bucket names pass S3\'s rules', () => {
  for (const name of ['abc', 'my-bucket', 'my.bucket.1', 'a'.repeat(63), '1bucket', 'data-2024.01']) {
    assert.equal(bucketNameProblem(name), undefined, name);
  }
});

test('invalid bucket names are refused with the broken rule named', () => {
  const cases: [string, RegExp][] = [
    ['ab', /between 3 and 63/],
    ['a'.repeat(64), /between 3 and 63/],
    ['My-Bucket', /lowercase/],
    ['my_bucket', /lowercase/],
    ['my/bucket', /lowercase/],
    ['..', /between 3 and 63/],
    ['...', /begin and end/],
    ['-bucket', /begin and end/],
    ['bucket.', /begin and end/],
    ['my..bucket', /adjacent periods/],
    ['192.168.5.4', /IP address/],
    ['xn--bucket', /xn--/],
    ['sthree-bucket', /sthree-/],
    ['amzn-s3-demo-bucket', /amzn-s3-demo-/],
    ['bucket-s3alias', /-s3alias/],
    ['bucket--ol-s3', /--ol-s3/],
    ['bucket.mrap', /\.mrap/],
    ['bucket--x-s3', /--x-s3/],
  ];
  for (const [name, reason] of cases) {
    assert.match(bucketNameProblem(name) ?? '', reason, name);
    assert.throws(() => assertBucketName(name), (err: unknown) => {
      assert.ok(err instanceof InvalidBucketNameError);
      assert.equal(err.code, 'InvalidBucketName');
      assert.equal(err.message, 'The specified bucket is not valid.');
      assert.equal(err.statusCode, 400);
      return true;
    });
  }
});

test('keys of 1 to 1,024 UTF-8 bytes are accepted, counting bytes not characters', () => {
  assert.equal(keyBytes('a'.repeat(1024)).length, 1024);
  assert.equal(keyBytes('é'.repeat(512)).length, 1024);
  assert.throws(() => keyBytes('é'.repeat(513)), (err: unknown) => {
    assert.ok(err instanceof KeyTooLongError);
    assert.equal(err.code, 'KeyTooLongError');
    assert.equal(err.message, 'Your key is too long');
    return true;
  });
  assert.throws(() => keyBytes('a'.repeat(1025)), KeyTooLongError);
});

test('NUL, ".." and other odd characters are valid keys; empty keys and lone surrogates are not', () => {
  for (const key of ['\0', '..', '.', '\\', '\u{1F600}', '\r\n']) assert.ok(keyBytes(key).length > 0);
  assert.throws(() => keyBytes(''), InvalidArgumentError);
  assert.throws(() => keyBytes('a\uD800b'), /unpaired surrogate/);
});

test('metadata names are lowercased, "__proto__" stays data, and 2 KB is the limit', () => {
  const md = normaliseMetadata({ Owner: 'me', ['__proto__']: 'x' } as Record<string, string>);
  assert.equal(md.owner, 'me');
  assert.ok(Object.prototype.hasOwnProperty.call(md, '__proto__'));
  assert.equal(Object.getPrototypeOf(md), Object.prototype);
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.deepEqual(normaliseMetadata({ k: 'v'.repeat(2047) }), { k: 'v'.repeat(2047) });
  assert.throws(() => normaliseMetadata({ k: 'v'.repeat(2048) }), MetadataTooLargeError);
  assert.throws(() => normaliseMetadata({ 'bad name': 'v' }), /not a valid HTTP header name/);
  assert.throws(() => normaliseMetadata({ n: 1 as unknown as string }), /must be a string/);
});
