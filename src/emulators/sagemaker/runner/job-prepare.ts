/**
 * Everything before a job's command starts: its runtime chosen, its /opt/ml staged (inputs,
 * config files, output folders), the command line and the environment, and the folders its
 * sandbox binds. Failures here are JobFailures (the job ends Failed with SageMaker's reason).
 */
import { mkdir } from 'node:fs/promises';
import type { JobContext, JobSpec } from '../contracts.js';
import { containerEnv } from './container-env.js';
import type { JobFolders } from './container-paths.js';
import { internalError } from './job-failure.js';
import { chooseRuntime, containerArgv, type JobRuntime } from './job-runtime.js';
import { setupProcessing, type ProcessingPlan } from './processing-setup.js';
import { stringMap } from './request-fields.js';
import type { RuntimeProfile } from '../runtimes/index.js';
import { jobRuntimeFolders, shimHostDir, type SandboxMode } from './sandbox.js';
import type { SecondaryStatusTracker } from './secondary-status.js';
import { setupTraining, type TrainingPlan } from './training-setup.js';

/** The staged /opt/ml, by job kind. */
export type StagedJob = { readonly kind: 'processing'; readonly plan: ProcessingPlan } | { readonly kind: 'training'; readonly plan: TrainingPlan };

export interface PreparedJob {
  readonly staged: StagedJob;
  readonly runtime: JobRuntime;
  readonly argv: string[];
  /** Training's script mode, and its staged source archive (host path) when the code came as one. */
  readonly scriptMode: boolean;
  readonly sourceArchive?: string;
  readonly env: Record<string, string>;
  /** Host folder of the runner's Python shims (bound read-only in the sandbox). */
  readonly shimHostDir: string;
  /** The runtime's interpreter folders outside /usr, bound read-only in the sandbox. */
  readonly runtimeFolders: readonly string[];
}

export interface PrepareOptions {
  readonly folders: JobFolders;
  readonly mode: SandboxMode;
  readonly status: SecondaryStatusTracker | undefined;
  /** Runtime profiles tried before `<home>/runtimes.json` and the built-ins. */
  readonly profiles: readonly RuntimeProfile[] | undefined;
}

export async function prepareJob(job: JobSpec, ctx: JobContext, o: PrepareOptions): Promise<PreparedJob> {
  const { folders, mode } = o;
  await Promise.all([mkdir(folders.optMl, { recursive: true }), mkdir(folders.tmp, { recursive: true }), mkdir(folders.home, { recursive: true })]);
  const runtime = await chooseRuntime(job, ctx.home, o.profiles);
  o.status?.to('Downloading', 'Downloading input data');
  const staged: StagedJob =
    job.kind === 'training' ? { kind: 'training', plan: await setupTraining(job, ctx, folders) } : { kind: 'processing', plan: await setupProcessing(job, ctx, folders) };
  // The training setup refuses a job without an image (the one case without a profile) first.
  const profile = runtime.profile;
  if (profile === undefined) throw internalError(`No runtime profile for job ${job.name}.`);
  const runtimeFolders = jobRuntimeFolders(profile, mode, ctx.home);
  const shims = shimHostDir();
  const requestEnv = stringMap(job.request, 'Environment');
  const env = containerEnv({ kind: job.kind, jobName: job.name, jobArn: job.arn, region: ctx.region, profile, requestEnv, mode, folders });
  const command = await containerArgv({
    job,
    ctx,
    runtime,
    profile,
    folders,
    mode,
    shimHostDir: shims,
    requestEnv,
    hyperParameters: staged.kind === 'training' ? staged.plan.hyperParameters : {},
  });
  return {
    staged,
    runtime,
    argv: command.argv,
    scriptMode: command.scriptMode,
    ...(command.sourceArchive !== undefined ? { sourceArchive: command.sourceArchive } : {}),
    env,
    shimHostDir: shims,
    runtimeFolders,
  };
}
