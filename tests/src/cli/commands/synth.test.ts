/**
 * `mlops-sfn synth` end to end, offline: the command synthesizes the default app, the real AWS
 * CDK CLI accepts the assembly, and cdk-nag stops a template with an
 * unexplained wildcard.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import * as iam from 'aws-cdk-lib/aws-iam';
import { cdkArgv, cdkDeployArgs, cdkDestroyArgs, runCdk } from '../../../../src/infra/cdk-cli.js';
import { renderedPipelineDefinition } from '../../../../src/infra/pipeline-definition.js';
import { resolveDeploymentSettings } from '../../../../src/infra/settings.js';
import { buildApp, NagFindingsError, newApp, readValidationReport, synthesizeApp } from '../../../../src/infra/synth.js';
import { registerSynthCommand } from '../../../../src/cli/commands/synth.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mlops-sfn-synth-test-'));
  dirs.push(d);
  return d;
}

/**
 * The CDK CLI with no AWS credentials or configuration reachable, and no telemetry. CDK_HOME: the
 * CLI keeps its caches under the account's home directory (not $HOME) unless told otherwise.
 */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: home, CDK_HOME: join(home, '.cdk'), CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
}

const out = join(tmpdir(), `mlops-sfn-synth-cli-${process.pid}`);
dirs.push(out);

test('synth writes the default template offline, and the CDK CLI reads the assembly without reaching for its notices', { timeout: 240_000 }, async () => {
  const program = new Command().exitOverride();
  registerSynthCommand(program);
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => (printed.push(String(s)), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['synth', '--out', out], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  const summary = printed.join('').split('\n').filter((l) => l.startsWith('synthesized ') || l.startsWith('template: '));
  const said = /^synthesized mlops-sfn-demo: (\d+) resources, cdk-nag AwsSolutions passed \((\d+) acknowledged findings, each with its reason\)$/.exec(summary[0]!);
  assert.ok(said, summary[0]);
  assert.equal(summary[1], `template: ${join(out, 'mlops-sfn-demo.template.json')}`);
  const template = JSON.parse(readFileSync(join(out, 'mlops-sfn-demo.template.json'), 'utf8'));
  assert.equal(Number(said[1]), Object.keys(template.Resources).length, 'the summary counts the template\'s resources');
  const schedule = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Scheduler::Schedule');
  assert.equal(schedule.Properties.ScheduleExpression, 'cron(0 6 * * ? *)');
  assert.equal(schedule.Properties.ScheduleExpressionTimezone, 'UTC');
  assert.equal(template.Outputs.PipelineKey.Value, 'demo/scripts/input.yaml');

  const home = tempDir();
  const ls = await runCdk(['ls', '--app', out], { env: offlineEnv(home) });
  assert.equal(ls.code, 0, ls.stderr);
  assert.equal(ls.stdout.trim(), 'mlops-sfn-demo');
  // The connectivity check and the notices download leave their caches here.
  const cdkHome = join(home, '.cdk');
  const cached = existsSync(cdkHome) ? readdirSync(cdkHome, { recursive: true }).map(String) : [];
  assert.deepEqual(cached.filter((f) => /connection|notices/.test(f)), []);
});

test('deploy and destroy through the CDK CLI fail clearly without AWS credentials', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(out, 'manifest.json')), 'runs after the synth test');
  const env = offlineEnv(tempDir());
  const deploy = await runCdk(
    cdkDeployArgs({ assemblyDir: out, stackName: 'mlops-sfn-demo', outputsFile: join(tempDir(), 'outputs.json'), requireApproval: 'never' }),
    { env },
  );
  assert.notEqual(deploy.code, 0);
  assert.match(deploy.stdout + deploy.stderr, /Unable to resolve AWS account to use/);
  const destroy = await runCdk(cdkDestroyArgs({ assemblyDir: out, stackName: 'mlops-sfn-demo', force: true }), { env });
  assert.notEqual(destroy.code, 0);
  assert.match(destroy.stdout + destroy.stderr, /Unable to resolve AWS account to use|credentials/i);
});

test('the CDK CLI is driven with argv arrays naming the assembly and the stack', () => {
  assert.deepEqual(cdkDeployArgs({ assemblyDir: '/a', stackName: 's', outputsFile: '/o.json', requireApproval: 'never', profile: 'p' }), [
    'deploy', 's', '--app', '/a', '--outputs-file', '/o.json', '--progress', 'events', '--require-approval', 'never', '--profile', 'p',
  ]);
  assert.deepEqual(cdkDestroyArgs({ assemblyDir: '/a', stackName: 's', force: true }), ['destroy', 's', '--app', '/a', '--force']);
  assert.deepEqual(cdkArgv(['ls']).slice(1), ['ls', '--no-notices']);
});

test('cdk-nag fails the synth on a wildcard nobody explained, naming the policy and the finding', () => {
  const outdir = tempDir();
  // No bundling, and no CloudFormation schema rules: this test is about cdk-nag alone.
  const app = newApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = buildApp(app, { settings: resolveDeploymentSettings({}, {}), definition: renderedPipelineDefinition() });
  new iam.Policy(stack, 'Unexplained', {
    roles: [stack.pipeline.trigger.role],
    statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
  });
  assert.throws(
    () => synthesizeApp(app, stack, outdir),
    (e: unknown) => e instanceof NagFindingsError && e.findings.length === 1 && e.findings[0] === 'mlops-sfn-demo/Unexplained/Resource: AwsSolutions-IAM5[Resource::*]',
  );
  assert.equal(readValidationReport(outdir)!.pluginReports[0]!.conclusion, 'failure');
});
