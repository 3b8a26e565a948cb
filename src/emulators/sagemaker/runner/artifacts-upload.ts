/**
 * After the container exits: processing outputs (EndOfJob; Continuous is uploaded at the end too)
 * are copied to their S3Uri keeping relative paths, symlinks not followed; a training job's
 * /opt/ml/model becomes `<S3OutputPath>/<job>/output/model.tar.gz` (or files under .../model/
 * with CompressionType NONE), /opt/ml/output/data becomes .../output/output.tar.gz, and
 * checkpoints go back to their S3Uri. Uploads happen whatever the end state (SageMaker uploads
 * what a stopped job saved; for failed jobs it is not documented and SageMaker's local mode
 * uploads too), so a failed job's partial output can be inspected.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '../../../core/json.js';
import { tarGzFolder } from '../../../core/tar-gz.js';
import { S3Error } from '../../s3/index.js';
import type { S3Store } from '../../s3/index.js';
import { joinKey, uploadDirectory } from '../../s3/index.js';
import { formatS3Uri } from '../../s3/index.js';
import { resolvesInside, type JobFolders } from './container-paths.js';
import { clientError, internalError } from './job-failure.js';
import { obj, str } from './request-fields.js';
import { parseUri } from './s3-staging.js';

export interface UploadResult {
  readonly files: number;
  readonly bytes: number;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function uploadFailure(what: string, uri: string, err: unknown): unknown {
  if (err instanceof S3Error) return clientError(`Failed to upload ${what} to ${uri}: ${err.code}: ${err.message}`);
  return err;
}

async function assertInside(optMl: string, dir: string, what: string): Promise<void> {
  if (!(await resolvesInside(optMl, dir))) {
    throw clientError(`Cannot upload ${what}: its folder was replaced by a link that leads outside /opt/ml`);
  }
}

/** Uploads a folder under an S3 URI; a missing folder uploads nothing. */
export async function uploadFolder(s3: S3Store, optMl: string, dir: string, uri: string, what: string): Promise<UploadResult> {
  const loc = parseUri(uri, what);
  if (!(await isDir(dir))) return { files: 0, bytes: 0 };
  await assertInside(optMl, dir, what);
  try {
    const files = await uploadDirectory(s3, { dir, bucket: loc.bucket, prefix: loc.key });
    return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
  } catch (err) {
    throw uploadFailure(what, uri, err);
  }
}

export interface TrainingUpload extends UploadResult {
  readonly s3ModelArtifacts: string;
}

/** Where the model lands: known before the upload (ModelArtifacts is a required Describe field). */
export function modelArtifactsUri(request: JsonObject, jobName: string): string | undefined {
  const out = obj(request, 'OutputDataConfig');
  const path = str(out, 'S3OutputPath');
  if (path === undefined) return undefined;
  const loc = parseUri(path, 'OutputDataConfig.S3OutputPath');
  const prefix = joinKey(loc.key, `${jobName}/output`);
  return str(out, 'CompressionType') === 'NONE' ? formatS3Uri(loc.bucket, prefix + '/model/') : formatS3Uri(loc.bucket, prefix + '/model.tar.gz');
}

export async function uploadTrainingArtifacts(s3: S3Store, request: JsonObject, jobName: string, folders: JobFolders): Promise<TrainingUpload | undefined> {
  const out = obj(request, 'OutputDataConfig');
  const path = str(out, 'S3OutputPath');
  if (path === undefined) return undefined;
  const loc = parseUri(path, 'OutputDataConfig.S3OutputPath');
  const prefix = joinKey(loc.key, `${jobName}/output`);
  await mkdir(folders.artifacts, { recursive: true });
  let files = 0;
  let bytes = 0;
  const putArchive = async (dir: string, name: string): Promise<void> => {
    const file = join(folders.artifacts, name);
    await mkdir(dir, { recursive: true });
    await assertInside(folders.optMl, dir, name);
    try {
      await tarGzFolder(dir, file);
    } catch (err) {
      throw internalError(`Cannot archive ${dir} into ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const uri = formatS3Uri(loc.bucket, `${prefix}/${name}`);
    try {
      const res = await s3.putObjectFromFile({ Bucket: loc.bucket, Key: `${prefix}/${name}`, FilePath: file });
      files++;
      bytes += res.Size;
    } catch (err) {
      throw uploadFailure(name, uri, err);
    }
  };
  const modelDir = join(folders.optMl, 'model');
  if (str(out, 'CompressionType') === 'NONE') {
    const r = await uploadFolder(s3, folders.optMl, modelDir, formatS3Uri(loc.bucket, prefix + '/model/'), 'the model');
    files += r.files;
    bytes += r.bytes;
  } else {
    await putArchive(modelDir, 'model.tar.gz');
  }
  await putArchive(join(folders.optMl, 'output', 'data'), 'output.tar.gz');
  return { files, bytes, s3ModelArtifacts: modelArtifactsUri(request, jobName)! };
}
