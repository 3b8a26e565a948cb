/**
 * `mlops-sfn gc`: what a home can let go of, and letting it go.
 *
 * The plan is computed first and only read (the dry run prints it); `applyGcPlan` removes exactly
 * what it lists, re-checking at each step that nothing started meanwhile. Rules (README "Cleaning
 * a home"):
 * - Executions chosen by age (stopped before the cutoff) and/or count (beyond the N newest of their
 *   state machine); never a RUNNING one (it may be resumed), and never one AWS would still let you
 *   redrive (FAILED, ABORTED or TIMED_OUT within 14 days) unless asked.
 * - SageMaker jobs: a job a pipeline started goes with its execution(s), and stays while any
 *   execution that started or reused it (a step-cache hit) stays; a job no execution started goes by age alone. Never one InProgress or Stopping.
 *   With a job go its log and its work folder. Models, endpoints, endpoint configs and the model
 *   registry are never touched.
 * - Objects: only what a removed job wrote under a per-run prefix (a path segment that is the name
 *   of its removed execution, or of the job itself, as `<S3OutputPath>/<job>/`), and never an
 *   object a model package or a model refers to (model artifacts), nor one any kept job reads or
 *   writes, nor one a kept execution's history names inside a removed run's prefix. Anything else in the store (uploaded data, scripts, shared output folders) is the
 *   user's and is never removed by gc.
 * - Leftovers: temp files of S3 writers that died, and job work folders whose job record is gone.
 */
import { readdirSync, rmSync, statSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import { deadWritersTemps, formatS3Uri, parseS3Uri, S3Store } from '../emulators/s3/index.js';
import { folderBytes } from './home-size.js';
import { notRedrivableReason } from './step-functions/index.js';
import type { ExecutionFootprint, Store } from '../store/index.js';

export interface GcOptions {
  /** Remove only what ended longer ago than this. */
  olderThanMs?: number;
  /** Keep this many newest executions of each state machine. */
  keep?: number;
  /** Also remove executions that could still be redriven. */
  includeRedrivable?: boolean;
  now: number;
}

export interface GcExecution {
  name: string;
  arn: string;
  status: string;
  stoppedAt?: number;
  bytes: number;
}

export interface GcJob {
  kind: JobKind;
  name: string;
  status: string;
  /** Bytes of its log and work folder. */
  bytes: number;
  log?: string;
  workDir?: string;
}

export interface GcObject {
  uri: string;
  bytes: number;
}

export interface GcLeftover {
  path: string;
  what: 'temp file' | 'job work folder';
  bytes: number;
}

export interface GcKept {
  name: string;
  reason: string;
}

export interface GcPlan {
  executions: GcExecution[];
  jobs: GcJob[];
  objects: GcObject[];
  leftovers: GcLeftover[];
  /** Executions the age or count chose but the rules keep, with why. */
  kept: GcKept[];
  bytes: number;
}

type JobKind = 'processing-job' | 'training-job' | 'transform-job';
const JOB_KINDS: readonly JobKind[] = ['processing-job', 'training-job', 'transform-job'];
const BUSY_JOB = ['InProgress', 'Stopping'];
/** A work folder without a record may be a job being created right now: leave young ones alone. */
const ORPHAN_MIN_AGE_MS = 3600_000;

export async function planGc(home: string, store: Store, opts: GcOptions): Promise<GcPlan> {
  const all = store.garbage.executions();
  const kept: GcKept[] = [];
  const removed = chooseExecutions(store, all, opts, kept);
  const removedArns = new Set(removed.map((e) => e.arn));

  // Which executions use which jobs: the ones they started, and the ones a step-cache hit reused
  // (its result names the job) — both appear as a quoted name in the history. And every S3 URI a
  // kept execution's history names (inputs, outputs, what a cache hit copied from) stays.
  const jobNames = new Set<string>();
  for (const kind of JOB_KINDS) for (const row of store.resources.list(kind)) jobNames.add(row.name.toLowerCase());
  const startedBy = new Map<string, string[]>();
  const keptHistoryUris: string[] = [];
  for (const e of all) {
    const batches = store.garbage.eventBatches(e.arn);
    for (const job of namesIn(batches, jobNames)) startedBy.set(job, [...(startedBy.get(job) ?? []), e.arn]);
    if (!removedArns.has(e.arn)) keptHistoryUris.push(...s3UrisIn(batches));
  }
  const nameOf = new Map(all.map((e) => [e.arn, e.name]));

  const jobs: GcJob[] = [];
  const keptJobs: { kind: JobKind; name: string; request: JsonObject }[] = [];
  const removedJobs: { job: GcJob; request: JsonObject; runNames: string[] }[] = [];
  for (const kind of JOB_KINDS) {
    for (const row of store.resources.list(kind)) {
      const description = isJsonObject(row.record['Description']) ? row.record['Description'] : {};
      const status = row.status ?? '';
      const owners = startedBy.get(row.name.toLowerCase());
      const goes =
        !BUSY_JOB.includes(status) &&
        (owners !== undefined ? owners.every((a) => removedArns.has(a)) : opts.olderThanMs !== undefined && row.updatedAt < opts.now - opts.olderThanMs);
      if (!goes) {
        keptJobs.push({ kind, name: row.name, request: description });
        continue;
      }
      const log = join(home, 'logs', `${row.name}.log`);
      const workDir = join(home, 'sagemaker', 'jobs', row.name);
      const job: GcJob = { kind, name: row.name, status, bytes: 0 };
      const logBytes = sizeOf(log);
      const dirBytes = sizeOf(workDir);
      if (logBytes !== undefined) job.log = log;
      if (dirBytes !== undefined) job.workDir = workDir;
      job.bytes = (logBytes ?? 0) + (dirBytes ?? 0) + JSON.stringify(row.record).length;
      jobs.push(job);
      removedJobs.push({ job, request: description, runNames: (owners ?? []).map((a) => nameOf.get(a) ?? '') });
    }
  }

  const objects = await objectsOf(home, store, removedJobs, keptJobs, keptHistoryUris);
  const leftovers = leftoversOf(home, jobNames, opts.now);
  const bytes = [...removed, ...jobs, ...objects, ...leftovers].reduce((n, x) => n + x.bytes, 0);
  return {
    executions: removed.map((e) => ({ name: e.name, arn: e.arn, status: e.status, ...(e.stopDate !== undefined ? { stoppedAt: e.stopDate } : {}), bytes: e.bytes })),
    jobs,
    objects,
    leftovers,
    kept,
    bytes,
  };
}

function chooseExecutions(store: Store, all: readonly ExecutionFootprint[], opts: GcOptions, kept: GcKept[]): ExecutionFootprint[] {
  const rank = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const e of all) {
    const n = seen.get(e.stateMachineArn) ?? 0;
    rank.set(e.arn, n);
    seen.set(e.stateMachineArn, n + 1);
  }
  const out: ExecutionFootprint[] = [];
  for (const e of all) {
    const old = opts.olderThanMs === undefined || (e.stopDate ?? e.startDate) < opts.now - opts.olderThanMs;
    const beyond = opts.keep === undefined || rank.get(e.arn)! >= opts.keep;
    if (!old || !beyond) continue;
    if (e.status === 'RUNNING') {
      kept.push({ name: e.name, reason: 'RUNNING (it may still be resumed)' });
      continue;
    }
    if (!opts.includeRedrivable && e.status !== 'SUCCEEDED') {
      const row = store.executions.get(e.arn);
      if (row !== undefined && notRedrivableReason(row, opts.now) === undefined) {
        kept.push({ name: e.name, reason: `${e.status}, can still be redriven until ${new Date((e.stopDate ?? e.startDate) + 14 * 86_400_000).toISOString()} (--include-redrivable removes it)` });
        continue;
      }
    }
    out.push(e);
  }
  return out;
}

