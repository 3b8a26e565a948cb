/**
 * `mlops-sfn run`: the whole pipeline locally, as it runs on AWS. The scripts and the filled-in
 * YAML are uploaded to the local S3 (as `deploy` uploads them to the real bucket), the trigger Lambda
 * reads the YAML and starts the execution, and the generated state machine runs on the local engine
 * with SageMaker jobs as local processes and the endpoint as a local model server.
 */
import { ExecutionNameTakenError } from '../lambda/index.js';
import { RealClock, VirtualClock, type Clock } from '../core/clock.js';
import type { Json, JsonObject } from '../core/json.js';
import type { ExecutionResult } from '../asl/execution.js';
import type { HistoryEvent } from '../asl/history.js';
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
}

export interface PipelineRunResult {
  execution: ExecutionResult;
  summary: JsonObject | undefined;
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
    let executionArn: string | undefined;
    let execution: ExecutionResult;
    try {
      const local = await deployPipelineLocally(services, {
        pipeline: opts.pipeline,
        clock,
        ...(opts.dataRows !== undefined ? { dataRows: opts.dataRows } : {}),
        log: opts.log,
        start: (name, input) => {
          const started = stepFunctions.startExecution(
            { stateMachineArn: local.stateMachineArn, name, input },
            { onEvent: combine(progressPrinter(opts.log, t0, { ...LOCAL_PROGRESS, explainFailure }), opts.onEvent) },
          );
          executionArn = started.executionArn!;
          return { executionArn, startDate: started.startDate! };
        },
      });
      stepFunctions.ensureStateMachine(local.stateMachineName, local.definition, local.roleArn);
      try {
        await triggerOnce(local.trigger, clock);
        execution = await stepFunctions.result(executionArn!);
      } finally {
        local.approvals.stop();
      }
    } finally {
      await stepFunctions.close();
    }
    const summary = execution.output && typeof execution.output === 'object' && !Array.isArray(execution.output) ? execution.output : undefined;
    const result: PipelineRunResult = { execution, summary, elapsedMs: Date.now() - t0, ...(failedJob && execution.status !== 'SUCCEEDED' ? { failedJob } : {}) };
    const sample = await samplePrediction(services, summary, execution.input);
    if (sample) result.samplePrediction = sample;
    return result;
  } finally {
    await services.close();
  }
}

/**
 * Triggers the pipeline; a run started in the same second as the previous one (run names carry
 * the second, as on AWS) is started again once that second has passed, instead of failing.
 */
async function triggerOnce<T>(trigger: () => Promise<T>, clock: Clock): Promise<T> {
  try {
    return await trigger();
  } catch (e) {
    if (!(e instanceof ExecutionNameTakenError)) throw e;
    // The name comes from this clock (virtual under --fast), so the next second is its next second.
    await clock.sleep(1000 - (clock.now() % 1000) + 5);
    return trigger();
  }
}

/** Sends the first row of the test features to the endpoint the run deployed. */
async function samplePrediction(
  services: LocalServices,
  summary: JsonObject | undefined,
  input: Json,
): Promise<{ input: string; output: string } | undefined> {
  const endpoint = summary?.['endpoint'] as JsonObject | null | undefined;
  const name = typeof endpoint?.['EndpointName'] === 'string' ? endpoint['EndpointName'] : typeof endpoint?.['name'] === 'string' ? endpoint['name'] : undefined;
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
