/**
 * Test doubles of the service's own seams (JobRunner, Hosting) for tests of the service and the Step
 * Functions integration. The model server double is a real HTTP server on 127.0.0.1.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hosting, HostingContext, JobContext, JobOutcome, JobRunner, JobSpec, ModelServerHandle, ModelSpec } from '../../src/emulators/sagemaker/contracts.js';
import type { JsonObject } from '../../src/core/json.js';

export type FakeBehaviour =
  | { kind: 'complete'; ms?: number; outcome?: Partial<JobOutcome> }
  | { kind: 'fail'; ms?: number; reason: string }
  | { kind: 'hang' }
  | { kind: 'throw'; message: string };

/** Ends each job as told by its name's behaviour (default: completes after 5 ms). */
export class FakeJobRunner implements JobRunner {
  readonly calls: { job: JobSpec; ctx: JobContext }[] = [];
  constructor(readonly behaviours: Record<string, FakeBehaviour> = {}) {}

  async run(job: JobSpec, ctx: JobContext): Promise<JobOutcome> {
    this.calls.push({ job, ctx });
    appendFileSync(ctx.logFile, `running ${job.kind} job ${job.name}\n`);
    const b = this.behaviours[job.name] ?? { kind: 'complete' };
    const startTime = Date.now();
    if (b.kind === 'throw') throw new Error(b.message);
    if (b.kind === 'hang') {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      return { status: 'Failed', failureReason: 'AlgorithmError: killed', startTime, endTime: Date.now() };
    }
    await sleep(b.ms ?? 5, ctx.signal);
    if (ctx.signal.aborted) return { status: 'Stopped', startTime, endTime: Date.now() };
    if (b.kind === 'fail') return { status: 'Failed', failureReason: b.reason, startTime, endTime: Date.now() };
    const outcome: JobOutcome = { status: 'Completed', startTime, endTime: Date.now(), ...b.outcome };
    if (job.kind === 'training' && outcome.s3ModelArtifacts === undefined) {
      const out = (job.request['OutputDataConfig'] as JsonObject)['S3OutputPath'] as string;
      outcome.s3ModelArtifacts = `${out.replace(/\/$/, '')}/${job.name}/output/model.tar.gz`;
    }
    return outcome;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** Model servers that answer /ping and echo the served model's name on /invocations. Images named "broken" fail to start. */
export class FakeHosting implements Hosting {
  readonly started: ModelSpec[] = [];
  readonly transforms: string[] = [];
  /** Set: every model server fails to start with this message (as a broken image would). */
  failStart: string | undefined;
  /** Set: model servers answer /ping only once it resolves (endpoints stay Creating meanwhile). */
  startGate: Promise<void> | undefined;
  /** Set: updates of a running model server wait for it (an endpoint stays Updating meanwhile). */
  updateGate: Promise<void> | undefined;
  private readonly servers = new Set<Server>();

  async startServer(model: ModelSpec, _ctx: HostingContext): Promise<ModelServerHandle> {
    await this.startGate;
    if (this.failStart !== undefined) throw new Error(this.failStart);
    if (model.image.includes('broken')) {
      throw new Error('The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.');
    }
    this.started.push(model);
    let current = model;
    const server = createServer((req, res) => {
      if (req.url === '/ping') return res.writeHead(200).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(current.name);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.servers.add(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      update: async (m) => {
        await this.updateGate;
        current = m;
      },
      stop: async () => {
        this.servers.delete(server);
        await new Promise((r) => server.close(r));
      },
    };
  }

  async runTransform(job: { name: string }, _ctx: JobContext): Promise<JobOutcome> {
    this.transforms.push(job.name);
    const t = Date.now();
    return { status: 'Completed', startTime: t, endTime: t + 1 };
  }

  get running(): number {
    return this.servers.size;
  }
}
