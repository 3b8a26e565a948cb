/**
 * `MlopsPipeline`: everything one pipeline needs in AWS — the bucket (with its access-log
 * bucket), the SageMaker execution role, the state machine built from the generated definition,
 * the trigger and approval Lambdas, the approval topic and the schedule. Reusable in any stack;
 * `MlopsStack` adds the outputs and cdk-nag's checks.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  APPROVAL_FUNCTION_SUBSTITUTION,
  CACHE_FUNCTION_SUBSTITUTION,
  STAGE_FAILURE_FUNCTION_SUBSTITUTION,
  type RenderedDefinition,
} from '../definition/index.js';
import { ApprovalTopic } from './approval-topic.js';
import { permissionsForDefinition } from './definition-permissions.js';
import { lambdaEntry, PipelineFunction } from './pipeline-function.js';
import { PipelineStateMachine } from './pipeline-state-machine.js';
import { SageMakerExecutionRole } from './sagemaker-execution-role.js';
import { SecureBuckets } from './secure-buckets.js';
import { sklearnImageFor, xgboostImageFor, type ImageLocation } from './sklearn-image.js';
import { TriggerSchedule } from './trigger-schedule.js';

/** What src/definition renders: a generic ASL document and the `${Name}` placeholders it uses. */
export type { RenderedDefinition };

export interface MlopsPipelineProps {
  modelName: string;
  /** `cron(...)`. */
  scheduleExpression: string;
  timezone: string;
  approvalEmail?: string;
  definition: RenderedDefinition;
  /** Handler modules; default: the package's src/lambda/trigger.ts and approval.ts. */
  triggerEntry?: string;
  approvalEntry?: string;
  cacheEntry?: string;
  stageFailureEntry?: string;
  /**
   * Buckets SageMaker jobs may read input from besides the pipeline bucket. Default: the
   * region's public `sagemaker-sample-data-<region>` bucket, which the seed's YAML reads.
   */
  readOnlyBucketNames?: string[];
}

/** Environment variable names the handlers read (src/lambda). */
export const TRIGGER_ENV = {
  stateMachineArn: 'STATE_MACHINE_ARN',
  bucket: 'MLOPS_BUCKET',
  modelName: 'MODEL_NAME',
  imageUri: 'IMAGE_URI',
  xgboostImageUri: 'XGBOOST_IMAGE_URI',
  roleArn: 'SAGEMAKER_EXECUTION_ROLE',
} as const;
export const APPROVAL_ENV = { topicArn: 'APPROVAL_TOPIC_ARN' } as const;
/** src/lambda/cache.ts CACHE_ENV. */
export const CACHE_FUNCTION_ENV = { bucket: 'MLOPS_BUCKET', prefix: 'CACHE_PREFIX' } as const;

export class MlopsPipeline extends Construct {
  readonly bucket: SecureBuckets['bucket'];
  readonly accessLogBucket: SecureBuckets['accessLogBucket'];
  readonly sageMakerExecution: SageMakerExecutionRole;
  readonly sageMakerRole: iam.Role;
  readonly image: ImageLocation;
  readonly xgboostImage: ImageLocation;
  readonly stateMachine: PipelineStateMachine;
  readonly trigger: PipelineFunction;
  readonly approval: PipelineFunction;
  readonly cache: PipelineFunction;
  readonly stageFailure: PipelineFunction;
  readonly approvalTopic: ApprovalTopic;
  readonly schedule: TriggerSchedule;
  /** S3 key of the pipeline YAML the schedule points the trigger at. */
  readonly pipelineKey: string;
  /** The values the definition's placeholders take in this deployment. */
  readonly substitutionValues: Record<string, string>;

