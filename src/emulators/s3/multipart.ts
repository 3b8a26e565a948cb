/**
 * Multipart uploads of the local S3, with S3's rules: parts numbered 1 to 10,000, each but the last
 * at least 5 MiB, a part number uploaded again replaces the earlier part, Complete names the parts
 * in ascending order with their ETags, and the object's ETag is the MD5 of the parts' binary MD5s
 * followed by "-" and the number of parts.
 *
 * Layout: `buckets/<bucket>/uploads/<UploadId>/upload.json` (key, attributes, initiation time) and
 * one file per part, `<n>.part`, in the object file format (object-file.ts) so a part is written
 * and replaced as atomically as an object. Complete claims the upload by renaming its folder, so
 * two Completes of one upload cannot both assemble it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { compositeChecksum, type ChecksumAlgorithm } from './checksums.js';
import { InvalidArgumentError, NoSuchBucketError, S3Error } from './errors.js';
import { keyBytes, normaliseMetadata } from './names.js';
import { readMeta, writeObjectFile } from './object-file.js';
import type { S3Store } from './store.js';
import type { ObjectAttributes, ObjectInput, PutObjectOutput } from './types.js';

export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,128}$/;
const CHECKSUM_META = 'checksum-';

export class NoSuchUploadError extends S3Error {
  constructor(uploadId: string) {
    super(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    );
  }
}

function invalidPart(uploadId: string, partNumber: number, etag: string): S3Error {
  return new S3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
  );
}

export interface CreateMultipartUploadInput extends ObjectInput, ObjectAttributes {
  ChecksumAlgorithm?: ChecksumAlgorithm;
}

export interface UploadRef extends ObjectInput {
  UploadId: string;
}

export interface UploadPartInput extends UploadRef {
  PartNumber: number;
  Body: AsyncIterable<Uint8Array>;
  /**
   * Checksums of the part's bytes, verified by the caller (base64), by algorithm: asked for once
   * `Body` has been read to its end, since a streamed upload's checksum is known only then.
   */
  Checksums?: () => Partial<Record<ChecksumAlgorithm, string>>;
}

export interface PartSummary {
  PartNumber: number;
  ETag: string;
  Size: number;
  LastModified: Date;
  Checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface UploadSummary {
  UploadId: string;
  Key: string;
  Initiated: Date;
  ChecksumAlgorithm?: ChecksumAlgorithm;
}

export interface CompleteMultipartUploadOutput extends PutObjectOutput {
  /** The composite checksum, when the upload was created with an algorithm and every part has it. */
  Checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

interface UploadRecord {
  key: string;
  initiated: string;
  contentType?: string;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
}

function partName(n: number): string {
  return `${n}.part`;
}

export function assertPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw new InvalidArgumentError('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
  }
}

export class MultipartUploads {
  constructor(
    private readonly store: S3Store,
    private readonly fsync = true,
    private readonly now: () => number = Date.now,
  ) {}

  private uploadDir(bucket: string, uploadId: string): string {
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) throw new NoSuchUploadError(String(uploadId));
    return join(this.store.uploadsDir(bucket), uploadId);
  }

  private async record(ref: UploadRef): Promise<UploadRecord> {
    let raw: string;
    try {
      raw = await readFile(join(this.uploadDir(ref.Bucket, ref.UploadId), 'upload.json'), 'utf8');
    } catch {
      await this.store.headBucket({ Bucket: ref.Bucket });
      throw new NoSuchUploadError(ref.UploadId);
    }
    const rec = JSON.parse(raw) as UploadRecord;
    if (rec.key !== ref.Key) throw new NoSuchUploadError(ref.UploadId);
    return rec;
  }

  async create(input: CreateMultipartUploadInput): Promise<{ UploadId: string }> {
    keyBytes(input.Key);
    if (!(await this.store.bucketExists(input.Bucket))) throw new NoSuchBucketError(input.Bucket);
    const uploadId = randomBytes(36).toString('base64url');
    const dir = this.uploadDir(input.Bucket, uploadId);
    await mkdir(dir, { recursive: true });
    const rec: UploadRecord = {
      key: input.Key,
      initiated: new Date(this.now()).toISOString(),
      contentType: input.ContentType,
      metadata: normaliseMetadata(input.Metadata),
      checksumAlgorithm: input.ChecksumAlgorithm,
    };
    await writeFile(join(dir, 'upload.json'), JSON.stringify(rec));
    return { UploadId: uploadId };
  }

