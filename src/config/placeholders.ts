/**
 * The seed's placeholders: words written in the pipeline file that the deployment fills in, so
 * one file works in every account and locally.
 *
 * - MLOPS_BUCKET, MODEL_NAME, IMAGE_URI, SAGEMAKER_EXECUTION_ROLE, AWS_REGION_NAME: values of
 *   the deployment (the CDK stack's outputs in AWS; local defaults when run locally).
 * - XGBOOST_IMAGE_URI: the SageMaker XGBoost 1.7-1 image of the deployment's region (locally, and
 *   by the deployed trigger, whose XGBOOST_IMAGE_URI the CDK stack sets).
 * - SFN_EXECUTION_ID: the execution name, chosen when a run starts
 *   (`<job_prefix>-<model_id>-<epoch seconds>`), so S3 paths can be unique per run.
 *
 * A placeholder is replaced where it stands as a whole word inside any string value
 * (`s3://MLOPS_BUCKET/demo` → `s3://my-bucket/demo`), as the seed's trigger did by plain text
 * replacement; `MLOPS_BUCKET_2` is left alone.
 */
import { mapJsonStrings, type Json } from '../core/json.js';

/** What a deployment knows and a pipeline file may refer to. */
export interface DeploymentValues {
  /** MLOPS_BUCKET: the bucket for scripts, data and model artifacts. */
  bucket: string;
  /** MODEL_NAME: the Seed-Farmer `model-name` parameter (default "demo"). */
  modelName: string;
  /** IMAGE_URI: the SageMaker scikit-learn image. */
  imageUri: string;
  /** XGBOOST_IMAGE_URI: the SageMaker XGBoost 1.7-1 image, where the deployment provides it. */
  xgboostImageUri?: string;
  /** SAGEMAKER_EXECUTION_ROLE: the role SageMaker jobs run with. */
  roleArn: string;
  /** AWS_REGION_NAME. */
  region: string;
}

export const DEPLOYMENT_PLACEHOLDERS = {
  MLOPS_BUCKET: 'bucket',
  MODEL_NAME: 'modelName',
  IMAGE_URI: 'imageUri',
  XGBOOST_IMAGE_URI: 'xgboostImageUri',
  SAGEMAKER_EXECUTION_ROLE: 'roleArn',
  AWS_REGION_NAME: 'region',
} as const satisfies Record<string, keyof DeploymentValues>;

export const EXECUTION_PLACEHOLDER = 'SFN_EXECUTION_ID';

export type PlaceholderName = keyof typeof DEPLOYMENT_PLACEHOLDERS | typeof EXECUTION_PLACEHOLDER;

export const PLACEHOLDER_NAMES: readonly PlaceholderName[] = [...(Object.keys(DEPLOYMENT_PLACEHOLDERS) as PlaceholderName[]), EXECUTION_PLACEHOLDER];

/** Values that pass every format check, used to validate strings that still hold placeholders. */
export const SAMPLE_VALUES: Readonly<Record<PlaceholderName, string>> = {
  MLOPS_BUCKET: 'mlops-bucket',
  MODEL_NAME: 'demo',
  IMAGE_URI: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  XGBOOST_IMAGE_URI: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  SAGEMAKER_EXECUTION_ROLE: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  AWS_REGION_NAME: 'us-east-1',
  SFN_EXECUTION_ID: 'mlops-demo-1700000000',
};

const ALL = new RegExp(`(?<![A-Za-z0-9_])(${PLACEHOLDER_NAMES.join('|')})(?![A-Za-z0-9_])`, 'g');

export function containsPlaceholder(s: string): boolean {
  ALL.lastIndex = 0;
  return ALL.test(s);
}

/** `s` with every placeholder replaced by the given values (missing ones are left as written). */
export function replacePlaceholders(s: string, values: Partial<Record<PlaceholderName, string>>): string {
  return s.replace(ALL, (m) => values[m as PlaceholderName] ?? m);
}

/** `s` with placeholders replaced by values that pass format checks, for validating before a deployment exists. */
export function withSampleValues(s: string): string {
  return replacePlaceholders(s, SAMPLE_VALUES);
}

/** A deep copy of `value` with placeholders replaced in every string (keys are left alone). */
export function fillPlaceholders<T extends Json>(value: T, values: Partial<Record<PlaceholderName, string>>): T {
  return mapJsonStrings(value, (s) => replacePlaceholders(s, values)) as T;
}

/** The placeholder → value table for a deployment (a value it does not provide is left as written). */
export function deploymentPlaceholderValues(d: DeploymentValues): Partial<Record<keyof typeof DEPLOYMENT_PLACEHOLDERS, string>> {
  const out: Partial<Record<keyof typeof DEPLOYMENT_PLACEHOLDERS, string>> = {};
  for (const [name, field] of Object.entries(DEPLOYMENT_PLACEHOLDERS) as [keyof typeof DEPLOYMENT_PLACEHOLDERS, keyof DeploymentValues][]) {
    const value = d[field];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Replaces SFN_EXECUTION_ID (only) with the execution name. */
export function withExecutionName<T extends Json>(value: T, executionName: string): T {
  return fillPlaceholders(value, { SFN_EXECUTION_ID: executionName });
}
