/**
 * The state machine's input: the pipeline configuration as JSON, as in the seed (the trigger
 * Lambda reads the YAML and starts the execution with it), with placeholders filled in, the
 * execution name in place of SFN_EXECUTION_ID, and the new sections normalised so the one
 * generic definition can read them without defaults of its own (rules parsed into objects,
 * default names resolved, timeouts in seconds).
 */
import { UserError } from '../core/errors.js';
import { nameProblem } from '../core/arn.js';
import type { Json, JsonObject } from '../core/json.js';
import { parseApprovalRule, type ApprovalRule } from './approval-rules.js';
import { MAX_PREFIX_AND_MODEL } from './cross-checks.js';
import {
  deploymentPlaceholderValues,
  fillPlaceholders,
  replacePlaceholders,
  EXECUTION_PLACEHOLDER,
  type DeploymentValues,
} from './placeholders.js';
import { STAGES, type PipelineConfig, type StageName } from './pipeline-schema.js';
import { sagemakerNameProblem } from './values.js';

/** AWS's limit on an execution's input (StartExecution refuses larger ones). */
export const MAX_EXECUTION_INPUT_BYTES = 262_144;

/** The approval section as the state machine reads it. */
export interface ApprovalInput {
  mode: 'auto' | 'manual' | 'auto-then-manual';
  rules: ApprovalRule[];
  compare_to_approved: { metric: string; min_improvement: number; higher_is_better: boolean } | null;
  metrics_output: string;
  metrics_file: string;
  timeout_seconds: number;
}

export interface RegistryInput {
  run: boolean;
  model_package_group: string;
  description: string;
  content_types: string[];
  response_types: string[];
}

export interface EndpointInput {
  run: boolean;
  name: string;
  instance_type: string;
  instance_count: number;
  variant_name: string;
  poll_seconds: number;
  /** How many DescribeEndpoint polls fit in timeout_minutes. */
  max_polls: number;
  /** The endpoint configuration's DataCaptureConfig, as the API takes it (null: no capture). */
  data_capture: JsonObject | null;
}

/** The cache section as the state machine (and the cache Lambda) reads it. */
export interface CacheInput {
  enabled: boolean;
  max_age_days: number | null;
  /** `run --from <stage>`: the stages before it reuse their latest output, it and later ones run. */
  from: string | null;
}

/** What a run asks beyond the pipeline file (`run --no-cache`, `run --from <stage>`). */
export interface RunOptions {
  noCache?: boolean;
  from?: StageName;
}

/** `<job_prefix>-<model_id>-<epoch seconds>`, the seed trigger's execution name. */
export function executionNameFor(config: PipelineConfig, deployment: DeploymentValues, epochSeconds: number): string {
  const values = deploymentPlaceholderValues(deployment);
  const name = `${replacePlaceholders(config.job_prefix, values)}-${replacePlaceholders(config.model_id, values)}-${Math.floor(epochSeconds)}`;
  const p = nameProblem(name, 'the execution name');
  if (p) throw new UserError(`${p}: ${JSON.stringify(name)} (check job_prefix and model_id)`);
  return name;
}

/**
 * Builds the execution input for a run. Throws a UserError when the filled-in values break a
 * rule that could not be checked while placeholders were still in place (name lengths), or when
 * the result exceeds AWS's 256 KiB input limit.
 */
