/**
 * Pipeline configuration → the one generic ASL definition that AWS and the local engine both run.
 */
export { renderPipelineDefinition, type RenderedDefinition } from './render-pipeline.js';
export { substituteDefinition, definitionPlaceholders, MissingSubstitutionError } from './substitute.js';
export { APPROVAL_FUNCTION_SUBSTITUTION, MODEL_REJECTED_ERROR } from './approval-states.js';
export { ENDPOINT_FAILED_ERROR, ENDPOINT_TIMED_OUT_ERROR } from './endpoint-states.js';
export { STATE as PIPELINE_STATES, JOB_STATES } from './state-names.js';
export {
  readRunSummary,
  stageJobs,
  type RunSummary,
  type StageSummary,
  type ApprovalSummary,
  type ApprovalCheck,
  type EndpointSummary,
  type ModelSummary,
} from './run-summary.js';
export { CACHE_FUNCTION_SUBSTITUTION, bookkeepingStep } from './job-stage.js';
export { STAGE_FAILURE_FUNCTION_SUBSTITUTION } from './failure-states.js';
export { stageReports, JOB_STAGES, type StageReport, type StageStatus } from './stage-report.js';
