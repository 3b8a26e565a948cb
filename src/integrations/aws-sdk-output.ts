/**
 * Shapes shared by the AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<action>`): Step
 * Functions calls the AWS SDK for Java v2 and serialises its response, so timestamps arrive as
 * `java.time.Instant` text ("2024-01-01T00:00:00Z", milliseconds only when non-zero) and errors are
 * named `<Service>.<ExceptionClass>` with the SDK's message as cause.
 */
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { runtimeError, States } from '../asl/errors.js';

/** `Instant.toString()` of an epoch-millisecond time. */
export function javaInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Replaces epoch-millisecond members named `...Time` / `...Timestamp` with Instant text, deeply. */
export function instantsAsText(v: Json): Json {
  if (Array.isArray(v)) return v.map(instantsAsText);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'number' && /(Time|Timestamp)$/.test(k) ? javaInstant(x) : instantsAsText(x);
  return out;
}

/** "describeTrainingJob" → "DescribeTrainingJob". */
export function apiName(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

/** Step Functions' refusal of Parameters that do not fit the API (States.Runtime, never caught by States.ALL). */
export function parametersRejected(parameters: Json, reason: string): Error {
  return runtimeError(States.Runtime, `The Parameters '${JSON.stringify(parameters)}' could not be used to start the Task: [${reason}]`);
}
