/** SageMaker resource kinds and their ARNs (the name part is lower-cased, as SageMaker does). */
import { formatArn, parseArn, type AwsLocation } from '../../../core/arn.js';

export type ResourceKind =
  | 'processing-job'
  | 'training-job'
  | 'transform-job'
  | 'model'
  | 'endpoint-config'
  | 'endpoint'
  | 'model-package-group'
  | 'model-package';

export type JobKind = 'processing-job' | 'training-job' | 'transform-job';

export function sagemakerArn(loc: AwsLocation, kind: ResourceKind, name: string): string {
  return formatArn(loc, 'sagemaker', `${kind}/${name.toLowerCase()}`);
}

/** The name part of a SageMaker ARN of the given kind, or undefined when `s` is not such an ARN. */
export function nameFromArn(s: string, kind: ResourceKind): string | undefined {
  const arn = parseArn(s, { strictAccount: true });
  const m = arn?.service === 'sagemaker' ? /^([a-z-]+)\/(.+)$/.exec(arn.resource) : null;
  return m && m[1] === kind ? m[2] : undefined;
}
