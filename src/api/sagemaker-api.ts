/**
 * The SageMaker control plane's read side over AWS JSON 1.1 (`X-Amz-Target: SageMaker.<Action>`):
 * Describe* and List* through the same local service the `aws-sdk:sagemaker:*` Task integration
 * calls. Changes (Create*, Update*, Delete*, Stop*) belong to the pipeline, not to this API.
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

/** The service keeps times as epoch milliseconds; the JSON protocol sends epoch seconds. */
function secondsForTimes(v: Json): Json {
  if (Array.isArray(v)) return v.map(secondsForTimes);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'number' && /(Time|Timestamp)$/.test(k) ? x / 1000 : secondsForTimes(x);
  return out;
}

export function handleSageMaker(service: SageMakerService, action: string, body: Buffer, res: ServerResponse): void {
  if (!/^(Describe|List)[A-Za-z]+$/.test(action) || !service.has(action)) {
    sendJsonError(res, 400, CONTENT_TYPE, 'UnknownOperationException', `The local SageMaker API answers Describe* and List* calls only; ${action} is not one of them.`);
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
    send(res, 200, { 'Content-Type': CONTENT_TYPE }, JSON.stringify(secondsForTimes(service.call(action, input))));
  } catch (e) {
    if (isSageMakerError(e)) return sendJsonError(res, e.statusCode, CONTENT_TYPE, `${NAMESPACE}#${e.code}`, e.message);
    throw e;
  }
}
