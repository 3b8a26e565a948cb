/**
 * The synthesized template, asserted resource by resource. One synth (with esbuild bundling and
 * cdk-nag) is shared by every test in this file.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Json } from '../../../src/core/json.js';
import { packageFile } from '../../../src/core/package-root.js';
import { renderPipelineDefinition, substituteDefinition } from '../../../src/definition/index.js';
import { OUTPUT_KEYS } from '../../../src/infra/mlops-stack.js';
import { resolveDeploymentSettings } from '../../../src/infra/settings.js';
import { sklearnImageTable } from '../../../src/infra/sklearn-image.js';
import { readValidationReport, synthesize, type SynthResult } from '../../../src/infra/synth.js';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

let synth: SynthResult;
let resources: Record<string, Resource>;
const rendered = renderPipelineDefinition();

before(async () => {
  synth = await synthesize({
    settings: resolveDeploymentSettings({ modelName: 'census', timezone: 'Europe/London', approvalEmail: 'ml-team@example.com' }, {}),
  });
  resources = synth.template['Resources'] as unknown as Record<string, Resource>;
});

after(() => {
  if (synth) rmSync(synth.outdir, { recursive: true, force: true });
});

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function one(type: string, filter: (id: string, r: Resource) => boolean = () => true): [string, Resource] {
  const found = ofType(type).filter(([id, r]) => filter(id, r));
  assert.equal(found.length, 1, `expected one ${type}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0]!;
}

const byPrefix = (prefix: string) => (id: string) => id.startsWith(prefix);

/** Every Allow statement of every policy in the template, with the policy's logical id. */
function allStatements(): { policy: string; s: Record<string, any> }[] {
  const out: { policy: string; s: Record<string, any> }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const docs: Record<string, any>[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties['PolicyDocument']);
    if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties['Policies'] ?? []) docs.push(p.PolicyDocument);
    for (const d of docs) for (const s of d.Statement) out.push({ policy: id, s });
  }
  return out;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

test('the stack holds exactly the pipeline resources, and no custom resources', () => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  assert.deepEqual(counts, {
    'AWS::S3::Bucket': 2,
    'AWS::S3::BucketPolicy': 2,
    'AWS::IAM::Role': 7,
    'AWS::IAM::Policy': 8,
    'AWS::SNS::Topic': 1,
    'AWS::SNS::TopicPolicy': 1,
    'AWS::SNS::Subscription': 1,
    'AWS::Logs::LogGroup': 5,
    'AWS::Lambda::Function': 4,
    'AWS::StepFunctions::StateMachine': 1,
    'AWS::Scheduler::Schedule': 1,
  });
});

