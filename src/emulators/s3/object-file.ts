/**
 * The on-disk form of one object: its bytes, then its metadata as JSON, then a 12-byte footer
 * (JSON length as uint32 big-endian, then the magic "MLS3OBJ1").
 *
 * Why one file: the object becomes visible, or is replaced, by a single rename of a fully written
 * temp file, so data and metadata can never disagree (a data file plus a sidecar would need two
 * renames, with a window where a reader sees new metadata next to old bytes, and a crash between
 * them leaves them mismatched for good). A reader that opened the file keeps reading that version
 * even if it is replaced meanwhile.
 *
 * Why a footer, not a header: a streamed upload's size and MD5 are known only after its last
 * byte; writing them after the data means one sequential pass, with no second copy of the object.
 * Reading the metadata is one small read at the end of the file, so listings never read data.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { InternalError } from './errors.js';

const MAGIC = Buffer.from('MLS3OBJ1', 'latin1');
export const FOOTER_BYTES = 4 + MAGIC.length;
/** Enough for the metadata of nearly every object in one read. */
const FIRST_READ = 4096;
/** 1,024-byte key and 2 KB of metadata, JSON-escaped at worst 6 bytes per byte, plus the rest. */
const MAX_META_JSON = 64 * 1024;

export interface StoredMeta {
  readonly key: string;
  readonly size: number;
  /** Quoted lowercase hex MD5, as S3 returns it. */
  readonly etag: string;
  /** ISO 8601, whole seconds (S3 keeps no finer precision). */
  readonly lastModified: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

export function encodeTrailer(meta: StoredMeta): Buffer {
  const json = Buffer.from(
    JSON.stringify({
      v: 1,
      key: meta.key,
      size: meta.size,
      etag: meta.etag,
      lastModified: meta.lastModified,
      contentType: meta.contentType,
      metadata: meta.metadata,
    }),
    'utf8',
  );
  const out = Buffer.allocUnsafe(json.length + FOOTER_BYTES);
  json.copy(out, 0);
  out.writeUInt32BE(json.length, json.length);
  MAGIC.copy(out, json.length + 4);
  return out;
}

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k of Object.keys(v)) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

function parseMeta(json: Buffer, where: string): StoredMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw new InternalError(`object file ${where} has unreadable metadata`);
  }
  const m = raw as Record<string, unknown>;
  if (
    typeof m !== 'object' ||
    m === null ||
    m.v !== 1 ||
    typeof m.key !== 'string' ||
    typeof m.size !== 'number' ||
    typeof m.etag !== 'string' ||
    typeof m.lastModified !== 'string' ||
    typeof m.contentType !== 'string' ||
    !isStringMap(m.metadata)
  ) {
    throw new InternalError(`object file ${where} has malformed metadata`);
  }
  return {
    key: m.key,
    size: m.size,
    etag: m.etag,
    lastModified: m.lastModified,
    contentType: m.contentType,
    // JSON.parse made "__proto__" an own data property; copying with fromEntries keeps it one.
    metadata: Object.fromEntries(Object.entries(m.metadata)),
  };
}

/**
 * Reads the metadata of an open object file. `expectedKey` guards against a file that was moved
 * or copied by hand to another key's name.
 */
export async function readMeta(fh: FileHandle, expectedKey: string, where: string): Promise<StoredMeta> {
  const { size } = await fh.stat();
  if (size < FOOTER_BYTES) throw new InternalError(`object file ${where} is truncated`);
  const firstLen = Math.min(size, FIRST_READ);
  let tail = Buffer.allocUnsafe(firstLen);
  await readFully(fh, tail, size - firstLen);
  if (!tail.subarray(firstLen - MAGIC.length).equals(MAGIC)) {
    throw new InternalError(`object file ${where} has no object footer`);
  }
  const jsonLen = tail.readUInt32BE(firstLen - FOOTER_BYTES);
  if (jsonLen > MAX_META_JSON || jsonLen + FOOTER_BYTES > size) {
    throw new InternalError(`object file ${where} has a corrupt footer`);
  }
  let json: Buffer;
  if (jsonLen + FOOTER_BYTES <= firstLen) {
    json = tail.subarray(firstLen - FOOTER_BYTES - jsonLen, firstLen - FOOTER_BYTES);
  } else {
    tail = Buffer.allocUnsafe(jsonLen);
    await readFully(fh, tail, size - FOOTER_BYTES - jsonLen);
    json = tail;
  }
  const meta = parseMeta(json, where);
  if (meta.key !== expectedKey || meta.size !== size - FOOTER_BYTES - jsonLen) {
    throw new InternalError(`object file ${where} does not hold the object its name says`);
  }
  return meta;
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) throw new InternalError('object file ended early');
    off += bytesRead;
  }
}

/** Bodies up to this size go out with their footer in one write. */
const ONE_WRITE_BYTES = 1 << 20;

async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/**
 * Writes an object file through `fh` (a new temp file): the bytes of `source`, then the footer
 * `describe` makes once the size and MD5 (hex) are known; flushes it when `fsync`; closes `fh`
 * in every case. The caller renames the file into place, or removes it if this throws.
 */
export async function writeObjectFile(
  fh: FileHandle,
  source: Uint8Array | AsyncIterable<Uint8Array | string>,
  fsync: boolean,
  describe: (size: number, md5Hex: string) => StoredMeta,
): Promise<StoredMeta> {
  try {
    const md5 = createHash('md5');
    let size = 0;
    if (source instanceof Uint8Array) {
      md5.update(source);
      size = source.length;
      if (size > ONE_WRITE_BYTES) await writeAll(fh, source);
    } else {
      for await (const chunk of source) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        md5.update(buf);
        size += buf.length;
        await writeAll(fh, buf);
      }
    }
    const meta = describe(size, md5.digest('hex'));
    const trailer = encodeTrailer(meta);
    const small = source instanceof Uint8Array && size <= ONE_WRITE_BYTES;
    await writeAll(fh, small ? Buffer.concat([source, trailer]) : trailer);
    if (fsync) await fh.sync();
    return meta;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
