/**
 * Retry policies. Step Functions reports a SageMaker API call that was throttled or refused as
 * `SageMaker.AmazonSageMakerException` (optimised integrations; AWS's own SageMaker samples retry
 * it, with `ThrottlingException`), and an account quota reached as
 * `SageMaker.ResourceLimitExceededException` (retried more slowly: running jobs must finish first).
 * AWS SDK integrations name errors `SageMaker.<Name>Exception`; unmodelled ones (throttling among
 * them) arrive as `SageMaker.SageMakerException`. Lambda's transient errors are AWS's recommended set.
 *
 * A job that *ran* and failed for lack of capacity ("CapacityError: ...") is a job failure
 * (States.TaskFailed), not an API error: failure-states.ts retries it under a new job name.
 */
import type { JsonObject } from '../core/json.js';
import { LAMBDA_TASK_ERRORS, sageMakerTaskError } from '../core/error-catalogue.js';

export const SAGEMAKER_API_RETRY: JsonObject[] = [
  {
    ErrorEquals: ['ThrottlingException', sageMakerTaskError('AmazonSageMakerException')],
    IntervalSeconds: 5,
    MaxAttempts: 6,
    BackoffRate: 1.5,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: [sageMakerTaskError('ResourceLimitExceededException')],
    IntervalSeconds: 60,
    MaxAttempts: 10,
    BackoffRate: 1.5,
    MaxDelaySeconds: 600,
    JitterStrategy: 'FULL',
  },
];

/** For AWS SDK calls whose "not found"/"already exists" answers are expected: throttling only. */
export const SAGEMAKER_SDK_THROTTLE_RETRY: JsonObject[] = [
  {
    ErrorEquals: [sageMakerTaskError('ThrottlingException'), 'ThrottlingException'],
    IntervalSeconds: 5,
    MaxAttempts: 6,
    BackoffRate: 1.5,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

/** For AWS SDK calls that should simply succeed (registry updates, endpoint polling). */
export const SAGEMAKER_SDK_RETRY: JsonObject[] = [
  {
    ErrorEquals: [sageMakerTaskError('ThrottlingException'), 'ThrottlingException', sageMakerTaskError('SageMakerException')],
    IntervalSeconds: 5,
    MaxAttempts: 5,
    BackoffRate: 1.5,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

export const LAMBDA_RETRY: JsonObject[] = [
  {
    ErrorEquals: [LAMBDA_TASK_ERRORS.Service, LAMBDA_TASK_ERRORS.AWSLambda, LAMBDA_TASK_ERRORS.SdkClient, LAMBDA_TASK_ERRORS.TooManyRequests],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/** A job that failed with this in its FailureReason is retried under a new name. */
export const CAPACITY_ERROR = 'CapacityError';
/** How many times a job is retried after a capacity error, and the base wait between tries. */
export const CAPACITY_RETRIES = 2;
export const CAPACITY_RETRY_SECONDS = 120;
