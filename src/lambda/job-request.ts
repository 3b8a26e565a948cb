/**
 * What step caching needs to know about a SageMaker job request (CreateProcessingJob,
 * CreateTrainingJob, CreateTransformJob) — and equally about the Describe* answer of the job it
 * started, which repeats the same fields: the job's name, its S3 inputs and where each appears in
 * the container, its entry point, its image, and its output locations.
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';

export type JobKind = 'processing' | 'training' | 'transform';

export const JOB_KINDS: readonly JobKind[] = ['processing', 'training', 'transform'];

/** The request field that names the job, by kind. */
export const JOB_NAME_FIELD: Record<JobKind, string> = {
  processing: 'ProcessingJobName',
  training: 'TrainingJobName',
  transform: 'TransformJobName',
};

/** One S3 input of a job: its URI, how SageMaker reads it and, when files appear in the container, where. */
export interface JobInput {
  /** The input's name in the request (InputName, ChannelName, "transform input", a hyperparameter). */
  name: string;
  uri: string;
  /** S3Prefix: every object whose key starts with the URI's key; else the one object (a manifest, an archive). */
  prefix: boolean;
  /** The folder the objects appear in inside the container, if any. */
  localPath?: string;
}

/** One output location of a job: its name and the S3 "folder" the job writes under. */
export interface JobOutput {
  name: string;
  uri: string;
}

const obj = (v: Json | undefined): JsonObject | undefined => (isJsonObject(v) ? v : undefined);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** The job name the request or description carries. */
export function jobNameOf(kind: JobKind, request: JsonObject): string | undefined {
  return str(request[JOB_NAME_FIELD[kind]]);
}

/** The S3 inputs of a job request, in request order. */
export function jobInputs(kind: JobKind, request: JsonObject): JobInput[] {
  const out: JobInput[] = [];
  if (kind === 'processing') {
    for (const i of list(request['ProcessingInputs'])) {
      const s3 = obj(obj(i)?.['S3Input']);
      const uri = str(s3?.['S3Uri']);
      if (!s3 || !uri) continue;
      const localPath = str(s3['LocalPath']);
      out.push({ name: str(obj(i)?.['InputName']) ?? uri, uri, prefix: s3['S3DataType'] !== 'ManifestFile', ...(localPath ? { localPath } : {}) });
    }
  } else if (kind === 'training') {
    for (const c of list(request['InputDataConfig'])) {
      const channel = str(obj(c)?.['ChannelName']) ?? '';
      const s3 = obj(obj(obj(c)?.['DataSource'])?.['S3DataSource']);
      const uri = str(s3?.['S3Uri']);
      if (!s3 || !uri) continue;
      out.push({ name: channel, uri, prefix: s3['S3DataType'] === undefined || s3['S3DataType'] === 'S3Prefix', localPath: `/opt/ml/input/data/${channel}` });
    }
    // Script mode: the SDK passes the code archive as a (JSON-quoted) hyperparameter.
    const hp = obj(request['HyperParameters']);
    const dir = unquote(str(hp?.['sagemaker_submit_directory']));
    if (dir?.startsWith('s3://')) out.push({ name: 'sagemaker_submit_directory', uri: dir, prefix: false });
  } else {
    const s3 = obj(obj(obj(request['TransformInput'])?.['DataSource'])?.['S3DataSource']);
    const uri = str(s3?.['S3Uri']);
    if (s3 && uri) out.push({ name: 'TransformInput', uri, prefix: s3['S3DataType'] !== 'ManifestFile' });
  }
  return out;
}

/**
 * Where the job writes: each processing output; a training job's `<S3OutputPath>/<job name>/`
 * (model.tar.gz and output.tar.gz); a transform job's S3OutputPath.
 */
export function jobOutputs(kind: JobKind, request: JsonObject): JobOutput[] {
  if (kind === 'processing') {
    return list(obj(request['ProcessingOutputConfig'])?.['Outputs']).flatMap((o) => {
      const uri = str(obj(obj(o)?.['S3Output'])?.['S3Uri']);
      return uri ? [{ name: str(obj(o)?.['OutputName']) ?? uri, uri: folder(uri) }] : [];
    });
  }
  if (kind === 'training') {
    const path = str(obj(request['OutputDataConfig'])?.['S3OutputPath']);
    const name = jobNameOf(kind, request);
    return path && name ? [{ name: 'model', uri: `${folder(path)}${name}/` }] : [];
  }
  const path = str(obj(request['TransformOutput'])?.['S3OutputPath']);
  return path ? [{ name: 'TransformOutput', uri: folder(path) }] : [];
}

/** The image the job runs (a built-in algorithm's name stands for its image). */
export function jobImage(kind: JobKind, request: JsonObject): string | undefined {
  if (kind === 'processing') return str(obj(request['AppSpecification'])?.['ImageUri']);
  if (kind === 'training') {
    const a = obj(request['AlgorithmSpecification']);
    return str(a?.['TrainingImage']) ?? str(a?.['AlgorithmName']);
  }
  return undefined;
}

/**
 * The Python entry point's path inside the container: the first `*.py` word of the container's
 * entry point and arguments, or script mode's `sagemaker_program` inside the code channel.
 */
export function jobEntryPoint(kind: JobKind, request: JsonObject): string | undefined {
  const spec = kind === 'processing' ? obj(request['AppSpecification']) : kind === 'training' ? obj(request['AlgorithmSpecification']) : undefined;
  const words = [...list(spec?.['ContainerEntrypoint']), ...list(spec?.['ContainerArguments'])].filter((w): w is string => typeof w === 'string');
  const script = words.find((w) => w.startsWith('/') && w.endsWith('.py'));
  if (script) return script;
  if (kind === 'training') {
    const program = unquote(str(obj(request['HyperParameters'])?.['sagemaker_program']));
    if (program?.endsWith('.py')) return `/opt/ml/input/data/code/${program}`;
  }
  return undefined;
}

/** "s3://b/a/b" and "s3://b/a/b/" both mean the folder "s3://b/a/b/". */
export function folder(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The SDK writes script-mode hyperparameters as JSON strings ("\"train.py\""). */
function unquote(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'string') return parsed;
    } catch {
      /* not JSON: the value itself */
    }
  }
  return v;
}
