/**
 * The SDK-shaped clients the Lambda handlers use (src/lambda/clients.ts), answered by the local
 * services in-process: the same handler code that runs in AWS reads the pipeline from the local S3
 * and starts executions on the local engine.
 */
import type { GetObjectCommand, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { StartExecutionCommand, StartExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { S3Store } from '../emulators/s3/index.js';
import type { ExecutionStarter, S3Reader } from '../lambda/index.js';

/** An SDK-style error: handlers branch on `name` (NoSuchKey, NoSuchBucket, ...). */
function sdkError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export function localS3Reader(s3: S3Store): S3Reader {
  return {
    async send(command: GetObjectCommand): Promise<GetObjectCommandOutput> {
      const { Bucket, Key } = command.input;
      try {
        const out = await s3.getObject({ Bucket: Bucket!, Key: Key! });
        const body = out.Body;
        return {
          $metadata: {},
          ContentLength: body.length,
          Body: { transformToString: async (enc?: string) => body.toString((enc as BufferEncoding) ?? 'utf8') },
        } as unknown as GetObjectCommandOutput;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code) throw sdkError(code, (e as Error).message);
        throw e;
      }
    },
  };
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
