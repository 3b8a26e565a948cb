import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, Store } from '../../../src/store/index.js';

const SM = 'arn:aws:states:us-east-1:111111111111:stateMachine:m';

test('a home at schema 4 migrates to 5 keeping its state machines and executions', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-store-'));
  try {
    const old = Store.open(home, { migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    assert.equal(old.schemaVersion(), 4);
    old.close();
    // Written by raw SQL as build 4 would have: the new columns did not exist.
    const v4 = Store.open(home, { migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    v4.close();
    const store = Store.open(home, { migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    try {
      assert.equal(store.schemaVersion(), 5);
      assert.ok(store.stateMachines.insert({ arn: SM, name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD' }));
      const row = store.stateMachines.get(SM)!;
      assert.equal(row.status, 'ACTIVE');
      assert.equal(row.nextVersion, 1);
      assert.equal(row.loggingConfiguration, undefined);
    } finally {
      store.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('version numbers are never reused, aliases find the versions they route to, tags overwrite by key', () => {
  const store = Store.memory({ now: () => 1000 });
  store.stateMachines.insert({ arn: SM, name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD' });
  assert.equal(store.stateMachines.takeVersionNumber(SM), 1);
  assert.equal(store.stateMachines.takeVersionNumber(SM), 2);
  assert.equal(store.stateMachines.takeVersionNumber('arn:nope'), undefined);
  store.versions.insert({ arn: `${SM}:2`, stateMachineArn: SM, version: 2, definition: '{}', roleArn: 'r', type: 'STANDARD', createdAt: 1 });
  assert.equal(store.versions.latest(SM)!.version, 2);
  assert.ok(store.aliases.insert({ arn: `${SM}:prod`, stateMachineArn: SM, name: 'prod', routing: [{ stateMachineVersionArn: `${SM}:2`, weight: 100 }], createdAt: 1, updatedAt: 1 }));
  assert.equal(store.aliases.insert({ arn: `${SM}:prod`, stateMachineArn: SM, name: 'prod', routing: [], createdAt: 1, updatedAt: 1 }), false);
  assert.deepEqual(store.aliases.referencing(`${SM}:2`).map((a) => a.name), ['prod']);
  assert.deepEqual(store.aliases.referencing(`${SM}:1`), []);
  store.tags.put(SM, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
  store.tags.put(SM, [{ key: 'a', value: '3' }]);
  store.tags.remove(SM, ['b', 'missing']);
  assert.deepEqual(store.tags.list(SM), [{ key: 'a', value: '3' }]);
  store.close();
});

test('an activity task goes to one worker only, oldest first', () => {
  let now = 1000;
  const store = Store.memory({ now: () => now++ });
  const act = 'arn:aws:states:us-east-1:111111111111:activity:work';
  assert.ok(store.activities.insert(act, 'work'));
  assert.equal(store.activities.insert(act, 'work'), false);
  store.activities.schedule({ token: 't1', activityArn: act, executionArn: 'e', stateName: 'S', input: '{"n":1}' });
  store.activities.schedule({ token: 't2', activityArn: act, executionArn: 'e', stateName: 'S', input: '{"n":2}' });
  // Scheduling the same token again (a resumed execution) keeps the queued task.
  assert.equal(store.activities.schedule({ token: 't1', activityArn: act, executionArn: 'e', stateName: 'S', input: '{}' }).input, '{"n":1}');
  const first = store.activities.take(act, 'w1')!;
  assert.equal(first.token, 't1');
  assert.equal(first.status, 'STARTED');
  assert.equal(first.workerName, 'w1');
  assert.equal(store.activities.take(act, 'w2')!.token, 't2');
  assert.equal(store.activities.take(act, 'w3'), undefined);
  store.close();
});