  constructor(scope: Construct, id: string, props: MlopsPipelineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const buckets = new SecureBuckets(this, 'Storage');
    this.bucket = buckets.bucket;
    this.accessLogBucket = buckets.accessLogBucket;
    this.image = sklearnImageFor(this);
    this.xgboostImage = xgboostImageFor(this, this.image);
    this.sageMakerExecution = new SageMakerExecutionRole(this, 'SageMakerExecution', {
      bucket: this.bucket,
      image: this.image,
      xgboostImage: this.xgboostImage,
      readOnlyBucketNames: props.readOnlyBucketNames ?? [`sagemaker-sample-data-${stack.region}`],
    });
    this.sageMakerRole = this.sageMakerExecution.role;

    this.approvalTopic = new ApprovalTopic(this, 'Approvals', {
      modelName: props.modelName,
      ...(props.approvalEmail !== undefined ? { email: props.approvalEmail } : {}),
    });
    this.approval = new PipelineFunction(this, 'Approval', {
      description: `mlops-sfn ${props.modelName}: records a pending model approval and notifies the approvers`,
      entry: props.approvalEntry ?? lambdaEntry('approval'),
      environment: { [APPROVAL_ENV.topicArn]: this.approvalTopic.topic.topicArn },
    });
    // Publishing needs no KMS grant: the AWS-managed SNS key's policy admits this account's
    // principals calling through SNS.
    this.approval.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'PublishApprovalRequests', actions: ['sns:Publish'], resources: [this.approvalTopic.topic.topicArn] }),
    );

    const readOnlyBucketNames = props.readOnlyBucketNames ?? [`sagemaker-sample-data-${stack.region}`];
    this.cache = new PipelineFunction(this, 'Cache', {
      description: `mlops-sfn ${props.modelName}: step cache - keys job stages on their request, input content and code; reuses or records them`,
      entry: props.cacheEntry ?? lambdaEntry('cache'),
      environment: { [CACHE_FUNCTION_ENV.bucket]: this.bucket.bucketName, [CACHE_FUNCTION_ENV.prefix]: `${props.modelName}/cache/` },
      // Keys list every input object; a hit copies the cached outputs.
      timeout: Duration.minutes(5),
    });
    // The cache reads what jobs read (the pipeline bucket and the read-only input buckets), and writes
    // only the pipeline bucket: its entries and the copies of reused outputs at this run's locations.
    this.cache.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListJobInputsAndOutputs',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn, ...readOnlyBucketNames.map((name) => stack.formatArn({ service: 's3', region: '', account: '', resource: name }))],
      }),
    );
    this.cache.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadJobInputsOutputsAndEntries',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('*'), ...readOnlyBucketNames.map((name) => stack.formatArn({ service: 's3', region: '', account: '', resource: `${name}/*` }))],
      }),
    );
    this.cache.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteEntriesAndReusedOutputs', actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    this.stageFailure = new PipelineFunction(this, 'StageFailure', {
      description: `mlops-sfn ${props.modelName}: ends a failed run with the stage's error, so that a redrive goes back to the failed stage`,
      entry: props.stageFailureEntry ?? lambdaEntry('stage-failure'),
      environment: {},
    });

    this.substitutionValues = {
      [APPROVAL_FUNCTION_SUBSTITUTION]: this.approval.function.functionArn,
      [CACHE_FUNCTION_SUBSTITUTION]: this.cache.function.functionArn,
      [STAGE_FAILURE_FUNCTION_SUBSTITUTION]: this.stageFailure.function.functionArn,
      ApprovalTopicArn: this.approvalTopic.topic.topicArn,
      MlOpsBucket: this.bucket.bucketName,
      SageMakerExecutionRoleArn: this.sageMakerRole.roleArn,
      ImageUri: this.image.uri,
    };
    const grants = permissionsForDefinition(props.definition.definition, {
      arn: (service, resource) => stack.formatArn({ service, resource }),
      bucketArn: this.bucket.bucketArn,
      sageMakerRoleArn: this.sageMakerRole.roleArn,
      functions: {
        [APPROVAL_FUNCTION_SUBSTITUTION]: this.approval.function.functionArn,
        [CACHE_FUNCTION_SUBSTITUTION]: this.cache.function.functionArn,
        [STAGE_FAILURE_FUNCTION_SUBSTITUTION]: this.stageFailure.function.functionArn,
      },
      topics: { ApprovalTopicArn: this.approvalTopic.topic.topicArn },
    });
    this.stateMachine = new PipelineStateMachine(this, 'Pipeline', {
      definition: props.definition.definition,
      substitutionNames: props.definition.substitutions,
      substitutionValues: this.substitutionValues,
      grants,
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${props.modelName}`,
    });

    this.pipelineKey = `${props.modelName}/scripts/input.yaml`;
    this.trigger = new PipelineFunction(this, 'Trigger', {
      description: `mlops-sfn ${props.modelName}: reads the pipeline YAML from S3 and starts the state machine`,
      entry: props.triggerEntry ?? lambdaEntry('trigger'),
      // The deployment's values fill the pipeline YAML's placeholders (src/lambda/trigger.ts).
      environment: {
        [TRIGGER_ENV.stateMachineArn]: this.stateMachine.stateMachine.stateMachineArn,
        [TRIGGER_ENV.bucket]: this.bucket.bucketName,
        [TRIGGER_ENV.modelName]: props.modelName,
        [TRIGGER_ENV.imageUri]: this.image.uri,
        [TRIGGER_ENV.xgboostImageUri]: this.xgboostImage.uri,
        [TRIGGER_ENV.roleArn]: this.sageMakerRole.roleArn,
      },
    });
    // The trigger reads only this model's folder, and starts only this state machine.
    this.trigger.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPipelineYaml',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${props.modelName}/*`)],
      }),
    );
    this.stateMachine.stateMachine.grantStartExecution(this.trigger.role);

    this.schedule = new TriggerSchedule(this, 'Schedule', {
      expression: props.scheduleExpression,
      timezone: props.timezone,
      target: this.trigger.function,
      event: { config: { bucket: this.bucket.bucketName, prefix: this.pipelineKey } },
      description: `Starts the ${props.modelName} MLOps pipeline`,
    });
  }
}
