/**
 * `mlops-sfn s3 ls|cp|rm|mb|rb`: the local S3 store with `aws s3`'s arguments, output lines and
 * path rules, so commands and scripts written for the cloud work against `--home` unchanged.
 *
 * The command functions are pure of process state (they take the store and an Io) so tests call
 * them directly; registerS3Command wires them to commander, stdout and the exit code.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import {
  bucketNameProblem,
  downloadPrefix,
  formatS3Uri,
  guessContentType,
  isS3Uri,
  joinKey,
  listLocalFiles,
  NoSuchBucketError,
  NoSuchKeyError,
  parseS3Uri,
  relativeKeyPath,
  S3Error,
  S3Store,
  s3StoreForHome,
  UnsafeKeyError,
  unsafeRelativePathReason,
  uploadDirectory,
  writeObjectToFile,
  type ObjectSummary,
  type S3Location,
} from '../../emulators/s3/index.js';

export interface S3CliIo {
  /** Prints one line (without its newline). */
  out(line: string): void;
  /** Folder that relative local paths are resolved against and printed relative to. */
  cwd: string;
  /** For `cp - s3://...`. */
  stdin?: Readable;
  /** For `cp s3://... -`. */
  stdout?: Writable;
}

export interface LsOptions {
  recursive?: boolean;
  humanReadable?: boolean;
  summarize?: boolean;
  pageSize?: number;
}

export interface CpOptions {
  recursive?: boolean;
  quiet?: boolean;
  dryrun?: boolean;
  contentType?: string;
  /** Default true, as in `aws s3 cp`. */
  followSymlinks?: boolean;
}

export interface RmOptions {
  recursive?: boolean;
  quiet?: boolean;
  dryrun?: boolean;
}

// ---- formatting (aws s3 ls) --------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** "YYYY-MM-DD HH:MM:SS" in local time, as `aws s3 ls` prints LastModified and CreationDate. */
export function formatLsTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ` +
    `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
  );
}

