/**
 * The SageMaker integrations of the local engine, both over the local SageMakerService:
 *  - the optimized integration `arn:aws:states:::sagemaker:<action>[.sync]`, with the patterns Step
 *    Functions offers for each action (jobs: request-response and `.sync`; models, endpoint configs and
 *    endpoints: request-response only). Request-response returns the Create response; `.sync` waits
 *    for the job and returns its Describe response with epoch-ms timestamps and the `Tags` map Step
 *    Functions adds. API errors are `SageMaker.<Java v1 exception>` with the SDK's cause text; a job that
 *    ends Failed or Stopped fails the task with States.TaskFailed and the Describe JSON as cause.
 *  - the AWS SDK integration `arn:aws:states:::aws-sdk:sagemaker:<action>` for every action the service
 *    implements: output as the SDK returns it, errors `SageMaker.<Java v2 exception>`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { StatesError, States } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import {
  isSageMakerError,
  requestShape,
  sfnParameterProblem,
  withoutNulls,
  type JobKind,
  type SageMakerService,
} from '../emulators/sagemaker/service/index.js';
import { apiName, instantsAsText, parametersRejected } from './aws-sdk-output.js';
import type { Integration } from './integration.js';
import type { IntegrationPattern, ParsedResource } from './resource-arn.js';
import { sageMakerTaskError } from '../core/error-catalogue.js';

interface OptimizedAction {
  api: string;
  patterns: readonly IntegrationPattern[];
  /** For `.sync`: the job kind to wait on and the request member naming it. */
  job?: { kind: JobKind; nameField: string };
}

const OPTIMIZED: Record<string, OptimizedAction> = {
  createProcessingJob: { api: 'CreateProcessingJob', patterns: ['request-response', 'sync'], job: { kind: 'processing-job', nameField: 'ProcessingJobName' } },
  createTrainingJob: { api: 'CreateTrainingJob', patterns: ['request-response', 'sync'], job: { kind: 'training-job', nameField: 'TrainingJobName' } },
  createTransformJob: { api: 'CreateTransformJob', patterns: ['request-response', 'sync'], job: { kind: 'transform-job', nameField: 'TransformJobName' } },
  createModel: { api: 'CreateModel', patterns: ['request-response'] },
  createEndpointConfig: { api: 'CreateEndpointConfig', patterns: ['request-response'] },
  createEndpoint: { api: 'CreateEndpoint', patterns: ['request-response'] },
  updateEndpoint: { api: 'UpdateEndpoint', patterns: ['request-response'] },
};

const STOP: Record<JobKind, string> = { 'processing-job': 'StopProcessingJob', 'training-job': 'StopTrainingJob', 'transform-job': 'StopTransformJob' };

export interface SageMakerIntegrationOptions {
  /** The engine's clock: a `.sync` wait holds virtual time still while the job runs for real. */
  clock?: Clock;
}

export class SageMakerIntegration implements Integration {
  constructor(
    private readonly service: SageMakerService,
    private readonly opts: SageMakerIntegrationOptions = {},
  ) {}

  supports(r: ParsedResource): boolean {
    const a = r.service === 'sagemaker' ? OPTIMIZED[r.action] : undefined;
    return a !== undefined && Object.prototype.hasOwnProperty.call(OPTIMIZED, r.action) && a.patterns.includes(r.pattern);
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const action = OPTIMIZED[r.action]!;
    const params = checkedParameters(action.api, req.parameters);
    if (r.pattern === 'sync' && action.job) {
      // Step Functions tags the jobs it runs, which is how it finds their state-change events.
      const executionArn = String((req.context['Execution'] as JsonObject | undefined)?.['Id'] ?? '');
      const tags = Array.isArray(params['Tags']) ? [...params['Tags']] : [];
      tags.push({ Key: 'MANAGED_BY_AWS', Value: 'STARTED_BY_STEP_FUNCTIONS' }, { Key: 'AWS_STEP_FUNCTIONS_EXECUTION_ARN', Value: executionArn });
      params['Tags'] = tags;
    }
    if (r.pattern === 'sync' && action.job && req.resumed) {
      // Started before the process that ran the execution ended: never a second job by that name.
      try {
        this.service.resumeJob(action.job.kind, params);
      } catch (e) {
        callOptimizedError(e);
      }
      // The Create response (replayed when it was recorded before the process ended).
      req.submitted?.({ [action.api.replace('Create', '') + 'Arn']: this.service.arnOf(action.job.kind, params[action.job.nameField] as string) });
      return this.runJob(action.job.kind, params[action.job.nameField] as string, req.signal);
    }
    const created = callOptimized(this.service, action.api, params);
    if (r.pattern !== 'sync' || !action.job) return created;
    req.submitted?.(created);
    return this.runJob(action.job.kind, params[action.job.nameField] as string, req.signal);
  }

