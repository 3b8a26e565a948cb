/**
 * SageMaker's API errors. `code` is the error code on the wire (what boto3 shows and the Java SDK puts
 * in "Error Code: ..."); the two Java class names are what Step Functions reports as the error name:
 * the optimized integration uses the AWS SDK for Java v1 classes (unmodeled codes become
 * AmazonSageMakerException), the AWS SDK integration the v2 classes (unmodeled → SageMakerException).
 */
import { AwsError } from '../../../core/errors.js';
import type { SageMakerErrorCode, SageMakerJavaException } from '../../../core/error-catalogue.js';

export type { SageMakerErrorCode };

const MODELED: Partial<Record<SageMakerErrorCode, SageMakerJavaException>> = {
  ResourceInUse: 'ResourceInUseException',
  ResourceNotFound: 'ResourceNotFoundException',
  ResourceLimitExceeded: 'ResourceLimitExceededException',
  ConflictException: 'ConflictException',
};

export class SageMakerError extends AwsError {
  constructor(
    readonly code: SageMakerErrorCode,
    message: string,
  ) {
    super(code, message, 400);
  }

  /** The AWS SDK for Java v1 exception class (optimized `arn:aws:states:::sagemaker:*` integration). */
  get javaV1Exception(): SageMakerJavaException {
    return MODELED[this.code] ?? 'AmazonSageMakerException';
  }

  /** The AWS SDK for Java v2 exception class (`arn:aws:states:::aws-sdk:sagemaker:*`). */
  get javaV2Exception(): SageMakerJavaException {
    return MODELED[this.code] ?? 'SageMakerException';
  }
}

export function validationError(message: string): SageMakerError {
  return new SageMakerError('ValidationException', message);
}

export function isSageMakerError(e: unknown, code?: SageMakerErrorCode): e is SageMakerError {
  return e instanceof SageMakerError && (code === undefined || e.code === code);
}
