/**
 * The step cache Lambda: the generated state machine calls it before each job stage ("check") and
 * after the job succeeded ("record"), so caching works the same in AWS (deployed by the stack) and
 * locally (the same handler, with an S3 client answered by the local S3).
 *
 * check   computes the stage's key (cache-key.ts); when an entry with that key exists, is younger
 *         than cache.max_age_days and its outputs are all still there, copies them to this run's
 *         output locations and answers the job's description rewritten to them ("reused"),
 *         else answers why the job must run ("code changed: evaluation.py"). `--from <stage>`
 *         reuses the latest output of the stages before it whatever their key, with a warning.
 * record  stores the entry for the job that just ran: the key's parts, its description, and the
 *         key, ETag and size of every object it wrote.
 */
import { isJsonObject, mapJsonStrings, type Json, type JsonObject } from '../core/json.js';
import { LocalError } from '../core/errors.js';
import { PIPELINE_ERRORS } from '../core/error-catalogue.js';
import { STAGES } from '../config/index.js';
import type { CacheStorage } from './clients.js';
import { requiredEnv } from './clients.js';
import { differences, nearestEntry, readEntry, recentEntries, writeEntry, type CacheEntry, type CacheLocation } from './cache-entries.js';
import { jobKey, type KeyPart } from './cache-key.js';
import { JOB_KINDS, jobNameOf, jobOutputs, type JobKind } from './job-request.js';
import { copyObject, listUnder, parseS3 } from './s3-objects.js';

/** The pipeline's cache settings as the execution input carries them (src/config/execution-input.ts). */
export interface CacheSettings {
  enabled: boolean;
  max_age_days: number | null;
  /** `run --from <stage>`: earlier stages reuse their latest output, this one and later ones run. */
  from: string | null;
}

export interface CacheCheck {
  hit: boolean;
  /** "reused (from <execution>)" on a hit; else what changed or why the cache was not used. */
  reason: string;
  key: string;
  parts: KeyPart[];
  /** Whether the job's entry is stored when it succeeds. */
  record: boolean;
  /** A hit: the run whose job is reused. */
  source?: { execution: string; jobName: string; createdAt: string };
  /** A hit: the reused job's description, with its output locations replaced by this run's. */
  result?: Json;
  /** Said to the user as a warning (`--from` reused an output whose key changed). */
  warning?: string;
}

export interface CacheRecorded {
  recorded: boolean;
  key?: string;
}

export interface CacheDeps {
  s3: CacheStorage;
  /**
   * Where entries live: in AWS the stack's (one pipeline per stack); locally a home's pipelines share
   * a bucket, so the pipeline's model_id (sent by the state machine) picks the prefix.
   */
  location: CacheLocation | ((pipeline: string) => CacheLocation);
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** The local runtime an image runs as (undefined in AWS). */
  runtimeProfile?: (image: string) => string | undefined;
}

/** Thrown for an event that is not a check or record request the definition sends. */
export class InvalidCacheEventError extends LocalError {
  constructor(message: string) {
    super(PIPELINE_ERRORS.InvalidCacheEvent, message);
  }
}

const DAY_MS = 86_400_000;

export function createCacheHandler(deps: CacheDeps): (event: unknown) => Promise<CacheCheck | CacheRecorded> {
  const now = deps.now ?? Date.now;
  return async (event: unknown) => {
    const e = parseEvent(event);
    const location = typeof deps.location === 'function' ? deps.location(e.pipeline) : deps.location;
    const d = { ...deps, location };
    return e.step === 'check' ? check(d, now, e) : record(d, now, e);
  };
}

interface CheckEvent {
  step: 'check';
  pipeline: string;
  stage: string;
  kind: JobKind;
  execution: string;
  request: JsonObject;
  model: JsonObject | null;
  settings: CacheSettings;
  stageEnabled: boolean;
}

interface RecordEvent {
  step: 'record';
  pipeline: string;
  stage: string;
  kind: JobKind;
  execution: string;
  cache: { key: string; parts: KeyPart[]; record: boolean };
  result: JsonObject;
}

type Deps = CacheDeps & { location: CacheLocation };

