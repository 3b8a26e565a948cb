/**
 * Sandboxes left running by a process that was killed while bubblewrap was still building them.
 * `--die-with-parent` asks the kernel for SIGKILL when the parent dies, but bwrap asks for it only
 * once it has set up: the outer bwrap after it has created the namespaces, the sandbox's init just
 * before it runs the command (and it does not check whether the parent died meanwhile). A kill -9
 * of mlops-sfn in that window, which on a busy machine lasts a noticeable time, leaves the
 * sandbox and the job's processes running with nobody to stop them. When the work of a dead
 * process is settled, whatever sandbox still uses that work's folder is ended here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { processStartTicks } from '../../../core/process-owner.js';

/** A process's argument vector, or undefined once it has gone (or cannot be read). */
function argv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

function usesFolder(args: readonly string[], folder: string): boolean {
  const inside = folder.endsWith('/') ? folder : folder + '/';
  return args.some((a) => a === folder || a.startsWith(inside));
}

/**
 * Kills every bubblewrap process (the outer one and the sandbox's init, a fork with the same
 * arguments; killing the init ends everything in its pid namespace) that binds a path under
 * `folder` and started no later than `startedBy` (clock ticks since boot, as /proc reports them):
 * a sandbox a live process starts on the folder afterwards is not touched. Returns how many.
 */
export function endStraySandboxes(folder: string, startedBy: number): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return 0; // no /proc (not Linux): no bubblewrap either
  }
  let ended = 0;
  for (const name of pids) {
    const pid = Number(name);
    const args = argv(pid);
    if (!args || basename(args[0] ?? '') !== 'bwrap' || !usesFolder(args, folder)) continue;
    const started = processStartTicks(pid);
    if (started === undefined || started > startedBy) continue;
    try {
      process.kill(pid, 'SIGKILL');
      ended++;
    } catch {
      // gone meanwhile
    }
  }
  return ended;
}

/** The clock-tick count since boot now, comparable with a process's start time in /proc (`starttime`). */
export function ticksNow(): number {
  // /proc/uptime is in seconds with centisecond precision; Linux's USER_HZ is 100 on every architecture it reports to /proc with.
  try {
    return Math.ceil(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100);
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}
