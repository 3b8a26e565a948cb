/**
 * What the optimized integrations of services called through the AWS SDK for Java v1 (SNS, DynamoDB,
 * ...) add to every result: `SdkHttpMetadata` (the HTTP answer's headers, every value also as a
 * one-element list under AllHttpHeaders, and the status) and `SdkResponseMetadata` (the request id),
 * and how their errors read: `<message> (Service: <client>; Status Code: <n>; Error Code: <code>;
 * Request ID: <id>; Proxy: null)`. Recorded on AWS (LocalStack's snapshots of sns:publish and
 * dynamodb:putItem/getItem histories).
 */
import type { JsonObject } from '../core/json.js';

/** The service's HTTP answer headers, in the order AWS's recordings list them. */
export function sdkHttpMetadata(headers: [string, string][], requestId: string): JsonObject {
  const all: JsonObject = {};
  for (const [k, v] of headers) all[k] = [v];
  const sorted = [...headers].sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: Object.fromEntries(sorted), HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** The AWS SDK for Java v1's text of a service error, as optimized integrations give it as the cause. */
export function javaV1Cause(message: string, client: string, status: number, code: string, requestId: string): string {
  return `${message} (Service: ${client}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;
}

/** `Tue, 08 Dec 2026 00:40:00 GMT`, an HTTP Date header. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
