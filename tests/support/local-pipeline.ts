/**
 * The rendered pipeline definition run on the real engine over the real local SageMaker service and
 * S3 (state in memory, objects in a temp home), with the approval step answered by the real approval
 * Lambda. Test doubles stand in only where a real process is not the point: jobs end as the test
 * says (an evaluation job writes its metrics to S3, as the real script does), and model servers are
 * in-process HTTP servers (FakeHosting).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExecution, type ExecutionResult } from '../../src/asl/execution.js';
import type { HistoryEvent } from '../../src/asl/history.js';
import { loadStateMachine } from '../../src/asl/machine.js';
import { executionNameFor, pipelineExecutionInput, parsePipelineText, type DeploymentValues, type StageName } from '../../src/config/index.js';
import { LOCAL_LOCATION } from '../../src/core/arn.js';
import { packageFile } from '../../src/core/package-root.js';
import { VirtualClock } from '../../src/core/clock.js';
import { isJsonObject, type JsonObject } from '../../src/core/json.js';
import { renderPipelineDefinition, substituteDefinition } from '../../src/definition/index.js';
import { parseS3Uri, s3StoreForHome, type S3Store } from '../../src/emulators/s3/index.js';
import type { JobContext, JobOutcome, JobRunner, JobSpec } from '../../src/emulators/sagemaker/contracts.js';
import { SageMakerService } from '../../src/emulators/sagemaker/service/index.js';
import { S3SdkIntegration } from '../../src/integrations/aws-sdk-s3.js';
import { LambdaFunctions, LambdaIntegration } from '../../src/integrations/lambda.js';
import { IntegrationRegistry } from '../../src/integrations/registry.js';
import { SageMakerIntegration, SageMakerSdkIntegration } from '../../src/integrations/sagemaker.js';
import { cacheLocation, createApprovalHandler, createCacheHandler, stageFailureHandler, type PendingApproval } from '../../src/lambda/index.js';
import { localCacheStorage } from '../../src/engine/local-cache-storage.js';
import { Store } from '../../src/store/index.js';
import { FakeHosting } from './sagemaker-doubles.js';

const MACHINE = loadStateMachine(
  substituteDefinition(renderPipelineDefinition().definition, {
    ApprovalFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:approval',
    CacheFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:cache',
    StageFailureFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:stage-failure',
  }),
);

/**
 * The census example with rules on the two metrics ScriptedJobRunner's evaluation writes by default
 * (tests of the machine, not of the example's own rules, which tests/examples checks on real models).
 */
export function censusForScriptedRuns(): string {
  return readFileSync(packageFile('examples', 'census', 'pipeline.yaml'), 'utf8').replace(/^  rules:\n(?: {4}- .*\n)+/m, '  rules:\n    - accuracy >= 0.8\n    - roc_auc >= 0.75\n');
}

export type ScriptedOutcome = { status: 'Completed' } | { status: 'Failed'; reason: string };

/** Ends each job as `outcome` says; an evaluation job that completes writes `evaluationMetrics` to its outputs. */
export class ScriptedJobRunner implements JobRunner {
  readonly jobs: JobSpec[] = [];
  outcome: (kind: JobSpec['kind'], name: string, request: JsonObject) => ScriptedOutcome = () => ({ status: 'Completed' });
  /** What the evaluation script writes to `<output>/evaluation.json` (undefined: writes nothing). */
  evaluationMetrics: JsonObject | undefined = {
    binary_classification_metrics: { accuracy: { value: 0.91, standard_deviation: 'NaN' }, roc_auc: { value: 0.88, standard_deviation: 'NaN' } },
  };

  /**
   * Also write what the real jobs write, with the same bytes every time: a file per processing
   * output and the training job's model.tar.gz (the step cache records and copies them).
   */
  writesOutputs = false;

