/**
 * RedriveExecution through a real AWS SDK (boto3, in Python) against `serve`: an execution fails at a
 * step whose input is missing; once the input exists, the redrive succeeds with redriveCount 1, and
 * the step that had succeeded before is not run again (its side effect, an object named with
 * $$.Execution.RedriveCount, exists once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;
const PYTHON = 'python3.11';

function boto3Missing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${PYTHON} with boto3 is not available (${(r.error?.message ?? r.stderr).trim().split('\n').at(-1)})`;
}

const DEFINITION = {
  StartAt: 'Mark',
  States: {
    Mark: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:s3:putObject',
      Parameters: { Bucket: 'redrive-test', 'Key.$': "States.Format('marker-{}', $$.Execution.RedriveCount)", Body: 'ran' },
      ResultPath: null,
      Next: 'Read',
    },
    Read: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
      Parameters: { Bucket: 'redrive-test', Key: 'input.txt' },
      ResultSelector: { 'body.$': '$.Body', 'redriveCount.$': '$$.Execution.RedriveCount' },
      End: true,
    },
  },
};

const BOTO3 = `
import json, sys, time, boto3
url, definition = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
sfn = boto3.client("stepfunctions", **kw)
s3 = boto3.client("s3", **kw)
def wait(arn):
    while True:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.1)
s3.create_bucket(Bucket="redrive-test")
sm = sfn.create_state_machine(name="redrive", definition=definition, roleArn="arn:aws:iam::111111111111:role/r")["stateMachineArn"]
arn = sfn.start_execution(stateMachineArn=sm, name="first")["executionArn"]
failed = wait(arn)
try:
    sfn.redrive_execution(executionArn=arn.replace("first", "nope"))
    missing = None
except sfn.exceptions.ExecutionDoesNotExist as e:
    missing = e.response["Error"]["Code"]
s3.put_object(Bucket="redrive-test", Key="input.txt", Body=b"fixed")
sfn.redrive_execution(executionArn=arn)
done = wait(arn)
try:
    sfn.redrive_execution(executionArn=arn)
    again = None
except sfn.exceptions.ExecutionNotRedrivable as e:
    again = e.response["Error"]["Message"]
events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
print(json.dumps({
    "failed": [failed["status"], failed.get("error"), failed.get("redriveStatus")],
    "missing": missing,
    "done": [done["status"], done.get("redriveCount"), json.loads(done["output"])],
    "again": again,
    "redriven": [e["executionRedrivenEventDetails"] for e in events if e["type"] == "ExecutionRedriven"],
    "ids": [e["id"] for e in events],
    "markers": sorted(o["Key"] for o in s3.list_objects_v2(Bucket="redrive-test", Prefix="marker-").get("Contents", [])),
}))
`;
import { CLI } from '../support/cli.js';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('boto3 redrives a failed execution through serve: SUCCEEDED with redriveCount 1; the step that succeeded is not run again', { timeout: 120_000 }, async (t) => {
  const missing = boto3Missing();
  if (missing) return t.skip(missing);
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-redrive-'));
  const child = spawn(process.execPath, [cli, '--home', home, 'serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const serveFile = join(home, 'serve.json');
    const { url } = await waitFor('serve.json', () => (existsSync(serveFile) ? (JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string }) : undefined));
    const r = spawnSync(PYTHON, ['-c', BOTO3, url, JSON.stringify(DEFINITION)], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr + stderr);
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(got['failed'], ['FAILED', 'S3.NoSuchKeyException', 'REDRIVABLE']);
    assert.equal(got['missing'], 'ExecutionDoesNotExist');
    assert.deepEqual(got['done'], ['SUCCEEDED', 1, { body: 'fixed', redriveCount: 1 }]);
    assert.equal(got['again'], 'Execution is SUCCEEDED and cannot be redriven');
    assert.deepEqual(got['redriven'], [{ redriveCount: 1 }]);
    const ids = got['ids'] as number[];
    assert.deepEqual(ids, ids.map((_, i) => i + 1));
    assert.deepEqual(got['markers'], ['marker-0'], 'the step before the failure ran once');
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
});
