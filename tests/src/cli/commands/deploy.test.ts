import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { InvalidPipelineError } from '../../../../src/config/index.js';
import { UserError } from '../../../../src/core/errors.js';
import { deployCommand, registerDeployCommands } from '../../../../src/cli/commands/deploy.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mlops-sfn-deploy-test-'));
  dirs.push(d);
  return d;
}

const offline = (home: string): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'] ?? '',
  HOME: home,
  // The CDK CLI keeps its caches under the account's home directory (not $HOME) unless told otherwise.
  CDK_HOME: join(home, '.cdk'),
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
});

test('a broken pipeline stops the deploy before anything is synthesized', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'pipeline.yaml'), 'app_id: a\nmodel_id: m\njob_prefix: p\ntraining: [\n');
  await assert.rejects(deployCommand({ out: join(dir, 'cdk.out'), pipeline: dir }, { inherit: false, env: offline(dir), log: () => {} }), InvalidPipelineError);
  assert.equal(existsSync(join(dir, 'cdk.out')), false, 'no cloud assembly was written');
});

test('without AWS credentials, deploy synthesizes, runs the CDK CLI and fails with its reason (exit 1)', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const lines: string[] = [];
  await assert.rejects(
    deployCommand({ out: join(dir, 'cdk.out'), modelName: 'census', requireApproval: 'never' }, { inherit: false, env: offline(dir), log: (l) => lines.push(l) }),
    (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.exitCode, 1);
      assert.equal(e.message, 'cdk deploy failed (exit 1): Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment');
      return true;
    },
  );
  assert.deepEqual(lines, ['synthesized mlops-sfn-census (cdk-nag AwsSolutions passed); deploying with the AWS CDK CLI']);
});

test('deploy and destroy options are validated', async () => {
  const program = new Command().exitOverride();
  program.configureOutput({ writeErr: () => {} });
  registerDeployCommands(program);
  await assert.rejects(program.parseAsync(['deploy', '--require-approval', 'sometimes'], { from: 'user' }), /--require-approval must be never, any-change or broadening/);
  await assert.rejects(program.parseAsync(['destroy', '--schedule', '0 6 * * *'], { from: 'user' }), /invalid cron expression "0 6 \* \* \*": expected 6 fields/);
});
