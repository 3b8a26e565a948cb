/**
 * Least privilege for the state machine, derived from the definition itself: every Task resource
 * the ASL uses maps to the IAM actions Step Functions needs to call it (as AWS documents them for
 * each integration, and as the CDK's own SageMaker tasks grant them), scoped to this deployment's
 * bucket, topic, functions and SageMaker role. A resource with no mapping fails synth, so the
 * policy can never silently lag behind the definition.
 */
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { parseArn } from '../core/arn.js';
import { UserError } from '../core/errors.js';

export interface Grant {
  /** Statement id: unique per grant, stable across synths. */
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, string | string[]>>;
  /** Why a wildcard resource is needed: becomes the cdk-nag IAM5 suppression reason. */
  wildcardReason?: string;
}

/** The deployment's resources, as ARNs (tokens in CDK). */
export interface PermissionTargets {
  /** `arn:<partition>:<service>:<region>:<account>:<resource>` of this stack. */
  arn(service: string, resource: string): string;
  bucketArn: string;
  sageMakerRoleArn: string;
  /** Function ARNs by definition substitution name (e.g. `ApprovalFunctionArn`). */
  functions: Readonly<Record<string, string>>;
  /** SNS topic ARNs by substitution name. */
  topics: Readonly<Record<string, string>>;
}

export class UnmappedResourceError extends UserError {
  constructor(resource: string, state: string) {
    super(
      `the state machine uses Task resource ${JSON.stringify(resource)} (state ${JSON.stringify(state)}) which has no IAM mapping in src/infra/definition-permissions.ts`,
      'UNMAPPED_RESOURCE',
    );
  }
}

export interface TaskUse {
  state: string;
  resource: string;
  /** `Parameters` or `Arguments`, for integrations whose target is named there (Lambda, SNS). */
  parameters: JsonObject | undefined;
}

/** Every Task state in the definition, nested Parallel branches and Map processors included. */
export function taskUses(definition: JsonObject): TaskUse[] {
  const out: TaskUse[] = [];
  const visitMachine = (machine: Json | undefined): void => {
    if (!isJsonObject(machine) || !isJsonObject(machine['States'])) return;
    for (const [name, state] of Object.entries(machine['States'])) {
      if (!isJsonObject(state)) continue;
      if (state['Type'] === 'Task' && typeof state['Resource'] === 'string') {
        const p = state['Parameters'] ?? state['Arguments'];
        out.push({ state: name, resource: state['Resource'], parameters: isJsonObject(p) ? p : undefined });
      }
      if (Array.isArray(state['Branches'])) for (const b of state['Branches']) visitMachine(b);
      visitMachine(state['ItemProcessor']);
      visitMachine(state['Iterator']);
    }
  };
  visitMachine(definition);
  return out;
}

const SYNC_RULES: Record<string, string> = {
  ProcessingJob: 'StepFunctionsGetEventsForSageMakerProcessingJobsRule',
  TrainingJob: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
  TransformJob: 'StepFunctionsGetEventsForSageMakerTransformJobsRule',
};

const JOB_RESOURCE: Record<string, string> = {
  ProcessingJob: 'processing-job',
  TrainingJob: 'training-job',
  TransformJob: 'transform-job',
};

const NAMED_AT_RUN_TIME =
  'SageMaker names (jobs, models, endpoints, packages) are chosen at run time from the pipeline YAML and the execution name, so the ARN is scoped to this account, region and resource type';

const PIPELINE_OBJECTS =
  "Object keys (e.g. the evaluation job's metrics file) come from the pipeline YAML and the execution name at run time, so the grant covers the pipeline bucket's objects and no other bucket";

/** `${Name}` when the whole string is one substitution placeholder. */
function placeholderName(value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([A-Za-z0-9_]+)\}$/.exec(value);
  return m ? m[1] : undefined;
}

/** The IAM grants the definition's Task states need. */
export function permissionsForDefinition(definition: JsonObject, t: PermissionTargets): Grant[] {
  const grants = new GrantSet();
  for (const use of taskUses(definition)) {
    const needed = grantsForTask(use, t);
    if (needed === undefined) throw new UnmappedResourceError(use.resource, use.state);
    for (const g of needed) grants.add(g);
  }
  return grants.list();
}

