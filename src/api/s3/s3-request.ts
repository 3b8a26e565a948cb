/**
 * Which requests on the shared port are S3's, and what they address. S3 requests are recognised
 * by what only S3 clients send: a virtual-hosted Host (`<bucket>.localhost:<port>`), or an AWS
 * signature (an Authorization header, or a presigned URL's X-Amz-* query) on a request that is
 * none of the other protocols' (those carry X-Amz-Target or have their own paths). An unsigned
 * plain GET of `/` stays the console's.
 *
 * Keys come from the raw request target, never from a normalised URL: S3 keys may hold `..`,
 * `//` or `%2F`, and a normalising parser would change what object is meant.
 */
import type { IncomingMessage } from 'node:http';
import { S3Error } from '../../emulators/s3/index.js';

export interface S3Target {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** Addressed as `<bucket>.localhost`, so Location answers use that form. */
  virtualHosted: boolean;
  /** Set when the target cannot be read (bad percent-encoding): answered as S3's error. */
  problem?: S3Error;
}

const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost(?::\d+)?$/i;

function isSigned(req: IncomingMessage, rawQuery: string): boolean {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^AWS4-HMAC-SHA256 |^AWS4-ECDSA-P256-SHA256 |^AWS /.test(auth)) return true;
  if (req.headers['x-amz-content-sha256'] !== undefined) return true;
  return /(^|&)(X-Amz-Signature|X-Amz-Credential|AWSAccessKeyId)=/.test(rawQuery);
}

class UndecodableUri extends S3Error {
  constructor(raw: string) {
    super('InvalidURI', "Couldn't parse the specified URI.", 400, { URI: raw });
  }
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new UndecodableUri(raw);
  }
}

/**
 * The request's S3 target, or undefined when it is not an S3 request. A request is S3's when it is
 * signed as S3 requests are, or virtual-hosted; with `unsigned`, also any path-style request (the
 * API asks this last, for a request no other route took: `--no-sign-request` clients, curl).
 */
export function s3Target(req: IncomingMessage, opts: { unsigned?: boolean } = {}): S3Target | undefined {
  if (req.headers['x-amz-target'] !== undefined) return undefined;
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  const rawQuery = q >= 0 ? raw.slice(q + 1) : '';
  const host = String(req.headers.host ?? '');
  const vhost = VIRTUAL_HOST.exec(host);
  if (!vhost && !opts.unsigned && !isSigned(req, rawQuery)) return undefined;
  if (!rawPath.startsWith('/')) return undefined;
  const query = new URLSearchParams(rawQuery);
  try {
    return addressed(rawPath, query, vhost?.[1]?.toLowerCase());
  } catch (err) {
    if (err instanceof UndecodableUri) return { query, virtualHosted: vhost !== null, problem: err };
    throw err;
  }
}

function addressed(rawPath: string, query: URLSearchParams, virtualBucket: string | undefined): S3Target {
  if (virtualBucket !== undefined) {
    const key = rawPath.length > 1 ? decodeSegment(rawPath.slice(1)) : undefined;
    return { bucket: virtualBucket, key, query, virtualHosted: true };
  }
  const rest = rawPath.slice(1);
  if (rest === '') return { query, virtualHosted: false };
  const slash = rest.indexOf('/');
  const bucket = decodeSegment(slash >= 0 ? rest.slice(0, slash) : rest);
  const keyRaw = slash >= 0 ? rest.slice(slash + 1) : '';
  return { bucket, key: keyRaw === '' ? undefined : decodeSegment(keyRaw), query, virtualHosted: false };
}
