/**
 * The HTTP plumbing the local API's protocols share: bounded request bodies, JSON answers with the
 * JSON protocols' epoch-second timestamps, and error answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ErrorName } from '../core/error-catalogue.js';

/** A request body over its protocol's limit; answered with 413 and the protocol's error shape. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** Reads the whole body, refusing more than `limit` bytes (stops reading as soon as it is over). */
/** The service a SigV4 Authorization header was signed for (its credential scope), if any. */
export function signedService(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return typeof auth === 'string' ? /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\/aws4_request/.exec(auth)?.[1] : undefined;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * JSON for the AWS JSON protocols: Date values become epoch seconds (with milliseconds as the
 * fraction), which the SDKs read back as dates.
 */
export function awsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body: string | Buffer = ''): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'x-amzn-RequestId': randomUUID(), 'Content-Length': buf.length, ...headers });
  res.end(buf);
}

/** An error answer in a JSON protocol: the code both in the body's `__type` and in `x-amzn-ErrorType`. */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  contentType: string,
  /** The error's name from the catalogue, optionally after its protocol's namespace (`com.amazonaws.swf.service.model#...`). */
  type: ErrorName | `${string}#${ErrorName}`,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  const code = type.includes('#') ? type.slice(type.indexOf('#') + 1) : type;
  send(res, status, { 'Content-Type': contentType, 'x-amzn-ErrorType': code, ...headers }, JSON.stringify({ __type: type, message, ...extra }));
}
