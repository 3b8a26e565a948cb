import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { VirtualClock } from '../../../../src/core/clock.js';
import { StepFunctionsError } from '../../../../src/engine/step-functions/errors.js';
import { harness, loopDefinition, LONG_WAIT, PASS_CHAIN, ROLE, tempHome, until, WAIT_FOR_TOKEN } from '../../../support/step-functions.js';

function rejects(fn: () => unknown, name: string, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StepFunctionsError, `expected ${name}, got ${String(e)}`);
    assert.equal(e.awsName, name);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

test('CreateStateMachine validates names, roles and definitions as AWS does, and is idempotent', async () => {
  const h = harness();
  const { sfn } = h;
  rejects(() => sfn.createStateMachine({ name: 'bad name', definition: PASS_CHAIN, roleArn: ROLE }), 'InvalidName', "Invalid Name: 'bad name'");
  rejects(() => sfn.createStateMachine({ name: 'x', definition: PASS_CHAIN, roleArn: 'role' }), 'InvalidArn');
  rejects(() => sfn.createStateMachine({ name: 'x', definition: '{"StartAt": ', roleArn: ROLE }), 'InvalidDefinition', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
  rejects(
    () => sfn.createStateMachine({ name: 'x', definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }), roleArn: ROLE }),
    'InvalidDefinition',
    /^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at \/States\/A\/Next, /,
  );
  rejects(() => sfn.createStateMachine({ name: 'x', definition: PASS_CHAIN, roleArn: ROLE, type: 'FAST' as never }), 'ValidationException');
  rejects(() => sfn.createStateMachine({ name: undefined, definition: PASS_CHAIN, roleArn: ROLE }), 'ValidationException', /Value null at 'name'/);

  const a = sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  assert.equal(a.stateMachineArn, 'arn:aws:states:us-east-1:111111111111:stateMachine:chain');
  const again = sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  assert.deepEqual(again, a);
  rejects(
    () => sfn.createStateMachine({ name: 'chain', definition: LONG_WAIT, roleArn: ROLE }),
    'StateMachineAlreadyExists',
    `State Machine Already Exists: '${a.stateMachineArn}'`,
  );
  const d = sfn.describeStateMachine({ stateMachineArn: a.stateMachineArn });
  assert.deepEqual(d, {
    stateMachineArn: a.stateMachineArn,
    name: 'chain',
    status: 'ACTIVE',
    definition: PASS_CHAIN,
    roleArn: ROLE,
    type: 'STANDARD',
    creationDate: a.creationDate,
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  });
  rejects(() => sfn.describeStateMachine({ stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:nope' }), 'StateMachineDoesNotExist');
  rejects(() => sfn.describeStateMachine({ stateMachineArn: 'nope' }), 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: nope'");
  rejects(
    () => sfn.describeStateMachine({ stateMachineArn: 'arn:aws:states:us-east-1:111111111111:execution:chain:x' }),
    'InvalidArn',
    "Invalid Arn: 'Resource type not valid in this context: execution'",
  );
  await h.close();
});

test('ensureStateMachine creates, updates and leaves alone; list pages and delete forgets', async () => {
  const h = harness();
  const { sfn } = h;
  assert.equal(sfn.ensureStateMachine('m1', JSON.parse(PASS_CHAIN), ROLE).change, 'created');
  assert.equal(sfn.ensureStateMachine('m1', JSON.parse(PASS_CHAIN), ROLE).change, 'unchanged');
  const updated = sfn.ensureStateMachine('m1', LONG_WAIT, ROLE);
  assert.equal(updated.change, 'updated');
  assert.equal(sfn.describeStateMachine({ stateMachineArn: updated.stateMachineArn }).definition, LONG_WAIT);
  assert.throws(() => sfn.ensureStateMachine('m1', { StartAt: 'X', States: {} }, ROLE), /Invalid State Machine Definition/);
  for (const n of ['m2', 'm3', 'm4', 'm5']) sfn.ensureStateMachine(n, PASS_CHAIN, ROLE);

  const p1 = sfn.listStateMachines({ maxResults: 2 });
  assert.deepEqual(p1.stateMachines!.map((m) => m.name), ['m1', 'm2']);
  const p2 = sfn.listStateMachines({ maxResults: 2, nextToken: p1.nextToken! });
  const p3 = sfn.listStateMachines({ maxResults: 2, nextToken: p2.nextToken! });
  assert.deepEqual([...p2.stateMachines!, ...p3.stateMachines!].map((m) => m.name), ['m3', 'm4', 'm5']);
  assert.equal(p3.nextToken, undefined);
  rejects(() => sfn.listStateMachines({ nextToken: 'garbage' }), 'InvalidToken');

  const arn = updated.stateMachineArn;
  assert.deepEqual(sfn.deleteStateMachine({ stateMachineArn: arn }), {});
  assert.deepEqual(sfn.deleteStateMachine({ stateMachineArn: arn }), {});
  rejects(() => sfn.describeStateMachine({ stateMachineArn: arn }), 'StateMachineDoesNotExist');
  await h.close();
});

test('an execution starts at once, runs in the background and is described from the store', async () => {
  const h = harness();
  const { sfn } = h;
  const { stateMachineArn } = sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  const seen: string[] = [];
  const started = sfn.startExecution({ stateMachineArn, name: 'run-1', input: '{"x": 1}' }, { onEvent: (e) => seen.push(e.type) });
  assert.equal(started.executionArn, 'arn:aws:states:us-east-1:111111111111:execution:chain:run-1');
  assert.ok(started.startDate instanceof Date);
  // Nothing has run yet: StartExecution answers first.
  assert.deepEqual(seen, []);
  assert.equal(sfn.describeExecution({ executionArn: started.executionArn! }).status, 'RUNNING');

  const result = await sfn.result(started.executionArn!);
  assert.equal(result.status, 'SUCCEEDED');
  assert.deepEqual(result.output, { x: 1, a: { n: 1 } });
  assert.deepEqual(seen, ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);

  const d = sfn.describeExecution({ executionArn: started.executionArn! });
  assert.deepEqual(Object.keys(d), [
    'executionArn',
    'stateMachineArn',
    'name',
    'status',
    'startDate',
    'stopDate',
    'input',
    'inputDetails',
    'output',
    'outputDetails',
    'redriveCount',
    'redriveStatus',
    'redriveStatusReason',
  ]);
  assert.equal(d.status, 'SUCCEEDED');
  assert.equal(d.input, '{"x": 1}');
  assert.equal(d.output, '{"x":1,"a":{"n":1}}');
  assert.equal(d.redriveStatus, 'NOT_REDRIVABLE');
  assert.equal(d.startDate!.getTime(), started.startDate!.getTime());

  // The stored history is exactly what the engine recorded.
  const history = sfn.getExecutionHistory({ executionArn: started.executionArn! }).events!;
  assert.deepEqual(
    history.map((e) => ({ ...e, timestamp: e.timestamp!.getTime() })),
    result.history,
  );
  await h.close();
});

test('StartExecution: name rules, input rules, and ExecutionAlreadyExists unless the same input is still running', async () => {
  const h = harness();
  const { sfn } = h;
  const { stateMachineArn } = sfn.createStateMachine({ name: 'hold', definition: LONG_WAIT, roleArn: ROLE });
  rejects(() => sfn.startExecution({ stateMachineArn, name: 'a/b' }), 'InvalidName', "Invalid Name: 'a/b'");
  rejects(() => sfn.startExecution({ stateMachineArn, name: 'x'.repeat(81) }), 'InvalidName');
  rejects(() => sfn.startExecution({ stateMachineArn, input: '{not json' }), 'InvalidExecutionInput', /^Invalid State Machine Execution Input: '/);
  rejects(
    () => sfn.startExecution({ stateMachineArn, input: JSON.stringify({ big: 'x'.repeat(262_144) }) }),
    'ValidationException',
    "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
  );
  rejects(() => sfn.startExecution({ stateMachineArn: stateMachineArn!.replace('hold', 'nope') }), 'StateMachineDoesNotExist');

  const first = sfn.startExecution({ stateMachineArn, name: 'same', input: '{"a":1}' });
  // The same name and input while it runs: the same answer.
  assert.deepEqual(sfn.startExecution({ stateMachineArn, name: 'same', input: '{"a":1}' }), first);
  rejects(() => sfn.startExecution({ stateMachineArn, name: 'same', input: '{"a":2}' }), 'ExecutionAlreadyExists', `Execution Already Exists: '${first.executionArn}'`);
  sfn.stopExecution({ executionArn: first.executionArn });
  await sfn.result(first.executionArn!);
  rejects(() => sfn.startExecution({ stateMachineArn, name: 'same', input: '{"a":1}' }), 'ExecutionAlreadyExists');
  // Any JSON text is an input, as on AWS; none means {}.
  const arr = sfn.startExecution({ stateMachineArn: sfn.ensureStateMachine('chain2', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', ROLE).stateMachineArn, input: '[1,2]' });
  assert.deepEqual((await sfn.result(arr.executionArn!)).output, [1, 2]);
  await h.close();
});

test('StopExecution aborts a Wait with the given error and cause; the history ends with ExecutionAborted', async () => {
  const h = harness();
  const { sfn } = h;
  const { stateMachineArn } = sfn.createStateMachine({ name: 'hold', definition: LONG_WAIT, roleArn: ROLE });
  const { executionArn } = sfn.startExecution({ stateMachineArn, name: 'stop-me' });
  await until('the Wait state', () => sfn.getExecutionHistory({ executionArn }).events!.length >= 2);
  const stopped = sfn.stopExecution({ executionArn, error: 'Operator.Stop', cause: 'not needed' });
  assert.ok(stopped.stopDate instanceof Date);
  // Described as ABORTED at once, before the run has unwound.
  const d = sfn.describeExecution({ executionArn });
  assert.equal(d.status, 'ABORTED');
  assert.equal(d.error, 'Operator.Stop');
  assert.equal(d.cause, 'not needed');
  assert.equal(d.redriveStatus, 'REDRIVABLE');
  const r = await sfn.result(executionArn!);
  assert.equal(r.status, 'ABORTED');
  const events = sfn.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 }).events!;
  assert.equal(events[0]!.type, 'ExecutionAborted');
  assert.deepEqual(events[0]!.executionAbortedEventDetails, { error: 'Operator.Stop', cause: 'not needed' });
  rejects(() => sfn.stopExecution({ executionArn: executionArn!.replace('stop-me', 'other') }), 'ExecutionDoesNotExist');
  rejects(() => sfn.stopExecution({ executionArn, error: 'e'.repeat(257) }), 'ValidationException');
  await h.close();
});

test('ListExecutions filters by status and pages newest first; GetExecutionHistory pages both ways', async () => {
  const h = harness();
  const { sfn } = h;
  const { stateMachineArn } = sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  const arns: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: `e${i}` });
    await sfn.result(executionArn!);
    arns.push(executionArn!);
    await new Promise((r) => setTimeout(r, 2));
  }
  const hold = sfn.ensureStateMachine('chain', LONG_WAIT, ROLE);
  const running = sfn.startExecution({ stateMachineArn: hold.stateMachineArn, name: 'still-running' });

  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = sfn.listExecutions({ stateMachineArn, maxResults: 2, ...(token ? { nextToken: token } : {}) });
    assert.ok(page.executions!.length <= 2);
    names.push(...page.executions!.map((e) => e.name!));
    token = page.nextToken;
  } while (token);
  assert.deepEqual(names, ['still-running', 'e4', 'e3', 'e2', 'e1', 'e0']);
  assert.deepEqual(sfn.listExecutions({ stateMachineArn, statusFilter: 'RUNNING' }).executions!.map((e) => e.name), ['still-running']);
  assert.equal(sfn.listExecutions({ stateMachineArn, statusFilter: 'SUCCEEDED' }).executions!.length, 5);
  assert.deepEqual(sfn.listExecutions({ stateMachineArn, statusFilter: 'PENDING_REDRIVE' }).executions, []);
  rejects(() => sfn.listExecutions({ stateMachineArn, maxResults: 1001 }), 'ValidationException');

  const forward = sfn.getExecutionHistory({ executionArn: arns[0]!, maxResults: 4 });
  assert.deepEqual(forward.events!.map((e) => e.id), [1, 2, 3, 4]);
  const rest = sfn.getExecutionHistory({ executionArn: arns[0]!, maxResults: 4, nextToken: forward.nextToken! });
  assert.deepEqual(rest.events!.map((e) => e.id), [5, 6]);
  assert.equal(rest.nextToken, undefined);
  const back = sfn.getExecutionHistory({ executionArn: arns[0]!, maxResults: 4, reverseOrder: true });
  assert.deepEqual(back.events!.map((e) => e.id), [6, 5, 4, 3]);
  const back2 = sfn.getExecutionHistory({ executionArn: arns[0]!, maxResults: 4, reverseOrder: true, nextToken: back.nextToken! });
  assert.deepEqual(back2.events!.map((e) => e.id), [2, 1]);
  // A token belongs to its query.
  rejects(() => sfn.getExecutionHistory({ executionArn: arns[0]!, nextToken: back.nextToken! }), 'InvalidToken');
  const bare = sfn.getExecutionHistory({ executionArn: arns[0]!, includeExecutionData: false }).events!;
  assert.equal((bare[0]!.executionStartedEventDetails as Record<string, unknown>)['input'], undefined);
  assert.equal(bare[0]!.executionStartedEventDetails!.roleArn, ROLE);

  sfn.stopExecution({ executionArn: running.executionArn });
  await h.close();
});

test('a task token round-trip: SendTaskSuccess completes the task; late and unknown tokens get AWS errors', async () => {
  const h = harness();
  const { sfn } = h;
  const { stateMachineArn } = sfn.createStateMachine({ name: 'ask', definition: WAIT_FOR_TOKEN, roleArn: ROLE });
  const { executionArn } = sfn.startExecution({ stateMachineArn });
  await until('the task token', () => h.tokens.length === 1);
  const token = h.tokens[0]!;
  rejects(() => sfn.sendTaskSuccess({ taskToken: token, output: '{bad' }), 'InvalidOutput');
  sfn.sendTaskHeartbeat({ taskToken: token });
  sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
  const r = await sfn.result(executionArn!);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { approved: true });
  rejects(() => sfn.sendTaskSuccess({ taskToken: token, output: '{}' }), 'TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  rejects(() => sfn.sendTaskFailure({ taskToken: 'made-up' }), 'InvalidToken', 'Invalid token');
  rejects(() => sfn.sendTaskHeartbeat({ taskToken: 'x'.repeat(2049) }), 'ValidationException');

  const second = sfn.startExecution({ stateMachineArn });
  await until('the second token', () => h.tokens.length === 2);
  sfn.sendTaskFailure({ taskToken: h.tokens[1]!, error: 'Rejected', cause: 'no' });
  const failed = await sfn.result(second.executionArn!);
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.error, 'Rejected');
  await h.close();
});

