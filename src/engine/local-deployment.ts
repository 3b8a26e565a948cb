/**
 * A pipeline "deployed" to the local home, as `deploy` does it on AWS: the scripts and the filled-in
 * YAML uploaded to the bucket, the generated state machine (the approval Lambda's ARN filled in)
 * created or updated, and the trigger and approval Lambdas registered, so the schedule's event
 * `{"config": {"bucket", "prefix"}}` starts a run exactly as EventBridge Scheduler does on AWS.
 * `run` deploys and triggers once; `serve` deploys and fires the schedule. Neither creates the
 * state machine nor wires the Lambdas itself: a `LocalDeployment` is ready to trigger when it exists.
 */
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { sklearnImageUri, xgboostImageUri } from '../core/sklearn-image.js';
import type { ExecutionResult } from '../asl/execution.js';
import { hasErrors, InvalidPipelineError, loadPipeline, type DeploymentValues, type LoadedPipeline, type PipelineConfig } from '../config/index.js';
import { renderPipelineDefinition, substituteDefinition } from '../definition/index.js';
import { uploadDirectory } from '../emulators/s3/index.js';
import { createApprovalHandler, createTriggerHandler, ExecutionNameTakenError, type TriggerEvent } from '../lambda/index.js';
import type { LocalServices } from './local-services.js';
import { localExecutionStarter, localS3Reader } from './local-aws-clients.js';
import { ManualApprovals } from './manual-approvals.js';
import { mirrorUpload, planPipelineUpload } from './pipeline-upload.js';
import type { LocalStepFunctions, StartOptions } from './step-functions/index.js';
import { attachPipelineFunctions, LOCAL_BUCKET, pipelineFunctionArns } from './pipeline-functions.js';

export const LOCAL_STATE_MACHINE = 'mlops-pipeline';
export const LOCAL_ROLE_ARN = 'arn:aws:iam::111111111111:role/SageMakerExecutionRole';
export const TRIGGER_FUNCTION = 'mlops-trigger';
export const APPROVAL_FUNCTION = 'mlops-approval';

export interface LocalDeploymentOptions {
  /** The pipeline folder or YAML file. */
  pipeline: string;
  clock: Clock;
  /** The local Step Functions the state machine is deployed to and its executions run on. */
  stepFunctions: LocalStepFunctions;
  /**
   * How each execution the trigger Lambda starts (from `trigger()`, the schedule or the Lambda API)
   * is watched: its live progress (`onEvent`), and what to do once it has started.
   */
  watch?: (name: string) => StartOptions & { started?: (execution: LocalExecution) => void };
  /** Rows for a pipeline's data generator (generate_data.py --rows). */
  dataRows?: number;
  log: (line: string) => void;
}

/** An execution the trigger started: its name and ARN, and its end. */
export interface LocalExecution {
  executionArn: string;
  executionName: string;
  startDate: Date;
  /** Resolves when the execution ends (whatever its status). */
  result(): Promise<ExecutionResult>;
}

export interface LocalDeployment {
  config: PipelineConfig;
  deployment: DeploymentValues;
  /** The definition as deployed (the approval function's ARN filled in). */
  definition: JsonObject;
  stateMachineName: string;
  stateMachineArn: string;
  /** What deploying did to the state machine. */
  change: 'created' | 'updated' | 'unchanged';
  /** The event the schedule sends the trigger Lambda. */
  triggerEvent: TriggerEvent;
  /**
   * Invokes the registered trigger Lambda with `triggerEvent` (what the schedule does). A run
   * started in the same second as the previous one (run names carry the second, as on AWS) is
   * started again once that second has passed, instead of failing. `options` are what a person
   * asked for this run (`run --no-cache`, `run --from <stage>`), sent in the event as on AWS.
   */
  trigger(options?: RunEventOptions): Promise<LocalExecution>;
  approvals: ManualApprovals;
  /** Stops answering approvals (the executions themselves belong to the Step Functions service). */
  stop(): void;
}

