/**
 * S3 multipart uploads over HTTP: CreateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts.
 */
import {
  assertPartNumber,
  checksumHeader,
  CHECKSUM_ALGORITHMS,
  isChecksumAlgorithm,
  S3Error,
  type ByteRange,
  type ChecksumAlgorithm,
} from '../../emulators/s3/index.js';
import { sendEmpty, sendXml } from './answers.js';
import { resolveRange } from './conditions.js';
import { header, owner, readXmlBody, userMetadata, type S3Call } from './context.js';
import { copySource } from './object-operations.js';
import { uploadBody } from './request-body.js';
import { malformedXml, parseRequestXml, type XmlFields } from './xml.js';

function key(call: S3Call): string {
  if (call.target.key === undefined) throw new S3Error('InvalidRequest', 'A key is required.', 400);
  return call.target.key;
}

function uploadId(call: S3Call): string {
  return call.target.query.get('uploadId') ?? '';
}

function partNumber(call: S3Call): number {
  const raw = call.target.query.get('partNumber') ?? '';
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  assertPartNumber(n);
  return n;
}

function checksumFields(sums: Partial<Record<ChecksumAlgorithm, string>>): XmlFields {
  const out: XmlFields = {};
  for (const alg of CHECKSUM_ALGORITHMS) if (sums[alg] !== undefined) out[`Checksum${alg}`] = sums[alg];
  return out;
}

export async function createMultipartUpload(call: S3Call): Promise<void> {
  const alg = header(call.req, 'x-amz-checksum-algorithm')?.toUpperCase();
  if (alg !== undefined && !isChecksumAlgorithm(alg)) {
    throw new S3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]', 400);
  }
  const { UploadId } = await call.services.uploads.create({
    Bucket: call.target.bucket,
    Key: key(call),
    ContentType: header(call.req, 'content-type'),
    Metadata: userMetadata(call.req),
    ChecksumAlgorithm: alg,
  });
  sendXml(
    call.res,
    'InitiateMultipartUploadResult',
    { Bucket: call.target.bucket, Key: key(call), UploadId },
    alg ? { 'x-amz-checksum-algorithm': alg, 'x-amz-checksum-type': 'COMPOSITE' } : {},
  );
}

export async function uploadPart(call: S3Call): Promise<void> {
  const n = partNumber(call);
  const body = uploadBody(call.req);
  const part = await call.services.uploads.uploadPart({
    Bucket: call.target.bucket,
    Key: key(call),
    UploadId: uploadId(call),
    PartNumber: n,
    Body: body.bytes,
    Checksums: () => {
      const sum = body.checksum();
      return sum ? { [sum.algorithm]: sum.value } : {};
    },
  });
  const headers: Record<string, string> = { ETag: part.ETag };
  for (const [alg, value] of Object.entries(part.Checksums)) headers[checksumHeader(alg as ChecksumAlgorithm)] = value;
  sendEmpty(call.res, 200, headers);
}

export async function uploadPartCopy(call: S3Call): Promise<void> {
  const n = partNumber(call);
  const src = await copySource(call);
  const rangeSpec = header(call.req, 'x-amz-copy-source-range');
  let range: ByteRange | undefined;
  if (rangeSpec !== undefined) {
    range = resolveRange(rangeSpec, src.head.ContentLength);
    if (!range) throw new S3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 400, { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: rangeSpec });
  }
  const got = await call.services.store.getObjectStream({ Bucket: src.bucket, Key: src.key }, () => range);
  const part = await call.services.uploads.uploadPart({ Bucket: call.target.bucket, Key: key(call), UploadId: uploadId(call), PartNumber: n, Body: got.Body });
  sendXml(call.res, 'CopyPartResult', { LastModified: part.LastModified, ETag: part.ETag });
}

export async function completeMultipartUpload(call: S3Call): Promise<void> {
  const doc = parseRequestXml(await readXmlBody(call.req), 'CompleteMultipartUpload');
  const parts = doc.Part;
  if (!Array.isArray(parts)) throw malformedXml();
  const list = parts.map((p) => {
    const rec = p as Record<string, unknown>;
    const n = Number(rec.PartNumber);
    if (typeof rec.ETag !== 'string' || !Number.isInteger(n)) throw malformedXml();
    return { PartNumber: n, ETag: rec.ETag };
  });
  const out = await call.services.uploads.complete({ Bucket: call.target.bucket, Key: key(call), UploadId: uploadId(call), Parts: list });
  const host = String(call.req.headers.host ?? 'localhost');
  const location = call.target.virtualHosted
    ? `http://${host}/${encodeURIComponent(key(call))}`
    : `http://${host}/${call.target.bucket}/${encodeURIComponent(key(call))}`;
  sendXml(call.res, 'CompleteMultipartUploadResult', {
    Location: location,
    Bucket: call.target.bucket,
    Key: key(call),
    ETag: out.ETag,
    ...(out.Checksum ? { [`Checksum${out.Checksum.algorithm}`]: out.Checksum.value, ChecksumType: 'COMPOSITE' } : {}),
  });
}

export async function abortMultipartUpload(call: S3Call): Promise<void> {
  await call.services.uploads.abort({ Bucket: call.target.bucket, Key: key(call), UploadId: uploadId(call) });
  sendEmpty(call.res, 204);
}

export async function listParts(call: S3Call): Promise<void> {
  const q = call.target.query;
  const marker = Number(q.get('part-number-marker') ?? 0) || 0;
  const max = Math.min(Number(q.get('max-parts') ?? 1000) || 1000, 1000);
  const { parts, checksumAlgorithm } = await call.services.uploads.listParts({ Bucket: call.target.bucket, Key: key(call), UploadId: uploadId(call) });
  const after = parts.filter((p) => p.PartNumber > marker);
  const page = after.slice(0, max);
  const who = owner(call.services.account);
  sendXml(call.res, 'ListPartsResult', {
    Bucket: call.target.bucket,
    Key: key(call),
    UploadId: uploadId(call),
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.PartNumber ?? marker,
    MaxParts: max,
    IsTruncated: after.length > max,
    Part: page.map((p) => ({ PartNumber: p.PartNumber, LastModified: p.LastModified, ETag: p.ETag, Size: p.Size, ...checksumFields(p.Checksums) })),
    Initiator: who,
    Owner: who,
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: checksumAlgorithm,
  });
}
