/**
 * The seams between the three parts of the local SageMaker:
 *  - the service (service/): API semantics, validation, resource records, Describe shapes, lifecycle;
 *  - the job runner (runner/): runs processing and training jobs as local processes under /opt/ml;
 *  - hosting (hosting/): model servers for endpoints, and batch transform against them.
 * The service owns records and status; the runner and hosting only do the work and report back.
 */
import type { Json, JsonObject } from '../../core/json.js';
import type { S3Store } from '../s3/index.js';

/** Where a job's files and log live, and what it may use. */
export interface JobContext {
  /** The local home (--home); every file the job touches stays under it. */
  home: string;
  /** A fresh folder for this job (created by the service): the runner builds `opt/ml` inside it. */
  workDir: string;
  /** The job's log file (like a CloudWatch stream); the runner appends stdout and stderr to it. */
  logFile: string;
  s3: S3Store;
  region: string;
  accountId: string;
  /** Aborted by StopXJob or when the execution that owns the job stops. */
  signal: AbortSignal;
  /** Called for each log line as it is written (live progress). */
  onLog?: (line: string) => void;
}

/** A processing or training job, as validated by the service (the Create* request, nulls removed). */
export interface JobSpec {
  kind: 'processing' | 'training';
  name: string;
  arn: string;
  request: JsonObject;
}

export type TerminalJobStatus = 'Completed' | 'Failed' | 'Stopped';

/** What the runner reports when a job ends; the service folds it into the Describe response. */
export interface JobOutcome {
  status: TerminalJobStatus;
  /** SageMaker's FailureReason, e.g. "AlgorithmError: ..." (from /opt/ml/output/failure for training). */
  failureReason?: string;
  /** First 1 KiB of /opt/ml/output/message (processing). */
  exitMessage?: string;
  /** Training: MetricDefinitions matched over the log. */
  finalMetricDataList?: { MetricName: string; Value: number; Timestamp: number }[];
  /** Training: where model.tar.gz was uploaded. */
  s3ModelArtifacts?: string;
  /** Training: SecondaryStatusTransitions and similar extras the runner can tell. */
  extra?: JsonObject;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
}

export interface JobRunner {
  /** Runs a job to its end; never throws for job failures (they are outcomes), only for bugs. */
  run(job: JobSpec, ctx: JobContext): Promise<JobOutcome>;
}

/** A model as CreateModel stored it (PrimaryContainer or the first of Containers). */
export interface ModelSpec {
  name: string;
  image: string;
  modelDataUrl?: string;
  environment: Record<string, string>;
  /** CreateModel's EnableNetworkIsolation: the model server makes no network call (it still receives invocations). */
  networkIsolation?: boolean;
}

/** A running model server for one endpoint variant. */
export interface ModelServerHandle {
  readonly url: string;
  /** Swaps the served model without dropping in-flight requests. */
  update(model: ModelSpec): Promise<void>;
  stop(): Promise<void>;
}

export interface HostingContext {
  home: string;
  /** A folder for this server's model files and log. */
  workDir: string;
  logFile: string;
  s3: S3Store;
  region: string;
}

export interface Hosting {
  /** Starts a model server (resolves once /ping answers 200, rejects with the reason otherwise). */
  startServer(model: ModelSpec, ctx: HostingContext): Promise<ModelServerHandle>;
  /** Runs a transform job against a fresh model server; same outcome contract as jobs. */
  runTransform(job: { name: string; arn: string; request: JsonObject; model: ModelSpec }, ctx: JobContext): Promise<JobOutcome>;
}

/** An InvokeEndpoint request as it reaches a model server. */
export interface InvokeRequest {
  body: Buffer | Uint8Array;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  /** X-Amzn-SageMaker-Inference-Id: passed to the container and recorded by data capture. */
  inferenceId?: string;
  /** Default 60 s, the InvokeEndpoint limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** An InvokeEndpoint call, for the CLI and the runtime API. */
export interface InvokeResult {
  status: number;
  contentType: string;
  body: Buffer;
  /**
   * Set when SageMaker runtime itself answered with an error (its `x-amzn-errortype`, e.g.
   * ServiceUnavailable while an instance is replaced) rather than passing on the container's answer.
   */
  errorType?: string;
}

export type { Json };
