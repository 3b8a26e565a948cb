/**
 * Runs the container command as a local process (under bubblewrap, or directly when the sandbox
 * is off), streams its output to the job log, and stops it as SageMaker stops a container: on
 * MaxRuntimeInSeconds or a stop request, SIGTERM to the command's process group, then SIGKILL to
 * everything in the job once the grace period is over.
 *
 * Under bwrap the process tree is: bwrap (our child) -> the namespace's init (bwrap's reaper,
 * leader of the job's new session) -> the command. bwrap's status fd reports the init's host pid
 * (so the session can be signalled) and, only when the command actually ran, its exit code; no
 * exit code means bwrap itself (or the exec of the command) failed, and its "bwrap: ..." lines
 * say why. Killing the init with SIGKILL tears down the whole namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { setLongTimeout } from '../../../core/long-timer.js';
import { bwrapMissingMessage } from '../sandbox/index.js';
import { BwrapStatus } from './bwrap-status.js';
import { internalError, type JobFailure } from './job-failure.js';
import type { LogSink } from './log-sink.js';
import { DirectCommand, SandboxedCommand, Stopper, type StopReason, type StopTarget } from './process-stop.js';
import { diagnoseLaunchFailure, execFailure } from './sandbox.js';

export interface LaunchSpec {
  readonly mode: 'bwrap' | 'none';
  readonly bwrapPath: string;
  /** bwrap's own arguments (mode bwrap); must include `--json-status-fd 3`. */
  readonly bwrapArgs: readonly string[];
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Working directory for mode none (bwrap's is in its arguments). */
  readonly cwd: string;
  readonly log: LogSink;
  readonly maxRuntimeMs: number;
  readonly stopGraceMs: number;
  readonly signal: AbortSignal;
}

export interface LaunchResult {
  /** The command's exit status (128 + signal number when killed by a signal); undefined if it never ran. */
  readonly exitCode?: number;
  /** Set when the runner stopped the command. */
  readonly stoppedBy?: StopReason;
  /** Set when the command could not be started at all. */
  readonly launchFailure?: JobFailure;
  readonly startedAt: number;
  readonly endedAt: number;
}

export function launch(spec: LaunchSpec): Promise<LaunchResult> {
  const startedAt = Date.now();
  const sandboxed = spec.mode === 'bwrap';
  let child: ChildProcess;
  try {
    child = spawnCommand(spec);
  } catch (err) {
    const failure = sandboxed ? internalError(bwrapMissingMessage(spec.bwrapPath)) : execFailure(spec.argv[0], (err as Error).message);
    return Promise.resolve({ launchFailure: failure, startedAt, endedAt: Date.now() });
  }
  const status = sandboxed ? new BwrapStatus(child.stdio[3] as Readable) : undefined;
  const bwrapLines = status !== undefined ? collectBwrapLines(spec.log, status) : [];
  pipeOutput(child, spec.log);
  const target: StopTarget = status !== undefined ? new SandboxedCommand(child, status) : new DirectCommand(child);
  const stopper = new Stopper(target, spec.stopGraceMs);
  status?.onInit(() => stopper.retry());
  const unwatch = watchStopRequests(stopper, spec);

  return new Promise((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('exit', () => target.reap());
    child.on('close', (code, sig) => {
      unwatch();
      stopper.dispose();
      const ended = { startedAt, endedAt: Date.now() };
      if (spawnError !== undefined) resolve({ launchFailure: spawnFailure(spawnError, spec), ...ended });
      else if (status !== undefined && status.exitCode === undefined) {
        // bwrap ended without running the command: stopped while building the sandbox, or it failed.
        const stoppedBy = stopper.stoppedBy;
        resolve(stoppedBy !== undefined ? { stoppedBy, ...ended } : { launchFailure: diagnoseLaunchFailure(bwrapLines, spec.argv[0]), ...ended });
      } else {
        const exitCode = status?.exitCode ?? code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0);
        const stoppedBy = stopper.stoppedBy;
        resolve({ exitCode, ...(stoppedBy ? { stoppedBy } : {}), ...ended });
      }
    });
  });
}

/** bwrap with the command after its arguments, or the command itself. Throws when spawn cannot even try. */
function spawnCommand(spec: LaunchSpec): ChildProcess {
  const sandboxed = spec.mode === 'bwrap';
  const file = sandboxed ? spec.bwrapPath : spec.argv[0];
  const args = sandboxed ? [...spec.bwrapArgs, '--', ...spec.argv] : spec.argv.slice(1);
  return spawn(file, args, {
    env: { ...spec.env },
    cwd: sandboxed ? undefined : spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe', sandboxed ? 'pipe' : 'ignore'],
    // Without a sandbox the command leads its own process group, so the whole group can be stopped.
    detached: !sandboxed,
  });
}

/** The command's stdout and stderr, line by line, into the job's log. */
function pipeOutput(child: ChildProcess, log: LogSink): void {
  const out = log.lines('stdout');
  const errLines = log.lines('stderr');
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => errLines.push(b));
  child.stdout!.on('end', () => out.end());
  child.stderr!.on('end', () => errLines.end());
}

/** bwrap's own complaints, which arrive on stderr before the command's exit code is known. */
function collectBwrapLines(log: LogSink, status: BwrapStatus): string[] {
  const lines: string[] = [];
  log.onLine((line, stream) => {
    if (stream === 'stderr' && status.exitCode === undefined && line.startsWith('bwrap: ')) lines.push(line);
  });
  return lines;
}

/** MaxRuntimeInSeconds and the job's abort signal both stop the command; returns the unsubscribe. */
function watchStopRequests(stopper: Stopper, spec: LaunchSpec): () => void {
  const runtimeTimer = setLongTimeout(() => stopper.stop('timeout'), spec.maxRuntimeMs);
  const onAbort = (): void => stopper.stop('abort');
  spec.signal.addEventListener('abort', onAbort, { once: true });
  if (spec.signal.aborted) onAbort();
  return () => {
    runtimeTimer.clear();
    spec.signal.removeEventListener('abort', onAbort);
  };
}

function spawnFailure(err: NodeJS.ErrnoException, spec: LaunchSpec): JobFailure {
  if (spec.mode === 'bwrap') {
    return err.code === 'ENOENT' ? internalError(bwrapMissingMessage(spec.bwrapPath)) : diagnoseLaunchFailure([`bwrap: ${err.message}`], spec.argv[0]);
  }
  return execFailure(spec.argv[0], errnoText(err));
}

function errnoText(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  return err.message;
}
