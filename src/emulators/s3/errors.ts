/**
 * Errors of the local S3 store, carrying the code, message and HTTP status real S3 answers with,
 * so the aws-sdk:s3 integration and the local HTTP API can pass them on unchanged.
 */
import { AwsError } from '../../core/errors.js';
import type { S3ErrorCode } from '../../core/error-catalogue.js';

export class S3Error extends AwsError {
  constructor(
    /** S3's error code, e.g. "NoSuchKey". */
    readonly code: S3ErrorCode,
    /** S3's message text for that code, byte-identical where S3's wording is known. */
    message: string,
    /** The HTTP status S3 answers this error with. */
    statusCode: number,
    /** Extra elements S3 puts in the error body (BucketName, Key, ArgumentName, ...). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, statusCode);
  }
}

export class NoSuchBucketError extends S3Error {
  constructor(readonly bucket: string) {
    super('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
  }
}

export class NoSuchKeyError extends S3Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  }
}

export class BucketAlreadyOwnedByYouError extends S3Error {
  constructor(readonly bucket: string) {
    super(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: bucket },
    );
  }
}

export class BucketNotEmptyError extends S3Error {
  constructor(readonly bucket: string) {
    super('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
  }
}

export class InvalidBucketNameError extends S3Error {
  constructor(
    readonly bucket: string,
    /** Which naming rule the name breaks; S3 itself does not say, but a local user wants to know. */
    readonly reason: string,
  ) {
    super('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
  }
}

export class KeyTooLongError extends S3Error {
  constructor(readonly byteLength: number) {
    super('KeyTooLongError', 'Your key is too long', 400, {
      Size: String(byteLength),
      MaxSizeAllowed: '1024',
    });
  }
}

export class MetadataTooLargeError extends S3Error {
  constructor(readonly byteLength: number) {
    super('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, {
      Size: String(byteLength),
      MaxSizeAllowed: '2048',
    });
  }
}

/** S3's catch-all for a malformed parameter; the message names the parameter. */
export class InvalidArgumentError extends S3Error {
  constructor(message: string, argumentName: string, argumentValue = '') {
    super('InvalidArgument', message, 400, { ArgumentName: argumentName, ArgumentValue: argumentValue });
  }
}

/** S3's error for a request that is well-formed but not allowed, e.g. copying an object onto itself unchanged. */
export class InvalidRequestError extends S3Error {
  constructor(message: string) {
    super('InvalidRequest', message, 400);
  }
}

/** A file in the store that is not a valid object (only possible if something outside the store touched it). */
export class InternalError extends S3Error {
  constructor(readonly detail: string) {
    super('InternalError', 'We encountered an internal error. Please try again.', 500, { Detail: detail });
  }
}

export function isS3Error(err: unknown, code?: string): err is S3Error {
  return err instanceof S3Error && (code === undefined || err.code === code);
}
