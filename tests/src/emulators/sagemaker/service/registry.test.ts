import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../../../src/core/json.js';
import { harness, IMAGE } from '../../../../support/sagemaker-service.js';

const inference = { Containers: [{ Image: IMAGE, ModelDataUrl: 's3://b/model.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] };
const metrics = { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://b/evaluation.json' } } };

test('model packages in a group are versioned 1..n and start PendingManualApproval', async () => {
  const h = harness();
  assert.deepEqual(h.sm.call('CreateModelPackageGroup', { ModelPackageGroupName: 'census', ModelPackageGroupDescription: 'census models' }), {
    ModelPackageGroupArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/census',
  });
  assert.throws(() => h.sm.call('CreateModelPackageGroup', { ModelPackageGroupName: 'Census' }), /Model Package Group already exists/);
  const arns = [1, 2, 3].map(
    (i) => h.sm.call('CreateModelPackage', { ModelPackageGroupName: 'census', InferenceSpecification: inference, ModelMetrics: metrics, CustomerMetadataProperties: { run: String(i) } })['ModelPackageArn'],
  );
  assert.deepEqual(arns, [1, 2, 3].map((i) => `arn:aws:sagemaker:us-east-1:111111111111:model-package/census/${i}`));
  const d = h.sm.call('DescribeModelPackage', { ModelPackageName: 'census/2' });
  assert.equal(d['ModelPackageGroupName'], 'census');
  assert.equal(d['ModelPackageName'], 'census');
  assert.equal(d['ModelPackageVersion'], 2);
  assert.equal(d['ModelApprovalStatus'], 'PendingManualApproval');
  assert.equal(d['ModelPackageStatus'], 'Completed');
  assert.deepEqual(d['ModelMetrics'], metrics);
  assert.deepEqual(h.sm.call('DescribeModelPackage', { ModelPackageName: arns[1]! }), d);
  const g = h.sm.call('DescribeModelPackageGroup', { ModelPackageGroupName: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/census' });
  assert.equal(g['ModelPackageGroupStatus'], 'Completed');
  await h.close();
});

test('UpdateModelPackage approves and rejects, and merges or removes customer metadata', async () => {
  const h = harness();
  h.sm.call('CreateModelPackageGroup', { ModelPackageGroupName: 'g' });
  const a = h.sm.call('CreateModelPackage', { ModelPackageGroupName: 'g', InferenceSpecification: inference, CustomerMetadataProperties: { accuracy: '0.81', owner: 'ml' } })['ModelPackageArn'] as string;
  h.sm.call('CreateModelPackage', { ModelPackageGroupName: 'g', InferenceSpecification: inference, ModelApprovalStatus: 'Approved' });
  assert.deepEqual(
    h.sm.call('UpdateModelPackage', { ModelPackageArn: a, ModelApprovalStatus: 'Rejected', ApprovalDescription: 'too weak', CustomerMetadataProperties: { reviewer: 'me' }, CustomerMetadataPropertiesToRemove: ['owner'] }),
    { ModelPackageArn: a },
  );
  const d = h.sm.call('DescribeModelPackage', { ModelPackageName: a });
  assert.equal(d['ModelApprovalStatus'], 'Rejected');
  assert.equal(d['ApprovalDescription'], 'too weak');
  assert.deepEqual(d['CustomerMetadataProperties'], { accuracy: '0.81', reviewer: 'me' });
  const list = (q: JsonObject) => (h.sm.call('ListModelPackages', q)['ModelPackageSummaryList'] as JsonObject[]).map((s) => [s['ModelPackageVersion'], s['ModelApprovalStatus']]);
  assert.deepEqual(list({ ModelPackageGroupName: 'g' }), [[1, 'Rejected'], [2, 'Approved']]);
  assert.deepEqual(list({ ModelPackageGroupName: 'g', ModelApprovalStatus: 'Approved' }), [[2, 'Approved']]);
  assert.deepEqual(list({ ModelPackageGroupName: 'g', SortOrder: 'Descending', MaxResults: 1 }), [[2, 'Approved']]);
  assert.throws(() => h.sm.call('UpdateModelPackage', { ModelPackageArn: a, ModelApprovalStatus: 'Maybe' }), /Member must satisfy enum value set: \[Approved, Rejected, PendingManualApproval\]/);
  await h.close();
});

test('packages need an existing group; groups are listed', async () => {
  const h = harness();
  assert.throws(
    () => h.sm.call('CreateModelPackage', { ModelPackageGroupName: 'ghost', InferenceSpecification: inference }),
    (e: Error) => e.name === 'ValidationException' && e.message === 'ModelPackageGroup ghost does not exist.',
  );
  assert.throws(() => h.sm.call('DescribeModelPackage', { ModelPackageName: 'ghost/1' }), /ModelPackage arn:aws:sagemaker:us-east-1:111111111111:model-package\/ghost\/1 does not exist\./);
  for (const n of ['b-group', 'a-group']) h.sm.call('CreateModelPackageGroup', { ModelPackageGroupName: n });
  const names = (q: JsonObject) => (h.sm.call('ListModelPackageGroups', q)['ModelPackageGroupSummaryList'] as JsonObject[]).map((s) => s['ModelPackageGroupName']);
  assert.deepEqual(names({ SortBy: 'Name' }), ['a-group', 'b-group']);
  await h.close();
});
