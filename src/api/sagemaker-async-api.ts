/**
 * SageMaker runtime's InvokeEndpointAsync (restJson1): `POST /endpoints/<name>/async-invocations`
 * with the request in S3 (`X-Amzn-SageMaker-InputLocation`). As SageMaker does, it answers 202 at
 * once with the InferenceId and where the answer will be (`X-Amzn-SageMaker-OutputLocation`:
 * `<S3OutputPath>[/<S3OutputPathExtension>]/<InferenceId>.out`; `X-Amzn-SageMaker-FailureLocation`:
 * `<S3FailurePath or S3OutputPath>/<InferenceId>-error.out`), then reads the input from the local S3,
 * has the endpoint's model server answer it, and writes the model's answer to the output location
 * (with the model's Content-Type), or the error to the failure location. An endpoint whose endpoint
 * config has no AsyncInferenceConfig is refused, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsLocation } from '../core/arn.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { InvalidS3UriError, isS3Error, parseS3Uri, type S3Store } from '../emulators/s3/index.js';
import { endpointNotFound, ERROR_TYPE_HEADER, modelError, runtimeErrorOf, SageMakerRuntimeError } from '../emulators/sagemaker/runtime-errors.js';
import type { SageMakerService } from '../emulators/sagemaker/service/index.js';
import { send } from './http-io.js';
import { forwardInvocation, sendRuntimeError, serverUrl } from './sagemaker-runtime-api.js';

/** An async request's payload may be up to 1 GB on SageMaker; read here through the local S3. */
const MAX_ASYNC_INPUT_BYTES = 1024 * 1024 * 1024;
const INFERENCE_ID = /^[\x21-\x7e]{1,64}$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function joinS3(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '').join('/');
}

/** Background invocations still running (awaited by tests; the API does not wait for them on close). */
export const pendingAsyncInvocations = new Set<Promise<void>>();

export async function handleInvokeEndpointAsync(
  service: SageMakerService,
  s3: S3Store,
  location: AwsLocation,
  endpoint: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  let plan: Plan;
  try {
    plan = prepare(service, location, endpoint, req, body.length > 0);
  } catch (e) {
    if (e instanceof SageMakerRuntimeError) return sendRuntimeError(res, e);
    throw e;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Amzn-SageMaker-OutputLocation': plan.output,
    'X-Amzn-SageMaker-FailureLocation': plan.failure,
  };
  send(res, 202, headers, JSON.stringify({ InferenceId: plan.inferenceId }));
  const work = run(service, s3, location, endpoint, req, body, plan).catch((e: unknown) => log(`InvokeEndpointAsync ${plan.inferenceId} on ${endpoint}: ${e instanceof Error ? e.message : String(e)}`));
  pendingAsyncInvocations.add(work);
  void work.finally(() => pendingAsyncInvocations.delete(work));
}

interface Plan {
  inferenceId: string;
  /** The S3 object holding the request, or undefined when it came inline (the request's Body). */
  input: { bucket: string; key: string } | undefined;
  output: string;
  failure: string;
}

