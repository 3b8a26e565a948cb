/**
 * A job's end, once its command has exited: the end state and SageMaker's FailureReason, the
 * ExitMessage, and the outputs (processing) or model artifacts and checkpoints (training) uploaded
 * whatever the end state. An upload failure fails a job that otherwise completed; an earlier
 * failure or stop stands.
 */
import { join } from 'node:path';
import type { JobContext, JobSpec, TerminalJobStatus } from '../contracts.js';
import { uploadFolder, uploadTrainingArtifacts, type UploadResult } from './artifacts-upload.js';
import { readExitMessage, readFailureFile } from './container-files.js';
import type { JobFolders } from './container-paths.js';
import { JobFailure, truncateReason } from './job-failure.js';
import { TERMINAL_MESSAGES, type Outcome } from './job-report.js';
import type { MetricCollector } from './metrics.js';
import type { LaunchResult } from './process-launch.js';
import type { ProcessingPlan } from './processing-setup.js';
import type { TrainingPlan } from './training-setup.js';

const PROCESSING_FAILED = 'AlgorithmError: See job logs for more information';

/** The outcome and what was uploaded (for the job's timings). */
export interface EndResult {
  readonly outcome: Outcome;
  readonly uploaded: UploadResult;
}

/** SageMaker's reason when MaxRuntimeInSeconds stops a job (wording inferred, not recorded). */
function maxRuntimeReason(kind: 'processing' | 'training'): string {
  return kind === 'training' ? TERMINAL_MESSAGES['MaxRuntimeExceeded'] : 'Processing job runtime exceeded MaxRuntimeInSeconds provided';
}

function statusOf(result: LaunchResult): TerminalJobStatus {
  if (result.stoppedBy !== undefined) return 'Stopped';
  return result.exitCode === 0 ? 'Completed' : 'Failed';
}

/** The outcome with those of `fields` that are set (an absent field is left out, not undefined). */
function withOptional(base: Outcome, fields: Pick<Outcome, 'failureReason' | 'exitMessage'>): Outcome {
  return {
    ...base,
    ...(fields.failureReason !== undefined ? { failureReason: fields.failureReason } : {}),
    ...(fields.exitMessage !== undefined ? { exitMessage: fields.exitMessage } : {}),
  };
}

export async function processingEnd(ctx: JobContext, folders: JobFolders, plan: ProcessingPlan, result: LaunchResult): Promise<EndResult> {
  const status = statusOf(result);
  let failureReason: string | undefined;
  if (status === 'Failed') failureReason = PROCESSING_FAILED;
  if (result.stoppedBy === 'timeout') failureReason = maxRuntimeReason('processing');
  let exitMessage: string | undefined;
  try {
    exitMessage = await readExitMessage(folders.optMl, join(folders.optMl, 'output', 'message'));
  } catch (err) {
    if (!(err instanceof JobFailure)) throw err;
    return { outcome: { status: 'Failed', failureReason: err.failureReason }, uploaded: { files: 0, bytes: 0 } };
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
    if (status === 'Completed') return { outcome: withOptional({ status: 'Failed', failureReason: err.failureReason }, { exitMessage }), uploaded: totals };
  }
  return { outcome: withOptional({ status }, { failureReason, exitMessage }), uploaded: totals };
}

export async function trainingEnd(
  job: JobSpec,
  ctx: JobContext,
  folders: JobFolders,
  plan: TrainingPlan,
  result: LaunchResult,
  metrics: MetricCollector | undefined,
): Promise<EndResult> {
  const status = statusOf(result);
  let failureReason: string | undefined;
  if (status === 'Failed') {
    const text = (await readFailureFile(folders.optMl, join(folders.optMl, 'output', 'failure'))) ?? '';
    failureReason = truncateReason(`AlgorithmError: ${text}, exit code: ${result.exitCode}`);
  }
  if (result.stoppedBy === 'timeout') failureReason = maxRuntimeReason('training');
  const finalMetricDataList = metrics?.final() ?? [];
  const extras = finalMetricDataList.length > 0 ? { finalMetricDataList } : {};
  let s3ModelArtifacts: string | undefined;
  let uploaded: UploadResult = { files: 0, bytes: 0 };
  try {
    const up = await uploadTrainingArtifacts(ctx.s3, job.request, job.name, folders);
    if (up !== undefined) {
      s3ModelArtifacts = up.s3ModelArtifacts;
      uploaded = up;
    }
    if (plan.checkpoint !== undefined) await uploadFolder(ctx.s3, folders.optMl, plan.checkpoint.dir, plan.checkpoint.uri, 'checkpoints');
  } catch (err) {
    if (!(err instanceof JobFailure)) throw err;
    if (status === 'Completed') return { outcome: { status: 'Failed', failureReason: err.failureReason, ...extras }, uploaded };
  }
  return {
    outcome: { status, ...(failureReason !== undefined ? { failureReason } : {}), ...extras, ...(s3ModelArtifacts !== undefined ? { s3ModelArtifacts } : {}) },
    uploaded,
  };
}
