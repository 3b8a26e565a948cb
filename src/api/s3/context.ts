/** What every S3 operation handler gets: the services, the request, its target and the answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error, type MultipartUploads, type S3Store } from '../../emulators/s3/index.js';
import { readBody } from '../http-io.js';
import type { S3Target } from './s3-request.js';

export interface S3Services {
  store: S3Store;
  uploads: MultipartUploads;
  /** The region the local API answers for (bucket locations). */
  region: string;
  /** The account id (the owner's canonical id is derived from it). */
  account: string;
}

export interface S3Call {
  services: S3Services;
  req: IncomingMessage;
  res: ServerResponse;
  target: S3Target & { bucket: string };
}

/** XML request documents (DeleteObjects of 1,000 keys, Complete of 10,000 parts) stay under this. */
const XML_BODY_LIMIT = 4 * 1024 * 1024;

export async function readXmlBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBody(req, XML_BODY_LIMIT);
  } catch {
    throw new S3Error('MaxMessageLengthExceeded', 'Your request was too big.', 400);
  }
}

/** One header's value from a headers map (the first, when a header came more than once). */
export function headerOf(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  return headerOf(req.headers, name);
}

/** The x-amz-meta-* headers of a request, as user metadata (names lower-cased by Node already). */
export function userMetadata(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) out[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

/** The owner S3 names in listings: a stable canonical id derived from the account. */
export function owner(account: string): { ID: string; DisplayName: string } {
  return { ID: Buffer.from(account.padEnd(32, '0')).toString('hex').slice(0, 64), DisplayName: 'local' };
}
