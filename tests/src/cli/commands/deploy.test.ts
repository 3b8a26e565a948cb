import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { execFile } from 'node:child_process';
import { Command } from 'commander';
import { InvalidPipelineError } from '../../../../src/config/index.js';
import { deployCommand, registerDeployCommands } from '../../../../src/cli/commands/deploy.js';
import { CLI } from '../../../support/cli.js';

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

test('without AWS credentials, deploy stops at once with one line saying what to do (exit 2), before synthesizing', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [CLI, 'deploy', '--model-name', 'census', '--out', join(dir, 'cdk.out')], { env, encoding: 'utf8', timeout: 50_000 }, (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
  const noRegion = await run(offline(dir));
  assert.equal(noRegion.code, 2, noRegion.stderr);
  assert.equal(noRegion.stderr, 'mlops-sfn: no AWS region: set AWS_REGION (e.g. export AWS_REGION=us-east-1), pass --region, or give your profile a region (aws configure)\n');
  const noCredentials = await run({ ...offline(dir), AWS_REGION: 'eu-west-1' });
  assert.equal(noCredentials.code, 2, noCredentials.stderr);
  assert.match(noCredentials.stderr, /^mlops-sfn: no AWS credentials found: set AWS_PROFILE .*aws sso login.*\n$/);
  assert.equal(noCredentials.stdout, '', 'nothing was synthesized');
  assert.equal(existsSync(join(dir, 'cdk.out')), false, 'no cloud assembly was written');
});

test('deploy and destroy options are validated', async () => {
  const program = new Command().exitOverride();
  program.configureOutput({ writeErr: () => {} });
  registerDeployCommands(program);
  await assert.rejects(program.parseAsync(['deploy', '--require-approval', 'sometimes'], { from: 'user' }), /--require-approval must be never, any-change or broadening/);
  await assert.rejects(program.parseAsync(['destroy', '--schedule', '0 6 * * *'], { from: 'user' }), /invalid cron expression "0 6 \* \* \*": expected 6 fields/);
});
