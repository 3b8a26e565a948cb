/**
 * One Python model server process (python/hosting/serve.py): spawned with an argv array (never a
 * shell), optionally inside bubblewrap, listening on a free 127.0.0.1 port it reports back on
 * stdout, and requiring a per-process random token on every request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { packageFile } from '../../../core/package-root.js';
import { ModelServerStartError, modelArchiveInvalid, type StartStage } from './errors.js';
import type { ResolvedHostingOptions } from './hosting-options.js';
import type { LogSink } from './log-sink.js';
import { httpRequest } from './backend-http.js';
import { bwrapArgs, bwrapWorks, OPT_ML } from './sandbox.js';
import { hostPath, type StagedModel } from './stage-model.js';

export function serveScript(): string {
  return packageFile('src', 'emulators', 'sagemaker', 'python', 'hosting', 'serve.py');
}

const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BackendLaunch {
  staged: StagedModel;
  /** The model's Environment (and, for transform jobs, the job's). */
  environment: Record<string, string>;
  region: string;
  log: LogSink;
  /** For the FailureReason of an archive that cannot be unpacked. */
  modelDataUrl?: string;
  options: ResolvedHostingOptions;
}

export class ModelBackend {
  /** Requests sent and not yet answered; `update` waits for 0 before stopping this backend. */
  inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private exited = false;
  private stopRequested = false;
  private readonly exitPromise: Promise<void>;
  /** How the process ended (set once it has). */
  exitStatus: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly token: string,
    readonly agent: Agent,
    readonly sandboxed: boolean,
  ) {
    const status = (): string => (child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);
    this.exitPromise = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    }).then(() => {
      this.exited = true;
      this.exitStatus = status();
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The process id of the server (of bubblewrap when sandboxed; the server dies with it). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Resolves with how the process ended when it ends without stop() having been called (a crash,
   * an OOM kill, a `kill` from outside); never resolves for an orderly stop.
   */
  unexpectedExit(): Promise<string> {
    return new Promise((resolve) => {
      void this.exitPromise.then(() => {
        if (!this.stopRequested) resolve(this.exitStatus ?? 'ended');
      });
    });
  }

  static async start(launch: BackendLaunch): Promise<ModelBackend> {
    const { staged, options, log } = launch;
    const sandboxed = options.sandbox === 'none' ? false : await bwrapWorks();
    if (options.sandbox === 'bwrap' && !sandboxed) {
      throw new ModelServerStartError('spawn', 'bubblewrap (bwrap) was required but cannot create a sandbox here', log.file);
    }
    const token = randomBytes(16).toString('hex');
    const visible = (containerPath: string): string => (sandboxed ? containerPath : hostPath(staged.root, containerPath));
    const serveArgs = [
      serveScript(),
      '--host', '127.0.0.1',
      '--port', '0',
      '--model-dir', visible(`${OPT_ML}/model`),
      '--code-dir', visible(staged.codeDir),
      '--max-archive-bytes', String(options.maxArchiveBytes),
      '--max-archive-members', String(options.maxArchiveMembers),
    ];
    if (staged.modelArchive) serveArgs.push('--model-archive', staged.modelArchive);
    if (staged.codeArchive) serveArgs.push('--code-archive', staged.codeArchive);
    const env: Record<string, string> = {
      PATH: BASE_PATH,
      LANG: 'C.UTF-8',
      HOME: staged.root,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      AWS_REGION: launch.region,
      AWS_DEFAULT_REGION: launch.region,
      // glibc's defaults hand the large buffers of every mini-batch (request body, parser chunks,
      // arrays) back to the kernel and page-fault them in again on the next request; keeping them
      // makes a 6 MB CSV batch about 2x faster here. Requests run one at a time, so one arena is enough.
      MALLOC_ARENA_MAX: '1',
      MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
      MALLOC_TRIM_THRESHOLD_: String(256 * 1024 * 1024),
      ...launch.environment,
      MLOPS_SFN_SERVER_TOKEN: token,
    };
    // Toolkit-aware code finds /opt/ml through SAGEMAKER_BASE_DIR when there is no sandbox.
    if (!sandboxed) env['SAGEMAKER_BASE_DIR'] = hostPath(staged.root, OPT_ML);
    const [cmd, args] = sandboxed
      ? ['bwrap', [...bwrapArgs([{ host: hostPath(staged.root, OPT_ML), visible: OPT_ML }]), options.python, ...serveArgs]]
      : [options.python, serveArgs];
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: !sandboxed, cwd: staged.root });
    // stdin only tells the server we are alive (it exits at EOF); writing to a dead server must not throw.
    child.stdin!.on('error', () => undefined);
    log.follow(child.stderr!);
    const fail = (stage: StartStage, detail: string, reason?: string): ModelServerStartError =>
      new ModelServerStartError(stage, detail, log.file, reason);

    let port: number;
    try {
      port = await readReady(child, options.startTimeoutMs, (stage, detail) =>
        stage === 'model_archive' && launch.modelDataUrl ? fail(stage, detail, modelArchiveInvalid(launch.modelDataUrl)) : fail(stage, detail),
      );
    } catch (e) {
      killTree(child, sandboxed, 'SIGKILL');
      throw e;
    }
    child.on('error', (e) => log.line(`mlops-sfn: model server process error: ${e.message}`));
    const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
    const backend = new ModelBackend(child, port, token, agent, sandboxed);
    try {
      const ping = await httpRequest(backend, { method: 'GET', path: '/ping', headers: {}, timeoutMs: 2_000 });
      if (ping.status !== 200) throw fail('ping', `GET /ping answered ${ping.status}`);
    } catch (e) {
      await backend.stop(0);
      throw e instanceof ModelServerStartError ? e : fail('ping', (e as Error).message);
    }
    return backend;
  }

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once no request is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** SIGTERM, then SIGKILL after `graceMs`, to the server and everything it started. */
  async stop(graceMs: number): Promise<void> {
    this.stopRequested = true;
    this.agent.destroy();
    if (this.exited) return;
    this.child.stdin?.end();
    killTree(this.child, this.sandboxed, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    if (graceMs > 0) {
      const timer = setTimeout(() => killTree(this.child, this.sandboxed, 'SIGKILL'), graceMs);
      await this.exitPromise;
      clearTimeout(timer);
    } else {
      await this.exitPromise;
    }
  }
}

