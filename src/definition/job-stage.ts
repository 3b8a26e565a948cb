/**
 * A SageMaker job stage (processing, training, transform):
 *
 *   Check<State>         Choice on the stage's `run` flag
 *   Check<State>Cache    the cache Lambda's check: the stage's key and whether an entry with it exists
 *   Use<State>Cache      Choice: a hit is reused, a miss runs the job
 *   Reuse<State>         Pass: the cached job's description (outputs copied to this run's locations)
 *                        updates the workflow variables exactly as the job's result would
 *   <State>              the `.sync` Task that runs the job and waits for it
 *   Record<State>        the cache Lambda's record: stores the entry (a failure here only loses the entry)
 *   Retry<State>         the Wait that retries the job under a new name after a capacity error
 *
 * The Task's request is the stage's `input` from the pipeline with the job name added (and whatever
 * the stage rewrites: the trained model's URI for evaluation, the created model for batch
 * transform); the cache check gets the same request, so its key is that of the job that would run.
 */
import type { JsonObject } from '../core/json.js';
import { failureAssign, jobName, jsonata, quote, requestOf } from './jsonata.js';
import { CAPACITY_RETRY_SECONDS, LAMBDA_RETRY, SAGEMAKER_API_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { STATES_ERRORS as States } from '../core/error-catalogue.js';

/** The substitution that names the cache Lambda (its ARN differs between AWS and local runs). */
export const CACHE_FUNCTION_SUBSTITUTION = 'CacheFunctionArn';

export interface JobStage {
  /** The pipeline section, e.g. "preprocessing". */
  stage: string;
  /** The Task state's name, e.g. "Preprocessing". */
  state: string;
  /** "processing" | "training" | "transform": the Resource and the job-name field follow from it. */
  kind: 'processing' | 'training' | 'transform';
  /** Prefix of the job name before the execution name (the seed's convention), if any. */
  namePrefix?: string;
  /** Extra request fields as JSONata object fields (beyond the job name). */
  extraRequest?: string;
  /** Replaces the request expression entirely (must include the job name). */
  request?: (jobNameExpr: string) => string;
  /** What else the job's outcome depends on, for its cache key (a transform job's model request). */
  cacheModel?: string;
  /**
   * Workflow variables to set from the job's description, written with `$states.result` (the Task's
   * result); the same expressions set them from a reused job's description.
   */
  assign: JsonObject;
  /** Where to go when the stage is done or skipped. */
  next: string;
}

const KIND = {
  processing: { resource: 'arn:aws:states:::sagemaker:createProcessingJob.sync', nameField: 'ProcessingJobName', label: 'processing job' },
  training: { resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', nameField: 'TrainingJobName', label: 'training job' },
  transform: { resource: 'arn:aws:states:::sagemaker:createTransformJob.sync', nameField: 'TransformJobName', label: 'transform job' },
} as const;

export function checkStateName(state: string): string {
  return `Check${state}`;
}

export function retryStateName(state: string): string {
  return `Retry${state}`;
}

export function cacheCheckStateName(state: string): string {
  return `Check${state}Cache`;
}

export function useCacheStateName(state: string): string {
  return `Use${state}Cache`;
}

export function reuseStateName(state: string): string {
  return `Reuse${state}`;
}

export function recordStateName(state: string): string {
  return `Record${state}`;
}

/**
 * The states of the step cache and of ending a failed run, by name: progress shows them as what they
 * mean ("Evaluation reused (from ...)") rather than as work. `jobStates` are the job stages' Task names.
 */
export function bookkeepingStep(state: string, jobStates: readonly string[]): { step: 'check' | 'record' | 'fail'; state?: string } | undefined {
  if (state === STATE.pipelineFailed) return { step: 'fail' };
  for (const s of jobStates) {
    if (state === cacheCheckStateName(s)) return { step: 'check', state: s };
    if (state === recordStateName(s)) return { step: 'record', state: s };
  }
  return undefined;
}

/** The stage's cache status for the run summary: reused or ran, and why. */
export const CACHE_SUMMARY = `'Cache': {
  'status': $cache.hit = true ? 'reused' : 'ran',
  'reason': $cache.reason,
  'reusedFrom': $cache.source.execution,
  'reusedJob': $cache.source.jobName,
  'warning': $cache.warning
}`;

/** The cache's answer when the check itself failed: the job runs, nothing is recorded. */
const CHECK_FAILED = `{'hit': false, 'record': false, 'key': null, 'parts': [], 'reason': 'the cache check failed (' & $states.errorOutput.Error & '): ' & $substring($string($states.errorOutput.Cause), 0, 500)}`;

export function renderJobStage(s: JobStage): Record<string, JsonObject> {
  const k = KIND[s.kind];
  const name = jobName(s.namePrefix);
  const request = s.request
    ? s.request(name)
    : `$merge([${requestOf(s.stage)}, {${s.extraRequest ? `${s.extraRequest}, ` : ''}'${k.nameField}': ${name}}])`;
  const reuseAssign = Object.fromEntries(
    Object.entries(s.assign).map(([v, expr]) => [v, typeof expr === 'string' ? expr.split('$states.result').join('$cache.result') : expr]),
  ) as JsonObject;
  return {
    [checkStateName(s.state)]: {
      Type: 'Choice',
      Comment: `Runs the ${s.stage} stage when its run flag is true.`,
      Choices: [{ Condition: jsonata(`$config.${s.stage}.run = true`), Assign: { attempt: 0 }, Next: cacheCheckStateName(s.state) }],
      Default: s.next,
    },
    [cacheCheckStateName(s.state)]: {
      Type: 'Task',
      Comment: `Is there a cached ${s.stage} job with the same key (request, input content, code, runtime)? The cache Lambda says, and why not.`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: `\${${CACHE_FUNCTION_SUBSTITUTION}}`,
        Payload: jsonata(`{
          'step': 'check',
          'pipeline': $config.model_id,
          'stage': ${quote(s.stage)},
          'kind': '${s.kind}',
          'execution': $execution,
          'request': ${request},
          'model': ${s.cacheModel ?? 'null'},
          'settings': $config.cache,
          'stageEnabled': $config.${s.stage}.cache != false
        }`),
      },
      Assign: { cache: jsonata('$states.result.Payload') },
      Retry: LAMBDA_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: { cache: jsonata(CHECK_FAILED) }, Next: s.state }],
      Next: useCacheStateName(s.state),
    },
    [useCacheStateName(s.state)]: {
      Type: 'Choice',
      Comment: `Reuses the cached ${s.stage} job, or runs it.`,
      Choices: [{ Condition: jsonata('$cache.hit = true'), Next: reuseStateName(s.state) }],
      Default: s.state,
    },
    [reuseStateName(s.state)]: {
      Type: 'Pass',
      Comment: `The cached ${s.stage} job's description (its outputs copied to this run's locations) stands for the job's result.`,
      Assign: reuseAssign,
      Next: s.next,
    },
    [s.state]: {
      Type: 'Task',
      Comment: `The ${s.stage} stage: a SageMaker ${k.label}; waits until it ends.`,
      Resource: k.resource,
      Arguments: jsonata(request),
      Assign: s.assign,
      Retry: SAGEMAKER_API_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign(s.stage, `'${k.label} ' & ${name}`), Next: STATE.stageFailed }],
      Next: recordStateName(s.state),
    },
    [recordStateName(s.state)]: {
      Type: 'Task',
      Comment: `Stores the ${s.stage} job's cache entry: its key, its description and the objects it wrote.`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: `\${${CACHE_FUNCTION_SUBSTITUTION}}`,
        Payload: jsonata(`{'step': 'record', 'pipeline': $config.model_id, 'stage': ${quote(s.stage)}, 'kind': '${s.kind}', 'execution': $execution, 'cache': $cache, 'result': $states.input}`),
      },
      Retry: LAMBDA_RETRY,
      // The job succeeded: a cache that cannot be written must not fail the run.
      Catch: [{ ErrorEquals: [States.ALL], Next: s.next }],
      Next: s.next,
    },
    [retryStateName(s.state)]: {
      Type: 'Wait',
      Comment: `Waits before running the ${s.stage} job again after a capacity error.`,
      Seconds: jsonata(`${CAPACITY_RETRY_SECONDS} * ($attempt + 1)`),
      Assign: { attempt: jsonata('$attempt + 1') },
      Next: s.state,
    },
  };
}