export function pipelineExecutionInput(config: PipelineConfig, deployment: DeploymentValues, executionName: string, options: RunOptions = {}): JsonObject {
  const filled = fillPlaceholders(
    { ...(config as unknown as JsonObject) },
    { ...deploymentPlaceholderValues(deployment), [EXECUTION_PLACEHOLDER]: executionName },
  ) as unknown as PipelineConfig;

  const namePart = `${filled.job_prefix}${filled.model_id}`;
  if (namePart.length > MAX_PREFIX_AND_MODEL) {
    throw new UserError(
      `job_prefix and model_id are ${namePart.length} characters once filled in; at most ${MAX_PREFIX_AND_MODEL} fit in SageMaker's 63-character job names (shorten them)`,
    );
  }
  const longest = `evaluation-${executionName}-r2`;
  if (sagemakerNameProblem(longest) !== undefined) {
    throw new UserError(`the execution name ${JSON.stringify(executionName)} is too long or has characters SageMaker job names do not allow (use letters, digits and hyphens, at most ${63 - 14} characters)`);
  }

  const input: JsonObject = {
    app_id: filled.app_id,
    model_id: filled.model_id,
    job_prefix: filled.job_prefix,
  };
  for (const stage of STAGES) {
    const s = filled[stage];
    if (s !== undefined) input[stage] = { run: s.run, cache: s.cache !== false, input: (s.input ?? null) as Json };
  }
  const cache: CacheInput = {
    enabled: filled.cache.enabled && options.noCache !== true,
    max_age_days: filled.cache.max_age_days ?? null,
    from: options.from ?? null,
  };
  input['cache'] = cache as unknown as JsonObject;

  const a = filled.approval;
  const approval: ApprovalInput = {
    mode: a.mode,
    rules: a.rules.map((text) => {
      const r = parseApprovalRule(text);
      if (!r.ok) throw new UserError(`approval.rules: ${r.message}`);
      return r.rule;
    }),
    compare_to_approved: a.compare_to_approved ?? null,
    metrics_output: a.metrics_output,
    metrics_file: a.metrics_file,
    timeout_seconds: Math.round(a.timeout_hours * 3600),
  };
  input['approval'] = approval as unknown as JsonObject;

  const r = filled.registry;
  const registry: RegistryInput = {
    run: r.run,
    model_package_group: r.model_package_group ?? filled.model_id,
    description: r.description ?? `Models trained by the ${filled.app_id} ${filled.model_id} pipeline`,
    content_types: r.content_types,
    response_types: r.response_types,
  };
  const groupProblem = sagemakerNameProblem(registry.model_package_group, 'the model package group name');
  if (registry.run && groupProblem) throw new UserError(`registry.model_package_group: ${groupProblem}`);
  input['registry'] = registry as unknown as JsonObject;

  const e = filled.endpoint;
  const endpoint: EndpointInput = {
    run: e.run,
    name: e.name ?? `${filled.app_id}-${filled.model_id}`,
    instance_type: e.instance_type,
    instance_count: e.instance_count,
    variant_name: e.variant_name,
    poll_seconds: e.poll_seconds,
    max_polls: Math.max(1, Math.ceil((e.timeout_minutes * 60) / e.poll_seconds)),
    data_capture: e.data_capture
      ? {
          EnableCapture: e.data_capture.enabled,
          InitialSamplingPercentage: e.data_capture.sampling_percentage,
          DestinationS3Uri: e.data_capture.destination,
          CaptureOptions: e.data_capture.capture.map((mode) => ({ CaptureMode: mode })),
          CaptureContentTypeHeader: { CsvContentTypes: e.data_capture.csv_content_types, JsonContentTypes: e.data_capture.json_content_types },
          ...(e.data_capture.kms_key_id !== undefined ? { KmsKeyId: e.data_capture.kms_key_id } : {}),
        }
      : null,
  };
  const endpointProblem = sagemakerNameProblem(endpoint.name, 'the endpoint name');
  if (endpoint.run && endpointProblem) throw new UserError(`endpoint.name: ${endpointProblem} (set endpoint.name)`);
  input['endpoint'] = endpoint as unknown as JsonObject;

  const size = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (size > MAX_EXECUTION_INPUT_BYTES) {
    throw new UserError(`the pipeline is ${size} bytes as JSON, more than AWS's ${MAX_EXECUTION_INPUT_BYTES}-byte limit on an execution's input (shorten it)`);
  }
  return input;
}