  private async runJob(kind: JobKind, name: string, signal: AbortSignal): Promise<Json> {
    const release = this.opts.clock?.hold();
    let d: JsonObject | undefined;
    try {
      d = await this.service.waitFor(kind, name, signal);
    } catch (e) {
      // The task timed out or the execution stopped: Step Functions makes a best-effort StopXJob call.
      if (signal.aborted) {
        try {
          this.service.call(STOP[kind], { [nameField(kind)]: name });
        } catch {
          /* best effort, as in AWS */
        }
      }
      throw e;
    } finally {
      release?.();
    }
    if (!d) throw new StatesError(States.TaskFailed, `The ${kind.replace('-', ' ')} ${name} no longer exists.`);
    const result: JsonObject = { ...d, Tags: tagMap(this.service.tagsOf(kind, name)) };
    const status = d[statusField(kind)];
    if (status !== 'Completed') throw new StatesError(States.TaskFailed, JSON.stringify(result));
    return result;
  }
}

export class SageMakerSdkIntegration implements Integration {
  constructor(private readonly service: SageMakerService) {}

  supports(r: ParsedResource): boolean {
    return r.service === 'aws-sdk:sagemaker' && this.service.has(apiName(r.action)) && (r.pattern === 'request-response' || r.pattern === 'waitForTaskToken');
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const api = apiName(r.action);
    const params = checkedParameters(api, req.parameters);
    try {
      return instantsAsText(this.service.call(api, params));
    } catch (e) {
      if (isSageMakerError(e)) {
        throw new StatesError(sageMakerTaskError(e.javaV2Exception), `${e.message} (Service: SageMaker, Status Code: ${e.statusCode}, Request ID: ${randomUUID()})`);
      }
      throw e;
    }
  }
}

/** Step Functions' own checks of the Parameters (member names and JSON types), nulls removed. */
function checkedParameters(api: string, parameters: Json): JsonObject {
  if (!isJsonObject(parameters)) throw parametersRejected(parameters, 'The Parameters must be a JSON object');
  const params = withoutNulls(parameters);
  const shape = requestShape(api);
  const problem = shape && sfnParameterProblem(shape, params);
  if (problem) throw parametersRejected(parameters, problem.reason);
  return params;
}

function callOptimized(service: SageMakerService, api: string, params: JsonObject): JsonObject {
  try {
    return service.call(api, params);
  } catch (e) {
    return callOptimizedError(e);
  }
}

/** A SageMaker API error as the optimized integration reports it (Java v1 exception names). */
function callOptimizedError(e: unknown): never {
  if (isSageMakerError(e)) {
      throw new StatesError(
        sageMakerTaskError(e.javaV1Exception),
        `${e.message} (Service: AmazonSageMaker; Status Code: ${e.statusCode}; Error Code: ${e.code}; Request ID: ${randomUUID()}; Proxy: null)`,
      );
  }
  throw e;
}

function tagMap(tags: Json[]): JsonObject {
  const out: JsonObject = {};
  for (const t of tags) if (isJsonObject(t) && typeof t['Key'] === 'string') out[t['Key']] = (t['Value'] as Json) ?? '';
  return out;
}

function statusField(kind: JobKind): string {
  return kind === 'processing-job' ? 'ProcessingJobStatus' : kind === 'training-job' ? 'TrainingJobStatus' : 'TransformJobStatus';
}

function nameField(kind: JobKind): string {
  return kind === 'processing-job' ? 'ProcessingJobName' : kind === 'training-job' ? 'TrainingJobName' : 'TransformJobName';
}
