/**
 * After a deployment: the pipeline YAML with the deployment's values filled in (MLOPS_BUCKET,
 * MODEL_NAME, IMAGE_URI, SAGEMAKER_EXECUTION_ROLE, AWS_REGION_NAME — SFN_EXECUTION_ID stays for
 * the trigger) goes to `<model-name>/scripts/input.yaml`, where the schedule's event points, and
 * the pipeline's `scripts/` folder goes beside it, as the seed's deployspec did.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { UserError } from '../core/errors.js';
import { readUserFile } from '../core/user-file.js';
import { hasErrors, InvalidPipelineError, loadPipeline } from '../config/index.js';
import { deploymentPlaceholderValues, replacePlaceholders, type DeploymentValues } from '../config/index.js';
import { tarGz, type ArchiveFile } from './source-archive.js';

const SOURCE_ARCHIVE = 'source.tar.gz';

export interface UploadEntry {
  key: string;
  body: Buffer;
  contentType: string;
}

export interface UploadPlan {
  bucket: string;
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
  const region = arn.split(':')[3];
  if (!region) throw new UserError(`cannot tell the region from ${JSON.stringify(arn)}`);
  return region;
}

/** The largest file of a pipeline folder uploaded with it (scripts and small assets, held in memory). */
const MAX_SCRIPT_BYTES = 512 * 1024 * 1024;

/** What to upload; the pipeline is validated first, so a broken file uploads nothing. */
export async function planPipelineUpload(pipeline: string, values: DeploymentValues): Promise<UploadPlan> {
  const loaded = await loadPipeline(pipeline);
  if (hasErrors(loaded.problems)) throw new InvalidPipelineError(loaded.file, loaded.problems);
  const prefix = `${values.modelName}/scripts`;
  const filled = replacePlaceholders(loaded.yamlText, deploymentPlaceholderValues(values));
  const entries: UploadEntry[] = [{ key: `${prefix}/input.yaml`, body: Buffer.from(filled, 'utf8'), contentType: 'application/yaml' }];
  const scripts: ArchiveFile[] = [];
  for (const { file, rel } of await pipelineScripts(loaded.dir)) {
    const body = await readUserFile(file, { what: 'pipeline script', maxBytes: MAX_SCRIPT_BYTES });
    scripts.push({ name: rel, body });
    entries.push({ key: `${prefix}/${rel}`, body, contentType: rel.endsWith('.py') ? 'text/x-python' : 'application/octet-stream' });
  }
  // The scikit-learn container loads the inference script from SAGEMAKER_SUBMIT_DIRECTORY, which
  // the seed's YAML points at <model>/scripts/source.tar.gz.
  if (scripts.length > 0 && !scripts.some((s) => s.name === SOURCE_ARCHIVE)) {
    entries.push({ key: `${prefix}/${SOURCE_ARCHIVE}`, body: tarGz(scripts), contentType: 'application/gzip' });
  }
  return { bucket: values.bucket, entries };
}

/**
 * The scripts that travel with a pipeline: its `scripts/` folder (the seed's layout), else the
 * Python files beside the pipeline file (the census example's layout).
 */
async function pipelineScripts(dir: string): Promise<{ file: string; rel: string }[]> {
  const scriptsDir = join(dir, 'scripts');
  const nested = await listFiles(scriptsDir);
  if (nested.length > 0) return nested.map((file) => ({ file, rel: relative(scriptsDir, file).split(sep).join('/') }));
  const beside = await readdir(dir, { withFileTypes: true });
  return beside
    .filter((d) => d.isFile() && d.name.endsWith('.py'))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ file: join(dir, name), rel: name }));
}

/** Regular files under `dir`, recursively, sorted; none when it does not exist. Symlinks are not followed. */
async function listFiles(dir: string): Promise<string[]> {
  let names;
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const d of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (d.name === '__pycache__') continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await listFiles(p)));
    else if (d.isFile()) out.push(p);
  }
  return out;
}

/** The one S3 call uploads need, so tests can pass a recording client. */
export interface S3Sender {
  send(command: PutObjectCommand): Promise<unknown>;
}

export async function uploadPlan(plan: UploadPlan, s3: S3Sender, log: (line: string) => void = () => {}): Promise<void> {
  for (const e of plan.entries) {
    await s3.send(new PutObjectCommand({ Bucket: plan.bucket, Key: e.key, Body: e.body, ContentType: e.contentType }));
    log(`upload: s3://${plan.bucket}/${e.key}`);
  }
}
