import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import { cloudFlagsHint, finishedLine } from '../../../../src/cloud/cloud-start.js';
import { registerStartCommand, startCommand } from '../../../../src/cli/commands/start.js';

test('start documents every cloud flag, --wait and --interval', () => {
  const program = new Command('mlops-sfn');
  registerStartCommand(program, () => '.mlops-test-none');
  const cmd = program.commands.find((c) => c.name() === 'start')!;
  assert.deepEqual(
    cmd.options.filter((o) => !o.hidden).map((o) => o.long),
    ['--cloud', '--stack-name', '--model-name', '--state-machine-arn', '--function-name', '--bucket', '--region', '--profile', '--endpoint-url', '--wait', '--interval'],
  );
  for (const o of cmd.options) assert.ok(o.description.length > 10, `${o.long} has a description`);
  assert.match(cmd.helpInformation() + '', /Start the deployed pipeline now/);
});

test('start refuses to guess: without --cloud it points to the local run', async () => {
  await assert.rejects(startCommand({}, { log: () => {} }), (e: unknown) => e instanceof UserError && e.exitCode === 2 && /add --cloud/.test(e.message) && /mlops-sfn serve <pipeline>/.test(e.message));
});

test('--interval and --region are checked before anything is called', async () => {
  const program = new Command('mlops-sfn').exitOverride();
  program.configureOutput({ writeErr: () => {} });
  registerStartCommand(program, () => '.mlops-test-none');
  await assert.rejects(program.parseAsync(['start', '--cloud', '--interval', '0'], { from: 'user' }), /--interval must be a number of seconds between 0.1 and 3600/);
  await assert.rejects(startCommand({ cloud: true, region: 'Europe' }, { log: () => {} }), /invalid region "Europe": expected a name like us-east-1/);
  await assert.rejects(startCommand({ endpointUrl: 'localhost:4566' }, { log: () => {} }), /invalid --endpoint-url "localhost:4566"/);
});

test('follow-up hints carry the flags that reach the same stack', () => {
  assert.equal(cloudFlagsHint({ cloud: true }), '');
  assert.equal(cloudFlagsHint({ stackName: 'ml-prod', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' }), ' --stack-name ml-prod --region eu-west-1 --endpoint-url http://127.0.0.1:4566');
  assert.equal(cloudFlagsHint({ profile: 'my team' }), ' --profile "my team"');
});

test('the end of --wait: success in one line, anything else exit 1 with AWS error and cause', () => {
  const base = { name: 'census-1', arn: 'arn', stateMachineArn: 'sm', startDate: 0 };
  assert.equal(finishedLine({ ...base, status: 'SUCCEEDED', stopDate: 65_000 }), 'census-1 succeeded in 01:05.0');
  assert.throws(
    () => finishedLine({ ...base, status: 'FAILED', stopDate: 1000, error: 'Pipeline.ModelRejected', cause: 'Rejected by bob' }),
    (e: unknown) => e instanceof UserError && e.exitCode === 1 && e.message === 'census-1 failed in 00:01.0: error: Pipeline.ModelRejected; cause: Rejected by bob',
  );
  assert.throws(() => finishedLine({ ...base, status: 'TIMED_OUT' }), /^UserError: census-1 timed out$/);
});
