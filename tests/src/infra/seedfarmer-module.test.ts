/** The Seed-Farmer module folder (seedfarmer/) agrees with the code that reads its parameters. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse, type Tags } from 'yaml';
import { packageFile } from '../../../src/core/package-root.js';
import { resolveDeploymentSettings, seedFarmerParameterVariable } from '../../../src/infra/settings.js';

const read = (...p: string[]) => readFileSync(packageFile('seedfarmer', ...p), 'utf8');

interface Phase {
  commands: string[];
}
interface DeploySpec {
  publishGenericEnvVariables: boolean;
  deploy: { phases: Record<string, Phase> };
  destroy: { phases: Record<string, Phase> };
  build_type: string;
}

test('the deployspec installs with npm, deploys with mlops-sfn (CDK CLI) and converts the outputs to metadata', { timeout: 30_000 }, () => {
  const spec = parse(read('deployspec.yaml')) as DeploySpec;
  assert.equal(spec.publishGenericEnvVariables, true, 'parameters arrive as SEEDFARMER_PARAMETER_*');
  const install = spec.deploy.phases['install']!.commands.join('\n');
  assert.match(install, /npm install .*"\$\{SEEDFARMER_PARAMETER_MLOPS_SFN_PACKAGE:-mlops-sfn@0\.1\.0\}"/);
  const build = spec.deploy.phases['build']!.commands;
  assert.match(build[0]!, /npx mlops-sfn deploy --require-approval never --out cdk.out --outputs-file cdk-exports.json --pipeline "\$PIPELINE_DIR"/);
  assert.equal(build[1], 'seedfarmer metadata convert -f cdk-exports.json || true');
  assert.deepEqual(spec.destroy.phases['build']!.commands, ['npx mlops-sfn destroy --force --out cdk.out']);
  // Every multi-line command is valid bash.
  for (const c of [...build, ...spec.destroy.phases['build']!.commands]) {
    const r = spawnSync('bash', ['-n', '-c', c]);
    assert.equal(r.status, 0, `${c}\n${r.stderr}`);
  }
});

test("the example manifest's parameters are what the deployment reads", () => {
  const manifest = parse(read('examples', 'modules.yaml')) as { name: string; path: string; parameters: { name: string; value: string }[] };
  assert.deepEqual(
    manifest.parameters.map((p) => p.name),
    ['model-name', 'schedule', 'timezone', 'approval-email'],
  );
  const env: Record<string, string> = {
    SEEDFARMER_PROJECT_NAME: 'aiops',
    SEEDFARMER_DEPLOYMENT_NAME: 'mlops',
    SEEDFARMER_MODULE_NAME: manifest.name,
  };
  for (const p of manifest.parameters) env[seedFarmerParameterVariable(p.name)] = String(p.value);
  assert.deepEqual(resolveDeploymentSettings({}, env), {
    stackName: 'aiops-mlops-mlops-stepfunctions',
    modelName: 'demo',
    scheduleExpression: 'cron(0 6 * * ? *)',
    timezone: 'Europe/London',
    approvalEmail: 'ml-approvers@example.com',
  });
  const deployment = parse(read('examples', 'deployment.yaml')) as { groups: { name: string; path: string }[] };
  assert.deepEqual(deployment.groups, [{ name: 'mlops', path: 'seedfarmer/examples/modules.yaml' }]);
});

test('the modulestack grants only the upload, to the module role', () => {
  // CloudFormation's short-form tags, kept as plain values for inspection.
  const cfnTags: Tags = ['!Sub', '!Ref'].map((tag) => ({ tag, resolve: (v: string) => ({ [tag]: v }) }));
  const stack = parse(read('modulestack.yaml'), { customTags: cfnTags }) as {
    Parameters: Record<string, unknown>;
    Resources: { Policy: { Type: string; Properties: { Roles: unknown[]; PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } } } };
  };
  assert.deepEqual(Object.keys(stack.Parameters).sort(), ['DeploymentName', 'ModuleName', 'RoleName']);
  const policy = stack.Resources.Policy;
  assert.equal(policy.Type, 'AWS::IAM::Policy');
  assert.deepEqual(policy.Properties.Roles, [{ '!Ref': 'RoleName' }]);
  assert.deepEqual(
    policy.Properties.PolicyDocument.Statement.map((s) => s.Action),
    [['s3:PutObject']],
  );
});
