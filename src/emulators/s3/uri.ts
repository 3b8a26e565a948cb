/**
 * `s3://bucket/key` URIs, as the AWS CLI and SageMaker (S3Uri fields) write them: the bucket is
 * everything up to the first "/" after the scheme, the key is the rest taken literally (no
 * percent-decoding; "s3://b/a%20b" names the key "a%20b").
 */
import { LocalError } from '../../core/errors.js';
import { LOCAL_ERRORS } from '../../core/error-catalogue.js';
import { bucketNameProblem } from './names.js';

export interface S3Location {
  readonly bucket: string;
  /** "" when the URI names just the bucket. */
  readonly key: string;
}

export class InvalidS3UriError extends LocalError {
  constructor(
    readonly uri: string,
    reason: string,
    expected = 's3://bucket/key',
  ) {
    super(LOCAL_ERRORS.InvalidS3Uri, `${JSON.stringify(uri)} is not a valid S3 URI: ${reason} (expected ${expected})`);
  }
}

const SCHEME = 's3://';

export function isS3Uri(value: string): boolean {
  return typeof value === 'string' && value.startsWith(SCHEME);
}

export function parseS3Uri(uri: string): S3Location {
  if (typeof uri !== 'string') throw new InvalidS3UriError(String(uri), 'it is not a string');
  if (!uri.startsWith(SCHEME)) {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri);
    if (scheme && scheme[1].toLowerCase() === 's3') {
      throw new InvalidS3UriError(uri, `the scheme must be lowercase "s3://", not "${scheme[1]}://"`);
    }
    if (scheme) throw new InvalidS3UriError(uri, `it starts with "${scheme[1]}://" instead of "s3://"`);
    throw new InvalidS3UriError(uri, 'it does not start with "s3://"');
  }
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new InvalidS3UriError(uri, 'the bucket name is missing');
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw new InvalidS3UriError(uri, `"${bucket}" is not a valid bucket name (${problem})`);
  return { bucket, key };
}

export function formatS3Uri(bucket: string, key = ''): string {
  return `${SCHEME}${bucket}/${key}`;
}

/**
 * The `CopySource` of a CopyObject request ("bucket/key" or "/bucket/key", URL-encoded, with an
 * optional "?versionId=..."), as an `aws-sdk:s3:copyObject` task passes it.
 */
export function parseCopySource(copySource: string): S3Location {
  const expected = 'CopySource "bucket/key", URL-encoded';
  if (typeof copySource !== 'string') throw new InvalidS3UriError(String(copySource), 'it is not a string', expected);
  let s = copySource.startsWith('/') ? copySource.slice(1) : copySource;
  const q = s.indexOf('?');
  if (q >= 0) s = s.slice(0, q);
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) {
    throw new InvalidS3UriError(copySource, 'the bucket or the key is missing', expected);
  }
  let key: string;
  try {
    key = decodeURIComponent(s.slice(slash + 1));
  } catch {
    throw new InvalidS3UriError(copySource, 'the key is not correctly URL-encoded', expected);
  }
  const bucket = s.slice(0, slash);
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) {
    throw new InvalidS3UriError(copySource, `"${bucket}" is not a valid bucket name (${problem})`, expected);
  }
  return { bucket, key };
}
