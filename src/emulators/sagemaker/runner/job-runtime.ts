/**
 * The one place a job's image becomes a local runtime: the image URI selects a runtime profile
 * (the interpreter that stands for the image's Python, its ENV, ENTRYPOINT/CMD, whether `train` is
 * the training toolkit), and the profile plus the request give the command the container runs
 * (the entry contract: Docker's rules in container-command.ts, script mode's source archive).
 * A new kind of runtime (another framework, a built-in algorithm) plugs in here.
 */
import { join } from 'node:path';
import type { JobContext, JobSpec } from '../contracts.js';
import { resolveCommand } from './container-command.js';
import { toHostPath } from './container-env.js';
import type { JobFolders } from './container-paths.js';
import { obj, str } from './request-fields.js';
import { checkRuntime, resolveRuntime, type RuntimeProfile } from '../runtimes/index.js';
import { runtimeFailure } from './job-failure.js';
import { SHIM_MOUNT, type SandboxMode } from './sandbox.js';
import { stageSourceDir } from './source-dir.js';

/** The runner's script-mode shim (python/runner/), SageMaker's training toolkit stand-in. */
export const TOOLKIT_SCRIPT = 'train_toolkit.py';

export interface JobRuntime {
  /** AppSpecification (processing) or AlgorithmSpecification (training). */
  readonly spec: Record<string, unknown> | undefined;
  readonly image: string | undefined;
  /**
   * Undefined only for a training job that names an AlgorithmName instead of a TrainingImage,
   * which the training setup refuses before anything runs.
   */
  readonly profile: RuntimeProfile | undefined;
  /**
   * Settles when the profile's interpreter and modules are checked (rejects with what to install).
   * It stays off the job's path (one Python start per profile and process): it only matters if
   * the job fails, and then its answer replaces the job's.
   */
  readonly check: Promise<void>;
}

/** The runtime profile for the job's image (`extra`, then the user's runtimes.json, then the built-in table). */
export async function chooseRuntime(job: JobSpec, home: string, extra: readonly RuntimeProfile[] | undefined): Promise<JobRuntime> {
  const training = job.kind === 'training';
  const spec = training ? obj(job.request, 'AlgorithmSpecification') : obj(job.request, 'AppSpecification');
  const image = str(spec, training ? 'TrainingImage' : 'ImageUri');
  const profile = image === undefined && training ? undefined : await resolveRuntime(image ?? '', home, extra).catch(runtimeFailure);
  const check = profile ? checkRuntime(profile, home).catch(runtimeFailure) : Promise.resolve();
  check.catch(() => undefined);
  return { spec, image, profile, check };
}

export interface CommandContext {
  readonly job: JobSpec;
  readonly ctx: JobContext;
  readonly runtime: JobRuntime;
  readonly profile: RuntimeProfile;
  readonly folders: JobFolders;
  readonly mode: SandboxMode;
  /** The host folder of the runner's Python shims. */
  readonly shimHostDir: string;
  /** The request's Environment (script mode also reads SAGEMAKER_SUBMIT_DIRECTORY from it). */
  readonly requestEnv: Readonly<Record<string, string>>;
  /** Training hyperparameters (script mode reads sagemaker_submit_directory); empty for processing. */
  readonly hyperParameters: Readonly<Record<string, string>>;
}

export interface ContainerCommand {
  readonly argv: string[];
  /** Training's script mode (the toolkit shim runs the entry point from /opt/ml/code). */
  readonly scriptMode: boolean;
  /** Script mode's source archive as staged on the host (the shim unpacks it into /opt/ml/code). */
  readonly sourceArchive?: string;
}

/** The container's argv as this machine runs it: script mode's archive staged, /opt/ml paths mapped without a sandbox. */
export async function containerArgv(c: CommandContext): Promise<ContainerCommand> {
  const toolkit = c.mode === 'bwrap' ? `${SHIM_MOUNT}/${TOOLKIT_SCRIPT}` : join(c.shimHostDir, TOOLKIT_SCRIPT);
  const command = resolveCommand(c.job.kind, c.runtime.spec ?? {}, c.profile, c.runtime.image ?? '', toolkit);
  let argv = command.argv;
  let sourceArchive: string | undefined;
  if (command.scriptMode) {
    const archive = await stageSourceDir({
      s3: c.ctx.s3,
      hyperParameters: c.hyperParameters,
      env: c.requestEnv,
      folders: c.folders,
      mode: c.mode,
      region: c.ctx.region,
      roleArn: str(c.job.request, 'RoleArn') ?? '',
    });
    if (archive !== undefined) {
      argv = [...argv, '--source-archive', archive];
      sourceArchive = c.mode === 'bwrap' ? join(c.folders.tmp, archive.slice('/tmp/'.length)) : archive;
    }
  }
  if (c.mode === 'none') argv = argv.map((a) => toHostPath(a, c.folders.optMl));
  return { argv, scriptMode: command.scriptMode, ...(sourceArchive !== undefined ? { sourceArchive } : {}) };
}
