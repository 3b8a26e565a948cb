/**
 * A job that cannot run (bad input location, unsupported mode, missing runtime) is not a bug: it
 * ends Failed with a FailureReason, as SageMaker reports it. Setup code throws `JobFailure` and the
 * runner turns it into the outcome; anything else escaping is a bug.
 *
 * SageMaker prefixes reasons with the side at fault: `ClientError:` for the request or its data,
 * `AlgorithmError:` for the container, `InternalServerError:` for the platform (here: the local
 * sandbox or tools this machine lacks).
 */
import { RuntimeUnavailable } from '../runtimes/index.js';

export type FailureKind = 'ClientError' | 'AlgorithmError' | 'InternalServerError';

/** SageMaker caps FailureReason at 1,024 characters. */
export const MAX_FAILURE_REASON_CHARS = 1024;

export class JobFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'JobFailure';
  }

  get failureReason(): string {
    return truncateReason(this.message);
  }
}

export function clientError(detail: string): JobFailure {
  return new JobFailure('ClientError', detail);
}

export function internalError(detail: string): JobFailure {
  return new JobFailure('InternalServerError', detail);
}

/** A runtime that cannot run the image (unmapped, or missing here) fails the job with the runtime's reason. */
export function runtimeFailure(err: unknown): never {
  if (err instanceof RuntimeUnavailable) throw new JobFailure(err.kind, err.message);
  throw err;
}

export function truncateReason(reason: string): string {
  return reason.length <= MAX_FAILURE_REASON_CHARS ? reason : reason.slice(0, MAX_FAILURE_REASON_CHARS);
}

/** Thrown between setup steps when the job's signal was aborted: the job ends Stopped. */
export class JobAborted extends Error {
  constructor() {
    super('The job was stopped');
    this.name = 'JobAborted';
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new JobAborted();
}
