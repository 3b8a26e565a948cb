/**
 * Processing, training and transform jobs: validation beyond the request shape, uniqueness, the
 * asynchronous run through the JobRunner (or Hosting.runTransform), StopXJob, MaxRuntimeInSeconds,
 * Describe and List. The service owns the record; the runner only does the work and reports back.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import { setLongTimeout, type LongTimer } from '../../../core/long-timer.js';
import type { JobContext, JobOutcome, JobSpec, ModelSpec } from '../contracts.js';
import { compileMetricRegex, MetricRegexError } from '../../../core/metric-regex.js';
import type { JobKind } from './arns.js';
import type { ServiceCore } from './core.js';
import { processingJobDescription, trainingJobDescription, transformJobDescription } from './describe-shapes.js';
import { SageMakerError, validationError } from './errors.js';
import { builtinMetricDefinitions } from '../../../core/runtime-images.js';
import { finishedDescription, jobStatusField, startedDescription, type StopCause } from './job-outcome.js';
import { listPage, summary, type ListItem } from './listing.js';
import { modelSpecOf } from './model-spec.js';
import { currentOwner, isCurrentProcess, isOwnerAlive, ownerFromJson, ownerToJson } from '../../../core/process-owner.js';
import * as shapes from './request-shapes.js';
import { validateRequest } from './validate.js';

const LABEL: Record<JobKind, string> = { 'processing-job': 'processing', 'training-job': 'training', 'transform-job': 'transform' };
const NAME_FIELD: Record<JobKind, string> = { 'processing-job': 'ProcessingJobName', 'training-job': 'TrainingJobName', 'transform-job': 'TransformJobName' };
const ARN_FIELD: Record<JobKind, string> = { 'processing-job': 'ProcessingJobArn', 'training-job': 'TrainingJobArn', 'transform-job': 'TransformJobArn' };
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);
const PROCESSING_PREFIX = '/opt/ml/processing/';

interface Running {
  controller: AbortController;
  stopCause?: StopCause;
  /** Set when this process closes under the job: the job is lost with it, not stopped (a resume restarts it). */
  lost?: boolean;
  timer?: LongTimer;
}

/** What `resume` did with a job a resumed execution had started. */
export type ResumedJob = 'created' | 'restarted' | 'existing';

const LOST_REASON = (pid: number) =>
  `InternalServerError: The local mlops-sfn process that ran it (pid ${pid}) ended before the job finished, so the job was lost. Run the job again.`;

export function isTerminalJobStatus(status: Json | undefined): boolean {
  return typeof status === 'string' && TERMINAL.has(status);
}

export class JobOperations {
  private readonly running = new Map<string, Running>();
  /** Runs in flight, so close() can wait for them to record their outcome. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly core: ServiceCore) {}

  createProcessingJob(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateProcessingJob, request);
    checkProcessing(req);
    return this.create('processing-job', req, processingJobDescription);
  }

  createTrainingJob(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateTrainingJob, request);
    checkTraining(req);
    return this.create('training-job', req, trainingJobDescription);
  }

  createTransformJob(request: Json): JsonObject {
    const req = validateRequest(shapes.CreateTransformJob, request);
    const model = this.core.get('model', req['ModelName'] as string);
    if (!model) throw validationError(`Could not find model "${this.core.arn('model', req['ModelName'] as string)}".`);
    const mct = (req['MaxConcurrentTransforms'] as number | undefined) ?? 1;
    const payload = (req['MaxPayloadInMB'] as number | undefined) ?? 6;
    if (mct * payload > 100) {
      throw validationError('The value of MaxConcurrentTransforms multiplied by MaxPayloadInMB must not exceed 100 MB.');
    }
    return this.create('transform-job', req, transformJobDescription, modelSpecOf(model.stored.Description));
  }

  describe(kind: JobKind, request: Json): JsonObject {
    const name = requiredName(kind, request);
    const row = this.core.get(kind, name);
    if (!row) throw notFound(kind, name);
    return row.stored.Description;
  }

  /** StopXJob: InProgress → Stopping → Stopped. Stopping a finished job is refused, as SageMaker does. */
  stop(kind: JobKind, request: Json): JsonObject {
    const name = requiredName(kind, request);
    const row = this.core.get(kind, name);
    if (!row) throw new SageMakerError('ResourceNotFound', 'Requested resource not found.');
    const status = row.stored.Description[jobStatusField(kind)] as string;
    if (TERMINAL.has(status)) throw validationError(`The request was rejected because the ${LABEL[kind]} job is in status ${status}.`);
    if (status === 'Stopping') return {};
    const run = this.running.get(runKey(kind, name));
    const owner = ownerFromJson(row.stored.Owner);
    // Another live process runs it: it sees the Stopping status and stops the job itself.
    const elsewhere = !run && owner !== undefined && !isCurrentProcess(owner) && isOwnerAlive(owner);
    this.core.update(
      kind,
      name,
      (d) => ({ ...d, [jobStatusField(kind)]: 'Stopping', ...(kind === 'training-job' ? { SecondaryStatus: 'Stopping' } : {}), LastModifiedTime: this.core.now() }),
      () => 'Stopping',
    );
    if (run) {
      run.stopCause ??= 'request';
      run.controller.abort(new Error(`Stop${LABEL[kind][0]!.toUpperCase()}${LABEL[kind].slice(1)}Job`));
    } else if (!elsewhere) {
      // Nobody in this process runs it (its process ended): record the stop at once.
      const at = this.core.now();
      this.finish(kind, name, { status: 'Stopped', startTime: at, endTime: at }, 'request');
    }
    return {};
  }

