/**
 * One Python model server process (python/hosting/serve.py): spawned with an argv array (never a
 * shell), inside the sandbox (sandbox.ts) unless MLOPS_SFN_SANDBOX=off, listening on a unix socket
 * in a private folder of the host (0700), and requiring a per-process random token on every request.
 *
 * Stopping ends everything the server started before `stop()` resolves. In the sandbox the tree is
 * bwrap (our child) -> the PID namespace's init -> the server; bwrap reports the init's host pid on
 * its info fd. The server gets SIGTERM, the init SIGKILL after the grace period. The init ends only
 * once the kernel has reaped every process of its namespace, so stop() waits for the init, not for
 * bwrap: bwrap exits as soon as the init reports the server's exit status, while the rest of the
 * namespace may still be running. Unsandboxed, the server leads its own process group, and stop()
 * waits until that group is empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { packageFile } from '../../../core/package-root.js';
import { LAYER_MOUNT, type RequirementsLayer } from '../pip-layer/index.js';
import { runtimeFolders, sandboxMode, sandboxSupport, SandboxUnavailable, unsandboxedWarning, type SandboxSupport } from '../sandbox/index.js';
import type { ServingStack } from '../runtimes/index.js';
import { ModelServerStartError, modelArchiveInvalid, type StartStage } from './errors.js';
import type { ResolvedHostingOptions } from './hosting-options.js';
import type { LogSink } from './log-sink.js';
import { httpRequest } from './backend-http.js';
import { archiveInSandbox, OPT_ML, SERVING_MOUNT, serverSandboxArgs, SOCKET_MOUNT, SOCKET_NAME } from './sandbox.js';
import { hostPath, type StagedModel } from './stage-model.js';
import { childPids, groupEnded, processIdentity, readInitPid, tryKill, waitUntilEnded, type ProcessIdentity } from './process-tree.js';

export function serveScript(): string {
  return packageFile('src', 'emulators', 'sagemaker', 'python', 'hosting', 'serve.py');
}

const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BackendLaunch {
  staged: StagedModel;
  /** The code's requirements.txt layer: read-only at LAYER_MOUNT, its site-packages on PYTHONPATH. */
  requirementsLayer?: RequirementsLayer;
  /** The mlops-sfn home (never visible to the server, even through a runtime folder). */
  home: string;
  /** The model's Environment (and, for transform jobs, the job's). */
  environment: Record<string, string>;
  region: string;
  log: LogSink;
  /** For the FailureReason of an archive that cannot be unpacked. */
  modelDataUrl?: string;
  /** The model's EnableNetworkIsolation: the server gets no network (it still receives invocations). */
  networkIsolation?: boolean;
  /** Names the server in the unsandboxed warning ("model X"). */
  what?: string;
  /** The runtime's interpreter and the image's model server (../runtimes). */
  python: string;
  serving: ServingStack;
  options: ResolvedHostingOptions;
}

