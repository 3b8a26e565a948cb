/**
 * Which process owns a RUNNING execution, and whether it still exists: the same rule as the local
 * SageMaker's jobs and endpoints (pid, plus the process's start time and the boot id, so a reused
 * pid or a reboot reads as "ended"), stored in the executions table as pid + one text column.
 */
import {
  currentOwner as currentProcess,
  isCurrentProcess as isThisProcess,
  isOwnerAlive,
  type ProcessOwner,
} from '../../core/process-owner.js';
import type { ExecutionOwner } from '../../store/index.js';

/** "<start ticks>@<boot id>" (either part may be empty where /proc does not tell). */
function startedText(p: ProcessOwner): string | undefined {
  if (p.startTicks === undefined && p.bootId === undefined) return undefined;
  return `${p.startTicks ?? ''}@${p.bootId ?? ''}`;
}

function toProcess(owner: ExecutionOwner): ProcessOwner {
  const p: ProcessOwner = { pid: owner.pid };
  if (owner.started === undefined) return p;
  const at = owner.started.indexOf('@');
  const ticks = at < 0 ? owner.started : owner.started.slice(0, at);
  const boot = at < 0 ? '' : owner.started.slice(at + 1);
  // A start time that is not a number cannot be any live process's.
  if (ticks !== '') p.startTicks = /^\d+$/.test(ticks) ? Number(ticks) : -1;
  if (boot !== '') p.bootId = boot;
  return p;
}

/** This process, as recorded on the executions it runs. */
export function currentOwner(): ExecutionOwner {
  const p = currentProcess();
  const started = startedText(p);
  return started === undefined ? { pid: p.pid } : { pid: p.pid, started };
}

export function isCurrentProcess(owner: ExecutionOwner | undefined): boolean {
  return owner !== undefined && isThisProcess(toProcess(owner));
}

/** Whether the recorded owner process still runs (a zombie, killed but not yet reaped, does not). */
export function ownerAlive(owner: ExecutionOwner | undefined): boolean {
  return owner !== undefined && isOwnerAlive(toProcess(owner));
}
