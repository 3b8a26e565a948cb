/**
 * An endpoint configuration's DataCaptureConfig as the capture writer uses it, and the summary
 * DescribeEndpoint shows for it (DataCaptureConfigSummary).
 *
 * SageMaker's rules (API reference, DataCaptureConfig / CaptureContentTypeHeader):
 *  - EnableCapture defaults to true; InitialSamplingPercentage 0..100 is the share of requests kept;
 *  - CaptureOptions lists Input, Output or InputAndOutput (1..32 entries);
 *  - a body whose content type is in CsvContentTypes is kept as text with encoding "CSV", one in
 *    JsonContentTypes as text with encoding "JSON", anything else base64 with encoding "BASE64"
 *    ("If no headers are specified SageMaker will by default base64 encode"). AWS's own sample shows
 *    an output of `text/csv; charset=utf-8` kept as CSV, so the match is on the media type, without
 *    parameters and case-insensitively.
 */
import type { Json, JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import { parseS3Uri } from '../../s3/index.js';

export interface CaptureSettings {
  enabled: boolean;
  /** 0..100. */
  samplingPercentage: number;
  captureInput: boolean;
  captureOutput: boolean;
  bucket: string;
  /** The key prefix under which `<endpoint>/<variant>/yyyy/mm/dd/hh/` go ('' or ending without '/'). */
  prefix: string;
  destinationS3Uri: string;
  kmsKeyId?: string;
  /** Lower-cased media types. */
  csvTypes: ReadonlySet<string>;
  jsonTypes: ReadonlySet<string>;
}

/** Why a DataCaptureConfig cannot be used locally (its shape is checked by the request shape). */
export class CaptureConfigError extends Error {}

/** The destination as bucket and key prefix: `s3://bucket/prefix` (https:// S3 URLs in path or virtual-host style too). */
export function parseDestination(uri: string): { bucket: string; prefix: string } {
  let bucket: string;
  let key: string;
  if (uri.startsWith('https://')) {
    const u = new URL(uri);
    const host = /^(?:(.+)\.)?s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com(?:\.cn)?$/.exec(u.hostname);
    if (!host) throw new CaptureConfigError(`DestinationS3Uri ${uri} is not an S3 location; use s3://<bucket>/<prefix>`);
    const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (host[1]) {
      bucket = host[1];
      key = path;
    } else {
      const slash = path.indexOf('/');
      bucket = slash < 0 ? path : path.slice(0, slash);
      key = slash < 0 ? '' : path.slice(slash + 1);
    }
  } else {
    try {
      ({ bucket, key } = parseS3Uri(uri));
    } catch (e) {
      throw new CaptureConfigError(`DestinationS3Uri ${uri} is not a valid S3 URI: ${(e as Error).message}`);
    }
  }
  return { bucket, prefix: key.replace(/\/+$/, '') };
}

/** The media type of a Content-Type header: lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

function stringList(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The settings of a DataCaptureConfig already checked against its request shape. Throws CaptureConfigError. */
export function captureSettings(config: JsonObject): CaptureSettings {
  const destination = String(config['DestinationS3Uri'] ?? '');
  const { bucket, prefix } = parseDestination(destination);
  const modes = new Set(
    (Array.isArray(config['CaptureOptions']) ? config['CaptureOptions'] : []).map((o) => (isJsonObject(o) ? String(o['CaptureMode']) : '')),
  );
  const header = isJsonObject(config['CaptureContentTypeHeader']) ? config['CaptureContentTypeHeader'] : {};
  const settings: CaptureSettings = {
    enabled: config['EnableCapture'] !== false,
    samplingPercentage: typeof config['InitialSamplingPercentage'] === 'number' ? config['InitialSamplingPercentage'] : 0,
    captureInput: modes.has('Input') || modes.has('InputAndOutput'),
    captureOutput: modes.has('Output') || modes.has('InputAndOutput'),
    bucket,
    prefix,
    destinationS3Uri: destination,
    csvTypes: new Set(stringList(header['CsvContentTypes']).map(mediaType)),
    jsonTypes: new Set(stringList(header['JsonContentTypes']).map(mediaType)),
  };
  if (typeof config['KmsKeyId'] === 'string') settings.kmsKeyId = config['KmsKeyId'];
  return settings;
}

/** DescribeEndpoint's DataCaptureConfig (DataCaptureConfigSummary; every member is required there). */
export function captureSummary(config: JsonObject): JsonObject {
  const enabled = config['EnableCapture'] !== false;
  return {
    EnableCapture: enabled,
    CaptureStatus: enabled ? 'Started' : 'Stopped',
    CurrentSamplingPercentage: typeof config['InitialSamplingPercentage'] === 'number' ? config['InitialSamplingPercentage'] : 0,
    DestinationS3Uri: String(config['DestinationS3Uri'] ?? ''),
    KmsKeyId: typeof config['KmsKeyId'] === 'string' ? config['KmsKeyId'] : '',
  };
}
