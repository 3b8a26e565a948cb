/**
 * After a deployment: the pipeline YAML with the deployment's values filled in (MLOPS_BUCKET,
 * MODEL_NAME, IMAGE_URI, SAGEMAKER_EXECUTION_ROLE, AWS_REGION_NAME — SFN_EXECUTION_ID stays for
 * the trigger) goes to `<model-name>/scripts/input.yaml`, where the schedule's event points, and
 * the pipeline's `scripts/` folder goes beside it, as the seed's deployspec did. The prefix mirrors
 * the folder: an object left there by an earlier upload of a file deleted since is removed, so a job
 * never runs a script that is no longer in the pipeline.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseArn } from '../core/arn.js';
import { UserError } from '../core/errors.js';
import { readUserFile } from '../core/user-file.js';
import { hasErrors, InvalidPipelineError, loadPipeline, type LoadedPipeline } from '../config/index.js';
import { deploymentPlaceholderValues, pipelineScripts, replacePlaceholders, type DeploymentValues } from '../config/index.js';
import { tarGzFiles, type ArchiveFile } from '../core/tar-gz.js';

const SOURCE_ARCHIVE = 'source.tar.gz';

export interface UploadEntry {
  key: string;
  body: Buffer;
  contentType: string;
}

export interface UploadPlan {
  bucket: string;
  /** The scripts prefix (`<model-name>/scripts/`): every object under it is one of `entries` after the upload. */
  prefix: string;
  entries: UploadEntry[];
}

/** The deployment's values, from the stack outputs `cdk deploy --outputs-file` wrote. */
export function deploymentValuesFromOutputs(outputs: Partial<Record<string, string>>, region: string): DeploymentValues {
  const need = (k: string): string => {
    const v = outputs[k];
    if (v === undefined || v === '') throw new UserError(`the stack outputs lack ${k}: was the stack deployed by this version of mlops-sfn?`, 'MISSING_OUTPUT');
    return v;
  };
  return {
    bucket: need('MlOpsBucket'),
    modelName: need('ModelName'),
    imageUri: need('ImageUri'),
    roleArn: need('SageMakerExecutionRole'),
    region,
  };
}

/** The region of an ARN such as the state machine's. */
export function regionOfArn(arn: string): string {
  const region = parseArn(arn)?.region;
  if (!region) throw new UserError(`cannot tell the region from ${JSON.stringify(arn)}`);
  return region;
}

/** The largest file of a pipeline folder uploaded with it (scripts and small assets, held in memory). */
const MAX_SCRIPT_BYTES = 512 * 1024 * 1024;

/**
 * What to upload; the pipeline is validated first, so a broken file uploads nothing. A caller that
 * has loaded the pipeline already passes it, so the file is read once.
 */
export async function planPipelineUpload(pipeline: string | LoadedPipeline, values: DeploymentValues): Promise<UploadPlan> {
  const loaded = typeof pipeline === 'string' ? await loadPipeline(pipeline) : pipeline;
  if (hasErrors(loaded.problems)) throw new InvalidPipelineError(loaded.file, loaded.problems);
  const prefix = scriptsPrefix(values.modelName);
  const filled = replacePlaceholders(loaded.yamlText, deploymentPlaceholderValues(values));
  const entries: UploadEntry[] = [{ key: `${prefix}input.yaml`, body: Buffer.from(filled, 'utf8'), contentType: 'application/yaml' }];
  const scripts: ArchiveFile[] = [];
  for (const { file, rel } of await pipelineScripts(loaded.dir)) {
    const body = await readUserFile(file, { what: 'pipeline script', maxBytes: MAX_SCRIPT_BYTES });
    scripts.push({ name: rel, body });
    entries.push({ key: `${prefix}${rel}`, body, contentType: rel.endsWith('.py') ? 'text/x-python' : 'application/octet-stream' });
  }
  // The scikit-learn container loads the inference script from SAGEMAKER_SUBMIT_DIRECTORY, which
  // the seed's YAML points at <model>/scripts/source.tar.gz.
  if (scripts.length > 0 && !scripts.some((s) => s.name === SOURCE_ARCHIVE)) {
    entries.push({ key: `${prefix}${SOURCE_ARCHIVE}`, body: tarGzFiles(scripts), contentType: 'application/gzip' });
  }
  return { bucket: values.bucket, prefix, entries };
}

export function scriptsPrefix(modelName: string): string {
  return `${modelName}/scripts/`;
}

/** Where a plan is uploaded: the real bucket (through the AWS SDK) or the local S3. */
export interface UploadTarget {
  put(entry: UploadEntry): Promise<void>;
  /** Every key under `prefix`. */
  keys(prefix: string): Promise<string[]>;
  remove(keys: string[]): Promise<void>;
}

/** Uploads the plan, then removes what else is under its prefix (files deleted from the folder since the last upload). */
export async function mirrorUpload(plan: UploadPlan, target: UploadTarget, log: (line: string) => void = () => {}): Promise<{ removed: string[] }> {
  for (const e of plan.entries) {
    await target.put(e);
    log(`upload: s3://${plan.bucket}/${e.key}`);
  }
  const planned = new Set(plan.entries.map((e) => e.key));
  const removed = (await target.keys(plan.prefix)).filter((k) => !planned.has(k));
  if (removed.length > 0) {
    await target.remove(removed);
    for (const k of removed) log(`delete: s3://${plan.bucket}/${k} (no longer in the pipeline folder)`);
  }
  return { removed };
}

/** The S3 calls uploads need, so tests can pass a recording client. */
export interface S3Sender {
  send(command: PutObjectCommand | ListObjectsV2Command | DeleteObjectsCommand): Promise<unknown>;
}

/** DeleteObjects takes at most 1,000 keys per call. */
const DELETE_BATCH = 1000;

export function sdkUploadTarget(s3: S3Sender, bucket: string): UploadTarget {
  return {
    async put(e) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: e.key, Body: e.body, ContentType: e.contentType }));
    },
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }))) as {
          Contents?: { Key?: string }[];
          IsTruncated?: boolean;
          NextContinuationToken?: string;
        };
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys;
    },
    async remove(keys) {
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const out = (await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true } }),
        )) as { Errors?: { Key?: string; Message?: string }[] };
        const failed = out?.Errors?.[0];
        if (failed) throw new UserError(`cannot delete s3://${bucket}/${failed.Key ?? ''}: ${failed.Message ?? 'DeleteObjects failed'}`, 'UPLOAD_FAILED', 1);
      }
    },
  };
}

export async function uploadPlan(plan: UploadPlan, s3: S3Sender, log: (line: string) => void = () => {}): Promise<{ removed: string[] }> {
  return mirrorUpload(plan, sdkUploadTarget(s3, plan.bucket), log);
}
