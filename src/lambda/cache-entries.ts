/**
 * Cache entries in the pipeline's bucket: `<prefix><stage>/<key>.json`, one per job that ran, with
 * the key's parts, the job's description (what its `.sync` task returned) and the objects it wrote.
 * A hit needs those objects to be there still, unchanged.
 */
import { isJsonObject, type Json } from '../core/json.js';
import type { CacheStorage } from './clients.js';
import type { KeyPart } from './cache-key.js';
import type { JobKind } from './job-request.js';
import { listUnder, readObject, writeJson, type ListedObject } from './s3-objects.js';

export interface CachedOutput {
  name: string;
  uri: string;
  objects: ListedObject[];
}

export interface CacheEntry {
  version: 1;
  stage: string;
  kind: JobKind;
  key: string;
  parts: KeyPart[];
  execution: string;
  jobName: string;
  createdAt: string;
  /** The job's description as its `.sync` task returned it. */
  result: Json;
  outputs: CachedOutput[];
}

export interface CacheLocation {
  bucket: string;
  /** "census/cache/": entries go under `<prefix><stage>/`. */
  prefix: string;
}

/** How many of a stage's most recent entries are compared to explain a miss. */
const NEAREST_CANDIDATES = 25;
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

export function entryKey(at: CacheLocation, stage: string, key: string): string {
  return `${at.prefix}${stage}/${key}.json`;
}

export async function readEntry(s3: CacheStorage, at: CacheLocation, stage: string, key: string): Promise<CacheEntry | undefined> {
  const body = await readObject(s3, { bucket: at.bucket, key: entryKey(at, stage, key) }, MAX_ENTRY_BYTES);
  return body === undefined ? undefined : parseEntry(body);
}

export async function writeEntry(s3: CacheStorage, at: CacheLocation, entry: CacheEntry): Promise<void> {
  await writeJson(s3, { bucket: at.bucket, key: entryKey(at, entry.stage, entry.key) }, entry);
}

/** A stage's entries, most recent first (at most `limit` read). */
export async function recentEntries(s3: CacheStorage, at: CacheLocation, stage: string, limit = NEAREST_CANDIDATES): Promise<CacheEntry[]> {
  const listed = await listUnder(s3, `s3://${at.bucket}/${at.prefix}${stage}/`);
  const newest = listed
    .filter((o) => o.key.endsWith('.json') && !o.key.includes('/'))
    .sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''))
    .slice(0, limit);
  const entries: CacheEntry[] = [];
  for (const o of newest) {
    const e = await readEntry(s3, at, stage, o.key.slice(0, -'.json'.length));
    if (e) entries.push(e);
  }
  return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The entry whose key differs from `parts` in the fewest parts (the most recent among equals). */
export function nearestEntry(entries: readonly CacheEntry[], parts: readonly KeyPart[]): CacheEntry | undefined {
  let best: CacheEntry | undefined;
  let bestCount = Infinity;
  for (const e of entries) {
    const n = differences(e.parts, parts).length;
    if (n < bestCount) [best, bestCount] = [e, n];
  }
  return best;
}

/** What differs from an earlier key to this one: "code changed: evaluation.py", "input changed: s3://…/train/". */
export function differences(before: readonly KeyPart[], now: readonly KeyPart[]): string[] {
  const id = (p: KeyPart) => `${p.kind}\u0000${p.name}`;
  const old = new Map(before.map((p) => [id(p), p]));
  const out: string[] = [];
  for (const p of now) {
    const o = old.get(id(p));
    old.delete(id(p));
    if (!o) out.push(`${label(p)} added: ${p.name}`);
    else if (o.digest !== p.digest) out.push(p.kind === 'runtime' ? 'runtime changed' : `${label(p)} changed: ${p.name}`);
  }
  for (const p of old.values()) out.push(`${label(p)} removed: ${p.name}`);
  return out;
}

function label(p: KeyPart): string {
  return p.kind === 'request' ? 'request field' : p.kind === 'model' ? 'model field' : p.kind;
}

function parseEntry(body: Buffer): CacheEntry | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    if (!isJsonObject(v as Json) || (v as { version?: unknown }).version !== 1) return undefined;
    const e = v as unknown as CacheEntry;
    if (!Array.isArray(e.parts) || !Array.isArray(e.outputs) || typeof e.execution !== 'string' || typeof e.createdAt !== 'string') return undefined;
    return e;
  } catch {
    // An entry that is not ours (or was cut short) is no entry: the stage runs.
    return undefined;
  }
}