  async uploadPart(input: UploadPartInput): Promise<PartSummary> {
    assertPartNumber(input.PartNumber);
    await this.record(input);
    const dir = this.uploadDir(input.Bucket, input.UploadId);
    const tmp = join(dir, `${randomBytes(12).toString('hex')}.tmp`);
    let fh: FileHandle;
    try {
      fh = await open(tmp, 'wx', 0o644);
    } catch {
      throw new NoSuchUploadError(input.UploadId);
    }
    let checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    try {
      const meta = await writeObjectFile(fh, input.Body, this.fsync, (size, md5) => {
        checksums = input.Checksums?.() ?? {};
        const metadata: Record<string, string> = {};
        for (const [alg, value] of Object.entries(checksums)) metadata[CHECKSUM_META + alg] = value;
        return {
          key: `part-${input.PartNumber}`,
          size,
          etag: `"${md5}"`,
          lastModified: new Date(Math.floor(this.now() / 1000) * 1000).toISOString(),
          contentType: 'binary/octet-stream',
          metadata,
        };
      });
      await rename(tmp, join(dir, partName(input.PartNumber)));
      return { PartNumber: input.PartNumber, ETag: meta.etag, Size: meta.size, LastModified: new Date(meta.lastModified), Checksums: checksums };
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /** The parts uploaded so far, in part-number order. */
  async listParts(ref: UploadRef): Promise<{ parts: PartSummary[]; checksumAlgorithm?: ChecksumAlgorithm; initiated: Date }> {
    const rec = await this.record(ref);
    const dir = this.uploadDir(ref.Bucket, ref.UploadId);
    const parts: PartSummary[] = [];
    for (const name of await readdir(dir)) {
      const m = /^(\d+)\.part$/.exec(name);
      if (!m) continue;
      const n = Number(m[1]);
      const fh = await open(join(dir, name), 'r');
      try {
        const meta = await readMeta(fh, `part-${n}`, join(dir, name));
        const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
        for (const [k, v] of Object.entries(meta.metadata)) {
          if (k.startsWith(CHECKSUM_META)) checksums[k.slice(CHECKSUM_META.length) as ChecksumAlgorithm] = v;
        }
        parts.push({ PartNumber: n, ETag: meta.etag, Size: meta.size, LastModified: new Date(meta.lastModified), Checksums: checksums });
      } finally {
        await fh.close();
      }
    }
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    return { parts, checksumAlgorithm: rec.checksumAlgorithm, initiated: new Date(rec.initiated) };
  }

  async complete(ref: UploadRef & { Parts: { PartNumber: number; ETag: string }[] }): Promise<CompleteMultipartUploadOutput> {
    const rec = await this.record(ref);
    const wanted = ref.Parts;
    if (wanted.length === 0) {
      throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    }
    for (let i = 1; i < wanted.length; i++) {
      if (wanted[i].PartNumber <= wanted[i - 1].PartNumber) {
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, {
          UploadId: ref.UploadId,
        });
      }
    }
    const { parts } = await this.listParts(ref);
    const byNumber = new Map(parts.map((p) => [p.PartNumber, p]));
    const chosen = wanted.map((w, i) => {
      const p = byNumber.get(w.PartNumber);
      const etag = String(w.ETag ?? '');
      const unquoted = (s: string) => s.replace(/^"|"$/g, '');
      if (!p || unquoted(p.ETag) !== unquoted(etag)) throw invalidPart(ref.UploadId, w.PartNumber, etag);
      if (i < wanted.length - 1 && p.Size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
          ProposedSize: String(p.Size),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(p.PartNumber),
          ETag: p.ETag,
        });
      }
      return p;
    });

    // Claim the upload: a concurrent Complete or Abort now finds no such upload.
    const dir = this.uploadDir(ref.Bucket, ref.UploadId);
    const claimed = `${dir}.completing-${randomBytes(6).toString('hex')}`;
    try {
      await rename(dir, claimed);
    } catch {
      throw new NoSuchUploadError(ref.UploadId);
    }
    const md5s = createHash('md5');
    for (const p of chosen) md5s.update(Buffer.from(p.ETag.replace(/"/g, ''), 'hex'));
    const etag = `"${md5s.digest('hex')}-${chosen.length}"`;
    async function* bytes(): AsyncGenerator<Uint8Array> {
      for (const p of chosen) {
        const fh = await open(join(claimed, partName(p.PartNumber)), 'r');
        try {
          if (p.Size > 0) yield* fh.createReadStream({ start: 0, end: p.Size - 1, autoClose: false, highWaterMark: 1 << 20 });
        } finally {
          await fh.close();
        }
      }
    }
    let written: PutObjectOutput;
    try {
      written = await this.store.putAssembledObject(
        { Bucket: ref.Bucket, Key: ref.Key, ContentType: rec.contentType, Metadata: rec.metadata },
        bytes(),
        etag,
      );
    } catch (err) {
      await rename(claimed, dir).catch(() => undefined);
      throw err;
    }
    await rm(claimed, { recursive: true, force: true });
    const alg = rec.checksumAlgorithm;
    const partSums = alg ? chosen.map((p) => p.Checksums[alg]) : [];
    const checksum =
      alg && partSums.every((s): s is string => typeof s === 'string') ? { algorithm: alg, value: await compositeChecksum(alg, partSums) } : undefined;
    return { ...written, Checksum: checksum };
  }

  async abort(ref: UploadRef): Promise<void> {
    await this.record(ref);
    const dir = this.uploadDir(ref.Bucket, ref.UploadId);
    const gone = `${dir}.aborting-${randomBytes(6).toString('hex')}`;
    try {
      await rename(dir, gone);
    } catch {
      throw new NoSuchUploadError(ref.UploadId);
    }
    await rm(gone, { recursive: true, force: true });
  }

  /** The bucket's uploads in progress, by key then initiation time, optionally under a prefix. */
  async list(bucket: string, prefix = ''): Promise<UploadSummary[]> {
    await this.store.headBucket({ Bucket: bucket });
    let names: string[];
    try {
      names = await readdir(this.store.uploadsDir(bucket));
    } catch {
      return [];
    }
    const out: UploadSummary[] = [];
    for (const id of names) {
      if (!UPLOAD_ID.test(id)) continue;
      try {
        const rec = JSON.parse(await readFile(join(this.store.uploadsDir(bucket), id, 'upload.json'), 'utf8')) as UploadRecord;
        if (rec.key.startsWith(prefix)) out.push({ UploadId: id, Key: rec.key, Initiated: new Date(rec.initiated), ChecksumAlgorithm: rec.checksumAlgorithm });
      } catch {
        // being completed or aborted right now
      }
    }
    return out.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.Initiated.getTime() - b.Initiated.getTime()));
  }
}
