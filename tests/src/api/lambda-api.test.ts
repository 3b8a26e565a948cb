import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
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
