/**
 * Step Functions API errors with AWS's error names (the `__type` the JSON protocol sends, which the
 * AWS SDK turns into its exception classes) and AWS's message texts.
 */
import { UserError } from '../../core/errors.js';

export type StepFunctionsErrorName =
  | 'ActivityAlreadyExists'
  | 'ActivityDoesNotExist'
  | 'ActivityWorkerLimitExceeded'
  | 'ConflictException'
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidLoggingConfiguration'
  | 'InvalidTracingConfiguration'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'MissingRequiredParameter'
  | 'ResourceNotFound'
  | 'StateMachineDeleting'
  | 'TooManyTags'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException';

/** A UserError too: CLI commands built on the service print it as one line (exit 2). */
export class StepFunctionsError extends UserError {
  constructor(
    readonly awsName: StepFunctionsErrorName,
    message: string,
  ) {
    super(message, awsName);
    this.name = awsName;
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
