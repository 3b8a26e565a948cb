/**
 * Work left in progress by a local process that has ended (a crash, a kill, a closed terminal).
 * Its job processes and model servers died with it, so the records would say InProgress or
 * Creating forever. When local services open, such records are settled the way SageMaker settles
 * work whose instance was lost:
 *  - jobs InProgress → Failed, with a FailureReason naming the process and saying to run it again;
 *    jobs Stopping → Stopped (the stop had been asked for; there is nothing left to stop);
 *  - endpoints Creating → Failed with a reason; Updating → back InService on the deployment it had
 *    (as a failed update leaves it), with the reason; Deleting → deleted.
 * Work whose owner still runs (a `run` in another terminal shares the store) is never touched; the
 * decision is re-checked inside the write's transaction. A sandbox that outlived its owner (killed
 * while bubblewrap was still setting up, see stray-sandboxes.ts) is ended with the settled work.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../../../core/json.js';
import type { JobKind } from './arns.js';
import type { ServiceCore, StoredRecord } from './core.js';
import { snapshotFromJson } from './endpoint-deployment.js';
import { finishedDescription, jobStatusField } from './job-outcome.js';
import { isOwnerAlive, ownerFromJson } from '../../../core/process-owner.js';
import { endStraySandboxes, ticksNow } from '../sandbox/index.js';

const JOB_KINDS: JobKind[] = ['processing-job', 'training-job', 'transform-job'];
const START_FIELD: Record<JobKind, string> = {
  'processing-job': 'ProcessingStartTime',
  'training-job': 'TrainingStartTime',
  'transform-job': 'TransformStartTime',
};

/** One record settled because its process had ended. */
export interface SettledOrphan {
  kind: JobKind | 'endpoint';
  name: string;
  /** The status it was left in, and the one it has now ('Deleted' once removed). */
  from: string;
  to: string;
  pid?: number;
}

/** Whether a record's work belongs to a process that has ended. Records without an owner predate owners: nobody runs them any more. */
function orphaned(stored: StoredRecord): { pid?: number } | undefined {
  const owner = ownerFromJson(stored.Owner);
  if (owner && isOwnerAlive(owner)) return undefined;
  return owner ? { pid: owner.pid } : {};
}

function processText(pid: number | undefined): string {
  return pid === undefined ? 'The local process that ran it' : `The local mlops-sfn process that ran it (pid ${pid})`;
}

export function settleOrphans(core: ServiceCore): SettledOrphan[] {
  const settled: SettledOrphan[] = [];
  // Sandboxes started after this moment belong to live processes (a job started again under its name).
  const before = ticksNow();
  for (const kind of JOB_KINDS) {
    const field = jobStatusField(kind);
    for (const row of core.store.resources.list(kind)) {
      if (row.status !== 'InProgress' && row.status !== 'Stopping') continue;
      let note: SettledOrphan | undefined;
      core.updateRecord(
        kind,
        row.name,
        (r) => {
          const from = r.Description[field] as string;
          const dead = from === 'InProgress' || from === 'Stopping' ? orphaned(r) : undefined;
          if (!dead) return undefined;
          const now = core.now();
          const started = typeof r.Description[START_FIELD[kind]] === 'number' ? (r.Description[START_FIELD[kind]] as number) : now;
          const outcome =
            from === 'Stopping'
              ? { status: 'Stopped' as const, startTime: started, endTime: now }
              : {
                  status: 'Failed' as const,
                  failureReason: `InternalServerError: ${processText(dead.pid)} ended before the job finished, so the job was lost. Run the job again.`,
                  startTime: started,
                  endTime: now,
                };
          const d = finishedDescription(kind, r.Description, outcome, from === 'Stopping' ? 'request' : undefined, now);
          note = { kind, name: row.name, from, to: outcome.status, ...(dead.pid !== undefined ? { pid: dead.pid } : {}) };
          // Lost, not failed on its own: an execution resumed later starts it again under its name.
          return from === 'InProgress'
            ? { ...r, Description: d, LostWithProcess: { ...(dead.pid !== undefined ? { Pid: dead.pid } : {}), At: now } }
            : { ...r, Description: d };
        },
        (d) => d[field] as string,
      );
      if (note) {
        settled.push(note);
        endStraySandboxes(join(core.opts.home, 'sagemaker', 'jobs', row.name), before);
      }
    }
  }
  for (const row of core.store.resources.list('endpoint')) {
    if (row.status !== 'Creating' && row.status !== 'Updating' && row.status !== 'Deleting') continue;
    let note: SettledOrphan | undefined;
    let remove = false;
    core.updateRecord(
      'endpoint',
      row.name,
      (r) => {
        const from = r.Description['EndpointStatus'] as string;
        const dead = from === 'Creating' || from === 'Updating' || from === 'Deleting' ? orphaned(r) : undefined;
        if (!dead) return undefined;
        const base = { kind: 'endpoint' as const, name: row.name, from, ...(dead.pid !== undefined ? { pid: dead.pid } : {}) };
        if (from === 'Deleting') {
          remove = true;
          note = { ...base, to: 'Deleted' };
          return undefined;
        }
        const reason =
          from === 'Creating'
            ? `${processText(dead.pid)} ended before the endpoint was InService. Delete the endpoint and create it again.`
            : `${processText(dead.pid)} ended before the update finished; the endpoint keeps its previous configuration. Update it again.`;
        // An update that never finished leaves the deployment the endpoint had; without one recorded there is nothing to serve.
        const to = from === 'Updating' && snapshotFromJson(r.Deployment) ? 'InService' : 'Failed';
        note = { ...base, to };
        const d: JsonObject = { ...r.Description, EndpointStatus: to, FailureReason: reason, LastModifiedTime: core.now() };
        return { ...r, Description: d };
      },
      (d) => d['EndpointStatus'] as string,
    );
    if (remove) core.remove('endpoint', row.name);
    if (note) settled.push(note);
  }
  removeDeadServerFolders(core.opts.home, before);
  return settled;
}

/**
 * Model server folders (`<home>/sagemaker/endpoints/<endpoint>/<variant>-p<pid>-<n>`) of processes
 * that have ended: their model servers died with them (or are ended here), and nobody else uses the folders.
 */
function removeDeadServerFolders(home: string, before: number): void {
  const root = join(home, 'sagemaker', 'endpoints');
  let endpoints: string[];
  try {
    endpoints = readdirSync(root);
  } catch {
    return;
  }
  for (const endpoint of endpoints) {
    let folders: string[];
    try {
      folders = readdirSync(join(root, endpoint));
    } catch {
      continue;
    }
    for (const folder of folders) {
      const m = /-p(\d+)-\d+$/.exec(folder);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid || pidExists(pid)) continue;
      endStraySandboxes(join(root, endpoint, folder), before);
      rmSync(join(root, endpoint, folder), { recursive: true, force: true });
    }
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