  list(kind: JobKind, request: Json): JsonObject {
    const shape = kind === 'processing-job' ? shapes.ListProcessingJobs : kind === 'training-job' ? shapes.ListTrainingJobs : shapes.ListTransformJobs;
    const req = validateRequest(shape, request);
    const keys =
      kind === 'processing-job'
        ? ['ProcessingJobName', 'ProcessingJobArn', 'CreationTime', 'ProcessingEndTime', 'LastModifiedTime', 'ProcessingJobStatus', 'FailureReason', 'ExitMessage']
        : kind === 'training-job'
          ? ['TrainingJobName', 'TrainingJobArn', 'CreationTime', 'TrainingEndTime', 'LastModifiedTime', 'TrainingJobStatus', 'SecondaryStatus']
          : ['TransformJobName', 'TransformJobArn', 'CreationTime', 'TransformEndTime', 'LastModifiedTime', 'TransformJobStatus', 'FailureReason'];
    const items: ListItem[] = this.core.store.resources.list(kind).map((row) => {
      const d = (row.record['Description'] ?? {}) as JsonObject;
      return { name: row.name, created: row.createdAt, modified: (d['LastModifiedTime'] as number) ?? row.updatedAt, status: row.status ?? '', summary: summary(d, keys) };
    });
    const { page, nextToken } = listPage(items, req, {
      sortOrder: kind === 'transform-job' ? 'Descending' : 'Ascending',
      pageSize: kind === 'transform-job' ? 10 : 100,
    });
    const field = kind === 'processing-job' ? 'ProcessingJobSummaries' : kind === 'training-job' ? 'TrainingJobSummaries' : 'TransformJobSummaries';
    return { [field]: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /** Resolves with the Describe response once the job is Completed, Failed or Stopped. */
  async waitFor(kind: JobKind, name: string, signal?: AbortSignal): Promise<JsonObject> {
    const d = await this.core.waitUntil(kind, name, (x) => isTerminalJobStatus(x[jobStatusField(kind)]), signal);
    if (!d) throw notFound(kind, name);
    return d;
  }

  /**
   * Ends every job this process runs and waits until each has recorded its outcome. The jobs are
   * recorded as lost with the process (Failed, and marked so): the executions that started them stay
   * RUNNING, and resuming one starts its job again under the same name.
   */
  async close(): Promise<void> {
    for (const run of this.running.values()) {
      run.lost = true;
      run.controller.abort(new Error('the local SageMaker service is closing'));
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * For a resumed execution's `.sync` task that had started this job before its process ended: the
   * job is created when it never was, started again under the same name (and request) when it was
   * lost with that process, and otherwise left as it is (finished, or running here) to be waited on.
   */
  resume(kind: JobKind, request: Json): ResumedJob {
    const name = (isJsonObject(request) ? request[NAME_FIELD[kind]] : undefined) as string | undefined;
    const row = typeof name === 'string' ? this.core.get(kind, name) : undefined;
    if (!row) {
      if (kind === 'processing-job') this.createProcessingJob(request);
      else if (kind === 'training-job') this.createTrainingJob(request);
      else this.createTransformJob(request);
      return 'created';
    }
    if (!row.stored.LostWithProcess || this.running.has(runKey(kind, row.name))) return 'existing';
    const req = validateRequest(kind === 'processing-job' ? shapes.CreateProcessingJob : kind === 'training-job' ? shapes.CreateTrainingJob : shapes.CreateTransformJob, request);
    const describe = kind === 'processing-job' ? processingJobDescription : kind === 'training-job' ? trainingJobDescription : transformJobDescription;
    let model: ModelSpec | undefined;
    if (kind === 'transform-job') {
      const m = this.core.get('model', req['ModelName'] as string);
      if (!m) throw validationError(`Could not find model "${this.core.arn('model', req['ModelName'] as string)}".`);
      model = modelSpecOf(m.stored.Description);
    }
    const now = this.core.now();
    let restarted = false;
    this.core.updateRecord(
      kind,
      row.name,
      (r) => {
        // Re-checked inside the transaction: of two resumers, one restarts the job.
        if (!r.LostWithProcess) return undefined;
        restarted = true;
        const lost = r.LostWithProcess;
        const d = describe(req, row.arn, now);
        d['CreationTime'] = r.Description['CreationTime'] ?? now;
        const reason = `The local process that ran the job${typeof lost['Pid'] === 'number' ? ` (pid ${lost['Pid']})` : ''} ended before it finished; started again by a resumed execution.`;
        const { LostWithProcess: _gone, ...rest } = r;
        return { ...rest, Description: d, Owner: ownerToJson(currentOwner()), Restarts: [...(r.Restarts ?? []), { At: now, Reason: reason }] };
      },
      (d) => d[jobStatusField(kind)] as string,
    );
    if (!restarted) return 'existing';
    this.launch(kind, row.name, row.arn, req, model);
    return 'restarted';
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  private create(kind: JobKind, req: JsonObject, describe: (r: JsonObject, arn: string, now: number) => JsonObject, model?: ModelSpec): JsonObject {
    const name = req[NAME_FIELD[kind]] as string;
    const arn = this.core.arn(kind, name);
    const now = this.core.now();
    const description = describe(req, arn, now);
    const tags = Array.isArray(req['Tags']) ? req['Tags'] : [];
    if (!this.core.insert(kind, name, description, tags, 'InProgress', { owner: ownerToJson(currentOwner()) })) {
      const existing = this.core.get(kind, name);
      throw new SageMakerError(
        'ResourceInUse',
        `${capitalised(LABEL[kind])} job names must be unique within an AWS account and region, and a ${LABEL[kind]} job with this name already exists (${existing?.arn ?? arn})`,
      );
    }
    this.launch(kind, name, arn, req, model);
    return { [ARN_FIELD[kind]]: arn };
  }

  private launch(kind: JobKind, name: string, arn: string, request: JsonObject, model: ModelSpec | undefined): void {
    const key = runKey(kind, name);
    const run: Running = { controller: new AbortController() };
    this.running.set(key, run);
    const maxRuntime = (request['StoppingCondition'] as JsonObject | undefined)?.['MaxRuntimeInSeconds'];
    const limit = typeof maxRuntime === 'number' ? maxRuntime : 86400;
    run.timer = setLongTimeout(
      () => {
        run.stopCause ??= 'MaxRuntimeExceeded';
        run.controller.abort(new Error('MaxRuntimeInSeconds exceeded'));
      },
      limit * 1000,
      { unref: true },
    );
    this.watchForStop(kind, name, run);
    const release = this.core.opts.holdClock?.();
    const p = this.execute(kind, name, arn, request, model, run).finally(() => {
      release?.();
      run.timer?.clear();
      this.running.delete(key);
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
  }

  /** A StopXJob made by another process (sharing the store) reaches this one through the record. */
  private watchForStop(kind: JobKind, name: string, run: Running): void {
    const field = jobStatusField(kind);
    this.core.waitUntil(kind, name, (d) => d[field] !== 'InProgress', run.controller.signal).then(
      (d) => {
        if (d?.[field] === 'Stopping' && !run.controller.signal.aborted) {
          run.stopCause ??= 'request';
          run.controller.abort(new Error('stopped by a request from another process'));
        }
      },
      () => undefined,
    );
  }

  private async execute(kind: JobKind, name: string, arn: string, request: JsonObject, model: ModelSpec | undefined, run: Running): Promise<void> {
    // Let CreateXJob answer first, as SageMaker does; the job starts right after.
    await new Promise((r) => setImmediate(r));
    const { home } = this.core.opts;
    const workDir = join(home, 'sagemaker', 'jobs', name);
    const logFile = join(home, 'logs', `${name}.log`);
    let outcome: JobOutcome;
    const started = this.core.now();
    try {
      rmSync(workDir, { recursive: true, force: true });
      mkdirSync(workDir, { recursive: true });
      mkdirSync(join(home, 'logs'), { recursive: true });
      if (!run.controller.signal.aborted) {
        this.core.update(kind, name, (d) => (d[jobStatusField(kind)] === 'InProgress' ? startedDescription(kind, d, started) : undefined));
      }
      const ctx: JobContext = {
        home,
        workDir,
        logFile,
        s3: this.core.opts.s3,
        region: this.core.opts.location.region,
        accountId: this.core.opts.location.accountId,
        signal: run.controller.signal,
      };
      if (run.controller.signal.aborted) {
        outcome = { status: 'Stopped', startTime: started, endTime: this.core.now() };
      } else if (kind === 'transform-job') {
        const hosting = this.core.opts.hosting;
        outcome = hosting
          ? await hosting.runTransform({ name, arn, request, model: model! }, ctx)
          : failed(started, this.core.now(), 'ClientError: transform jobs need model hosting, which this local setup does not provide');
      } else {
        const runner = this.core.opts.runner;
        const spec: JobSpec = { kind: kind === 'processing-job' ? 'processing' : 'training', name, arn, request };
        outcome = runner
          ? await runner.run(spec, ctx)
          : failed(started, this.core.now(), 'ClientError: this local setup has no job runner for processing and training jobs');
      }
    } catch (e) {
      // A runner bug, not a job failure: SageMaker's own internal errors read like this.
      outcome = failed(started, this.core.now(), `InternalServerError: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (run.lost) return this.finishLost(kind, name, started);
    // A job asked to stop that still reports Failed was killed by the stop: SageMaker records Stopped.
    if (run.controller.signal.aborted && outcome.status === 'Failed') outcome = { ...outcome, status: 'Stopped' };
    this.finish(kind, name, outcome, run.stopCause);
  }

  /** The job ended because this process is closing: Failed, marked lost (a resumed execution restarts it). */
  private finishLost(kind: JobKind, name: string, started: number): void {
    const now = this.core.now();
    this.core.updateRecord(
      kind,
      name,
      (r) => {
        if (isTerminalJobStatus(r.Description[jobStatusField(kind)])) return undefined;
        const outcome: JobOutcome = { status: 'Failed', failureReason: LOST_REASON(process.pid), startTime: started, endTime: now };
        return { ...r, Description: finishedDescription(kind, r.Description, outcome, undefined, now), LostWithProcess: { Pid: process.pid, At: now } };
      },
      (d) => d[jobStatusField(kind)] as string,
    );
  }

  private finish(kind: JobKind, name: string, outcome: JobOutcome, stopCause: StopCause | undefined): void {
    this.core.update(
      kind,
      name,
      (d) => (isTerminalJobStatus(d[jobStatusField(kind)]) ? undefined : finishedDescription(kind, d, outcome, stopCause, this.core.now())),
      (d) => d[jobStatusField(kind)] as string,
    );
  }
}

function failed(start: number, end: number, reason: string): JobOutcome {
  return { status: 'Failed', failureReason: reason, startTime: start, endTime: Math.max(start, end) };
}

function runKey(kind: JobKind, name: string): string {
  return `${kind}:${name.toLowerCase()}`;
}

function capitalised(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

function requiredName(kind: JobKind, request: Json): string {
  const field = NAME_FIELD[kind];
  const req = validateRequest(shapes.byName(field), request);
  return req[field] as string;
}

export function notFound(kind: JobKind, name: string): SageMakerError {
  // DescribeTrainingJob's answer is recorded; the other two job kinds answer in their own words.
  return kind === 'training-job' ? validationError('Requested resource not found.') : validationError(`Could not find requested job with name ${name}`);
}

/** Checks CreateProcessingJob makes beyond the request shape. */
function checkProcessing(req: JsonObject): void {
  const inputs = Array.isArray(req['ProcessingInputs']) ? (req['ProcessingInputs'] as JsonObject[]) : [];
  const outputs = Array.isArray((req['ProcessingOutputConfig'] as JsonObject | undefined)?.['Outputs'])
    ? ((req['ProcessingOutputConfig'] as JsonObject)['Outputs'] as JsonObject[])
    : [];
  eachNamedEntry(inputs, 'InputName', ['S3Input', 'DatasetDefinition'], 'ProcessingInput', (i, name) => {
    const s3 = i['S3Input'];
    if (isJsonObject(s3)) {
      if (i['AppManaged'] !== true) checkLocalPath(s3['LocalPath'], `ProcessingInput '${name}'`);
      if (s3['S3CompressionType'] === 'Gzip' && s3['S3InputMode'] !== 'Pipe') {
        throw validationError(`ProcessingInput '${name}': S3CompressionType Gzip is only supported with S3InputMode Pipe.`);
      }
    }
  });
  eachNamedEntry(outputs, 'OutputName', ['S3Output', 'FeatureStoreOutput'], 'ProcessingOutput', (o, name) => {
    if (isJsonObject(o['S3Output']) && o['AppManaged'] !== true) checkLocalPath(o['S3Output']['LocalPath'], `ProcessingOutput '${name}'`);
  });
}

/**
 * ProcessingInputs / ProcessingOutputs: names unique within the list, each entry with exactly one
 * of its two sources, then the entry's own checks (`check`).
 */
function eachNamedEntry(
  entries: readonly JsonObject[],
  nameField: string,
  sources: readonly [string, string],
  what: 'ProcessingInput' | 'ProcessingOutput',
  check: (entry: JsonObject, name: string) => void,
): void {
  const names = new Set<string>();
  for (const e of entries) {
    const name = e[nameField] as string;
    if (names.has(name)) throw validationError(`${what}s must have unique names; '${name}' is used more than once.`);
    names.add(name);
    if (sources.filter((f) => e[f] !== undefined).length !== 1) throw validationError(`${what} '${name}' must have exactly one of ${sources[0]} and ${sources[1]}.`);
    check(e, name);
  }
}

function checkLocalPath(path: Json | undefined, what: string): void {
  if (typeof path !== 'string' || !path.startsWith(PROCESSING_PREFIX) || path.length === PROCESSING_PREFIX.length || path.split('/').includes('..')) {
    throw validationError(`${what} has LocalPath ${JSON.stringify(path ?? null)}; a LocalPath must begin with ${PROCESSING_PREFIX}.`);
  }
}

/** Checks CreateTrainingJob makes beyond the request shape. */
function checkTraining(req: JsonObject): void {
  const algo = req['AlgorithmSpecification'] as JsonObject | undefined;
  if (!algo) throw validationError("1 validation error detected: Value null at 'algorithmSpecification' failed to satisfy constraint: Member must not be null");
  if ((algo['TrainingImage'] === undefined) === (algo['AlgorithmName'] === undefined)) {
    throw validationError('Exactly one of TrainingImage and AlgorithmName must be specified in AlgorithmSpecification.');
  }
  const channels = Array.isArray(req['InputDataConfig']) ? (req['InputDataConfig'] as JsonObject[]) : [];
  const seen = new Set<string>();
  for (const c of channels) {
    const n = c['ChannelName'] as string;
    if (seen.has(n)) throw validationError(`Channel names must be unique; '${n}' is used more than once.`);
    seen.add(n);
  }
  const metricDefinitions = (algo['MetricDefinitions'] as JsonObject[] | undefined) ?? [];
  if (metricDefinitions.length > 0 && builtinMetricDefinitions(algo['TrainingImage'] as string | undefined).length > 0) {
    // Observed on AWS for the XGBoost image, in algorithm and script mode alike.
    throw validationError("You can't override the metric definitions for Amazon SageMaker algorithms. Please retry the request without specifying metric definitions.");
  }
  // The patterns run over every line the job logs: one the safe engine cannot run is refused now,
  // never skipped or run on a backtracking engine later.
  for (const m of metricDefinitions) {
    try {
      compileMetricRegex(m['Regex'] as string);
    } catch (err) {
      if (!(err instanceof MetricRegexError)) throw err;
      throw validationError(`Metric definition '${String(m['Name'])}' has a regular expression that cannot be used: ${String(m['Regex'])}: ${err.problem}.`);
    }
  }
}