test('EXPRESS: StartSyncExecution answers with the result; EXPRESS executions are not described', async () => {
  const h = harness();
  const { sfn } = h;
  const express = sfn.createStateMachine({ name: 'fast', definition: PASS_CHAIN, roleArn: ROLE, type: 'EXPRESS' });
  const out = await sfn.startSyncExecution({ stateMachineArn: express.stateMachineArn, name: 'sync-1', input: '{"y":2}' });
  assert.match(out.executionArn!, /^arn:aws:states:us-east-1:111111111111:express:fast:sync-1:[0-9a-f-]{36}$/);
  assert.equal(out.status, 'SUCCEEDED');
  assert.equal(out.output, '{"y":2,"a":{"n":1}}');
  assert.deepEqual(out.billingDetails, { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 });
  rejects(() => sfn.describeExecution({ executionArn: out.executionArn }), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
  rejects(() => sfn.listExecutions({ stateMachineArn: express.stateMachineArn }), 'StateMachineTypeNotSupported');

  const started = sfn.startExecution({ stateMachineArn: express.stateMachineArn, input: '{}' });
  assert.equal((await sfn.result(started.executionArn!)).status, 'SUCCEEDED');

  const standard = sfn.createStateMachine({ name: 'std', definition: PASS_CHAIN, roleArn: ROLE });
  await assert.rejects(sfn.startSyncExecution({ stateMachineArn: standard.stateMachineArn }), (e: unknown) => e instanceof StepFunctionsError && e.awsName === 'StateMachineTypeNotSupported');
  await h.close();
});

test('executions, histories and results survive closing and reopening the store', async () => {
  const home = tempHome();
  const first = harness(home);
  const { stateMachineArn } = first.sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  const { executionArn } = first.sfn.startExecution({ stateMachineArn, name: 'kept', input: '{"k":true}' });
  const original = await first.sfn.result(executionArn!);
  await first.close();

  const second = harness(home);
  const d = second.sfn.describeExecution({ executionArn });
  assert.equal(d.status, 'SUCCEEDED');
  assert.equal(d.output, JSON.stringify(original.output));
  const again = await second.sfn.result(executionArn!);
  assert.deepEqual(again.history, original.history);
  assert.equal(again.transitions, original.transitions);
  assert.deepEqual(second.sfn.listExecutions({ stateMachineArn }).executions!.map((e) => e.name), ['kept']);
  await second.close();
  rmSync(home, { recursive: true, force: true });
});

test('a stop and a task callback from another process reach the process running the execution', async () => {
  const home = tempHome();
  const owner = harness(home);
  // A second service over the same database stands for another terminal (its own connection and tokens).
  const other = harness(home);
  const ask = owner.sfn.createStateMachine({ name: 'ask', definition: WAIT_FOR_TOKEN, roleArn: ROLE });
  const hold = owner.sfn.createStateMachine({ name: 'hold', definition: LONG_WAIT, roleArn: ROLE });

  const waiting = owner.sfn.startExecution({ stateMachineArn: ask.stateMachineArn });
  await until('the task token', () => owner.tokens.length === 1);
  other.sfn.sendTaskHeartbeat({ taskToken: owner.tokens[0]! });
  other.sfn.sendTaskSuccess({ taskToken: owner.tokens[0]!, output: '{"from":"elsewhere"}' });
  const r = await owner.sfn.result(waiting.executionArn!);
  assert.deepEqual(r.output, { from: 'elsewhere' });
  // The other process reads the outcome from the store.
  assert.equal((await other.sfn.result(waiting.executionArn!)).status, 'SUCCEEDED');
  assert.throws(() => other.sfn.sendTaskSuccess({ taskToken: owner.tokens[0]!, output: '{}' }), /Provided task does not exist anymore/);

  const held = owner.sfn.startExecution({ stateMachineArn: hold.stateMachineArn });
  await until('the Wait state', () => other.sfn.getExecutionHistory({ executionArn: held.executionArn }).events!.length >= 2);
  other.sfn.stopExecution({ executionArn: held.executionArn, error: 'Elsewhere', cause: 'stopped from another terminal' });
  const stopped = await owner.sfn.result(held.executionArn!);
  assert.equal(stopped.status, 'ABORTED');
  assert.equal(stopped.error, 'Elsewhere');
  const last = other.sfn.getExecutionHistory({ executionArn: held.executionArn, reverseOrder: true, maxResults: 1 }).events![0]!;
  assert.equal(last.type, 'ExecutionAborted');

  await other.close();
  await owner.close();
  rmSync(home, { recursive: true, force: true });
});

test('close() leaves a STANDARD execution RUNNING with its history so far; resuming it ends it as an uninterrupted run would', async () => {
  const home = tempHome();
  const h = harness(home);
  const { stateMachineArn } = h.sfn.createStateMachine({ name: 'hold', definition: LONG_WAIT, roleArn: ROLE });
  const { executionArn } = h.sfn.startExecution({ stateMachineArn, name: 'held' });
  await until('the Wait state', () => h.sfn.getExecutionHistory({ executionArn }).events!.length >= 2);
  await h.close();
  const again = harness(home, { clock: new VirtualClock() });
  assert.equal(again.sfn.describeExecution({ executionArn }).status, 'RUNNING');
  assert.deepEqual(again.sfn.getExecutionHistory({ executionArn }).events!.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered']);
  again.sfn.resumeExecution(executionArn!);
  const r = await again.sfn.result(executionArn!);
  assert.equal(r.status, 'SUCCEEDED');
  const events = again.sfn.getExecutionHistory({ executionArn }).events!;
  assert.deepEqual(
    events.map((e) => [e.id, e.type, e.previousEventId]),
    [
      [1, 'ExecutionStarted', 0],
      [2, 'WaitStateEntered', 0],
      [3, 'WaitStateExited', 2],
      [4, 'ExecutionSucceeded', 3],
    ],
  );
  // The Wait kept its end: an hour after it was entered, not an hour after the resume.
  assert.ok(events[2]!.timestamp!.getTime() - events[1]!.timestamp!.getTime() <= 3600_000 + 1000);
  assert.throws(() => again.sfn.resumeExecution(executionArn!), /is SUCCEEDED: only a RUNNING execution/);
  await again.close();
  rmSync(home, { recursive: true, force: true });
});

test('a history up to the 25,000-event limit is stored whole, and the run that passes it ends FAILED as on AWS', async () => {
  const home = tempHome();
  const h = harness(home);
  const near = h.sfn.ensureStateMachine('near', loopDefinition(6240), ROLE);
  const { executionArn } = h.sfn.startExecution({ stateMachineArn: near.stateMachineArn });
  const r = await h.sfn.result(executionArn!);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(h.services.store.executions.get(executionArn!)!.eventCount, r.history.length);
  const tail = h.sfn.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 2 }).events!;
  assert.deepEqual(tail.map((e) => e.id), [r.history.length, r.history.length - 1]);

  const over = h.sfn.ensureStateMachine('over', loopDefinition(7000), ROLE);
  const failed = h.sfn.startExecution({ stateMachineArn: over.stateMachineArn });
  assert.equal((await h.sfn.result(failed.executionArn!)).status, 'FAILED');
  const d = h.sfn.describeExecution({ executionArn: failed.executionArn });
  assert.equal(d.status, 'FAILED');
  assert.equal(d.error, 'States.Runtime');
  assert.equal(h.services.store.executions.get(failed.executionArn!)!.eventCount, 25_000);
  await h.close();
  rmSync(home, { recursive: true, force: true });
});
