/**
 * The SDK clients the handlers use, narrowed to the commands they send. Real AWS SDK v3 clients
 * satisfy these types; so do clients configured for the local S3 and engine (an `endpoint` option),
 * and so do test fakes that implement `send` for these commands. This is the seam that lets the
 * same handler code run in AWS and locally.
 */
import type { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type {
  SendTaskFailureCommand,
  SendTaskFailureCommandOutput,
  SendTaskSuccessCommand,
  SendTaskSuccessCommandOutput,
  StartExecutionCommand,
  StartExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import type { PublishCommand, PublishCommandOutput } from '@aws-sdk/client-sns';

/**
 * What the trigger reads of a GetObject answer. The SDK's GetObjectCommandOutput has it (its Body
 * is a stream with `transformToString`); a local reader answers just this, with nothing to pretend.
 */
export interface S3ObjectText {
  ContentLength?: number;
  Body?: { transformToString(encoding?: string): Promise<string> };
}

export interface S3Reader {
  send(command: GetObjectCommand): Promise<S3ObjectText>;
}

/** What the step cache reads of a GetObject answer: the bytes (code it follows imports in, entries). */
export interface S3ObjectBytes {
  ContentLength?: number;
  Body?: { transformToByteArray(): Promise<Uint8Array> };
}

/** What the step cache reads of a ListObjectsV2 page. */
export interface S3ListPage {
  Contents?: { Key?: string; ETag?: string; Size?: number; LastModified?: Date }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

/** What the step cache does in S3: list inputs and outputs, read code and entries, write entries, copy outputs. */
export interface CacheStorage {
  send(command: GetObjectCommand): Promise<S3ObjectBytes>;
  send(command: ListObjectsV2Command): Promise<S3ListPage>;
  send(command: PutObjectCommand): Promise<unknown>;
  send(command: CopyObjectCommand): Promise<unknown>;
}

export interface ExecutionStarter {
  send(command: StartExecutionCommand): Promise<StartExecutionCommandOutput>;
}

export interface TaskCallbacks {
  send(command: SendTaskSuccessCommand): Promise<SendTaskSuccessCommandOutput>;
  send(command: SendTaskFailureCommand): Promise<SendTaskFailureCommandOutput>;
}

export interface Publisher {
  send(command: PublishCommand): Promise<PublishCommandOutput>;
}

/** The name of an SDK error (`NoSuchKey`, `ExecutionAlreadyExists`, ...), or undefined. */
export function awsErrorName(e: unknown): string | undefined {
  return e !== null && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}

/** The value of a required environment variable, or an error naming it. */
export function requiredEnv(env: Readonly<Record<string, string | undefined>>, name: string, what: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new Error(`The environment variable ${name} (${what}) is not set; the deployment sets it`);
  return v;
}
