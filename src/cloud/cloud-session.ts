/**
 * One command's connection to a deployed stack: region and credentials resolved up front (so a
 * missing one fails at once, in one line, before any call), SDK clients for Step Functions and
 * Lambda, and the stack's resources from its CloudFormation outputs — read only when a flag or
 * environment variable does not already name them.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { UserError } from '../core/errors.js';
import { DEFAULT_MODEL_NAME, resolveDeploymentSettings } from '../infra/settings.js';
import { cloudCall, explainCloudError, isLoopbackEndpoint, noCredentialsError, noRegionError, type CloudContext } from './cloud-errors.js';
import { CLOUD_ENV, fromFlagOrEnv, normalizeCloudOptions, type CloudOptions } from './cloud-options.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The local API does not check signatures; these only let the SDK sign its requests. */
const LOCAL_CREDENTIALS = { accessKeyId: 'mlops-sfn-local', secretAccessKey: 'mlops-sfn-local' };
const LOCAL_REGION = 'us-east-1';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where `start` points the trigger: the schedule's own event names the same bucket and key. */
export interface TriggerTarget {
  functionName: string;
  bucket: string;
  key: string;
}

export interface CloudSession {
  readonly region: string;
  readonly context: CloudContext;
  /** The home's own stack: hints name local commands (no --cloud). */
  readonly localHome: boolean;
  readonly sfn: SFNClient;
  readonly lambda: LambdaClient;
  /** The stack's outputs by key (one DescribeStacks call, remembered). */
  outputs(): Promise<Record<string, string>>;
  stateMachineArn(): Promise<string>;
  trigger(): Promise<TriggerTarget>;
  /** Runs an SDK call with the one-line error contract. */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  close(): void;
}

/**
 * A server that accepts and never answers must not hang a command: connecting gets 10 s, a whole
 * call two minutes (the trigger Lambda's Invoke is the slowest: it reads the YAML and starts).
 */
const REQUEST_HANDLER = { connectionTimeout: 10_000, requestTimeout: 120_000, throwOnRequestTimeout: true };

interface ClientConfig {
  requestHandler: typeof REQUEST_HANDLER;
  region: string;
  profile?: string;
  endpoint?: string;
  credentials?: typeof LOCAL_CREDENTIALS;
}

/**
 * The region and credentials the AWS SDK's chain resolves (flags, environment, profile, SSO), or a
 * one-line error saying what to set up. `deploy` asks first, so a missing login is reported in a
 * second instead of after synthesizing the stack.
 */
export async function resolveAwsAccess(opts: { region?: string; profile?: string }): Promise<{ region: string }> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const ctx: CloudContext = { ...(opts.profile !== undefined ? { profile: opts.profile } : {}) };
  const { region } = await probeAccess(opts, ctx, false);
  return { region };
}

/**
 * Resolves region and credentials through the SDK's own chain once, before anything is called
 * (records the region in `ctx`). Against a local endpoint (`local`), what the chain lacks is
 * filled in: the local API checks neither.
 */
async function probeAccess(
  opts: { region?: string; profile?: string },
  ctx: CloudContext,
  local: boolean,
): Promise<{ region: string; credentials?: typeof LOCAL_CREDENTIALS }> {
  const probe = new SFNClient({ ...(opts.region !== undefined ? { region: opts.region } : {}), ...(opts.profile !== undefined ? { profile: opts.profile } : {}) });
  try {
    let region: string;
    try {
      region = await probe.config.region();
    } catch {
      if (!local) throw noRegionError();
      region = LOCAL_REGION;
    }
    ctx.region = region;
    try {
      await probe.config.credentials();
    } catch (e) {
      if (!local) throw explainCloudError(e, ctx, 'credentials') ?? noCredentialsError(ctx);
      return { region, credentials: LOCAL_CREDENTIALS };
    }
    return { region };
  } finally {
    probe.destroy();
  }
}

/** --endpoint-url (or AWS_ENDPOINT_URL) and --region, checked before anything is resolved. */
function checkedEndpoint(opts: CloudOptions, env: Env): string | undefined {
  const endpoint = fromFlagOrEnv(opts.endpointUrl, env, 'AWS_ENDPOINT_URL');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new UserError(`invalid --endpoint-url ${JSON.stringify(endpoint)}: expected a URL like http://127.0.0.1:4566`, 'INVALID_OPTION');
  }
  if (opts.region !== undefined && !REGION.test(opts.region)) {
    throw new UserError(`invalid region ${JSON.stringify(opts.region)}: expected a name like us-east-1`, 'INVALID_OPTION');
  }
  return endpoint;
}

