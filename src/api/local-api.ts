/**
 * The local HTTP API: one port on 127.0.0.1 speaking the AWS protocols of the services that run
 * locally, so AWS SDK clients and the AWS CLI work against it with only an endpoint override:
 *   POST /  X-Amz-Target: AWSStepFunctions.<Action>         Step Functions (AWS JSON 1.0)
 *   POST /  X-Amz-Target: SageMaker.<Describe*|List*>        SageMaker control plane reads (AWS JSON 1.1)
 *   POST /endpoints/<EndpointName>/invocations               SageMaker runtime InvokeEndpoint (restJson1)
 *   POST /endpoints/<EndpointName>/async-invocations         InvokeEndpointAsync (input and output in the local S3)
 *   POST /2015-03-31/functions/<name|ARN>/invocations        Lambda Invoke (restJson1)
 *   POST /  X-Amz-Target: DynamoDB_20120810.<Action>         DynamoDB tables and items (AWS JSON 1.0)
 *   POST /  form body, signed for `sns`                      SNS topics and Publish (AWS Query, XML answers)
 *   GET  /, /assets/*                                        the web console (src/console/)
 *   /console/api/*                                           the console's JSON for what AWS has no API for
 *   any  /<bucket>/<key>, or Host <bucket>.localhost          S3 (REST-XML; signed requests first, see
 *                                                            s3/s3-request.ts; unsigned ones last)
 * Requests are not authenticated (the SDK's signature is ignored). On loopback (the default) the
 * server only answers loopback Host headers, so a web page cannot reach it through DNS rebinding;
 * and a request that carries an Origin (a browser's) is answered only when that origin is the
 * server's own (the console), so a page on another local port cannot start, stop, approve or invoke
 * anything. SDKs and the CLI send no Origin. Internal errors are logged here and answered as the
 * protocol's 500 error, never with a stack trace.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsLocation } from '../core/arn.js';
import { MultipartUploads, type S3Store } from '../emulators/s3/index.js';
import { isLoopbackRequest } from '../emulators/sagemaker/hosting/index.js';
import { SageMakerRuntimeError } from '../emulators/sagemaker/runtime-errors.js';
import type { SageMakerService } from '../emulators/sagemaker/service/index.js';
import type { LocalStepFunctions } from '../engine/step-functions/index.js';
import type { LambdaFunctions } from '../integrations/lambda.js';
import type { DynamoDbService } from '../emulators/dynamodb/index.js';
import type { SnsService } from '../emulators/sns/index.js';
import { DYNAMODB_BODY_LIMIT, DYNAMODB_TARGET_PREFIX, handleDynamoDb } from './dynamodb-api.js';
import { handleSns, isSnsRequest, SNS_BODY_LIMIT } from './sns-api.js';
import { CONSOLE_API_PREFIX, handleConsoleApi, type ConsoleApiServices } from './console-api.js';
import { BodyTooLarge, readBody, send, sendJsonError, signedService } from './http-io.js';
import { handleLambdaInvoke, handleLambdaRead, LAMBDA_BODY_LIMIT, LAMBDA_FUNCTIONS_ROUTE, sendLambdaError } from './lambda-api.js';
import { handleSageMaker, SAGEMAKER_BODY_LIMIT, SAGEMAKER_TARGET_PREFIX } from './sagemaker-api.js';
import { handleInvokeEndpointAsync } from './sagemaker-async-api.js';
import { handleInvokeEndpoint, INVOKE_BODY_LIMIT, sendRuntimeError } from './sagemaker-runtime-api.js';
import { handleS3, s3Target, type S3Services } from './s3/s3-api.js';
import { handleStepFunctions, SFN_BODY_LIMIT, SFN_TARGET_PREFIX, sfnError } from './step-functions-api.js';

/** What the API serves (LocalServices has all of it). */
export interface LocalApiServices extends ConsoleApiServices {
  location: AwsLocation;
  sagemaker: SageMakerService;
  lambda: LambdaFunctions;
  s3: S3Store;
  dynamodb: DynamoDbService;
  sns: SnsService;
}

export interface LocalApiOptions {
  services: LocalApiServices;
  stepFunctions: LocalStepFunctions;
  /** Default 127.0.0.1; anything else exposes an unauthenticated API to the network. */
  host?: string;
  /** Default 0: any free port (see `url`). */
  port?: number;
  /** Internal errors, with their stack (default: standard error). */
  log?: (line: string) => void;
  /** The web console's page and assets (src/console/static-site.ts), served at `/` and `/assets/`. */
  site?: SiteHandler;
}

