/**
 * The run summary: what the generated state machine's Done state returns as the execution output,
 * as one type. The Done state's expression is rendered from `SUMMARY_FIELDS` (one JSONata
 * expression per field of `RunSummary`, so the type and the definition cannot name different
 * fields), and `readRunSummary` is the one place an execution output becomes a `RunSummary`: `run`'s
 * human summary, its `--json` document and the sample prediction all read this value, not the
 * output's keys.
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';

/** One approval rule as the approval states checked it. */
export interface ApprovalCheck {
  rule: string;
  value: number | null;
  passed: boolean;
}

/** How the model was decided on: by the rules, a person, or a timeout. */
export interface ApprovalSummary {
  decision: 'Approved' | 'Rejected';
  /** 'rules', 'timeout', 'manual' (a rejection through SendTaskFailure), or the person who decided. */
  decidedBy: string;
  reason: string;
  /** A person's comment and when they decided (only for a person's decision). */
  comment?: string | null;
  decidedAt?: string | null;
  checks: ApprovalCheck[];
}

export interface EndpointSummary {
  EndpointName: string;
  EndpointArn: string | null;
  EndpointStatus: string | null;
  EndpointConfigName: string | null;
  FailureReason: string | null;
  /** Where the endpoint's data capture writes (`<destination>/<endpoint>/<variant>/`), when it captures. */
  DataCaptureUri: string | null;
}

export interface ModelSummary {
  modelDataUrl: string | null;
  trained: boolean;
  modelName: string | null;
  modelPackageArn: string | null;
}

/** What a stage recorded: its job's name and ARN and its outputs, in SageMaker's field names. */
export type StageSummary = JsonObject;

export interface RunSummary {
  executionName: string;
  /** By stage name (preprocessing, training, evaluation, batchTransform, CreateModel, ...), in the order they ran. */
  stages: Record<string, StageSummary>;
  model: ModelSummary;
  metrics: Record<string, number>;
  metricsUri: string | null;
  metricsError: string | null;
  approval: ApprovalSummary | null;
  endpoint: EndpointSummary | null;
  batchOutput: string | null;
}

/** The Done state's JSONata for each field, in the order the output lists them. */
const SUMMARY_FIELDS: { readonly [K in keyof RunSummary]: string } = {
  executionName: '$execution',
  stages: '$stages',
  model: `{'modelDataUrl': $modelDataUrl, 'trained': $trained, 'modelName': $modelName, 'modelPackageArn': $modelPackageArn}`,
  metrics: '$metrics',
  metricsUri: '$metricsUri',
  metricsError: '$metricsError',
  approval: '$approval',
  endpoint: '$endpoint',
  batchOutput: '$exists($stages.batchTransform) ? $stages.batchTransform.S3OutputPath : null',
};

/** The body of the Done state's Output expression (without the `{% %}`). */
export function runSummaryExpression(): string {
  return `{ ${Object.entries(SUMMARY_FIELDS)
    .map(([k, expr]) => `'${k}': ${expr}`)
    .join(', ')} }`;
}

/**
 * An execution's output as a run summary, or undefined when it is not one (a failed run has no
 * output; `resume` may end an execution of any state machine). Fields come out in the order the
 * Done state writes them, so `JSON.stringify` of the value is the output document.
 */
export function readRunSummary(output: Json | undefined): RunSummary | undefined {
  if (!isJsonObject(output) || typeof output['executionName'] !== 'string' || !isJsonObject(output['stages'])) return undefined;
  const model = isJsonObject(output['model']) ? output['model'] : {};
  const stages: Record<string, StageSummary> = {};
  for (const [stage, v] of Object.entries(output['stages'])) if (isJsonObject(v)) stages[stage] = v;
  const metrics: Record<string, number> = {};
  if (isJsonObject(output['metrics'])) for (const [k, v] of Object.entries(output['metrics'])) if (typeof v === 'number') metrics[k] = v;
  return {
    executionName: output['executionName'],
    stages,
    model: {
      modelDataUrl: text(model['modelDataUrl']),
      trained: model['trained'] === true,
      modelName: text(model['modelName']),
      modelPackageArn: text(model['modelPackageArn']),
    },
    metrics,
    metricsUri: text(output['metricsUri']),
    metricsError: text(output['metricsError']),
    approval: readApproval(output['approval']),
    endpoint: readEndpoint(output['endpoint']),
    batchOutput: text(output['batchOutput']),
  };
}

/** Each stage's SageMaker job, for `mlops-sfn logs <job>` (stages without a job, like CreateModel, are left out). */
export function stageJobs(summary: RunSummary): { stage: string; job: string }[] {
  const out: { stage: string; job: string }[] = [];
  for (const [stage, v] of Object.entries(summary.stages)) {
    const job = v['ProcessingJobName'] ?? v['TrainingJobName'] ?? v['TransformJobName'];
    if (typeof job === 'string') out.push({ stage, job });
  }
  return out;
}

function readApproval(v: Json | undefined): ApprovalSummary | null {
  if (!isJsonObject(v) || (v['decision'] !== 'Approved' && v['decision'] !== 'Rejected')) return null;
  const checks: ApprovalCheck[] = [];
  for (const c of Array.isArray(v['checks']) ? v['checks'] : []) {
    if (isJsonObject(c) && typeof c['rule'] === 'string') checks.push({ rule: c['rule'], value: typeof c['value'] === 'number' ? c['value'] : null, passed: c['passed'] === true });
  }
  // Field order as the approval states write them; comment and decidedAt only where a person decided.
  return {
    decision: v['decision'],
    decidedBy: text(v['decidedBy']) ?? 'unknown',
    ...('comment' in v ? { comment: text(v['comment']) } : {}),
    ...('decidedAt' in v ? { decidedAt: text(v['decidedAt']) } : {}),
    reason: text(v['reason']) ?? '',
    checks,
  };
}

function readEndpoint(v: Json | undefined): EndpointSummary | null {
  if (!isJsonObject(v) || typeof v['EndpointName'] !== 'string') return null;
  return {
    EndpointName: v['EndpointName'],
    EndpointArn: text(v['EndpointArn']),
    EndpointStatus: text(v['EndpointStatus']),
    EndpointConfigName: text(v['EndpointConfigName']),
    FailureReason: text(v['FailureReason']),
    DataCaptureUri: text(v['DataCaptureUri']),
  };
}

function text(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
