/**
 * Script mode's code: `sagemaker_submit_directory` (or SAGEMAKER_SUBMIT_DIRECTORY) names an S3
 * tar.gz (what the SageMaker SDK uploads) or an S3 prefix. A prefix is staged straight into
 * /opt/ml/code; an archive is downloaded into the job's /tmp and unpacked by the toolkit shim
 * inside the sandbox, which refuses members that would leave /opt/ml/code (as the toolkit
 * downloads and extracts it inside the container).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Store } from '../../s3/index.js';
import { writeObjectToFile } from '../../s3/index.js';
import { isS3Uri } from '../../s3/index.js';
import type { JobFolders } from './container-paths.js';
import { clientError } from './job-failure.js';
import { parseUri, stageS3Input } from './s3-staging.js';
import type { SandboxMode } from './sandbox.js';

/** A hyperparameter as the toolkit reads it: JSON-decoded when it parses, else the raw string. */
export function decodeHyperParameter(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export interface SourceDirOptions {
  readonly s3: S3Store;
  readonly hyperParameters: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly folders: JobFolders;
  readonly mode: SandboxMode;
  readonly region: string;
  readonly roleArn: string;
}

/** Stages the code; returns the archive's path as the shim sees it, if there is one to unpack. */
export async function stageSourceDir(o: SourceDirOptions): Promise<string | undefined> {
  const fromHp = o.hyperParameters['sagemaker_submit_directory'];
  const decoded = fromHp !== undefined ? decodeHyperParameter(fromHp) : o.env['SAGEMAKER_SUBMIT_DIRECTORY'];
  if (typeof decoded !== 'string' || !isS3Uri(decoded)) return undefined;
  const loc = parseUri(decoded, 'sagemaker_submit_directory');
  if (loc.key !== '' && !loc.key.endsWith('/') && (await o.s3.objectExists({ Bucket: loc.bucket, Key: loc.key }))) {
    const name = loc.key.slice(loc.key.lastIndexOf('/') + 1);
    if (name === '.' || name === '..') throw clientError(`sagemaker_submit_directory ${decoded} does not name an archive`);
    const dir = join(o.folders.tmp, 'mlops-sfn-source');
    await mkdir(dir, { recursive: true });
    await writeObjectToFile(o.s3, loc.bucket, loc.key, join(dir, name));
    return o.mode === 'bwrap' ? `/tmp/mlops-sfn-source/${name}` : join(dir, name);
  }
  await stageS3Input(o.s3, {
    uri: decoded,
    dataType: 'S3Prefix',
    dir: join(o.folders.optMl, 'code'),
    allowEmpty: false,
    what: 'sagemaker_submit_directory',
    region: o.region,
    roleArn: o.roleArn,
  });
  return undefined;
}
