/**
 * The pipeline file's schema: the seed's format unchanged (`app_id`, `model_id`, `job_prefix`, and
 * per stage a `run` flag and the raw SageMaker request as `input`), plus the optional sections the
 * seed describes but never built: `approval`, `registry` and `endpoint`.
 *
 * The JSON Schema in schema/pipeline.schema.json is generated from this (json-schema.ts).
 */
import { z } from 'zod';
import type { JsonObject } from '../core/json.js';
import { METRIC_NAME, parseApprovalRule } from './approval-rules.js';
import { createModelRequest, processingJobRequest, trainingJobRequest, transformJobRequest } from './sagemaker-requests.js';
import { instanceType, positiveInt, s3OutputUri, sagemakerName, sagemakerNameProblem } from './values.js';

/** The five stages of the seed, in the order the state machine runs them. */
export const STAGES = ['preprocessing', 'training', 'evaluation', 'CreateModel', 'batchTransform'] as const;
export type StageName = (typeof STAGES)[number];

function stage(request: z.ZodType, description: string) {
  return z
    .strictObject({
      run: z.boolean().meta({ description: 'Run this stage (true) or skip it (false). Changing it needs no redeploy.' }),
      cache: z
        .boolean()
        .optional()
        .meta({ description: 'false: always run this job stage, never reuse an earlier run of it (e.g. a job whose output should differ from run to run). Default: true.' }),
      input: request.nullish(),
    })
    .superRefine((s, ctx) => {
      if (s.run && (s.input === undefined || s.input === null)) {
        ctx.addIssue({ code: 'custom', path: ['input'], message: 'is required when run is true (write the SageMaker request under input, or set run: false)' });
      }
    })
    .meta({ description });
}

/** job_prefix and model_id make up execution and job names, so they follow SageMaker's name rule. */
const namePart = (what: string, description: string) =>
  z
    .string()
    .superRefine((v, ctx) => {
      const p = sagemakerNameProblem(v, what);
      if (p !== undefined) ctx.addIssue({ code: 'custom', message: p });
    })
    .meta({ description });

