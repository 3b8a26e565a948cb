/**
 * The step cache Lambda's S3 client (src/lambda/clients.ts `CacheStorage`), answered in-process by
 * the local S3: the handler that lists, reads, writes and copies objects in AWS does the same here.
 */
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseCopySource, type S3Store } from '../emulators/s3/index.js';
import type { CacheStorage } from '../lambda/index.js';

/** An SDK-style error: handlers branch on `name` (NoSuchKey, NoSuchBucket, ...). */
function sdkError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  const err = new Error((e as Error).message);
  err.name = code;
  return err;
}

export function localCacheStorage(s3: S3Store): CacheStorage {
  const send = async (command: unknown): Promise<unknown> => {
    try {
      if (command instanceof ListObjectsV2Command) {
        const i = command.input;
        const out = await s3.listObjectsV2({
          Bucket: i.Bucket!,
          ...(i.Prefix !== undefined ? { Prefix: i.Prefix } : {}),
          ...(i.ContinuationToken !== undefined ? { ContinuationToken: i.ContinuationToken } : {}),
          ...(i.MaxKeys !== undefined ? { MaxKeys: i.MaxKeys } : {}),
        });
        return { $metadata: {}, ...out };
      }
      if (command instanceof GetObjectCommand) {
        const out = await s3.getObject({ Bucket: command.input.Bucket!, Key: command.input.Key! });
        const body = out.Body;
        return {
          $metadata: {},
          ContentLength: body.length,
          ETag: out.ETag,
          Body: { transformToString: async (enc?: string) => body.toString((enc as BufferEncoding) ?? 'utf8'), transformToByteArray: async () => new Uint8Array(body) },
        };
      }
      if (command instanceof PutObjectCommand) {
        const i = command.input;
        const body = typeof i.Body === 'string' ? Buffer.from(i.Body) : i.Body instanceof Uint8Array ? Buffer.from(i.Body) : undefined;
        if (body === undefined) throw new Error('the local cache storage writes string or byte bodies only');
        const out = await s3.putObject({ Bucket: i.Bucket!, Key: i.Key!, Body: body, ...(i.ContentType ? { ContentType: i.ContentType } : {}) });
        return { $metadata: {}, ETag: out.ETag };
      }
      if (command instanceof CopyObjectCommand) {
        const source = parseCopySource(command.input.CopySource!);
        const out = await s3.copyObject({ Bucket: command.input.Bucket!, Key: command.input.Key!, SourceBucket: source.bucket, SourceKey: source.key });
        return { $metadata: {}, CopyObjectResult: out.CopyObjectResult };
      }
    } catch (e) {
      throw sdkError(e);
    }
    throw new Error(`the local cache storage does not answer ${(command as object).constructor.name}`);
  };
  return { send } as unknown as CacheStorage;
}