/** Grants by statement id: a second grant with the same id adds its actions and resources to the first. */
class GrantSet {
  private readonly grants = new Map<string, Grant>();

  add(g: Grant): void {
    const existing = this.grants.get(g.sid);
    if (!existing) {
      this.grants.set(g.sid, { ...g, actions: [...g.actions], resources: [...g.resources] });
      return;
    }
    for (const a of g.actions) if (!existing.actions.includes(a)) existing.actions.push(a);
    for (const r of g.resources) if (!existing.resources.includes(r)) existing.resources.push(r);
  }

  list(): Grant[] {
    return [...this.grants.values()];
  }
}

/** What one Task state needs; undefined when its resource has no mapping. */
function grantsForTask(use: TaskUse, t: PermissionTargets): Grant[] | undefined {
  // A service integration: arn:<partition>:states:::<service>:<action>, no region or account.
  const arn = parseArn(use.resource);
  const integration = arn?.service === 'states' && arn.region === '' && arn.accountId === '' ? arn.resource : undefined;
  // Otherwise a bare function ARN, written as a substitution placeholder.
  if (integration === undefined) return invokeGrant(use.resource, t);
  const [service, ...rest] = integration.split(':') as [string, ...string[]];
  const action = rest.join(':');
  switch (service) {
    case 'sagemaker':
      return sageMakerGrants(action, t);
    case 'lambda':
      return action === 'invoke' || action === 'invoke.waitForTaskToken' ? invokeGrant(use.parameters?.['FunctionName'], t) : undefined;
    case 'sns': {
      const topic = action === 'publish' ? placeholderTarget(use.parameters?.['TopicArn'], t.topics) : undefined;
      return topic === undefined ? undefined : [{ sid: 'PublishApprovalRequests', actions: ['sns:Publish'], resources: [topic] }];
    }
    case 'aws-sdk': {
      const [sdkService, sdkAction] = rest as [string, string | undefined];
      if (sdkAction === undefined || sdkAction.includes('.')) return undefined;
      const g = awsSdkGrant(sdkService, sdkAction, t);
      return g && [g];
    }
  }
  return undefined;
}

/** The deployment's resource a `${Name}` placeholder names, if the whole value is one. */
function placeholderTarget(value: Json | undefined, targets: Readonly<Record<string, string>>): string | undefined {
  const name = placeholderName(value);
  return name !== undefined ? targets[name] : undefined;
}

/** lambda:InvokeFunction on the pipeline function the placeholder names. */
function invokeGrant(functionName: Json | undefined, t: PermissionTargets): Grant[] | undefined {
  const fn = placeholderTarget(functionName, t.functions);
  return fn === undefined ? undefined : [{ sid: 'InvokePipelineFunctions', actions: ['lambda:InvokeFunction'], resources: [fn] }];
}

