/**
 * Step Functions API errors with AWS's error names (the `__type` the JSON protocol sends, which the
 * AWS SDK turns into its exception classes) and AWS's message texts.
 */
import { AwsError } from '../../core/errors.js';
import type { StepFunctionsErrorName } from '../../core/error-catalogue.js';

export type { StepFunctionsErrorName };

/** Not a UserError: the API answers it as AWS does, and the CLI maps it to an exit status (run-main.ts). */
export class StepFunctionsError extends AwsError {
  constructor(
    readonly awsName: StepFunctionsErrorName,
    message: string,
  ) {
    super(awsName, message, 400);
  }
}

export const stateMachineDoesNotExist = (arn: string) => new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const executionDoesNotExist = (arn: string) => new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
export const executionAlreadyExists = (arn: string) => new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
export const stateMachineAlreadyExists = (arn: string) => new StepFunctionsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
export const resourceNotFound = (arn: string) => new StepFunctionsError('ResourceNotFound', `Resource not found: '${arn}'`);
export const activityDoesNotExist = (arn: string) => new StepFunctionsError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
export const conflict = (message: string) => new StepFunctionsError('ConflictException', message);
export const invalidName = (name: string) => new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
export const invalidArn = (why: string) => new StepFunctionsError('InvalidArn', `Invalid Arn: '${why}'`);
export const invalidToken = (why = 'Invalid token') => new StepFunctionsError('InvalidToken', why);
export const taskTimedOut = () => new StepFunctionsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
export const typeNotSupported = () => new StepFunctionsError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');

/**
 * AWS's request-validation message ("1 validation error detected: Value ... at 'member' failed to
 * satisfy constraint: ..."). Sensitive members (execution input and output, causes) are named
 * without their value, as AWS does.
 */
export function validationError(member: string, value: unknown, constraint: string, sensitive = false): StepFunctionsError {
  const shown = sensitive ? '' : value === undefined || value === null ? ' null' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return new StepFunctionsError('ValidationException', `1 validation error detected: Value${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

/** Why RedriveExecution refuses an execution: the reasons DescribeExecution's redriveStatusReason gives. */
export const executionNotRedrivable = (reason: string) => new StepFunctionsError('ExecutionNotRedrivable', reason);
