/**
 * Every cdk-nag finding this stack acknowledges, each on the one policy it concerns, for the one
 * resource it names, with the reason the wildcard cannot be narrowed. Anything not listed here
 * fails the synth.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { MlopsPipeline } from './mlops-pipeline.js';

/** cdk-nag's rendering of a resource in a finding id: tokens become `<Logical.Attr>`, `<AWS::Region>`. */
export function nagResourceText(stack: Stack, value: unknown): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o['Fn::Join'])) {
        const [sep, items] = o['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(sep);
      }
      if (o['Fn::Sub'] !== undefined) return visit(o['Fn::Sub']);
      if (Array.isArray(o['Fn::GetAtt'])) {
        const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(res)}.${visit(attr)}>`;
      }
      if (o['Fn::ImportValue'] !== undefined) return visit(o['Fn::ImportValue']);
      if (o['Ref'] !== undefined) return `<${visit(o['Ref'])}>`;
    }
    return JSON.stringify(node);
  };
  return visit(stack.resolve(value));
}

function acknowledgeResource(scope: IConstruct, stack: Stack, resource: unknown, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceText(stack, resource)}]`, reason });
}

export function addNagSuppressions(stack: Stack, p: MlopsPipeline): void {
  const smPolicy = p.sageMakerExecution.policy;
  acknowledgeResource(
    smPolicy,
    stack,
    p.bucket.arnForObjects('*'),
    'SageMaker jobs read inputs and write outputs under keys the pipeline YAML chooses at run time (<model>/processing/..., <model>/model/<job>/output/model.tar.gz); the grant is limited to the pipeline bucket',
  );
  acknowledgeResource(
    smPolicy,
    stack,
    `arn:${stack.partition}:s3:::sagemaker-sample-data-${stack.region}/*`,
    "Read-only access to the region's public SageMaker sample-data bucket, which the seed's pipeline YAML reads its input data from",
  );
  acknowledgeResource(
    smPolicy,
    stack,
    stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    'SageMaker writes each job to a log group per job type (/aws/sagemaker/ProcessingJobs, TrainingJobs, TransformJobs, Endpoints/<name>) and a stream per job, both named at run time; the grant is limited to the /aws/sagemaker/ prefix',
  );
  acknowledgeResource(
    smPolicy,
    stack,
    '*',
    'ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions (the metrics grant is narrowed by a cloudwatch:namespace condition to SageMaker namespaces); image pulls are limited to the scikit-learn repository',
  );

  const sfnDefaultPolicy = p.stateMachine.role.node.findChild('DefaultPolicy');
  acknowledgeResource(
    sfnDefaultPolicy,
    stack,
    '*',
    "Step Functions' logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) actions support no resource-level permissions",
  );

  for (const grant of p.stateMachine.grants) {
    for (const resource of grant.resources) {
      if (!nagResourceText(stack, resource).includes('*')) continue;
      // A wildcard without a reason stays unacknowledged, so cdk-nag fails the synth.
      if (grant.wildcardReason !== undefined) acknowledgeResource(p.stateMachine.definitionPolicy, stack, resource, grant.wildcardReason);
    }
  }

  const cachePolicy = p.cache.role.node.findChild('DefaultPolicy');
  acknowledgeResource(
    cachePolicy,
    stack,
    p.bucket.arnForObjects('*'),
    "The step cache keys a job on the content of its inputs and copies a reused job's outputs to this run's output locations, all under keys the pipeline YAML chooses at run time; the grant is limited to the pipeline bucket (GetObject, PutObject), as the SageMaker execution role's",
  );
  acknowledgeResource(
    cachePolicy,
    stack,
    `arn:${stack.partition}:s3:::sagemaker-sample-data-${stack.region}/*`,
    "Read-only: the step cache keys a job on the content of its inputs, which may be in the region's public SageMaker sample-data bucket (as the seed's pipeline YAML reads)",
  );

  acknowledgeResource(
    p.trigger.role.node.findChild('DefaultPolicy'),
    stack,
    p.bucket.arnForObjects(`${p.pipelineKey.split('/')[0]}/*`),
    "The trigger reads the pipeline YAML the schedule's event names; the grant is limited to this model's prefix of the pipeline bucket",
  );
}
