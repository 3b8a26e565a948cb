/**
 * The SageMaker scikit-learn 1.2-1 image URI for the deployment's region. The seed resolved it
 * with the SageMaker Python SDK at deploy time; we keep the SDK's per-region account table as data
 * (the scikit-learn row of data/runtimes.json, which local runs use too) so synth needs neither
 * Python nor the network.
 */
import { UserError } from './errors.js';
import { imageAccount, imageUri, runtimeRow, urlSuffixFor, type RuntimeRow } from './runtime-images.js';

export { urlSuffixFor };

export interface ImageAccountTable {
  repository: string;
  tag: string;
  /** Region → 12-digit account. */
  accounts: Record<string, string>;
}

const SKLEARN_REPOSITORY = 'sagemaker-scikit-learn';

function sklearnRow(): RuntimeRow {
  const row = runtimeRow(SKLEARN_REPOSITORY);
  if (row === undefined) throw new Error(`data/runtimes.json has no ${SKLEARN_REPOSITORY} row`);
  return row;
}

export function sklearnImageTable(): ImageAccountTable {
  const row = sklearnRow();
  return { repository: row.repository, tag: row.defaultTag, accounts: { ...row.accounts } };
}

export function sklearnImageAccount(region: string): string {
  const row = sklearnRow();
  const account = imageAccount(row, region);
  if (account === undefined) {
    throw new UserError(
      `no SageMaker scikit-learn 1.2-1 image is known for region ${JSON.stringify(region)} (data/runtimes.json lists ${Object.keys(row.accounts).length} regions)`,
      'UNSUPPORTED_REGION',
    );
  }
  return account;
}

/** `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3` for us-east-1. */
export function sklearnImageUri(region: string): string {
  sklearnImageAccount(region);
  return imageUri(sklearnRow(), region)!;
}

/** The SageMaker XGBoost 1.7-1 image for a region (its row of data/runtimes.json), e.g. for XGBOOST_IMAGE_URI. */
export function xgboostImageUri(region: string): string {
  const row = runtimeRow('sagemaker-xgboost');
  const uri = row === undefined ? undefined : imageUri(row, region);
  if (uri === undefined) {
    throw new UserError(`no SageMaker XGBoost 1.7-1 image is known for region ${JSON.stringify(region)} (data/runtimes.json)`, 'UNSUPPORTED_REGION');
  }
  return uri;
}