async function check(deps: Deps, now: () => number, e: CheckEvent): Promise<CacheCheck> {
  const { key, parts } = await jobKey(deps.s3, {
    kind: e.kind,
    request: e.request,
    execution: e.execution,
    model: e.model,
    ...(deps.runtimeProfile ? { runtimeProfile: deps.runtimeProfile } : {}),
  });
  const miss = (reason: string, record = true): CacheCheck => ({ hit: false, reason, key, parts, record });
  if (!e.stageEnabled) return miss('cache: false on this stage', false);

  const from = e.settings.from;
  if (from !== null && STAGES.includes(from as never)) {
    if (stageIndex(e.stage) >= stageIndex(from)) return miss(`run --from ${from}`);
    const latest = (await recentEntries(deps.s3, deps.location, e.stage, 1))[0];
    if (!latest) return miss(`run --from ${from}: no earlier output of ${e.stage} to reuse`);
    const changes = differences(latest.parts, parts);
    const hit = await reuse(deps, latest, e, key, parts);
    if (!hit.hit) return hit;
    return changes.length === 0
      ? hit
      : { ...hit, warning: `${e.stage}: run --from ${from} reuses the output of ${latest.execution} although ${changes.join('; ')}` };
  }
  if (!e.settings.enabled) return miss('caching is off (--no-cache or cache.enabled: false)');

  const entry = await readEntry(deps.s3, deps.location, e.stage, key);
  if (!entry) {
    const nearest = nearestEntry(await recentEntries(deps.s3, deps.location, e.stage), parts);
    if (!nearest) return miss(`no earlier run of ${e.stage}`);
    const changes = differences(nearest.parts, parts);
    return miss(changes.length > 0 ? changes.join('; ') : `no earlier run of ${e.stage} with this key`);
  }
  const maxAge = e.settings.max_age_days;
  if (maxAge !== null && now() - Date.parse(entry.createdAt) > maxAge * DAY_MS) {
    return miss(`the output of ${entry.execution} is older than cache.max_age_days (${maxAge})`);
  }
  return reuse(deps, entry, e, key, parts);
}

/**
 * Reuses an entry: checks that every object its job wrote is still there unchanged, copies them to
 * this run's output locations and rewrites the job's description to point there.
 */
async function reuse(deps: Deps, entry: CacheEntry, e: CheckEvent, key: string, parts: KeyPart[]): Promise<CacheCheck> {
  const miss = (reason: string): CacheCheck => ({ hit: false, reason, key, parts, record: true });
  const targets = new Map(jobOutputs(e.kind, e.request).map((o) => [o.name, o.uri]));
  const moves: { from: string; to: string; objects: string[] }[] = [];
  for (const out of entry.outputs) {
    const to = targets.get(out.name);
    if (to === undefined) return miss(`this run's request has no output ${out.name} to copy ${entry.execution}'s output to`);
    const present = new Map((await listUnder(deps.s3, out.uri)).map((o) => [o.key, o]));
    for (const o of out.objects) {
      const p = present.get(o.key);
      if (!p || p.etag !== o.etag || p.size !== o.size) {
        return miss(`the output of ${entry.execution} ${p ? 'changed' : 'was deleted'}: ${out.uri}${o.key}`);
      }
    }
    moves.push({ from: out.uri, to, objects: out.objects.map((o) => o.key) });
  }
  for (const m of moves) {
    if (m.from === m.to) continue;
    for (const rel of m.objects) {
      const from = parseS3(m.from + rel);
      const to = parseS3(m.to + rel);
      await copyObject(deps.s3, from, to);
    }
  }
  // Longest first, so a location inside another is rewritten by its own pair.
  const pairs = moves.flatMap((m) => [[m.from, m.to], [m.from.slice(0, -1), m.to.slice(0, -1)]] as const).sort((a, b) => b[0].length - a[0].length);
  const result = mapJsonStrings(entry.result, (s) => {
    for (const [from, to] of pairs) if (s.startsWith(from)) return to + s.slice(from.length);
    return s;
  });
  return {
    hit: true,
    reason: `reused (from ${entry.execution})`,
    key,
    parts,
    record: false,
    source: { execution: entry.execution, jobName: entry.jobName, createdAt: entry.createdAt },
    result,
  };
}

