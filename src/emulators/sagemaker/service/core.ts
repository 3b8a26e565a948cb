/**
 * What every part of the local SageMaker service shares: where records live, the account and region,
 * the clock, and change notifications (so `.sync` waits wake up as soon as a job or endpoint moves).
 * Records are `{ Description, Tags }`: the Describe response as SageMaker would answer it, and the
 * resource's tags (which Step Functions returns as a map after `.sync`).
 */
import { EventEmitter } from 'node:events';
import type { AwsLocation } from '../../../core/arn.js';
import type { Json, JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import type { Store, ResourceRow } from '../../../store/index.js';
import { DuplicateRecordError, nameKey } from '../../../store/index.js';
import type { S3Store } from '../../s3/index.js';
import type { Hosting, JobRunner } from '../contracts.js';
import { sagemakerArn, type ResourceKind } from './arns.js';

export interface SageMakerServiceOptions {
  store: Store;
  s3: S3Store;
  /** The local home: job folders go under `<home>/sagemaker/`, logs under `<home>/logs/`. */
  home: string;
  location: AwsLocation;
  /** Runs processing and training jobs; without one they fail with a reason saying so. */
  runner?: JobRunner;
  /** Model servers and batch transform; without one endpoints and transform jobs fail saying so. */
  hosting?: Hosting;
  /** Epoch milliseconds (default Date.now). */
  now?: () => number;
  /** How often a wait re-reads a record that another process may be changing (default 1,000 ms). */
  pollMs?: number;
  /**
   * Marks real work in flight (a job running, a model server starting) so a virtual clock stands
   * still meanwhile: a Wait/DescribeX polling loop then sees the same progress per virtual second
   * as it would on AWS. Returns the release function.
   */
  holdClock?: () => () => void;
  /** Endpoint data capture's timings (see capture/capture-writer.ts); the defaults suit real use. */
  capture?: { flushMs?: number; rollMs?: number; maxFileBytes?: number };
}

export interface StoredRecord {
  Description: JsonObject;
  Tags: Json[];
  /** The local process running the work in progress (a job, an endpoint being deployed). */
  Owner?: JsonObject;
  /** An endpoint's deployed variants and their models, so any process can serve it again. */
  Deployment?: JsonObject;
  /**
   * A job whose process ended with it unfinished ({Pid, At}): a resumed execution starts it again
   * under the same name, as on AWS it would have kept running.
   */
  LostWithProcess?: JsonObject;
  /** Each time the job was started again after its process ended ({At, Reason}). */
  Restarts?: Json[];
}

export class ServiceCore {
  readonly events = new EventEmitter();
  readonly now: () => number;

  constructor(readonly opts: SageMakerServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.events.setMaxListeners(0);
  }

  get store(): Store {
    return this.opts.store;
  }

  arn(kind: ResourceKind, name: string): string {
    return sagemakerArn(this.opts.location, kind, name);
  }

  get(kind: ResourceKind, name: string): (ResourceRow & { stored: StoredRecord }) | undefined {
    const row = this.store.resources.get(kind, name);
    return row ? { ...row, stored: asStored(row.record) } : undefined;
  }

  /** Adds a record; returns false when the name is taken (the caller raises SageMaker's error for its kind). */
  insert(
    kind: ResourceKind,
    name: string,
    description: JsonObject,
    tags: Json[],
    status?: string,
    extra: { parent?: string; seq?: number; owner?: JsonObject } = {},
  ): boolean {
    const { owner, ...placement } = extra;
    try {
      this.store.resources.insert({
        kind,
        name,
        arn: this.arn(kind, name),
        record: { Description: description, Tags: tags, ...(owner ? { Owner: owner } : {}) },
        createdAt: (description['CreationTime'] as number | undefined) ?? this.now(),
        ...(status !== undefined ? { status } : {}),
        ...placement,
      });
    } catch (e) {
      if (e instanceof DuplicateRecordError) return false;
      throw e;
    }
    this.notify(kind, name);
    return true;
  }

  /** Rewrites a record's Description (and status column) in one transaction, then wakes waiters. */
  update(kind: ResourceKind, name: string, change: (d: JsonObject) => JsonObject | undefined, status?: (d: JsonObject) => string | undefined): JsonObject | undefined {
    return this.updateRecord(
      kind,
      name,
      (stored) => {
        const next = change(stored.Description);
        return next ? { ...stored, Description: next } : undefined;
      },
      status,
    )?.Description;
  }

  /** Like `update`, for changes to the whole record (its owner, an endpoint's deployment). */
  updateRecord(
    kind: ResourceKind,
    name: string,
    change: (stored: StoredRecord) => StoredRecord | undefined,
    status?: (d: JsonObject) => string | undefined,
  ): StoredRecord | undefined {
    let result: StoredRecord | undefined;
    this.store.resources.update(kind, name, (row) => {
      const stored = asStored(row.record);
      const next = change(stored);
      if (!next) {
        result = stored;
        return undefined;
      }
      result = next;
      const s = status?.(next.Description);
      return { record: recordOf(next), ...(s !== undefined ? { status: s } : {}) };
    });
    this.notify(kind, name);
    return result;
  }

  remove(kind: ResourceKind, name: string): void {
    this.store.resources.delete(kind, name);
    this.notify(kind, name);
  }

  notify(kind: ResourceKind, name: string): void {
    this.events.emit(changeEvent(kind, name));
  }

  /**
   * Resolves with the record once `done` says it has reached a state to stop waiting at (or with
   * undefined once it no longer exists). Wakes on changes made in this process and polls for changes
   * made by others. Rejects with the signal's reason when aborted.
   */
  waitUntil(kind: ResourceKind, name: string, done: (d: JsonObject) => boolean, signal?: AbortSignal): Promise<JsonObject | undefined> {
    return new Promise((resolve, reject) => {
      const event = changeEvent(kind, name);
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        this.events.off(event, check);
        if (timer) clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const check = () => {
        let row;
        try {
          row = this.get(kind, name);
        } catch (e) {
          cleanup();
          reject(e);
          return;
        }
        if (!row || done(row.stored.Description)) {
          cleanup();
          resolve(row?.stored.Description);
        }
      };
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.events.on(event, check);
      timer = setInterval(check, this.opts.pollMs ?? 1000);
      check();
    });
  }
}

function changeEvent(kind: ResourceKind, name: string): string {
  return `${kind}:${nameKey(name)}`;
}

function asStored(record: JsonObject): StoredRecord {
  const d = record['Description'];
  const owner = record['Owner'];
  const deployment = record['Deployment'];
  const lost = record['LostWithProcess'];
  const restarts = record['Restarts'];
  return {
    Description: isJsonObject(d) ? d : {},
    Tags: Array.isArray(record['Tags']) ? record['Tags'] : [],
    ...(isJsonObject(owner) ? { Owner: owner } : {}),
    ...(isJsonObject(deployment) ? { Deployment: deployment } : {}),
    ...(isJsonObject(lost) ? { LostWithProcess: lost } : {}),
    ...(Array.isArray(restarts) ? { Restarts: restarts } : {}),
  };
}

function recordOf(stored: StoredRecord): JsonObject {
  const out: JsonObject = { Description: stored.Description, Tags: stored.Tags };
  if (stored.Owner) out['Owner'] = stored.Owner;
  if (stored.Deployment) out['Deployment'] = stored.Deployment;
  if (stored.LostWithProcess) out['LostWithProcess'] = stored.LostWithProcess;
  if (stored.Restarts) out['Restarts'] = stored.Restarts;
  return out;
}