/** The trigger event's "options": {"no_cache": true, "from": "<stage>"}. */
export interface RunEventOptions {
  no_cache?: boolean;
  from?: string;
}

/** The local deployment's values: what CDK outputs would be on AWS. */
export function localDeployment(modelName: string): DeploymentValues {
  const region = 'us-east-1';
  return { bucket: LOCAL_BUCKET, modelName, imageUri: sklearnImageUri(region), xgboostImageUri: xgboostImageUri(region), roleArn: LOCAL_ROLE_ARN, region };
}

export async function deployPipelineLocally(services: LocalServices, opts: LocalDeploymentOptions): Promise<LocalDeployment> {
  const loaded = await loadPipeline(opts.pipeline);
  if (hasErrors(loaded.problems) || !loaded.config) throw new InvalidPipelineError(loaded.file, loaded.problems);
  const config = loaded.config;
  const deployment = localDeployment(config.model_id);
  await upload(services, loaded, opts, deployment);

  attachPipelineFunctions(services, opts.clock);
  const definition = substituteDefinition(renderPipelineDefinition().definition, {
    ApprovalFunctionArn: services.lambda.arn(APPROVAL_FUNCTION),
    ...pipelineFunctionArns(services),
  });
  const sfn = opts.stepFunctions;
  const machine = sfn.ensureStateMachine(LOCAL_STATE_MACHINE, definition, `arn:aws:iam::${services.location.accountId}:role/mlops-sfn-states`);
  const approvals = attachManualApprovals(services, opts.clock, opts.log);

  const start = (name: string, input: string): LocalExecution => {
    const { started, ...options } = opts.watch?.(name) ?? {};
    const out = sfn.startExecution({ stateMachineArn: machine.stateMachineArn, name, input }, options);
    const arn = out.executionArn!;
    const execution: LocalExecution = { executionArn: arn, executionName: name, startDate: out.startDate!, result: () => sfn.result(arn) };
    started?.(execution);
    return execution;
  };
  // The same trigger code as in AWS, its SDK clients answered by the local S3 and Step Functions.
  const handler = createTriggerHandler({
    s3: localS3Reader(services.s3),
    sfn: localExecutionStarter(start),
    stateMachineArn: machine.stateMachineArn,
    deployment,
    now: () => opts.clock.now(),
    log: opts.log,
  });
  services.lambda.register(TRIGGER_FUNCTION, handler);
  const triggerEvent: TriggerEvent = { config: { bucket: deployment.bucket, prefix: `${deployment.modelName}/scripts/input.yaml` } };
  const triggerOnce = async (options?: RunEventOptions): Promise<LocalExecution> => {
    const r = await handler(options && Object.keys(options).length > 0 ? { ...triggerEvent, options: { ...options } } : triggerEvent);
    return { executionArn: r.executionArn, executionName: r.executionName, startDate: new Date(r.startDate), result: () => sfn.result(r.executionArn) };
  };
  return {
    config,
    deployment,
    definition,
    stateMachineName: LOCAL_STATE_MACHINE,
    stateMachineArn: machine.stateMachineArn,
    change: machine.change,
    triggerEvent,
    trigger: async (options?: RunEventOptions) => {
      try {
        return await triggerOnce(options);
      } catch (e) {
        if (!(e instanceof ExecutionNameTakenError)) throw e;
        // The name comes from this clock (virtual under --fast), so the next second is its next second.
        await opts.clock.sleep(1000 - (opts.clock.now() % 1000) + 5);
        return triggerOnce(options);
      }
    },
    approvals,
    stop: () => approvals.stop(),
  };
}

/**
 * The approval Lambda of local pipelines, with the manual approvals it records: what an execution of
 * the pipeline calls besides SageMaker. `serve` and `resume` attach it even without the pipeline's
 * folder, so a resumed pipeline execution can still ask for (and get) a decision.
 */
