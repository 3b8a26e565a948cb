import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { sklearnImageTable, sklearnImageUri, urlSuffixFor } from '../../../src/infra/sklearn-image.js';
import { xgboostImageUri } from '../../../src/core/sklearn-image.js';

test("us-east-1 resolves to the seed's image URI", () => {
  assert.equal(sklearnImageUri('us-east-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
});

test('other partitions use their own DNS suffix', () => {
  assert.equal(sklearnImageUri('cn-north-1'), '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-scikit-learn:1.2-1-cpu-py3');
  assert.equal(sklearnImageUri('us-gov-west-1'), '414596584902.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
  assert.equal(sklearnImageUri('us-iso-east-1'), '833128469047.dkr.ecr.us-iso-east-1.c2s.ic.gov/sagemaker-scikit-learn:1.2-1-cpu-py3');
});

test('the table holds one 12-digit account per region', () => {
  const t = sklearnImageTable();
  assert.equal(Object.keys(t.accounts).length, 35);
  for (const [region, account] of Object.entries(t.accounts)) {
    assert.match(region, /^[a-z]{2}(-[a-z]+)+-\d$/);
    assert.match(account, /^\d{12}$/);
  }
  assert.equal(t.accounts['eu-west-1'], '141502667606');
});

test('a region without the image is a clear error', () => {
  assert.throws(() => sklearnImageUri('xx-nowhere-1'), (e: unknown) => e instanceof UserError && /no SageMaker scikit-learn 1\.2-1 image is known for region "xx-nowhere-1"/.test(e.message));
});

test('the XGBoost 1.7-1 image comes from the scikit-learn image\'s account in every region that lists it (the CDK stack reuses that account)', () => {
  const t = sklearnImageTable();
  for (const [region, account] of Object.entries(t.accounts)) {
    assert.equal(xgboostImageUri(region), `${account}.dkr.ecr.${region}.${urlSuffixFor(region)}/sagemaker-xgboost:1.7-1`);
  }
});
