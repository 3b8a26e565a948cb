import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, type StoredEvent } from '../../../src/store/index.js';

const SM = 'arn:aws:states:us-east-1:111111111111:stateMachine:m';
const owner = { pid: 42, started: '100' };

function events(from: number, to: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let id = from; id <= to; id++) out.push({ id, type: 'PassStateEntered', previousEventId: id - 1, timestamp: id });
  return out;
}

test('history batches read back as one sequence, forward and in reverse, from any id', () => {
  const store = Store.memory();
  store.executions.insert({ arn: 'x', name: 'x', stateMachineArn: SM, input: '{}', startDate: 1, owner });
  store.executions.record('x', events(1, 3));
  store.executions.record('x', events(4, 4));
  store.executions.record('x', events(5, 9));
  assert.equal(store.executions.get('x')!.eventCount, 9);
  const ids = (page: StoredEvent[]) => page.map((e) => e.id);
  assert.deepEqual(ids(store.executions.events('x', { limit: 100 })), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(ids(store.executions.events('x', { limit: 3, afterId: 2 })), [3, 4, 5]);
  assert.deepEqual(ids(store.executions.events('x', { limit: 4, reverse: true })), [9, 8, 7, 6]);
  assert.deepEqual(ids(store.executions.events('x', { limit: 4, reverse: true, beforeId: 5 })), [4, 3, 2, 1]);
  assert.deepEqual(ids(store.executions.events('x', { limit: 4, afterId: 9 })), []);
  assert.deepEqual(store.executions.events('x', { limit: 1 })[0], { id: 1, type: 'PassStateEntered', previousEventId: 0, timestamp: 1 });
  store.close();
});

test('the owner closes its execution once; a close from outside wins and the owner only adds its events', () => {
  const store = Store.memory();
  store.executions.insert({ arn: 'a', name: 'a', stateMachineArn: SM, input: '{"k":1}', startDate: 5, owner });
  assert.equal(store.executions.insert({ arn: 'a', name: 'a', stateMachineArn: SM, input: '{}', startDate: 6, owner }), false);
  assert.equal(store.executions.record('a', events(1, 2), { status: 'SUCCEEDED', output: '{"ok":true}', stopDate: 9 }), true);
  const done = store.executions.get('a')!;
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(done.output, '{"ok":true}');
  assert.equal(done.stopDate, 9);
  assert.deepEqual(done.owner, owner);

  store.executions.insert({ arn: 'b', name: 'b', stateMachineArn: SM, input: '{}', startDate: 5, owner: { pid: 7 } });
  store.executions.record('b', events(1, 2));
  const closed = store.executions.closeFromOutside('b', { status: 'ABORTED', error: 'E', cause: 'C', stopDate: 10 }, (row) => [
    { id: row.eventCount + 1, type: 'ExecutionAborted', previousEventId: row.eventCount, timestamp: 10 },
  ]);
  assert.equal(closed, true);
  assert.equal(store.executions.closeFromOutside('b', { status: 'ABORTED', stopDate: 11 }), false);
  // The owner's own end arrives late: its events are kept, the status is not overwritten.
  assert.equal(store.executions.record('b', events(4, 4), { status: 'SUCCEEDED', stopDate: 12 }), false);
  const b = store.executions.get('b')!;
  assert.equal(b.status, 'ABORTED');
  assert.equal(b.error, 'E');
  assert.equal(b.eventCount, 4);
  assert.deepEqual(store.executions.running().map((r) => r.arn), []);
  store.close();
});

test('executions list newest first and page after a given row', () => {
  const store = Store.memory();
  for (const [name, start] of [['e1', 1], ['e2', 2], ['e3', 2], ['e4', 3]] as const) {
    store.executions.insert({ arn: `${SM}:${name}`, name, stateMachineArn: SM, input: '{}', startDate: start, owner });
  }
  store.executions.record(`${SM}:e2`, [], { status: 'FAILED', stopDate: 5 });
  const page1 = store.executions.list({ stateMachineArn: SM, limit: 2 });
  assert.deepEqual(page1.map((r) => r.name), ['e4', 'e3']);
  const last = page1[1]!;
  assert.deepEqual(store.executions.list({ stateMachineArn: SM, limit: 5, after: { startDate: last.startDate, arn: last.arn } }).map((r) => r.name), ['e2', 'e1']);
  assert.deepEqual(store.executions.list({ stateMachineArn: SM, limit: 5, status: 'FAILED' }).map((r) => r.name), ['e2']);
  store.close();
});

test('state machines are unique by name and ARN; task tokens take one callback while waiting', () => {
  const store = Store.memory({ now: () => 77 });
  assert.equal(store.stateMachines.insert({ arn: SM, name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD' }), true);
  assert.equal(store.stateMachines.insert({ arn: SM, name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD' }), false);
  assert.equal(store.stateMachines.update(SM, { definition: '{"x":1}' })!.definition, '{"x":1}');
  assert.equal(store.stateMachines.get(SM)!.roleArn, 'r');
  assert.equal(store.stateMachines.update('nope', { roleArn: 'x' }), undefined);

  store.taskTokens.open('t1', 'exec', 'Ask');
  assert.equal(store.taskTokens.heartbeat('t1'), true);
  assert.equal(store.taskTokens.deliver('t1', { kind: 'success', output: '{}' }), true);
  assert.equal(store.taskTokens.deliver('t1', { kind: 'failure', error: 'late' }), false);
  assert.deepEqual(store.taskTokens.waiting(['t1', 'other']), [
    { token: 't1', executionArn: 'exec', stateName: 'Ask', status: 'WAITING', heartbeats: 1, callback: { kind: 'success', output: '{}' } },
  ]);
  store.taskTokens.closeForExecution('exec');
  assert.equal(store.taskTokens.get('t1')!.status, 'CLOSED');
  assert.equal(store.taskTokens.heartbeat('t1'), false);
  assert.deepEqual(store.taskTokens.waiting(['t1']), []);
  store.close();
});
