/**
 * DynamoDB's errors: the code the SDKs turn into their exception classes (ResourceNotFoundException,
 * ConditionalCheckFailedException, ValidationException, ...) and DynamoDB's own message texts.
 */
import { AwsError } from '../../core/errors.js';
import type { DynamoDbErrorCode } from '../../core/error-catalogue.js';
export class DynamoDbError extends AwsError {
  constructor(
    readonly code: DynamoDbErrorCode,
    message: string,
    statusCode = 400,
  ) {
    super(code, message, statusCode);
  }
}

export function validation(message: string): DynamoDbError {
  return new DynamoDbError('ValidationException', message);
}

/** What the data-plane actions (GetItem, PutItem, ...) answer for a table that does not exist. */
export function resourceNotFound(): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', 'Requested resource not found');
}

export function conditionalCheckFailed(): DynamoDbError {
  return new DynamoDbError('ConditionalCheckFailedException', 'The conditional request failed');
}

export function isDynamoDbError(e: unknown): e is DynamoDbError {
  return e instanceof DynamoDbError;
}