export async function openCloudSession(rawOpts: CloudOptions & { stack?: string }, env: Env = process.env): Promise<CloudSession> {
  // The SDK warns on every command that Node 20 support ends in 2027; that is not this user's news.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const opts = normalizeCloudOptions(rawOpts);
  const endpoint = checkedEndpoint(opts, env);
  const profile = opts.profile;
  const ctx: CloudContext = { ...(profile !== undefined ? { profile } : {}), ...(endpoint !== undefined ? { endpoint } : {}) };
  const { region, credentials } = await probeAccess(opts, ctx, isLoopbackEndpoint(endpoint));
  const config: ClientConfig = {
    requestHandler: REQUEST_HANDLER,
    region,
    ...(profile !== undefined ? { profile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  };
  // The stack `deploy` would create for these flags and this environment (Seed-Farmer's included).
  const stackName = fromFlagOrEnv(opts.stackName, env, CLOUD_ENV.stackName);
  const settings = resolveDeploymentSettings(
    { ...(opts.modelName !== undefined ? { modelName: opts.modelName } : {}), ...(stackName !== undefined ? { stackName } : {}) },
    env,
  );
  ctx.stackName = settings.stackName;
  return new SdkCloudSession(opts, env, ctx, config, settings);
}

type Settings = ReturnType<typeof resolveDeploymentSettings>;

/**
 * The stack's CloudFormation outputs: one DescribeStacks call, made the first time an output is
 * needed (a flag or environment variable naming the resource saves it), then remembered.
 */
class StackOutputs {
  private read: Promise<Record<string, string>> | undefined;
  private client: CloudFormationClient | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly stackName: string,
    private readonly call: <T>(operation: string, fn: () => Promise<T>) => Promise<T>,
  ) {}

  /** Every output by key, plus `__status` (the stack's status). */
  all(): Promise<Record<string, string>> {
    return (this.read ??= this.describe());
  }

  /** The outputs if they have been read already (nothing is called). */
  readAlready(): Promise<Record<string, string>> | undefined {
    return this.read;
  }

  /** One output; its absence says what to do (wait for deploy, redeploy, or pass `flag`). */
  async get(key: string, flag: string): Promise<string> {
    const all = await this.all();
    const v = all[key];
    if (v === undefined || v === '') {
      throw new UserError(
        `stack ${this.stackName} (${all['__status']}) has no ${key} output: wait for \`mlops-sfn deploy\` to finish, redeploy, or pass ${flag}`,
        'MISSING_OUTPUT',
      );
    }
    return v;
  }

  close(): void {
    this.client?.destroy();
  }

  private async describe(): Promise<Record<string, string>> {
    const client = (this.client ??= new CloudFormationClient(this.config));
    const out = await this.call('cloudformation:DescribeStacks', () => client.send(new DescribeStacksCommand({ StackName: this.stackName })));
    const stack = out.Stacks?.[0];
    if (!stack) {
      throw new UserError(`no stack ${this.stackName} in region ${this.config.region}: run \`mlops-sfn deploy\` or pass --stack-name (and --region)`, 'STACK_NOT_FOUND');
    }
    const map: Record<string, string> = {};
    for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) map[o.OutputKey] = o.OutputValue;
    map['__status'] = stack.StackStatus ?? 'UNKNOWN';
    return map;
  }
}

/** A session over the AWS SDK: a resource named by a flag or the environment wins over the stack's output. */
class SdkCloudSession implements CloudSession {
  readonly region: string;
  readonly localHome: boolean;
  readonly sfn: SFNClient;
  readonly lambda: LambdaClient;
  private readonly stack: StackOutputs;

  constructor(
    private readonly opts: CloudOptions,
    private readonly env: Env,
    readonly context: CloudContext,
    config: ClientConfig,
    private readonly settings: Settings,
  ) {
    this.region = config.region;
    this.localHome = opts.localHome === true;
    this.sfn = new SFNClient(config);
    this.lambda = new LambdaClient(config);
    this.stack = new StackOutputs(config, settings.stackName, (operation, fn) => this.call(operation, fn));
  }

  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return cloudCall(this.context, operation, fn);
  }

  outputs(): Promise<Record<string, string>> {
    return this.stack.all();
  }

  async stateMachineArn(): Promise<string> {
    const arn = fromFlagOrEnv(this.opts.stateMachineArn, this.env, CLOUD_ENV.stateMachineArn) ?? (await this.stack.get('StateMachine', '--state-machine-arn'));
    if (!/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
      throw new UserError(`invalid state machine ARN ${JSON.stringify(arn)}: expected arn:aws:states:<region>:<account>:stateMachine:<name>`, 'INVALID_OPTION');
    }
    return arn;
  }

  async trigger(): Promise<TriggerTarget> {
    const functionName = fromFlagOrEnv(this.opts.functionName, this.env, CLOUD_ENV.functionName) ?? (await this.stack.get('LambdaFunction', '--function-name'));
    const bucket = fromFlagOrEnv(this.opts.bucket, this.env, CLOUD_ENV.bucket) ?? (await this.stack.get('MlOpsBucket', '--bucket'));
    // An explicit model name decides the key; otherwise the stack (if it was read) says where its schedule reads.
    let key = `${this.settings.modelName}/scripts/input.yaml`;
    const read = this.stack.readAlready();
    if (this.opts.modelName === undefined && read !== undefined) {
      const all = await read;
      key = all['PipelineKey'] ?? `${all['ModelName'] ?? DEFAULT_MODEL_NAME}/scripts/input.yaml`;
    }
    return { functionName, bucket, key };
  }

  close(): void {
    this.sfn.destroy();
    this.lambda.destroy();
    this.stack.close();
  }
}