const approvalRule = z
  .string()
  .superRefine((v, ctx) => {
    const r = parseApprovalRule(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  })
  .meta({ description: 'A rule on a metric the evaluation job wrote: "<metric> <operator> <number>", e.g. "accuracy >= 0.8".', examples: ['accuracy >= 0.8', 'roc_auc >= 0.75'] });

const metricName = z.string().regex(METRIC_NAME, { message: 'is not a metric name (letters, digits, _ . : -, starting with a letter or _)' });

const relativeFile = z
  .string()
  .superRefine((v, ctx) => {
    if (v === '' || v.startsWith('/') || v.split('/').some((p) => p === '..' || p === '')) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a file path relative to the evaluation output (write e.g. evaluation.json)` });
    }
  });

export const APPROVAL_MODES = ['auto', 'manual', 'auto-then-manual'] as const;

const approval = z
  .strictObject({
    mode: z.enum(APPROVAL_MODES).default('auto').meta({
      description:
        'auto: approve when every rule passes, else reject. manual: wait for someone to approve or reject. auto-then-manual: reject when a rule fails, else wait for someone.',
    }),
    rules: z.array(approvalRule).default([]).meta({ description: 'Every rule must pass for automatic approval. No rules: every model passes.' }),
    compare_to_approved: z
      .strictObject({
        metric: metricName.meta({ description: 'The metric to compare with the latest approved model version in the registry.' }),
        min_improvement: z.number().min(0).default(0).meta({ description: 'How much better than the approved model the new one must be (0: at least as good).' }),
        higher_is_better: z.boolean().default(true).meta({ description: 'false for metrics such as loss or error, where lower is better.' }),
      })
      .nullish()
      .meta({ description: 'Also require the new model to beat the currently approved one. Passes when no version is approved yet.' }),
    metrics_output: z.string().min(1).default('evaluation').meta({ description: 'The evaluation ProcessingOutput (OutputName) that holds the metrics file.' }),
    metrics_file: relativeFile.default('evaluation.json').meta({ description: 'The metrics file inside that output.' }),
    timeout_hours: z.number().positive().max(8760).default(24).meta({ description: 'Manual approval: reject when nobody decides within this time.' }),
  })
  .meta({ description: 'Model approval after evaluation: on metrics, by a person, or both.' });

const registry = z
  .strictObject({
    run: z.boolean().default(true).meta({ description: 'Register every trained model as a version in the model registry.' }),
    model_package_group: sagemakerName('a model package group name').optional().meta({ description: 'Default: the model_id.' }),
    description: z.string().max(1024).optional(),
    content_types: z.array(z.string().min(1)).min(1).default(['text/csv']),
    response_types: z.array(z.string().min(1)).min(1).default(['text/csv']),
  })
  .meta({ description: 'The SageMaker model registry: a model package group named after the model, one version per run with its metrics and approval status.' });

const CONTENT_TYPE = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*$/;
const captureContentTypes = z.array(z.string().max(256).regex(CONTENT_TYPE, { message: 'is not a content type (type/subtype, no parameters)' })).min(1).max(10);

const dataCapture = z
  .strictObject({
    destination: s3OutputUri('Where captured requests and responses go: files land under <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/.'),
    sampling_percentage: z.number().int().min(0).max(100).default(100).meta({ description: 'The percentage of requests captured (InitialSamplingPercentage).' }),
    capture: z.array(z.enum(['Input', 'Output'])).min(1).default(['Input', 'Output']).meta({ description: 'What is captured: the requests (Input), the responses (Output), or both.' }),
    csv_content_types: captureContentTypes.default(['text/csv']).meta({ description: 'Content types captured as CSV text (others are base64).' }),
    json_content_types: captureContentTypes.default(['application/json']).meta({ description: 'Content types captured as JSON text (others are base64).' }),
    kms_key_id: z.string().max(2048).regex(/^[a-zA-Z0-9:/_-]*$/).optional().meta({ description: 'A KMS key for the capture files (accepted locally, not applied).' }),
    enabled: z.boolean().default(true).meta({ description: 'EnableCapture: false keeps the configuration but captures nothing.' }),
  })
  .meta({ description: "The endpoint's data capture (Model Monitor's input): DataCaptureConfig of its endpoint configuration." });

const endpoint = z
  .strictObject({
    run: z.boolean().default(true).meta({ description: 'Deploy approved models to a real-time endpoint (created, or updated when it exists).' }),
    name: sagemakerName('an endpoint name').optional().meta({ description: 'Default: <app_id>-<model_id>.' }),
    instance_type: instanceType.default('ml.m5.large'),
    instance_count: positiveInt(100).default(1),
    variant_name: sagemakerName('a variant name').default('AllTraffic'),
    poll_seconds: z.number().int().min(1).max(3600).default(30).meta({ description: 'How often to check whether the endpoint is InService.' }),
    timeout_minutes: z.number().int().min(1).max(1440).default(60).meta({ description: 'Fail the run when the endpoint is not InService after this long.' }),
    data_capture: dataCapture.optional(),
  })
  .meta({ description: 'A real-time endpoint for the approved model. Never deployed for a rejected model.' });

const cache = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'Reuse a job stage from an earlier run when its key is unchanged: its request, the content of its S3 inputs, its code (entry point and the local modules it imports) and its image.' }),
    max_age_days: z.number().positive().max(36500).optional().meta({ description: 'Never reuse a job that ran longer ago than this. Default: no limit.' }),
  })
  .meta({ description: 'Step caching: job stages (processing, training, evaluation, batch transform) whose inputs did not change are reused instead of run. Entries live in the pipeline bucket under <model name>/cache/.' });

export const pipelineSchema = z
  .strictObject({
    app_id: z.string().min(1).max(128).meta({ description: 'The application this pipeline belongs to (used in tags and the default endpoint name).' }),
    model_id: namePart('part of execution and job names', 'The model this pipeline trains; names the model package group.'),
    job_prefix: namePart('part of execution and job names', 'Execution names are <job_prefix>-<model_id>-<epoch seconds>.'),
    preprocessing: stage(processingJobRequest, 'A SageMaker processing job that prepares the data.').optional(),
    training: stage(trainingJobRequest, 'A SageMaker training job; its model.tar.gz feeds evaluation, the registry and CreateModel.').optional(),
    evaluation: stage(processingJobRequest, 'A SageMaker processing job that scores the trained model and writes the metrics file.').optional(),
    CreateModel: stage(createModelRequest, 'A SageMaker model for the endpoint and batch transform.').optional(),
    batchTransform: stage(transformJobRequest, 'A SageMaker batch transform job with the created model.').optional(),
    approval: approval.prefault({}),
    registry: registry.prefault({}),
    endpoint: endpoint.prefault({ run: false }),
    cache: cache.prefault({}),
  })
  .meta({
    title: 'mlops-sfn pipeline',
    description: 'An MLOps pipeline run by AWS Step Functions and SageMaker (and locally by mlops-sfn).',
  });

// ---- the parsed configuration ---------------------------------------------------------------

export interface StageConfig {
  run: boolean;
  /** false: never reuse an earlier run of this job stage. */
  cache?: boolean;
  /** The SageMaker request, as written (placeholders still in place). */
  input?: JsonObject | null;
}

export interface ApprovalConfig {
  mode: (typeof APPROVAL_MODES)[number];
  rules: string[];
  compare_to_approved?: { metric: string; min_improvement: number; higher_is_better: boolean } | null;
  metrics_output: string;
  metrics_file: string;
  timeout_hours: number;
}

export interface RegistryConfig {
  run: boolean;
  model_package_group?: string;
  description?: string;
  content_types: string[];
  response_types: string[];
}

export interface EndpointConfig {
  run: boolean;
  name?: string;
  instance_type: string;
  instance_count: number;
  variant_name: string;
  poll_seconds: number;
  timeout_minutes: number;
  data_capture?: DataCaptureSettings;
}

export interface DataCaptureSettings {
  destination: string;
  sampling_percentage: number;
  capture: ('Input' | 'Output')[];
  csv_content_types: string[];
  json_content_types: string[];
  kms_key_id?: string;
  enabled: boolean;
}

export interface PipelineConfig {
  app_id: string;
  model_id: string;
  job_prefix: string;
  preprocessing?: StageConfig;
  training?: StageConfig;
  evaluation?: StageConfig;
  CreateModel?: StageConfig;
  batchTransform?: StageConfig;
  approval: ApprovalConfig;
  registry: RegistryConfig;
  endpoint: EndpointConfig;
  cache: CacheConfig;
}

export interface CacheConfig {
  enabled: boolean;
  max_age_days?: number;
}

/** The top-level keys: stages first, then settings (for "did you mean" on the top level). */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(pipelineSchema.shape);
