/**
 * Checks that span several sections of a pipeline that parsed cleanly: what a single field's
 * schema cannot see (the endpoint needs the CreateModel stage, rules need the evaluation stage's
 * metrics file, job names must fit SageMaker's 63 characters...). Errors stop a run; warnings
 * point at configurations that will run but probably not as intended.
 */
import { isJsonObject, type Json } from '../core/json.js';
import type { PathSegment } from './field-path.js';
import { containsPlaceholder } from './placeholders.js';
import type { PipelineConfig, StageConfig } from './pipeline-schema.js';
import { STAGES } from './pipeline-schema.js';
import type { ConfigProblem, Severity } from './problems.js';
import { sagemakerNameProblem } from './values.js';
import type { SourceMap } from './yaml-source.js';
import { locatedProblem } from './located-problem.js';

/** Execution names are `<job_prefix>-<model_id>-<10-digit epoch seconds>`. */
const EPOCH_SUFFIX = 11;
/** The longest name derived from an execution name: "evaluation-<execution>-r2" (capacity retries). */
const LONGEST_JOB_NAME_EXTRA = 'evaluation-'.length + '-r2'.length;
/** So job_prefix and model_id together may take this much (63 is SageMaker's limit for job names). */
export const MAX_PREFIX_AND_MODEL = 63 - LONGEST_JOB_NAME_EXTRA - EPOCH_SUFFIX - 1;

/** Where the evaluation job receives the model (SageMaker's convention for evaluation steps). */
export const EVALUATION_MODEL_PATH = '/opt/ml/processing/model';

export function crossCheck(config: PipelineConfig, sourceMap: SourceMap, file: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (severity: Severity, path: PathSegment[], message: string) => {
    out.push(locatedProblem(sourceMap, file, path, message, { prefer: 'key', severity }));
  };
  const runs = (s: StageConfig | undefined) => s?.run === true;

  if (!STAGES.some((s) => runs(config[s]))) {
    add('warning', [], 'no stage has run: true, so a run does nothing (set run: true on the stages to run)');
  }

  if (!containsPlaceholder(config.job_prefix) && !containsPlaceholder(config.model_id)) {
    const len = config.job_prefix.length + config.model_id.length;
    if (len > MAX_PREFIX_AND_MODEL) {
      add(
        'error',
        ['model_id'],
        `job_prefix and model_id together are ${len} characters; at most ${MAX_PREFIX_AND_MODEL} fit in SageMaker's 63-character job names (shorten one of them)`,
      );
    }
  }

  const createsModel = runs(config.CreateModel);
  if (config.endpoint.run && !createsModel) {
    add('error', ['endpoint', 'run'], 'the endpoint serves the model the CreateModel stage creates, which is not run (set CreateModel.run: true, or endpoint.run: false)');
  }
  if (runs(config.batchTransform) && !createsModel) {
    add('error', ['batchTransform', 'run'], 'batch transform uses the model the CreateModel stage creates, which is not run (set CreateModel.run: true, or batchTransform.run: false)');
  }
  if (config.endpoint.run && config.endpoint.name === undefined) {
    const name = `${config.app_id}-${config.model_id}`;
    const p = sagemakerNameProblem(name, 'the endpoint name');
    if (p) add('error', ['endpoint'], `the default endpoint name ${JSON.stringify(name)} (<app_id>-<model_id>) is not valid: ${p.replace(/^".*?" /, '')} (set endpoint.name)`);
  }

  const approval = config.approval;
  const wantsMetrics = approval.rules.length > 0 || (approval.compare_to_approved ?? null) !== null;
  if (approval.compare_to_approved && !config.registry.run) {
    add('error', ['approval', 'compare_to_approved'], 'comparing with the approved model needs the model registry (set registry.run: true, or remove compare_to_approved)');
  }
  const configured = wantsMetrics || approval.mode !== 'auto';
  if (configured && !runs(config.training)) {
    add('warning', ['approval'], 'approval applies to a model trained in the run, and training does not run, so approval is skipped (set training.run: true)');
  } else if (wantsMetrics && !runs(config.evaluation)) {
    add('warning', ['approval', 'rules'], 'the rules need the metrics the evaluation stage writes, which is not run: every model will be rejected (set evaluation.run: true)');
  }

  const evaluation = config.evaluation;
  if (evaluation && isJsonObject(evaluation.input ?? null)) {
    const input = evaluation.input!;
    const outputs = outputNames(input);
    if (wantsMetrics && outputs !== undefined && !outputs.includes(approval.metrics_output)) {
      add(
        'error',
        ['approval', 'metrics_output'],
        `the evaluation stage has no output named ${JSON.stringify(approval.metrics_output)} (outputs: ${outputs.join(', ') || 'none'}; set approval.metrics_output to the one that holds ${approval.metrics_file})`,
      );
    }
    if (runs(evaluation) && runs(config.training) && !hasModelInput(input)) {
      add(
        'warning',
        ['evaluation', 'input', 'ProcessingInputs'],
        `no input has LocalPath ${EVALUATION_MODEL_PATH}, so the model trained in this run is not passed to the evaluation job (add an input with LocalPath ${EVALUATION_MODEL_PATH})`,
      );
    }
  }

  const createModel = config.CreateModel?.input;
  if (createsModel && runs(config.training) && isJsonObject(createModel ?? null) && !isJsonObject(createModel!['PrimaryContainer'] ?? null)) {
    add('warning', ['CreateModel', 'input'], 'the trained model is passed to PrimaryContainer.ModelDataUrl, but this request uses Containers (use PrimaryContainer for a single model)');
  }

  return out;
}

function outputNames(input: { [k: string]: Json }): string[] | undefined {
  const cfg = input['ProcessingOutputConfig'];
  if (!isJsonObject(cfg)) return [];
  const outputs = cfg['Outputs'];
  if (!Array.isArray(outputs)) return [];
  return outputs.filter(isJsonObject).map((o) => String(o['OutputName']));
}

function hasModelInput(input: { [k: string]: Json }): boolean {
  const inputs = input['ProcessingInputs'];
  if (!Array.isArray(inputs)) return false;
  return inputs.some((i) => isJsonObject(i) && isJsonObject(i['S3Input'] ?? null) && (i['S3Input'] as { [k: string]: Json })['LocalPath'] === EVALUATION_MODEL_PATH);
}
