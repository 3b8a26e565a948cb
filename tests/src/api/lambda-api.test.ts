import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { apiHarness, clientConfig } from '../../support/local-api.js';

test('LambdaClient invokes local functions by name or ARN, with FunctionError for a handler that throws', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const lambda = new LambdaClient(clientConfig(h.api));
  const decode = (b: Uint8Array | undefined) => JSON.parse(Buffer.from(b ?? []).toString('utf8')) as unknown;
  try {
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    assert.equal(ok.StatusCode, 200);
    assert.equal(ok.FunctionError, undefined);
    assert.equal(ok.ExecutedVersion, '$LATEST');
    assert.deepEqual(decode(ok.Payload), { got: { a: 1 } });

    const byArn = await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:echo', Payload: Buffer.from('[1]'), LogType: 'Tail' }));
    assert.deepEqual(decode(byArn.Payload), { got: [1] });
    assert.match(Buffer.from(byArn.LogResult!, 'base64').toString('utf8'), /^START RequestId: /);

    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'fails', Payload: Buffer.from('{}') }));
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, 'Unhandled');
    const err = decode(failed.Payload) as { errorType: string; errorMessage: string };
    assert.equal(err.errorType, 'ValueError');
    assert.equal(err.errorMessage, 'bad value');

    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    assert.equal(queued.StatusCode, 202);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);

    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'missing' })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:missing');
      return true;
    });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{nope') })), { name: 'InvalidRequestContentException' });
    assert.deepEqual(h.logged, []);
  } finally {
    lambda.destroy();
    await h.close();
  }
});

test('LambdaClient: ListFunctions pages the local functions, GetFunction describes one by name or ARN', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const lambda = new LambdaClient(clientConfig(h.api));
  try {
    const all = await lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(all.Functions!.map((f) => f.FunctionName), ['echo', 'fails', 'park']);
    const echo = all.Functions![0]!;
    assert.equal(echo.FunctionArn, 'arn:aws:lambda:us-east-1:111111111111:function:echo');
    assert.equal(echo.Version, '$LATEST');
    assert.equal(echo.PackageType, 'Zip');
    assert.equal(echo.State, 'Active');
    assert.match(echo.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.deepEqual(first.Functions!.map((f) => f.FunctionName), ['echo', 'fails']);
    assert.ok(first.NextMarker);
    const rest = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    assert.deepEqual(rest.Functions!.map((f) => f.FunctionName), ['park']);
    assert.equal(rest.NextMarker, undefined);

    const byName = await lambda.send(new GetFunctionCommand({ FunctionName: 'park' }));
    assert.equal(byName.Configuration!.FunctionName, 'park');
    const byArn = await lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:park' }));
    assert.deepEqual(byArn.Configuration, byName.Configuration);
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:missing');
      return true;
    });
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'park', Qualifier: '7' })), ResourceNotFoundException);
  } finally {
    lambda.destroy();
    await h.close();
  }
});

const BOTO3_LAMBDA = `
import json, sys, boto3
lam = boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
names = [f["FunctionName"] for f in lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 1}).build_full_result()["Functions"]]
fn = lam.get_function(FunctionName="echo")["Configuration"]
try:
    lam.get_function(FunctionName="nope")
    missing = None
except lam.exceptions.ResourceNotFoundException as e:
    missing = e.response["Error"]["Message"]
print(json.dumps({"names": names, "arn": fn["FunctionArn"], "missing": missing}))
`;

test('boto3: list_functions (paginated) and get_function against the local API', { timeout: 60_000 }, async (t) => {
  const probe = spawnSync('python3.11', ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip(`python3.11 with boto3 is not available (${(probe.error?.message ?? probe.stderr).trim().split('\n').at(-1)})`);
  const h = await apiHarness();
  try {
    const out = await new Promise<string>((resolve, reject) => {
      execFile('python3.11', ['-c', BOTO3_LAMBDA, h.api.url], { timeout: 50_000 }, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout)));
    });
    assert.deepEqual(JSON.parse(out), {
      names: ['echo', 'fails', 'park'],
      arn: 'arn:aws:lambda:us-east-1:111111111111:function:echo',
      missing: 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:nope',
    });
  } finally {
    await h.close();
  }
});
