/**
 * The local, file-backed S3 store shared by the engine's aws-sdk:s3 tasks, the SageMaker job
 * emulation and the CLI (possibly several processes at once).
 *
 * Layout under `root` (`<home>/s3`):
 *   buckets/<name>/bucket.json   creation date; its presence is what makes the bucket exist
 *   buckets/<name>/objects/...   one file per object, named by key-path.ts, format in object-file.ts
 *   buckets/<name>/tmp/          uploads being written; never listed, swept when stale
 *   tmp/                         buckets being created (made complete, then renamed into buckets/)
 *   trash/                       buckets being deleted (renamed out of buckets/, then removed)
 *
 * Every change is a rename of something fully written, so a crash (kill -9 mid-PUT) leaves the
 * old object or the new one, never part of one; what it can leave is a temp file, which no read
 * or listing ever sees. With `fsync` on (the default) the data is flushed before the rename, so
 * the same holds after a power cut.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join, sep } from 'node:path';
import { currentOwner, isOwnerAlive } from '../../core/process-owner.js';
import { Readable } from 'node:stream';
import {
  BucketAlreadyOwnedByYouError,
  BucketNotEmptyError,
  InternalError,
  InvalidArgumentError,
  InvalidRequestError,
  NoSuchBucketError,
  NoSuchKeyError,
  S3Error,
} from './errors.js';
import { keyPath, type KeyPath } from './key-path.js';
import { KeyCursor } from './key-index.js';
import { listObjectsV2 } from './list-objects.js';
import { assertBucketName, keyBytes, normaliseMetadata } from './names.js';
import { readMeta, writeObjectFile, type StoredMeta } from './object-file.js';
import type {
  BucketInput,
  CopyObjectInput,
  CopyObjectOutput,
  CreateBucketOutput,
  DeleteObjectsInput,
  DeleteObjectsOutput,
  GetObjectOutput,
  HeadObjectOutput,
  ListBucketsOutput,
  ListObjectsV2Input,
  ListObjectsV2Output,
  ObjectAttributes,
  ObjectInput,
  ObjectSummary,
  PutObjectFromFileInput,
  PutObjectInput,
  PutObjectOutput,
} from './types.js';

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const MAX_DELETE_OBJECTS = 1000;
const RENAME_ATTEMPTS = 8;
/** Bodies up to this size are copied and written in one buffer; larger ones stream. */
const SMALL_COPY_BYTES = 1 << 20;
const DEFAULT_SWEEP_AGE_MS = 24 * 60 * 60 * 1000;

/** Bytes first..last of an object, both inclusive. */
export interface ByteRange {
  first: number;
  last: number;
}

export interface S3StoreOptions {
  /** Flush each object to disk before it becomes visible (default true). Tests may turn it off. */
  fsync?: boolean;
  /** Milliseconds since the epoch for LastModified and CreationDate (default Date.now). */
  now?: () => number;
}

/** The store for a local home directory (`--home`, default `./.mlops`). */
export function s3StoreForHome(home: string, options?: S3StoreOptions): S3Store {
  const root = join(home, 's3');
  removeDeadWritersTemps(root);
  return new S3Store(root, options);
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Temp names start with their writer (`<pid>.<start ticks>-`), so whoever opens the home next can
 * tell an upload in progress from one whose process died, and remove only the latter.
 */
function ownerTag(): string {
  const me = currentOwner();
  return `${me.pid}.${me.startTicks ?? 0}`;
}

function tempName(): string {
  return `${ownerTag()}-${randomBytes(12).toString('hex')}.tmp`;
}

const OWNED_TEMP = /^(\d+)\.(\d+)-/;

/**
 * The temp files and staging folders of writers that are no longer running: an upload, a copy or a
 * bucket creation interrupted by a crash or a kill. Temp names without a writer are not listed (the
 * age-based sweep() handles them).
 */
export function deadWritersTemps(root: string): string[] {
  const dirs = [join(root, 'tmp')];
  try {
    for (const name of readdirSync(join(root, 'buckets'))) dirs.push(join(root, 'buckets', name, 'tmp'));
  } catch {
    // no buckets yet
  }
  const out: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = OWNED_TEMP.exec(name);
      if (m === null) continue;
      const startTicks = Number(m[2]);
      const owner = { pid: Number(m[1]), ...(startTicks > 0 ? { startTicks } : {}) };
      if (!isOwnerAlive(owner)) out.push(join(dir, name));
    }
  }
  return out;
}

