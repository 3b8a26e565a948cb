import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, Store } from '../../../src/store/index.js';

test('a home at schema 5 migrates to 6 keeping its state machines; DynamoDB items and SNS messages persist across opens', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-store-'));
  try {
    const v5 = Store.open(home, { migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    assert.ok(v5.stateMachines.insert({ arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:m', name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD' }));
    v5.close();
    const store = Store.open(home);
    try {
      assert.ok(store.schemaVersion() >= 6);
      assert.equal(store.stateMachines.get('arn:aws:states:us-east-1:111111111111:stateMachine:m')?.name, 'm');
      assert.ok(store.dynamodb.insertTable('t', '{"TableName":"t"}', 1));
      assert.equal(store.dynamodb.insertTable('t', '{}', 2), false);
      store.dynamodb.putItem('t', { hash: 'S:a', range: '' }, '{"id":{"S":"a"}}');
      store.sns.ensureTopic('arn:aws:sns:us-east-1:111111111111:x', 'x', '{}', 1);
      assert.equal(store.sns.addMessage({ topicArn: 'arn:aws:sns:us-east-1:111111111111:x', messageId: 'm1', message: 'hello', publishedAt: 2 }), 1);
    } finally {
      store.close();
    }
    const again = Store.open(home);
    try {
      assert.equal(again.dynamodb.getItem('t', { hash: 'S:a', range: '' }), '{"id":{"S":"a"}}');
      assert.deepEqual(again.sns.messages('arn:aws:sns:us-east-1:111111111111:x').map((m) => m.message), ['hello']);
      assert.ok(again.dynamodb.deleteTable('t'));
      assert.equal(again.dynamodb.getItem('t', { hash: 'S:a', range: '' }), undefined);
    } finally {
      again.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
