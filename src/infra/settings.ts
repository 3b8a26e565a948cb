/**
 * What a deployment is configured with, from command-line flags, Seed-Farmer's
 * `SEEDFARMER_PARAMETER_*` environment (the module's `model-name`, `schedule`, `timezone`,
 * `approval-email` parameters) and defaults, validated before any construct is built so a bad
 * value is a one-line error rather than a failed CloudFormation deployment.
 */
import { UserError } from '../core/errors.js';
import { parseAwsCron } from '../schedule/index.js';
import { validateTimeZone } from '../schedule/index.js';

export const DEFAULT_MODEL_NAME = 'demo';
/** The seed's schedule: every day at 06:00. */
export const DEFAULT_SCHEDULE = '0 6 * * ? *';
export const DEFAULT_TIMEZONE = 'UTC';

export interface DeploymentSettings {
  stackName: string;
  /** Names the S3 prefix (`<model-name>/scripts/input.yaml`) and the resources. */
  modelName: string;
  /** The EventBridge Scheduler expression, `cron(...)`. */
  scheduleExpression: string;
  /** IANA zone the schedule is evaluated in. */
  timezone: string;
  /** Subscribed to the approval topic when set. */
  approvalEmail?: string;
  /** Pins the stack's environment; when absent the template is environment-agnostic. */
  account?: string;
  region?: string;
}

export interface SettingsInput {
  stackName?: string;
  modelName?: string;
  schedule?: string;
  timezone?: string;
  approvalEmail?: string;
  account?: string;
  region?: string;
}

/** Seed-Farmer's conversion of a parameter name: `model-name` → `SEEDFARMER_PARAMETER_MODEL_NAME`. */
export function seedFarmerParameterVariable(name: string): string {
  return `SEEDFARMER_PARAMETER_${name.replace(/[-\s]/g, '_').toUpperCase()}`;
}

type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(env: Env, parameter: string): string | undefined {
  const v = env[seedFarmerParameterVariable(parameter)];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** SageMaker-style names: they become part of job, model and endpoint names. */
const MODEL_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** CloudFormation: letters, digits and hyphens, starting with a letter, up to 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Flags win over `SEEDFARMER_PARAMETER_*`, which win over the defaults. The stack name defaults to
 * Seed-Farmer's `<project>-<deployment>-<module>` (what `seedfarmer metadata convert` looks up)
 * when those variables are set, else `mlops-sfn-<model-name>`.
 */
export function resolveDeploymentSettings(input: SettingsInput = {}, env: Env = process.env): DeploymentSettings {
  const modelName = input.modelName ?? fromEnv(env, 'model-name') ?? DEFAULT_MODEL_NAME;
  if (!MODEL_NAME.test(modelName)) {
    throw new UserError(
      `invalid model name ${JSON.stringify(modelName)}: use 1-40 letters, digits and hyphens, starting and ending with a letter or digit`,
      'INVALID_SETTING',
    );
  }
  const schedule = parseAwsCron(input.schedule ?? fromEnv(env, 'schedule') ?? DEFAULT_SCHEDULE);
  const timezone = validateTimeZone(input.timezone ?? fromEnv(env, 'timezone') ?? DEFAULT_TIMEZONE);
  const approvalEmail = input.approvalEmail ?? fromEnv(env, 'approval-email');
  if (approvalEmail !== undefined && !EMAIL.test(approvalEmail)) {
    throw new UserError(`invalid approval email ${JSON.stringify(approvalEmail)}: expected an address like ml-team@example.com`, 'INVALID_SETTING');
  }
  const sf = [env['SEEDFARMER_PROJECT_NAME'], env['SEEDFARMER_DEPLOYMENT_NAME'], env['SEEDFARMER_MODULE_NAME']];
  const seedFarmerStack = sf.every((p) => p !== undefined && p !== '') ? sf.join('-') : undefined;
  const stackName = input.stackName ?? seedFarmerStack ?? `mlops-sfn-${modelName}`;
  if (!STACK_NAME.test(stackName)) {
    throw new UserError(
      `invalid stack name ${JSON.stringify(stackName)}: use up to 128 letters, digits and hyphens, starting with a letter`,
      'INVALID_SETTING',
    );
  }
  const account = input.account ?? env['CDK_DEFAULT_ACCOUNT'];
  const region = input.region ?? env['CDK_DEFAULT_REGION'];
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new UserError(`invalid account ${JSON.stringify(account)}: expected 12 digits`, 'INVALID_SETTING');
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new UserError(`invalid region ${JSON.stringify(region)}: expected a name like us-east-1`, 'INVALID_SETTING');
  }
  return {
    stackName,
    modelName,
    scheduleExpression: schedule.expression,
    timezone,
    ...(approvalEmail !== undefined ? { approvalEmail } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}
