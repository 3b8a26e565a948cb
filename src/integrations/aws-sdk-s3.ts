/**
 * `arn:aws:states:::aws-sdk:s3:<action>` against the local S3 store: getObject, putObject, headObject,
 * deleteObject, copyObject and listObjectsV2, with the result shapes the AWS SDK integration returns
 * (getObject's Body as text, timestamps as Instant text) and its errors (`S3.NoSuchKeyException`, ...,
 * `S3.S3Exception` for codes the SDK does not model).
 */
import { randomBytes } from 'node:crypto';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import { isS3Error, parseCopySource, type HeadObjectOutput, type S3Store, InvalidS3UriError } from '../emulators/s3/index.js';
import { instantsAsText, javaInstant, parametersRejected } from './aws-sdk-output.js';
import type { Integration } from './integration.js';
import type { ParsedResource } from './resource-arn.js';
import { S3_UNMODELED_TASK_ERROR, s3TaskError } from '../core/error-catalogue.js';

type Kind = 'string' | 'integer' | 'object' | 'any';

/** The members each action accepts (beyond them Step Functions refuses the field) and which are required. */
const ACTIONS: Record<string, { members: Record<string, Kind>; required: string[] }> = {
  getObject: { members: { Bucket: 'string', Key: 'string', VersionId: 'string', Range: 'string', ExpectedBucketOwner: 'string', ChecksumMode: 'string', ResponseContentType: 'string' }, required: ['Bucket', 'Key'] },
  headObject: { members: { Bucket: 'string', Key: 'string', VersionId: 'string', ExpectedBucketOwner: 'string', ChecksumMode: 'string' }, required: ['Bucket', 'Key'] },
  putObject: {
    members: { Bucket: 'string', Key: 'string', Body: 'any', ContentType: 'string', Metadata: 'object', ExpectedBucketOwner: 'string', ServerSideEncryption: 'string', ChecksumAlgorithm: 'string', CacheControl: 'string', ContentEncoding: 'string', ContentDisposition: 'string' },
    required: ['Bucket', 'Key'],
  },
  deleteObject: { members: { Bucket: 'string', Key: 'string', VersionId: 'string', ExpectedBucketOwner: 'string' }, required: ['Bucket', 'Key'] },
  copyObject: {
    members: { Bucket: 'string', Key: 'string', CopySource: 'string', MetadataDirective: 'string', ContentType: 'string', Metadata: 'object', ExpectedBucketOwner: 'string', ServerSideEncryption: 'string' },
    required: ['Bucket', 'Key', 'CopySource'],
  },
  listObjectsV2: {
    members: { Bucket: 'string', Prefix: 'string', Delimiter: 'string', MaxKeys: 'integer', ContinuationToken: 'string', StartAfter: 'string', EncodingType: 'string', FetchOwner: 'any', ExpectedBucketOwner: 'string', RequestPayer: 'string' },
    required: ['Bucket'],
  },
};


export class S3SdkIntegration implements Integration {
  constructor(private readonly s3: S3Store) {}

  supports(r: ParsedResource): boolean {
    return r.service === 'aws-sdk:s3' && Object.prototype.hasOwnProperty.call(ACTIONS, r.action) && (r.pattern === 'request-response' || r.pattern === 'waitForTaskToken');
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const p = checked(r.action, req.parameters);
    try {
      return await this.run(r.action, p);
    } catch (e) {
      if (isS3Error(e)) {
        throw new StatesError(s3TaskError(e.code), `${e.message} (Service: S3, Status Code: ${e.statusCode}, Request ID: ${requestId()}, Extended Request ID: ${randomBytes(48).toString('base64')})`);
      }
      if (e instanceof InvalidS3UriError) {
        throw new StatesError(S3_UNMODELED_TASK_ERROR, `${e.message} (Service: S3, Status Code: 400, Request ID: ${requestId()})`);
      }
      throw e;
    }
  }

