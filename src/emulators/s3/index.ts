export * from './errors.js';
export * from './types.js';
export { S3Store, s3StoreForHome, deadWritersTemps, DEFAULT_CONTENT_TYPE, type S3StoreOptions, type ByteRange } from './store.js';
export { bucketNameProblem, assertBucketName, MAX_KEY_BYTES, MAX_USER_METADATA_BYTES } from './names.js';
export { parseS3Uri, formatS3Uri, isS3Uri, parseCopySource, InvalidS3UriError, type S3Location } from './uri.js';
export {
  downloadPrefix,
  uploadDirectory,
  writeObjectToFile,
  listLocalFiles,
  relativeKeyPath,
  unsafeRelativePathReason,
  joinKey,
  UnsafeKeyError,
  type DownloadedFile,
  type DownloadPrefixOptions,
  type UploadedFile,
  type UploadDirectoryOptions,
} from './transfer.js';
export { guessContentType } from './content-type.js';
export { MAX_KEYS_PER_PAGE } from './list-objects.js';
export {
  CHECKSUM_ALGORITHMS,
  checksumHeader,
  isChecksumAlgorithm,
  newChecksum,
  compositeChecksum,
  type ChecksumAlgorithm,
  type RunningChecksum,
} from './checksums.js';
export {
  MultipartUploads,
  NoSuchUploadError,
  assertPartNumber,
  MIN_PART_BYTES,
  MAX_PART_NUMBER,
  type PartSummary,
  type UploadSummary,
} from './multipart.js';
