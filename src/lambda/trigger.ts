/**
 * The trigger Lambda, as in the seed: the event `{"config": {"bucket", "prefix"}}` names the
 * pipeline YAML in S3; the handler reads and validates it, names the execution
 * `<job_prefix>-<model_id>-<epoch seconds>`, replaces SFN_EXECUTION_ID with that name (and the
 * deployment's placeholders with its values) and starts the state machine with the configuration
 * as input. A file with problems fails the invocation with every problem listed and starts
 * nothing. What a person can fix (the event, the object it names, the file, a name clash) fails
 * with a typed error (`InvalidPipelineError`, or a `LocalError` named `Pipeline.*` in the error
 * catalogue: the Lambda's error type in AWS), never a bare Error.
 *
 * The same code runs in AWS (`handler`, clients from the Lambda environment) and locally
 * (`createTriggerHandler` with clients pointed at the local S3 and engine).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { JsonObject } from '../core/json.js';
import { LocalError } from '../core/errors.js';
import { PIPELINE_ERRORS } from '../core/error-catalogue.js';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionNameFor, pipelineExecutionInput } from '../config/index.js';
import { parsePipelineText } from '../config/index.js';
import { STAGES, type DeploymentValues, type RunOptions, type StageName } from '../config/index.js';
import { formatProblems, InvalidPipelineError } from '../config/index.js';
import { MAX_YAML_BYTES } from '../config/index.js';
import { awsErrorName, requiredEnv, type ExecutionStarter, type S3Reader } from './clients.js';

/** The schedule's event (JSON, so a local deployment can send it through the Lambda service). */
export interface TriggerEvent extends JsonObject {
  config: { bucket: string; prefix: string };
  // Also read: "options": {"no_cache": true, "from": "<stage>"}, what a person asked for this run
  // (`run --no-cache`, `run --from <stage>`); the schedule sends none.
}

/** The trigger's answer: JSON, as a Lambda result travels (so the local Lambda service takes the handler as it is). */
export interface TriggerResult extends JsonObject {
  /** Kept from the seed's handler, whose callers may check it. */
  statusCode: 200;
  body: string;
  executionArn: string;
  executionName: string;
  startDate: string;
}

export interface TriggerDeps {
  s3: S3Reader;
  sfn: ExecutionStarter;
  stateMachineArn: string;
  deployment: DeploymentValues;
  /** Milliseconds since the epoch (injected so tests and virtual clocks pick the name). */
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * The execution name (the pipeline's name and the start second) is taken: a run was started in the
 * same second. Starting again a second later succeeds.
 */
export class ExecutionNameTakenError extends LocalError {
  constructor(message: string) {
    super(PIPELINE_ERRORS.ExecutionNameTaken, message);
  }
}

/** Thrown for events that are not `{"config": {"bucket", "prefix"}}`. */
export class InvalidTriggerEventError extends LocalError {
  constructor(message: string) {
    super(PIPELINE_ERRORS.InvalidTriggerEvent, message);
  }
}

/** The pipeline YAML the event names cannot be read: no such bucket or object, too large, no body. */
export class PipelineFileNotFoundError extends LocalError {
  constructor(message: string) {
    super(PIPELINE_ERRORS.ConfigurationNotFound, message);
  }
}

export function createTriggerHandler(deps: TriggerDeps): (event: unknown) => Promise<TriggerResult> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event: unknown): Promise<TriggerResult> => {
    const { bucket, prefix, options } = parseEvent(event);
    const source = `s3://${bucket}/${prefix}`;
    const text = await readPipeline(deps.s3, bucket, prefix, source);

    const parsed = parsePipelineText(text, source);
    for (const p of parsed.problems) if (p.severity === 'warning') log(formatProblems([p]));
    if (!parsed.config) throw new InvalidPipelineError(source, parsed.problems);

    const executionName = executionNameFor(parsed.config, deps.deployment, now() / 1000);
    const input = pipelineExecutionInput(parsed.config, deps.deployment, executionName, options);
    let started;
    try {
      started = await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name: executionName, input: JSON.stringify(input) }));
    } catch (e) {
      if (awsErrorName(e) === 'ExecutionAlreadyExists') {
        throw new ExecutionNameTakenError(`An execution named ${executionName} already exists: runs started within the same second share a name (start it again in a second)`);
      }
      throw e;
    }
    const executionArn = started.executionArn ?? '';
    log(`Started ${executionArn} from ${source}`);
    return {
      statusCode: 200,
      body: JSON.stringify('Success'),
      executionArn,
      executionName,
      startDate: (started.startDate ?? new Date(now())).toISOString(),
    };
  };
}

