/**
 * The SageMaker control plane over AWS JSON 1.1 (`X-Amz-Target: SageMaker.<Action>`): every action
 * of the local service (Create/Describe/List/Stop/Delete of jobs, models, endpoint configs,
 * endpoints, the model registry, tags) through the same service the `sagemaker:*` Task
 * integrations call, so a job started from boto3 runs exactly as one a state machine starts.
 */
import type { ServerResponse } from 'node:http';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { isSageMakerError, type SageMakerService } from '../emulators/sagemaker/service/index.js';
import { send, sendJsonError } from './http-io.js';

export const SAGEMAKER_TARGET_PREFIX = 'SageMaker.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const NAMESPACE = 'com.amazonaws.sagemaker';
export const SAGEMAKER_BODY_LIMIT = 1024 * 1024;

const TIME_FIELD = /(Time|Timestamp|TimeAfter|TimeBefore)$/;

/**
 * The service keeps times as epoch milliseconds; the JSON protocol carries epoch seconds both ways
 * (responses' CreationTime, requests' CreationTimeAfter filters).
 */
function convertTimes(v: Json, convert: (n: number) => number): Json {
  if (Array.isArray(v)) return v.map((x) => convertTimes(x, convert));
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'number' && TIME_FIELD.test(k) ? convert(x) : convertTimes(x, convert);
  return out;
}

export function handleSageMaker(service: SageMakerService, action: string, body: Buffer, res: ServerResponse): void {
  if (!service.has(action)) {
    sendJsonError(res, 400, CONTENT_TYPE, 'UnknownOperationException', `The local SageMaker API does not implement ${action}.`);
    return;
  }
  let input: Json;
  try {
    input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Json);
  } catch {
    sendJsonError(res, 400, CONTENT_TYPE, 'SerializationException', 'The request body is not valid JSON.');
    return;
  }
  try {
    send(res, 200, { 'Content-Type': CONTENT_TYPE }, JSON.stringify(convertTimes(service.call(action, convertTimes(input, (s) => s * 1000)), (ms) => ms / 1000)));
  } catch (e) {
    if (isSageMakerError(e)) return sendJsonError(res, e.statusCode, CONTENT_TYPE, `${NAMESPACE}#${e.code}`, e.message);
    throw e;
  }
}
