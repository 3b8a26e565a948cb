/**
 * One captured invocation as SageMaker writes it: a single JSON line
 *
 *   {"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"1,2\n","encoding":"CSV"},
 *                   "endpointOutput":{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"0.25","encoding":"CSV"}},
 *    "eventMetadata":{"eventId":"<uuid>","inferenceId":"<X-Amzn-SageMaker-Inference-Id>","inferenceTime":"2026-12-08T01:02:03Z"},
 *    "eventVersion":"0"}
 *
 * (member names, order and values as in the Developer Guide's "View captured data" sample;
 * inferenceId only when the request carried one). `data` is always a string: the body as text for
 * CSV and JSON, base64 otherwise; a body that is not valid UTF-8 is kept as BASE64 whatever its type,
 * since it cannot be written as JSON text without changing it.
 */
import { randomUUID } from 'node:crypto';
import { mediaType, type CaptureSettings } from './capture-config.js';

export interface CapturedExchange {
  request: { body: Uint8Array; contentType?: string };
  response: { body: Uint8Array; contentType?: string };
  /** X-Amzn-SageMaker-Inference-Id, when the caller sent one. */
  inferenceId?: string;
  /** Epoch milliseconds of the invocation. */
  at: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function payload(
  body: Uint8Array,
  contentType: string | undefined,
  mode: 'INPUT' | 'OUTPUT',
  s: CaptureSettings,
): { observedContentType: string; mode: string; data: string; encoding: string } {
  const type = mediaType(contentType);
  const textual = s.csvTypes.has(type) ? 'CSV' : s.jsonTypes.has(type) ? 'JSON' : undefined;
  if (textual !== undefined) {
    try {
      return { observedContentType: contentType ?? '', mode, data: utf8.decode(body), encoding: textual };
    } catch {
      // Not UTF-8: kept byte for byte as base64 below.
    }
  }
  return { observedContentType: contentType ?? '', mode, data: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'), encoding: 'BASE64' };
}

/** SageMaker's inferenceTime: UTC to the second, e.g. 2022-02-14T17:25:49Z. */
export function inferenceTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The capture line for one invocation (without its newline). */
export function captureLine(x: CapturedExchange, s: CaptureSettings, eventId: string = randomUUID()): string {
  const captureData: Record<string, unknown> = {};
  if (s.captureInput) captureData['endpointInput'] = payload(x.request.body, x.request.contentType, 'INPUT', s);
  if (s.captureOutput) captureData['endpointOutput'] = payload(x.response.body, x.response.contentType, 'OUTPUT', s);
  const eventMetadata: Record<string, string> = { eventId };
  if (x.inferenceId !== undefined) eventMetadata['inferenceId'] = x.inferenceId;
  eventMetadata['inferenceTime'] = inferenceTime(x.at);
  return JSON.stringify({ captureData, eventMetadata, eventVersion: '0' });
}
