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
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { setLongTimeout } from '../../../core/long-timer.js';
import { bwrapMissingMessage } from '../sandbox/index.js';
import { internalError, type JobFailure } from './job-failure.js';
import { diagnoseLaunchFailure, execFailure } from './sandbox.js';
import type { LogSink } from './log-sink.js';

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
  readonly stoppedBy?: 'timeout' | 'abort';
  /** Set when the command could not be started at all. */
  readonly launchFailure?: JobFailure;
  readonly startedAt: number;
  readonly endedAt: number;
}


/** A process's children (Linux /proc); empty when it has ended. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function kill(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined || pid === 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export function launch(spec: LaunchSpec): Promise<LaunchResult> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const sandboxed = spec.mode === 'bwrap';
    const file = sandboxed ? spec.bwrapPath : spec.argv[0];
    const args = sandboxed ? [...spec.bwrapArgs, '--', ...spec.argv] : spec.argv.slice(1);
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        env: { ...spec.env },
        cwd: sandboxed ? undefined : spec.cwd,
        stdio: ['ignore', 'pipe', 'pipe', sandboxed ? 'pipe' : 'ignore'],
        // Without a sandbox the command leads its own process group, so the whole group can be stopped.
        detached: !sandboxed,
      });
    } catch (err) {
      const failure = sandboxed ? internalError(bwrapMissingMessage(spec.bwrapPath)) : execFailure(spec.argv[0], (err as Error).message);
      resolve({ launchFailure: failure, startedAt, endedAt: Date.now() });
      return;
    }

    let initPid: number | undefined;
    let statusExit: number | undefined;
    let stoppedBy: 'timeout' | 'abort' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    const bwrapLines: string[] = [];

    const out = spec.log.lines('stdout');
    const errLines = spec.log.lines('stderr');
    if (sandboxed) {
      // bwrap's own complaints arrive on stderr before the command's exit code is known.
      spec.log.onLine((line, stream) => {
        if (stream === 'stderr' && statusExit === undefined && line.startsWith('bwrap: ')) bwrapLines.push(line);
      });
    }
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => errLines.push(b));
    child.stdout!.on('end', () => out.end());
    child.stderr!.on('end', () => errLines.end());

    if (sandboxed) {
      let status = '';
      (child.stdio[3] as Readable).setEncoding('utf8').on('data', (d: string) => {
        status += d;
        let nl: number;
        while ((nl = status.indexOf('\n')) >= 0) {
          const line = status.slice(0, nl).trim();
          status = status.slice(nl + 1);
          if (line === '') continue;
          try {
            const doc = JSON.parse(line) as { 'child-pid'?: number; 'exit-code'?: number };
            if (typeof doc['child-pid'] === 'number') {
              initPid = doc['child-pid'];
              if (stoppedBy !== undefined) terminate();
            }
            if (typeof doc['exit-code'] === 'number') statusExit = doc['exit-code'];
          } catch {
            // Not a status document; ignore.
          }
        }
      });
    }

    const terminate = (): void => {
      if (sandboxed) {
        // Until bwrap reports its init, it is building the sandbox: a signal then can kill bwrap
        // and orphan the half-built sandbox, which keeps our pipes open for ever. The status
        // handler calls terminate() again once the init's pid is known.
        if (initPid === undefined) return;
        const command = childPids(initPid);
        if (command.length === 0) {
          // The command has not started: nothing to stop gracefully; the init's death ends the sandbox.
          kill(initPid, 'SIGKILL');
          return;
        }
        kill(-initPid, 'SIGTERM');
        // The sandbox's init (bwrap's pid 1) ignores SIGTERM from outside its namespace, and the
        // command is not always in its process group: the command itself, init's child, gets
        // SIGTERM too, as a container's entrypoint does on `docker stop`.
        for (const pid of command) kill(pid, 'SIGTERM');
      } else {
        kill(-(child.pid ?? 0), 'SIGTERM');
      }
    };
    const forceKill = (): void => {
      if (sandboxed) {
        // Killing the init tears the namespace down and bwrap exits by itself; bwrap is killed
        // only if it never reported an init within the whole grace period.
        if (initPid !== undefined) kill(initPid, 'SIGKILL');
        else kill(child.pid, 'SIGKILL');
      } else {
        kill(-(child.pid ?? 0), 'SIGKILL');
      }
    };
    const stop = (why: 'timeout' | 'abort'): void => {
      if (stoppedBy !== undefined) return;
      stoppedBy = why;
      terminate();
      killTimer = setTimeout(forceKill, spec.stopGraceMs);
    };

    const runtimeTimer = setLongTimeout(() => stop('timeout'), spec.maxRuntimeMs);
    const onAbort = (): void => stop('abort');
    spec.signal.addEventListener('abort', onAbort, { once: true });
    if (spec.signal.aborted) onAbort();

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('exit', () => {
      // Like a container's teardown: whatever the command left running goes with it.
      if (!sandboxed) kill(-(child.pid ?? 0), 'SIGKILL');
    });
    child.on('close', (code, sig) => {
      runtimeTimer.clear();
      if (killTimer) clearTimeout(killTimer);
      spec.signal.removeEventListener('abort', onAbort);
      const endedAt = Date.now();
      if (spawnError !== undefined) {
        const failure =
          spawnError.code === 'ENOENT' && sandboxed
            ? internalError(bwrapMissingMessage(spec.bwrapPath))
            : sandboxed
              ? diagnoseLaunchFailure([`bwrap: ${spawnError.message}`], spec.argv[0])
              : execFailure(spec.argv[0], errnoText(spawnError));
        resolve({ launchFailure: failure, startedAt, endedAt });
        return;
      }
      if (sandboxed && statusExit === undefined) {
        if (stoppedBy !== undefined) resolve({ stoppedBy, startedAt, endedAt });
        else resolve({ launchFailure: diagnoseLaunchFailure(bwrapLines, spec.argv[0]), startedAt, endedAt });
        return;
      }
      const exitCode = statusExit ?? code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0);
      resolve({ exitCode, ...(stoppedBy ? { stoppedBy } : {}), startedAt, endedAt });
    });
  });
}

function errnoText(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  return err.message;
}
