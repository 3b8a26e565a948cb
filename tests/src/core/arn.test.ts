import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArn } from '../../../src/core/arn.js';
import { parseResource } from '../../../src/integrations/resource-arn.js';
import { parseStatesArn } from '../../../src/engine/step-functions/requests.js';
import { nameFromArn } from '../../../src/emulators/sagemaker/service/arns.js';

test('an ARN splits into partition, service, region, account and a resource that may hold colons', () => {
  assert.deepEqual(parseArn('arn:aws:states:us-east-1:111111111111:execution:m:e'), {
    partition: 'aws',
    service: 'states',
    region: 'us-east-1',
    accountId: '111111111111',
    resource: 'execution:m:e',
  });
  assert.deepEqual(parseArn('arn:aws-us-gov:states:::sagemaker:createModel'), {
    partition: 'aws-us-gov',
    service: 'states',
    region: '',
    accountId: '',
    resource: 'sagemaker:createModel',
  });
});

test('what is not an ARN, or not the ARN a place needs, is refused', () => {
  for (const bad of ['', 'arn:aws:states', 'arn:AWS:states:us-east-1:1:x', 'arn:aws:states:US-EAST-1:1:x', 'arn:aws:states:us-east-1:12a:x', 'arn:aws:states:us-east-1:1:', 'urn:aws:states:::x']) {
    assert.equal(parseArn(bad), undefined, bad);
  }
  assert.equal(parseArn('arn:aws:lambda:us-east-1:123:function:f', { strictAccount: true }), undefined);
  assert.equal(parseArn('arn:aws:lambda::111111111111:function:f', { requireRegion: true }), undefined);
});

test('the parsers of Task resources, Step Functions ARNs and SageMaker ARNs keep their rules', () => {
  assert.equal(parseResource('arn:aws:lambda:us-east-1:111111111111:function:f:prod')?.legacyLambda, true);
  assert.equal(parseResource('arn:aws:lambda:us-east-1:1111:function:f'), undefined);
  assert.equal(parseResource('arn:aws:states:us-east-1:111111111111:activity:a')?.activity, true);
  assert.equal(parseResource('arn:aws:states:::sagemaker:createTrainingJob.sync')?.pattern, 'sync');
  assert.equal(parseResource('arn:aws:states:::aws-sdk:s3:getObject')?.service, 'aws-sdk:s3');
  assert.equal(parseResource('arn:aws:states:::sagemaker:createTrainingJob.sync\n'), undefined);
  assert.deepEqual(parseStatesArn('arn:aws:states:us-east-1:111111111111:execution:m:e', 'execution'), { machineName: 'm', executionName: 'e' });
  assert.throws(() => parseStatesArn('arn:aws:lambda:us-east-1:111111111111:function:f', 'stateMachine'), /Invalid ARN prefix/);
  assert.throws(() => parseStatesArn('arn:aws:states:us-east-1:111111111111:execution:m:e', 'stateMachine'), /Resource type not valid in this context: execution/);
  assert.equal(nameFromArn('arn:aws:sagemaker:us-east-1:111111111111:endpoint/census', 'endpoint'), 'census');
  assert.equal(nameFromArn('arn:aws:sagemaker:us-east-1:111111111111:model/census', 'endpoint'), undefined);
  assert.equal(nameFromArn('arn:aws:sagemaker:us-east-1:1111:endpoint/census', 'endpoint'), undefined);
});