/** The server's PYTHONPATH with the layer's site-packages after the model's own entries. */
function layerPythonPath(own: string | undefined, layer: RequirementsLayer, sandboxed: boolean): string {
  const site = join(sandboxed ? LAYER_MOUNT : layer.hostDir, layer.sitePackages);
  return own !== undefined && own !== '' ? `${own}:${site}` : site;
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
    /** The host path of the server's unix socket. */
    readonly socketPath: string,
    readonly token: string,
    readonly agent: Agent,
    readonly sandboxed: boolean,
    /** The sandbox's PID-namespace init (sandboxed only), by host pid and start time. */
    private readonly init: ProcessIdentity | undefined,
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
    const fail = (stage: StartStage, detail: string, reason?: string): ModelServerStartError =>
      new ModelServerStartError(stage, detail, log.file, reason);
    const sandboxed = sandboxMode(options.sandbox) === 'bwrap';
    let support: SandboxSupport | undefined;
    if (sandboxed) {
      try {
        support = await sandboxSupport(options.bwrapPath);
      } catch (e) {
        if (!(e instanceof SandboxUnavailable)) throw e;
        log.line(`mlops-sfn: ${e.message}`);
        throw fail('spawn', e.message);
      }
    } else {
      const warning = unsandboxedWarning(`the model server of ${launch.what ?? 'this endpoint'}`);
      log.line(warning);
      options.warn(warning);
    }
    const runtime = sandboxed ? runtimeFolders(launch.python, launch.home) : { folders: [] };
    if ('problem' in runtime) throw fail('spawn', runtime.problem);
    for (const d of ['tmp', 'home']) mkdirSync(join(staged.root, d), { recursive: true });

    const socketDir = socketFolder();
    const token = randomBytes(16).toString('hex');
    const visible = (containerPath: string): string => (sandboxed ? containerPath : hostPath(staged.root, containerPath));
    const archive = (p: string): string => (sandboxed ? archiveInSandbox(p) : p);
    const serveArgs = [
      sandboxed ? `${SERVING_MOUNT}/serve.py` : serveScript(),
      '--socket', sandboxed ? `${SOCKET_MOUNT}/${SOCKET_NAME}` : join(socketDir, SOCKET_NAME),
      '--model-dir', visible(`${OPT_ML}/model`),
      '--code-dir', visible(staged.codeDir),
      '--max-archive-bytes', String(options.maxArchiveBytes),
      '--max-archive-members', String(options.maxArchiveMembers),
      '--serving', launch.serving,
    ];
    if (staged.modelArchive) serveArgs.push('--model-archive', archive(staged.modelArchive));
    if (staged.codeArchive) serveArgs.push('--code-archive', archive(staged.codeArchive));
    const env: Record<string, string> = {
      PATH: BASE_PATH,
      LANG: 'C.UTF-8',
      HOME: sandboxed ? '/root' : join(staged.root, 'home'),
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
      ...(launch.requirementsLayer !== undefined ? { PYTHONPATH: layerPythonPath(launch.environment['PYTHONPATH'], launch.requirementsLayer, sandboxed) } : {}),
      MLOPS_SFN_SERVER_TOKEN: token,
    };
    if (!sandboxed) {
      // Toolkit-aware code finds /opt/ml through SAGEMAKER_BASE_DIR when there is no sandbox.
      env['SAGEMAKER_BASE_DIR'] = hostPath(staged.root, OPT_ML);
      env['TMPDIR'] = join(staged.root, 'tmp');
    }
    const [cmd, args] =
      support !== undefined
        ? [
            support.bwrap,
            [
              '--info-fd',
              '3',
              ...serverSandboxArgs({
                root: staged.root,
                servingDir: realpathSync(dirname(serveScript())),
                archives: [staged.modelArchive, staged.codeArchive].filter((a): a is string => a !== undefined),
                socketDir,
                runtimeFolders: runtime.folders,
                ...(launch.requirementsLayer !== undefined ? { requirementsLayer: launch.requirementsLayer.hostDir } : {}),
                network: launch.networkIsolation !== true,
                support,
              }),
              launch.python,
              ...serveArgs,
            ],
          ]
        : [launch.python, serveArgs];
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe', sandboxed ? 'pipe' : 'ignore'], detached: !sandboxed, cwd: sandboxed ? '/' : staged.root });
    const initPid = sandboxed ? readInitPid(child.stdio[3] as Readable) : Promise.resolve(undefined);
    const removeSocketDir = (): void => rmSync(socketDir, { recursive: true, force: true });
    child.once('exit', removeSocketDir);
    child.once('error', removeSocketDir);
    // stdin only tells the server we are alive (it exits at EOF); writing to a dead server must not throw.
    child.stdin!.on('error', () => undefined);
    log.follow(child.stderr!);

    try {
      await readReady(child, options.startTimeoutMs, (stage, detail) =>
        stage === 'model_archive' && launch.modelDataUrl ? fail(stage, detail, modelArchiveInvalid(launch.modelDataUrl)) : fail(stage, detail),
      );
    } catch (e) {
      signalTree(child, sandboxed, await settled(initPid), 'SIGKILL');
      throw e;
    }
    child.on('error', (e) => log.line(`mlops-sfn: model server process error: ${e.message}`));
    const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
    const initId = await settled(initPid);
    const backend = new ModelBackend(child, join(socketDir, SOCKET_NAME), token, agent, sandboxed, initId === undefined ? undefined : processIdentity(initId));
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

  /**
   * SIGTERM, then SIGKILL after `graceMs`, to the server and everything it started; resolves once
   * all of those processes have ended.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopRequested = true;
    this.agent.destroy();
    if (!this.exited) {
      this.child.stdin?.end();
      signalTree(this.child, this.sandboxed, this.init?.pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
      const timer = graceMs > 0 ? setTimeout(() => signalTree(this.child, this.sandboxed, this.init?.pid, 'SIGKILL'), graceMs) : undefined;
      await this.exitPromise;
      clearTimeout(timer);
    }
    // bwrap exits as soon as its init reports the server's exit status, while the kernel may still
    // be killing the rest of the namespace: the init's end is what says the namespace is empty.
    if (this.init !== undefined) await waitUntilEnded(this.init, 'SIGKILL');
    else if (!this.sandboxed && this.child.pid !== undefined) await groupEnded(this.child.pid);
  }
}

/**
 * Sandboxed: SIGTERM goes to the server (the init's child: a namespace's init ignores SIGTERM from
 * outside), SIGKILL to the init, which tears the namespace down. Before the init's pid is known,
 * bwrap itself is signalled (its --die-with-parent init goes with it). Unsandboxed: the signal goes
 * to the server's process group.
 */
function signalTree(child: ChildProcess, sandboxed: boolean, initPid: number | undefined, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  if (!sandboxed) {
    if (!tryKill(-child.pid, signal)) child.kill(signal);
  } else if (initPid === undefined) {
    child.kill(signal);
  } else if (signal === 'SIGKILL') {
    tryKill(initPid, 'SIGKILL');
  } else {
    for (const pid of childPids(initPid)) tryKill(pid, signal);
  }
}

/** The value of an already-settling promise, without waiting forever if it never settles. */
async function settled<T>(p: Promise<T | undefined>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 1_000)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for serve.py's first stdout line: {"event":"ready"} (it listens) or {"event":"failed",...}. */
function readReady(
  child: ChildProcess,
  timeoutMs: number,
  fail: (stage: StartStage, detail: string) => ModelServerStartError,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let buf = '';
    let done = false;
    const finish = (err: Error | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout!.removeListener('data', onData);
      child.removeListener('close', onExit);
      child.removeListener('error', onError);
      child.stdout!.resume();
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let msg: { event?: string; stage?: StartStage; error?: string };
      try {
        msg = JSON.parse(buf.slice(0, nl)) as typeof msg;
      } catch {
        finish(fail('start', `unexpected output from the model server: ${buf.slice(0, nl).slice(0, 200)}`));
        return;
      }
      if (msg.event === 'ready') finish(undefined);
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

/**
 * A new private folder (0700) for one server's socket. Short on purpose: a unix socket's path may
 * not exceed 107 bytes, which a folder inside the home easily would.
 */
function socketFolder(): string {
  const base = tmpdir().length <= 60 ? tmpdir() : '/tmp';
  return mkdtempSync(join(base, 'mlops-sfn-srv-'));
}
