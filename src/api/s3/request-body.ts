/**
 * The bytes of an S3 upload (PutObject, UploadPart) as the store should receive them: decoded from
 * aws-chunked when the client streams, and checked on the way against every digest the client
 * sent — Content-MD5, a hex x-amz-content-sha256, and the x-amz-checksum-* value in a header or a
 * trailer. A mismatch throws at the end of the stream, before the store makes the object visible,
 * so a damaged upload never replaces an object (as on S3).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  checksumHeader,
  CHECKSUM_ALGORITHMS,
  isChecksumAlgorithm,
  newChecksum,
  S3Error,
  type ChecksumAlgorithm,
  type RunningChecksum,
} from '../../emulators/s3/index.js';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';
import { header } from './context.js';

/** S3's limit for one PutObject or UploadPart. */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;

export interface UploadBody {
  bytes: AsyncIterable<Uint8Array>;
  /** After `bytes` is consumed: the additional checksum computed (and checked, if one was sent). */
  checksum(): { algorithm: ChecksumAlgorithm; value: string } | undefined;
}

/** Which additional checksum the request carries or announces, if any. */
function requestedAlgorithm(req: IncomingMessage): ChecksumAlgorithm | undefined {
  for (const alg of CHECKSUM_ALGORITHMS) if (header(req, checksumHeader(alg)) !== undefined) return alg;
  const trailer = header(req, 'x-amz-trailer')?.toLowerCase();
  for (const alg of CHECKSUM_ALGORITHMS) if (trailer === checksumHeader(alg)) return alg;
  const announced = (header(req, 'x-amz-sdk-checksum-algorithm') ?? header(req, 'x-amz-checksum-algorithm'))?.toUpperCase();
  if (announced === undefined) return undefined;
  if (!isChecksumAlgorithm(announced)) {
    throw new S3Error('InvalidRequest', `Value for x-amz-sdk-checksum-algorithm header is invalid.`, 400);
  }
  return announced;
}

export function uploadBody(req: IncomingMessage): UploadBody {
  const chunked = isAwsChunked(req.headers);
  const declared = Number(header(req, chunked ? 'x-amz-decoded-content-length' : 'content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_SINGLE_UPLOAD_BYTES) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      ProposedSize: String(declared),
      MaxSizeAllowed: String(MAX_SINGLE_UPLOAD_BYTES),
    });
  }
  const contentMd5 = header(req, 'content-md5');
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
  }
  const sha = header(req, 'x-amz-content-sha256');
  const shaToCheck = sha !== undefined && /^[0-9a-f]{64}$/i.test(sha) ? sha.toLowerCase() : undefined;
  const algorithm = requestedAlgorithm(req);
  const trailers = new Map<string, string>();
  let computed: { algorithm: ChecksumAlgorithm; value: string } | undefined;

  async function* bytes(): AsyncGenerator<Uint8Array> {
    const md5 = contentMd5 !== undefined ? createHash('md5') : undefined;
    const sha256 = shaToCheck !== undefined ? createHash('sha256') : undefined;
    const sum: RunningChecksum | undefined = algorithm ? newChecksum(algorithm) : undefined;
    let size = 0;
    const source: AsyncIterable<Buffer> = chunked ? decodeAwsChunked(req, trailers) : req;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > MAX_SINGLE_UPLOAD_BYTES) {
        throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
          MaxSizeAllowed: String(MAX_SINGLE_UPLOAD_BYTES),
        });
      }
      md5?.update(chunk);
      sha256?.update(chunk);
      sum?.update(chunk);
      yield chunk;
    }
    if (Number.isFinite(declared) && size !== declared) {
      throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
    }
    if (md5) {
      const got = md5.digest('base64');
      if (got !== contentMd5) {
        throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
          ExpectedDigest: contentMd5!,
          CalculatedDigest: got,
        });
      }
    }
    if (sha256) {
      const got = sha256.digest('hex');
      if (got !== shaToCheck) {
        throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
          ClientComputedContentSHA256: shaToCheck!,
          S3ComputedContentSHA256: got,
        });
      }
    }
    if (algorithm && sum) {
      const value = await sum.digest();
      const sent = header(req, checksumHeader(algorithm)) ?? trailers.get(checksumHeader(algorithm));
      if (sent !== undefined && sent !== value) {
        throw new S3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
      }
      computed = { algorithm, value };
    }
  }
  return { bytes: bytes(), checksum: () => computed };
}
