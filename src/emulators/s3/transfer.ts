/**
 * Copying between the store and local folders: staging a prefix into a folder (SageMaker job
 * inputs, `s3 cp --recursive s3://... dir`) and a folder under a prefix (job outputs, uploads).
 *
 * A key becomes a local path only here, so this is where keys that cannot be written safely are
 * refused: any key whose path would leave the target folder ("../x", "/etc/x", "a/../../b"), and,
 * so that distinct keys never land on one file, any with ".", ".." or empty segments or a NUL.
 * Every key is checked before the first byte is written, so a refused download writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { trackTempFile } from '../../core/temp-files.js';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LocalError } from '../../core/errors.js';
import { LOCAL_ERRORS } from '../../core/error-catalogue.js';
import type { S3Store } from './store.js';
import { formatS3Uri } from './uri.js';
import { forEachLimit } from '../../core/for-each-limit.js';

export class UnsafeKeyError extends LocalError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly dir: string,
    readonly reason: string,
  ) {
    super(LOCAL_ERRORS.UnsafePath, `Refusing to download ${formatS3Uri(bucket, key)} into ${dir}: its key cannot be saved as a file inside that folder (${reason})`);
  }
}

const DEFAULT_CONCURRENCY = 8;
const MAX_FOLDER_DEPTH = 512;
const MAX_NAME_BYTES = 255;

/**
 * Where a key lands relative to the target folder when `prefix` is downloaded, following
 * SageMaker's File-mode staging: the key minus the prefix, with one leading "/" dropped when the
 * prefix does not end in "/" (s3://b/data/train + "data/train/a.csv" -> "a.csv"); a key equal to
 * the prefix lands under its base name. Undefined for folder markers (keys ending in "/"), which
 * hold no file.
 */
export function relativeKeyPath(prefix: string, key: string): string | undefined {
  if (key.endsWith('/') || !key.startsWith(prefix)) return undefined;
  let rel = key.slice(prefix.length);
  if (rel === '') rel = key.slice(key.lastIndexOf('/') + 1);
  else if (prefix !== '' && !prefix.endsWith('/') && rel.startsWith('/')) rel = rel.slice(1);
  return rel === '' ? undefined : rel;
}

/** Why `rel` (a "/"-separated relative key path) cannot be written under `root`, or undefined. */
export function unsafeRelativePathReason(root: string, rel: string): string | undefined {
  if (rel.includes('\0')) return 'it contains a NUL character';
  if (rel.startsWith('/') || isAbsolute(rel)) return 'it is an absolute path';
  for (const seg of rel.split('/')) {
    if (seg === '..') return 'it has a ".." path segment';
    if (seg === '.') return 'it has a "." path segment';
    if (seg === '') return 'it has an empty path segment ("//")';
    if (Buffer.byteLength(seg) > MAX_NAME_BYTES) return `a path segment is longer than ${MAX_NAME_BYTES} bytes`;
  }
  // Backstop for separators this platform reads differently (e.g. "\" on Windows).
  const inside = relative(resolve(root), resolve(root, ...rel.split('/')));
  if (inside === '' || inside === '..' || inside.startsWith('..' + sep) || isAbsolute(inside)) {
    return 'it resolves outside the folder';
  }
  return undefined;
}

export interface DownloadedFile {
  readonly key: string;
  readonly path: string;
  readonly size: number;
}

export interface DownloadPrefixOptions {
  readonly bucket: string;
  /** Every object whose key starts with this is downloaded; "" for the whole bucket. */
  readonly prefix: string;
  /** Target folder, created if missing. */
  readonly dir: string;
  readonly concurrency?: number;
  /** Called as each file is written (in completion order). */
  readonly onFile?: (file: DownloadedFile) => void;
}

/** Downloads every object under a prefix into a folder, keeping the keys' relative paths. */
export async function downloadPrefix(store: S3Store, opts: DownloadPrefixOptions): Promise<DownloadedFile[]> {
  const root = resolve(opts.dir);
  const plan: { key: string; path: string }[] = [];
  const files = new Set<string>();
  const dirs = new Set<string>();
  for await (const obj of store.listAll(opts.bucket, opts.prefix)) {
    const rel = relativeKeyPath(opts.prefix, obj.Key);
    if (rel === undefined) continue;
    const reason = unsafeRelativePathReason(root, rel);
    if (reason !== undefined) throw new UnsafeKeyError(opts.bucket, obj.Key, opts.dir, reason);
    plan.push({ key: obj.Key, path: join(root, ...rel.split('/')) });
    files.add(rel);
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) dirs.add(rel.slice(0, i));
  }
  for (const f of files) {
    if (dirs.has(f)) {
      throw new LocalError(
        LOCAL_ERRORS.UnsafePath,
        `Cannot download ${formatS3Uri(opts.bucket, opts.prefix)} into ${opts.dir}: "${f}" would have to be both a file and a folder (keys "${f}" and "${f}/..." both exist)`,
      );
    }
  }
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const checkedDirs = new Map<string, Promise<void>>();
  const ensureDir = (dir: string): Promise<void> => {
    let p = checkedDirs.get(dir);
    if (p === undefined) {
      p = (async () => {
        await mkdir(dir, { recursive: true });
        // A symlink already in the target folder must not carry files outside it.
        const real = await realpath(dir);
        if (real !== realRoot && !real.startsWith(realRoot + sep)) {
          throw new LocalError(LOCAL_ERRORS.UnsafePath, `Refusing to download into ${dir}: it leads outside ${opts.dir} through a symbolic link`);
        }
      })();
      checkedDirs.set(dir, p);
    }
    return p;
  };
  const done: DownloadedFile[] = [];
  await forEachLimit(plan, opts.concurrency ?? DEFAULT_CONCURRENCY, async ({ key, path }) => {
    await ensureDir(dirname(path));
    const size = await writeObjectToFile(store, opts.bucket, key, path);
    const file = { key, path, size };
    done.push(file);
    opts.onFile?.(file);
  });
  return done;
}