  private async run(action: string, p: JsonObject): Promise<JsonObject> {
    const Bucket = p['Bucket'] as string;
    const Key = p['Key'] as string;
    switch (action) {
      case 'getObject': {
        const o = await this.s3.getObject({ Bucket, Key });
        // getObject answers what headObject does, plus the body (as a string, as Step Functions gives it).
        return { AcceptRanges: 'bytes', Body: o.Body.toString('utf8'), ...objectHead(o) };
      }
      case 'headObject':
        return { AcceptRanges: 'bytes', ...objectHead(await this.s3.headObject({ Bucket, Key })) };
      case 'putObject': {
        const body = p['Body'];
        // A JSON Body is sent as its JSON text, a string as itself.
        const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        const out = await this.s3.putObject({
          Bucket,
          Key,
          Body: text,
          ...(typeof p['ContentType'] === 'string' ? { ContentType: p['ContentType'] } : {}),
          ...(isJsonObject(p['Metadata']) ? { Metadata: Object.fromEntries(Object.entries(p['Metadata']).map(([k, v]) => [k, String(v)])) } : {}),
        });
        return { ETag: out.ETag, ServerSideEncryption: 'AES256' };
      }
      case 'deleteObject':
        await this.s3.deleteObject({ Bucket, Key });
        return {};
      case 'copyObject': {
        const src = parseCopySource(p['CopySource'] as string);
        const out = await this.s3.copyObject({
          Bucket,
          Key,
          SourceBucket: src.bucket,
          SourceKey: src.key,
          ...(p['MetadataDirective'] === 'REPLACE' ? { MetadataDirective: 'REPLACE' as const } : {}),
          ...(typeof p['ContentType'] === 'string' ? { ContentType: p['ContentType'] } : {}),
          ...(isJsonObject(p['Metadata']) ? { Metadata: Object.fromEntries(Object.entries(p['Metadata']).map(([k, v]) => [k, String(v)])) } : {}),
        });
        return { CopyObjectResult: { ETag: out.CopyObjectResult.ETag, LastModified: javaInstant(out.CopyObjectResult.LastModified.getTime()) }, ServerSideEncryption: 'AES256' };
      }
      case 'listObjectsV2': {
        const out = await this.s3.listObjectsV2({
          Bucket,
          ...(typeof p['Prefix'] === 'string' ? { Prefix: p['Prefix'] } : {}),
          ...(typeof p['Delimiter'] === 'string' ? { Delimiter: p['Delimiter'] } : {}),
          ...(typeof p['MaxKeys'] === 'number' ? { MaxKeys: p['MaxKeys'] } : {}),
          ...(typeof p['ContinuationToken'] === 'string' ? { ContinuationToken: p['ContinuationToken'] } : {}),
          ...(typeof p['StartAfter'] === 'string' ? { StartAfter: p['StartAfter'] } : {}),
        });
        const result = JSON.parse(JSON.stringify(out, (_k, v: unknown) => v)) as JsonObject;
        if (Array.isArray(out.Contents)) {
          result['Contents'] = out.Contents.map((c) => ({ ETag: c.ETag, Key: c.Key, LastModified: javaInstant(c.LastModified.getTime()), Size: c.Size, StorageClass: c.StorageClass }));
        }
        return instantsAsText(result) as JsonObject;
      }
    }
    throw new Error(`unreachable: ${action}`);
  }
}

function checked(action: string, parameters: Json): JsonObject {
  if (!isJsonObject(parameters)) throw parametersRejected(parameters, 'The Parameters must be a JSON object');
  const spec = ACTIONS[action]!;
  const p: JsonObject = {};
  for (const [k, v] of Object.entries(parameters)) if (v !== null) p[k] = v;
  for (const [k, v] of Object.entries(p)) {
    const kind = Object.prototype.hasOwnProperty.call(spec.members, k) ? spec.members[k] : undefined;
    if (!kind) throw parametersRejected(parameters, `The field "${k}" is not supported by Step Functions`);
    const ok = kind === 'any' || (kind === 'string' && typeof v === 'string') || (kind === 'integer' && Number.isInteger(v)) || (kind === 'object' && isJsonObject(v));
    if (!ok) throw parametersRejected(parameters, `The value for the field '${k}' must be a ${kind === 'integer' ? 'INTEGER' : kind === 'object' ? 'OBJECT' : 'STRING'}`);
  }
  for (const k of spec.required) {
    if (p[k] === undefined) throw parametersRejected(parameters, `The field '${k}' is required but was missing`);
  }
  return p;
}

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** The object fields getObject and headObject share, in the SDK integration's shape. */
function objectHead(o: HeadObjectOutput): JsonObject {
  return {
    ContentLength: o.ContentLength,
    ContentType: o.ContentType,
    ETag: o.ETag,
    LastModified: javaInstant(o.LastModified.getTime()),
    Metadata: o.Metadata,
    ServerSideEncryption: 'AES256',
  };
}
