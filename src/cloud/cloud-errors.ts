/**
 * What goes wrong between a laptop and AWS, said in one line with what to do about it: no region,
 * no credentials, an expired session, a denied call, a missing stack, an unreachable endpoint.
 * AWS's own error name and message are kept in the line where they help.
 */
import { UserError } from '../core/errors.js';

export interface CloudContext {
  region?: string;
  profile?: string;
  endpoint?: string;
  stackName?: string;
}

/** Setup problems the user fixes (credentials, region, stack, flags): exit 2, as for bad input. */
const SETUP = 2;
/** AWS refused or failed an otherwise well-formed call: exit 1, as for a failed run. */
const FAILED = 1;

const CONFIGURE_HINT = 'set AWS_PROFILE (or pass --profile) to a configured profile, run `aws configure`, or `aws sso login` for an SSO profile';
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AccessDeniedError']);

interface SdkLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function fields(e: unknown): SdkLikeError {
  return e !== null && typeof e === 'object' ? (e as SdkLikeError) : {};
}

/** The AWS error name of an SDK error (`ExecutionDoesNotExist`, ...), if it is one. */
export function awsErrorName(e: unknown): string | undefined {
  const f = fields(e);
  return typeof f.name === 'string' ? f.name : undefined;
}

export function isLoopbackEndpoint(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export function noRegionError(): UserError {
  return new UserError(
    'no AWS region: set AWS_REGION (e.g. export AWS_REGION=us-east-1), pass --region, or give your profile a region (aws configure)',
    'NO_REGION',
    SETUP,
  );
}

export function noCredentialsError(ctx: CloudContext, detail?: string): UserError {
  const which = ctx.profile !== undefined ? `profile ${ctx.profile} gives no usable AWS credentials` : 'no AWS credentials found';
  const sso = detail !== undefined && /sso/i.test(detail);
  if (sso) {
    return new UserError(
      `the AWS SSO session is missing or expired: run \`aws sso login${ctx.profile !== undefined ? ` --profile ${ctx.profile}` : ''}\` and try again`,
      'NO_CREDENTIALS',
      SETUP,
    );
  }
  return new UserError(`${which}: ${CONFIGURE_HINT}`, 'NO_CREDENTIALS', SETUP);
}

/**
 * The one-line UserError for an error raised by an AWS SDK call or its credential/region
 * resolution, or undefined when the error is not one of those (a bug, to be reported as such).
 */
export function explainCloudError(e: unknown, ctx: CloudContext, operation: string): UserError | undefined {
  if (e instanceof UserError) return e;
  const f = fields(e);
  const name = f.name ?? '';
  const message = (f.message ?? '').trim();
  if (/^Region is missing/.test(message)) return noRegionError();
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /Could not load credentials/.test(message)) {
    return noCredentialsError(ctx, message);
  }
  if (EXPIRED.has(name)) {
    return new UserError(
      `the AWS credentials have expired (${name}): refresh them (\`aws sso login\`, or new temporary credentials) and try again`,
      'EXPIRED_CREDENTIALS',
      SETUP,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new UserError(`AWS did not accept the credentials calling ${operation} (${name}: ${message}): ${CONFIGURE_HINT}`, 'BAD_CREDENTIALS', SETUP);
  }
  if (DENIED.has(name)) {
    return new UserError(`access denied calling ${operation}: ${message || name} (the credentials need this permission)`, 'ACCESS_DENIED', SETUP);
  }
  const stack = /Stack with id (\S+) does not exist/.exec(message);
  if (name === 'ValidationError' && stack) {
    return new UserError(
      `no stack ${stack[1]} in region ${ctx.region ?? '(unknown)'}: run \`mlops-sfn deploy\` or pass --stack-name (and --region)`,
      'STACK_NOT_FOUND',
      SETUP,
    );
  }
  const code = f.code ?? (/\b(E[A-Z]{4,})\b/.exec(message)?.[1] ?? '');
  if (NETWORK_CODES.has(code) || name === 'TimeoutError' || name === 'RequestTimeout') {
    const where = ctx.endpoint ?? `AWS in ${ctx.region ?? 'the region'}`;
    const hint = isLoopbackEndpoint(ctx.endpoint) ? 'is the local API running (`mlops-sfn serve`)?' : 'check the network, the region and --endpoint-url';
    return new UserError(`cannot reach ${where} calling ${operation} (${code || name}): ${hint}`, 'UNREACHABLE', SETUP);
  }
  if (f.$metadata !== undefined) {
    return new UserError(`${operation} failed: ${name}${message ? `: ${message}` : ''}`, 'AWS_ERROR', FAILED);
  }
  return undefined;
}

/** Runs one SDK call, turning its AWS/network/credential errors into one-line UserErrors. */
export async function cloudCall<T>(ctx: CloudContext, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw explainCloudError(e, ctx, operation) ?? e;
  }
}