/**
 * Writes one object to `path` through a temp file in the same folder and a rename, so the file
 * appears whole or not at all, and an existing symlink at `path` is replaced rather than followed.
 */
export async function writeObjectToFile(store: S3Store, bucket: string, key: string, path: string): Promise<number> {
  const obj = await store.getObjectStream({ Bucket: bucket, Key: key });
  const tmp = join(dirname(path), `.mlops-s3-${randomBytes(8).toString('hex')}.part`);
  // Removed on any failure, and by the process's exit or a signal if it ends mid-download.
  const untrack = trackTempFile(tmp);
  try {
    await pipeline(obj.Body, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    await rename(tmp, path);
  } catch (err) {
    obj.Body.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    untrack();
  }
  return obj.ContentLength;
}

export interface UploadedFile {
  readonly path: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export interface UploadDirectoryOptions {
  readonly dir: string;
  readonly bucket: string;
  /** Files land at prefix + "/" + their relative path ("/" not doubled; "" for the bucket root). */
  readonly prefix: string;
  /** SageMaker uploads no symlinks (the default); `aws s3 cp` follows them. */
  readonly followSymlinks?: boolean;
  /** Content type per local file; default none (S3's binary/octet-stream). */
  readonly contentType?: (path: string) => string | undefined;
  readonly concurrency?: number;
  readonly onFile?: (file: UploadedFile) => void;
}

export function joinKey(prefix: string, rel: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix + rel : prefix + '/' + rel;
}

/** Every regular file under `dir` (sorted, depth first) with its "/"-joined relative path. */
export async function listLocalFiles(dir: string, followSymlinks = false): Promise<{ path: string; rel: string }[]> {
  const out: { path: string; rel: string }[] = [];
  const seen = new Set<string>([await realpath(dir)]);
  const visit = async (folder: string, rel: string, depth: number): Promise<void> => {
    if (depth > MAX_FOLDER_DEPTH) throw new LocalError(LOCAL_ERRORS.InvalidFolder, `${folder} is nested more than ${MAX_FOLDER_DEPTH} folders deep`);
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(folder, e.name);
      const childRel = rel === '' ? e.name : rel + '/' + e.name;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        if (!followSymlinks) continue;
        try {
          const st = await stat(path);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
        if (isDir) {
          const real = await realpath(path);
          if (seen.has(real)) continue; // a loop, or a folder already uploaded
          seen.add(real);
        }
      }
      if (isDir) await visit(path, childRel, depth + 1);
      else if (isFile) out.push({ path, rel: childRel });
    }
  };
  await visit(dir, '', 0);
  return out;
}

/** Uploads every file under a folder to `prefix`, keeping relative paths as keys. */
export async function uploadDirectory(store: S3Store, opts: UploadDirectoryOptions): Promise<UploadedFile[]> {
  let st;
  try {
    st = await stat(opts.dir);
  } catch {
    throw new LocalError(LOCAL_ERRORS.InvalidFolder, `The folder ${opts.dir} does not exist`);
  }
  if (!st.isDirectory()) throw new LocalError(LOCAL_ERRORS.InvalidFolder, `${opts.dir} is not a folder`);
  if (!(await store.bucketExists(opts.bucket))) {
    // Fail before walking the folder, with the same error a put would give.
    await store.headBucket({ Bucket: opts.bucket });
  }
  const local = await listLocalFiles(opts.dir, opts.followSymlinks ?? false);
  const done: UploadedFile[] = [];
  await forEachLimit(local, opts.concurrency ?? DEFAULT_CONCURRENCY, async ({ path, rel }) => {
    const key = joinKey(opts.prefix, rel);
    const contentType = opts.contentType?.(path);
    const res = await store.putObjectFromFile({
      Bucket: opts.bucket,
      Key: key,
      FilePath: path,
      ...(contentType !== undefined ? { ContentType: contentType } : {}),
    });
    const file = { path, key, size: res.Size, etag: res.ETag };
    done.push(file);
    opts.onFile?.(file);
  });
  return done;
}
