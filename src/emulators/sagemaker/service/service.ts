/**
 * The local SageMaker service: SageMaker's API semantics (validation, names, errors, Describe shapes,
 * lifecycles) over the local store, with jobs run by the JobRunner and endpoints served by Hosting.
 * Every action takes the API request (JSON, PascalCase) and returns the API response; failures throw
 * SageMakerError with SageMaker's error code and message.
 */
import type { Json, JsonObject } from '../../../core/json.js';
import type { CapturedExchange } from '../capture/index.js';
import type { JobKind, ResourceKind } from './arns.js';
import { ServiceCore, type SageMakerServiceOptions } from './core.js';
import { EndpointOperations, type AdoptedEndpoint } from './endpoints.js';
import { validationError } from './errors.js';
import { JobOperations, type ResumedJob } from './jobs.js';
import { settleOrphans, type SettledOrphan } from './orphans.js';
import { ModelRegistry } from './registry.js';
import { TagOperations } from './tags.js';

/** The actions `call` dispatches, by their API names. */
export const SAGEMAKER_ACTIONS = [
  'CreateProcessingJob',
  'DescribeProcessingJob',
  'ListProcessingJobs',
  'StopProcessingJob',
  'CreateTrainingJob',
  'DescribeTrainingJob',
  'ListTrainingJobs',
  'StopTrainingJob',
  'CreateTransformJob',
  'DescribeTransformJob',
  'ListTransformJobs',
  'StopTransformJob',
  'CreateModel',
  'DescribeModel',
  'DeleteModel',
  'ListModels',
  'CreateEndpointConfig',
  'DescribeEndpointConfig',
  'DeleteEndpointConfig',
  'ListEndpointConfigs',
  'CreateEndpoint',
  'UpdateEndpoint',
  'DescribeEndpoint',
  'DeleteEndpoint',
  'ListEndpoints',
  'CreateModelPackageGroup',
  'DescribeModelPackageGroup',
  'ListModelPackageGroups',
  'CreateModelPackage',
  'DescribeModelPackage',
  'ListModelPackages',
  'UpdateModelPackage',
  'AddTags',
  'ListTags',
  'DeleteTags',
] as const;

export type SageMakerAction = (typeof SAGEMAKER_ACTIONS)[number];

export type { SageMakerServiceOptions, AdoptedEndpoint, SettledOrphan };

export class SageMakerService {
  private readonly core: ServiceCore;
  private readonly jobs: JobOperations;
  private readonly endpoints: EndpointOperations;
  private readonly registry: ModelRegistry;
  private readonly table: Record<SageMakerAction, (req: Json) => JsonObject>;

  constructor(opts: SageMakerServiceOptions) {
    this.core = new ServiceCore(opts);
    this.jobs = new JobOperations(this.core);
    this.endpoints = new EndpointOperations(this.core);
    this.registry = new ModelRegistry(this.core);
    const j = this.jobs;
    const e = this.endpoints;
    const r = this.registry;
    const t = new TagOperations(this.core);
    this.table = {
      CreateProcessingJob: (q) => j.createProcessingJob(q),
      DescribeProcessingJob: (q) => j.describe('processing-job', q),
      ListProcessingJobs: (q) => j.list('processing-job', q),
      StopProcessingJob: (q) => j.stop('processing-job', q),
      CreateTrainingJob: (q) => j.createTrainingJob(q),
      DescribeTrainingJob: (q) => j.describe('training-job', q),
      ListTrainingJobs: (q) => j.list('training-job', q),
      StopTrainingJob: (q) => j.stop('training-job', q),
      CreateTransformJob: (q) => j.createTransformJob(q),
      DescribeTransformJob: (q) => j.describe('transform-job', q),
      ListTransformJobs: (q) => j.list('transform-job', q),
      StopTransformJob: (q) => j.stop('transform-job', q),
      CreateModel: (q) => e.createModel(q),
      DescribeModel: (q) => e.describeModel(q),
      DeleteModel: (q) => e.deleteModel(q),
      ListModels: (q) => e.listModels(q),
      CreateEndpointConfig: (q) => e.createEndpointConfig(q),
      DescribeEndpointConfig: (q) => e.describeEndpointConfig(q),
      DeleteEndpointConfig: (q) => e.deleteEndpointConfig(q),
      ListEndpointConfigs: (q) => e.listEndpointConfigs(q),
      CreateEndpoint: (q) => e.createEndpoint(q),
      UpdateEndpoint: (q) => e.updateEndpoint(q),
      DescribeEndpoint: (q) => e.describeEndpoint(q),
      DeleteEndpoint: (q) => e.deleteEndpoint(q),
      ListEndpoints: (q) => e.listEndpoints(q),
      CreateModelPackageGroup: (q) => r.createModelPackageGroup(q),
      DescribeModelPackageGroup: (q) => r.describeModelPackageGroup(q),
      ListModelPackageGroups: (q) => r.listModelPackageGroups(q),
      CreateModelPackage: (q) => r.createModelPackage(q),
      DescribeModelPackage: (q) => r.describeModelPackage(q),
      ListModelPackages: (q) => r.listModelPackages(q),
      UpdateModelPackage: (q) => r.updateModelPackage(q),
      AddTags: (q) => t.addTags(q),
      ListTags: (q) => t.listTags(q),
      DeleteTags: (q) => t.deleteTags(q),
    };
  }

