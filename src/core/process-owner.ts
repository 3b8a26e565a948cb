/**
 * Which local process runs a piece of work (a job, an endpoint being created or updated), and
 * whether that process still lives. Model servers and job processes die with the process that
 * started them, so work recorded in progress by a process that has ended will never finish.
 *
 * A pid alone is not enough: pids are reused. The owner also records the process's start time
 * (field 22 of /proc/<pid>/stat, clock ticks since boot) and the boot id, so a reused pid or a
 * reboot reads as "ended". Where /proc is missing, the pid is all there is.
 */
import { readFileSync } from 'node:fs';
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';

export interface ProcessOwner {
  pid: number;
  /** Clock ticks after boot when the process started (Linux), else undefined. */
  startTicks?: number;
  bootId?: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The start time of a running process, or undefined when there is none (or /proc is unavailable).
 * A zombie (ended, not yet reaped by its parent) is not running.
 */
export function processStartTicks(pid: number): number | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

let bootId: string | undefined | null = null;

function currentBootId(): string | undefined {
  if (bootId === null) bootId = readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
  return bootId;
}

let self: ProcessOwner | undefined;

/** This process, as recorded on the work it runs. */
export function currentOwner(): ProcessOwner {
  if (!self) {
    const startTicks = processStartTicks(process.pid);
    const boot = currentBootId();
    self = { pid: process.pid, ...(startTicks !== undefined ? { startTicks } : {}), ...(boot !== undefined ? { bootId: boot } : {}) };
  }
  return self;
}

export function isCurrentProcess(owner: ProcessOwner): boolean {
  const me = currentOwner();
  return owner.pid === me.pid && owner.startTicks === me.startTicks && owner.bootId === me.bootId;
}

/** True while the owning process runs; false once it has ended (or its pid belongs to another process). */
export function isOwnerAlive(owner: ProcessOwner): boolean {
  if (isCurrentProcess(owner)) return true;
  const boot = currentBootId();
  if (owner.bootId !== undefined && boot !== undefined && owner.bootId !== boot) return false;
  if (owner.startTicks !== undefined && readText('/proc/self/stat') !== undefined) {
    return processStartTicks(owner.pid) === owner.startTicks;
  }
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ownerToJson(owner: ProcessOwner): JsonObject {
  return { ...owner };
}

/** The owner stored on a record, or undefined for records written before owners were kept. */
export function ownerFromJson(value: Json | undefined): ProcessOwner | undefined {
  if (!isJsonObject(value) || typeof value['pid'] !== 'number') return undefined;
  return {
    pid: value['pid'],
    ...(typeof value['startTicks'] === 'number' ? { startTicks: value['startTicks'] } : {}),
    ...(typeof value['bootId'] === 'string' ? { bootId: value['bootId'] } : {}),
  };
}
