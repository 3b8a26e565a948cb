import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../../src/core/json.js';
import { permissionsForDefinition, taskUses, UnmappedResourceError, type Grant, type PermissionTargets } from '../../../src/infra/definition-permissions.js';

const targets: PermissionTargets = {
  arn: (service, resource) => `arn:aws:${service}:eu-west-1:123456789012:${resource}`,
  bucketArn: 'arn:aws:s3:::pipeline-bucket',
  sageMakerRoleArn: 'arn:aws:iam::123456789012:role/sm',
  functions: { ApprovalFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:approval' },
  topics: { ApprovalTopicArn: 'arn:aws:sns:eu-west-1:123456789012:approvals' },
};

function task(resource: string, parameters: JsonObject = {}, next?: string): JsonObject {
  return { Type: 'Task', Resource: resource, Parameters: parameters, ...(next ? { Next: next } : { End: true }) };
}

function machine(states: Record<string, JsonObject>): JsonObject {
  return { StartAt: Object.keys(states)[0]!, States: states };
}

function bySid(grants: Grant[]): Record<string, Grant> {
  return Object.fromEntries(grants.map((g) => [g.sid, g]));
}

test('finds Task states inside Parallel branches and Map processors', () => {
  const def = machine({
    P: {
      Type: 'Parallel',
      Branches: [machine({ A: task('arn:aws:states:::sagemaker:createModel') })],
      Next: 'M',
    },
    M: { Type: 'Map', ItemProcessor: machine({ B: task('arn:aws:states:::aws-sdk:s3:getObject') }), Next: 'I' },
    I: { Type: 'Map', Iterator: machine({ C: task('arn:aws:states:::sns:publish') }), End: true },
  });
  assert.deepEqual(
    taskUses(def).map((u) => [u.state, u.resource]),
    [
      ['A', 'arn:aws:states:::sagemaker:createModel'],
      ['B', 'arn:aws:states:::aws-sdk:s3:getObject'],
      ['C', 'arn:aws:states:::sns:publish'],
    ],
  );
});

test('.sync SageMaker jobs get create/describe/stop, tags, the managed event rule and PassRole', () => {
  const g = bySid(
    permissionsForDefinition(
      machine({
        Pre: task('arn:aws:states:::sagemaker:createProcessingJob.sync', {}, 'Train'),
        Train: task('arn:aws:states:::sagemaker:createTrainingJob.sync', {}, 'Batch'),
        Batch: task('arn:aws:states:::sagemaker:createTransformJob.sync'),
      }),
      targets,
    ),
  );
  assert.deepEqual(g['RunTrainingJobs'], {
    sid: 'RunTrainingJobs',
    actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags', 'sagemaker:ListTags'],
    resources: ['arn:aws:sagemaker:eu-west-1:123456789012:training-job/*'],
    wildcardReason: g['RunTrainingJobs']!.wildcardReason,
  });
  assert.match(g['RunTrainingJobs']!.wildcardReason!, /chosen at run time/);
  assert.deepEqual(g['RunProcessingJobs']!.resources, ['arn:aws:sagemaker:eu-west-1:123456789012:processing-job/*']);
  assert.deepEqual(g['RunTransformJobs']!.resources, ['arn:aws:sagemaker:eu-west-1:123456789012:transform-job/*']);
  assert.deepEqual(g['ManageSyncEventRules'], {
    sid: 'ManageSyncEventRules',
    actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    resources: [
      'arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForSageMakerProcessingJobsRule',
      'arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule',
      'arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule',
    ],
  });
  assert.deepEqual(g['PassSageMakerExecutionRole'], {
    sid: 'PassSageMakerExecutionRole',
    actions: ['iam:PassRole'],
    resources: ['arn:aws:iam::123456789012:role/sm'],
    conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  });
});

test('request-response jobs need no event rule, and transform jobs pass no role', () => {
  const g = bySid(permissionsForDefinition(machine({ T: task('arn:aws:states:::sagemaker:createTransformJob') }), targets));
  assert.deepEqual(Object.keys(g), ['RunTransformJobs']);
});

test('models, endpoint configs and endpoints', () => {
  const g = bySid(
    permissionsForDefinition(
      machine({
        M: task('arn:aws:states:::sagemaker:createModel', {}, 'C'),
        C: task('arn:aws:states:::sagemaker:createEndpointConfig', {}, 'E'),
        E: task('arn:aws:states:::sagemaker:createEndpoint', {}, 'U'),
        U: task('arn:aws:states:::sagemaker:updateEndpoint', {}, 'D'),
        D: task('arn:aws:states:::aws-sdk:sagemaker:describeEndpoint'),
      }),
      targets,
    ),
  );
  assert.deepEqual(g['CreateModels']!.actions, ['sagemaker:CreateModel', 'sagemaker:AddTags']);
  assert.deepEqual(g['CreateModels']!.resources, ['arn:aws:sagemaker:eu-west-1:123456789012:model/*']);
  assert.ok(g['PassSageMakerExecutionRole']);
  assert.deepEqual(g['CreateEndpointConfigs']!.resources, ['arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/*']);
  assert.deepEqual(g['DeployEndpoints']!.actions, ['sagemaker:CreateEndpoint', 'sagemaker:AddTags', 'sagemaker:UpdateEndpoint']);
  assert.deepEqual(g['DeployEndpoints']!.resources, [
    'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/*',
    'arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/*',
  ]);
  assert.deepEqual(g['SageMakerDescribeEndpoint']!.actions, ['sagemaker:DescribeEndpoint']);
});

test('the model registry through the AWS SDK integration', () => {
  const g = bySid(
    permissionsForDefinition(
      machine({
        G: task('arn:aws:states:::aws-sdk:sagemaker:createModelPackageGroup', {}, 'P'),
        P: task('arn:aws:states:::aws-sdk:sagemaker:createModelPackage', {}, 'L'),
        L: task('arn:aws:states:::aws-sdk:sagemaker:listModelPackages', {}, 'U'),
        U: task('arn:aws:states:::aws-sdk:sagemaker:updateModelPackage'),
      }),
      targets,
    ),
  );
  assert.deepEqual(g['SageMakerCreateModelPackageGroup']!.actions, ['sagemaker:CreateModelPackageGroup', 'sagemaker:AddTags']);
  assert.deepEqual(g['SageMakerCreateModelPackage']!.resources, [
    'arn:aws:sagemaker:eu-west-1:123456789012:model-package/*',
    'arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/*',
  ]);
  assert.deepEqual(g['SageMakerListModelPackages']!.resources, ['*']);
  assert.match(g['SageMakerListModelPackages']!.wildcardReason!, /no resource-level permissions/);
  assert.deepEqual(g['SageMakerUpdateModelPackage']!.actions, ['sagemaker:UpdateModelPackage']);
});

test('S3 reads are limited to the pipeline bucket; Lambda and SNS to the substituted resources', () => {
  const g = bySid(
    permissionsForDefinition(
      machine({
        R: task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'any', Key: 'k' }, 'A'),
        A: task('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: '${ApprovalFunctionArn}', Payload: {} }, 'N'),
        N: task('arn:aws:states:::sns:publish', { TopicArn: '${ApprovalTopicArn}', Message: 'm' }, 'F'),
        F: task('${ApprovalFunctionArn}'),
      }),
      targets,
    ),
  );
  assert.deepEqual(g['ReadPipelineObjects']!.actions, ['s3:GetObject']);
  assert.deepEqual(g['ReadPipelineObjects']!.resources, ['arn:aws:s3:::pipeline-bucket/*']);
  assert.match(g['ReadPipelineObjects']!.wildcardReason!, /pipeline bucket/);
  assert.deepEqual(g['InvokePipelineFunctions'], {
    sid: 'InvokePipelineFunctions',
    actions: ['lambda:InvokeFunction'],
    resources: ['arn:aws:lambda:eu-west-1:123456789012:function:approval'],
  });
  assert.deepEqual(g['PublishApprovalRequests']!.resources, ['arn:aws:sns:eu-west-1:123456789012:approvals']);
});

test('a resource without a mapping fails, naming the resource and the state', () => {
  const cases: [JsonObject, RegExp][] = [
    [machine({ X: task('arn:aws:states:::dynamodb:putItem') }), /"arn:aws:states:::dynamodb:putItem" \(state "X"\)/],
    [machine({ X: task('arn:aws:states:::aws-sdk:sagemaker:deleteModelPackageGroup') }), /deleteModelPackageGroup/],
    [machine({ X: task('arn:aws:states:::sagemaker:createModel.sync') }), /createModel\.sync/],
    [machine({ X: task('arn:aws:states:::lambda:invoke', { FunctionName: 'some-other-function' }) }), /lambda:invoke/],
    [machine({ X: task('arn:aws:states:::lambda:invoke', { FunctionName: '${UnknownFunctionArn}' }) }), /lambda:invoke/],
    [machine({ X: task('arn:aws:lambda:us-east-1:123456789012:function:hard-coded') }), /hard-coded/],
  ];
  for (const [def, msg] of cases) {
    assert.throws(
      () => permissionsForDefinition(def, targets),
      (e: unknown) => e instanceof UnmappedResourceError && msg.test(e.message),
    );
  }
});
