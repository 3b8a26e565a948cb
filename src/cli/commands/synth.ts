/**
 * `mlops-sfn synth [--out DIR]`: the CloudFormation template of the deployment, synthesized in
 * process — no credentials, no network, no CDK CLI — with cdk-nag's AwsSolutions checks. The CDK
 * libraries load only here (and in deploy/destroy), never for local runs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { addTimezoneOption } from '../timezone-option.js';
import { resolveDeploymentSettings, type DeploymentSettings, type SettingsInput } from '../../infra/settings.js';

/** Flags shared by synth, deploy and destroy. */
export interface StackOptions {
  modelName?: string;
  schedule?: string;
  timezone?: string;
  approvalEmail?: string;
  stackName?: string;
  region?: string;
  account?: string;
}

export function addStackOptions(cmd: Command): Command {
  cmd
    .option('--model-name <name>', 'model identifier: the S3 prefix and resource names (env SEEDFARMER_PARAMETER_MODEL_NAME, default demo)')
    .option('--schedule <cron>', 'AWS cron expression for the trigger (env SEEDFARMER_PARAMETER_SCHEDULE, default "0 6 * * ? *")');
  return addTimezoneOption(cmd, 'IANA time zone of the schedule (env SEEDFARMER_PARAMETER_TIMEZONE, default UTC)')
    .option('--approval-email <address>', 'subscribe this address to approval requests (env SEEDFARMER_PARAMETER_APPROVAL_EMAIL)')
    .option('--stack-name <name>', 'CloudFormation stack name (default <project>-<deployment>-<module> under Seed-Farmer, else mlops-sfn-<model-name>)')
    .option('--region <region>', 'pin the template to a region (default: environment-agnostic, or CDK_DEFAULT_REGION)')
    .option('--account <id>', 'pin the template to an account (default: environment-agnostic, or CDK_DEFAULT_ACCOUNT)');
}

export function settingsFromOptions(opts: StackOptions, env: NodeJS.ProcessEnv = process.env): DeploymentSettings {
  const input: SettingsInput = {};
  if (opts.modelName !== undefined) input.modelName = opts.modelName;
  if (opts.schedule !== undefined) input.schedule = opts.schedule;
  if (opts.timezone !== undefined) input.timezone = opts.timezone;
  if (opts.approvalEmail !== undefined) input.approvalEmail = opts.approvalEmail;
  if (opts.stackName !== undefined) input.stackName = opts.stackName;
  if (opts.region !== undefined) input.region = opts.region;
  if (opts.account !== undefined) input.account = opts.account;
  return resolveDeploymentSettings(input, env);
}

export interface SynthSummary {
  stackName: string;
  outdir: string;
  templateFile: string;
  resources: number;
  acknowledged: number;
}

/** Synthesizes into `outdir` and summarises; cdk-nag findings throw NagFindingsError (exit 2). */
export async function synthCommand(opts: StackOptions & { out: string }): Promise<SynthSummary> {
  const settings = settingsFromOptions(opts);
  const { synthesize, readValidationReport } = await import('../../infra/synth.js');
  const outdir = resolve(opts.out);
  const r = await synthesize({ settings, outdir });
  const report = readValidationReport(outdir);
  const acknowledged = report?.pluginReports.reduce((n, p) => n + (p.suppressedViolations?.length ?? 0), 0) ?? 0;
  const resources = Object.keys((r.template['Resources'] as object | undefined) ?? {}).length;
  return { stackName: r.stackName, outdir, templateFile: r.templateFile, resources, acknowledged };
}

export function registerSynthCommand(program: Command): void {
  addStackOptions(
    program
      .command('synth')
      .description('Synthesize the AWS CloudFormation template (offline, no credentials) and run the cdk-nag AwsSolutions checks'),
  )
    .option('--out <dir>', 'cloud assembly folder', 'cdk.out')
    .addHelpText('after', '\nExit codes: 0 synthesized, 2 bad option or a cdk-nag finding.')
    .action(async (opts: StackOptions & { out: string }) => {
      const s = await synthCommand(opts);
      process.stdout.write(
        `synthesized ${s.stackName}: ${s.resources} resources, cdk-nag AwsSolutions passed (${s.acknowledged} acknowledged findings, each with its reason)\n` +
          `template: ${s.templateFile}\n`,
      );
    });
}
