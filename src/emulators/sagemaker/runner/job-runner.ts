/**
 * The local JobRunner: runs one processing or training job, start to end, as SageMaker would run
 * its container — stage the inputs into a private /opt/ml, run the image's command under a
 * runtime profile (in a bubblewrap sandbox unless turned off), log its output, stop it on
 * MaxRuntimeInSeconds or a stop request, then upload outputs/artifacts and report the outcome.
 * Job failures are outcomes (Failed with SageMaker's FailureReason); only bugs throw.
 */
import { realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { packageFile } from '../../../core/package-root.js';
import type { JobContext, JobOutcome, JobRunner, JobSpec, TerminalJobStatus } from '../contracts.js';
import { runtimeFolders, sandboxMode, sandboxSupport, SandboxUnavailable, unsandboxedWarning, type SandboxMode, type SandboxSupport } from '../sandbox/index.js';
import { uploadFolder, uploadTrainingArtifacts, type UploadResult } from './artifacts-upload.js';
import { resolveCommand } from './container-command.js';
import { containerEnv, toHostPath } from './container-env.js';
import { readExitMessage, readFailureFile } from './container-files.js';
import { jobFolders, type JobFolders } from './container-paths.js';
import { internalError, JobAborted, JobFailure, throwIfAborted, truncateReason } from './job-failure.js';
import { LogSink } from './log-sink.js';
import { MetricCollector } from './metrics.js';
import { launch, type LaunchResult } from './process-launch.js';
import { setupProcessing, type ProcessingPlan } from './processing-setup.js';
import { bool, list, maxRuntimeSeconds, obj, str, stringMap } from './request-fields.js';
import { checkRuntime } from './runtime-check.js';
import { loadUserProfiles, selectProfile, type RuntimeProfile } from './runtime-profiles.js';
import { jobSandboxArgs, SHIM_MOUNT } from './sandbox.js';
import { stageSourceDir } from './source-dir.js';
import { SecondaryStatusTracker } from './secondary-status.js';
import { setupTraining, type TrainingPlan } from './training-setup.js';

export interface JobTimings {
  /** From run() to the command's start: folders, config files, input staging, runtime check. */
  readonly setupMs: number;
  /** The command, from spawn to exit (includes the sandbox's start, ~10 ms). */
  readonly runMs: number;
  /** Outputs / artifacts to S3 (training: archiving included). */
  readonly uploadMs: number;
  readonly totalMs: number;
  readonly stagedFiles: number;
  readonly stagedBytes: number;
  readonly uploadedFiles: number;
  readonly uploadedBytes: number;
}

export interface JobRunnerOptions {
  /** `bwrap` (default) or `none`; when absent, MLOPS_SFN_SANDBOX is read at each run (`off` turns the sandbox off). */
  readonly sandbox?: SandboxMode;
  /** The bubblewrap binary (default: `bwrap` on PATH, else /usr/bin/bwrap). */
  readonly bwrapPath?: string;
  /** Where the warning of an unsandboxed job goes besides its log (default: standard error). */
  readonly warn?: (line: string) => void;
  /** SIGTERM-to-SIGKILL grace when a job is stopped (default 120 s, as SageMaker's `docker stop -t 120`). */
  readonly stopGraceMs?: number;
  /** Runtime profiles tried before `<home>/runtimes.json` and the built-ins. */
  readonly profiles?: readonly RuntimeProfile[];
  /** Epoch milliseconds for the outcome's times (default Date.now). */
  readonly now?: () => number;
  /** Called once per job with where the time went (benchmarks, debugging). */
  readonly onTimings?: (job: JobSpec, timings: JobTimings) => void;
}

const DEFAULT_STOP_GRACE_MS = 120_000;
const TOOLKIT_SCRIPT = 'train_toolkit.py';
const PROCESSING_FAILED = 'AlgorithmError: See job logs for more information';

export function createJobRunner(options: JobRunnerOptions = {}): JobRunner {
  return { run: (job, ctx) => runJob(job, ctx, options) };
}

async function runJob(job: JobSpec, ctx: JobContext, options: JobRunnerOptions): Promise<JobOutcome> {
  const now = options.now ?? Date.now;
  const startTime = now();
  const t0 = Date.now();
  const training = job.kind === 'training';
  const status = training ? new SecondaryStatusTracker(now) : undefined;
  status?.to('Starting', 'Preparing the instances for training');
  const log = await LogSink.open(ctx.logFile);
  if (ctx.onLog) {
    const onLog = ctx.onLog;
    log.onLine((line) => onLog(line));
  }
  const folders = jobFolders(resolve(ctx.workDir));
  let staged = { files: 0, bytes: 0 };
  let uploaded: UploadResult = { files: 0, bytes: 0 };
  let tLaunch = Date.now();
  let tExit = tLaunch;
  const finish = (outcome: Omit<JobOutcome, 'startTime' | 'endTime'>): JobOutcome => {
    const endTime = now();
    let extra = outcome.extra;
    if (status !== undefined) {
      const secondary = outcome.status === 'Stopped' && status.timedOut ? 'MaxRuntimeExceeded' : outcome.status;
      status.to(secondary, TERMINAL_MESSAGES[secondary]);
      extra = { ...(extra ?? {}), ...status.toJson() };
    }
    const tEnd = Date.now();
    options.onTimings?.(job, {
      setupMs: tLaunch - t0,
      runMs: tExit - tLaunch,
      uploadMs: tEnd - tExit,
      totalMs: tEnd - t0,
      stagedFiles: staged.files,
      stagedBytes: staged.bytes,
      uploadedFiles: uploaded.files,
      uploadedBytes: uploaded.bytes,
    });
    return { ...outcome, ...(extra ? { extra } : {}), startTime, endTime };
  };

  const mode = sandboxMode(options.sandbox);
  // Whether (and how) this machine can sandbox is found out alongside the staging, once per process.
  const support: Promise<SandboxSupport> | undefined = mode === 'bwrap' ? sandboxSupport(options.bwrapPath) : undefined;
  support?.catch(() => undefined);
  try {
    throwIfAborted(ctx.signal);
    const prepared = await prepare(job, ctx, options, folders, status, mode);
    const { plan, runtimeCheck } = prepared;
    staged = plan.staged;
    throwIfAborted(ctx.signal);

    let bwrapArgs: string[] = [];
    if (support !== undefined) {
      bwrapArgs = jobSandboxArgs({
        folders,
        shimDir: prepared.shimHostDir,
        readOnlyInOptMl: training ? (plan as TrainingPlan).readOnlyChannels : [],
        runtimeFolders: prepared.runtimeFolders,
        network: !networkIsolation(job),
        cwd: '/',
        statusFd: 3,
        support: await sandboxed(support, log),
      });
    } else {
      const warning = unsandboxedWarning(`${training ? 'training' : 'processing'} job ${job.name}`);
      log.write(warning, 'stderr');
      (options.warn ?? ((l: string) => process.stderr.write(l + '\n')))(warning);
    }

    const metrics = training ? new MetricCollector(list(obj(job.request, 'AlgorithmSpecification'), 'MetricDefinitions'), now) : undefined;
    if (metrics !== undefined && !metrics.empty) log.onLine((line) => metrics.scan(line));
    status?.to('Training', 'Training image download completed. Training in progress.');
    tLaunch = Date.now();
    const result = await launch({
      mode,
      bwrapPath: (await support)?.bwrap ?? '',
      bwrapArgs,
      argv: prepared.argv,
      env: prepared.env,
      cwd: resolve(ctx.workDir),
      log,
      maxRuntimeMs: maxRuntimeSeconds(job.request) * 1000,
      stopGraceMs: options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      signal: ctx.signal,
    });
    tExit = Date.now();
    if (result.stoppedBy === 'timeout') status?.markTimedOut();
    if (result.launchFailure !== undefined || (result.exitCode !== 0 && result.stoppedBy === undefined)) await runtimeCheck;
    if (result.launchFailure !== undefined) return finish({ status: 'Failed', failureReason: result.launchFailure.failureReason });
    status?.to('Uploading', 'Uploading generated training model');
    return finish(
      training
        ? await trainingOutcome(job, ctx, folders, plan as TrainingPlan, result, metrics!, (u) => (uploaded = u))
        : await processingOutcome(ctx, folders, plan as ProcessingPlan, result, (u) => (uploaded = u)),
    );
  } catch (err) {
    if (err instanceof JobAborted) return finish({ status: 'Stopped' });
    if (err instanceof JobFailure) return finish({ status: 'Failed', failureReason: err.failureReason });
    throw err;
  } finally {
    await log.close();
  }
}

/**
 * EnableNetworkIsolation: top-level in CreateTrainingJob, under NetworkConfig in
 * CreateProcessingJob. Either cuts the job's network entirely, as on SageMaker.
 */
function networkIsolation(job: JobSpec): boolean {
  const isolated = job.kind === 'training' ? bool(job.request, 'EnableNetworkIsolation') : bool(obj(job.request, 'NetworkConfig'), 'EnableNetworkIsolation');
  return isolated === true;
}

/** The machine's sandbox support; its absence fails the job with what to install, also in the job's log. */
async function sandboxed(support: Promise<SandboxSupport>, log: LogSink): Promise<SandboxSupport> {
  try {
    return await support;
  } catch (err) {
    if (!(err instanceof SandboxUnavailable)) throw err;
    log.write(`mlops-sfn: ${err.message}`, 'stderr');
    throw internalError(err.message);
  }
}

interface Prepared {
  readonly plan: ProcessingPlan | TrainingPlan;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly shimHostDir: string;
  /** The runtime's interpreter folders outside /usr, bound read-only in the sandbox. */
  readonly runtimeFolders: readonly string[];
  /** Settles when the runtime profile's interpreter and modules are checked (rejects with what to install). */
  readonly runtimeCheck: Promise<void>;
}

/** Everything before the command starts: runtime profile, staged /opt/ml, command line, environment. */
async function prepare(
  job: JobSpec,
  ctx: JobContext,
  options: JobRunnerOptions,
  folders: JobFolders,
  status: SecondaryStatusTracker | undefined,
  mode: SandboxMode,
): Promise<Prepared> {
  const training = job.kind === 'training';
  await Promise.all([mkdir(folders.optMl, { recursive: true }), mkdir(folders.tmp, { recursive: true }), mkdir(folders.home, { recursive: true })]);
  const spec = training ? obj(job.request, 'AlgorithmSpecification') : obj(job.request, 'AppSpecification');
  const image = str(spec, training ? 'TrainingImage' : 'ImageUri');
  // A training job without a TrainingImage names an AlgorithmName, which setupTraining refuses.
  const profile = image === undefined && training ? undefined : selectProfile(image ?? '', await loadUserProfiles(ctx.home), ctx.home, options.profiles);
  // The runtime check (one Python start per profile and process) stays off the job's path: it
  // only matters if the job fails, and then its answer (what to install) replaces the job's.
  const runtimeCheck = profile ? checkRuntime(profile, ctx.home) : Promise.resolve();
  runtimeCheck.catch(() => undefined);
  status?.to('Downloading', 'Downloading input data');
  const plan: ProcessingPlan | TrainingPlan = training ? await setupTraining(job, ctx, folders) : await setupProcessing(job, ctx, folders);
  const runtime = profile!;
  const runtimeDirs = mode === 'bwrap' ? runtimeFolders(runtime.python, ctx.home) : { folders: [] };
  if ('problem' in runtimeDirs) throw internalError(`Runtime profile "${runtime.name}": ${runtimeDirs.problem}.`);
  const shimHostDir = realpathSync(dirname(packageFile('src', 'emulators', 'sagemaker', 'python', 'runner', TOOLKIT_SCRIPT)));
  const toolkit = mode === 'bwrap' ? `${SHIM_MOUNT}/${TOOLKIT_SCRIPT}` : join(shimHostDir, TOOLKIT_SCRIPT);
  const command = resolveCommand(job.kind, spec ?? {}, runtime, image ?? '', toolkit);
  const requestEnv = stringMap(job.request, 'Environment');
  const env = containerEnv({ kind: job.kind, jobName: job.name, jobArn: job.arn, region: ctx.region, profile: runtime, requestEnv, mode, folders });
  let argv = command.argv;
  if (command.scriptMode) {
    const archive = await stageSourceDir({
      s3: ctx.s3,
      hyperParameters: (plan as TrainingPlan).hyperParameters,
      env: requestEnv,
      folders,
      mode,
      region: ctx.region,
      roleArn: str(job.request, 'RoleArn') ?? '',
    });
    if (archive !== undefined) argv = [...argv, '--source-archive', archive];
  }
  if (mode === 'none') argv = argv.map((a) => toHostPath(a, folders.optMl));
  return { plan, argv, env, shimHostDir, runtimeCheck, runtimeFolders: runtimeDirs.folders };
}

const TERMINAL_MESSAGES: Record<string, string> = {
  Completed: 'Training job completed',
  Failed: 'Training job failed',
  Stopped: 'Training job stopped',
  MaxRuntimeExceeded: 'Training job runtime exceeded MaxRuntimeInSeconds provided',
};

/** SageMaker's reason when MaxRuntimeInSeconds stops a job (wording inferred, not recorded). */
function maxRuntimeReason(kind: 'processing' | 'training'): string {
  return kind === 'training' ? TERMINAL_MESSAGES['MaxRuntimeExceeded'] : 'Processing job runtime exceeded MaxRuntimeInSeconds provided';
}

type Outcome = Omit<JobOutcome, 'startTime' | 'endTime'>;

function statusOf(result: LaunchResult): TerminalJobStatus {
  if (result.stoppedBy !== undefined) return 'Stopped';
  return result.exitCode === 0 ? 'Completed' : 'Failed';
}

async function processingOutcome(
  ctx: JobContext,
  folders: JobFolders,
  plan: ProcessingPlan,
  result: LaunchResult,
  report: (u: UploadResult) => void,
): Promise<Outcome> {
  const status = statusOf(result);
  let failureReason: string | undefined;
  if (status === 'Failed') failureReason = PROCESSING_FAILED;
  if (result.stoppedBy === 'timeout') failureReason = maxRuntimeReason('processing');
  let exitMessage: string | undefined;
  try {
    exitMessage = await readExitMessage(folders.optMl, join(folders.optMl, 'output', 'message'));
  } catch (err) {
    if (!(err instanceof JobFailure)) throw err;
    return { status: 'Failed', failureReason: err.failureReason };
  }
  const totals = { files: 0, bytes: 0 };
  try {
    for (const o of plan.outputs) {
      const r = await uploadFolder(ctx.s3, folders.optMl, o.dir, o.uri, `output "${o.name}"`);
      totals.files += r.files;
      totals.bytes += r.bytes;
    }
  } catch (err) {
    if (!(err instanceof JobFailure)) throw err;
    report(totals);
    // An upload failure fails a job that otherwise completed; an earlier failure or stop stands.
    if (status === 'Completed') return { status: 'Failed', failureReason: err.failureReason, ...(exitMessage !== undefined ? { exitMessage } : {}) };
  }
  report(totals);
  return {
    status,
    ...(failureReason !== undefined ? { failureReason } : {}),
    ...(exitMessage !== undefined ? { exitMessage } : {}),
  };
}

async function trainingOutcome(
  job: JobSpec,
  ctx: JobContext,
  folders: JobFolders,
  plan: TrainingPlan,
  result: LaunchResult,
  metrics: MetricCollector,
  report: (u: UploadResult) => void,
): Promise<Outcome> {
  const status = statusOf(result);
  let failureReason: string | undefined;
  if (status === 'Failed') {
    const text = (await readFailureFile(folders.optMl, join(folders.optMl, 'output', 'failure'))) ?? '';
    failureReason = truncateReason(`AlgorithmError: ${text}, exit code: ${result.exitCode}`);
  }
  if (result.stoppedBy === 'timeout') failureReason = maxRuntimeReason('training');
  const finalMetricDataList = metrics.final();
  const extras = finalMetricDataList.length > 0 ? { finalMetricDataList } : {};
  let s3ModelArtifacts: string | undefined;
  try {
    const up = await uploadTrainingArtifacts(ctx.s3, job.request, job.name, folders);
    if (up !== undefined) {
      s3ModelArtifacts = up.s3ModelArtifacts;
      report(up);
    }
    if (plan.checkpoint !== undefined) await uploadFolder(ctx.s3, folders.optMl, plan.checkpoint.dir, plan.checkpoint.uri, 'checkpoints');
  } catch (err) {
    if (!(err instanceof JobFailure)) throw err;
    if (status === 'Completed') return { status: 'Failed', failureReason: err.failureReason, ...extras };
  }
  return {
    status,
    ...(failureReason !== undefined ? { failureReason } : {}),
    ...extras,
    ...(s3ModelArtifacts !== undefined ? { s3ModelArtifacts } : {}),
  };
}
