/**
 * Lambda's Invoke (restJson1): `POST /2015-03-31/functions/<name|ARN>/invocations` runs a local
 * function. As Lambda does, a function that throws still answers 200, with `X-Amz-Function-Error:
 * Unhandled` and the runtime's error payload as the body; `Event` invocations answer 202 at once and
 * `DryRun` 204.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import { functionName, type LambdaFunctions } from '../integrations/lambda.js';
import { send } from './http-io.js';

/** Synchronous invocation payload limit (6 MB). */
export const LAMBDA_BODY_LIMIT = 6 * 1024 * 1024;

export function sendLambdaError(res: ServerResponse, status: number, code: string, message: string, type = 'User'): void {
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
