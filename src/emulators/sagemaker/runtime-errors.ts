/**
 * SageMaker runtime's InvokeEndpoint errors (the `sagemaker-runtime` service, restJson1): the error
 * code travels in the `x-amzn-errortype` header and the message in a JSON body, with AWS's HTTP
 * status per code. Shared by every local path to an endpoint: the model server's front (while its
 * instance is being replaced), the CLI's `invoke`, and the local runtime API (`serve`).
 */
import type { JsonObject } from '../../core/json.js';
import { formatArn, type AwsLocation } from '../../core/arn.js';
import { AwsError } from '../../core/errors.js';
import type { SageMakerRuntimeErrorCode } from '../../core/error-catalogue.js';

export type RuntimeErrorCode = SageMakerRuntimeErrorCode;

/** The HTTP status InvokeEndpoint answers each error with. */
export const RUNTIME_ERROR_STATUS: Record<RuntimeErrorCode, number> = {
  ValidationError: 400,
  ModelError: 424,
  ModelNotReadyException: 429,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  InternalDependencyException: 530,
};

/** The header carrying the error code in SageMaker runtime's answers (and nowhere in a container's). */
export const ERROR_TYPE_HEADER = 'x-amzn-errortype';

export class SageMakerRuntimeError extends AwsError {
  constructor(
    /** One of RuntimeErrorCode, or a code another server sent that this side does not know. */
    readonly code: RuntimeErrorCode | (string & {}),
    message: string,
    /** ModelError's extra members: OriginalStatusCode, OriginalMessage, LogStreamArn. */
    readonly fields: JsonObject = {},
    statusCode?: number,
  ) {
    super(code, message, isRuntimeErrorCode(code) ? RUNTIME_ERROR_STATUS[code] : (statusCode ?? 500));
  }

  /** The JSON body AWS answers with. */
  body(): JsonObject {
    return { ...this.fields, message: this.message };
  }

  /** How the AWS CLI (botocore) prints it. */
  cliMessage(): string {
    return `An error occurred (${this.code}) when calling the InvokeEndpoint operation: ${this.message}`;
  }
}

export function isRuntimeErrorCode(code: string): code is RuntimeErrorCode {
  return Object.prototype.hasOwnProperty.call(RUNTIME_ERROR_STATUS, code);
}

/** InvokeEndpoint on an endpoint that does not exist. */
export function endpointNotFound(endpoint: string, location: AwsLocation): SageMakerRuntimeError {
  return new SageMakerRuntimeError('ValidationError', `Endpoint ${endpoint} of account ${location.accountId} not found.`);
}

/** A container that answered with an error status becomes a ModelError (HTTP 424). */
export function modelError(status: number, body: Buffer, endpoint: string, location: AwsLocation): SageMakerRuntimeError {
  const kind = status >= 500 ? 'server' : 'client';
  const text = body.toString('utf8');
  const { region, accountId } = location;
  return new SageMakerRuntimeError(
    'ModelError',
    `Received ${kind} error (${status}) from primary with message "${text}". ` +
      `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=/aws/sagemaker/Endpoints/${endpoint} in account ${accountId} for more information.`,
    {
      OriginalStatusCode: status,
      OriginalMessage: text,
      LogStreamArn: formatArn(location, 'logs', `log-group:/aws/sagemaker/Endpoints/${endpoint}`),
    },
  );
}

/**
 * The runtime error an answer carries in SageMaker runtime's shape (`x-amzn-errortype` plus a JSON
 * `message`), or undefined when it has no error type (a container's own answer).
 */
export function runtimeErrorOf(status: number, errorType: string | undefined, body: Buffer): SageMakerRuntimeError | undefined {
  if (errorType === undefined || errorType === '' || (status >= 200 && status < 300)) return undefined;
  // restJson1 allows "Code:namespace#..." decorations; the code is what comes first.
  const code = errorType.split(':')[0]!.split('#').at(-1)!;
  let message = body.toString('utf8');
  let fields: JsonObject = {};
  try {
    const parsed = JSON.parse(message) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const o = parsed as JsonObject;
      const m = o['message'] ?? o['Message'];
      if (typeof m === 'string') message = m;
      const { message: _m, Message: _M, ...rest } = o;
      fields = rest;
    }
  } catch {
    // a plain-text message
  }
  return new SageMakerRuntimeError(code, message, fields, status);
}
