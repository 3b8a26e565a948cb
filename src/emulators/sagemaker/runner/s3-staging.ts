/**
 * Copies one S3 data source into a local folder before the container starts (File mode), following
 * SageMaker's placement rules:
 *  - S3Prefix: every object under the prefix, at its key relative to the prefix (a prefix without a
 *    trailing "/" also drops the "/" that follows it); but when the URI names an existing object
 *    exactly, only that object is copied, as `<folder>/<basename>` (the rule SageMaker's local
 *    mode implements; it is how `s3://b/model/model.tar.gz` lands as `model.tar.gz`).
 *  - ManifestFile: the URI is a JSON manifest `[{"prefix": "s3://b/p/"}, "rel/a", ...]`; each
 *    listed object lands at its relative path.
 *  - Folder markers (keys ending in "/") are skipped.
 * Keys that would land outside the folder ("..", absolute, empty segments) are refused before
 * anything is written (the S3 transfer module enforces this); so are manifest entries.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { LocalError } from '../../../core/errors.js';
import { S3Error } from '../../s3/index.js';
import type { S3Store } from '../../s3/index.js';
import { forEachLimit } from '../../../core/for-each-limit.js';
import { downloadPrefix, unsafeRelativePathReason, UnsafeKeyError, writeObjectToFile } from '../../s3/index.js';
import { InvalidS3UriError, parseS3Uri, type S3Location } from '../../s3/index.js';
import { clientError, JobFailure } from './job-failure.js';

export interface StageInputOptions {
  readonly uri: string;
  readonly dataType: 'S3Prefix' | 'ManifestFile';
  /** Host folder the data lands in (created). */
  readonly dir: string;
  /** Processing inputs may be empty; training channels may not (SageMaker refuses them). */
  readonly allowEmpty: boolean;
  /** For messages: `input "raw"` or `channel "train"`. */
  readonly what: string;
  readonly region: string;
  readonly roleArn: string;
}

export interface StageResult {
  readonly files: number;
  readonly bytes: number;
}

const CONCURRENCY = 8;

export function parseUri(uri: unknown, what: string): S3Location {
  try {
    return parseS3Uri(uri as string);
  } catch (err) {
    if (err instanceof InvalidS3UriError) throw clientError(`${what}: ${err.message}`);
    throw err;
  }
}

export async function stageS3Input(s3: S3Store, opts: StageInputOptions): Promise<StageResult> {
  const loc = parseUri(opts.uri, opts.what);
  await mkdir(opts.dir, { recursive: true });
  let result: StageResult;
  try {
    result = opts.dataType === 'ManifestFile' ? await stageManifest(s3, loc, opts) : await stagePrefix(s3, loc, opts);
  } catch (err) {
    throw asStagingFailure(err, loc, opts);
  }
  if (result.files === 0 && !opts.allowEmpty) throw noObjectsFailure(loc, opts);
  return result;
}

async function stagePrefix(s3: S3Store, loc: S3Location, opts: StageInputOptions): Promise<StageResult> {
  if (loc.key !== '' && !loc.key.endsWith('/') && (await s3.objectExists({ Bucket: loc.bucket, Key: loc.key }))) {
    const name = loc.key.slice(loc.key.lastIndexOf('/') + 1);
    const reason = unsafeRelativePathReason(opts.dir, name);
    if (reason !== undefined) throw new UnsafeKeyError(loc.bucket, loc.key, opts.dir, reason);
    const bytes = await writeObjectToFile(s3, loc.bucket, loc.key, join(opts.dir, name));
    return { files: 1, bytes };
  }
  if (!(await s3.bucketExists(loc.bucket))) return { files: 0, bytes: 0 };
  const files = await downloadPrefix(s3, { bucket: loc.bucket, prefix: loc.key, dir: opts.dir, concurrency: CONCURRENCY });
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

async function stageManifest(s3: S3Store, loc: S3Location, opts: StageInputOptions): Promise<StageResult> {
  const manifest = await s3.getObject({ Bucket: loc.bucket, Key: loc.key });
  let entries: unknown;
  try {
    entries = JSON.parse(manifest.Body.toString('utf8'));
  } catch {
    throw clientError(`${opts.what}: the manifest ${opts.uri} is not valid JSON`);
  }
  const head = Array.isArray(entries) ? entries[0] : undefined;
  const prefixUri = typeof head === 'object' && head !== null ? (head as { prefix?: unknown }).prefix : undefined;
  if (!Array.isArray(entries) || typeof prefixUri !== 'string') {
    throw clientError(`${opts.what}: the manifest ${opts.uri} must be a JSON array starting with {"prefix": "s3://bucket/prefix/"}`);
  }
  const base = parseUri(prefixUri, `${opts.what} (manifest prefix)`);
  const root = resolve(opts.dir);
  const plan: { key: string; path: string }[] = [];
  for (const rel of entries.slice(1)) {
    if (typeof rel !== 'string') throw clientError(`${opts.what}: manifest entries after the prefix must be strings (relative keys)`);
    const reason = unsafeRelativePathReason(root, rel);
    if (reason !== undefined) throw clientError(`${opts.what}: manifest entry "${rel}" cannot be saved inside ${posix.basename(root)} (${reason})`);
    plan.push({ key: base.key + rel, path: join(root, ...rel.split('/')) });
  }
  let bytes = 0;
  await forEachLimit(plan, CONCURRENCY, async ({ key, path }) => {
    await mkdir(dirname(path), { recursive: true });
    bytes += await writeObjectToFile(s3, base.bucket, key, path);
  });
  return { files: plan.length, bytes };
}

function noObjectsFailure(loc: S3Location, opts: StageInputOptions): JobFailure {
  return clientError(
    `No S3 objects found under S3 URL "${opts.uri}" given in input data source. Please ensure that the bucket exists in the selected region (${opts.region}), that objects exist under that S3 prefix, and that the role "${opts.roleArn}" has "s3:ListBucket" permissions on bucket "${loc.bucket}".`,
  );
}

function asStagingFailure(err: unknown, loc: S3Location, opts: StageInputOptions): unknown {
  if (err instanceof JobFailure) return err;
  if (err instanceof S3Error) {
    if (err.code === 'NoSuchBucket' && !opts.allowEmpty) return noObjectsFailure(loc, opts);
    return clientError(`Failed to download data for ${opts.what} from ${opts.uri}: ${err.code}: ${err.message}`);
  }
  if (err instanceof LocalError) return clientError(`${opts.what}: ${err.message}`);
  return err;
}