async function record(deps: Deps, now: () => number, e: RecordEvent): Promise<CacheRecorded> {
  if (!e.cache.record) return { recorded: false };
  const outputs = [];
  for (const o of jobOutputs(e.kind, e.result)) outputs.push({ ...o, objects: (await listUnder(deps.s3, o.uri)).map(({ key, etag, size }) => ({ key, etag, size })) });
  const entry: CacheEntry = {
    version: 1,
    stage: e.stage,
    kind: e.kind,
    key: e.cache.key,
    parts: e.cache.parts,
    execution: e.execution,
    jobName: jobNameOf(e.kind, e.result) ?? '',
    createdAt: new Date(now()).toISOString(),
    result: e.result,
    outputs,
  };
  await writeEntry(deps.s3, deps.location, entry);
  return { recorded: true, key: e.cache.key };
}

function stageIndex(stage: string): number {
  return STAGES.indexOf(stage as (typeof STAGES)[number]);
}

function parseEvent(event: unknown): CheckEvent | RecordEvent {
  const bad = (what: string): never => {
    throw new InvalidCacheEventError(`Invalid cache event: ${what} (the pipeline's state machine sends {"step": "check"|"record", "stage", "kind", "execution", ...})`);
  };
  if (!isJsonObject(event as Json)) return bad('not an object');
  const e = event as JsonObject;
  const stage = e['stage'];
  const kind = e['kind'];
  const execution = e['execution'];
  const pipeline = typeof e['pipeline'] === 'string' && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(e['pipeline']) ? e['pipeline'] : bad('"pipeline" must be the model_id');
  if (typeof stage !== 'string' || stageIndex(stage) < 0) return bad(`"stage" must be one of ${STAGES.join(', ')}`);
  if (typeof kind !== 'string' || !JOB_KINDS.includes(kind as JobKind)) return bad(`"kind" must be one of ${JOB_KINDS.join(', ')}`);
  if (typeof execution !== 'string' || execution === '') return bad('"execution" must be the execution name');
  if (e['step'] === 'check') {
    const request = e['request'];
    if (!isJsonObject(request)) return bad('"request" must be the job request');
    const s = isJsonObject(e['settings']) ? e['settings'] : {};
    return {
      step: 'check',
      pipeline,
      stage,
      kind: kind as JobKind,
      execution,
      request,
      model: isJsonObject(e['model']) ? e['model'] : null,
      settings: {
        enabled: s['enabled'] !== false,
        max_age_days: typeof s['max_age_days'] === 'number' && s['max_age_days'] > 0 ? s['max_age_days'] : null,
        from: typeof s['from'] === 'string' ? s['from'] : null,
      },
      stageEnabled: e['stageEnabled'] !== false,
    };
  }
  if (e['step'] === 'record') {
    const cache = e['cache'];
    const result = e['result'];
    if (!isJsonObject(cache)) return bad('"cache" must be the check\'s answer');
    // The check said not to record (cache: false on the stage, or the check itself failed).
    if (cache['record'] === false) return { step: 'record', pipeline, stage, kind: kind as JobKind, execution, cache: { key: '', parts: [], record: false }, result: {} };
    if (typeof cache['key'] !== 'string' || !Array.isArray(cache['parts'])) return bad('"cache" must be the check\'s answer');
    if (!isJsonObject(result)) return bad('"result" must be the job\'s description');
    return {
      step: 'record',
      pipeline,
      stage,
      kind: kind as JobKind,
      execution,
      cache: { key: cache['key'], parts: cache['parts'] as unknown as KeyPart[], record: true },
      result,
    };
  }
  return bad('"step" must be "check" or "record"');
}

/** Environment variable names the handler reads in AWS (the stack sets them). */
export const CACHE_ENV = { bucket: 'MLOPS_BUCKET', prefix: 'CACHE_PREFIX' } as const;

/** Where a deployment keeps its entries: `<model name>/cache/` in its bucket. */
export function cacheLocation(bucket: string, modelName: string): CacheLocation {
  return { bucket, prefix: `${modelName}/cache/` };
}

let cached: ((event: unknown) => Promise<CacheCheck | CacheRecorded>) | undefined;

/** The Lambda entry point in AWS: a real S3 client, the bucket and prefix from the environment. */
export async function handler(event: unknown): Promise<CacheCheck | CacheRecorded> {
  if (!cached) {
    const { S3Client } = await import('@aws-sdk/client-s3');
    cached = createCacheHandler({
      s3: new S3Client({}) as unknown as CacheStorage,
      location: { bucket: requiredEnv(process.env, CACHE_ENV.bucket, 'the MLOps bucket'), prefix: requiredEnv(process.env, CACHE_ENV.prefix, 'the cache prefix') },
    });
  }
  return cached(event);
}
