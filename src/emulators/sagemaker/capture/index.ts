/**
 * Endpoint data capture (Model Monitor's input): an endpoint configuration's DataCaptureConfig turns
 * each sampled InvokeEndpoint call into one JSON line in SageMaker's format, written under
 * `<DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/` in the local S3.
 *
 *   const writer = new CaptureWriter({ s3 });
 *   writer.add(endpoint, variant, captureSettings(config), { request, response, inferenceId, at });
 *   await writer.close();   // writes what is pending
 */
export { captureSettings, captureSummary, parseDestination, mediaType, CaptureConfigError, type CaptureSettings } from './capture-config.js';
export { captureLine, inferenceTime, type CapturedExchange } from './capture-record.js';
export { CaptureWriter, captureFileKey, type CaptureWriterOptions } from './capture-writer.js';
