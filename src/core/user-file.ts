/**
 * The one way the CLI reads a file the user named (a pipeline, a definition, an input, a request
 * body, a Lambda module): only a regular file, or standard input for "-", and never more than a
 * limit counted in bytes actually read.
 *
 * Why not readFile: `/dev/zero` never ends and `stat` says its size is 0; a FIFO blocks `open`
 * itself until a writer comes (a libuv thread stuck for good); a folder fails late with EISDIR;
 * `/proc` files report size 0 whatever they hold. So the file is opened non-blocking, checked with
 * `fstat` on that very descriptor (no race with a rename), and read in chunks up to the limit.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { UserError } from './errors.js';

export interface UserFileOptions {
  /** What the file is, for messages: "execution input", "pipeline file". */
  what: string;
  /** The most bytes accepted. */
  maxBytes: number;
  /** The error for a file past maxBytes (default: a sentence naming the limit). */
  tooLarge?: (path: string, maxBytes: number) => Error;
  /** Where "-" reads from (default: no standard input, "-" is an ordinary name). */
  stdin?: Readable;
}

const CHUNK = 64 * 1024;

function kindOf(st: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function cannotRead(path: string, what: string, why: string): UserError {
  return new UserError(`${path}: cannot read the ${what}: ${why}`, 'UNREADABLE_FILE', 2);
}

function defaultTooLarge(what: string): (path: string, maxBytes: number) => Error {
  return (path, maxBytes) => new UserError(`${path}: the ${what} is larger than ${maxBytes.toLocaleString('en-US')} bytes; check that this is the right file`, 'FILE_TOO_LARGE', 2);
}

/** Opens `path` for reading if, and only if, it is a regular file (following links). */
export async function openRegularFile(path: string, what: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer. Regular files ignore it.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENXIO' ? 'not a regular file' : (e as Error).message;
    throw cannotRead(path, what, why);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    const kind = kindOf(st);
    throw cannotRead(path, what, kind === 'not a regular file' ? 'it is not a regular file' : `it is ${kind}, not a regular file`);
  }
  return fh;
}

async function readAtMost(fh: FileHandle, path: string, opts: UserFileOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, opts.maxBytes + 1 - total));
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > opts.maxBytes) throw (opts.tooLarge ?? defaultTooLarge(opts.what))(path, opts.maxBytes);
  }
  return Buffer.concat(chunks, total);
}

async function readStdin(stdin: Readable, opts: UserFileOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stdin) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    chunks.push(b);
    total += b.length;
    if (total > opts.maxBytes) {
      stdin.destroy();
      throw (opts.tooLarge ?? defaultTooLarge(opts.what))('<stdin>', opts.maxBytes);
    }
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of a user's file (or of standard input for "-" when `stdin` is given). */
export async function readUserFile(path: string, opts: UserFileOptions): Promise<Buffer> {
  if (path === '-' && opts.stdin !== undefined) return readStdin(opts.stdin, opts);
  const fh = await openRegularFile(path, opts.what);
  try {
    return await readAtMost(fh, path, opts);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw cannotRead(path, opts.what, (e as Error).message);
  } finally {
    await fh.close();
  }
}

/** Throws the reader's one-line error unless `path` is a regular file (for files read by others, e.g. import()). */
export async function checkRegularFile(path: string, what: string): Promise<void> {
  await (await openRegularFile(path, what)).close();
}