function killTree(child: ChildProcess, sandboxed: boolean, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    // Unsandboxed servers lead their own process group; in the sandbox, bwrap's PID namespace
    // takes every process with it when bwrap dies.
    if (!sandboxed) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
}

/** Waits for serve.py's first stdout line: {"event":"ready","port":N} or {"event":"failed",...}. */
function readReady(
  child: ChildProcess,
  timeoutMs: number,
  fail: (stage: StartStage, detail: string) => ModelServerStartError,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buf = '';
    let done = false;
    const finish = (err: Error | undefined, port?: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout!.removeListener('data', onData);
      child.removeListener('close', onExit);
      child.removeListener('error', onError);
      child.stdout!.resume();
      if (err) reject(err);
      else resolve(port!);
    };
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let msg: { event?: string; port?: number; stage?: StartStage; error?: string };
      try {
        msg = JSON.parse(buf.slice(0, nl)) as typeof msg;
      } catch {
        finish(fail('start', `unexpected output from the model server: ${buf.slice(0, nl).slice(0, 200)}`));
        return;
      }
      if (msg.event === 'ready' && typeof msg.port === 'number') finish(undefined, msg.port);
      else finish(fail(msg.stage ?? 'start', msg.error ?? 'the model server failed to start'));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(fail('start', `the model server exited before it was ready (${signal ?? `exit code ${code}`})`));
    const onError = (e: Error): void => finish(fail('spawn', `cannot start ${e.message}`));
    const timer = setTimeout(
      () => finish(fail('timeout', `the model server was not ready after ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    child.stdout!.on('data', onData);
    // 'close' comes after the output is read, so a failure line is never lost to the exit.
    child.once('close', onExit);
    child.once('error', onError);
  });
}
