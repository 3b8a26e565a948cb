/**
 * The pipeline configuration: the YAML file users write, validated with located problems, and
 * turned into the state machine's input.
 */
export { loadPipeline, PIPELINE_FILE_NAMES, type LoadedPipeline, type LoadPipelineOptions } from './load-pipeline.js';
export { metricsOfReport } from './metrics-report.js';
export type { EvaluationMetrics, EvaluationMetricsLookup } from './rule-metrics.js';
export { pipelineScripts, type PipelineScript } from './pipeline-scripts.js';
export { parsePipelineText, type PipelineParse } from './parse-pipeline.js';
export {
  pipelineExecutionInput,
  executionNameFor,
  MAX_EXECUTION_INPUT_BYTES,
  type ApprovalInput,
  type RegistryInput,
  type EndpointInput,
  type CacheInput,
  type RunOptions,
} from './execution-input.js';
export {
  fillPlaceholders,
  withExecutionName,
  replacePlaceholders,
  containsPlaceholder,
  deploymentPlaceholderValues,
  DEPLOYMENT_PLACEHOLDERS,
  EXECUTION_PLACEHOLDER,
  PLACEHOLDER_NAMES,
  type DeploymentValues,
  type PlaceholderName,
} from './placeholders.js';
export {
  pipelineSchema,
  STAGES,
  APPROVAL_MODES,
  type PipelineConfig,
  type StageConfig,
  type ApprovalConfig,
  type RegistryConfig,
  type EndpointConfig,
  type CacheConfig,
  type StageName,
} from './pipeline-schema.js';
export { parseApprovalRule, type ApprovalRule, type RuleOperator } from './approval-rules.js';
export { formatProblem, formatProblems, hasErrors, InvalidPipelineError, type ConfigProblem, type Severity } from './problems.js';
export { EVALUATION_MODEL_PATH } from './cross-checks.js';
export { MAX_YAML_BYTES } from './yaml-source.js';
export { pipelineJsonSchema, pipelineJsonSchemaText } from './json-schema.js';
