/**
 * Every error name the tool emits, in one place: the names a state machine sees (an execution's
 * or a task's error, what Retry and Catch match), the names our local APIs answer with (a JSON
 * protocol's `__type`, S3's `<Code>`, SageMaker runtime's `x-amzn-errortype`), and the names of the
 * trigger Lambda's errors. AWS's names are AWS's, spelled as AWS spells them; names AWS has no
 * counterpart for are ours, under `Local.` (the local engine's own) and `Pipeline.` (the generated
 * pipeline's and its Lambdas', in AWS as locally).
 *
 * Code refers to these entries, never to a string literal: the error classes take the unions below
 * (a name missing here does not compile), and tests/src/core/error-catalogue.test.ts checks that no
 * dotted error name is spelled anywhere else in src. JavaScript classes that never leave the process
 * under their own name (a parser's syntax error turned into a message, say) are not listed.
 */

/** Step Functions' predefined error names (the Amazon States Language's "Error names"). */
export const STATES_ERRORS = {
  ALL: 'States.ALL',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  /** What AWS reports when ResultPath cannot be applied to the state input. */
  ReferencePathConflict: 'States.ReferencePathConflict',
  ParameterPathFailure: 'States.ParameterPathFailure',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  QueryEvaluationError: 'States.QueryEvaluationError',
  /** Never retried or caught: a runtime error, and (locally) an integration's own bug. */
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** The local engine's own error names: outcomes AWS has no name for. */
export const LOCAL_ERRORS = {
  /** An execution whose owning process ended before it did (closed as ABORTED, resumable). */
  ProcessEnded: 'Local.ProcessEnded',
  /** A string that is not an `s3://bucket/key` URI where one is needed. */
  InvalidS3Uri: 'Local.InvalidS3Uri',
  /** An S3 key or local path that would lead outside the folder it is copied to or from. */
  UnsafePath: 'Local.UnsafePath',
  /** A local folder to upload that is not there, is not a folder, or is nested too deep. */
  InvalidFolder: 'Local.InvalidFolder',
  /** A decision on an approval that is not waiting (decided already, timed out, or never requested). */
  ApprovalNotPending: 'Local.ApprovalNotPending',
} as const;

/** The generated pipeline's own errors (its Fail states) and the trigger Lambda's, in AWS as locally. */
export const PIPELINE_ERRORS = {
  ModelRejected: 'Pipeline.ModelRejected',
  EndpointFailed: 'Pipeline.EndpointFailed',
  EndpointTimedOut: 'Pipeline.EndpointTimedOut',
  /** The trigger's event is not `{"config": {"bucket", "prefix"}}`. */
  InvalidTriggerEvent: 'Pipeline.InvalidTriggerEvent',
  /** The pipeline YAML the event names cannot be read (no such bucket or key, too large, empty). */
  ConfigurationNotFound: 'Pipeline.ConfigurationNotFound',
  /** A run was started within the same second: the execution name is taken. */
  ExecutionNameTaken: 'Pipeline.ExecutionNameTaken',
  /** The approval Lambda's event lacks the task token or the execution. */
  InvalidApprovalRequest: 'Pipeline.InvalidApprovalRequest',
  /** The cache Lambda's event is not a check or record request the definition sends. */
  InvalidCacheEvent: 'Pipeline.InvalidCacheEvent',
  /** The stage-failure Lambda's event is not the `{error, cause, raise}` the definition sends. */
  InvalidStageFailureEvent: 'Pipeline.InvalidStageFailureEvent',
} as const;

/** Step Functions API errors (the JSON protocol's `__type`). */
export const STEP_FUNCTIONS_API_ERRORS = [
  'ActivityAlreadyExists',
  'ActivityDoesNotExist',
  'ActivityWorkerLimitExceeded',
  'ConflictException',
  'ExecutionAlreadyExists',
  'ExecutionDoesNotExist',
  'ExecutionNotRedrivable',
  'InvalidArn',
  'InvalidDefinition',
  'InvalidExecutionInput',
  'InvalidLoggingConfiguration',
  'InvalidName',
  'InvalidOutput',
  'InvalidToken',
  'InvalidTracingConfiguration',
  'MissingRequiredParameter',
  'ResourceNotFound',
  'StateMachineAlreadyExists',
  'StateMachineDeleting',
  'StateMachineDoesNotExist',
  'StateMachineTypeNotSupported',
  'TaskDoesNotExist',
  'TaskTimedOut',
  'TooManyTags',
  'ValidationException',
] as const;

/** SageMaker API error codes (the wire code; Step Functions names them by Java SDK class, below). */
export const SAGEMAKER_API_ERRORS = ['ValidationException', 'ResourceInUse', 'ResourceNotFound', 'ResourceLimitExceeded', 'ConflictException'] as const;

/** The AWS SDK for Java exception classes Step Functions names SageMaker's errors by (v1: optimized integration, v2: AWS SDK integration). */
export const SAGEMAKER_JAVA_EXCEPTIONS = [
  'ResourceInUseException',
  'ResourceNotFoundException',
  'ResourceLimitExceededException',
  'ConflictException',
  'AmazonSageMakerException',
  'SageMakerException',
  'ThrottlingException',
] as const;

/** SageMaker runtime's InvokeEndpoint errors. */
export const SAGEMAKER_RUNTIME_ERRORS = ['ValidationError', 'ModelError', 'ModelNotReadyException', 'InternalFailure', 'ServiceUnavailable', 'InternalDependencyException'] as const;

/** S3's error codes the local S3 answers with. */
export const S3_ERRORS = [
  'AccessDenied',
  'BadDigest',
  'BucketAlreadyExists',
  'BucketAlreadyOwnedByYou',
  'BucketNotEmpty',
  'EntityTooLarge',
  'EntityTooSmall',
  'IllegalLocationConstraintException',
  'IncompleteBody',
  'InternalError',
  'InvalidAccessKeyId',
  'InvalidArgument',
  'InvalidBucketName',
  'InvalidDigest',
  'InvalidObjectState',
  'InvalidPart',
  'InvalidPartOrder',
  'InvalidRange',
  'InvalidRequest',
  'InvalidURI',
  'KeyTooLongError',
  'MalformedXML',
  'MaxMessageLengthExceeded',
  'MetadataTooLarge',
  'MethodNotAllowed',
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchUpload',
  'NotImplemented',
  'ObjectNotInActiveTierError',
  'PreconditionFailed',
  'SignatureDoesNotMatch',
  'XAmzContentSHA256Mismatch',
] as const;

/** S3 codes the AWS SDK for Java v2 models as their own exception classes (Step Functions reports `S3.<Code>Exception`); the rest are `S3.S3Exception`. */
export const S3_MODELED_ERRORS = ['NoSuchKey', 'NoSuchBucket', 'NoSuchUpload', 'BucketAlreadyExists', 'BucketAlreadyOwnedByYou', 'InvalidObjectState', 'ObjectNotInActiveTierError', 'InvalidRequest'] as const;

/** What Step Functions reports for an S3 error the Java SDK has no class for. */
export const S3_UNMODELED_TASK_ERROR = 'S3.S3Exception';

/** Lambda API errors (Invoke), and the names Step Functions reports Lambda's service errors by. */
export const LAMBDA_API_ERRORS = [
  'ResourceNotFoundException',
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'RequestTooLargeException',
  'ServiceException',
  'TooManyRequestsException',
] as const;
export const LAMBDA_TASK_ERRORS = {
  ResourceNotFound: 'Lambda.ResourceNotFoundException',
  Service: 'Lambda.ServiceException',
  AWSLambda: 'Lambda.AWSLambdaException',
  SdkClient: 'Lambda.SdkClientException',
  TooManyRequests: 'Lambda.TooManyRequestsException',
} as const;

/** DynamoDB's error codes (the SDKs' exception classes have the same names). */
export const DYNAMODB_ERRORS = ['ConditionalCheckFailedException', 'ResourceInUseException', 'ResourceNotFoundException', 'SerializationException', 'ValidationException'] as const;

/** SNS's error codes (the SDKs' exception is `<code>Exception`). */
export const SNS_ERRORS = ['InvalidAction', 'InvalidParameter', 'NotFound'] as const;

/** Errors every AWS JSON protocol answers with before an action runs (unknown action, unreadable body). */
export const PROTOCOL_ERRORS = ['UnknownOperationException', 'SerializationException', 'ValidationException', 'ConflictException', 'InternalFailure', 'ThrottlingException'] as const;

type Values<T> = T[keyof T];
export type StatesErrorName = Values<typeof STATES_ERRORS>;
export type LocalErrorName = Values<typeof LOCAL_ERRORS>;
export type PipelineErrorName = Values<typeof PIPELINE_ERRORS>;
export type StepFunctionsErrorName = (typeof STEP_FUNCTIONS_API_ERRORS)[number];
export type SageMakerErrorCode = (typeof SAGEMAKER_API_ERRORS)[number];
export type SageMakerJavaException = (typeof SAGEMAKER_JAVA_EXCEPTIONS)[number];
export type SageMakerRuntimeErrorCode = (typeof SAGEMAKER_RUNTIME_ERRORS)[number];
export type S3ErrorCode = (typeof S3_ERRORS)[number];
export type S3ModeledErrorCode = (typeof S3_MODELED_ERRORS)[number];
export type LambdaApiErrorName = (typeof LAMBDA_API_ERRORS)[number];
export type ProtocolErrorName = (typeof PROTOCOL_ERRORS)[number];
export type DynamoDbErrorCode = (typeof DYNAMODB_ERRORS)[number];
export type SnsErrorCode = (typeof SNS_ERRORS)[number];

/** How Step Functions names a task's SageMaker, S3 and Lambda errors. */
export type SageMakerTaskErrorName = `SageMaker.${SageMakerJavaException}`;
export type S3TaskErrorName = `S3.${S3ModeledErrorCode}Exception` | typeof S3_UNMODELED_TASK_ERROR;
export type LambdaTaskErrorName = Values<typeof LAMBDA_TASK_ERRORS>;
/** The optimized integrations name the service by the Java SDK v1 client (DynamoDB., SNS.), the AWS SDK integrations by the v2 one (DynamoDb., Sns.). */
export type DynamoDbTaskErrorName = `DynamoDB.${DynamoDbErrorCode}` | `DynamoDb.${DynamoDbErrorCode}`;
export type SnsTaskErrorName = `SNS.${SnsErrorCode}Exception` | `Sns.${SnsErrorCode}Exception`;

/** A DynamoDB error as a task error of the optimized (`DynamoDB.`) or AWS SDK (`DynamoDb.`) integration. */
export function dynamoDbTaskError(code: DynamoDbErrorCode, optimized: boolean): DynamoDbTaskErrorName {
  return optimized ? `DynamoDB.${code}` : `DynamoDb.${code}`;
}

/** An SNS error as a task error of the optimized (`SNS.`) or AWS SDK (`Sns.`) integration. */
export function snsTaskError(code: SnsErrorCode, optimized: boolean): SnsTaskErrorName {
  return optimized ? `SNS.${code}Exception` : `Sns.${code}Exception`;
}

/** A SageMaker error as a task error (`SageMaker.ResourceInUseException`, ...). */
export function sageMakerTaskError(exception: SageMakerJavaException): SageMakerTaskErrorName {
  return `SageMaker.${exception}`;
}

/** An S3 error as a task error of the AWS SDK integration (`S3.NoSuchKeyException`, or `S3.S3Exception`). */
export function s3TaskError(code: S3ErrorCode): S3TaskErrorName {
  return (S3_MODELED_ERRORS as readonly string[]).includes(code) ? `S3.${code as S3ModeledErrorCode}Exception` : S3_UNMODELED_TASK_ERROR;
}

/** Every name in the catalogue. */
export type ErrorName =
  | StatesErrorName
  | LocalErrorName
  | PipelineErrorName
  | StepFunctionsErrorName
  | SageMakerErrorCode
  | SageMakerTaskErrorName
  | SageMakerRuntimeErrorCode
  | S3ErrorCode
  | S3TaskErrorName
  | LambdaApiErrorName
  | LambdaTaskErrorName
  | DynamoDbErrorCode
  | DynamoDbTaskErrorName
  | SnsErrorCode
  | SnsTaskErrorName
  | ProtocolErrorName;

/** Every name in the catalogue, as a set (for the test that no other name is spelled in src). */
export function catalogueNames(): Set<string> {
  return new Set<string>([
    ...Object.values(STATES_ERRORS),
    ...Object.values(LOCAL_ERRORS),
    ...Object.values(PIPELINE_ERRORS),
    ...STEP_FUNCTIONS_API_ERRORS,
    ...SAGEMAKER_API_ERRORS,
    ...SAGEMAKER_JAVA_EXCEPTIONS.map(sageMakerTaskError),
    ...SAGEMAKER_RUNTIME_ERRORS,
    ...S3_ERRORS,
    ...S3_MODELED_ERRORS.map(s3TaskError),
    S3_UNMODELED_TASK_ERROR,
    ...LAMBDA_API_ERRORS,
    ...Object.values(LAMBDA_TASK_ERRORS),
    ...PROTOCOL_ERRORS,
    ...DYNAMODB_ERRORS,
    ...DYNAMODB_ERRORS.flatMap((c) => [dynamoDbTaskError(c, true), dynamoDbTaskError(c, false)]),
    ...SNS_ERRORS,
    ...SNS_ERRORS.flatMap((c) => [snsTaskError(c, true), snsTaskError(c, false)]),
  ]);
}