test('the pipeline bucket is encrypted, private, TLS-only and logs access to the log bucket', () => {
  const [logId, logBucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageAccessLogs'));
  const [bucketId, bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const privateAndEncrypted = {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  };
  for (const b of [bucket, logBucket]) {
    assert.deepEqual(b.Properties['BucketEncryption'], privateAndEncrypted.BucketEncryption);
    assert.deepEqual(b.Properties['PublicAccessBlockConfiguration'], privateAndEncrypted.PublicAccessBlockConfiguration);
  }
  assert.deepEqual(bucket.Properties['LoggingConfiguration'], { DestinationBucketName: { Ref: logId }, LogFilePrefix: 'pipeline-bucket/' });
  assert.deepEqual(bucket.Properties['VersioningConfiguration'], { Status: 'Enabled' });
  assert.equal((resources[bucketId] as any).DeletionPolicy, 'Retain');
  for (const [, policy] of ofType('AWS::S3::BucketPolicy')) {
    const deny = policy.Properties['PolicyDocument'].Statement.find((s: any) => s.Effect === 'Deny');
    assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    assert.equal(deny.Action, 's3:*');
  }
  // Access logs arrive through a bucket policy for the logging service, not an ACL.
  const [, logPolicy] = one('AWS::S3::BucketPolicy', (_, r) => JSON.stringify(r.Properties['Bucket']).includes(logId));
  const allow = logPolicy.Properties['PolicyDocument'].Statement.find((s: any) => s.Effect === 'Allow');
  assert.deepEqual(allow.Principal, { Service: 'logging.s3.amazonaws.com' });
  assert.equal(allow.Action, 's3:PutObject');
});

test('the state machine is STANDARD, traced, logs everything, and deploys the rendered definition byte for byte', () => {
  const [, sm] = one('AWS::StepFunctions::StateMachine');
  const [logId] = one('AWS::Logs::LogGroup', byPrefix('MlopsPipelineLogs'));
  const [approvalFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineApprovalFunction'));
  assert.equal(sm.Properties['StateMachineType'], 'STANDARD');
  assert.deepEqual(sm.Properties['TracingConfiguration'], { Enabled: true });
  assert.deepEqual(sm.Properties['LoggingConfiguration'], {
    Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logId, 'Arn'] } } }],
    IncludeExecutionData: true,
    Level: 'ALL',
  });
  assert.equal(sm.Properties['DefinitionString'], JSON.stringify(rendered.definition));
  const [cacheFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineCacheFunction'));
  const [failureFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineStageFailureFunction'));
  assert.deepEqual(sm.Properties['DefinitionSubstitutions'], {
    ApprovalFunctionArn: { 'Fn::GetAtt': [approvalFn, 'Arn'] },
    CacheFunctionArn: { 'Fn::GetAtt': [cacheFn, 'Arn'] },
    StageFailureFunctionArn: { 'Fn::GetAtt': [failureFn, 'Arn'] },
  });
  assert.deepEqual(Object.keys(sm.Properties['DefinitionSubstitutions']).sort(), [...rendered.substitutions].sort());
  // CloudFormation's substitution yields exactly what the local engine runs with the same values.
  const values = {
    ApprovalFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:approval',
    CacheFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:cache',
    StageFailureFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:stage-failure',
  };
  let deployed: string = sm.Properties['DefinitionString'];
  for (const [name, value] of Object.entries(values)) deployed = deployed.split('${' + name + '}').join(value);
  assert.deepEqual(JSON.parse(deployed), substituteDefinition(rendered.definition, values));
  const [logGroupId, logGroup] = one('AWS::Logs::LogGroup', byPrefix('MlopsPipelineLogs'));
  assert.equal(logGroup.Properties['LogGroupName'], `/aws/vendedlogs/states/${synth.stackName}-census`);
  assert.equal((resources[logGroupId] as any).DeletionPolicy, 'Retain');
});

test('no IAM statement grants a wildcard action, and "*" resources only where AWS allows nothing narrower', () => {
  const statements = allStatements();
  assert.ok(statements.length > 20);
  for (const { policy, s } of statements) {
    assert.equal(s.Effect, 'Allow', `${policy}: only Allow statements`);
    for (const a of list<string>(s.Action)) assert.ok(!a.includes('*'), `${policy}: wildcard action ${a}`);
    if (list(s.Resource).includes('*')) {
      const unscopable = new Set([
        'ecr:GetAuthorizationToken',
        'cloudwatch:PutMetricData',
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'sagemaker:ListModelPackages',
      ]);
      for (const a of list<string>(s.Action)) assert.ok(unscopable.has(a), `${policy}: ${a} on "*"`);
    }
  }
  // PutMetricData is narrowed to SageMaker's namespaces.
  const metrics = statements.find(({ s }) => s.Action === 'cloudwatch:PutMetricData')!;
  assert.deepEqual(metrics.s.Condition, { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } });
});

test('no managed policies: AmazonSageMakerFullAccess and AWSLambdaBasicExecutionRole are gone', () => {
  for (const [id, role] of ofType('AWS::IAM::Role')) {
    assert.equal(role.Properties['ManagedPolicyArns'], undefined, `${id} has managed policies`);
  }
});

test('iam:PassRole is granted once, for the SageMaker execution role, to SageMaker only', () => {
  const [smRole] = one('AWS::IAM::Role', byPrefix('MlopsPipelineSageMakerExecutionRole'));
  const pass = allStatements().filter(({ s }) => list<string>(s.Action).includes('iam:PassRole'));
  assert.equal(pass.length, 1);
  assert.deepEqual(pass[0]!.s, {
    Action: 'iam:PassRole',
    Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [smRole, 'Arn'] },
    Sid: 'PassSageMakerExecutionRole',
  });
});

