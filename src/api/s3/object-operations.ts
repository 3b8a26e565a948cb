/**
 * S3 object operations: PutObject (conditional writes with If-None-Match: * and If-Match),
 * GetObject (ranges, conditions, response-* overrides of presigned URLs), HeadObject,
 * DeleteObject, CopyObject (metadata directive, copy-source conditions).
 */
import { pipeline } from 'node:stream/promises';
import {
  checksumHeader,
  NoSuchKeyError,
  parseCopySource,
  S3Error,
  type HeadObjectOutput,
} from '../../emulators/s3/index.js';
import { objectHeaders, sendEmpty, sendXml } from './answers.js';
import { preconditionFailed, readCondition, resolveRange } from './conditions.js';
import { header, userMetadata, type S3Call } from './context.js';
import { uploadBody } from './request-body.js';

function objectKey(call: S3Call): string {
  const key = call.target.key;
  if (key === undefined) throw new S3Error('InvalidRequest', 'A key is required.', 400);
  return key;
}

async function headOrUndefined(call: S3Call, key: string): Promise<HeadObjectOutput | undefined> {
  try {
    return await call.services.store.headObject({ Bucket: call.target.bucket, Key: key });
  } catch (err) {
    if (err instanceof NoSuchKeyError) return undefined;
    throw err;
  }
}

/** If-None-Match: * (create only) and If-Match (replace only that version), as S3's conditional writes. */
async function checkWriteConditions(call: S3Call, key: string): Promise<void> {
  const ifNoneMatch = header(call.req, 'if-none-match');
  const ifMatch = header(call.req, 'if-match');
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  const current = await headOrUndefined(call, key);
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'If-None-Match' });
    if (current) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!current) throw new NoSuchKeyError(call.target.bucket, key);
    if (readCondition({ 'if-match': ifMatch }, current) === 412) throw preconditionFailed('If-Match');
  }
}

export async function putObject(call: S3Call): Promise<void> {
  const key = objectKey(call);
  await checkWriteConditions(call, key);
  const body = uploadBody(call.req);
  const out = await call.services.store.putObject({
    Bucket: call.target.bucket,
    Key: key,
    Body: body.bytes,
    ContentType: header(call.req, 'content-type'),
    Metadata: userMetadata(call.req),
  });
  const sum = body.checksum();
  sendEmpty(call.res, 200, { ETag: out.ETag, ...(sum ? { [checksumHeader(sum.algorithm)]: sum.value, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}) });
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

export async function getObject(call: S3Call, headOnly: boolean): Promise<void> {
  const key = objectKey(call);
  const { store } = call.services;
  const rangeHeader = header(call.req, 'range');
  const got = headOnly
    ? { ...(await store.headObject({ Bucket: call.target.bucket, Key: key })), Body: undefined, Range: undefined }
    : await store.getObjectStream({ Bucket: call.target.bucket, Key: key }, (size) => resolveRange(rangeHeader, size));
  const condition = readCondition(call.req.headers, got);
  if (condition !== 'ok') {
    got.Body?.destroy();
    if (condition === 412) throw preconditionFailed(header(call.req, 'if-match') !== undefined ? 'If-Match' : 'If-Unmodified-Since');
    sendEmpty(call.res, 304, { ETag: got.ETag, 'Last-Modified': got.LastModified.toUTCString() });
    return;
  }
  const headers = objectHeaders(got);
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = call.target.query.get(param);
    if (v !== null) headers[name] = v;
  }
  let status = 200;
  let length = got.ContentLength;
  const range = headOnly ? resolveRange(rangeHeader, got.ContentLength) : got.Range;
  if (range) {
    status = 206;
    length = range.last - range.first + 1;
    headers['Content-Range'] = `bytes ${range.first}-${range.last}/${got.ContentLength}`;
  }
  // This port also serves the console: an object opened in a browser (a stored HTML page, say)
  // must never run as a page of the console's origin, which may approve models and stop runs.
  headers['Content-Security-Policy'] = "default-src 'none'; sandbox";
  headers['X-Content-Type-Options'] = 'nosniff';
  call.res.writeHead(status, { ...headers, 'Content-Length': length });
  if (headOnly || !got.Body) {
    call.res.end();
    return;
  }
  await pipeline(got.Body, call.res);
}

export async function deleteObject(call: S3Call): Promise<void> {
  await call.services.store.deleteObject({ Bucket: call.target.bucket, Key: objectKey(call) });
  sendEmpty(call.res, 204);
}

/** The x-amz-copy-source object, checked against the x-amz-copy-source-if-* conditions. */
export async function copySource(call: S3Call): Promise<{ bucket: string; key: string; head: HeadObjectOutput }> {
  let src: { bucket: string; key: string };
  try {
    src = parseCopySource(header(call.req, 'x-amz-copy-source') ?? '');
  } catch (err) {
    throw new S3Error('InvalidArgument', `Invalid copy source: ${(err as Error).message}`, 400, { ArgumentName: 'x-amz-copy-source' });
  }
  const head = await call.services.store.headObject({ Bucket: src.bucket, Key: src.key });
  const condition = readCondition(call.req.headers, head, 'x-amz-copy-source-');
  if (condition !== 'ok') throw preconditionFailed('x-amz-copy-source-If-Match');
  return { ...src, head };
}

export async function copyObject(call: S3Call): Promise<void> {
  const key = objectKey(call);
  const src = await copySource(call);
  const directive = header(call.req, 'x-amz-metadata-directive')?.toUpperCase() as 'COPY' | 'REPLACE' | undefined;
  const out = await call.services.store.copyObject({
    Bucket: call.target.bucket,
    Key: key,
    SourceBucket: src.bucket,
    SourceKey: src.key,
    MetadataDirective: directive,
    ContentType: header(call.req, 'content-type'),
    Metadata: userMetadata(call.req),
  });
  sendXml(call.res, 'CopyObjectResult', { LastModified: out.CopyObjectResult.LastModified, ETag: out.CopyObjectResult.ETag });
}