function prepare(service: SageMakerService, location: AwsLocation, endpoint: string, req: IncomingMessage, inline: boolean): Plan {
  let described: JsonObject;
  try {
    described = service.describeEndpoint({ EndpointName: endpoint });
  } catch {
    throw endpointNotFound(endpoint, location);
  }
  const config = service.call('DescribeEndpointConfig', { EndpointConfigName: described['EndpointConfigName'] });
  const asyncConfig = config['AsyncInferenceConfig'];
  const outputConfig = isJsonObject(asyncConfig) && isJsonObject(asyncConfig['OutputConfig']) ? asyncConfig['OutputConfig'] : undefined;
  if (!outputConfig || typeof outputConfig['S3OutputPath'] !== 'string') {
    throw new SageMakerRuntimeError(
      'ValidationError',
      `Endpoint ${endpoint} of account ${location.accountId} is not configured for asynchronous inference: its endpoint config ${String(described['EndpointConfigName'])} has no AsyncInferenceConfig. Use InvokeEndpoint, or create the endpoint config with AsyncInferenceConfig.OutputConfig.S3OutputPath.`,
    );
  }
  if (described['EndpointStatus'] !== 'InService') {
    throw new SageMakerRuntimeError('ValidationError', `Endpoint ${endpoint} of account ${location.accountId} is not InService (it is ${String(described['EndpointStatus'])}).`);
  }
  const inputLocation = header(req, 'x-amzn-sagemaker-inputlocation');
  if (inputLocation === undefined && !inline) {
    throw new SageMakerRuntimeError('ValidationError', "1 validation error detected: Value null at 'inputLocation' failed to satisfy constraint: Member must not be null");
  }
  if (inputLocation !== undefined && inline) throw new SageMakerRuntimeError('ValidationError', 'Give either InputLocation or Body, not both.');
  let input: { bucket: string; key: string } | undefined;
  if (inputLocation !== undefined) {
    try {
      input = parseS3Uri(inputLocation);
    } catch (e) {
      if (e instanceof InvalidS3UriError) throw new SageMakerRuntimeError('ValidationError', `InputLocation ${e.message}`);
      throw e;
    }
    if (input.key === '') throw new SageMakerRuntimeError('ValidationError', `InputLocation ${inputLocation} names a bucket, not an object`);
  }
  if (header(req, 'x-amzn-sagemaker-filename') !== undefined) {
    throw new SageMakerRuntimeError('ValidationError', 'The local SageMaker runtime does not support Filename; the output is written to <InferenceId>.out');
  }
  const inferenceId = header(req, 'x-amzn-sagemaker-inference-id') ?? randomUUID();
  if (!INFERENCE_ID.test(inferenceId)) {
    throw new SageMakerRuntimeError('ValidationError', `1 validation error detected: Value '${inferenceId.slice(0, 80)}' at 'inferenceId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\A\\S[\\p{Print}]*\\z`);
  }
  const extension = header(req, 'x-amzn-sagemaker-s3outputpathextension') ?? '';
  if (extension.includes('..')) throw new SageMakerRuntimeError('ValidationError', 'S3OutputPathExtension may not contain ".."');
  const outputBase = outputConfig['S3OutputPath'];
  const failureBase = typeof outputConfig['S3FailurePath'] === 'string' ? outputConfig['S3FailurePath'] : outputBase;
  return {
    inferenceId,
    input,
    output: joinS3(outputBase, extension, `${inferenceId}.out`),
    failure: joinS3(failureBase, extension, `${inferenceId}-error.out`),
  };
}

async function run(
  service: SageMakerService,
  s3: S3Store,
  location: AwsLocation,
  endpoint: string,
  req: IncomingMessage,
  inline: Buffer,
  plan: Plan,
): Promise<void> {
  const fail = async (message: string) => {
    const where = parseS3Uri(plan.failure);
    await s3.putObject({ Bucket: where.bucket, Key: where.key, Body: message, ContentType: 'text/plain' });
  };
  let body = inline;
  if (plan.input) {
    const from = plan.input;
    try {
      const head = await s3.headObject({ Bucket: from.bucket, Key: from.key });
      if (head.ContentLength > MAX_ASYNC_INPUT_BYTES) return fail(`The input ${formatUri(from)} is larger than the 1 GB asynchronous inference allows.`);
      body = (await s3.getObject({ Bucket: from.bucket, Key: from.key })).Body;
    } catch (e) {
      if (isS3Error(e)) return fail(`Failed to download the input from ${formatUri(from)}: ${e.code}: ${e.message}`);
      throw e;
    }
  }
  const headers: Record<string, string> = {};
  const contentType = header(req, 'x-amzn-sagemaker-content-type');
  const accept = header(req, 'x-amzn-sagemaker-accept');
  const custom = header(req, 'x-amzn-sagemaker-custom-attributes');
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (accept !== undefined) headers['accept'] = accept;
  if (custom !== undefined) headers['x-amzn-sagemaker-custom-attributes'] = custom;
  headers['x-amzn-sagemaker-inference-id'] = plan.inferenceId;
  let answer;
  try {
    answer = await forwardInvocation(await serverUrl(service, endpoint, undefined, location), headers, body);
  } catch (e) {
    return fail(e instanceof SageMakerRuntimeError ? e.message : `The model server of endpoint ${endpoint} did not answer: ${(e as Error).message}`);
  }
  const errorType = answer.headers[ERROR_TYPE_HEADER];
  const passed = runtimeErrorOf(answer.status, typeof errorType === 'string' ? errorType : undefined, answer.body);
  if (passed) return fail(passed.message);
  if (answer.status < 200 || answer.status >= 300) return fail(modelError(answer.status, answer.body, endpoint, location).message);
  const out = parseS3Uri(plan.output);
  const type = answer.headers['content-type'];
  await s3.putObject({ Bucket: out.bucket, Key: out.key, Body: answer.body, ...(typeof type === 'string' ? { ContentType: type } : {}) });
}

function formatUri(l: { bucket: string; key: string }): string {
  return `s3://${l.bucket}/${l.key}`;
}
