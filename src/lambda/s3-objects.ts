/**
 * The few S3 reads and writes the step cache makes, over the SDK-shaped client (a real S3Client in
 * AWS, the local S3 in-process locally).
 */
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsErrorName, type CacheStorage } from './clients.js';

export interface S3Location {
  bucket: string;
  key: string;
}

/** One listed object: its key relative to the listed prefix, ETag and size. */
export interface ListedObject {
  key: string;
  etag: string;
  size: number;
  lastModified?: string;
}

/** Thrown for a string that is not an s3:// URI with a bucket. */
export class InvalidS3UriError extends Error {
  override name = 'InvalidS3UriError';
}

export function parseS3(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new InvalidS3UriError(`${JSON.stringify(uri)} is not an S3 URI (s3://bucket/key)`);
  return { bucket: m[1]!, key: m[2]! };
}

/** Most objects the cache lists under one prefix: a larger input is keyed on its first this many. */
export const MAX_LISTED_OBJECTS = 1_000_000;

/** Every object whose key starts with the URI's key, keys relative to it, in key order. */
export async function listUnder(s3: CacheStorage, uri: string): Promise<ListedObject[]> {
  const { bucket, key: prefix } = parseS3(uri);
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    } catch (e) {
      if (awsErrorName(e) === 'NoSuchBucket') return out;
      throw e;
    }
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      out.push({
        key: o.Key.slice(prefix.length),
        etag: o.ETag ?? '',
        size: o.Size ?? 0,
        ...(o.LastModified ? { lastModified: new Date(o.LastModified).toISOString() } : {}),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined && out.length < MAX_LISTED_OBJECTS);
  return out;
}

/** An object's bytes, or undefined when it does not exist. */
export async function readObject(s3: CacheStorage, at: S3Location, maxBytes: number): Promise<Buffer | undefined> {
  let out;
  try {
    out = await s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
  } catch (e) {
    const name = awsErrorName(e);
    if (name === 'NoSuchKey' || name === 'NoSuchBucket') return undefined;
    throw e;
  }
  if (typeof out.ContentLength === 'number' && out.ContentLength > maxBytes) return undefined;
  if (!out.Body) return Buffer.alloc(0);
  return Buffer.from(await out.Body.transformToByteArray());
}

export async function writeJson(s3: CacheStorage, at: S3Location, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: JSON.stringify(value), ContentType: 'application/json' }));
}

export async function copyObject(s3: CacheStorage, from: S3Location, to: S3Location): Promise<void> {
  await s3.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}` }));
}
