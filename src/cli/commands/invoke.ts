/**
 * `mlops-sfn invoke <endpoint> --body FILE|- [--content-type T] [--accept T]`: one InvokeEndpoint
 * call against a local endpoint; prints the response body as it came (bytes, no added newline).
 *
 * The endpoint is reached through a running `mlops-sfn serve` for the same home when there is one
 * (its model servers are warm), else by starting its model server in this process (about a second).
 *
 * Exit codes: 0 the model answered 2xx; 1 the model answered with an error (printed as AWS's
 * ModelError message) or the endpoint could not serve; 2 bad arguments, an unknown endpoint or an
 * unreadable body file.
 */
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { LOCAL_LOCATION, type AwsLocation } from '../../core/arn.js';
import { UserError } from '../../core/errors.js';
import { readUserFile } from '../../core/user-file.js';
import type { InvokeRequest, InvokeResult } from '../../emulators/sagemaker/contracts.js';
import { invokeModelServer, invokeRuntimeApi } from '../../emulators/sagemaker/invoke-url.js';
import { modelError, runtimeErrorOf, SageMakerRuntimeError } from '../../emulators/sagemaker/runtime-errors.js';

/**
 * Where an endpoint answers: a model server's URL (the container's /invocations; a string), or a
 * local SageMaker runtime API (`serve`) that answers InvokeEndpoint's own route.
 */
export type EndpointRoute = string | { runtimeApi: string };

/** Finds an endpoint's route; rejects (with a UserError) for unknown endpoints. */
export type EndpointUrlResolver = (endpointName: string) => Promise<EndpointRoute>;

export interface InvokeOptions {
  body: string;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  inferenceId?: string;
}

export interface InvokeIo {
  stdin: Readable;
  stdout: Writable;
}

/** InvokeEndpoint's limit on the request body. */
export const MAX_INVOKE_BODY_BYTES = 6 * 1024 * 1024;

/** The route answered nothing at all (connection refused, reset, timed out). */
export class EndpointUnreachableError extends UserError {
  constructor(endpoint: string, url: string, cause: string) {
    super(`Endpoint ${endpoint} is not reachable at ${url}: ${cause}`, 'ENDPOINT_UNREACHABLE', 1);
  }
}

/** Reads the request body (a file, or standard input for "-") and applies InvokeEndpoint's size limit. */
export async function readInvokeBody(path: string, stdin: Readable): Promise<Buffer> {
  return readUserFile(path, {
    what: 'request body',
    maxBytes: MAX_INVOKE_BODY_BYTES,
    stdin,
    tooLarge: () =>
      new UserError(
        `An error occurred (ValidationError) when calling the InvokeEndpoint operation: the request body is larger than ${MAX_INVOKE_BODY_BYTES} bytes; InvokeEndpoint accepts at most ${MAX_INVOKE_BODY_BYTES} bytes (6 MB)`,
      ),
  });
}

/** The model answered with an error: AWS's ModelError, kept whole so a local caller can explain it from the model server's log. */
export class ModelErrorAnswer extends UserError {
  constructor(readonly runtimeError: SageMakerRuntimeError) {
    super(runtimeError.cliMessage(), 'MODEL_ERROR', 1);
  }

  /** The container's own status and answer (OriginalStatusCode, OriginalMessage). */
  get original(): { status?: number; message?: string } {
    const { OriginalStatusCode: status, OriginalMessage: message } = this.runtimeError.fields;
    return { ...(typeof status === 'number' ? { status } : {}), ...(typeof message === 'string' ? { message } : {}) };
  }
}

/** A runtime error as a one-line CLI error: an unknown endpoint or a bad request is the user's (exit 2), the rest exit 1. */
export function runtimeUserError(e: SageMakerRuntimeError): UserError {
  if (e.code === 'ModelError') return new ModelErrorAnswer(e);
  return new UserError(e.cliMessage(), e.code === 'ValidationError' ? 'INVALID_INVOKE' : e.code === 'ModelError' ? 'MODEL_ERROR' : 'ENDPOINT_UNAVAILABLE', e.code === 'ValidationError' ? 2 : 1);
}

