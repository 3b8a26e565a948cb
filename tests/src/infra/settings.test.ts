import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { resolveDeploymentSettings, seedFarmerParameterVariable } from '../../../src/infra/settings.js';

test('defaults are the seed\'s: model demo, daily at 06:00 UTC, no email, environment-agnostic', () => {
  assert.deepEqual(resolveDeploymentSettings({}, {}), {
    stackName: 'mlops-sfn-demo',
    modelName: 'demo',
    scheduleExpression: 'cron(0 6 * * ? *)',
    timezone: 'UTC',
  });
});

test("Seed-Farmer's parameter variables are read, and the stack takes the module's name", () => {
  assert.equal(seedFarmerParameterVariable('model-name'), 'SEEDFARMER_PARAMETER_MODEL_NAME');
  assert.equal(seedFarmerParameterVariable('approval-email'), 'SEEDFARMER_PARAMETER_APPROVAL_EMAIL');
  const s = resolveDeploymentSettings(
    {},
    {
      SEEDFARMER_PARAMETER_MODEL_NAME: 'census',
      SEEDFARMER_PARAMETER_SCHEDULE: '30 2 ? * MON-FRI *',
      SEEDFARMER_PARAMETER_TIMEZONE: 'Europe/London',
      SEEDFARMER_PARAMETER_APPROVAL_EMAIL: 'ml@example.com',
      SEEDFARMER_PROJECT_NAME: 'aiops',
      SEEDFARMER_DEPLOYMENT_NAME: 'mlops',
      SEEDFARMER_MODULE_NAME: 'mlops-stepfunctions',
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'eu-west-2',
    },
  );
  assert.deepEqual(s, {
    stackName: 'aiops-mlops-mlops-stepfunctions',
    modelName: 'census',
    scheduleExpression: 'cron(30 2 ? * MON-FRI *)',
    timezone: 'Europe/London',
    approvalEmail: 'ml@example.com',
    account: '123456789012',
    region: 'eu-west-2',
  });
});

test('flags win over the environment; blank variables count as unset', () => {
  const s = resolveDeploymentSettings(
    { modelName: 'churn', schedule: 'cron(0 0 1 * ? *)', stackName: 'Custom-Stack' },
    { SEEDFARMER_PARAMETER_MODEL_NAME: 'census', SEEDFARMER_PARAMETER_TIMEZONE: '  ' },
  );
  assert.equal(s.modelName, 'churn');
  assert.equal(s.scheduleExpression, 'cron(0 0 1 * ? *)');
  assert.equal(s.timezone, 'UTC');
  assert.equal(s.stackName, 'Custom-Stack');
});

test('bad values are one-line errors before anything is built', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ modelName: 'my model' }, /invalid model name "my model"/],
    [{ modelName: '-demo' }, /invalid model name/],
    [{ schedule: '0 6 * * *' }, /invalid cron expression "0 6 \* \* \*": expected 6 fields/],
    [{ timezone: 'Moon/Base' }, /invalid time zone "Moon\/Base"/],
    [{ approvalEmail: 'not-an-email' }, /invalid approval email/],
    [{ stackName: '1stack' }, /invalid stack name/],
    [{ region: 'narnia' }, /invalid region/],
    [{ account: '12345' }, /invalid account/],
  ];
  for (const [input, msg] of bad) {
    assert.throws(
      () => resolveDeploymentSettings(input, {}),
      (e: unknown) => e instanceof UserError && msg.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(input),
    );
  }
});
