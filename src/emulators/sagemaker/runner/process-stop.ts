/**
 * Stopping a job's command as SageMaker stops a container (`docker stop -t <grace>`): SIGTERM to
 * the command, SIGKILL to everything in the job once the grace period is over. Who gets the
 * signals depends on how the command runs: `SandboxedCommand` (bwrap's init and its children) or
 * `DirectCommand` (the command's own process group).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BwrapStatus } from './bwrap-status.js';

export type StopReason = 'timeout' | 'abort';

/** The processes of one running command, and how to signal them. */
export interface StopTarget {
  /** SIGTERM, the graceful request. */
  terminate(): void;
  /** SIGKILL to everything that is left. */
  forceKill(): void;
  /** After the command exits: what it left running goes with it, like a container's teardown. */
  reap(): void;
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

/** A command run directly: it leads its own process group, so the whole group is signalled. */
export class DirectCommand implements StopTarget {
  constructor(private readonly child: ChildProcess) {}

  terminate(): void {
    kill(-(this.child.pid ?? 0), 'SIGTERM');
  }

  forceKill(): void {
    kill(-(this.child.pid ?? 0), 'SIGKILL');
  }

  reap(): void {
    this.forceKill();
  }
}

/**
 * A command in bwrap: bwrap (our child) -> the namespace's init (leader of the job's session) ->
 * the command. Killing the init with SIGKILL tears the whole namespace down.
 */
export class SandboxedCommand implements StopTarget {
  constructor(
    private readonly bwrap: ChildProcess,
    private readonly status: BwrapStatus,
  ) {}

  terminate(): void {
    const initPid = this.status.initPid;
    // Until bwrap reports its init, it is building the sandbox: a signal then can kill bwrap and
    // orphan the half-built sandbox, which keeps our pipes open for ever. The stopper terminates
    // again once the init's pid is known.
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
  }

  forceKill(): void {
    // Killing the init tears the namespace down and bwrap exits by itself; bwrap is killed only
    // if it never reported an init within the whole grace period.
    if (this.status.initPid !== undefined) kill(this.status.initPid, 'SIGKILL');
    else kill(this.bwrap.pid, 'SIGKILL');
  }

  reap(): void {
    // The namespace ends with its init; nothing is left on the host.
  }
}

/** One stop per command: the first reason wins, SIGTERM now, SIGKILL after the grace period. */
export class Stopper {
  private reason: StopReason | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: StopTarget,
    private readonly graceMs: number,
  ) {}

  get stoppedBy(): StopReason | undefined {
    return this.reason;
  }

  stop(why: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = why;
    this.target.terminate();
    this.killTimer = setTimeout(() => this.target.forceKill(), this.graceMs);
  }

  /** Sends the graceful signal again if a stop was asked for before the target could receive it. */
  retry(): void {
    if (this.reason !== undefined) this.target.terminate();
  }

  dispose(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
  }
}