test("the state machine's permissions are exactly those its Task states use", () => {
  const [, policy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineDefinitionPolicy'));
  const statements: Record<string, any>[] = policy.Properties['PolicyDocument'].Statement;
  const summary = Object.fromEntries(statements.map((s) => [s.Sid, list<string>(s.Action)]));
  assert.deepEqual(summary, {
    RunProcessingJobs: ['sagemaker:AddTags', 'sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:ListTags', 'sagemaker:StopProcessingJob'],
    ManageSyncEventRules: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
    PassSageMakerExecutionRole: ['iam:PassRole'],
    RunTrainingJobs: ['sagemaker:AddTags', 'sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:ListTags', 'sagemaker:StopTrainingJob'],
    ReadPipelineObjects: ['s3:GetObject'],
    SageMakerCreateModelPackageGroup: ['sagemaker:AddTags', 'sagemaker:CreateModelPackageGroup'],
    SageMakerListModelPackages: ['sagemaker:ListModelPackages'],
    SageMakerDescribeModelPackage: ['sagemaker:DescribeModelPackage'],
    SageMakerCreateModelPackage: ['sagemaker:AddTags', 'sagemaker:CreateModelPackage'],
    InvokePipelineFunctions: ['lambda:InvokeFunction'],
    SageMakerUpdateModelPackage: ['sagemaker:UpdateModelPackage'],
    CreateModels: ['sagemaker:AddTags', 'sagemaker:CreateModel'],
    CreateEndpointConfigs: ['sagemaker:AddTags', 'sagemaker:CreateEndpointConfig'],
    SageMakerDescribeEndpoint: ['sagemaker:DescribeEndpoint'],
    SageMakerDeleteEndpoint: ['sagemaker:DeleteEndpoint'],
    DeployEndpoints: ['sagemaker:AddTags', 'sagemaker:CreateEndpoint', 'sagemaker:UpdateEndpoint'],
    RunTransformJobs: ['sagemaker:AddTags', 'sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:ListTags', 'sagemaker:StopTransformJob'],
  });
  const [approvalFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineApprovalFunction'));
  const [bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
  const [cacheFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineCacheFunction'));
  const [failureFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineStageFailureFunction'));
  assert.deepEqual(
    new Set(list(bySid['InvokePipelineFunctions'].Resource)),
    new Set([{ 'Fn::GetAtt': [approvalFn, 'Arn'] }, { 'Fn::GetAtt': [cacheFn, 'Arn'] }, { 'Fn::GetAtt': [failureFn, 'Arn'] }]),
  );
  assert.deepEqual(bySid['ReadPipelineObjects'].Resource, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] });
  assert.deepEqual(bySid['RunTrainingJobs'].Resource, {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':training-job/*']],
  });
  // Step Functions' own logging and tracing statements live in the role's default policy.
  const [, defaults] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineRoleDefaultPolicy'));
  const defaultActions = defaults.Properties['PolicyDocument'].Statement.flatMap((s: any) => list<string>(s.Action)).sort();
  assert.ok(defaultActions.every((a: string) => a.startsWith('logs:') || a.startsWith('xray:')), defaultActions.join(' '));
});

test("the SageMaker execution role can use the pipeline bucket, the sample data, the image, its logs and metrics", () => {
  const [, policy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineSageMakerExecutionPolicy'));
  const summary = Object.fromEntries(policy.Properties['PolicyDocument'].Statement.map((s: any) => [s.Sid, list<string>(s.Action)]));
  assert.deepEqual(summary, {
    PipelineBucketObjects: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
    PipelineBucket: ['s3:GetBucketLocation', 's3:ListBucket'],
    ReadInputBuckets: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'],
    PullSklearnImage: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    PullXgboostImage: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    EcrAuthorization: ['ecr:GetAuthorizationToken'],
    JobLogs: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
    JobMetrics: ['cloudwatch:PutMetricData'],
  });
  const pull = policy.Properties['PolicyDocument'].Statement.find((s: any) => s.Sid === 'PullSklearnImage');
  assert.deepEqual(pull.Resource, {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ecr:',
        { Ref: 'AWS::Region' },
        ':',
        { 'Fn::FindInMap': ['SklearnImageAccounts', { Ref: 'AWS::Region' }, 'account'] },
        ':repository/sagemaker-scikit-learn',
      ],
    ],
  });
  const xgboost = policy.Properties['PolicyDocument'].Statement.find((s: any) => s.Sid === 'PullXgboostImage');
  assert.deepEqual(xgboost.Resource['Fn::Join'][1].at(-1), ':repository/sagemaker-xgboost');
  const [, approvalPolicy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineApprovalRoleDefaultPolicy'));
  const approvalActions = approvalPolicy.Properties['PolicyDocument'].Statement.flatMap((s: any) => list<string>(s.Action)).sort();
  assert.deepEqual(approvalActions, ['logs:CreateLogStream', 'logs:PutLogEvents', 'sns:Publish']);
});

test('every role trusts only its service, scoped to this account where the service supports it', () => {
  const trust: Record<string, unknown> = {};
  for (const [id, role] of ofType('AWS::IAM::Role')) {
    const [s] = role.Properties['AssumeRolePolicyDocument'].Statement;
    trust[id.replace(/[0-9A-F]{8}$/, '')] = [s.Principal.Service, s.Condition ?? null];
  }
  const account = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } };
  assert.deepEqual(trust, {
    MlopsPipelineSageMakerExecutionRole: ['sagemaker.amazonaws.com', account],
    MlopsPipelineApprovalRole: ['lambda.amazonaws.com', null],
    MlopsPipelineCacheRole: ['lambda.amazonaws.com', null],
    MlopsPipelineStageFailureRole: ['lambda.amazonaws.com', null],
    MlopsPipelineRole: ['states.amazonaws.com', account],
    MlopsPipelineTriggerRole: ['lambda.amazonaws.com', null],
    MlopsPipelineScheduleRole: ['scheduler.amazonaws.com', account],
  });
});

