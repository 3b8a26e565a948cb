/**
 * A running endpoint variant: the front (stable URL) plus the current Python model server.
 *
 * `update` is SageMaker's blue/green swap in miniature: stage and start the new model server,
 * wait until it answers /ping, switch the front to it, let the old server finish every request
 * it already accepted, then stop it. If the new server fails to start, the old one keeps serving
 * (as a failed UpdateEndpoint leaves the endpoint on its old configuration).
 *
 * A model server that exits on its own (a crash, an out-of-memory kill) is started again, as
 * SageMaker replaces an unhealthy instance: a bounded number of attempts with growing waits, each
 * logged to the endpoint's log. Meanwhile the front answers SageMaker runtime's ServiceUnavailable.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostingContext, InvokeRequest, InvokeResult, ModelServerHandle, ModelSpec } from '../contracts.js';

export type { InvokeRequest };
import { SageMakerRuntimeError } from '../runtime-errors.js';
import { checkRuntime, resolveRuntime, RuntimeUnavailable, type RuntimeProfile } from '../runtimes/index.js';
import { ModelServerStartError } from './errors.js';
import { httpRequest } from './backend-http.js';
import { FrontProxy } from './front-proxy.js';
import type { ResolvedHostingOptions } from './hosting-options.js';
import { LogSink } from './log-sink.js';
import { ModelBackend } from './model-backend.js';
import { installServerRequirements } from './server-requirements.js';
import { stageModel } from './stage-model.js';

export interface LocalInvokeResult extends InvokeResult {
  /** Microseconds inside the handlers (CloudWatch's ModelLatency). */
  modelLatencyUs?: number;
}

/** What startServer returns: the contract's handle plus a direct invoke for in-process callers. */
export interface LocalModelServer extends ModelServerHandle {
  /** Sends one request to the current model server without going through the front. */
  invoke(req: InvokeRequest): Promise<LocalInvokeResult>;
  /** The current model server process (diagnostics and tests; it changes on update and restart). */
  readonly serverPid: number | undefined;
  /** How many times a model server that exited on its own was started again. */
  readonly restarts: number;
}

/** Starts one Python model server for `model` in a fresh numbered folder under the context's workDir. */
export async function launchBackend(
  model: ModelSpec,
  ctx: HostingContext,
  log: LogSink,
  options: ResolvedHostingOptions,
  generation: number,
  extraEnvironment: Record<string, string> = {},
): Promise<{ backend: ModelBackend; root: string }> {
  const root = join(ctx.workDir, `server-${generation}`);
  await rm(root, { recursive: true, force: true });
  const runtime = await modelRuntime(model, ctx, log);
  // Whether the runtime's interpreter has the image's modules is asked alongside the start; its
  // answer (what to install) replaces a start failure's own.
  const runtimeCheck = checkRuntime(runtime, ctx.home);
  runtimeCheck.catch(() => undefined);
  try {
    const staged = await stageModel({
      s3: ctx.s3,
      root,
      logFile: log.file,
      modelDataUrl: model.modelDataUrl,
      submitDirectory: model.environment['SAGEMAKER_SUBMIT_DIRECTORY'],
    });
    const python = options.python !== undefined && runtime.source === 'builtin' ? options.python : runtime.python;
    const layer = await installServerRequirements({
      staged,
      home: ctx.home,
      python,
      environment: model.environment,
      networkIsolation: model.networkIsolation,
      log,
      options,
      ...(options.hostEnv !== undefined ? { hostEnv: options.hostEnv } : {}),
    });
    const backend = await ModelBackend.start({
      staged,
      ...(layer !== undefined ? { requirementsLayer: layer } : {}),
      home: ctx.home,
      environment: { ...model.environment, ...extraEnvironment },
      region: ctx.region,
      log,
      modelDataUrl: model.modelDataUrl,
      networkIsolation: model.networkIsolation,
      what: `model ${model.name}`,
      python,
      serving: runtime.serving,
      options,
    });
    return { backend, root };
  } catch (e) {
    await rm(root, { recursive: true, force: true });
    if (e instanceof ModelServerStartError) {
      const missing = await runtimeCheck.then(
        () => undefined,
        (err: unknown) => (err instanceof RuntimeUnavailable ? err.message : undefined),
      );
      if (missing !== undefined) {
        log.line(`mlops-sfn: ${missing}`);
        throw new ModelServerStartError(e.stage, missing, log.file);
      }
    }
    throw e;
  }
}

/** The local runtime standing in for the model's image; an image nothing maps fails the start, saying how to map it. */
async function modelRuntime(model: ModelSpec, ctx: HostingContext, log: LogSink): Promise<RuntimeProfile> {
  try {
    return await resolveRuntime(model.image, ctx.home);
  } catch (e) {
    if (!(e instanceof RuntimeUnavailable)) throw e;
    log.line(`mlops-sfn: ${e.message}`);
    throw new ModelServerStartError('spawn', e.message, log.file);
  }
}

export function invokeBackend(backend: ModelBackend, req: InvokeRequest): Promise<LocalInvokeResult> {
  const headers: Record<string, string> = {};
  if (req.contentType !== undefined) headers['content-type'] = req.contentType;
  if (req.accept !== undefined) headers['accept'] = req.accept;
  if (req.customAttributes !== undefined) headers['x-amzn-sagemaker-custom-attributes'] = req.customAttributes;
  return httpRequest(backend, {
    method: 'POST',
    path: '/invocations',
    headers,
    body: req.body,
    timeoutMs: req.timeoutMs ?? 60_000,
    signal: req.signal,
  }).then((r) => ({
    status: r.status,
    contentType: typeof r.headers['content-type'] === 'string' ? r.headers['content-type'] : '',
    body: r.body,
    modelLatencyUs: r.modelLatencyUs,
  }));
}

