/**
 * The rest of Step Functions through boto3 (Python 3.11 on the PATH; skipped with a message where it
 * is absent): a version published on create, an alias, an execution through it, tags, a definition
 * validated, an activity worked by a Python worker loop (get_activity_task / send_task_success),
 * TestState with inject_host_prefix=False, and AWS's error codes as botocore raises them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { apiHarness } from '../../support/local-api.js';

const PYTHON = 'python3.11';

const SCRIPT = `
import json, sys, time, boto3
from botocore.config import Config
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
sfn = boto3.client("stepfunctions", config=Config(inject_host_prefix=False), **kw)
role = "arn:aws:iam::111111111111:role/r"
out = {}
act = sfn.create_activity(name="py-worker")["activityArn"]
definition = json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": act, "TimeoutSeconds": 30, "End": True}}})
created = sfn.create_state_machine(name="py", definition=definition, roleArn=role, publish=True, versionDescription="v1",
                                   tags=[{"key": "team", "value": "ml"}])
out["version"] = created["stateMachineVersionArn"]
alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[{"stateMachineVersionArn": created["stateMachineVersionArn"], "weight": 100}])
ex = sfn.start_execution(stateMachineArn=alias["stateMachineAliasArn"], input=json.dumps({"n": 20}))
task = sfn.get_activity_task(activityArn=act, workerName="py-1")
sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"doubled": json.loads(task["input"])["n"] * 2}))
while True:
    d = sfn.describe_execution(executionArn=ex["executionArn"])
    if d["status"] != "RUNNING":
        break
    time.sleep(0.05)
out["status"] = d["status"]
out["output"] = d["output"]
out["aliasArn"] = d.get("stateMachineAliasArn")
out["events"] = [e["type"] for e in sfn.get_execution_history(executionArn=ex["executionArn"])["events"]]
out["tags"] = sfn.list_tags_for_resource(resourceArn=created["stateMachineArn"])["tags"]
out["validate"] = sfn.validate_state_machine_definition(definition='{}')
del out["validate"]["ResponseMetadata"]
out["test"] = sfn.test_state(definition=json.dumps({"Type": "Pass", "Result": 1, "End": True}), roleArn=role, inspectionLevel="DEBUG")
del out["test"]["ResponseMetadata"]
try:
    sfn.delete_state_machine_version(stateMachineVersionArn=created["stateMachineVersionArn"])
except sfn.exceptions.ConflictException as e:
    out["conflict"] = e.response["Error"]["Message"]
try:
    sfn.describe_activity(activityArn=act + "-missing")
except sfn.exceptions.ActivityDoesNotExist as e:
    out["missing"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

test('boto3: versions, aliases, an activity worker, tags, ValidateStateMachineDefinition and TestState', { timeout: 90_000 }, async (t) => {
  const probe = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip(`${PYTHON} with boto3 is not available (${(probe.error?.message ?? probe.stderr).trim().split('\n').at(-1)})`);
  const h = await apiHarness();
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(PYTHON, ['-c', SCRIPT, h.api.url], { timeout: 80_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out)));
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const sm = 'arn:aws:states:us-east-1:111111111111:stateMachine:py';
    assert.equal(out['version'], `${sm}:1`);
    assert.equal(out['status'], 'SUCCEEDED');
    assert.equal(out['output'], '{"doubled":40}', 'Step Functions re-serialises the worker output compactly');
    assert.equal(out['aliasArn'], `${sm}:live`);
    assert.deepEqual(out['events'], [
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    assert.deepEqual(out['tags'], [{ key: 'team', value: 'ml' }]);
    assert.deepEqual(out['validate'], {
      result: 'FAIL',
      diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }],
      truncated: false,
    });
    assert.deepEqual(out['test'], {
      output: '1',
      status: 'SUCCEEDED',
      inspectionData: { input: '{}', result: '1', afterResultSelector: '1', afterResultPath: '1' },
    });
    assert.equal(out['conflict'], 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]');
    assert.equal(out['missing'], 'ActivityDoesNotExist');
  } finally {
    await h.close();
  }
});
