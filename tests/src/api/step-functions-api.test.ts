import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  StopExecutionCommand,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { apiHarness, clientConfig, eventually, ROLE } from '../../support/local-api.js';
import { LONG_WAIT, WAIT_FOR_TOKEN } from '../../support/step-functions.js';

const CHAIN = JSON.stringify({
  StartAt: 'A',
  States: { A: { Type: 'Pass', Result: 'done', ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', End: true } },
});

test('SFNClient: create, start, wait, describe, list with pagination and history in reverse', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'chain', definition: CHAIN, roleArn: ROLE }));
    assert.equal(created.stateMachineArn, 'arn:aws:states:us-east-1:111111111111:stateMachine:chain');
    assert.ok(created.creationDate instanceof Date);
    const sm = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.equal(sm.definition, CHAIN);
    assert.equal(sm.status, 'ACTIVE');
    assert.equal(sm.creationDate!.getTime(), created.creationDate!.getTime());
    assert.deepEqual((await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.map((m) => m.name), ['chain']);

    const arns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, name: `run-${i}`, input: JSON.stringify({ i }) }));
      assert.ok(started.startDate instanceof Date);
      arns.push(started.executionArn!);
    }
    const done = await eventually('the last execution', async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arns[2] }));
      return d.status === 'RUNNING' ? undefined : d;
    });
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"i":2,"a":"done"}');
    assert.equal(done.input, '{"i":2}');
    assert.ok(done.stopDate instanceof Date && done.stopDate.getTime() >= done.startDate!.getTime());
    assert.deepEqual(done.inputDetails, { included: true });
    assert.equal(done.redriveCount, 0);

    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: created.stateMachineArn, maxResults: 2 }));
    assert.equal(first.executions!.length, 2);
    assert.ok(first.nextToken);
    const second = await sfn.send(new ListExecutionsCommand({ stateMachineArn: created.stateMachineArn, maxResults: 2, nextToken: first.nextToken }));
    assert.deepEqual([...first.executions!, ...second.executions!].map((e) => e.name).sort(), ['run-0', 'run-1', 'run-2']);
    assert.equal(second.nextToken, undefined);
    assert.ok(first.executions![0]!.startDate instanceof Date);

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arns[2], reverseOrder: true, maxResults: 3 }));
    assert.deepEqual(history.events!.map((e) => e.type), ['ExecutionSucceeded', 'PassStateExited', 'PassStateEntered']);
    assert.deepEqual(history.events![0]!.executionSucceededEventDetails, { output: '{"i":2,"a":"done"}', outputDetails: { truncated: false } });
    assert.ok(history.events![0]!.timestamp instanceof Date);
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arns[2], reverseOrder: true, nextToken: history.nextToken }));
    assert.deepEqual(rest.events!.map((e) => e.id), [3, 2, 1]);
    assert.equal(rest.events![2]!.executionStartedEventDetails!.roleArn, ROLE);
  } finally {
    sfn.destroy();
    await h.close();
  }
});

test('SFNClient: StopExecution aborts a Wait; a task token round-trip completes through SendTaskSuccess', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const hold = await sfn.send(new CreateStateMachineCommand({ name: 'hold', definition: LONG_WAIT, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: hold.stateMachineArn, name: 'waiting' }));
    await eventually('the Wait state', async () => ((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.length >= 2 ? true : undefined));
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'no need to wait' }));
    assert.ok(stopped.stopDate instanceof Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(d.status, 'ABORTED');
    assert.equal(d.error, 'Manual');
    assert.equal(d.cause, 'no need to wait');
    const last = await eventually('the ExecutionAborted event', async () => {
      const e = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }))).events![0]!;
      return e.type === 'ExecutionAborted' ? e : undefined;
    });
    assert.deepEqual(last.executionAbortedEventDetails, { error: 'Manual', cause: 'no need to wait' });

    const ask = await sfn.send(new CreateStateMachineCommand({ name: 'ask', definition: WAIT_FOR_TOKEN, roleArn: ROLE }));
    const asked = await sfn.send(new StartExecutionCommand({ stateMachineArn: ask.stateMachineArn }));
    const token = await eventually('the task token', async () => h.tokens[0]);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' }));
    const finished = await eventually('the callback to finish the execution', async () => {
      const x = await sfn.send(new DescribeExecutionCommand({ executionArn: asked.executionArn }));
      return x.status === 'RUNNING' ? undefined : x;
    });
    assert.equal(finished.status, 'SUCCEEDED');
    assert.equal(finished.output, '{"decision":"approve"}');
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })), TaskTimedOut);
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })), InvalidToken);
  } finally {
    sfn.destroy();
    await h.close();
  }
});

