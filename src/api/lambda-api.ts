/**
 * Lambda's Invoke (restJson1): `POST /2015-03-31/functions/<name|ARN>/invocations` runs a local
 * function. As Lambda does, a function that throws still answers 200, with `X-Amz-Function-Error:
 * Unhandled` and the runtime's error payload as the body; `Event` invocations answer 202 at once and
 * `DryRun` 204.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import { functionName, type LambdaFunctions } from '../integrations/lambda.js';
import { send } from './http-io.js';
import type { LambdaApiErrorName } from '../core/error-catalogue.js';

/** Synchronous invocation payload limit (6 MB). */
export const LAMBDA_BODY_LIMIT = 6 * 1024 * 1024;

export function sendLambdaError(res: ServerResponse, status: number, code: LambdaApiErrorName, message: string, type = 'User'): void {
  send(res, status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': code }, JSON.stringify({ Type: type, message }));
}

export async function handleLambdaInvoke(
  lambda: LambdaFunctions,
  nameOrArn: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const name = functionName(nameOrArn);
  if (!lambda.has(name)) return sendLambdaError(res, 404, 'ResourceNotFoundException', `Function not found: ${lambda.arn(name)}`);
  const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    return sendLambdaError(res, 400, 'InvalidParameterValueException', `Unsupported invocation type: ${invocationType}`);
  }
  let event: Json = {};
  if (body.length > 0) {
    try {
      event = JSON.parse(body.toString('utf8')) as Json;
    } catch (e) {
      return sendLambdaError(res, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`);
    }
  }
  const requestId = randomUUID();
  const common = { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId };
  if (invocationType === 'DryRun') return send(res, 204, common);
  const controller = new AbortController();
  if (invocationType === 'Event') {
    send(res, 202, common);
    lambda.invoke(name, event, controller.signal, false).catch((e: unknown) => log(`async invocation of ${name} failed: ${e instanceof Error ? e.message : String(e)}`));
    return;
  }
  // A caller that hangs up does not need the answer any more.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the caller disconnected'));
  });
  const headers: Record<string, string> = { ...common, 'Content-Type': 'application/json' };
  if (req.headers['x-amz-log-type'] === 'Tail') {
    headers['X-Amz-Log-Result'] = Buffer.from(`START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\n`).toString('base64');
  }
  try {
    const payload = await lambda.invoke(name, event, controller.signal, false);
    send(res, 200, headers, lambda.serialise(name, payload));
  } catch (e) {
    // A handler error: LambdaFunctions reports it as the runtime's error payload (the cause).
    if (e instanceof StatesError && e.cause !== undefined && e.error !== undefined && !e.error.startsWith('Lambda.')) {
      send(res, 200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' }, e.cause);
      return;
    }
    throw e;
  }
}

/** `GET /2015-03-31/functions/` (ListFunctions) and `GET /2015-03-31/functions/<name|ARN>` (GetFunction). */
export const LAMBDA_FUNCTIONS_ROUTE = /^\/2015-03-31\/functions\/?([^/]*)$/;

/**
 * ListFunctions and GetFunction over the home's local functions (the pipeline's trigger and approval
 * functions, `exec --lambda` ones). They run in this process, so the configuration describes how
 * they run here: the runtime family of their handler, `$LATEST` only, no deployment package (GetFunction
 * has no `Code` location to download from).
 */
export function handleLambdaRead(lambda: LambdaFunctions, nameOrArn: string, url: URL, res: ServerResponse): void {
  const all = lambda.list();
  if (nameOrArn === '') {
    const max = Number(url.searchParams.get('MaxItems') ?? '50');
    if (!Number.isInteger(max) || max < 1 || max > 10_000) {
      return sendLambdaError(res, 400, 'InvalidParameterValueException', `1 validation error detected: Value '${url.searchParams.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000`);
    }
    const marker = url.searchParams.get('Marker');
    const from = marker === null ? 0 : all.findIndex((f) => f.name === marker) + 1;
    if (marker !== null && from === 0) return sendLambdaError(res, 400, 'InvalidParameterValueException', 'Invalid marker');
    const page = all.slice(from, from + max);
    const out: Record<string, unknown> = { Functions: page.map(configuration) };
    if (from + max < all.length) out['NextMarker'] = page[page.length - 1]!.name;
    return send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify(out));
  }
  const name = functionName(decodeURIComponent(nameOrArn));
  const fn = all.find((f) => f.name === name);
  const qualifier = url.searchParams.get('Qualifier');
  if (!fn || (qualifier !== null && qualifier !== '$LATEST')) {
    return sendLambdaError(res, 404, 'ResourceNotFoundException', `Function not found: ${lambda.arn(name)}${qualifier !== null ? `:${qualifier}` : ''}`);
  }
  send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ Configuration: configuration(fn) }));
}

/** Lambda's FunctionConfiguration for a local function. */
function configuration(fn: ReturnType<LambdaFunctions['list']>[number]): Record<string, unknown> {
  const account = fn.arn.split(':')[4]!;
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.style === 'python' ? 'python3.12' : 'nodejs20.x',
    Role: `arn:aws:iam::${account}:role/mlops-sfn-local`,
    Handler: 'index.handler',
    CodeSize: 0,
    Description: 'A local function of mlops-sfn (runs in the local API process).',
    Timeout: 900,
    MemorySize: 128,
    LastModified: lambdaTime(fn.registeredAt),
    CodeSha256: createHash('sha256').update(fn.name).digest('base64'),
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    PackageType: 'Zip',
    Architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
    EphemeralStorage: { Size: 512 },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
    RevisionId: createHash('sha256').update(`${fn.name}:${fn.registeredAt}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5'),
  };
}

/** Lambda's LastModified: ISO 8601 with milliseconds and a +0000 offset. */
function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
