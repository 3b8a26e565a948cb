/**
 * Linux process bookkeeping for stopping a model server and everything it started: who a
 * process's children are, whether a process (identified by pid and start time, so a reused pid is
 * not mistaken for it) has ended, and whether a process group is empty. Read from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** A process as the kernel knows it: its pid and its start time (clock ticks since boot). */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string | undefined;
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTime: string;
}

function procStat(pid: number | string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime ...
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
}

export function processIdentity(pid: number): ProcessIdentity {
  return { pid, startTime: procStat(pid)?.startTime };
}

/** Whether the process is still running: it exists, is the same process, and is not a zombie. */
export function isRunning(p: ProcessIdentity): boolean {
  const st = procStat(p.pid);
  return st !== undefined && st.state !== 'Z' && (p.startTime === undefined || st.startTime === p.startTime);
}

export function tryKill(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A process's children; empty once it has ended. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const POLL_MS = 5;
/** Ending is the kernel's work once the signal is sent; the bound only guards against the unforeseen. */
const END_BOUND_MS = 5_000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends `signal` to the process if it still runs, then waits until it has ended. */
export async function waitUntilEnded(p: ProcessIdentity, signal: NodeJS.Signals): Promise<void> {
  if (isRunning(p)) tryKill(p.pid, signal);
  for (let waited = 0; waited < END_BOUND_MS && isRunning(p); waited += POLL_MS) await pause(POLL_MS);
}

/** Whether any process of the group still runs (zombies have ended; they only await reaping). */
function groupRunning(pgid: number): boolean {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(name);
    if (st !== undefined && st.pgrp === pgid && st.state !== 'Z') return true;
  }
  return false;
}

/**
 * Ends what is left of a process group whose leader has exited (what it started may still be
 * running or dying), as a container's teardown does, and waits until the group is empty.
 */
export async function groupEnded(pgid: number): Promise<void> {
  tryKill(-pgid, 'SIGKILL');
  for (let waited = 0; waited < END_BOUND_MS && groupRunning(pgid); waited += POLL_MS) await pause(POLL_MS);
}

/** bwrap's --info-fd document ({"child-pid": N, ...}): the host pid of the namespace's init. */
export function readInitPid(info: Readable): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    info.setEncoding('utf8');
    info.on('data', (d: string) => {
      text += d;
      const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    info.on('error', () => resolve(undefined));
    info.on('close', () => resolve(undefined));
  });
}
