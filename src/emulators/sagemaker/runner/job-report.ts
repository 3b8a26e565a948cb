/**
 * What a job reports besides its exit: the outcome's start and end times, a training job's
 * SecondaryStatus transitions, and where the time went (JobTimings). One object per job holds this
 * state, marked at each phase by the runner, so the outcome is assembled in one place.
 */
import type { JobOutcome, JobSpec } from '../contracts.js';
import type { UploadResult } from './artifacts-upload.js';
import type { StageResult } from './s3-staging.js';
import { SecondaryStatusTracker } from './secondary-status.js';

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

/** A job's outcome before the report adds its times. */
export type Outcome = Omit<JobOutcome, 'startTime' | 'endTime'>;

/** A training job's SecondaryStatus message at each end state. */
export const TERMINAL_MESSAGES: Readonly<Record<string, string>> = {
  Completed: 'Training job completed',
  Failed: 'Training job failed',
  Stopped: 'Training job stopped',
  MaxRuntimeExceeded: 'Training job runtime exceeded MaxRuntimeInSeconds provided',
};

export class JobReport {
  /** A training job's SecondaryStatus; undefined for processing jobs, which have none. */
  readonly status: SecondaryStatusTracker | undefined;
  private readonly startTime: number;
  private readonly t0 = Date.now();
  private tLaunch = this.t0;
  private tExit = this.t0;
  private staged: StageResult = { files: 0, bytes: 0 };
  private uploaded: UploadResult = { files: 0, bytes: 0 };

  constructor(
    private readonly job: JobSpec,
    private readonly now: () => number,
    private readonly onTimings: ((job: JobSpec, timings: JobTimings) => void) | undefined,
  ) {
    this.startTime = now();
    this.status = job.kind === 'training' ? new SecondaryStatusTracker(now) : undefined;
    this.status?.to('Starting', 'Preparing the instances for training');
  }

  stagedInputs(staged: StageResult): void {
    this.staged = staged;
  }

  launching(): void {
    this.tLaunch = Date.now();
    this.tExit = this.tLaunch;
  }

  exited(): void {
    this.tExit = Date.now();
  }

  uploadedOutputs(uploaded: UploadResult): void {
    this.uploaded = uploaded;
  }

  /** The outcome with its times (and a training job's last SecondaryStatus); reports the timings. */
  finish(outcome: Outcome): JobOutcome {
    const endTime = this.now();
    let extra = outcome.extra;
    if (this.status !== undefined) {
      const secondary = outcome.status === 'Stopped' && this.status.timedOut ? 'MaxRuntimeExceeded' : outcome.status;
      this.status.to(secondary, TERMINAL_MESSAGES[secondary]);
      extra = { ...(extra ?? {}), ...this.status.toJson() };
    }
    this.reportTimings();
    return { ...outcome, ...(extra ? { extra } : {}), startTime: this.startTime, endTime };
  }

  private reportTimings(): void {
    if (this.onTimings === undefined) return;
    const tEnd = Date.now();
    this.onTimings(this.job, {
      setupMs: this.tLaunch - this.t0,
      runMs: this.tExit - this.tLaunch,
      uploadMs: tEnd - this.tExit,
      totalMs: tEnd - this.t0,
      stagedFiles: this.staged.files,
      stagedBytes: this.staged.bytes,
      uploadedFiles: this.uploaded.files,
      uploadedBytes: this.uploaded.bytes,
    });
  }
}
