/**
 * The S3 REST protocol on the local API's port, over the same local S3 as `mlops-sfn s3` and the
 * jobs: path-style (`/<bucket>/<key>`) and virtual-hosted (`<bucket>.localhost`) addressing, the
 * operations a pipeline, the AWS CLI's `s3` commands and boto3's transfer manager use, and S3's
 * XML errors. Signatures are accepted without checking (any credentials work, as with LocalStack).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from '../../emulators/s3/index.js';
import { sendS3Error } from './answers.js';
import {
  createBucket,
  deleteBucket,
  deleteObjects,
  getBucketLocation,
  headBucket,
  listBuckets,
  listMultipartUploads,
  listObjectsV1,
  listObjectsV2,
} from './bucket-operations.js';
import { header, type S3Call, type S3Services } from './context.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart-operations.js';
import { copyObject, deleteObject, getObject, putObject } from './object-operations.js';
import type { S3Target } from './s3-request.js';

export { s3Target, type S3Target } from './s3-request.js';
export type { S3Services } from './context.js';

type Operation = (call: S3Call) => Promise<void>;

function notImplemented(what: string): Operation {
  return async () => {
    throw new S3Error('NotImplemented', `The local S3 does not implement ${what}.`, 501);
  };
}

/** Bucket subresources S3 has that the local S3 does not keep (tagging, policy, ...). */
function subresource(query: URLSearchParams): string | undefined {
  for (const name of query.keys()) {
    if (!['prefix', 'delimiter', 'marker', 'max-keys', 'list-type', 'continuation-token', 'start-after', 'fetch-owner', 'encoding-type', 'key-marker', 'upload-id-marker', 'max-uploads', 'x-id'].includes(name) && !name.startsWith('X-Amz-')) return name;
  }
  return undefined;
}

function bucketOperation(method: string, q: URLSearchParams): Operation {
  if (method === 'GET' && q.has('location')) return getBucketLocation;
  if (method === 'GET' && q.has('uploads')) return listMultipartUploads;
  if (method === 'POST' && q.has('delete')) return deleteObjects;
  const sub = subresource(q);
  if (sub !== undefined) return notImplemented(`the bucket's ?${sub} (${method})`);
  switch (method) {
    case 'GET':
      return q.get('list-type') === '2' ? listObjectsV2 : listObjectsV1;
    case 'HEAD':
      return headBucket;
    case 'PUT':
      return createBucket;
    case 'DELETE':
      return deleteBucket;
  }
  return notImplemented(`${method} on a bucket`);
}

function objectOperation(req: IncomingMessage, q: URLSearchParams): Operation {
  const method = req.method ?? 'GET';
  const copy = header(req, 'x-amz-copy-source') !== undefined;
  if (q.has('uploadId')) {
    if (method === 'PUT') return copy ? uploadPartCopy : uploadPart;
    if (method === 'POST') return completeMultipartUpload;
    if (method === 'DELETE') return abortMultipartUpload;
    if (method === 'GET') return listParts;
  }
  if (method === 'POST' && q.has('uploads')) return createMultipartUpload;
  for (const name of ['tagging', 'acl', 'retention', 'legal-hold', 'restore', 'select', 'attributes', 'torrent']) {
    if (q.has(name)) return notImplemented(`the object's ?${name}`);
  }
  switch (method) {
    case 'PUT':
      return copy ? copyObject : putObject;
    case 'GET':
      return (call) => getObject(call, false);
    case 'HEAD':
      return (call) => getObject(call, true);
    case 'DELETE':
      return deleteObject;
  }
  return notImplemented(`${method} on an object`);
}

/** Answers one S3 request; every failure becomes S3's XML error, unknown ones after `log`. */
export async function handleS3(services: S3Services, target: S3Target, req: IncomingMessage, res: ServerResponse, log: (line: string) => void): Promise<void> {
  const resource = req.url?.split('?')[0] ?? '/';
  try {
    if (target.problem) throw target.problem;
    if (target.bucket === undefined) {
      if (req.method !== 'GET') throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
      req.resume();
      return await listBuckets(services, res);
    }
    const call: S3Call = { services, req, res, target: { ...target, bucket: target.bucket } };
    const op = target.key === undefined ? bucketOperation(req.method ?? 'GET', target.query) : objectOperation(req, target.query);
    await op(call);
  } catch (err) {
    req.resume();
    if (err instanceof S3Error) return sendS3Error(res, err, req.method, resource);
    log(`local API: S3 ${req.method} ${resource}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    sendS3Error(res, new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500), req.method, resource);
  }
}
