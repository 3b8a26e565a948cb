/**
 * The additional checksums S3 computes and checks (x-amz-checksum-*): CRC32, CRC32C, CRC64NVME,
 * SHA1 and SHA256, each sent and returned as the base64 of its big-endian bytes. Current AWS SDKs
 * and the AWS CLI send one (CRC32 by default) with every upload, so the local S3 must check it
 * and answer it as S3 does.
 */
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface RunningChecksum {
  update(chunk: Uint8Array): void;
  /** base64 of the digest, as the x-amz-checksum-* headers carry it. */
  digest(): Promise<string>;
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** The header (and XML element, as `Checksum<ALG>`) that carries an algorithm's value. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

function uint32(value: number): string {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString('base64');
}

export function newChecksum(algorithm: ChecksumAlgorithm): RunningChecksum {
  switch (algorithm) {
    case 'CRC32': {
      let value = 0;
      return { update: (c) => void (value = crc32(c, value)), digest: async () => uint32(value) };
    }
    case 'CRC32C': {
      const c32c = new Crc32c();
      return { update: (c) => void c32c.update(c), digest: async () => uint32(c32c.digest()) };
    }
    case 'CRC64NVME': {
      const c64 = new Crc64Nvme();
      return { update: (c) => c64.update(c), digest: async () => Buffer.from(await c64.digest()).toString('base64') };
    }
    case 'SHA1':
    case 'SHA256': {
      const h = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (c) => void h.update(c), digest: async () => h.digest('base64') };
    }
  }
}

/**
 * The checksum S3 gives a multipart object for a COMPOSITE checksum: the algorithm over the
 * concatenated decoded checksums of its parts, then "-" and the number of parts.
 */
export async function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): Promise<string> {
  const c = newChecksum(algorithm);
  for (const p of partChecksums) c.update(Buffer.from(p, 'base64'));
  return `${await c.digest()}-${partChecksums.length}`;
}