/** Answers the requests that are the site's (true), leaving every other one to the API. */
export interface SiteHandler {
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export interface LocalApi {
  /** e.g. http://127.0.0.1:4566: the `endpoint` for AWS SDK clients. */
  url: string;
  close(): Promise<void>;
}

type Protocol = 'sfn' | 'sagemaker' | 'runtime' | 'lambda' | 's3' | 'dynamodb' | 'sns' | 'none';

const ENDPOINT_ROUTE = /^\/endpoints\/([^/]+)\/invocations$/;
const ASYNC_ENDPOINT_ROUTE = /^\/endpoints\/([^/]+)\/async-invocations$/;
const LAMBDA_ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * A browser names the page that sent a request in Origin (on every cross-origin request and on
 * same-origin POSTs): only the console served from this very host and port may drive the API.
 * Comparing with the Host header is exact, since the Host check has already pinned it to loopback.
 */
export function isSameOriginOrNone(headers: IncomingMessage['headers']): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  return headers.host !== undefined && origin.toLowerCase() === `http://${headers.host.toLowerCase()}`;
}

/**
 * Step Functions' StartSyncExecution and TestState are modelled with the host prefix `sync-`, so an
 * SDK that keeps it sends them to `sync-<endpoint host>`: `sync-localhost` or `sync-127.0.0.1` when a
 * hosts entry (or the client's resolver) points that name at this server. Such a name is as local as
 * the one it prefixes (neither can be registered in public DNS), so it passes the loopback check.
 */
export function withoutSyncPrefix(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const host = headers.host;
  return host !== undefined && /^sync-/i.test(host) ? { ...headers, host: host.slice('sync-'.length) } : headers;
}