function passRoleGrant(t: PermissionTargets): Grant {
  return {
    sid: 'PassSageMakerExecutionRole',
    actions: ['iam:PassRole'],
    resources: [t.sageMakerRoleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  };
}

/** The optimized SageMaker integrations: jobs (request-response or .sync), models, endpoint configs, endpoints. */
function sageMakerGrants(action: string, t: PermissionTargets): Grant[] | undefined {
  const sm = (resource: string): string => t.arn('sagemaker', resource);
  const [api, pattern] = action.split('.') as [string, string | undefined];
  const job = /^create(ProcessingJob|TrainingJob|TransformJob)$/.exec(api);
  if (job) {
    const kind = job[1]!;
    if (pattern !== undefined && pattern !== 'sync') return undefined;
    const grants: Grant[] = [
      {
        sid: `Run${kind}s`,
        actions: [`sagemaker:Create${kind}`, `sagemaker:Describe${kind}`, `sagemaker:Stop${kind}`, 'sagemaker:AddTags', 'sagemaker:ListTags'],
        resources: [sm(`${JOB_RESOURCE[kind]}/*`)],
        wildcardReason: NAMED_AT_RUN_TIME,
      },
    ];
    if (pattern === 'sync') {
      grants.push({
        sid: 'ManageSyncEventRules',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [t.arn('events', `rule/${SYNC_RULES[kind]}`)],
      });
    }
    if (kind !== 'TransformJob') grants.push(passRoleGrant(t));
    return grants;
  }
  if (pattern !== undefined) return undefined;
  switch (api) {
    case 'createModel':
      return [{ sid: 'CreateModels', actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [sm('model/*')], wildcardReason: NAMED_AT_RUN_TIME }, passRoleGrant(t)];
    case 'createEndpointConfig':
      return [
        {
          sid: 'CreateEndpointConfigs',
          actions: ['sagemaker:CreateEndpointConfig', 'sagemaker:AddTags'],
          resources: [sm('endpoint-config/*')],
          wildcardReason: NAMED_AT_RUN_TIME,
        },
      ];
    case 'createEndpoint':
    case 'updateEndpoint':
      return [
        {
          sid: 'DeployEndpoints',
          actions: [api === 'createEndpoint' ? 'sagemaker:CreateEndpoint' : 'sagemaker:UpdateEndpoint', 'sagemaker:AddTags'],
          resources: [sm('endpoint/*'), sm('endpoint-config/*')],
          wildcardReason: NAMED_AT_RUN_TIME,
        },
      ];
    case 'deleteEndpoint':
      return [{ sid: 'DeleteEndpoints', actions: ['sagemaker:DeleteEndpoint'], resources: [sm('endpoint/*')], wildcardReason: NAMED_AT_RUN_TIME }];
  }
  return undefined;
}

/** AWS SDK integrations: the IAM action is the service prefix and the API name in PascalCase. */
function awsSdkGrant(service: string, action: string, t: PermissionTargets): Grant | undefined {
  const sm = (resource: string): string => t.arn('sagemaker', resource);
  const iamAction = `${service}:${action[0]!.toUpperCase()}${action.slice(1)}`;
  if (service === 's3') {
    switch (action) {
      case 'getObject':
        return { sid: 'ReadPipelineObjects', actions: ['s3:GetObject'], resources: [`${t.bucketArn}/*`], wildcardReason: PIPELINE_OBJECTS };
      case 'putObject':
        return { sid: 'WritePipelineObjects', actions: ['s3:PutObject'], resources: [`${t.bucketArn}/*`], wildcardReason: PIPELINE_OBJECTS };
      case 'listObjectsV2':
        return { sid: 'ListPipelineObjects', actions: ['s3:ListBucket'], resources: [t.bucketArn] };
    }
    return undefined;
  }
  if (service !== 'sagemaker') return undefined;
  const byResource: Record<string, string> = {
    describeEndpoint: 'endpoint/*',
    describeEndpointConfig: 'endpoint-config/*',
    deleteEndpoint: 'endpoint/*',
    describeModel: 'model/*',
    describeTrainingJob: 'training-job/*',
    describeProcessingJob: 'processing-job/*',
    describeTransformJob: 'transform-job/*',
    createModelPackageGroup: 'model-package-group/*',
    describeModelPackageGroup: 'model-package-group/*',
    createModelPackage: 'model-package/*',
    describeModelPackage: 'model-package/*',
    updateModelPackage: 'model-package/*',
  };
  const resource = byResource[action];
  if (resource !== undefined) {
    const actions = [iamAction];
    if (action.startsWith('create')) actions.push('sagemaker:AddTags');
    const resources = [sm(resource)];
    // A package version is created inside its group.
    if (action === 'createModelPackage') resources.push(sm('model-package-group/*'));
    return { sid: `SageMaker${action[0]!.toUpperCase()}${action.slice(1)}`, actions, resources, wildcardReason: NAMED_AT_RUN_TIME };
  }
  if (action === 'listModelPackages' || action === 'listModelPackageGroups' || action === 'listEndpoints') {
    return {
      sid: `SageMaker${action[0]!.toUpperCase()}${action.slice(1)}`,
      actions: [iamAction],
      resources: ['*'],
      wildcardReason: `SageMaker's ${iamAction} supports no resource-level permissions (the Service Authorization Reference lists no resource type for it), so it can only be granted on "*"`,
    };
  }
  return undefined;
}