  async run(job: JobSpec, ctx: JobContext): Promise<JobOutcome> {
    this.jobs.push(job);
    const startTime = Date.now();
    const outcome = this.outcome(job.kind, job.name, job.request);
    if (outcome.status === 'Failed') return { status: 'Failed', failureReason: outcome.reason, startTime, endTime: Date.now() };
    if (this.writesOutputs) await writeOutputs(job, ctx);
    if (job.kind === 'processing' && job.name.startsWith('evaluation-') && this.evaluationMetrics) {
      const outputs = (job.request['ProcessingOutputConfig'] as JsonObject | undefined)?.['Outputs'];
      for (const o of Array.isArray(outputs) ? outputs : []) {
        const uri = String(((o as JsonObject)['S3Output'] as JsonObject)['S3Uri']).replace(/\/$/, '');
        const at = parseS3Uri(`${uri}/evaluation.json`);
        await ctx.s3.putObject({ Bucket: at.bucket, Key: at.key, Body: JSON.stringify(this.evaluationMetrics) });
      }
    }
    const done: JobOutcome = { status: 'Completed', startTime, endTime: Date.now() };
    if (job.kind === 'training') {
      const out = String((job.request['OutputDataConfig'] as JsonObject)['S3OutputPath']).replace(/\/$/, '');
      done.s3ModelArtifacts = `${out}/${job.name}/output/model.tar.gz`;
    }
    return done;
  }
}

async function writeOutputs(job: JobSpec, ctx: JobContext): Promise<void> {
  const put = async (uri: string, body: string) => {
    const at = parseS3Uri(uri);
    await ctx.s3.putObject({ Bucket: at.bucket, Key: at.key, Body: body });
  };
  if (job.kind === 'processing') {
    const outputs = (job.request['ProcessingOutputConfig'] as JsonObject | undefined)?.['Outputs'];
    for (const o of Array.isArray(outputs) ? (outputs as JsonObject[]) : []) {
      await put(`${String((o['S3Output'] as JsonObject)['S3Uri']).replace(/\/$/, '')}/${String(o['OutputName'])}.csv`, `rows of ${String(o['OutputName'])}\n`);
    }
  } else if (job.kind === 'training') {
    await put(`${String((job.request['OutputDataConfig'] as JsonObject)['S3OutputPath']).replace(/\/$/, '')}/${job.name}/output/model.tar.gz`, 'a model');
  }
}

export interface LocalPipelineOptions {
  deployment: DeploymentValues;
  /**
   * Whether virtual time stands still while a model server starts (true, as `run --fast` does).
   * False lets an endpoint that never becomes ready run into the pipeline's own timeout.
   */
  holdClockWhileEndpointsStart?: boolean;
}

export interface PipelineRunOptions {
  /** Answers a manual approval (after the Lambda stored it); undefined lets it time out. */
  decide?: (p: PendingApproval) => JsonObject | undefined;
  /** Seconds since the epoch that name the execution. */
  epoch?: number;
  /** `run --no-cache` / `run --from <stage>`. */
  noCache?: boolean;
  from?: StageName;
  onEvent?: (e: HistoryEvent) => void;
}

export interface PipelineRun {
  result: ExecutionResult;
  name: string;
  pending: PendingApproval[];
}

/** One local home (SageMaker records, S3) that successive runs share, as `mlops-sfn run` twice would. */
export class LocalPipeline {
  readonly home = mkdtempSync(join(tmpdir(), 'mlops-sfn-pipeline-'));
  readonly store = Store.memory();
  readonly s3: S3Store = s3StoreForHome(this.home, { fsync: false });
  readonly runner = new ScriptedJobRunner();
  readonly hosting = new FakeHosting();
  readonly sagemaker: SageMakerService;
  private clock = new VirtualClock();

  constructor(private readonly opts: LocalPipelineOptions) {
    const hold = opts.holdClockWhileEndpointsStart ?? true;
    this.sagemaker = new SageMakerService({
      store: this.store,
      s3: this.s3,
      home: this.home,
      location: LOCAL_LOCATION,
      runner: this.runner,
      hosting: this.hosting,
      pollMs: 20,
      ...(hold ? { holdClock: () => this.clock.hold() } : {}),
    });
  }

