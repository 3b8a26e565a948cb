/**
 * The flags every command that talks to a deployed stack shares (`start`, `executions`,
 * `approve`/`reject` with `--cloud`): which stack, which region and profile, and an endpoint
 * override so the same commands work against the local API.
 */
import { Option, type Command } from 'commander';

export interface CloudOptions {
  cloud?: boolean;
  /** CloudFormation stack the outputs are read from (default: the one `deploy` creates). */
  stackName?: string;
  modelName?: string;
  stateMachineArn?: string;
  functionName?: string;
  bucket?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** The home's own stack (its running `serve`, or a local API over its records): hints name local commands. */
  localHome?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables that stand in for the flags (flags win). */
export const CLOUD_ENV = {
  stateMachineArn: 'MLOPS_SFN_STATE_MACHINE_ARN',
  functionName: 'MLOPS_SFN_FUNCTION_NAME',
  bucket: 'MLOPS_SFN_BUCKET',
  stackName: 'MLOPS_SFN_STACK',
} as const;

/**
 * Adds the cloud flags. `what` decides which overrides are offered: the state machine for commands
 * that read executions, the trigger function and bucket as well for `start`.
 */
export function addCloudOptions(cmd: Command, what: { trigger?: boolean; stack?: boolean } = {}): Command {
  cmd.option('--cloud', 'talk to the deployed stack in AWS (credentials from the usual AWS chain: AWS_PROFILE, aws configure, aws sso login)');
  if (what.stack !== false) {
    cmd
      .option('--stack-name <name>', `CloudFormation stack to read the outputs from (env ${CLOUD_ENV.stackName}; default: the stack \`deploy\` creates, mlops-sfn-<model-name> or Seed-Farmer's <project>-<deployment>-<module>)`)
      .addOption(new Option('--stack <name>', 'same as --stack-name').hideHelp())
      .option('--model-name <name>', 'model identifier the stack was deployed with (env SEEDFARMER_PARAMETER_MODEL_NAME, default demo)');
  }
  cmd.option('--state-machine-arn <arn>', `use this state machine instead of the stack's StateMachine output (env ${CLOUD_ENV.stateMachineArn})`);
  if (what.trigger) {
    cmd
      .option('--function-name <name|arn>', `use this trigger Lambda instead of the stack's LambdaFunction output (env ${CLOUD_ENV.functionName})`)
      .option('--bucket <name>', `use this bucket instead of the stack's MlOpsBucket output (env ${CLOUD_ENV.bucket})`);
  }
  return cmd
    .option('--region <region>', 'AWS region (default: AWS_REGION, or the profile\'s region)')
    .option('--profile <name>', 'AWS profile to use (default: AWS_PROFILE, else the default profile)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint, e.g. the local API of `mlops-sfn serve` (env AWS_ENDPOINT_URL)');
}

/** Commander keeps `--stack` apart from `--stack-name`; they mean the same. */
export function normalizeCloudOptions<T extends CloudOptions & { stack?: string }>(opts: T): T {
  if (opts.stack !== undefined && opts.stackName === undefined) return { ...opts, stackName: opts.stack };
  return opts;
}

/** Whether a command should take its cloud path: `--cloud`, or an endpoint to talk to. */
export function wantsCloud(opts: CloudOptions): boolean {
  return opts.cloud === true || opts.endpointUrl !== undefined;
}

/** The flag's value, else its environment variable (empty counts as unset). */
export function fromFlagOrEnv(flag: string | undefined, env: Env, name: string): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export const CLOUD_HELP = `
Which stack: the state machine, trigger function and bucket come from the outputs of the stack
\`deploy\` created (CloudFormation DescribeStacks), unless given with the flags or environment.
Credentials and region come from the AWS SDK's usual chain (AWS_PROFILE or --profile,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws sso login; AWS_REGION or --region).
With --endpoint-url pointing at a local API (127.0.0.1/localhost), missing credentials and
region default to local ones.`;
