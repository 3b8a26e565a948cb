/**
 * TestState through the AWS SDK v3 client: one state run by the local engine, with AWS's statuses
 * (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR), nextState, and the DEBUG inspection data as AWS shows
 * it (LocalStack's AWS-validated snapshots of TestState).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SFNClient, TestStateCommand, ValidationException, InvalidDefinition } from '@aws-sdk/client-sfn';
import { apiHarness, clientConfig, ROLE } from '../../support/local-api.js';

const ECHO = 'arn:aws:lambda:us-east-1:111111111111:function:echo';

test('TestState INFO: Pass, Choice (nextState) and Fail states', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const pass = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', Result: { resultKey: 'result value' }, End: true }), roleArn: ROLE, input: '{"Value":"HelloWorld"}' }));
    assert.deepEqual({ status: pass.status, output: pass.output, nextState: pass.nextState, data: pass.inspectionData }, { status: 'SUCCEEDED', output: '{"resultKey":"result value"}', nextState: undefined, data: undefined });

    const choice = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({
          Type: 'Choice',
          Choices: [{ And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties' }],
          Default: 'DefaultState',
        }),
        roleArn: ROLE,
        input: '{"type":"Private","value":22}',
      }),
    );
    assert.equal(choice.status, 'SUCCEEDED');
    assert.equal(choice.nextState, 'ValueInTwenties');
    assert.equal(choice.output, '{"type":"Private","value":22}');

    const fail = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." }), roleArn: ROLE }));
    assert.deepEqual({ status: fail.status, error: fail.error, cause: fail.cause }, { status: 'FAILED', error: 'SomeFailure', cause: "This state machines raises a 'SomeFailure' failure." });
  } finally {
    await h.close();
  }
});

test('TestState DEBUG: the data after each JSONPath step', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const input = { initialData: { fieldFromInput: 'value from input', otherField: 'other' }, unrelatedData: { someOtherField: 1234 } };
    const r = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Pass', InputPath: '$.initialData', Parameters: { staticValue: 'some value', 'inputValue.$': '$.fieldFromInput' }, ResultPath: '$.modifiedData', Next: 'After' }),
        roleArn: ROLE,
        input: JSON.stringify(input),
        inspectionLevel: 'DEBUG',
      }),
    );
    const after = { ...input, modifiedData: { staticValue: 'some value', inputValue: 'value from input' } };
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.nextState, 'After');
    assert.deepEqual(JSON.parse(r.output!), after);
    const d = r.inspectionData!;
    assert.deepEqual(JSON.parse(d.input!), input);
    assert.deepEqual(JSON.parse(d.afterInputPath!), input.initialData);
    assert.deepEqual(JSON.parse(d.afterParameters!), { staticValue: 'some value', inputValue: 'value from input' });
    assert.deepEqual(JSON.parse(d.afterResultSelector!), { staticValue: 'some value', inputValue: 'value from input' });
    assert.deepEqual(JSON.parse(d.afterResultPath!), after);
    assert.equal(d.result, undefined);

    const task = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Task', Resource: ECHO, Parameters: { 'x.$': '$.x' }, ResultSelector: { 'echoed.$': '$.got.x' }, ResultPath: '$.r', End: true }),
        roleArn: ROLE,
        input: '{"x":5}',
        inspectionLevel: 'TRACE',
      }),
    );
    assert.equal(task.status, 'SUCCEEDED');
    assert.equal(task.output, '{"x":5,"r":{"echoed":5}}');
    assert.equal(task.inspectionData!.afterParameters, '{"x":5}');
    assert.equal(task.inspectionData!.result, '{"got":{"x":5}}');
    assert.equal(task.inspectionData!.afterResultSelector, '{"echoed":5}');
  } finally {
    await h.close();
  }
});

test('TestState with a mocked Task: a result, an error a Retrier would retry (RETRIABLE), one a Catcher takes (CAUGHT_ERROR)', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const task = (extra: Record<string, unknown>) => JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nope' }, End: true, ...extra });
    const mocked = await sfn.send(new TestStateCommand({ definition: task({ ResultPath: '$.m' }), roleArn: ROLE, input: '{"a":1}', mock: { result: '{"Payload":"mocked"}' } }));
    assert.equal(mocked.status, 'SUCCEEDED');
    assert.equal(mocked.output, '{"a":1,"m":{"Payload":"mocked"}}');

    const retriable = await sfn.send(
      new TestStateCommand({
        definition: task({ Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3 }] }),
        roleArn: ROLE,
        mock: { errorOutput: { error: 'Lambda.TooManyRequestsException', cause: 'slow down' } },
      }),
    );
    assert.deepEqual({ status: retriable.status, error: retriable.error, cause: retriable.cause }, { status: 'RETRIABLE', error: 'Lambda.TooManyRequestsException', cause: 'slow down' });

    const caught = await sfn.send(
      new TestStateCommand({
        definition: task({ End: undefined, Next: 'Ok', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler', ResultPath: '$.err' }] }),
        roleArn: ROLE,
        input: '{}',
        mock: { errorOutput: { error: 'Boom', cause: 'it broke' } },
      }),
    );
    assert.equal(caught.status, 'CAUGHT_ERROR');
    assert.equal(caught.nextState, 'Handler');
    assert.equal(caught.error, 'Boom');
    assert.deepEqual(JSON.parse(caught.output!), { err: { Error: 'Boom', Cause: 'it broke' } });

    // Unmocked, the Task calls the home's service: here a function that does not exist.
    const real = await sfn.send(new TestStateCommand({ definition: task({}), roleArn: ROLE }));
    assert.equal(real.status, 'FAILED');
    assert.equal(real.error, 'Lambda.ResourceNotFoundException');
  } finally {
    await h.close();
  }
});

test('TestState: a state of a whole definition by stateName; bad requests get AWS errors', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const machine = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Result: 'b', Next: 'C' }, C: { Type: 'Succeed' } } });
    const r = await sfn.send(new TestStateCommand({ definition: machine, stateName: 'B', roleArn: ROLE }));
    assert.deepEqual({ status: r.status, output: r.output, nextState: r.nextState }, { status: 'SUCCEEDED', output: '"b"', nextState: 'C' });
    await assert.rejects(sfn.send(new TestStateCommand({ definition: machine, stateName: 'Z', roleArn: ROLE })), ValidationException);
    await assert.rejects(sfn.send(new TestStateCommand({ definition: '{"Type":"Pass"', roleArn: ROLE })), InvalidDefinition);
    await assert.rejects(sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), inspectionLevel: 'LOUD' as never })), ValidationException);
  } finally {
    await h.close();
  }
});
