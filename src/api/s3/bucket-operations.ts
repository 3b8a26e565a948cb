/**
 * S3 bucket operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation,
 * ListObjects (v1) and ListObjectsV2 (with encoding-type=url, which the AWS CLI always asks for),
 * DeleteObjects, ListMultipartUploads.
 */
import type { ServerResponse } from 'node:http';
import { S3Error, type ListObjectsV2Output, type ObjectSummary } from '../../emulators/s3/index.js';
import { sendEmpty, sendXml } from './answers.js';
import { owner, readXmlBody, type S3Call, type S3Services } from './context.js';
import { malformedXml, parseRequestXml, type XmlFields } from './xml.js';

export async function listBuckets(services: S3Services, res: ServerResponse): Promise<void> {
  const { Buckets } = await services.store.listBuckets();
  sendXml(res, 'ListAllMyBucketsResult', {
    Owner: owner(services.account),
    Buckets: { Bucket: Buckets.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate, BucketRegion: services.region })) },
  });
}

export async function createBucket({ services, req, res, target }: S3Call): Promise<void> {
  const body = await readXmlBody(req);
  if (body.length > 0) {
    const conf = parseRequestXml(body, 'CreateBucketConfiguration');
    const constraint = conf.LocationConstraint;
    if (constraint !== undefined && typeof constraint !== 'string') throw malformedXml();
    if (typeof constraint === 'string' && constraint !== '' && constraint !== services.region) {
      throw new S3Error('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
  }
  const out = await services.store.createBucket({ Bucket: target.bucket });
  sendEmpty(res, 200, { Location: out.Location });
}

export async function deleteBucket({ services, res, target }: S3Call): Promise<void> {
  await services.store.deleteBucket({ Bucket: target.bucket });
  sendEmpty(res, 204);
}

export async function headBucket({ services, res, target }: S3Call): Promise<void> {
  await services.store.headBucket({ Bucket: target.bucket });
  sendEmpty(res, 200, { 'x-amz-bucket-region': services.region, 'x-amz-access-point-alias': 'false' });
}

export async function getBucketLocation({ services, res, target }: S3Call): Promise<void> {
  await services.store.headBucket({ Bucket: target.bucket });
  // S3 names us-east-1 by leaving the constraint empty.
  const region = services.region === 'us-east-1' ? '' : services.region;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`;
  res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function maxKeys(query: URLSearchParams): number | undefined {
  const raw = query.get('max-keys');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, { ArgumentName: 'max-keys', ArgumentValue: raw });
  }
  return Math.min(n, 2147483647);
}

/** With encoding-type=url, S3 URL-encodes keys and prefixes in listings (keeping '/'). */
function encoder(query: URLSearchParams): (s: string) => string {
  const type = query.get('encoding-type');
  if (type === null) return (s) => s;
  if (type !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, { ArgumentName: 'encoding-type', ArgumentValue: type });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function contents(list: ListObjectsV2Output, enc: (s: string) => string, withOwner: XmlFields | undefined): XmlFields[] {
  return (list.Contents ?? []).map((o: ObjectSummary) => ({
    Key: enc(o.Key),
    LastModified: o.LastModified,
    ETag: o.ETag,
    Size: o.Size,
    Owner: withOwner,
    StorageClass: o.StorageClass,
  }));
}

export async function listObjectsV2({ services, res, target }: S3Call): Promise<void> {
  const q = target.query;
  const enc = encoder(q);
  const out = await services.store.listObjectsV2({
    Bucket: target.bucket,
    Prefix: q.get('prefix') ?? undefined,
    Delimiter: q.get('delimiter') || undefined,
    MaxKeys: maxKeys(q),
    ContinuationToken: q.get('continuation-token') ?? undefined,
    StartAfter: q.get('start-after') ?? undefined,
  });
  const fetchOwner = q.get('fetch-owner') === 'true' ? owner(services.account) : undefined;
  sendXml(res, 'ListBucketResult', {
    Name: out.Name,
    Prefix: enc(out.Prefix),
    Delimiter: out.Delimiter === undefined ? undefined : enc(out.Delimiter),
    MaxKeys: out.MaxKeys,
    EncodingType: q.get('encoding-type') ?? undefined,
    KeyCount: out.KeyCount,
    IsTruncated: out.IsTruncated,
    ContinuationToken: out.ContinuationToken,
    NextContinuationToken: out.NextContinuationToken,
    StartAfter: out.StartAfter === undefined ? undefined : enc(out.StartAfter),
    Contents: contents(out, enc, fetchOwner),
    CommonPrefixes: (out.CommonPrefixes ?? []).map((p) => ({ Prefix: enc(p.Prefix) })),
  });
}

/** ListObjects (v1): a Marker instead of a token; NextMarker only when a delimiter is given. */
export async function listObjectsV1({ services, res, target }: S3Call): Promise<void> {
  const q = target.query;
  const enc = encoder(q);
  const marker = q.get('marker') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const out = await services.store.listObjectsV2({
    Bucket: target.bucket,
    Prefix: q.get('prefix') ?? undefined,
    Delimiter: delimiter,
    MaxKeys: maxKeys(q),
    StartAfter: marker || undefined,
  });
  const lastKey = out.Contents?.at(-1)?.Key;
  const lastPrefix = out.CommonPrefixes?.at(-1)?.Prefix;
  const next = lastPrefix !== undefined && (lastKey === undefined || Buffer.compare(Buffer.from(lastPrefix), Buffer.from(lastKey)) > 0) ? lastPrefix : lastKey;
  sendXml(res, 'ListBucketResult', {
    Name: out.Name,
    Prefix: enc(out.Prefix),
    Marker: enc(marker),
    NextMarker: out.IsTruncated && delimiter !== undefined && next !== undefined ? enc(next) : undefined,
    MaxKeys: out.MaxKeys,
    Delimiter: delimiter === undefined ? undefined : enc(delimiter),
    EncodingType: q.get('encoding-type') ?? undefined,
    IsTruncated: out.IsTruncated,
    Contents: contents(out, enc, owner(services.account)),
    CommonPrefixes: (out.CommonPrefixes ?? []).map((p) => ({ Prefix: enc(p.Prefix) })),
  });
}

export async function deleteObjects({ services, req, res, target }: S3Call): Promise<void> {
  const doc = parseRequestXml(await readXmlBody(req), 'Delete');
  const objects = doc.Object;
  if (!Array.isArray(objects) || objects.length === 0) throw malformedXml();
  const keys = objects.map((o) => {
    const key = (o as Record<string, unknown>)?.Key;
    if (typeof key !== 'string') throw malformedXml();
    return { Key: key };
  });
  const quiet = String(doc.Quiet ?? 'false').trim() === 'true';
  const out = await services.store.deleteObjects({ Bucket: target.bucket, Delete: { Objects: keys, Quiet: quiet } });
  sendXml(res, 'DeleteResult', {
    Deleted: out.Deleted.map((d) => ({ Key: d.Key })),
    Error: out.Errors.map((e) => ({ Key: e.Key, Code: e.Code, Message: e.Message })),
  });
}

export async function listMultipartUploads({ services, res, target }: S3Call): Promise<void> {
  const q = target.query;
  const enc = encoder(q);
  const prefix = q.get('prefix') ?? '';
  const max = Math.min(Number(q.get('max-uploads') ?? 1000) || 1000, 1000);
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = q.get('upload-id-marker') ?? '';
  let uploads = await services.uploads.list(target.bucket, prefix);
  if (keyMarker !== '') {
    const at = uploads.findIndex((u) => u.Key > keyMarker || (u.Key === keyMarker && idMarker !== '' && u.UploadId > idMarker));
    uploads = at < 0 ? [] : uploads.slice(at);
  }
  const page = uploads.slice(0, max);
  const truncated = uploads.length > max;
  const who = owner(services.account);
  sendXml(res, 'ListMultipartUploadsResult', {
    Bucket: target.bucket,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: idMarker,
    NextKeyMarker: truncated ? enc(page.at(-1)!.Key) : undefined,
    NextUploadIdMarker: truncated ? page.at(-1)!.UploadId : undefined,
    Prefix: prefix === '' ? undefined : enc(prefix),
    MaxUploads: max,
    EncodingType: q.get('encoding-type') ?? undefined,
    IsTruncated: truncated,
    Upload: page.map((u) => ({
      Key: enc(u.Key),
      UploadId: u.UploadId,
      Initiator: who,
      Owner: who,
      StorageClass: 'STANDARD',
      Initiated: u.Initiated,
      ChecksumAlgorithm: u.ChecksumAlgorithm,
    })),
  });
}

