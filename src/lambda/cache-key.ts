/**
 * A job stage's cache key, as named parts so a miss can say what changed:
 *
 *   request <Field>   each field of the resolved SageMaker request, without the job name, with
 *                     this execution's name written as {execution} (per-run output prefixes)
 *   input <uri>       the content of an S3 input: the key, ETag and size of every object under it
 *   code <file>       the code the job can use: its Python entry point and the local modules it
 *                     imports (python-imports.ts), and the non-Python files of its code folder
 *   runtime           what the image runs as (locally: the runtime profile; on AWS: the image URI)
 *   model <Field>     a transform job's model (the CreateModel request), and `input` of its artifact
 *
 * The key is the SHA-256 of the parts; the same inputs give the same key in AWS and locally,
 * because everything is read through S3 by the same code.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, mapJsonStrings, type Json, type JsonObject } from '../core/json.js';
import type { CacheStorage } from './clients.js';
import { folder, JOB_NAME_FIELD, jobEntryPoint, jobImage, jobInputs, type JobInput, type JobKind } from './job-request.js';
import { reachableModules } from './python-imports.js';
import { listUnder, parseS3, readObject, type ListedObject } from './s3-objects.js';

export type KeyPartKind = 'request' | 'input' | 'code' | 'runtime' | 'model';

export interface KeyPart {
  kind: KeyPartKind;
  /** The field, the input's URI (with {execution}), the code file's path. */
  name: string;
  digest: string;
  /** For people: "12 objects", "1.2 kB". */
  detail?: string;
}

export interface JobKey {
  key: string;
  parts: KeyPart[];
}

export interface KeyInputs {
  kind: JobKind;
  request: JsonObject;
  /** This execution's name: written as {execution} in the key. */
  execution: string;
  /** A transform job's model: the CreateModel request that made it. */
  model?: JsonObject | null;
  /** The local runtime an image runs as (undefined in AWS, where the image is the runtime). */
  runtimeProfile?: (image: string) => string | undefined;
}

/** Files of the code folder the tool itself uploads beside the scripts: the filled-in YAML (its request is keyed already) and the scripts' archive. */
const PIPELINE_ARTIFACTS = new Set(['input.yaml', 'source.tar.gz']);
/** Largest Python file read to follow its imports. */
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

export const EXECUTION_MARK = '{execution}';

export async function jobKey(s3: CacheStorage, k: KeyInputs): Promise<JobKey> {
  const normalise = (v: Json): Json => (k.execution === '' ? v : mapJsonStrings(v, (s) => s.split(k.execution).join(EXECUTION_MARK)));
  const parts: KeyPart[] = [];
  const request = { ...k.request };
  delete request[JOB_NAME_FIELD[k.kind]];
  if (k.kind === 'transform') delete request['ModelName'];
  for (const [field, value] of Object.entries(normalise(request) as JsonObject).sort(([a], [b]) => (a < b ? -1 : 1))) {
    parts.push({ kind: 'request', name: field, digest: digestJson(value) });
  }
  const inputs = jobInputs(k.kind, k.request);
  if (k.kind === 'transform' && isJsonObject(k.model)) {
    const model = { ...k.model };
    delete model['ModelName'];
    for (const [field, value] of Object.entries(normalise(model) as JsonObject).sort(([a], [b]) => (a < b ? -1 : 1))) {
      parts.push({ kind: 'model', name: field, digest: digestJson(value) });
    }
    for (const url of modelDataUrls(k.model)) inputs.push({ name: 'ModelDataUrl', uri: url, prefix: false });
  }
  const entry = jobEntryPoint(k.kind, k.request);
  for (const input of inputs) {
    const shown = normalise(input.uri) as string;
    const codeEntry = entry !== undefined && input.localPath !== undefined ? relativeTo(entry, input.localPath) : undefined;
    if (codeEntry !== undefined) parts.push(...(await codeParts(s3, input, codeEntry)));
    else parts.push(await inputPart(s3, input, shown));
  }
  const image = jobImage(k.kind, k.request) ?? modelImage(k.model);
  if (image !== undefined) {
    const profile = k.runtimeProfile?.(image);
    parts.push({ kind: 'runtime', name: 'runtime', digest: digestJson(profile ?? image), detail: profile !== undefined ? 'local runtime profile' : image });
  }
  return { key: digestJson(parts.map((p) => [p.kind, p.name, p.digest])), parts };
}

/** The content of one S3 input: every object under a prefix, or the one object. */
async function inputPart(s3: CacheStorage, input: JobInput, shown: string): Promise<KeyPart> {
  const objects = await listUnder(s3, input.uri);
  const wanted = input.prefix ? objects : objects.filter((o) => o.key === '');
  return { kind: 'input', name: shown, digest: digestObjects(wanted), detail: `${wanted.length} object${wanted.length === 1 ? '' : 's'}` };
}

/** The code a job can use from its code folder: the entry point, the modules it imports, the other non-Python files. */
async function codeParts(s3: CacheStorage, input: JobInput, entry: string): Promise<KeyPart[]> {
  const base = folder(input.uri);
  const objects = new Map((await listUnder(s3, base)).map((o) => [o.key, o] as const));
  const texts = new Map<string, Buffer>();
  const read = async (path: string): Promise<string | undefined> => {
    if (!objects.has(path)) return undefined;
    const { bucket, key } = parseS3(base);
    const body = await readObject(s3, { bucket, key: key + path }, MAX_SCRIPT_BYTES);
    if (body === undefined) return undefined;
    texts.set(path, body);
    return body.toString('utf8');
  };
  const modules = await reachableModules(entry, read);
  const parts: KeyPart[] = [];
  if (!objects.has(entry)) parts.push({ kind: 'code', name: entry, digest: 'missing', detail: 'the entry point is not in the code folder' });
  for (const path of modules) parts.push({ kind: 'code', name: path, digest: sha256(texts.get(path)!), detail: `${texts.get(path)!.length} bytes` });
  for (const [path, o] of objects) {
    if (path.endsWith('.py') || path.endsWith('.pyc') || path.includes('__pycache__/') || PIPELINE_ARTIFACTS.has(path)) continue;
    parts.push({ kind: 'code', name: path, digest: digestObjects([{ ...o, key: '' }]), detail: `${o.size} bytes` });
  }
  return parts.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function modelDataUrls(model: JsonObject | null | undefined): string[] {
  if (!isJsonObject(model)) return [];
  const containers = [model['PrimaryContainer'], ...(Array.isArray(model['Containers']) ? model['Containers'] : [])];
  return containers.flatMap((c) => (isJsonObject(c) && typeof c['ModelDataUrl'] === 'string' ? [c['ModelDataUrl']] : []));
}

function modelImage(model: JsonObject | null | undefined): string | undefined {
  const c = isJsonObject(model) ? model['PrimaryContainer'] : undefined;
  return isJsonObject(c) && typeof c['Image'] === 'string' ? c['Image'] : undefined;
}

/** "/opt/ml/processing/code/evaluation.py" under "/opt/ml/processing/code" → "evaluation.py". */
function relativeTo(path: string, dir: string): string | undefined {
  const d = dir.endsWith('/') ? dir : `${dir}/`;
  return path.startsWith(d) ? path.slice(d.length) : undefined;
}

function digestObjects(objects: readonly ListedObject[]): string {
  const h = createHash('sha256');
  for (const o of objects) h.update(`${o.key}\t${o.etag}\t${o.size}\n`);
  return h.digest('hex');
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** SHA-256 of canonical JSON (object keys sorted), so the same value always has the same digest. */
export function digestJson(v: unknown): string {
  return sha256(canonical(v));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
