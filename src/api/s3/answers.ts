/**
 * How the local S3 answers over HTTP: S3's request-id headers on every answer, XML documents,
 * errors as S3's `<Error>` document (no body for HEAD, as S3 does), and an object's headers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { S3Error, type HeadObjectOutput } from '../../emulators/s3/index.js';
import { xmlDocument, type XmlFields } from './xml.js';

function requestIds(): Record<string, string> {
  return {
    'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    'x-amz-id-2': randomBytes(48).toString('base64'),
  };
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { ...requestIds(), 'Content-Length': 0, ...headers });
  res.end();
}

export function sendXml(res: ServerResponse, root: string, fields: XmlFields, headers: Record<string, string | number> = {}): void {
  const body = Buffer.from(xmlDocument(root, fields));
  res.writeHead(200, { ...requestIds(), 'Content-Type': 'application/xml', 'Content-Length': body.length, ...headers });
  res.end(body);
}

export function sendS3Error(res: ServerResponse, err: S3Error, method: string | undefined, resource: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const ids = requestIds();
  if (method === 'HEAD') {
    res.writeHead(err.statusCode, { ...ids, 'Content-Length': 0 });
    res.end();
    return;
  }
  const fields: XmlFields = { Code: err.code, Message: err.message, ...err.details };
  if (!('Resource' in err.details) && !('BucketName' in err.details) && !('Key' in err.details)) fields.Resource = resource;
  fields.RequestId = ids['x-amz-request-id'];
  fields.HostId = ids['x-amz-id-2'];
  // S3's error documents carry no namespace, and botocore finds the code only without one.
  const body = Buffer.from(xmlDocument('Error', fields, null));
  res.writeHead(err.statusCode, { ...ids, 'Content-Type': 'application/xml', 'Content-Length': body.length, Connection: 'close' });
  res.end(body);
}

/** The headers S3 sends with an object (GetObject, HeadObject). */
export function objectHeaders(head: HeadObjectOutput): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'Content-Type': head.ContentType,
    ETag: head.ETag,
    'Last-Modified': head.LastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(head.Metadata)) h[`x-amz-meta-${name}`] = value;
  return h;
}