  /** Runs an action by its API name (e.g. "CreateTrainingJob"); the response is a fresh copy. */
  call(action: string, request: Json = {}): JsonObject {
    const fn = (this.table as Record<string, ((req: Json) => JsonObject) | undefined>)[action];
    if (!fn) throw validationError(`The local SageMaker service does not implement ${action}.`);
    return structuredClone(fn(request));
  }

  has(action: string): action is SageMakerAction {
    return Object.prototype.hasOwnProperty.call(this.table, action);
  }

  // Typed shortcuts for the actions the engine and CLI use most.
  createProcessingJob(req: Json): JsonObject {
    return this.call('CreateProcessingJob', req);
  }
  createTrainingJob(req: Json): JsonObject {
    return this.call('CreateTrainingJob', req);
  }
  createTransformJob(req: Json): JsonObject {
    return this.call('CreateTransformJob', req);
  }
  describeProcessingJob(req: Json): JsonObject {
    return this.call('DescribeProcessingJob', req);
  }
  describeTrainingJob(req: Json): JsonObject {
    return this.call('DescribeTrainingJob', req);
  }
  describeTransformJob(req: Json): JsonObject {
    return this.call('DescribeTransformJob', req);
  }
  createModel(req: Json): JsonObject {
    return this.call('CreateModel', req);
  }
  createEndpointConfig(req: Json): JsonObject {
    return this.call('CreateEndpointConfig', req);
  }
  createEndpoint(req: Json): JsonObject {
    return this.call('CreateEndpoint', req);
  }
  updateEndpoint(req: Json): JsonObject {
    return this.call('UpdateEndpoint', req);
  }
  describeEndpoint(req: Json): JsonObject {
    return this.call('DescribeEndpoint', req);
  }
  deleteEndpoint(req: Json): JsonObject {
    return this.call('DeleteEndpoint', req);
  }

  /** The tags a resource was created with (`[{Key, Value}]`), as ListTags returns them. */
  tagsOf(kind: ResourceKind, name: string): Json[] {
    return structuredClone(this.core.get(kind, name)?.stored.Tags ?? []);
  }

  /**
   * Resolves with the Describe response once the resource has settled: a job Completed, Failed or
   * Stopped; an endpoint no longer Creating, Updating or Deleting (undefined once deleted). This is
   * what `.sync` waits on. Rejects with the signal's reason when aborted.
   */
  async waitFor(kind: JobKind | 'endpoint', name: string, signal?: AbortSignal): Promise<JsonObject | undefined> {
    const d = kind === 'endpoint' ? await this.endpoints.waitFor(name, signal) : await this.jobs.waitFor(kind, name, signal);
    return d === undefined ? undefined : structuredClone(d);
  }

  /**
   * A resumed execution's `.sync` job (see JobOperations.resume): created if it never was, started
   * again under its name if it was lost with its process, else left to be waited on. Throws the
   * same SageMakerErrors as CreateXJob.
   */
  /** The ARN a resource of this kind and name has (or would have). */
  arnOf(kind: ResourceKind, name: string): string {
    return this.core.get(kind, name)?.arn ?? this.core.arn(kind, name);
  }

  resumeJob(kind: JobKind, request: Json): ResumedJob {
    return this.jobs.resume(kind, request);
  }

  /** The local URL of the model server behind an endpoint (its first variant unless named). */
  endpointUrl(endpointName: string, variantName?: string): string | undefined {
    return this.endpoints.serverUrl(endpointName, variantName);
  }

  /**
   * Makes sure this process serves an endpoint and resolves with its model server's URL (the first
   * variant unless named). An InService endpoint whose servers ran in another process (or in one
   * that has ended) gets them started here from its recorded deployment (about a second), without
   * any change to its status or times. Rejects with a SageMakerRuntimeError: ValidationError
   * "Endpoint <name> of account <acct> not found." for an unknown endpoint, ValidationError naming
   * the status for one that is not InService, ServiceUnavailable when its server cannot start.
   */
  ensureEndpointServing(endpointName: string, variantName?: string): Promise<string> {
    return this.endpoints.ensureServing(endpointName, variantName);
  }

  /**
   * Records an answered InvokeEndpoint call for the endpoint's data capture, when its deployed
   * DataCaptureConfig captures it (sampling included); the writing happens in the background.
   * Every InvokeEndpoint route of this process calls this once the container has answered 2xx.
   */
  captureInvocation(endpointName: string, variantName: string, exchange: CapturedExchange): boolean {
    return this.endpoints.capture(endpointName, variantName, exchange);
  }

  /** Writes captured invocations still pending (close() does too). */
  flushCaptures(): Promise<void> {
    return this.endpoints.flushCaptures();
  }

  /** Starts the model servers of every InService endpoint in this process (`serve`); failures are reported per endpoint. */
  adoptInServiceEndpoints(): Promise<AdoptedEndpoint[]> {
    return this.endpoints.adoptServing();
  }

  /**
   * Settles work left in progress by local processes that have ended (see orphans.ts): jobs Failed
   * (Stopped when they were Stopping), endpoints Creating → Failed, Updating → InService on their
   * previous deployment, Deleting → deleted. Work of live processes is never touched.
   */
  settleOrphanedWork(): SettledOrphan[] {
    return settleOrphans(this.core);
  }

  /** Stops running jobs (recording them Stopped) and model servers; the store stays open. */
  async close(): Promise<void> {
    await this.jobs.close();
    await this.endpoints.close();
  }
}