test('the Lambdas run on Node.js 24 with their own log groups and the environment the handlers read', () => {
  const [smId] = one('AWS::StepFunctions::StateMachine');
  const [topicId] = one('AWS::SNS::Topic');
  const [, trigger] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineTriggerFunction'));
  const [, approval] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineApprovalFunction'));
  const [triggerLogs] = one('AWS::Logs::LogGroup', byPrefix('MlopsPipelineTriggerLogs'));
  for (const fn of [trigger, approval]) {
    assert.equal(fn.Properties['Runtime'], 'nodejs24.x');
    assert.equal(fn.Properties['Handler'], 'index.handler');
    assert.deepEqual(fn.Properties['Architectures'], ['arm64']);
  }
  const [bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const [smRole] = one('AWS::IAM::Role', byPrefix('MlopsPipelineSageMakerExecutionRole'));
  const outputs = synth.template['Outputs'] as Record<string, { Value: Json }>;
  assert.deepEqual(trigger.Properties['Environment'], {
    Variables: {
      STATE_MACHINE_ARN: { Ref: smId },
      MLOPS_BUCKET: { Ref: bucket },
      MODEL_NAME: 'census',
      IMAGE_URI: outputs['ImageUri']!.Value,
      XGBOOST_IMAGE_URI: trigger.Properties['Environment'].Variables['XGBOOST_IMAGE_URI'],
      SAGEMAKER_EXECUTION_ROLE: { 'Fn::GetAtt': [smRole, 'Arn'] },
    },
  });
  assert.match(JSON.stringify(trigger.Properties['Environment'].Variables['XGBOOST_IMAGE_URI']), /\/sagemaker-xgboost:1\.7-1/);
  assert.deepEqual(approval.Properties['Environment'], { Variables: { APPROVAL_TOPIC_ARN: { Ref: topicId } } });
  assert.deepEqual(trigger.Properties['LoggingConfig'], { LogGroup: { Ref: triggerLogs } });
  // The trigger may read this model's prefix and start this state machine, nothing else.
  const [, triggerPolicy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineTriggerRoleDefaultPolicy'));
  const actions = triggerPolicy.Properties['PolicyDocument'].Statement.flatMap((s: any) => list<string>(s.Action)).sort();
  assert.deepEqual(actions, ['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 'states:StartExecution']);
});

test('the step cache Lambda reads what jobs read and writes only the pipeline bucket; the stage-failure Lambda only logs', () => {
  const [bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const [, cacheFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineCacheFunction'));
  assert.deepEqual(cacheFn.Properties['Environment'], { Variables: { MLOPS_BUCKET: { Ref: bucket }, CACHE_PREFIX: 'census/cache/' } });
  assert.equal(cacheFn.Properties['Timeout'], 300);
  const [, cachePolicy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineCacheRoleDefaultPolicy'));
  const statements: Record<string, any>[] = cachePolicy.Properties['PolicyDocument'].Statement;
  const bySid = Object.fromEntries(statements.filter((st) => st.Sid).map((st) => [st.Sid, st]));
  assert.deepEqual(Object.keys(bySid).sort(), ['ListJobInputsAndOutputs', 'ReadJobInputsOutputsAndEntries', 'WriteEntriesAndReusedOutputs']);
  assert.deepEqual(list(bySid['WriteEntriesAndReusedOutputs'].Action), ['s3:PutObject']);
  assert.deepEqual(bySid['WriteEntriesAndReusedOutputs'].Resource, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] });
  assert.deepEqual(list(bySid['ReadJobInputsOutputsAndEntries'].Action), ['s3:GetObject']);
  assert.deepEqual(list(bySid['ListJobInputsAndOutputs'].Action), ['s3:ListBucket']);
  const listed = JSON.stringify(bySid['ListJobInputsAndOutputs'].Resource);
  assert.ok(listed.includes(bucket) && listed.includes('sagemaker-sample-data-'), listed);
  const others = statements.filter((st) => !st.Sid).flatMap((st) => list<string>(st.Action)).sort();
  assert.deepEqual(others, ['logs:CreateLogStream', 'logs:PutLogEvents']);
  const [, failurePolicy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineStageFailureRoleDefaultPolicy'));
  const failureActions = failurePolicy.Properties['PolicyDocument'].Statement.flatMap((st: any) => list<string>(st.Action)).sort();
  assert.deepEqual(failureActions, ['logs:CreateLogStream', 'logs:PutLogEvents']);
});

test('the handlers are bundled by esbuild as ES modules exporting handler', () => {
  for (const prefix of ['MlopsPipelineTriggerFunction', 'MlopsPipelineApprovalFunction', 'MlopsPipelineCacheFunction', 'MlopsPipelineStageFailureFunction']) {
    const [, fn] = one('AWS::Lambda::Function', byPrefix(prefix));
    const assetPath = `asset.${String(fn.Properties['Code']['S3Key']).replace(/\.zip$/, '')}`;
    const bundle = readFileSync(join(synth.outdir, assetPath, 'index.mjs'), 'utf8');
    assert.match(bundle, /export\s*\{[^}]*\bhandler\b[^}]*\}/);
    // The AWS SDK v3 comes from the runtime, not the bundle.
    assert.ok(!existsSync(join(synth.outdir, assetPath, 'node_modules')));
  }
});

test('the bundles load on Node.js as ES modules and run the handlers', async () => {
  // Like the Lambda runtime: the bundle alone, with the AWS SDK v3 resolvable beside it.
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-bundle-'));
  try {
    symlinkSync(packageFile('node_modules'), join(dir, 'node_modules'));
    const load = async (prefix: string, name: string) => {
      const [, fn] = one('AWS::Lambda::Function', byPrefix(prefix));
      const file = join(dir, `${name}.mjs`);
      copyFileSync(join(synth.outdir, `asset.${String(fn.Properties['Code']['S3Key']).replace(/\.zip$/, '')}`, 'index.mjs'), file);
      return (await import(pathToFileURL(file).href)) as { handler(event: unknown): Promise<unknown> };
    };
    const approval = await load('MlopsPipelineApprovalFunction', 'approval');
    await assert.rejects(approval.handler({}), /Invalid approval request: taskToken is missing/);
    const failure = await load('MlopsPipelineStageFailureFunction', 'stage-failure');
    await assert.rejects(failure.handler({ error: 'States.TaskFailed', cause: 'Stage evaluation failed', raise: true }), (e: unknown) => (e as Error).name === 'States.TaskFailed' && (e as Error).message === 'Stage evaluation failed');
    assert.deepEqual(await failure.handler({ error: 'States.TaskFailed', cause: 'Stage evaluation failed', raise: false }), { redriven: true });
    const saved = { ...process.env };
    Object.assign(process.env, {
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:123456789012:stateMachine:p',
      MLOPS_BUCKET: 'b',
      MODEL_NAME: 'census',
      IMAGE_URI: 'i',
      SAGEMAKER_EXECUTION_ROLE: 'arn:aws:iam::123456789012:role/r',
      AWS_REGION: 'eu-west-2',
    });
    try {
      const trigger = await load('MlopsPipelineTriggerFunction', 'trigger');
      await assert.rejects(trigger.handler({ config: {} }), (e: unknown) => (e as Error).name === 'Pipeline.InvalidTriggerEvent');
      process.env['CACHE_PREFIX'] = 'census/cache/';
      const cache = await load('MlopsPipelineCacheFunction', 'cache');
      await assert.rejects(cache.handler({ step: 'check' }), (e: unknown) => (e as Error).name === 'Pipeline.InvalidCacheEvent');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('approval requests go to an encrypted, TLS-only topic with the email subscribed', () => {
  const [topicId, topic] = one('AWS::SNS::Topic');
  assert.deepEqual(topic.Properties['KmsMasterKeyId'], {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alias/aws/sns']],
  });
  const [, policy] = one('AWS::SNS::TopicPolicy');
  const deny = policy.Properties['PolicyDocument'].Statement.find((s: any) => s.Effect === 'Deny');
  assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
  const [, sub] = one('AWS::SNS::Subscription');
  assert.deepEqual(sub.Properties, { Endpoint: 'ml-team@example.com', Protocol: 'email', TopicArn: { Ref: topicId } });
});

test('the schedule runs the cron expression in its IANA zone and sends the seed\'s trigger event', () => {
  const [, schedule] = one('AWS::Scheduler::Schedule');
  const [triggerFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineTriggerFunction'));
  const [scheduleRole] = one('AWS::IAM::Role', byPrefix('MlopsPipelineScheduleRole'));
  const [bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const p = schedule.Properties;
  assert.equal(p['ScheduleExpression'], 'cron(0 6 * * ? *)');
  assert.equal(p['ScheduleExpressionTimezone'], 'Europe/London');
  assert.deepEqual(p['FlexibleTimeWindow'], { Mode: 'OFF' });
  assert.equal(p['State'], 'ENABLED');
  assert.deepEqual(p['Target']['Arn'], { 'Fn::GetAtt': [triggerFn, 'Arn'] });
  assert.deepEqual(p['Target']['RoleArn'], { 'Fn::GetAtt': [scheduleRole, 'Arn'] });
  assert.deepEqual(p['Target']['RetryPolicy'], { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 });
  // The input is a Fn::Join around the bucket's name: resolve it with a sample name.
  const [sep, parts] = p['Target']['Input']['Fn::Join'] as [string, Json[]];
  const text = parts.map((x) => (typeof x === 'string' ? x : JSON.stringify(x) === JSON.stringify({ Ref: bucket }) ? 'my-bucket' : '?')).join(sep);
  assert.deepEqual(JSON.parse(text), { config: { bucket: 'my-bucket', prefix: 'census/scripts/input.yaml' } });
  const [, schedulePolicy] = one('AWS::IAM::Policy', byPrefix('MlopsPipelineScheduleRoleDefaultPolicy'));
  assert.deepEqual(schedulePolicy.Properties['PolicyDocument'].Statement, [
    { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [triggerFn, 'Arn'] }, Sid: 'InvokeTrigger' },
  ]);
});

test("the outputs carry the seed's metadata keys, the new resources and a metadata JSON", () => {
  const outputs = synth.template['Outputs'] as Record<string, { Value: Json }>;
  assert.deepEqual(Object.keys(outputs), [...OUTPUT_KEYS, 'metadata']);
  const [bucket] = one('AWS::S3::Bucket', byPrefix('MlopsPipelineStorageBucket'));
  const [smId] = one('AWS::StepFunctions::StateMachine');
  const [triggerFn] = one('AWS::Lambda::Function', byPrefix('MlopsPipelineTriggerFunction'));
  const [smRole] = one('AWS::IAM::Role', byPrefix('MlopsPipelineSageMakerExecutionRole'));
  assert.deepEqual(outputs['MlOpsBucket']!.Value, { Ref: bucket });
  assert.deepEqual(outputs['StateMachine']!.Value, { Ref: smId });
  assert.deepEqual(outputs['LambdaFunction']!.Value, { 'Fn::GetAtt': [triggerFn, 'Arn'] });
  assert.deepEqual(outputs['SageMakerExecutionRole']!.Value, { 'Fn::GetAtt': [smRole, 'Arn'] });
  assert.equal(outputs['ScheduleExpression']!.Value, 'cron(0 6 * * ? *)');
  assert.equal(outputs['ScheduleTimezone']!.Value, 'Europe/London');
  assert.equal(outputs['PipelineKey']!.Value, 'census/scripts/input.yaml');
  assert.equal(outputs['ModelName']!.Value, 'census');
  const metadata = JSON.stringify(outputs['metadata']!.Value);
  for (const key of OUTPUT_KEYS) assert.ok(metadata.includes(`\\"${key}\\":`), `metadata lacks ${key}`);
});

test('the image URI comes from the per-region account table, for whichever region deploys it', () => {
  const mappings = synth.template['Mappings'] as Record<string, Record<string, { account: string }>>;
  const table = sklearnImageTable();
  assert.deepEqual(
    Object.fromEntries(Object.entries(mappings['SklearnImageAccounts']!).map(([r, v]) => [r, v.account])),
    table.accounts,
  );
  const outputs = synth.template['Outputs'] as Record<string, { Value: Json }>;
  assert.deepEqual(outputs['ImageUri']!.Value, {
    'Fn::Join': [
      '',
      [
        { 'Fn::FindInMap': ['SklearnImageAccounts', { Ref: 'AWS::Region' }, 'account'] },
        '.dkr.ecr.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/sagemaker-scikit-learn:1.2-1-cpu-py3',
      ],
    ],
  });
});

test('cdk-nag AwsSolutions passed, and each acknowledged finding names one resource and gives its reason', () => {
  const report = readValidationReport(synth.outdir)!;
  for (const p of report.pluginReports) assert.equal(p.conclusion, 'success', p.pluginName);
  const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions')!;
  assert.equal(nag.conclusion, 'success');
  assert.deepEqual(nag.violations, []);
  const acknowledged = (nag.suppressedViolations ?? []).map((v) => ({
    rule: v.ruleName,
    at: v.violatingConstructs.map((c) => c.constructPath.replace(`${synth.stackName}/MlopsPipeline/`, '')),
    reason: v.reason ?? '',
  }));
  for (const a of acknowledged) {
    assert.match(a.rule, /^AwsSolutions-IAM5\[Resource::/, 'only IAM5 resource findings are acknowledged');
    assert.ok(a.reason.length > 60, `${a.rule}: the reason must explain the wildcard`);
  }
  assert.deepEqual(acknowledged.map((a) => `${a.at.join(',')} ${a.rule}`).sort(), [
    'Cache/Role/DefaultPolicy/Resource AwsSolutions-IAM5[Resource::<MlopsPipelineStorageBucketA5E139E9.Arn>/*]',
    'Cache/Role/DefaultPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::sagemaker-sample-data-<AWS::Region>/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::<MlopsPipelineStorageBucketA5E139E9.Arn>/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint-config/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package-group/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:processing-job/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/*]',
    'Pipeline/DefinitionPolicy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/*]',
    'Pipeline/Role/DefaultPolicy/Resource AwsSolutions-IAM5[Resource::*]',
    'SageMakerExecution/Policy/Resource AwsSolutions-IAM5[Resource::*]',
    'SageMakerExecution/Policy/Resource AwsSolutions-IAM5[Resource::<MlopsPipelineStorageBucketA5E139E9.Arn>/*]',
    'SageMakerExecution/Policy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*]',
    'SageMakerExecution/Policy/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::sagemaker-sample-data-<AWS::Region>/*]',
    'Trigger/Role/DefaultPolicy/Resource AwsSolutions-IAM5[Resource::<MlopsPipelineStorageBucketA5E139E9.Arn>/census/*]',
  ].sort());
});