/** An answered call (2xx) reached the model server directly: the caller records it for data capture as InvokeEndpoint would. */
export type OnAnswered = (req: InvokeRequest, res: InvokeResult, at: number) => void;

/** Sends the body along the endpoint's route and prints the answer; throws a UserError for every error answer. */
export async function invokeEndpoint(
  endpoint: string,
  body: Buffer,
  opts: Omit<InvokeOptions, 'body'>,
  resolveEndpointUrl: EndpointUrlResolver,
  io: Pick<InvokeIo, 'stdout'>,
  where: AwsLocation = LOCAL_LOCATION,
  onAnswered?: OnAnswered,
): Promise<number> {
  let route: EndpointRoute;
  try {
    route = await resolveEndpointUrl(endpoint);
  } catch (e) {
    throw e instanceof SageMakerRuntimeError ? runtimeUserError(e) : e;
  }
  const req: InvokeRequest = { body, contentType: opts.contentType, accept: opts.accept, customAttributes: opts.customAttributes, inferenceId: opts.inferenceId };
  const url = typeof route === 'string' ? route : route.runtimeApi;
  const at = Date.now();
  let res: InvokeResult;
  try {
    res = typeof route === 'string' ? await invokeModelServer(route, req) : await invokeRuntimeApi(route.runtimeApi, endpoint, req);
  } catch (e) {
    throw new EndpointUnreachableError(endpoint, url, (e as Error).message);
  }
  const runtimeError = runtimeErrorOf(res.status, res.errorType, res.body);
  if (runtimeError) throw runtimeUserError(runtimeError);
  if (res.status < 200 || res.status >= 300) throw runtimeUserError(modelError(res.status, res.body, endpoint, where));
  // Through the runtime API (serve) the capture happens there; straight to a model server, here.
  if (typeof route === 'string') onAnswered?.(req, res, at);
  await new Promise<void>((resolve, reject) => io.stdout.write(res.body, (err) => (err ? reject(err) : resolve())));
  return 0;
}

export async function invokeCommand(
  endpoint: string,
  opts: InvokeOptions,
  resolveEndpointUrl: EndpointUrlResolver,
  io: InvokeIo,
  where: { region: string; accountId: string } = LOCAL_LOCATION,
): Promise<number> {
  const body = await readInvokeBody(opts.body, io.stdin);
  return invokeEndpoint(endpoint, body, opts, resolveEndpointUrl, io, { partition: 'aws', ...where });
}

/** Runs one invocation for `mlops-sfn invoke`; `invokeLocalEndpoint` (invoke-local.ts) in the CLI. */
export type InvokeAction = (endpoint: string, opts: InvokeOptions, io: InvokeIo) => Promise<number>;

export function registerInvokeCommand(program: Command, invoke: InvokeAction): void {
  program
    .command('invoke')
    .description("Send one request to a local endpoint (InvokeEndpoint) and print the model's response body")
    .argument('<endpoint>', 'the endpoint name')
    .requiredOption('--body <file>', 'the request body: a file, or - for standard input')
    .option('--content-type <type>', 'the body\'s MIME type, e.g. text/csv (the container defaults to application/json)')
    .option('--accept <type>', 'the response MIME type wanted, e.g. text/csv (the container defaults to application/json)')
    .option('--custom-attributes <text>', 'X-Amzn-SageMaker-Custom-Attributes')
    .option('--inference-id <id>', 'X-Amzn-SageMaker-Inference-Id: recorded with the request by the endpoint\'s data capture')
    .addHelpText(
      'after',
      `
Uses a running \`mlops-sfn serve\` for the same --home when there is one; otherwise starts the
endpoint's model server for this one call (about a second).

Example:
  npx mlops-sfn invoke census --body row.csv --content-type text/csv --accept text/csv

Exit codes: 0 success, 1 the model answered with an error (the model server's Python exception and
the path of its log) or the endpoint cannot serve, 2 bad input, an unknown endpoint or one that is
not InService.`,
    )
    .action(async (endpoint: string, opts: InvokeOptions) => {
      process.exitCode = await invoke(endpoint, opts, { stdin: process.stdin, stdout: process.stdout });
    });
}