function parseEvent(event: unknown): { bucket: string; prefix: string; options: RunOptions } {
  const config = event !== null && typeof event === 'object' ? (event as { config?: unknown }).config : undefined;
  const bucket = config !== null && typeof config === 'object' ? (config as { bucket?: unknown }).bucket : undefined;
  const prefix = config !== null && typeof config === 'object' ? (config as { prefix?: unknown }).prefix : undefined;
  if (typeof bucket !== 'string' || bucket === '' || typeof prefix !== 'string' || prefix === '') {
    throw new InvalidTriggerEventError(
      `Invalid event ${truncate(JSON.stringify(event) ?? String(event))}: expected {"config": {"bucket": "<bucket>", "prefix": "<key of the pipeline YAML>"}}`,
    );
  }
  const raw = event !== null && typeof event === 'object' ? (event as { options?: unknown }).options : undefined;
  const options: RunOptions = {};
  if (raw !== undefined && raw !== null) {
    const o = raw as { no_cache?: unknown; from?: unknown };
    if (typeof raw !== 'object' || (o.no_cache !== undefined && typeof o.no_cache !== 'boolean') || (o.from !== undefined && !STAGES.includes(o.from as StageName))) {
      throw new InvalidTriggerEventError(
        `Invalid event options ${truncate(JSON.stringify(raw) ?? String(raw))}: expected {"no_cache": true|false, "from": one of ${STAGES.join(', ')}}`,
      );
    }
    if (o.no_cache === true) options.noCache = true;
    if (typeof o.from === 'string') options.from = o.from as StageName;
  }
  return { bucket, prefix, options };
}

async function readPipeline(s3: S3Reader, bucket: string, key: string, source: string): Promise<string> {
  let out;
  try {
    out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (e) {
    const name = awsErrorName(e);
    if (name === 'NoSuchKey') throw new PipelineFileNotFoundError(`${source}: no such object (upload the pipeline YAML there, or fix "prefix" in the event)`);
    if (name === 'NoSuchBucket') throw new PipelineFileNotFoundError(`${source}: the bucket ${bucket} does not exist (fix "bucket" in the event)`);
    throw e;
  }
  if (typeof out.ContentLength === 'number' && out.ContentLength > MAX_YAML_BYTES) {
    throw new PipelineFileNotFoundError(`${source}: the object is ${out.ContentLength} bytes, larger than a pipeline file can be (${MAX_YAML_BYTES} bytes; check the key)`);
  }
  if (!out.Body) throw new PipelineFileNotFoundError(`${source}: the object has no body`);
  return out.Body.transformToString('utf-8');
}

function truncate(s: string): string {
  return s.length > 200 ? s.slice(0, 197) + '...' : s;
}

/** The deployment's values, from the environment the CDK stack gives the function. */
export function deploymentFromEnv(env: Readonly<Record<string, string | undefined>>): DeploymentValues {
  return {
    bucket: requiredEnv(env, 'MLOPS_BUCKET', 'the MLOps bucket'),
    modelName: env['MODEL_NAME'] || 'demo',
    imageUri: requiredEnv(env, 'IMAGE_URI', 'the SageMaker image'),
    ...(env['XGBOOST_IMAGE_URI'] ? { xgboostImageUri: env['XGBOOST_IMAGE_URI'] } : {}),
    roleArn: requiredEnv(env, 'SAGEMAKER_EXECUTION_ROLE', 'the SageMaker execution role ARN'),
    region: env['AWS_REGION_NAME'] || requiredEnv(env, 'AWS_REGION', 'the region'),
  };
}

let cached: ((event: unknown) => Promise<TriggerResult>) | undefined;

/** The Lambda entry point in AWS: real clients, configuration from the environment. */
export async function handler(event: unknown): Promise<TriggerResult> {
  if (!cached) {
    const [{ S3Client }, { SFNClient }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-sfn')]);
    cached = createTriggerHandler({
      s3: new S3Client({}),
      sfn: new SFNClient({}),
      stateMachineArn: requiredEnv(process.env, 'STATE_MACHINE_ARN', 'the pipeline state machine'),
      deployment: deploymentFromEnv(process.env),
    });
  }
  return cached(event);
}