export function attachManualApprovals(services: LocalServices, clock: Clock, log: (line: string) => void): ManualApprovals {
  const approvals = new ManualApprovals(services, clock, log);
  services.lambda.register(APPROVAL_FUNCTION, createApprovalHandler({ store: approvals, log: () => {} }));
  return approvals;
}

/** The same objects `deploy` uploads, plus the pipeline's data folder (or what its generator writes). */
async function upload(services: LocalServices, loaded: LoadedPipeline, opts: LocalDeploymentOptions, deployment: DeploymentValues): Promise<void> {
  const s3 = services.s3;
  if (!(await s3.bucketExists(deployment.bucket))) await s3.createBucket({ Bucket: deployment.bucket });
  const plan = await planPipelineUpload(loaded, deployment);
  const { removed } = await mirrorUpload(plan, {
    put: async (e) => void (await s3.putObject({ Bucket: plan.bucket, Key: e.key, Body: e.body, ContentType: e.contentType })),
    keys: async (prefix) => {
      const keys: string[] = [];
      for await (const o of s3.listAll(plan.bucket, prefix)) keys.push(o.Key);
      return keys;
    },
    remove: async (keys) => {
      for (const Key of keys) await s3.deleteObject({ Bucket: plan.bucket, Key });
    },
  });
  if (removed.length > 0) opts.log(`removed ${removed.length} script${removed.length === 1 ? '' : 's'} no longer in the pipeline folder: ${removed.map((k) => k.slice(plan.prefix.length)).join(', ')}`);
  const dataDir = await dataFolder(loaded.dir, services.home, opts);
  if (dataDir) {
    const files = await uploadDirectory(s3, { dir: dataDir, bucket: deployment.bucket, prefix: `${deployment.modelName}/data/` });
    opts.log(`uploaded ${plan.entries.length} pipeline files and ${files.length} data files to s3://${deployment.bucket}/${deployment.modelName}/`);
  } else {
    opts.log(`uploaded ${plan.entries.length} pipeline files to s3://${deployment.bucket}/${deployment.modelName}/scripts/`);
  }
}

/**
 * The pipeline's data: its `data/` folder, or else what its `generate_data.py` writes into `data/`
 * when run from a copy in the home's cache (so the example folder stays clean). Generated data is
 * kept and reused while the generator and the row count are unchanged.
 */
async function dataFolder(dir: string, home: string, opts: LocalDeploymentOptions): Promise<string | undefined> {
  const own = join(dir, 'data');
  if (existsSync(own) && (await stat(own)).isDirectory()) return own;
  const generator = join(dir, 'generate_data.py');
  if (!existsSync(generator)) return undefined;
  const cache = resolve(home, 'datasets', `${Buffer.from(resolve(dir)).toString('base64url').slice(-40)}-${opts.dataRows ?? 'full'}`);
  const done = join(cache, '.complete');
  if (existsSync(done) && (await stat(done)).mtimeMs >= (await stat(generator)).mtimeMs) return join(cache, 'data');
  await mkdir(cache, { recursive: true });
  await copyFile(generator, join(cache, 'generate_data.py'));
  const args = [join(cache, 'generate_data.py')];
  if (opts.dataRows !== undefined) args.push('--rows', String(opts.dataRows));
  opts.log(`generating the example data set with generate_data.py${opts.dataRows ? ` (${opts.dataRows} rows)` : ''} ...`);
  await runPython(args, cache);
  await writeFile(done, new Date().toISOString());
  return join(cache, 'data');
}

function runPython(args: string[], cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const p = spawn('/usr/bin/python3', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e) => reject(new UserError(`cannot run /usr/bin/python3 for generate_data.py: ${e.message} (install python3-pandas and python3-sklearn)`)));
    p.on('close', (code) => (code === 0 ? resolveRun() : reject(new UserError(`generate_data.py failed (exit ${code}): ${err.trim().split('\n').at(-1) ?? ''}`))));
  });
}
