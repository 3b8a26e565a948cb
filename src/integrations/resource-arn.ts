/**
 * Parses a Task `Resource` into what the engine needs to route it and to report it in history as
 * AWS does (resourceType/resource), plus the integration pattern.
 */
import { parseArn } from '../core/arn.js';
export type IntegrationPattern = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';

export interface ParsedResource {
  /** e.g. "lambda", "sagemaker", "aws-sdk:s3", "states". Legacy Lambda function ARNs are "lambda". */
  service: string;
  /** The API action, e.g. "invoke", "createTrainingJob", "getObject"; a legacy Lambda ARN's function ARN. */
  action: string;
  pattern: IntegrationPattern;
  /** AWS's history fields. */
  resourceType: string;
  resource: string;
  /** True for `arn:aws:lambda:...:function:...` used directly as the Resource. */
  legacyLambda: boolean;
  /** True for activity ARNs. */
  activity: boolean;
}

/** A function ARN's resource part: `function:<name>[:<version or alias>]`. */
const LAMBDA_FUNCTION = /^function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const ACTIVITY = /^activity:.+$/;

export function parseResource(resource: string): ParsedResource | undefined {
  // Lambda functions and activities are resources of a real account and region.
  const located = parseArn(resource, { strictAccount: true, requireRegion: true });
  if (located?.service === 'lambda' && LAMBDA_FUNCTION.test(located.resource)) {
    return { service: 'lambda', action: resource, pattern: 'request-response', resourceType: 'lambda', resource, legacyLambda: true, activity: false };
  }
  if (located?.service === 'states' && ACTIVITY.test(located.resource)) {
    return { service: 'activity', action: resource, pattern: 'request-response', resourceType: 'activity', resource, legacyLambda: false, activity: true };
  }
  const arn = parseArn(resource);
  if (arn?.service !== 'states') return undefined;
  const rest = arn.resource;
  const sdk = /^aws-sdk:([a-z0-9-]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/.exec(rest);
  if (sdk) {
    const pattern: IntegrationPattern = sdk[3] ? 'waitForTaskToken' : 'request-response';
    return {
      service: `aws-sdk:${sdk[1]}`,
      action: sdk[2]!,
      pattern,
      resourceType: `aws-sdk:${sdk[1]}`,
      resource: sdk[2]! + (sdk[3] ?? ''),
      legacyLambda: false,
      activity: false,
    };
  }
  const opt = /^([a-z0-9-]+):([A-Za-z0-9]+)(\.sync:2|\.sync|\.waitForTaskToken)?$/.exec(rest);
  if (!opt) return undefined;
  const suffix = opt[3] ?? '';
  const pattern: IntegrationPattern =
    suffix === '.sync' ? 'sync' : suffix === '.sync:2' ? 'sync:2' : suffix === '.waitForTaskToken' ? 'waitForTaskToken' : 'request-response';
  return {
    service: opt[1]!,
    action: opt[2]!,
    pattern,
    resourceType: opt[1]!,
    resource: opt[2]! + suffix,
    legacyLambda: false,
    activity: false,
  };
}
