/**
 * The SageMaker scikit-learn 1.2-1 image in a CDK stack: a literal URI for a known region, or a
 * per-region mapping. The table and plain URIs live in src/core/sklearn-image.ts (local runs use
 * them too, without loading the CDK).
 */
import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { sklearnImageAccount, sklearnImageTable, sklearnImageUri, xgboostImageUri } from '../core/sklearn-image.js';

export interface ImageLocation {
  /** The image URI (a token when the stack's region is decided at deploy time). */
  uri: string;
  /** The account that hosts the image's ECR repository. */
  account: string;
  repository: string;
}

/**
 * The image for the stack's region: literal when the region is known at synth time, otherwise a
 * CloudFormation mapping looked up with `AWS::Region` so one template serves every listed region.
 */
export function sklearnImageFor(scope: Construct): ImageLocation {
  const stack = Stack.of(scope);
  const t = sklearnImageTable();
  if (!Token.isUnresolved(stack.region)) {
    return { uri: sklearnImageUri(stack.region), account: sklearnImageAccount(stack.region), repository: t.repository };
  }
  const mapping: Record<string, Record<string, string>> = {};
  for (const [region, account] of Object.entries(t.accounts)) mapping[region] = { account };
  const existing = stack.node.tryFindChild('SklearnImageAccounts') as CfnMapping | undefined;
  const accounts = existing ?? new CfnMapping(stack, 'SklearnImageAccounts', { mapping });
  const account = accounts.findInMap(Aws.REGION, 'account');
  return {
    uri: Fn.join('', [account, '.dkr.ecr.', Aws.REGION, '.', Aws.URL_SUFFIX, `/${t.repository}:${t.tag}`]),
    account,
    repository: t.repository,
  };
}

/**
 * The SageMaker XGBoost 1.7-1 image (XGBOOST_IMAGE_URI) beside the scikit-learn one. SageMaker
 * publishes both from the same account in every region the scikit-learn row lists (checked by
 * tests against data/runtimes.json), so the URI reuses that account: a literal for a known region,
 * else the same mapping.
 */
export function xgboostImageFor(scope: Construct, sklearn: ImageLocation): ImageLocation {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    return { uri: xgboostImageUri(stack.region), account: sklearn.account, repository: XGBOOST_REPOSITORY };
  }
  return {
    uri: Fn.join('', [sklearn.account, '.dkr.ecr.', Aws.REGION, '.', Aws.URL_SUFFIX, `/${XGBOOST_REPOSITORY}:${XGBOOST_TAG}`]),
    account: sklearn.account,
    repository: XGBOOST_REPOSITORY,
  };
}

const XGBOOST_REPOSITORY = 'sagemaker-xgboost';
const XGBOOST_TAG = '1.7-1';

export { sklearnImageAccount, sklearnImageTable, sklearnImageUri, urlSuffixFor, type ImageAccountTable } from '../core/sklearn-image.js';
