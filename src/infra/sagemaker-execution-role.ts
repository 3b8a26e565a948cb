/**
 * The role SageMaker jobs, models and endpoints run as. The seed attached
 * AmazonSageMakerFullAccess; this grants only what the pipeline's containers do: read and write
 * the pipeline bucket (and read the public sample-data buckets the seed's YAML reads), pull the
 * scikit-learn image (and the XGBoost one, for pipelines that name XGBOOST_IMAGE_URI), and write
 * their logs and metrics.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ImageLocation } from './sklearn-image.js';

export interface SageMakerExecutionRoleProps {
  bucket: s3.IBucket;
  image: ImageLocation;
  /** The SageMaker XGBoost image, pulled by pipelines that use XGBOOST_IMAGE_URI. */
  xgboostImage?: ImageLocation;
  /** Other buckets jobs may read input from (names). */
  readOnlyBucketNames: string[];
}

export class SageMakerExecutionRole extends Construct {
  readonly role: iam.Role;
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
        // Only SageMaker acting for this account may assume it (confused-deputy protection).
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Runs the pipeline SageMaker jobs, models and endpoints',
    });
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'PipelineBucketObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          resources: [props.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'PipelineBucket',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [props.bucket.bucketArn],
        }),
        ...(props.readOnlyBucketNames.length > 0
          ? [
              new iam.PolicyStatement({
                sid: 'ReadInputBuckets',
                actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
                resources: props.readOnlyBucketNames.flatMap((name) => [
                  stack.formatArn({ service: 's3', region: '', account: '', resource: name }),
                  stack.formatArn({ service: 's3', region: '', account: '', resource: `${name}/*` }),
                ]),
              }),
            ]
          : []),
        new iam.PolicyStatement({
          sid: 'PullSklearnImage',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          resources: [stack.formatArn({ service: 'ecr', account: props.image.account, resource: 'repository', resourceName: props.image.repository })],
        }),
        ...(props.xgboostImage !== undefined
          ? [
              new iam.PolicyStatement({
                sid: 'PullXgboostImage',
                actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
                resources: [stack.formatArn({ service: 'ecr', account: props.xgboostImage.account, resource: 'repository', resourceName: props.xgboostImage.repository })],
              }),
            ]
          : []),
        new iam.PolicyStatement({
          sid: 'EcrAuthorization',
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'JobLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
        new iam.PolicyStatement({
          sid: 'JobMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
        }),
      ],
    });
    this.policy.attachToRole(this.role);
  }
}
