/**
 * `mlops-sfn serve`: the local home as a long-running stand-in for the deployed stack. One process
 * owns the home's live parts — the local HTTP API (Step Functions, Lambda, SageMaker and its runtime
 * in AWS's protocols), the InService endpoints' model servers (adopted again after a restart), the
 * executions it starts, and, when a pipeline is given, the pipeline "deployed" locally with its
 * EventBridge Scheduler schedule firing the trigger Lambda as on AWS.
 *
 * `<home>/serve.json` ({pid, url}) tells other commands of the same home (`invoke`, `start`) where the
 * API is while this runs; it is written atomically and removed on the way out.
 */
import { RealClock, type Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { startLocalApi, type LocalApi } from '../api/index.js';
import { LocalStepFunctions } from '../engine/step-functions/index.js';
import { removeServeFile, runningServe, writeServeFile } from '../engine/serve-file.js';
import { attachManualApprovals, deployPipelineLocally, TRIGGER_FUNCTION, type LocalDeployment } from '../engine/local-deployment.js';
import { attachPipelineFunctions } from '../engine/pipeline-functions.js';
import { readableCause } from '../lambda/index.js';
import { LocalSchedule } from './local-scheduler.js';
import { openLocalServices, type LocalServices } from '../engine/local-services.js';
import { LOCAL_PROGRESS, progressPrinter } from '../engine/progress.js';
import { staticSite } from '../console/static-site.js';
import { localFailureExplainer } from '../engine/job-failure-cause.js';
import { readMockConfig } from '../engine/mock-config-file.js';

export const DEFAULT_SERVE_PORT = 4599;

export interface LocalServerOptions {
  home: string;
  /** A pipeline folder or YAML to deploy locally (its schedule fires unless `schedule` is false). */
  pipeline?: string;
  host?: string;
  port?: number;
  /** The deployment's schedule (`cron(...)` and IANA zone); false: never fire. */
  schedule?: { expression: string; timezone: string } | false;
  /** Rows for the pipeline's data generator. */
  dataRows?: number;
  log: (line: string) => void;
  clock?: Clock;
  /** Step Functions Local's mock configuration file (`SFN_MOCK_CONFIG`): StartExecution on `<arn>#<TestCase>` uses it. */
  mockConfig?: string;
}

export interface LocalServer {
  url: string;
  services: LocalServices;
  stepFunctions: LocalStepFunctions;
  deployment?: LocalDeployment;
  schedule?: LocalSchedule;
  /** Stops the schedule and the API, ends running executions (ABORTED) and closes the home. */
  close(): Promise<void>;
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const other = runningServe(opts.home);
  if (other && other.pid !== process.pid) {
    throw new UserError(`another mlops-sfn serve (pid ${other.pid}) already serves ${opts.home} at ${other.url}; stop it first or use another --home`);
  }
  const clock = opts.clock ?? new RealClock();
  const log = opts.log;
  // Read and checked before anything opens, as Step Functions Local reads it at start: a bad file stops serve with one line.
  const mockConfig = opts.mockConfig !== undefined ? await readMockConfig(opts.mockConfig) : undefined;
  const services = openLocalServices(opts.home, { clock });
  const stepFunctions = new LocalStepFunctions(services, { clock, log, ...(mockConfig ? { mockConfig } : {}) });
  if (mockConfig) log(`mock configuration ${opts.mockConfig}: ${[...mockConfig.stateMachines].map(([m, cases]) => `${m} (${[...cases.keys()].join(', ')})`).join('; ') || 'no state machines'}`);
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (e) {
        log(`while stopping: ${(e as Error).message}`);
      }
    }
  };
  closers.push(() => services.close(), () => stepFunctions.close());
  try {
    let deployment: LocalDeployment | undefined;
    if (opts.pipeline !== undefined) {
      deployment = await deployPipelineLocally(services, {
        pipeline: opts.pipeline,
        clock,
        stepFunctions,
        log,
        ...(opts.dataRows !== undefined ? { dataRows: opts.dataRows } : {}),
        watch: (name) => ({
          onEvent: progressPrinter((line) => log(`${name} ${line}`), Date.now(), { ...LOCAL_PROGRESS, explainFailure: localFailureExplainer(services.home) }),
          started: (execution) => reportEnd(stepFunctions, execution.executionArn, name, log),
        }),
      });
      log(`state machine ${deployment.stateMachineArn} (${deployment.change})`);
      const d = deployment;
      closers.push(() => d.stop());
    }

    // Executions whose process ended go on here: a resumed pipeline execution may still call the approval Lambda.
    if (!deployment) {
      const approvals = attachManualApprovals(services, clock, log);
      closers.push(() => approvals.stop());
      attachPipelineFunctions(services, clock);
    }
    const orphans = stepFunctions.resumeOrphans((name) => ({ onEvent: progressPrinter((line) => log(`${name} ${line}`), Date.now(), LOCAL_PROGRESS) }));
    for (const arn of orphans.resumed) {
      const name = arn.split(':').pop()!;
      log(`resumed execution ${name}: its process had ended before it did`);
      reportEnd(stepFunctions, arn, name, log);
    }
    for (const f of orphans.failed) log(`cannot resume ${f.arn}: ${f.error}`);

    for (const e of await services.sagemaker.adoptInServiceEndpoints()) {
      log(e.error ? `endpoint ${e.name}: could not start its model server: ${e.error}` : `endpoint ${e.name} is InService at ${e.url}`);
    }

    const api: LocalApi = await startLocalApi({
      services,
      site: staticSite(),
      stepFunctions,
      ...(opts.host !== undefined ? { host: opts.host } : {}),
      port: opts.port ?? DEFAULT_SERVE_PORT,
      log,
    });
    closers.push(() => api.close());
    writeServeFile(opts.home, {
      pid: process.pid,
      url: api.url,
      startedAt: new Date().toISOString(),
      ...(deployment
        ? {
            deployment: {
              stateMachineArn: deployment.stateMachineArn,
              functionName: TRIGGER_FUNCTION,
              bucket: deployment.deployment.bucket,
              modelName: deployment.deployment.modelName,
            },
          }
        : {}),
    });
    closers.push(() => removeServeFile(opts.home));

    let schedule: LocalSchedule | undefined;
    if (deployment && opts.schedule) {
      const d = deployment;
      schedule = new LocalSchedule({
        expression: opts.schedule.expression,
        timezone: opts.schedule.timezone,
        clock,
        log,
        invoke: async ({ scheduledAt }) => {
          log(`schedule fired for ${new Date(scheduledAt).toISOString()}: invoking the trigger with ${JSON.stringify(d.triggerEvent)}`);
          await d.trigger();
        },
      });
      schedule.start();
      closers.push(() => schedule!.stop());
    }
    return { url: api.url, services, stepFunctions, ...(deployment ? { deployment } : {}), ...(schedule ? { schedule } : {}), close };
  } catch (e) {
    await close();
    throw e;
  }
}

function reportEnd(sfn: LocalStepFunctions, executionArn: string, name: string, log: (line: string) => void): void {
  void sfn.result(executionArn).then(
    (r) => log(`${name} ended: ${r.status}${r.error ? ` (${r.error}: ${readableCause(r.cause ?? '')})` : ''}`),
    (e: unknown) => log(`${name}: ${(e as Error).message}`),
  );
}
