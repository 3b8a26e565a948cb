/**
 * `mlops-sfn deploy` and `mlops-sfn destroy`: synthesize in process (cdk-nag included), then drive
 * the AWS CDK CLI on that cloud assembly. After a deploy, `--pipeline` uploads the filled-in
 * pipeline YAML and its scripts to where the schedule's trigger reads them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { addStackOptions, settingsFromOptions, type StackOptions } from './synth.js';

export interface DeployOptions extends StackOptions {
  out: string;
  outputsFile?: string;
  pipeline?: string;
  requireApproval?: 'never' | 'any-change' | 'broadening';
  profile?: string;
}

export interface DestroyOptions extends StackOptions {
  out: string;
  force?: boolean;
  profile?: string;
}

export interface CdkIo {
  /** Let the CDK CLI use the terminal (default); tests capture instead. */
  inherit?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function cdkFailure(verb: string, run: { code: number; stderr: string }, inherited: boolean): UserError {
  const last = run.stderr.trim().split('\n').filter((l) => l.trim() !== '').pop();
  const detail = inherited ? 'see the CDK output above' : (last ?? 'no output');
  return new UserError(`cdk ${verb} failed (exit ${run.code}): ${detail}`, 'CDK_FAILED', 1);
}

export async function deployCommand(opts: DeployOptions, io: CdkIo = {}): Promise<void> {
  const log = io.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const inherit = io.inherit ?? true;
  const settings = settingsFromOptions(opts, io.env ?? process.env);
  // A pipeline that cannot be uploaded is reported before anything is deployed.
  if (opts.pipeline !== undefined) await checkPipeline(opts.pipeline);
  // No credentials (or an expired SSO login): say so now, not after a minute of synthesis and cdk-nag.
  const { resolveAwsAccess } = await import('../../cloud/cloud-session.js');
  await resolveAwsAccess({ ...(opts.region !== undefined ? { region: opts.region } : {}), ...(opts.profile !== undefined ? { profile: opts.profile } : {}) });
  const { synthesize } = await import('../../infra/synth.js');
  const { cdkDeployArgs, runCdk } = await import('../../infra/cdk-cli.js');
  const outdir = resolve(opts.out);
  mkdirSync(outdir, { recursive: true });
  const synth = await synthesize({ settings, outdir });
  log(`synthesized ${synth.stackName} (cdk-nag AwsSolutions passed); deploying with the AWS CDK CLI`);
  const outputsFile = resolve(opts.outputsFile ?? join(outdir, 'outputs.json'));
  const run = await runCdk(
    cdkDeployArgs({
      assemblyDir: outdir,
      stackName: synth.stackName,
      outputsFile,
      ...(opts.requireApproval !== undefined ? { requireApproval: opts.requireApproval } : {}),
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    }),
    { inherit, ...(io.env !== undefined ? { env: io.env } : {}) },
  );
  if (run.code !== 0) throw cdkFailure('deploy', run, inherit);
  log(`outputs: ${outputsFile}`);
  if (opts.pipeline !== undefined) await uploadAfterDeploy(opts.pipeline, outputsFile, synth.stackName, opts.profile, log);
}

async function checkPipeline(pipeline: string): Promise<void> {
  const { hasErrors, InvalidPipelineError, loadPipeline } = await import('../../config/index.js');
  const loaded = await loadPipeline(pipeline);
  if (hasErrors(loaded.problems)) throw new InvalidPipelineError(loaded.file, loaded.problems);
}

async function uploadAfterDeploy(pipeline: string, outputsFile: string, stackName: string, profile: string | undefined, log: (l: string) => void): Promise<void> {
  const { deploymentValuesFromOutputs, planPipelineUpload, regionOfArn, uploadPlan } = await import('../../engine/pipeline-upload.js');
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  const outputs = all[stackName];
  if (!outputs) throw new UserError(`${outputsFile} has no outputs for stack ${stackName}`, 'MISSING_OUTPUT');
  const region = regionOfArn(outputs['StateMachine'] ?? '');
  const values = deploymentValuesFromOutputs(outputs, region);
  const plan = await planPipelineUpload(pipeline, values);
  const { S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region, ...(profile !== undefined ? { profile } : {}) });
  await uploadPlan(plan, s3, log);
  log(`uploaded ${plan.entries.length} object${plan.entries.length === 1 ? '' : 's'}: the schedule will run s3://${plan.bucket}/${values.modelName}/scripts/input.yaml`);
}

export async function destroyCommand(opts: DestroyOptions, io: CdkIo = {}): Promise<void> {
  const inherit = io.inherit ?? true;
  const settings = settingsFromOptions(opts, io.env ?? process.env);
  const { synthesize } = await import('../../infra/synth.js');
  const { cdkDestroyArgs, runCdk } = await import('../../infra/cdk-cli.js');
  const outdir = resolve(opts.out);
  mkdirSync(outdir, { recursive: true });
  // Destroying needs the stack's name, not its Lambda bundles.
  const synth = await synthesize({ settings, outdir, bundle: false });
  const run = await runCdk(
    cdkDestroyArgs({ assemblyDir: outdir, stackName: synth.stackName, ...(opts.force ? { force: true } : {}), ...(opts.profile !== undefined ? { profile: opts.profile } : {}) }),
    { inherit, ...(io.env !== undefined ? { env: io.env } : {}) },
  );
  if (run.code !== 0) throw cdkFailure('destroy', run, inherit);
}

function parseApproval(v: string): 'never' | 'any-change' | 'broadening' {
  if (v === 'never' || v === 'any-change' || v === 'broadening') return v;
  throw new UserError(`--require-approval must be never, any-change or broadening, not ${JSON.stringify(v)}`);
}

export function registerDeployCommands(program: Command): void {
  addStackOptions(program.command('deploy').description('Deploy the pipeline stack to AWS with the AWS CDK CLI (needs AWS credentials)'))
    .option('--out <dir>', 'cloud assembly folder', 'cdk.out')
    .option('--outputs-file <file>', 'where to write the stack outputs (default <out>/outputs.json)')
    .option('--pipeline <dir|yaml>', 'after deploying, upload this pipeline (YAML filled with the deployment values, and its scripts/ folder)')
    .option('--require-approval <level>', 'security-change approval: never, any-change or broadening (CDK default: broadening)', parseApproval)
    .option('--profile <name>', 'AWS profile to use')
    .addHelpText('after', '\nExit codes: 0 deployed, 1 the CDK CLI or an upload failed, 2 bad option, pipeline or cdk-nag finding.')
    .action(async (opts: DeployOptions) => {
      await deployCommand(opts);
    });
  addStackOptions(program.command('destroy').description('Delete the pipeline stack with the AWS CDK CLI (the buckets and the state machine log group are retained)'))
    .option('--out <dir>', 'cloud assembly folder', 'cdk.out')
    .option('--force', 'do not ask for confirmation')
    .option('--profile <name>', 'AWS profile to use')
    .addHelpText('after', '\nExit codes: 0 destroyed, 1 the CDK CLI failed, 2 bad option.')
    .action(async (opts: DestroyOptions) => {
      await destroyCommand(opts);
    });
}