test('SFNClient raises the exception classes AWS does, with AWS messages', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  const rejectsWith = async (p: Promise<unknown>, cls: new (...a: never[]) => Error, message?: string | RegExp) => {
    const e = await p.then(
      () => assert.fail('expected an error'),
      (x: unknown) => x as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
    );
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
    assert.equal(e.name, cls.name);
    assert.equal(e.$fault, 'client');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
  };
  try {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'chain', definition: CHAIN, roleArn: ROLE }));
    const missing = 'arn:aws:states:us-east-1:111111111111:execution:chain:nope';
    await rejectsWith(sfn.send(new DescribeExecutionCommand({ executionArn: missing })), ExecutionDoesNotExist, `Execution Does Not Exist: '${missing}'`);
    await rejectsWith(sfn.send(new DescribeExecutionCommand({ executionArn: 'nope' })), InvalidArn, "Invalid Arn: 'Invalid ARN prefix: nope'");
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name: 'chain', definition: LONG_WAIT, roleArn: ROLE })), StateMachineAlreadyExists);
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })), InvalidDefinition, /^Invalid State Machine Definition: '/);
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name: 'a b', definition: CHAIN, roleArn: ROLE })), InvalidName, "Invalid Name: 'a b'");
    await rejectsWith(sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{oops' })), InvalidExecutionInput);
    await rejectsWith(sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 5000 })), ValidationException);
    await rejectsWith(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn!.replace('chain', 'other') })), StateMachineDoesNotExist);
    await rejectsWith(sfn.send(new StartSyncExecutionCommand({ stateMachineArn })), StateMachineTypeNotSupported);
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once' }));
    await rejectsWith(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"other":1}' })), ExecutionAlreadyExists);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await rejectsWith(sfn.send(new DescribeStateMachineCommand({ stateMachineArn })), StateMachineDoesNotExist);
  } finally {
    sfn.destroy();
    await h.close();
  }
});

test('SFNClient: StartSyncExecution runs an EXPRESS state machine to its end', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'quick', definition: CHAIN, roleArn: ROLE, type: 'EXPRESS' }));
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"q":1}' }));
    assert.equal(out.status, 'SUCCEEDED');
    assert.equal(out.output, '{"q":1,"a":"done"}');
    assert.match(out.executionArn!, /:express:quick:/);
    assert.ok(out.startDate instanceof Date && out.stopDate instanceof Date);
    assert.equal(out.billingDetails?.billedMemoryUsedInMB, 64);
  } finally {
    sfn.destroy();
    await h.close();
  }
});

test('the JSON protocol on the wire: epoch-second dates, __type errors, unknown actions, foreign hosts and oversized bodies', { timeout: 120_000 }, async () => {
  const h = await apiHarness();
  const post = (target: string, body: string, headers: Record<string, string> = {}) =>
    fetch(h.api.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0', ...headers }, body });
  try {
    const created = await post('AWSStepFunctions.CreateStateMachine', JSON.stringify({ name: 'wire', definition: CHAIN, roleArn: ROLE }));
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('content-type'), 'application/x-amz-json-1.0');
    const body = (await created.json()) as { creationDate: unknown };
    assert.equal(typeof body.creationDate, 'number');
    assert.ok(Math.abs((body.creationDate as number) - Date.now() / 1000) < 60);

    const missing = await post('AWSStepFunctions.DescribeExecution', JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:111111111111:execution:wire:x' }));
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), { __type: 'com.amazonaws.sfn#ExecutionDoesNotExist', message: "Execution Does Not Exist: 'arn:aws:states:us-east-1:111111111111:execution:wire:x'" });

    const unknown = await post('AWSStepFunctions.FlyToTheMoon', '{}');
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');
    const garbage = await post('AWSStepFunctions.ListStateMachines', '{not json');
    assert.equal(((await garbage.json()) as { __type: string }).__type, 'SerializationException');

    const nowhere = await fetch(`${h.api.url}/somewhere`);
    assert.equal(nowhere.status, 404);
    await nowhere.text();

    // DNS rebinding: a page served from another name must not reach the API.
    const foreign = await post('AWSStepFunctions.ListStateMachines', '{}', { origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    await foreign.text();

    const huge = await post('AWSStepFunctions.StartExecution', JSON.stringify({ input: 'x'.repeat(5 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { __type: string }).__type, 'com.amazonaws.sfn#ValidationException');
    assert.deepEqual(h.logged, []);
  } finally {
    await h.close();
  }
});
