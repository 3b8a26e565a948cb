/**
 * The SDK-shaped clients the Lambda handlers use (src/lambda/clients.ts), answered by the local
 * services in-process: the same handler code that runs in AWS reads the pipeline from the local S3
 * and starts executions on the local engine.
 */
import type { GetObjectCommand } from '@aws-sdk/client-s3';
import type { StartExecutionCommand, StartExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { S3Store } from '../emulators/s3/index.js';
import type { ExecutionStarter, S3ObjectText, S3Reader } from '../lambda/index.js';

/** An SDK-style error: handlers branch on `name` (NoSuchKey, NoSuchBucket, ...). */
function sdkError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export function localS3Reader(s3: S3Store): S3Reader {
  return {
    async send(command: GetObjectCommand): Promise<S3ObjectText> {
      const { Bucket, Key } = command.input;
      try {
        const out = await s3.getObject({ Bucket: Bucket!, Key: Key! });
        const body = out.Body;
        return { ContentLength: body.length, Body: { transformToString: async (enc?: string) => body.toString(bufferEncoding(enc)) } };
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code) throw sdkError(code, (e as Error).message);
        throw e;
      }
    },
  };
}

/** The SDK's stream takes any encoding name TextDecoder knows; the trigger asks for utf-8. */
function bufferEncoding(enc: string | undefined): BufferEncoding {
  return enc !== undefined && Buffer.isEncoding(enc) ? enc : 'utf8';
}

/** Starts executions through a callback that owns how they run (the `run` command awaits them). */
export function localExecutionStarter(
  start: (name: string, input: string) => { executionArn: string; startDate: Date },
): ExecutionStarter {
  return {
    async send(command: StartExecutionCommand): Promise<StartExecutionCommandOutput> {
      const { name, input } = command.input;
      const started = start(name ?? '', input ?? '{}');
      return { $metadata: {}, executionArn: started.executionArn, startDate: started.startDate };
    },
  };
}
