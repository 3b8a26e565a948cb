/**
 * What `mlops-sfn logs <name>` and `invoke`'s error explanation read: the log files of a local job
 * or endpoint, and whether the work writing them has ended.
 *
 * Logs live in `<home>/logs/`: a job's as `<job>.log`, an endpoint's model server's as
 * `<endpoint>-<variant>.log` (one per production variant, as CloudWatch has one stream per
 * instance). A user names the job or the endpoint; the records in the home's state database say
 * which it is, which variants an endpoint has, and whether the process doing the work still runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { isOwnerAlive, ownerFromJson } from '../core/process-owner.js';
import { Store, STATE_DB_FILE } from '../store/index.js';
import { runningServe } from './serve-file.js';

/** SageMaker job, endpoint and variant names: log files are named after them, so nothing else is accepted. */
const RESOURCE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const JOB_KINDS = ['processing-job', 'training-job', 'transform-job'] as const;
const RUNNING_JOB = new Set(['InProgress', 'Stopping']);
/** An endpoint whose model servers may still write: anything but Failed (a deleted one has no record). */
const ENDED_ENDPOINT = new Set(['Failed', 'Deleting']);

export interface LogSubject {
  kind: 'job' | 'endpoint' | 'file';
  name: string;
  /** The log file to read (an endpoint with several variants is refused before this). */
  logFile: string;
  /** Whether the work has ended, so following the log can stop once it is drained. */
  ended(): boolean;
}

export function checkLogName(name: string): void {
  if (!RESOURCE_NAME.test(name)) {
    throw new UserError(`"${name}" is not a job or endpoint name: names are 1-63 letters, digits and hyphens, starting and ending with a letter or digit`, 'INVALID_JOB_NAME');
  }
}

export function logsFolder(home: string): string {
  return join(home, 'logs');
}

/** Where a job's log is (`<home>/logs/<job>.log`); refuses names that are not job names. */
export function jobLogFile(home: string, job: string): string {
  checkLogName(job);
  return join(logsFolder(home), `${job}.log`);
}

/** The job or endpoint `name` names in the home (undefined when none is known yet); opens the state database briefly. */
export function logSubjectInHome(home: string, name: string): LogSubject | undefined {
  checkLogName(name);
  if (!existsSync(join(home, STATE_DB_FILE))) {
    const file = join(logsFolder(home), `${name}.log`);
    return existsSync(file) ? { kind: 'file', name, logFile: file, ended: () => true } : undefined;
  }
  const store = Store.open(home);
  try {
    const subject = findLogSubject(store, home, name);
    return subject && { ...subject, ended: () => logWorkEnded(home, name) };
  } finally {
    store.close();
  }
}

/**
 * Whether the work writing `name`'s log has ended. Each check opens the database for a moment, so
 * following a log never holds it while a run in another process writes.
 */
export function logWorkEnded(home: string, name: string): boolean {
  if (!existsSync(join(home, STATE_DB_FILE))) return false;
  const store = Store.open(home);
  try {
    const subject = findLogSubject(store, home, name);
    return subject !== undefined && subject.ended();
  } finally {
    store.close();
  }
}

/** The log files of an endpoint's variants (as recorded), whether or not they exist yet. */
export function endpointLogFiles(store: Store, home: string, endpoint: string): { variant: string; file: string }[] {
  const row = store.resources.get('endpoint', endpoint);
  if (!row) return [];
  return variantsOf(row.record).map((variant) => ({ variant, file: join(logsFolder(home), `${row.name}-${variant}.log`) }));
}

/**
 * Finds what `name` names: a job, an endpoint, or (records aside) a log file of that name, e.g.
 * `<endpoint>-<variant>`. Undefined when nothing is known by that name yet.
 */
export function findLogSubject(store: Store, home: string, name: string): LogSubject | undefined {
  checkLogName(name);
  for (const kind of JOB_KINDS) {
    const row = store.resources.get(kind, name);
    if (row) return { kind: 'job', name: row.name, logFile: join(logsFolder(home), `${row.name}.log`), ended: () => jobEnded(store, kind, name) };
  }
  const endpoint = store.resources.get('endpoint', name);
  if (endpoint) {
    const files = endpointLogFiles(store, home, name);
    const present = files.filter((f) => existsSync(f.file));
    const chosen = present.length === 1 ? present[0] : files.length === 1 ? files[0] : undefined;
    if (!chosen) {
      if (files.length === 0) throw new UserError(`Endpoint ${endpoint.name} has no production variants yet, so no log`, 'NO_SUCH_LOG', 1);
      throw new UserError(
        `Endpoint ${endpoint.name} has ${files.length} variants, each with its own log: ${files.map((f) => `mlops-sfn logs ${endpoint.name}-${f.variant}`).join(', ')}`,
        'AMBIGUOUS_LOG',
        2,
      );
    }
    return { kind: 'endpoint', name: endpoint.name, logFile: chosen.file, ended: () => endpointEnded(store, home, name) };
  }
  // `<endpoint>-<variant>`: the endpoint's record says when its model server has ended.
  for (const row of store.resources.list('endpoint')) {
    if (variantsOf(row.record).some((v) => `${row.name}-${v}`.toLowerCase() === name.toLowerCase())) {
      return { kind: 'endpoint', name: row.name, logFile: join(logsFolder(home), `${name}.log`), ended: () => endpointEnded(store, home, row.name) };
    }
  }
  const file = join(logsFolder(home), `${name}.log`);
  // A log nothing in the home claims any more (its record was deleted): nothing writes it.
  return existsSync(file) ? { kind: 'file', name, logFile: file, ended: () => true } : undefined;
}

function variantsOf(record: JsonObject): string[] {
  const description = record['Description'] as JsonObject | undefined;
  const variants = (description?.['ProductionVariants'] as JsonObject[] | undefined) ?? [];
  return variants.map((v) => v['VariantName']).filter((v): v is string => typeof v === 'string');
}

function jobEnded(store: Store, kind: (typeof JOB_KINDS)[number], name: string): boolean {
  const row = store.resources.get(kind, name);
  if (!row || !RUNNING_JOB.has(row.status ?? '')) return true;
  // A job left InProgress by a process that was killed will never end by itself.
  const owner = ownerFromJson(row.record['Owner']);
  return owner !== undefined && !isOwnerAlive(owner);
}

/**
 * An endpoint's model server runs in the process that created it (`run`), or in a running `serve`
 * for the home; once neither lives (or the endpoint failed or went), nothing writes its log.
 */
function endpointEnded(store: Store, home: string, name: string): boolean {
  const row = store.resources.get('endpoint', name);
  if (!row || ENDED_ENDPOINT.has(row.status ?? '')) return true;
  const owner = ownerFromJson(row.record['Owner']);
  if (owner !== undefined && isOwnerAlive(owner)) return false;
  return runningServe(home) === undefined;
}
