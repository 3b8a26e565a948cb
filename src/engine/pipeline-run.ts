/**
 * `mlops-sfn run`: the whole pipeline locally, as it runs on AWS. The scripts and the filled-in
 * YAML are uploaded to the local S3 (as `deploy` uploads them to the real bucket), the trigger Lambda
 * reads the YAML and starts the execution, and the generated state machine runs on the local engine
 * with SageMaker jobs as local processes and the endpoint as a local model server.
 */
import { RealClock, VirtualClock, type Clock } from '../core/clock.js';
import type { Json, JsonObject } from '../core/json.js';
import type { ExecutionResult } from '../asl/execution.js';
import type { HistoryEvent } from '../asl/history.js';
import { readRunSummary, type RunSummary } from '../definition/index.js';
import type { StageName } from '../config/index.js';
import { deployPipelineLocally } from './local-deployment.js';
import { failedJobName, localFailureExplainer } from './job-failure-cause.js';
import { LOCAL_PROGRESS, progressPrinter, type TaskFailure } from './progress.js';
import { openLocalServices, type LocalServices } from './local-services.js';
import { LocalStepFunctions } from './step-functions/index.js';

export interface PipelineRunOptions {
  pipeline: string;
  home: string;
  /** Virtual time for Waits and polling (jobs still take their real time). */
  fast?: boolean;
  /** Rows for a pipeline's data generator (generate_data.py --rows), e.g. small runs in tests. */
  dataRows?: number;
  log: (line: string) => void;
  /** Each history event as it is recorded (benchmarks time the stages with it). */
  onEvent?: (e: HistoryEvent) => void;
  /** `run --no-cache`: every job stage runs. */
  noCache?: boolean;
  /** `run --from <stage>`: earlier stages reuse their latest outputs whatever changed. */
  from?: StageName;
}

export interface PipelineRunResult {
  execution: ExecutionResult;
  /** The run summary, when the run succeeded (the Done state's output). */
  summary: RunSummary | undefined;
  /** The endpoint's answer to one test row, when the pipeline deployed one. */
  samplePrediction?: { input: string; output: string };
  elapsedMs: number;
  /** The last job that failed, with the exception its log ends with (local runs read it from the home). */
  failedJob?: { name: string; cause?: string };
}

export async function runPipeline(opts: PipelineRunOptions): Promise<PipelineRunResult> {
  const t0 = Date.now();
  const clock: Clock = opts.fast ? new VirtualClock() : new RealClock();
  const services = openLocalServices(opts.home, { clock });
  let failedJob: PipelineRunResult['failedJob'];
  const explainJob = localFailureExplainer(services.home);
  const explainFailure = (f: TaskFailure): string | undefined => {
    const cause = explainJob(f);
    const name = failedJobName(f.details);
    if (name) failedJob = { name, ...(cause ? { cause } : {}) };
    return cause;
  };
  try {
    const stepFunctions = new LocalStepFunctions(services, { clock, log: opts.log });
    let execution: ExecutionResult;
    try {
      const local = await deployPipelineLocally(services, {
        pipeline: opts.pipeline,
        clock,
        stepFunctions,
        watch: () => ({ onEvent: combine(progressPrinter(opts.log, t0, { ...LOCAL_PROGRESS, explainFailure }), opts.onEvent) }),
        ...(opts.dataRows !== undefined ? { dataRows: opts.dataRows } : {}),
        log: opts.log,
      });
      try {
        execution = await (await local.trigger({ ...(opts.noCache ? { no_cache: true } : {}), ...(opts.from ? { from: opts.from } : {}) })).result();
      } finally {
        local.stop();
      }
    } finally {
      await stepFunctions.close();
    }
    const summary = readRunSummary(execution.output);
    const result: PipelineRunResult = { execution, summary, elapsedMs: Date.now() - t0, ...(failedJob && execution.status !== 'SUCCEEDED' ? { failedJob } : {}) };
    const sample = summary ? await samplePrediction(services, summary, execution.input) : undefined;
    if (sample) result.samplePrediction = sample;
    return result;
  } finally {
    await services.close();
  }
}

/** Sends the first row of the test features to the endpoint the run deployed. */
async function samplePrediction(services: LocalServices, summary: RunSummary, input: Json): Promise<{ input: string; output: string } | undefined> {
  const name = summary.endpoint?.EndpointName;
  // The batch transform's input is the test set: its first row makes a realistic request.
  const inputUri = dig(input, ['batchTransform', 'input', 'TransformInput', 'DataSource', 'S3DataSource']) as JsonObject | undefined;
  if (!name) return undefined;
  const url = services.sagemaker.endpointUrl(name);
  if (!url) return undefined;
  let row = '';
  const uri = typeof inputUri?.['S3Uri'] === 'string' ? inputUri['S3Uri'] : undefined;
  if (uri) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (m) {
      try {
        const obj = await services.s3.getObject({ Bucket: m[1]!, Key: m[2]! });
        row = obj.Body.toString('utf8').split('\n')[0] ?? '';
      } catch {
        /* no sample row */
      }
    }
  }
  if (!row) return undefined;
  const res = await fetch(`${url.replace(/\/$/, '')}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'text/csv' }, body: row });
  return { input: row, output: (await res.text()).trim() };
}

function dig(v: Json | undefined, path: string[]): Json | undefined {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function combine(a: (e: HistoryEvent) => void, b?: (e: HistoryEvent) => void): (e: HistoryEvent) => void {
  return b ? (e) => (a(e), b(e)) : a;
}
