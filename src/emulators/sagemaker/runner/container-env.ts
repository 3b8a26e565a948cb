/**
 * The container's environment, and nothing else from the runner's own: the image's ENV (from the
 * runtime profile, with PATH and HOME as Docker sets them), the request's Environment over it,
 * then what the platform adds: AWS_REGION/AWS_DEFAULT_REGION for every job (so boto3 finds a
 * region), TRAINING_JOB_NAME/TRAINING_JOB_ARN for training. Processing gets no SM_* variables
 * beyond the image's own; script mode's SM_* are computed by the toolkit shim, as in SageMaker.
 *
 * Without a sandbox the job's /opt/ml is a real folder elsewhere: SAGEMAKER_BASE_DIR names it
 * (the SageMaker toolkits honour it), values that are /opt/ml paths are rewritten to it, and TMPDIR
 * points at the job's private temp folder.
 */
import { dirname } from 'node:path';
import { CONTAINER_OPT_ML, type JobFolders } from './container-paths.js';
import type { RuntimeProfile } from '../runtimes/index.js';
import type { SandboxMode } from './sandbox.js';

export interface ContainerEnvOptions {
  readonly kind: 'processing' | 'training';
  readonly jobName: string;
  readonly jobArn: string;
  readonly region: string;
  readonly profile: RuntimeProfile;
  readonly requestEnv: Readonly<Record<string, string>>;
  readonly mode: SandboxMode;
  readonly folders: JobFolders;
}

export function containerEnv(o: ContainerEnvOptions): Record<string, string> {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  env['PATH'] = pathWithPython(o.profile);
  env['HOME'] = o.mode === 'bwrap' ? '/root' : o.folders.home;
  Object.assign(env, o.profile.env);
  Object.assign(env, o.requestEnv);
  env['AWS_REGION'] ??= o.region;
  env['AWS_DEFAULT_REGION'] ??= o.region;
  if (o.kind === 'training') {
    env['TRAINING_JOB_NAME'] = o.jobName;
    env['TRAINING_JOB_ARN'] = o.jobArn;
  }
  if (o.mode === 'none') {
    for (const [k, v] of Object.entries(env)) env[k] = toHostPath(v, o.folders.optMl);
    env['SAGEMAKER_BASE_DIR'] = o.folders.optMl;
    env['TMPDIR'] = o.folders.tmp;
  }
  return { ...env };
}

function pathWithPython(profile: RuntimeProfile): string {
  const dir = dirname(profile.python);
  const parts = profile.path.split(':').filter((p) => p !== '');
  return parts.includes(dir) ? parts.join(':') : [dir, ...parts].join(':');
}

/** `/opt/ml/x` -> `<optMl>/x` for a job without a sandbox; other values unchanged. */
export function toHostPath(value: string, optMl: string): string {
  if (value === CONTAINER_OPT_ML) return optMl;
  if (value.startsWith(CONTAINER_OPT_ML + '/')) return optMl + value.slice(CONTAINER_OPT_ML.length);
  return value;
}