  async run(yaml: string, opts: PipelineRunOptions = {}): Promise<PipelineRun> {
    const parsed = parsePipelineText(yaml, 'pipeline.yaml');
    assert.ok(parsed.config, parsed.problems.map((p) => p.message).join('\n'));
    await this.s3.createBucket({ Bucket: this.opts.deployment.bucket }).catch(() => undefined);
    const name = executionNameFor(parsed.config, this.opts.deployment, opts.epoch ?? 1_724_940_337);
    const input = pipelineExecutionInput(parsed.config, this.opts.deployment, name, {
      ...(opts.noCache ? { noCache: true } : {}),
      ...(opts.from ? { from: opts.from } : {}),
    });
    const clock = (this.clock = new VirtualClock());
    const functions = new LambdaFunctions();
    const tasks = new IntegrationRegistry()
      .add(new LambdaIntegration(functions))
      .add(new SageMakerIntegration(this.sagemaker, { clock }))
      .add(new SageMakerSdkIntegration(this.sagemaker))
      .add(new S3SdkIntegration(this.s3));
    const pending: PendingApproval[] = [];
    const approval = createApprovalHandler({
      store: {
        put: async (p) => {
          pending.push(p);
          const output = opts.decide?.(p);
          if (output) {
            // A person answering takes real time: virtual time (and so the approval timeout) stands still meanwhile.
            const release = clock.hold();
            setImmediate(() => {
              tasks.tokens.sendTaskSuccess(p.taskToken, output);
              release();
            });
          }
        },
      },
      log: () => {},
    });
    functions.register('approval', async (event) => (await approval(event)) as unknown as JsonObject);
    // The real cache and stage-failure Lambdas, over this home's S3.
    const bucket = this.opts.deployment.bucket;
    const cache = createCacheHandler({ s3: localCacheStorage(this.s3), location: (p) => cacheLocation(bucket, p), now: () => clock.now() });
    functions.register('cache', async (event) => (await cache(event)) as unknown as JsonObject);
    functions.register('stage-failure', async (event) => (await stageFailureHandler(event)) as unknown as JsonObject);
    const result = await runExecution(MACHINE, input, {
      tasks,
      clock,
      name,
      stateMachineName: 'mlops-pipeline',
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
    return { result, name, pending };
  }

  /** Model package versions of a group, oldest first. */
  packages(group: string): JsonObject[] {
    const list = this.sagemaker.call('ListModelPackages', { ModelPackageGroupName: group, SortBy: 'CreationTime', SortOrder: 'Ascending' }) as JsonObject;
    return list['ModelPackageSummaryList'] as JsonObject[];
  }

  async close(): Promise<void> {
    await this.sagemaker.close();
    this.store.close();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A task the execution scheduled: "sagemaker:createModel", "aws-sdk:s3:getObject", ..., and its parameters. */
export interface ScheduledTask {
  action: string;
  params: JsonObject;
}

export function scheduledTasks(history: readonly HistoryEvent[]): ScheduledTask[] {
  return history
    .filter((e) => e.type === 'TaskScheduled')
    .map((e) => {
      const d = (e as unknown as Record<string, JsonObject>)['taskScheduledEventDetails']!;
      const params: unknown = JSON.parse(String(d['parameters']));
      return { action: `${String(d['resourceType'])}:${String(d['resource'])}`, params: isJsonObject(params) ? params : {} };
    });
}

/** The parameters of every call to one action, e.g. "createTrainingJob.sync" or "describeEndpoint". */
export function callsTo(history: readonly HistoryEvent[], action: string): JsonObject[] {
  return scheduledTasks(history)
    .filter((t) => t.action.endsWith(`:${action}`))
    .map((t) => t.params);
}