export async function startLocalApi(opts: LocalApiOptions): Promise<LocalApi> {
  const { services, stepFunctions } = opts;
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const s3: S3Services = {
    store: services.s3,
    uploads: new MultipartUploads(services.s3),
    region: services.location.region,
    account: services.location.accountId,
  };

  const site = opts.site;

  async function route(req: IncomingMessage, res: ServerResponse, protocol: { is: Protocol }): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const target = req.headers['x-amz-target'];
    // SNS speaks the Query protocol on `POST /`, signed like S3's requests: its credential scope tells them apart.
    if (typeof target !== 'string' && path === '/' && isSnsRequest(req)) {
      protocol.is = 'sns';
      return handleSns(services.sns, await readBody(req, SNS_BODY_LIMIT), res);
    }
    // S3 first: a signed (or virtual-hosted) request for `/` is ListBuckets, not the console's page.
    // Lambda's reads are signed GETs like S3's: told apart by the service their signature names.
    const functions = req.method === 'GET' ? LAMBDA_FUNCTIONS_ROUTE.exec(path) : null;
    if (functions && signedService(req) === 'lambda') {
      protocol.is = 'lambda';
      req.resume();
      return handleLambdaRead(services.lambda, functions[1]!, url, res);
    }
    const s3Request = s3Target(req);
    const s3Subresource = /[?&](uploads|uploadId|delete)\b/.test(req.url ?? '');
    const endpoint = ENDPOINT_ROUTE.exec(path);
    const asyncEndpoint = ASYNC_ENDPOINT_ROUTE.exec(path);
    const fn = LAMBDA_ROUTE.exec(path);
    if (s3Request && !(req.method === 'POST' && (endpoint || asyncEndpoint || fn) && !s3Subresource)) {
      protocol.is = 's3';
      return handleS3(s3, s3Request, req, res, log);
    }
    // The web console: its page and assets, and its JSON endpoints for what AWS has no API for.
    if (typeof target !== 'string' && site?.handle(req, res, path)) return;
    if (path.startsWith(CONSOLE_API_PREFIX)) return handleConsoleApi(services, req, res, url);
    if (req.method === 'POST' && path === '/' && typeof target === 'string') {
      if (target.startsWith(SFN_TARGET_PREFIX)) {
        protocol.is = 'sfn';
        const body = await readBody(req, SFN_BODY_LIMIT);
        return handleStepFunctions(stepFunctions, target.slice(SFN_TARGET_PREFIX.length), body, res);
      }
      if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
        protocol.is = 'dynamodb';
        const body = await readBody(req, DYNAMODB_BODY_LIMIT);
        return handleDynamoDb(services.dynamodb, target.slice(DYNAMODB_TARGET_PREFIX.length), body, res);
      }
      if (target.startsWith(SAGEMAKER_TARGET_PREFIX)) {
        protocol.is = 'sagemaker';
        const body = await readBody(req, SAGEMAKER_BODY_LIMIT);
        return handleSageMaker(services.sagemaker, target.slice(SAGEMAKER_TARGET_PREFIX.length), body, res);
      }
    }
    if (req.method === 'POST' && endpoint) {
      protocol.is = 'runtime';
      const body = await readBody(req, INVOKE_BODY_LIMIT);
      return handleInvokeEndpoint(services.sagemaker, services.location, decodeURIComponent(endpoint[1]!), req, body, res);
    }
    if (req.method === 'POST' && asyncEndpoint) {
      protocol.is = 'runtime';
      const body = await readBody(req, INVOKE_BODY_LIMIT);
      return handleInvokeEndpointAsync(services.sagemaker, services.s3, services.location, decodeURIComponent(asyncEndpoint[1]!), req, body, res, log);
    }
    if (req.method === 'POST' && fn) {
      protocol.is = 'lambda';
      const body = await readBody(req, LAMBDA_BODY_LIMIT);
      return handleLambdaInvoke(services.lambda, decodeURIComponent(fn[1]!), req, body, res, log);
    }
    // Unsigned S3 requests (`aws s3 --no-sign-request`, curl, a browser's download link) are
    // recognised last, by their path-style address, once nothing else claimed the request; an
    // unsigned `GET /` stays the console's page.
    const unsigned = typeof target !== 'string' ? s3Target(req, { unsigned: true }) : undefined;
    if (unsigned && (unsigned.bucket !== undefined || unsigned.problem)) {
      protocol.is = 's3';
      return handleS3(s3, unsigned, req, res, log);
    }
    req.resume();
    const what = typeof target === 'string' ? target : `${req.method} ${path}`;
    sendJsonError(res, 404, 'application/json', 'UnknownOperationException', `The local API does not serve ${what}.`);
  }

  /** The protocol's own error shape for a body over its limit, and for our own failures. */
  function fail(res: ServerResponse, protocol: Protocol, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      const msg = `Request must be smaller than ${e.limit} bytes.`;
      if (protocol === 'lambda') return sendLambdaError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${e.limit} bytes for the InvokeFunction operation`);
      if (protocol === 'runtime') return sendRuntimeError(res, new SageMakerRuntimeError('ValidationError', msg));
      if (protocol === 'sfn') return sfnError(res, 413, 'ValidationException', msg);
      return sendJsonError(res, 413, 'application/json', 'ValidationException', msg);
    }
    log(`local API: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const msg = 'An internal error occurred in the local API (details are in its log).';
    if (protocol === 'lambda') return sendLambdaError(res, 500, 'ServiceException', msg, 'Service');
    if (protocol === 'runtime') return sendRuntimeError(res, new SageMakerRuntimeError('InternalFailure', msg));
    if (protocol === 'sfn') return sfnError(res, 500, 'InternalFailure', msg);
    sendJsonError(res, 500, 'application/json', 'InternalFailure', msg);
  }

  // Bound to loopback, only loopback names may address it; a host the caller chose opens it on purpose.
  const loopbackOnly = /^(127\.0\.0\.1|localhost|::1)$/.test(host);
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    if (loopbackOnly && !isLoopbackRequest(withoutSyncPrefix(req.headers))) {
      req.resume();
      send(res, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Forbidden: not a loopback Host/Origin\n');
      return;
    }
    if (!isSameOriginOrNone(req.headers)) {
      req.resume();
      send(res, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, "Forbidden: the Origin is not this server's own\n");
      return;
    }
    const protocol = { is: 'none' as Protocol };
    route(req, res, protocol).catch((e: unknown) => fail(res, protocol.is, e));
  });
  // Longer than the SDKs' idle keep-alive, so the server never closes a socket a client is reusing.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  // StartSyncExecution and InvokeEndpoint may legitimately take minutes.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${addr.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
