/**
 * Shared by the runner's tests: a throwaway home with a local S3 store, job contexts, requests on
 * the scikit-learn image, and a tiny tar writer/reader (archives built and inspected in-process,
 * including malicious ones no well-behaved tool would write).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { JsonObject } from '../../src/core/json.js';
import { S3Store } from '../../src/emulators/s3/store.js';
import type { JobContext, JobSpec } from '../../src/emulators/sagemaker/contracts.js';

export const SKLEARN_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
export const ROLE = 'arn:aws:iam::111111111111:role/SageMakerRole';
export const BUCKET = 'mlops-bucket';

export interface TestHome {
  readonly home: string;
  readonly s3: S3Store;
  context(jobName: string, extra?: Partial<JobContext>): JobContext;
  put(key: string, body: string | Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  keys(prefix?: string): Promise<string[]>;
  cleanup(): void;
}

/** `base` defaults to the OS temp folder; the sandbox hides homes outside /tmp, which tests can ask for. */
export async function testHome(base = tmpdir()): Promise<TestHome> {
  const home = mkdtempSync(join(base, 'smrunner-test-'));
  const s3 = new S3Store(join(home, 's3'), { fsync: false });
  await s3.createBucket({ Bucket: BUCKET });
  return {
    home,
    s3,
    context: (jobName, extra = {}) => ({
      home,
      workDir: join(home, 'sagemaker', 'jobs', jobName),
      logFile: join(home, 'logs', `${jobName}.log`),
      s3,
      region: 'us-east-1',
      accountId: '111111111111',
      signal: new AbortController().signal,
      ...extra,
    }),
    put: async (key, body) => {
      await s3.putObject({ Bucket: BUCKET, Key: key, Body: body });
    },
    get: async (key) => (await s3.getObject({ Bucket: BUCKET, Key: key })).Body,
    keys: async (prefix = '') => {
      const out: string[] = [];
      for await (const o of s3.listAll(BUCKET, prefix)) out.push(o.Key);
      return out;
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function processingJob(name: string, request: JsonObject): JobSpec {
  return {
    kind: 'processing',
    name,
    arn: `arn:aws:sagemaker:us-east-1:111111111111:processing-job/${name}`,
    request: {
      ProcessingJobName: name,
      RoleArn: ROLE,
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      ...request,
      AppSpecification: { ImageUri: SKLEARN_IMAGE, ...((request['AppSpecification'] as JsonObject | undefined) ?? {}) },
    },
  };
}

export function trainingJob(name: string, request: JsonObject): JobSpec {
  return {
    kind: 'training',
    name,
    arn: `arn:aws:sagemaker:us-east-1:111111111111:training-job/${name}`,
    request: {
      TrainingJobName: name,
      RoleArn: ROLE,
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/models/` },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      ...request,
      AlgorithmSpecification: {
        TrainingImage: SKLEARN_IMAGE,
        TrainingInputMode: 'File',
        ...((request['AlgorithmSpecification'] as JsonObject | undefined) ?? {}),
      },
    },
  };
}

export function s3Input(name: string, uri: string, localPath: string, extra: JsonObject = {}): JsonObject {
  return { InputName: name, S3Input: { S3Uri: uri, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File', ...extra } };
}

export function s3Output(name: string, uri: string, localPath: string): JsonObject {
  return { OutputName: name, S3Output: { S3Uri: uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' } };
}

export function channel(name: string, uri: string, extra: JsonObject = {}): JsonObject {
  return { ChannelName: name, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' } }, ...extra };
}

export interface TarEntry {
  readonly name: string;
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'fifo';
  readonly content?: string;
  readonly linkname?: string;
  readonly mode?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** A ustar archive, gzipped; names up to 100 bytes. */
export function makeTarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = Buffer.from(type === 'file' ? (e.content ?? '') : '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write(octal(e.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100, 'ascii');
    h.write(octal(0, 8), 108, 'ascii');
    h.write(octal(0, 8), 116, 'ascii');
    h.write(octal(body.length, 12), 124, 'ascii');
    h.write(octal(1_700_000_000, 12), 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write({ file: '0', hardlink: '1', symlink: '2', chardev: '3', dir: '5', fifo: '6' }[type], 156, 'ascii');
    if (e.linkname) h.write(e.linkname, 157, 100, 'utf8');
    h.write('ustar\u000000', 257, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export interface TarMember {
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly uid: number;
}

/** Reads a .tar.gz (ustar/GNU headers, no long names) into its members. */
export function readTarGz(data: Buffer): TarMember[] {
  const tar = gunzipSync(data);
  const out: TarMember[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (start: number, len: number): string => h.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const posix = h.subarray(257, 263).toString('latin1') === 'ustar\0';
    const prefix = posix ? field(345, 155) : '';
    const name = (prefix ? prefix + '/' : '') + field(0, 100);
    out.push({ name, type: field(156, 1) || '0', content: tar.subarray(off + 512, off + 512 + size).toString('utf8'), uid: parseInt(field(108, 8).trim() || '0', 8) });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