const HUMAN_SUFFIXES = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** One decimal, ties to even like Python's "%.1f" (JavaScript's toFixed breaks ties upwards). */
function oneDecimal(x: number): string {
  const twenty = x * 20;
  if (Number.isInteger(twenty) && Math.abs(twenty % 2) === 1) {
    let tenths = (twenty - 1) / 2;
    if (tenths % 2 !== 0) tenths += 1;
    return (tenths / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** `aws s3 ls --human-readable` sizes: "1 Byte", "512 Bytes", "1.5 KiB", "3.0 MiB". */
export function humanReadableSize(bytes: number): string {
  if (bytes === 1) return '1 Byte';
  if (bytes < 1024) return `${bytes} Bytes`;
  for (let i = 0; i < HUMAN_SUFFIXES.length; i++) {
    const unit = 1024 ** (i + 2);
    if (Math.round((bytes / unit) * 1024) < 1024 || i === HUMAN_SUFFIXES.length - 1) {
      return `${oneDecimal((1024 * bytes) / unit)} ${HUMAN_SUFFIXES[i]}`;
    }
  }
  return `${bytes} Bytes`;
}

export function formatLsObjectLine(o: ObjectSummary, name: string, humanReadable = false): string {
  const size = humanReadable ? humanReadableSize(o.Size) : String(o.Size);
  return `${formatLsTimestamp(o.LastModified)} ${size.padStart(10, ' ')} ${name}`;
}

export function formatLsPrefixLine(commonPrefix: string): string {
  const parts = commonPrefix.split('/');
  return `${'PRE'.padStart(30, ' ')} ${parts[parts.length - 2] ?? ''}/`;
}

// ---- errors ------------------------------------------------------------------------------------

/** S3's message, then what to do about it, as one line. */
function sentence(message: string, more: string): string {
  return more === '' ? message : `${message.endsWith('.') ? message : message + '.'} ${more}`;
}

/** S3 errors as one actionable line, in the AWS CLI's wording plus what to do about it. */
function userErrorFrom(err: unknown, operation: string, bucket?: string): unknown {
  if (!(err instanceof S3Error)) return err;
  let message = err.message;
  let hint = '';
  if (err instanceof NoSuchBucketError) hint = `Create it with: mlops-sfn s3 mb s3://${err.bucket}`;
  else if (err instanceof NoSuchKeyError) {
    const parent = err.key.includes('/') ? err.key.slice(0, err.key.lastIndexOf('/') + 1) : '';
    message = `${message.replace(/\.$/, '')}: ${formatS3Uri(err.bucket, err.key)}`;
    hint = `See what is there with: mlops-sfn s3 ls ${formatS3Uri(err.bucket, parent)}`;
  } else if (err.code === 'BucketNotEmpty' && bucket !== undefined) {
    hint = `Delete its objects first with: mlops-sfn s3 rb --force s3://${bucket}`;
  }
  return new UserError(
    `An error occurred (${err.code}) when calling the ${operation} operation: ${sentence(message, hint)}`,
    `S3_${err.code.toUpperCase()}`,
  );
}

async function s3Call<T>(operation: string, fn: () => Promise<T>, bucket?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw userErrorFrom(err, operation, bucket);
  }
}

// ---- paths -------------------------------------------------------------------------------------

/** How `aws s3` prints a local path: its folder relative to the current one, then its name ("./a"). */
export function displayLocalPath(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const dir = relative(cwd, dirname(abs)) || '.';
  return dir + sep + basename(abs);
}

function parseUri(uri: string): S3Location {
  return parseS3Uri(uri);
}

/** `aws s3 ls` and `mb` also take a bare "bucket[/prefix]". */
function lenientUri(path: string): S3Location {
  if (isS3Uri(path)) return parseS3Uri(path);
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? path : path.slice(0, slash);
  return bucketNameProblem(bucket) === undefined ? parseS3Uri('s3://' + path) : parseS3Uri(path);
}

/** `aws s3` appends a "/" to a prefix for directory operations, so "data" means "data/...". */
function dirPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : key + '/';
}

function keyBaseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

async function localKind(path: string): Promise<'file' | 'dir' | 'other' | 'missing'> {
  try {
    const st = await stat(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

// ---- ls ----------------------------------------------------------------------------------------

/**
 * `s3 ls [s3://bucket[/prefix]]`: buckets, or one level of a prefix ("PRE x/" lines for common
 * prefixes, names relative to the prefix), or with --recursive every key in full. Returns 1 when
 * a prefix matched nothing, like the AWS CLI.
 */
export async function s3Ls(store: S3Store, path: string | undefined, opts: LsOptions, io: S3CliIo): Promise<number> {
  if (path === undefined || path === '' || path === 's3://') {
    const { Buckets } = await store.listBuckets();
    for (const b of Buckets) io.out(`${formatLsTimestamp(b.CreationDate)} ${b.Name}`);
    return 0;
  }
  const { bucket, key } = lenientUri(path);
  const pageSize = opts.pageSize ?? 1000;
  let token: string | undefined;
  let objects = 0;
  let total = 0;
  let empty = true;
  do {
    const page = await s3Call(
      'ListObjectsV2',
      () =>
        store.listObjectsV2({
          Bucket: bucket,
          Prefix: key,
          ...(opts.recursive ? {} : { Delimiter: '/' }),
          MaxKeys: pageSize,
          ...(token !== undefined ? { ContinuationToken: token } : {}),
        }),
      bucket,
    );
    for (const cp of page.CommonPrefixes ?? []) {
      empty = false;
      io.out(formatLsPrefixLine(cp.Prefix));
    }
    for (const o of page.Contents ?? []) {
      empty = false;
      objects++;
      total += o.Size;
      io.out(formatLsObjectLine(o, opts.recursive ? o.Key : keyBaseName(o.Key), opts.humanReadable));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  if (opts.summarize) {
    io.out('');
    io.out(`Total Objects: ${objects}`);
    io.out(`   Total Size: ${opts.humanReadable ? humanReadableSize(total) : total}`);
  }
  return empty && key !== '' ? 1 : 0;
}

// ---- cp ----------------------------------------------------------------------------------------

function report(io: S3CliIo, opts: CpOptions | RmOptions, line: string): void {
  if (opts.quiet) return;
  io.out(opts.dryrun ? `(dryrun) ${line}` : line);
}

/**
 * `s3 cp SRC DEST [--recursive]` for local->s3, s3->local and s3->s3, with `aws s3 cp`'s rules:
 * a destination ending in "/" (or an existing local folder, or a bare bucket) takes the source's
 * name; with --recursive the source is a folder or a prefix ("data" means "data/") and relative
 * paths are kept. "-" streams stdin to an object or an object to stdout.
 */
export async function s3Cp(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const srcS3 = isS3Uri(src);
  const destS3 = isS3Uri(dest);
  if (!srcS3 && !destS3) {
    throw new UserError(
      `Cannot copy ${src} to ${dest}: at least one of them must be an s3:// URI (use cp(1) for local copies)`,
      'INVALID_S3_ARGUMENTS',
    );
  }
  if (src === '-' || dest === '-') return cpStream(store, src, dest, opts, io);
  if (!srcS3) return opts.recursive ? uploadRecursive(store, src, dest, opts, io) : uploadOne(store, src, dest, opts, io);
  if (!destS3) {
    return opts.recursive ? downloadRecursive(store, src, dest, opts, io) : downloadOne(store, src, dest, opts, io);
  }
  return opts.recursive ? copyRecursive(store, src, dest, opts, io) : copyOne(store, src, dest, opts, io);
}

async function cpStream(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  if (opts.recursive) throw new UserError('Streaming with "-" cannot be combined with --recursive', 'INVALID_S3_ARGUMENTS');
  if (src === '-') {
    const to = parseUri(dest);
    if (to.key === '' || to.key.endsWith('/')) {
      throw new UserError(`Uploading from stdin needs a full object key, not ${dest}`, 'INVALID_S3_ARGUMENTS');
    }
    if (!io.stdin) throw new UserError('No stdin to upload from', 'INVALID_S3_ARGUMENTS');
    if (opts.dryrun) return 0;
    const stdin = io.stdin;
    await s3Call('PutObject', () =>
      store.putObject({
        Bucket: to.bucket,
        Key: to.key,
        Body: stdin,
        ...(opts.contentType !== undefined ? { ContentType: opts.contentType } : {}),
      }),
    );
    return 0;
  }
  const from = parseUri(src);
  if (!io.stdout) throw new UserError('No stdout to download to', 'INVALID_S3_ARGUMENTS');
  if (opts.dryrun) return 0;
  const obj = await s3Call('GetObject', () => store.getObjectStream({ Bucket: from.bucket, Key: from.key }));
  await pipeline(obj.Body, io.stdout, { end: false });
  return 0;
}

async function uploadOne(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const to = parseUri(dest);
  const file = resolve(io.cwd, src);
  const kind = await localKind(file);
  if (kind === 'missing') throw new UserError(`The user-provided path ${src} does not exist.`, 'NO_SUCH_PATH');
  if (kind === 'dir') throw new UserError(`${src} is a folder: add --recursive to upload it`, 'INVALID_S3_ARGUMENTS');
  if (kind !== 'file') throw new UserError(`${src} is not a regular file`, 'INVALID_S3_ARGUMENTS');
  const key = to.key === '' || to.key.endsWith('/') ? to.key + basename(file) : to.key;
  if (!opts.dryrun) {
    const contentType = opts.contentType ?? guessContentType(file);
    await s3Call('PutObject', () =>
      store.putObjectFromFile({
        Bucket: to.bucket,
        Key: key,
        FilePath: file,
        ...(contentType !== undefined ? { ContentType: contentType } : {}),
      }),
    );
  }
  report(io, opts, `upload: ${displayLocalPath(file, io.cwd)} to ${formatS3Uri(to.bucket, key)}`);
  return 0;
}

async function uploadRecursive(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const to = parseUri(dest);
  const dir = resolve(io.cwd, src);
  const kind = await localKind(dir);
  if (kind === 'missing') throw new UserError(`The user-provided path ${src} does not exist.`, 'NO_SUCH_PATH');
  if (kind !== 'dir') throw new UserError(`${src} is not a folder: drop --recursive to upload one file`, 'INVALID_S3_ARGUMENTS');
  const prefix = dirPrefix(to.key);
  const line = (path: string, key: string) => `upload: ${displayLocalPath(path, io.cwd)} to ${formatS3Uri(to.bucket, key)}`;
  const contentType = (path: string) => opts.contentType ?? guessContentType(path);
  if (opts.dryrun) {
    await s3Call('HeadBucket', () => store.headBucket({ Bucket: to.bucket }));
    for (const f of await listLocalFiles(dir, opts.followSymlinks ?? true)) report(io, opts, line(f.path, joinKey(prefix, f.rel)));
    return 0;
  }
  await s3Call('PutObject', () =>
    uploadDirectory(store, {
      dir,
      bucket: to.bucket,
      prefix,
      followSymlinks: opts.followSymlinks ?? true,
      contentType,
      onFile: (f) => report(io, opts, line(f.path, f.key)),
    }),
  );
  return 0;
}

async function downloadOne(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const from = parseUri(src);
  if (from.key === '') {
    throw new UserError(`${src} names a bucket, not an object: add --recursive to download everything in it`, 'INVALID_S3_ARGUMENTS');
  }
  let target = resolve(io.cwd, dest);
  if (dest.endsWith('/') || dest.endsWith(sep) || (await localKind(target)) === 'dir') {
    const name = keyBaseName(from.key);
    const reason = name === '' ? 'it ends with "/"' : unsafeRelativePathReason(target, name);
    if (reason !== undefined) {
      throw new UserError(
        `Cannot download ${src} into ${dest} under its own name (${reason}); give a file name as the destination`,
        'UNSAFE_S3_KEY',
      );
    }
    target = join(target, name);
  }
  // Fails with NoSuchKey before any local folder is created.
  await s3Call('HeadObject', () => store.headObject({ Bucket: from.bucket, Key: from.key }));
  if (!opts.dryrun) {
    await mkdir(dirname(target), { recursive: true });
    await s3Call('GetObject', () => writeObjectToFile(store, from.bucket, from.key, target));
  }
  report(io, opts, `download: ${formatS3Uri(from.bucket, from.key)} to ${displayLocalPath(target, io.cwd)}`);
  return 0;
}

async function downloadRecursive(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const from = parseUri(src);
  const prefix = dirPrefix(from.key);
  const dir = resolve(io.cwd, dest);
  const line = (key: string, path: string) => `download: ${formatS3Uri(from.bucket, key)} to ${displayLocalPath(path, io.cwd)}`;
  if (opts.dryrun) {
    for await (const o of listOrThrow(store, from.bucket, prefix)) {
      const rel = relativeKeyPath(prefix, o.Key);
      if (rel === undefined) continue;
      const reason = unsafeRelativePathReason(dir, rel);
      if (reason !== undefined) throw new UnsafeKeyError(from.bucket, o.Key, dest, reason);
      report(io, opts, line(o.Key, join(dir, ...rel.split('/'))));
    }
    return 0;
  }
  await s3Call('GetObject', () =>
    downloadPrefix(store, {
      bucket: from.bucket,
      prefix,
      dir,
      onFile: (f) => report(io, opts, line(f.key, f.path)),
    }),
  );
  return 0;
}

async function* listOrThrow(store: S3Store, bucket: string, prefix: string): AsyncGenerator<ObjectSummary> {
  try {
    for await (const o of store.listAll(bucket, prefix)) yield o;
  } catch (err) {
    throw userErrorFrom(err, 'ListObjectsV2', bucket);
  }
}

async function copyOne(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const from = parseUri(src);
  const to = parseUri(dest);
  if (from.key === '') {
    throw new UserError(`${src} names a bucket, not an object: add --recursive to copy everything in it`, 'INVALID_S3_ARGUMENTS');
  }
  const key = to.key === '' || to.key.endsWith('/') ? to.key + keyBaseName(from.key) : to.key;
  if (!opts.dryrun) {
    await s3Call('CopyObject', () =>
      store.copyObject({
        SourceBucket: from.bucket,
        SourceKey: from.key,
        Bucket: to.bucket,
        Key: key,
        ...(opts.contentType !== undefined ? { MetadataDirective: 'REPLACE' as const, ContentType: opts.contentType } : {}),
      }),
    );
  }
  report(io, opts, `copy: ${formatS3Uri(from.bucket, from.key)} to ${formatS3Uri(to.bucket, key)}`);
  return 0;
}

async function copyRecursive(store: S3Store, src: string, dest: string, opts: CpOptions, io: S3CliIo): Promise<number> {
  const from = parseUri(src);
  const to = parseUri(dest);
  const srcPrefix = dirPrefix(from.key);
  const destPrefix = dirPrefix(to.key);
  // Listed in full first, so copying a prefix into itself cannot chase its own copies.
  const keys: string[] = [];
  for await (const o of listOrThrow(store, from.bucket, srcPrefix)) keys.push(o.Key);
  if (!opts.dryrun && keys.length > 0) await s3Call('HeadBucket', () => store.headBucket({ Bucket: to.bucket }));
  for (const key of keys) {
    const target = destPrefix + key.slice(srcPrefix.length);
    if (from.bucket === to.bucket && target === key) continue;
    if (!opts.dryrun) {
      await s3Call('CopyObject', () =>
        store.copyObject({ SourceBucket: from.bucket, SourceKey: key, Bucket: to.bucket, Key: target }),
      );
    }
    report(io, opts, `copy: ${formatS3Uri(from.bucket, key)} to ${formatS3Uri(to.bucket, target)}`);
  }
  return 0;
}

// ---- rm, mb, rb --------------------------------------------------------------------------------

/** `s3 rm s3://bucket/key`, or with --recursive every object under a prefix ("data" means "data/"). */
export async function s3Rm(store: S3Store, path: string, opts: RmOptions, io: S3CliIo): Promise<number> {
  if (!isS3Uri(path)) throw new UserError(`${path} is not an S3 URI: rm takes s3://bucket/key`, 'INVALID_S3_URI');
  const { bucket, key } = parseUri(path);
  if (!opts.recursive) {
    if (key === '') {
      throw new UserError(
        `${path} names a bucket, not an object: add --recursive to delete every object in it, or use "s3 rb" to remove the bucket`,
        'INVALID_S3_ARGUMENTS',
      );
    }
    if (!opts.dryrun) await s3Call('DeleteObject', () => store.deleteObject({ Bucket: bucket, Key: key }));
    report(io, opts, `delete: ${formatS3Uri(bucket, key)}`);
    return 0;
  }
  const keys: string[] = [];
  for await (const o of listOrThrow(store, bucket, dirPrefix(key))) keys.push(o.Key);
  for (const k of keys) {
    if (!opts.dryrun) await s3Call('DeleteObject', () => store.deleteObject({ Bucket: bucket, Key: k }));
    report(io, opts, `delete: ${formatS3Uri(bucket, k)}`);
  }
  return 0;
}

function bucketOnly(path: string, command: string): string {
  const { bucket, key } = lenientUri(path);
  if (key !== '' && key !== '/') {
    throw new UserError(`${command} takes a bucket (s3://${bucket}), not an object path: ${path}`, 'INVALID_S3_ARGUMENTS');
  }
  return bucket;
}

/** `s3 mb s3://bucket`. */
export async function s3Mb(store: S3Store, path: string, io: S3CliIo): Promise<number> {
  const bucket = bucketOnly(path, 'mb');
  try {
    await store.createBucket({ Bucket: bucket });
  } catch (err) {
    if (!(err instanceof S3Error)) throw err;
    throw new UserError(
      `make_bucket failed: s3://${bucket} An error occurred (${err.code}) when calling the CreateBucket operation: ${err.message}`,
      `S3_${err.code.toUpperCase()}`,
    );
  }
  io.out(`make_bucket: ${bucket}`);
  return 0;
}

/** `s3 rb s3://bucket [--force]`: removes an empty bucket, or with --force its objects first. */
export async function s3Rb(store: S3Store, path: string, opts: { force?: boolean }, io: S3CliIo): Promise<number> {
  const bucket = bucketOnly(path, 'rb');
  if (opts.force) await s3Rm(store, `s3://${bucket}/`, { recursive: true }, io);
  try {
    await store.deleteBucket({ Bucket: bucket });
  } catch (err) {
    if (!(err instanceof S3Error)) throw err;
    const hint = err.code === 'BucketNotEmpty' ? 'Add --force to delete its objects first.' : '';
    throw new UserError(
      `remove_bucket failed: s3://${bucket} An error occurred (${err.code}) when calling the DeleteBucket operation: ${sentence(err.message, hint)}`,
      `S3_${err.code.toUpperCase()}`,
    );
  }
  io.out(`remove_bucket: ${bucket}`);
  return 0;
}

// ---- commander wiring --------------------------------------------------------------------------

function processIo(): S3CliIo {
  return {
    out: (line) => void process.stdout.write(line + '\n'),
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
  };
}

function setExit(code: number): void {
  if (code !== 0) process.exitCode = code;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new UserError(`--page-size must be an integer from 1 to 1000, got ${value}`, 'INVALID_S3_ARGUMENTS');
  }
  return n;
}

/**
 * Adds `s3 ls|cp|rm|mb|rb` to the CLI. `io` is for tests; commands print to stdout and set
 * process.exitCode when they end with a non-zero code (ls of an empty prefix, like aws s3 ls).
 */
export function registerS3Command(program: Command, getHome: () => string, io: () => S3CliIo = processIo): Command {
  const store = () => s3StoreForHome(getHome());
  const s3 = program
    .command('s3')
    .description('work with the local S3 store (<home>/s3) using aws s3 commands: ls, cp, rm, mb, rb');

  s3.command('ls')
    .description('list buckets, or the objects and common prefixes under s3://bucket[/prefix]')
    .argument('[path]', 's3://bucket[/prefix]')
    .option('--recursive', 'list every object under the prefix, with full keys')
    .option('--human-readable', 'print sizes in KiB, MiB, ...')
    .option('--summarize', 'print the number of objects and their total size')
    .option('--page-size <n>', 'keys per list request (1-1000)', positiveInt)
    .action(async (path: string | undefined, opts: LsOptions) => setExit(await s3Ls(store(), path, opts, io())));

  s3.command('cp')
    .description('copy a file or object: local to s3://, s3:// to local, or s3:// to s3:// ("-" for stdin/stdout)')
    .argument('<source>')
    .argument('<destination>')
    .option('--recursive', 'copy every file in a folder or every object under a prefix')
    .option('--quiet', 'print nothing')
    .option('--dryrun', 'print what would be copied without copying')
    .option('--content-type <type>', 'Content-Type for uploaded objects (default: guessed from the file name)')
    .option('--no-follow-symlinks', 'skip symbolic links when uploading a folder')
    .action(async (src: string, dest: string, opts: CpOptions) => setExit(await s3Cp(store(), src, dest, opts, io())));

  s3.command('rm')
    .description('delete an object, or with --recursive every object under a prefix')
    .argument('<path>', 's3://bucket/key')
    .option('--recursive', 'delete every object under the prefix')
    .option('--quiet', 'print nothing')
    .option('--dryrun', 'print what would be deleted without deleting')
    .action(async (path: string, opts: RmOptions) => setExit(await s3Rm(store(), path, opts, io())));

  s3.command('mb')
    .description('make a bucket')
    .argument('<path>', 's3://bucket')
    .action(async (path: string) => setExit(await s3Mb(store(), path, io())));

  s3.command('rb')
    .description('remove an empty bucket (--force: delete its objects first)')
    .argument('<path>', 's3://bucket')
    .option('--force', 'delete every object in the bucket first')
    .action(async (path: string, opts: { force?: boolean }) => setExit(await s3Rb(store(), path, opts, io())));

  return s3;
}
