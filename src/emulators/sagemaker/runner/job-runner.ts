/**
 * The local JobRunner: runs one processing or training job, start to end, as SageMaker would run
 * its container — stage the inputs into a private /opt/ml (job-prepare.ts), run the image's command
 * under a runtime profile (job-runtime.ts) in a bubblewrap sandbox unless turned off (sandbox.ts,
 * process-launch.ts), log its output, stop it on MaxRuntimeInSeconds or a stop request, then upload
 * outputs/artifacts and report the outcome (job-outcome.ts, job-report.ts).
 * Job failures are outcomes (Failed with SageMaker's FailureReason); only bugs throw.
 */
import { resolve } from 'node:path';
import type { JobContext, JobOutcome, JobRunner, JobSpec } from '../contracts.js';
import { sandboxMode, sandboxSupport, unsandboxedWarning, type SandboxMode, type SandboxSupport } from '../sandbox/index.js';
import { jobFolders, type JobFolders } from './container-paths.js';
import { JobAborted, JobFailure, throwIfAborted } from './job-failure.js';
import { processingEnd, trainingEnd, type EndResult } from './job-outcome.js';
import { prepareJob, type PreparedJob } from './job-prepare.js';
import { JobReport, type JobTimings } from './job-report.js';
import { LogSink } from './log-sink.js';
import { MetricCollector } from './metrics.js';
import { launch, type LaunchResult } from './process-launch.js';
import { list, maxRuntimeSeconds, obj } from './request-fields.js';
import type { RuntimeProfile } from '../runtimes/index.js';
import { installJobRequirements, withLayer } from './job-requirements.js';
import { jobSandboxArgs, networkIsolation, requireSandbox } from './sandbox.js';

export type { JobTimings } from './job-report.js';

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
  /** This machine's environment, for pip's settings when a job installs requirements.txt (default process.env). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_STOP_GRACE_MS = 120_000;

export function createJobRunner(options: JobRunnerOptions = {}): JobRunner {
  return { run: (job, ctx) => runJob(job, ctx, options) };
}

async function runJob(job: JobSpec, ctx: JobContext, options: JobRunnerOptions): Promise<JobOutcome> {
  const report = new JobReport(job, options.now ?? Date.now, options.onTimings);
  const log = await LogSink.open(ctx.logFile);
  if (ctx.onLog) {
    const onLog = ctx.onLog;
    log.onLine((line) => onLog(line));
  }
  const folders = jobFolders(resolve(ctx.workDir));
  const mode = sandboxMode(options.sandbox);
  // Whether (and how) this machine can sandbox is found out alongside the staging, once per process.
  const support: Promise<SandboxSupport> | undefined = mode === 'bwrap' ? sandboxSupport(options.bwrapPath) : undefined;
  support?.catch(() => undefined);
  try {
    throwIfAborted(ctx.signal);
    const prepared = await prepareJob(job, ctx, { folders, mode, status: report.status, profiles: options.profiles });
    report.stagedInputs(prepared.staged.plan.staged);
    throwIfAborted(ctx.signal);
    const sandbox = support !== undefined ? await requireSandbox(support, log) : undefined;
    const layer = await installJobRequirements(job, ctx, prepared, { folders, mode, support: sandbox, log, ...(options.hostEnv ? { hostEnv: options.hostEnv } : {}) });
    throwIfAborted(ctx.signal);
    const bwrapArgs = await sandboxArgsFor(job, prepared, folders, support, log, options, layer?.hostDir);
    const metrics = job.kind === 'training' ? watchMetrics(job, prepared.runtime.profile, log, options.now ?? Date.now) : undefined;
    report.status?.to('Training', 'Training image download completed. Training in progress.');
    report.launching();
    const result = await launch({
      mode,
      bwrapPath: (await support)?.bwrap ?? '',
      bwrapArgs,
      argv: prepared.argv,
      env: layer !== undefined ? withLayer(prepared.env, layer, mode) : prepared.env,
      cwd: resolve(ctx.workDir),
      log,
      maxRuntimeMs: maxRuntimeSeconds(job.request) * 1000,
      stopGraceMs: options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      signal: ctx.signal,
    });
    report.exited();
    if (result.stoppedBy === 'timeout') report.status?.markTimedOut();
    // A command that failed may have failed for want of the runtime: its check's answer replaces the job's.
    if (result.launchFailure !== undefined || (result.exitCode !== 0 && result.stoppedBy === undefined)) await prepared.runtime.check;
    if (result.launchFailure !== undefined) return report.finish({ status: 'Failed', failureReason: result.launchFailure.failureReason });
    report.status?.to('Uploading', 'Uploading generated training model');
    const end = await jobEnd(job, ctx, folders, prepared, result, metrics);
    report.uploadedOutputs(end.uploaded);
    return report.finish(end.outcome);
  } catch (err) {
    if (err instanceof JobAborted) return report.finish({ status: 'Stopped' });
    if (err instanceof JobFailure) return report.finish({ status: 'Failed', failureReason: err.failureReason });
    throw err;
  } finally {
    await log.close();
  }
}

/** The job's bwrap arguments; without a sandbox, none, and the warning goes to the log and to `warn`. */
async function sandboxArgsFor(
  job: JobSpec,
  prepared: PreparedJob,
  folders: JobFolders,
  support: Promise<SandboxSupport> | undefined,
  log: LogSink,
  options: JobRunnerOptions,
  requirementsLayer: string | undefined,
): Promise<string[]> {
  if (support === undefined) {
    const warning = unsandboxedWarning(`${job.kind} job ${job.name}`);
    log.write(warning, 'stderr');
    (options.warn ?? ((l: string) => process.stderr.write(l + '\n')))(warning);
    return [];
  }
  return jobSandboxArgs({
    folders,
    shimDir: prepared.shimHostDir,
    readOnlyInOptMl: prepared.staged.kind === 'training' ? prepared.staged.plan.readOnlyChannels : [],
    runtimeFolders: prepared.runtimeFolders,
    network: !networkIsolation(job),
    ...(requirementsLayer !== undefined ? { requirementsLayer } : {}),
    cwd: '/',
    statusFd: 3,
    support: await requireSandbox(support, log),
  });
}

/**
 * A training job's MetricDefinitions, matched on its log lines as they arrive; on SageMaker's own
 * algorithm images (XGBoost), the image's definitions, which the request may not override.
 */
function watchMetrics(job: JobSpec, profile: RuntimeProfile | undefined, log: LogSink, now: () => number): MetricCollector {
  const requested = list(obj(job.request, 'AlgorithmSpecification'), 'MetricDefinitions');
  const builtin = (profile?.metricDefinitions ?? []).map((m) => ({ Name: m.Name, Regex: m.Regex }));
  const metrics = new MetricCollector(requested.length > 0 ? requested : builtin, now);
  if (!metrics.empty) log.onLine((line) => metrics.scan(line));
  return metrics;
}

function jobEnd(job: JobSpec, ctx: JobContext, folders: JobFolders, prepared: PreparedJob, result: LaunchResult, metrics: MetricCollector | undefined): Promise<EndResult> {
  const staged = prepared.staged;
  if (staged.kind === 'processing') return processingEnd(ctx, folders, staged.plan, result);
  return trainingEnd(job, ctx, folders, staged.plan, result, metrics);
}