/** Removes deadWritersTemps(root). Runs when a home is opened. */
export function removeDeadWritersTemps(root: string): void {
  for (const path of deadWritersTemps(root)) rmSync(path, { recursive: true, force: true });
}

function toDate(iso: string): Date {
  return new Date(iso);
}

function headOutput(meta: StoredMeta): HeadObjectOutput {
  return {
    ContentLength: meta.size,
    ContentType: meta.contentType,
    ETag: meta.etag,
    LastModified: toDate(meta.lastModified),
    Metadata: { ...meta.metadata },
  };
}

function contentTypeOf(value: string | undefined): string {
  if (value === undefined || value === null) return DEFAULT_CONTENT_TYPE;
  if (typeof value !== 'string') throw new InvalidArgumentError('ContentType must be a string.', 'Content-Type');
  return value;
}

async function readData(fh: FileHandle, size: number, key: string): Promise<Buffer> {
  const body = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const { bytesRead } = await fh.read(body, off, size - off, off);
    if (bytesRead === 0) throw new InternalError(`object ${key} ended early`);
    off += bytesRead;
  }
  return body;
}

function isAsyncIterable(v: unknown): v is AsyncIterable<Uint8Array | string> {
  return typeof v === 'object' && v !== null && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

interface BucketPaths {
  readonly dir: string;
  readonly objects: string;
  readonly tmp: string;
  readonly marker: string;
}

interface OpenedObject {
  readonly fh: FileHandle;
  readonly meta: StoredMeta;
}

export class S3Store {
  readonly root: string;
  private readonly fsync: boolean;
  private readonly now: () => number;

  constructor(root: string, options: S3StoreOptions = {}) {
    this.root = root;
    this.fsync = options.fsync ?? true;
    this.now = options.now ?? Date.now;
  }

  // ---- buckets -------------------------------------------------------------------------------

  private bucketPaths(bucket: string): BucketPaths {
    assertBucketName(bucket);
    const dir = join(this.root, 'buckets', bucket);
    return { dir, objects: join(dir, 'objects'), tmp: join(dir, 'tmp'), marker: join(dir, 'bucket.json') };
  }

  async bucketExists(bucket: string): Promise<boolean> {
    const p = this.bucketPaths(bucket);
    try {
      await stat(p.marker);
      return true;
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return false;
      throw err;
    }
  }

  /** Throws NoSuchBucket unless the bucket exists. */
  async headBucket(input: BucketInput): Promise<void> {
    if (!(await this.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
  }

  async createBucket(input: BucketInput): Promise<CreateBucketOutput> {
    const p = this.bucketPaths(input.Bucket);
    const staging = join(this.root, 'tmp', `${ownerTag()}-${randomBytes(12).toString('hex')}`);
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    await mkdir(staging, { recursive: true });
    try {
      await mkdir(join(staging, 'objects'));
      await mkdir(join(staging, 'tmp'));
      const created = new Date(Math.floor(this.now() / 1000) * 1000).toISOString();
      await writeFile(join(staging, 'bucket.json'), JSON.stringify({ creationDate: created }) + '\n');
      try {
        await rename(staging, p.dir);
      } catch (err) {
        const code = errno(err);
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new BucketAlreadyOwnedByYouError(input.Bucket);
        throw err;
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return { Location: '/' + input.Bucket };
  }

  /** Deletes an empty bucket (S3 refuses to delete one holding objects). */
  async deleteBucket(input: BucketInput): Promise<void> {
    const p = this.bucketPaths(input.Bucket);
    if (!(await this.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
    if ((await new KeyCursor(p.objects).first('', '')) !== undefined) throw new BucketNotEmptyError(input.Bucket);
    const trash = join(this.root, 'trash', randomBytes(12).toString('hex'));
    await mkdir(join(this.root, 'trash'), { recursive: true });
    try {
      await rename(p.dir, trash);
    } catch (err) {
      if (errno(err) === 'ENOENT') throw new NoSuchBucketError(input.Bucket);
      throw err;
    }
    await rm(trash, { recursive: true, force: true });
  }

  async listBuckets(): Promise<ListBucketsOutput> {
    let names: string[];
    try {
      names = await readdir(join(this.root, 'buckets'));
    } catch (err) {
      if (errno(err) === 'ENOENT') return { Buckets: [] };
      throw err;
    }
    names.sort();
    const buckets = [];
    for (const name of names) {
      let raw: string;
      try {
        this.bucketPaths(name);
        raw = await readFile(join(this.root, 'buckets', name, 'bucket.json'), 'utf8');
      } catch {
        continue; // not a bucket: a stray folder, or one being deleted right now
      }
      let created = new Date(0);
      try {
        const parsed = JSON.parse(raw) as { creationDate?: unknown };
        if (typeof parsed.creationDate === 'string') created = new Date(parsed.creationDate);
      } catch {
        // an unreadable date is not worth hiding the bucket for
      }
      buckets.push({ Name: name, CreationDate: created });
    }
    return { Buckets: buckets };
  }

  // ---- objects -------------------------------------------------------------------------------

  async putObject(input: PutObjectInput): Promise<PutObjectOutput> {
    const body = input.Body;
    let source: Uint8Array | AsyncIterable<Uint8Array | string>;
    if (typeof body === 'string') source = Buffer.from(body, 'utf8');
    else if (body instanceof Uint8Array) source = body;
    else if (isAsyncIterable(body)) source = body;
    else throw new InvalidArgumentError('Body must be a Buffer, a string or a readable stream.', 'Body');
    return this.write(input, source);
  }

  /** Streams a local file into an object without loading it in memory. */
  async putObjectFromFile(input: PutObjectFromFileInput): Promise<PutObjectOutput> {
    // Open first so a missing file fails before anything is written.
    const fh = await open(input.FilePath, 'r');
    try {
      return await this.write(input, fh.createReadStream({ autoClose: false, highWaterMark: 1 << 20 }));
    } finally {
      await fh.close();
    }
  }

  async headObject(input: ObjectInput): Promise<HeadObjectOutput> {
    const { fh, meta } = await this.openObject(input.Bucket, input.Key);
    await fh.close();
    return headOutput(meta);
  }

  async objectExists(input: ObjectInput): Promise<boolean> {
    try {
      await this.headObject(input);
      return true;
    } catch (err) {
      if (err instanceof NoSuchKeyError) return false;
      throw err;
    }
  }

  async getObject(input: ObjectInput): Promise<GetObjectOutput<Buffer>> {
    const { fh, meta } = await this.openObject(input.Bucket, input.Key);
    try {
      return { ...headOutput(meta), Body: await readData(fh, meta.size, input.Key) };
    } finally {
      await fh.close();
    }
  }

  /**
   * The object's bytes as a stream; the file stays open until the stream ends or is destroyed.
   * `range` picks bytes first..last (inclusive, as HTTP ranges are), already checked against the
   * object's size by the caller (see `resolveRange`), since only the caller knows how to answer a
   * range that does not fit.
   */
  async getObjectStream(
    input: ObjectInput,
    range?: (size: number) => ByteRange | undefined,
  ): Promise<GetObjectOutput<Readable> & { Range?: ByteRange }> {
    const { fh, meta } = await this.openObject(input.Bucket, input.Key);
    let picked: ByteRange | undefined;
    try {
      picked = range?.(meta.size);
    } catch (err) {
      await fh.close();
      throw err;
    }
    const first = picked?.first ?? 0;
    const last = picked?.last ?? meta.size - 1;
    if (last < first) {
      await fh.close();
      return { ...headOutput(meta), Body: Readable.from([]), Range: picked };
    }
    const body = fh.createReadStream({ start: first, end: last, autoClose: true });
    return { ...headOutput(meta), Body: body, Range: picked };
  }

  /** Deletes one object; like S3, deleting a key that does not exist succeeds. */
  async deleteObject(input: ObjectInput): Promise<void> {
    const p = this.bucketPaths(input.Bucket);
    const kp = keyPath(keyBytes(input.Key));
    const dirs = this.dirChain(p.objects, kp);
    try {
      await unlink(join(dirs[dirs.length - 1], kp.file));
    } catch (err) {
      if (errno(err) !== 'ENOENT' && errno(err) !== 'ENOTDIR') throw err;
      if (!(await this.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
      return;
    }
    // Prune folders this delete emptied, so deleted prefixes cost nothing to list. A put racing
    // with this retries its rename (see moveIntoPlace).
    for (let i = dirs.length - 1; i > 0; i--) {
      try {
        await rmdir(dirs[i]);
      } catch {
        break;
      }
    }
  }

  async deleteObjects(input: DeleteObjectsInput): Promise<DeleteObjectsOutput> {
    const objects = input.Delete?.Objects;
    if (!Array.isArray(objects) || objects.length > MAX_DELETE_OBJECTS) {
      throw new S3Error(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
        400,
      );
    }
    if (!(await this.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
    const out: DeleteObjectsOutput = { Deleted: [], Errors: [] };
    for (const { Key } of objects) {
      try {
        await this.deleteObject({ Bucket: input.Bucket, Key });
        if (!input.Delete.Quiet) out.Deleted.push({ Key });
      } catch (err) {
        if (!(err instanceof S3Error)) throw err;
        out.Errors.push({ Key, Code: err.code, Message: err.message });
      }
    }
    return out;
  }

  async copyObject(input: CopyObjectInput): Promise<CopyObjectOutput> {
    const directive = input.MetadataDirective ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE') {
      throw new InvalidArgumentError('Unknown metadata directive.', 'x-amz-metadata-directive', String(directive));
    }
    if (input.SourceBucket === input.Bucket && input.SourceKey === input.Key && directive === 'COPY') {
      throw new InvalidRequestError(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const { fh, meta } = await this.openObject(input.SourceBucket, input.SourceKey);
    try {
      const attrs =
        directive === 'COPY'
          ? { ContentType: meta.contentType, Metadata: meta.metadata }
          : { ContentType: input.ContentType, Metadata: input.Metadata };
      const source: Uint8Array | AsyncIterable<Uint8Array> =
        meta.size <= SMALL_COPY_BYTES
          ? await readData(fh, meta.size, input.SourceKey)
          : fh.createReadStream({ start: 0, end: meta.size - 1, autoClose: false });
      const written = await this.write({ Bucket: input.Bucket, Key: input.Key, ...attrs }, source);
      return { CopyObjectResult: { ETag: written.ETag, LastModified: written.LastModified } };
    } finally {
      await fh.close();
    }
  }

  async listObjectsV2(input: ListObjectsV2Input): Promise<ListObjectsV2Output> {
    const p = this.bucketPaths(input.Bucket);
    if (!(await this.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
    return listObjectsV2(input, new KeyCursor(p.objects), (key, path) => this.summary(key, path));
  }

  /** Every object under `prefix`, in key order, page by page. */
  async *listAll(bucket: string, prefix = ''): AsyncGenerator<ObjectSummary> {
    let token: string | undefined;
    do {
      const page = await this.listObjectsV2({ Bucket: bucket, Prefix: prefix, ContinuationToken: token });
      for (const o of page.Contents ?? []) yield o;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /**
   * Removes what crashes leave behind: buckets half deleted, and temp files not written to for
   * `olderThanMs` (default a day, so an upload in progress is never touched).
   */
  async sweep(olderThanMs = DEFAULT_SWEEP_AGE_MS): Promise<void> {
    await rm(join(this.root, 'trash'), { recursive: true, force: true });
    const cutoff = Date.now() - olderThanMs;
    const dirs = [join(this.root, 'tmp')];
    try {
      for (const name of await readdir(join(this.root, 'buckets'))) dirs.push(join(this.root, 'buckets', name, 'tmp'));
    } catch (err) {
      if (errno(err) !== 'ENOENT') throw err;
    }
    for (const dir of dirs) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(dir, name);
        try {
          if ((await stat(path)).mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
        } catch {
          // gone already
        }
      }
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private dirChain(objects: string, kp: KeyPath): string[] {
    const chain = [objects];
    let cur = objects;
    for (const d of kp.dirs) {
      cur = cur + sep + d;
      chain.push(cur);
    }
    return chain;
  }

  private async openObject(bucket: string, key: string): Promise<OpenedObject> {
    const p = this.bucketPaths(bucket);
    const kp = keyPath(keyBytes(key));
    const path = join(p.objects, ...kp.dirs, kp.file);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (errno(err) !== 'ENOENT' && errno(err) !== 'ENOTDIR') throw err;
      if (!(await this.bucketExists(bucket))) throw new NoSuchBucketError(bucket);
      throw new NoSuchKeyError(bucket, key);
    }
    try {
      return { fh, meta: await readMeta(fh, key, path) };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  private async summary(key: string, path: string): Promise<ObjectSummary | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined; // deleted since the folder was read
      throw err;
    }
    try {
      const meta = await readMeta(fh, key, path);
      return {
        Key: key,
        LastModified: toDate(meta.lastModified),
        ETag: meta.etag,
        Size: meta.size,
        StorageClass: 'STANDARD',
      };
    } catch (err) {
      // Not an object the store wrote (a stray file, or a folder named like an object).
      if (err instanceof InternalError || errno(err) === 'EISDIR') return undefined;
      throw err;
    } finally {
      await fh.close();
    }
  }

  /**
   * Writes an object whose ETag is not the MD5 of its bytes: a completed multipart upload, whose
   * ETag S3 derives from its parts' (see multipart.ts).
   */
  async putAssembledObject(
    input: ObjectInput & ObjectAttributes,
    source: AsyncIterable<Uint8Array>,
    etag: string,
  ): Promise<PutObjectOutput> {
    return this.write(input, source, etag);
  }

  /** The folder of a bucket's unfinished multipart uploads (multipart.ts keeps them there). */
  uploadsDir(bucket: string): string {
    return join(this.bucketPaths(bucket).dir, 'uploads');
  }

  private async write(
    input: ObjectInput & { ContentType?: string; Metadata?: Record<string, string> },
    source: Uint8Array | AsyncIterable<Uint8Array | string>,
    etag?: string,
  ): Promise<PutObjectOutput> {
    const p = this.bucketPaths(input.Bucket);
    const kp = keyPath(keyBytes(input.Key));
    const contentType = contentTypeOf(input.ContentType);
    const metadata = normaliseMetadata(input.Metadata);

    const tmp = join(p.tmp, tempName());
    let fh: FileHandle;
    try {
      fh = await open(tmp, 'wx', 0o644);
    } catch (err) {
      if (errno(err) === 'ENOENT') throw new NoSuchBucketError(input.Bucket);
      throw err;
    }
    let meta: StoredMeta;
    try {
      meta = await writeObjectFile(fh, source, this.fsync, (size, md5) => ({
        key: input.Key,
        size,
        etag: etag ?? `"${md5}"`,
        lastModified: new Date(Math.floor(this.now() / 1000) * 1000).toISOString(),
        contentType,
        metadata,
      }));
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    try {
      await this.moveIntoPlace(input.Bucket, tmp, p.objects, kp);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    return { ETag: meta.etag, Size: meta.size, LastModified: toDate(meta.lastModified) };
  }

  private async moveIntoPlace(bucket: string, tmp: string, objects: string, kp: KeyPath): Promise<void> {
    const chain = this.dirChain(objects, kp);
    const target = chain[chain.length - 1] + sep + kp.file;
    for (let attempt = 1; ; attempt++) {
      try {
        await rename(tmp, target);
        return;
      } catch (err) {
        if (errno(err) !== 'ENOENT' || attempt >= RENAME_ATTEMPTS) throw err;
      }
      await this.makeDirs(bucket, chain);
    }
  }

  /**
   * Creates the object's folders one level at a time, never recreating the bucket's `objects/`
   * folder: if the bucket was deleted meanwhile, the write fails with NoSuchBucket instead of
   * resurrecting half a bucket.
   */
  private async makeDirs(bucket: string, chain: string[]): Promise<void> {
    try {
      await stat(chain[0]);
    } catch (err) {
      if (errno(err) === 'ENOENT') throw new NoSuchBucketError(bucket);
      throw err;
    }
    for (let i = 1; i < chain.length; i++) {
      try {
        await mkdir(chain[i]);
      } catch (err) {
        if (errno(err) === 'EEXIST') continue;
        if (errno(err) === 'ENOENT') return; // a parent was pruned by a concurrent delete: retry
        throw err;
      }
    }
  }
}