/**
 * The names of `known` that a history mentions as a whole JSON string (also inside a string holding
 * JSON, as Task parameters and results are stored): `"name"` or `\"name\"`.
 */
function namesIn(batches: readonly string[], known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const token = /\\?"([A-Za-z0-9][A-Za-z0-9-]{0,62})\\?"/g;
  for (const text of batches) {
    for (const m of text.matchAll(token)) {
      const name = m[1]!.toLowerCase();
      if (known.has(name)) found.add(name);
    }
  }
  return found;
}

/** The s3:// URIs a history mentions. */
function s3UrisIn(batches: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of batches) for (const m of text.matchAll(/s3:\/\/[^"\\\s]+/g)) out.add(m[0]);
  return [...out];
}

/** Where a job wrote: each prefix with the path segments that make it per-run. */
function outputsOf(kind: JobKind, request: JsonObject, jobName: string): string[] {
  const out: string[] = [];
  const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
  if (kind === 'processing-job') {
    const cfg = request['ProcessingOutputConfig'];
    const outputs = isJsonObject(cfg) && Array.isArray(cfg['Outputs']) ? cfg['Outputs'] : [];
    for (const o of outputs) if (isJsonObject(o) && isJsonObject(o['S3Output'])) out.push(str(o['S3Output']['S3Uri']) ?? '');
  } else if (kind === 'training-job') {
    const cfg = request['OutputDataConfig'];
    const path = isJsonObject(cfg) ? str(cfg['S3OutputPath']) : undefined;
    if (path !== undefined) out.push(`${path.replace(/\/+$/, '')}/${jobName}/`);
  } else {
    const cfg = request['TransformOutput'];
    out.push((isJsonObject(cfg) ? str(cfg['S3OutputPath']) : undefined) ?? '');
  }
  return out.filter((u) => u.startsWith('s3://'));
}

/** Every S3 URI a request names (inputs and outputs): what a kept job needs stays. */
function urisIn(v: Json | undefined, out: string[]): string[] {
  if (typeof v === 'string') {
    if (v.startsWith('s3://')) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) urisIn(x, out);
  else if (isJsonObject(v)) for (const x of Object.values(v)) urisIn(x, out);
  return out;
}

/** Request fields that say where a job writes: a kept job protects what it wrote (outputsOf), not the whole output folder. */
const OUTPUT_FIELDS = ['ProcessingOutputConfig', 'OutputDataConfig', 'TransformOutput'];

async function objectsOf(
  home: string,
  store: Store,
  removed: readonly { job: GcJob; request: JsonObject; runNames: string[] }[],
  kept: readonly { kind: JobKind; name: string; request: JsonObject }[],
  keptHistoryUris: readonly string[],
): Promise<GcObject[]> {
  if (removed.length === 0) return [];
  // Model artifacts the registry or a model refers to, whatever a kept job reads or wrote, and what a
  // kept execution names inside a removed run's prefixes (what a cache hit copied from). A folder a
  // kept history names that is no run's own (the request's `census/model/`) protects nothing here.
  const removedRuns = new Set(removed.flatMap((r) => [...r.runNames, r.job.name]).filter((n) => n !== ''));
  const protectedUris: string[] = keptHistoryUris.filter((u) => u.slice('s3://'.length).split('/').some((seg) => removedRuns.has(seg)));
  for (const kind of ['model-package', 'model']) for (const row of store.resources.list(kind)) urisIn(row.record, protectedUris);
  for (const k of kept) {
    urisIn(Object.fromEntries(Object.entries(k.request).filter(([field]) => !OUTPUT_FIELDS.includes(field))), protectedUris);
    protectedUris.push(...outputsOf(k.kind, k.request, k.name));
  }
  const isProtected = (uri: string) => protectedUris.some((p) => uri.startsWith(p));

  const s3 = new S3Store(join(home, 's3'));
  const out = new Map<string, GcObject>();
  for (const { job, request, runNames } of removed) {
    const perRun = new Set([...runNames.filter((n) => n !== ''), job.name]);
    for (const prefix of outputsOf(job.kind, request, job.name)) {
      let at;
      try {
        at = parseS3Uri(prefix);
      } catch {
        continue;
      }
      if (!at.key.split('/').some((seg) => perRun.has(seg))) continue; // a shared folder, not this run's
      try {
        for await (const o of s3.listAll(at.bucket, at.key)) {
          const uri = formatS3Uri(at.bucket, o.Key);
          if (!isProtected(uri)) out.set(uri, { uri, bytes: o.Size });
        }
      } catch {
        // the bucket is gone: nothing to remove
      }
    }
  }
  return [...out.values()];
}

function leftoversOf(home: string, jobNames: ReadonlySet<string>, now: number): GcLeftover[] {
  const out: GcLeftover[] = [];
  for (const path of deadWritersTemps(join(home, 's3'))) out.push({ path, what: 'temp file', bytes: sizeOf(path) ?? 0 });
  const jobsDir = join(home, 'sagemaker', 'jobs');
  let names: string[] = [];
  try {
    names = readdirSync(jobsDir);
  } catch {
    // no jobs yet
  }
  for (const name of names) {
    if (jobNames.has(name.toLowerCase())) continue;
    const path = join(jobsDir, name);
    try {
      if (now - statSync(path).mtimeMs < ORPHAN_MIN_AGE_MS) continue;
    } catch {
      continue;
    }
    out.push({ path, what: 'job work folder', bytes: sizeOf(path) ?? 0 });
  }
  return out;
}

/** Bytes under a path (links not followed), or undefined when it is not there. */
export function sizeOf(path: string): number | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  return st.isDirectory() ? folderBytes(path).bytes : st.size;
}

export interface GcOutcome {
  executions: number;
  jobs: number;
  objects: number;
  leftovers: number;
  bytes: number;
  /** Whether the database file gave its freed pages back (not while another process has it open for writing). */
  vacuumed: boolean;
}

/** Removes what the plan lists, skipping anything that started again since it was planned. */
export async function applyGcPlan(home: string, store: Store, plan: GcPlan): Promise<GcOutcome> {
  const outcome: GcOutcome = { executions: 0, jobs: 0, objects: 0, leftovers: 0, bytes: 0, vacuumed: false };
  for (const e of plan.executions) {
    if (store.garbage.removeExecution(e.arn)) {
      outcome.executions++;
      outcome.bytes += e.bytes;
    }
  }
  for (const j of plan.jobs) {
    if (!store.garbage.removeResource(j.kind, j.name, BUSY_JOB)) continue;
    if (j.log) rmSync(j.log, { force: true });
    if (j.workDir) rmSync(j.workDir, { recursive: true, force: true });
    outcome.jobs++;
    outcome.bytes += j.bytes;
  }
  const s3 = new S3Store(join(home, 's3'));
  for (const o of plan.objects) {
    const at = parseS3Uri(o.uri);
    try {
      await s3.deleteObject({ Bucket: at.bucket, Key: at.key });
      outcome.objects++;
      outcome.bytes += o.bytes;
    } catch {
      // gone already
    }
  }
  for (const l of plan.leftovers) {
    rmSync(l.path, { recursive: true, force: true });
    outcome.leftovers++;
    outcome.bytes += l.bytes;
  }
  if (outcome.executions > 0 || outcome.jobs > 0) outcome.vacuumed = store.garbage.vacuum();
  return outcome;
}
