/**
 * SageMaker runtime's InvokeEndpoint (restJson1): `POST /endpoints/<EndpointName>/invocations` is
 * forwarded to the endpoint's local model server with the headers SageMaker passes to a container;
 * the answer comes back with the model's Content-Type and custom attributes and the variant that
 * served it. A container's error status becomes a ModelError (424), as SageMaker reports it. An
 * answered call is handed to the endpoint's data capture (which samples and writes it later).
 */
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AwsLocation } from '../core/arn.js';
import type { JsonObject } from '../core/json.js';
import { endpointNotFound, ERROR_TYPE_HEADER, modelError, runtimeErrorOf, SageMakerRuntimeError } from '../emulators/sagemaker/runtime-errors.js';
import type { SageMakerService } from '../emulators/sagemaker/service/index.js';
import { send } from './http-io.js';
import { SAGEMAKER_REQUEST_HEADERS } from '../emulators/sagemaker/hosting/index.js';

/** InvokeEndpoint's payload limit (6 MB). */
export const INVOKE_BODY_LIMIT = 6 * 1024 * 1024;

/** Request headers SageMaker passes on to the container. */
const FORWARDED = ['content-type', 'accept', ...SAGEMAKER_REQUEST_HEADERS];

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Slightly longer than the model server front's own 60 s limit, which answers 504 first. */
const UPSTREAM_TIMEOUT_MS = 65_000;

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export function sendRuntimeError(res: ServerResponse, e: SageMakerRuntimeError): void {
  send(res, e.statusCode, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': e.code }, JSON.stringify(e.body()));
}

/** Where the endpoint's (or the named variant's) model server listens, starting it here if needed. */
export async function serverUrl(service: SageMakerService, endpoint: string, variant: string | undefined, location: AwsLocation): Promise<string> {
  const ensure = (service as { ensureEndpointServing?: (name: string, variant?: string) => Promise<string> }).ensureEndpointServing;
  if (typeof ensure === 'function') return ensure.call(service, endpoint, variant);
  const url = service.endpointUrl(endpoint, variant);
  if (!url) throw endpointNotFound(endpoint, location);
  return url;
}

/** The variant that answers: the one asked for, or the endpoint's first. */
function invokedVariant(service: SageMakerService, endpoint: string, asked: string | undefined): string {
  if (asked) return asked;
  try {
    const variants = service.describeEndpoint({ EndpointName: endpoint })['ProductionVariants'];
    const first = Array.isArray(variants) ? (variants[0] as JsonObject | undefined) : undefined;
    if (typeof first?.['VariantName'] === 'string') return first['VariantName'];
  } catch {
    /* described below as the default variant name */
  }
  return 'AllTraffic';
}

function forward(url: string, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  const headers: Record<string, string> = {};
  for (const h of FORWARDED) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  return forwardInvocation(url, headers, body);
}

/** POSTs an invocation to a model server's `/invocations` (also InvokeEndpointAsync's path). */
export function forwardInvocation(url: string, headers: Record<string, string>, body: Buffer): Promise<Upstream> {
  const target = new URL('invocations', url.endsWith('/') ? url : url + '/');
  return new Promise((resolve, reject) => {
    const r = request(target, { method: 'POST', headers: { ...headers, 'content-length': body.length }, agent }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('error', reject);
      up.on('end', () => resolve({ status: up.statusCode ?? 0, headers: up.headers, body: Buffer.concat(chunks) }));
    });
    r.setNoDelay(true);
    r.setTimeout(UPSTREAM_TIMEOUT_MS, () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(body);
  });
}

export async function handleInvokeEndpoint(
  service: SageMakerService,
  location: AwsLocation,
  endpoint: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<void> {
  const askedVariant = typeof req.headers['x-amzn-sagemaker-target-variant'] === 'string' ? req.headers['x-amzn-sagemaker-target-variant'] : undefined;
  const at = Date.now();
  let up: Upstream;
  try {
    const url = await serverUrl(service, endpoint, askedVariant, location);
    try {
      up = await forward(url, req, body);
    } catch (e) {
      throw new SageMakerRuntimeError(
        'ModelError',
        (e as Error).message === 'timeout'
          ? 'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.'
          : `The model server of endpoint ${endpoint} did not answer: ${(e as Error).message}`,
      );
    }
  } catch (e) {
    if (e instanceof SageMakerRuntimeError) return sendRuntimeError(res, e);
    throw e;
  }
  const errorType = up.headers[ERROR_TYPE_HEADER];
  const passed = runtimeErrorOf(up.status, typeof errorType === 'string' ? errorType : undefined, up.body);
  if (passed) return sendRuntimeError(res, passed);
  if (up.status < 200 || up.status >= 300) return sendRuntimeError(res, modelError(up.status, up.body, endpoint, location));
  const variant = invokedVariant(service, endpoint, askedVariant);
  const contentType = typeof up.headers['content-type'] === 'string' ? up.headers['content-type'] : 'application/json';
  const inferenceId = req.headers['x-amzn-sagemaker-inference-id'];
  service.captureInvocation(endpoint, variant, {
    request: { body, ...(typeof req.headers['content-type'] === 'string' ? { contentType: req.headers['content-type'] } : {}) },
    response: { body: up.body, contentType },
    ...(typeof inferenceId === 'string' ? { inferenceId } : {}),
    at,
  });
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-Amzn-Invoked-Production-Variant': variant,
  };
  const custom = up.headers['x-amzn-sagemaker-custom-attributes'];
  if (typeof custom === 'string') headers['X-Amzn-SageMaker-Custom-Attributes'] = custom;
  send(res, 200, headers, up.body);
}