/** A model server that lives this long after a (re)start has recovered: its next crash starts a fresh count of attempts. */
const HEALTHY_AFTER_MS = 60_000;
const MAX_RESTART_DELAY_MS = 10_000;

export class ModelServer implements LocalModelServer {
  private generation: number;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly stopping = new AbortController();
  /** Restart attempts since the server last ran long enough to count as healthy. */
  private failures = 0;
  private since = Date.now();
  private restartCount = 0;
  private downReason = '';

  private constructor(
    readonly url: string,
    private readonly front: FrontProxy,
    private current: { backend: ModelBackend; root: string },
    private model: ModelSpec,
    private readonly ctx: HostingContext,
    private readonly log: LogSink,
    private readonly options: ResolvedHostingOptions,
  ) {
    this.generation = 1;
    this.watch(current.backend);
  }

  get serverPid(): number | undefined {
    return this.current.backend.pid;
  }

  get restarts(): number {
    return this.restartCount;
  }

  static async start(model: ModelSpec, ctx: HostingContext, options: ResolvedHostingOptions): Promise<ModelServer> {
    const log = new LogSink(ctx.logFile);
    let first: { backend: ModelBackend; root: string };
    try {
      first = await launchBackend(model, ctx, log, options, 1);
    } catch (e) {
      await log.close();
      throw e;
    }
    let server: ModelServer | undefined;
    const timeoutSeconds = Number(model.environment['SAGEMAKER_MODEL_SERVER_TIMEOUT'] ?? '60');
    const front = new FrontProxy(
      () => server!.current.backend,
      (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 60) * 1000,
      () => server!.downReason,
    );
    let url: string;
    try {
      url = await front.listen();
    } catch (e) {
      await first.backend.stop(0);
      await log.close();
      throw e;
    }
    server = new ModelServer(url, front, first, model, ctx, log, options);
    return server;
  }

  invoke(req: InvokeRequest): Promise<LocalInvokeResult> {
    const backend = this.current.backend;
    if (!backend.alive) {
      const err = new SageMakerRuntimeError('ServiceUnavailable', this.downReason);
      return Promise.resolve({ status: err.statusCode, contentType: 'application/json', body: Buffer.from(JSON.stringify(err.body())), errorType: err.code });
    }
    return invokeBackend(backend, req);
  }

  update(model: ModelSpec): Promise<void> {
    const run = this.queue.then(() => this.swap(model));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async swap(model: ModelSpec): Promise<void> {
    if (this.stopped) throw new Error('the model server is stopped');
    const next = await launchBackend(model, this.ctx, this.log, this.options, ++this.generation);
    if (this.stopped) {
      await this.retire(next);
      throw new Error('the model server was stopped during the update');
    }
    const old = this.current;
    this.current = next;
    this.model = model;
    this.since = Date.now();
    this.failures = 0;
    this.watch(next.backend);
    this.log.line(`mlops-sfn: switched to a new model server (pid ${next.backend.pid}); draining the previous one`);
    await old.backend.idle();
    await this.retire(old);
  }

  private watch(backend: ModelBackend): void {
    void backend.unexpectedExit().then((how) => {
      if (this.stopped || this.current.backend !== backend) return;
      this.downReason = `The endpoint's instance is being replaced: its model server stopped unexpectedly (${how}). Try again shortly.`;
      this.log.line(`mlops-sfn: the model server (pid ${backend.pid}) stopped unexpectedly (${how}); starting a new one, as SageMaker replaces an unhealthy instance`);
      const run = this.queue.then(() => this.restart(backend));
      this.queue = run.catch(() => undefined);
    });
  }

  /** Starts a new model server in place of `crashed`, with bounded attempts and growing waits. */
  private async restart(crashed: ModelBackend): Promise<void> {
    const { restartAttempts, restartDelayMs } = this.options;
    if (Date.now() - this.since >= HEALTHY_AFTER_MS) this.failures = 0;
    for (;;) {
      if (this.stopped || this.current.backend !== crashed) return;
      if (this.failures >= restartAttempts) {
        this.downReason = `The endpoint's instance could not be replaced: its model server failed ${restartAttempts} restarts in a row. Update or recreate the endpoint (see its log).`;
        this.log.line(`mlops-sfn: gave up restarting the model server after ${restartAttempts} attempts; requests get ServiceUnavailable until the endpoint is updated or deleted`);
        return;
      }
      const delay = this.failures === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, restartDelayMs * 2 ** (this.failures - 1));
      const attempt = ++this.failures;
      if (delay > 0) await sleep(delay, this.stopping.signal);
      if (this.stopped) return;
      let next: { backend: ModelBackend; root: string };
      try {
        next = await launchBackend(this.model, this.ctx, this.log, this.options, ++this.generation);
      } catch (e) {
        this.log.line(`mlops-sfn: restart attempt ${attempt} of ${restartAttempts} failed: ${(e as Error).message}`);
        continue;
      }
      if (this.stopped) {
        await this.retire(next);
        return;
      }
      const dead = this.current;
      this.current = next;
      this.since = Date.now();
      this.restartCount++;
      this.watch(next.backend);
      this.log.line(`mlops-sfn: model server restarted (attempt ${attempt} of ${restartAttempts}, pid ${next.backend.pid})`);
      await this.retire(dead);
      return;
    }
  }

  private async retire(gen: { backend: ModelBackend; root: string }): Promise<void> {
    await gen.backend.stop(this.options.stopGraceMs);
    await rm(gen.root, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping.abort();
    await this.front.close();
    await this.queue;
    await this.retire(this.current);
    await this.log.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
