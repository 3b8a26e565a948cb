/** ARNs and names as AWS shapes them, for the local account and region. */
export interface AwsLocation {
  partition: string;
  region: string;
  accountId: string;
}

export const LOCAL_LOCATION: AwsLocation = { partition: 'aws', region: 'us-east-1', accountId: '111111111111' };

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>` (the resource may hold colons). */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/**
 * Splits an ARN into its parts, or undefined when it is not one. The shape rules AWS applies to an
 * ARN it is handed: a partition of letters and dashes, a region of lower-case letters, digits and
 * dashes (empty for global resources and Step Functions' service integrations), an account of
 * digits (empty likewise); `strictAccount` requires the 12 digits of a real account.
 */
export function parseArn(arn: string, opts: { strictAccount?: boolean; requireRegion?: boolean } = {}): ArnParts | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):([0-9]*):([\s\S]+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, accountId, resource] = m as unknown as [string, string, string, string, string, string];
  if (opts.strictAccount && accountId.length !== 12) return undefined;
  if (opts.requireRegion && region === '') return undefined;
  return { partition, service, region, accountId, resource };
}

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>` in `loc`; a global service's (IAM)
 * has no region.
 */
export function formatArn(loc: AwsLocation, service: string, resource: string, opts: { global?: boolean } = {}): string {
  return `arn:${loc.partition}:${service}:${opts.global ? '' : loc.region}:${loc.accountId}:${resource}`;
}

export function stateMachineArn(loc: AwsLocation, name: string): string {
  return formatArn(loc, 'states', `stateMachine:${name}`);
}

/** Express execution ARNs carry a third part, a run id, after the execution name. */
export function executionArn(loc: AwsLocation, machineName: string, executionName: string, expressRunId?: string): string {
  if (expressRunId !== undefined) return formatArn(loc, 'states', `express:${machineName}:${executionName}:${expressRunId}`);
  return formatArn(loc, 'states', `execution:${machineName}:${executionName}`);
}

export function mapRunArn(loc: AwsLocation, machineName: string, label: string, id: string): string {
  return formatArn(loc, 'states', `mapRun:${machineName}/${label}:${id}`);
}

/** The role an execution runs as when none is given (the local account's). */
export function localRoleArn(loc: AwsLocation): string {
  return formatArn(loc, 'iam', 'role/mlops-sfn-local', { global: true });
}

/**
 * Step Functions' rule for state machine and execution names: 1-80 characters, none of
 * whitespace, brackets, wildcards, the listed punctuation, or control characters.
 */
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function nameProblem(name: string, what: string): string | undefined {
  if (name.length < 1 || name.length > 80) return `${what} must be 1 to 80 characters long`;
  const bad = FORBIDDEN_NAME_CHARS.exec(name);
  if (bad) return `${what} contains a character AWS does not allow: ${JSON.stringify(bad[0])}`;
  return undefined;
}
