/**
 * The local DynamoDB through the real AWS SDK v3 client: tables, items, expressions, and DynamoDB's
 * errors as the SDK raises them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { apiHarness, clientConfig } from '../../support/local-api.js';

async function rejectsWith(p: Promise<unknown>, name: string, message: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('DynamoDB client: tables created, described, listed in pages and deleted; waiters work', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const ddb = new DynamoDBClient(clientConfig(h.api));
  try {
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: 'runs',
        KeySchema: [{ AttributeName: 'model', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'model', AttributeType: 'S' }, { AttributeName: 'version', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    assert.equal(created.TableDescription?.TableArn, 'arn:aws:dynamodb:us-east-1:111111111111:table/runs');
    assert.ok(created.TableDescription?.CreationDateTime instanceof Date);
    await waitUntilTableExists({ client: ddb, minDelay: 1, maxWaitTime: 10 }, { TableName: 'runs' });
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'runs' }));
    assert.equal(described.Table?.TableStatus, 'ACTIVE');
    assert.equal(described.Table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    await rejectsWith(
      ddb.send(new CreateTableCommand({ TableName: 'runs', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })),
      'ResourceInUseException',
      'Table already exists: runs',
    );
    assert.ok(ResourceInUseException);
    await rejectsWith(
      ddb.send(new CreateTableCommand({ TableName: 'bad', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })),
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]',
    );
    await rejectsWith(
      ddb.send(new CreateTableCommand({ TableName: 'bad', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] })),
      'ValidationException',
      /ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED/,
    );
    for (const name of ['t-a', 't-b', 't-c']) {
      await ddb.send(new CreateTableCommand({ TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    }
    const first = await ddb.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['runs', 't-a']);
    assert.equal(first.LastEvaluatedTableName, 't-a');
    const second = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: first.LastEvaluatedTableName }));
    assert.deepEqual(second.TableNames, ['t-b', 't-c']);
    assert.equal(second.LastEvaluatedTableName, undefined);
    assert.equal((await ddb.send(new DeleteTableCommand({ TableName: 't-c' }))).TableDescription?.TableStatus, 'DELETING');
    await rejectsWith(ddb.send(new DescribeTableCommand({ TableName: 't-c' })), 'ResourceNotFoundException', 'Requested resource not found: Table: t-c not found');
  } finally {
    ddb.destroy();
    await h.close();
  }
});

test('DynamoDB client: items with condition and update expressions, projections, Scan, and their errors', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const ddb = new DynamoDBClient(clientConfig(h.api));
  const key = { model: { S: 'census' }, version: { N: '1' } };
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: 'runs',
        KeySchema: [{ AttributeName: 'model', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'model', AttributeType: 'S' }, { AttributeName: 'version', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // PutItem only if new; numbers come back as DynamoDB keeps them (1.50 → 1.5, 1.0 is the same key as 1).
    await ddb.send(
      new PutItemCommand({
        TableName: 'runs',
        Item: { ...key, status: { S: 'training' }, auc: { N: '0.8500' }, tags: { SS: ['a', 'b'] }, meta: { M: { steps: { L: [{ S: 'pre' }] } } } },
        ConditionExpression: 'attribute_not_exists(model)',
      }),
    );
    await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'runs', Item: { model: { S: 'census' }, version: { N: '1.0' } }, ConditionExpression: 'attribute_not_exists(model)' })),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    assert.ok(ConditionalCheckFailedException);
    const got = await ddb.send(new GetItemCommand({ TableName: 'runs', Key: key }));
    assert.deepEqual(got.Item?.['auc'], { N: '0.85' });
    assert.deepEqual(got.Item?.['tags'], { SS: ['a', 'b'] });
    const projected = await ddb.send(new GetItemCommand({ TableName: 'runs', Key: key, ProjectionExpression: '#s, meta.steps[0]', ExpressionAttributeNames: { '#s': 'status' } }));
    assert.deepEqual(projected.Item, { status: { S: 'training' }, meta: { M: { steps: { L: [{ S: 'pre' }] } } } });
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'runs', Key: { model: { S: 'none' }, version: { N: '1' } } }))).Item, undefined);

    // UpdateItem: SET with arithmetic, if_not_exists and list_append, REMOVE, ADD to a number and a set.
    const updated = await ddb.send(
      new UpdateItemCommand({
        TableName: 'runs',
        Key: key,
        UpdateExpression: 'SET #s = :done, auc = auc + :delta, runs = if_not_exists(runs, :zero) + :one, meta.steps = list_append(meta.steps, :more) REMOVE obsolete ADD attempts :one, tags :tag',
        ConditionExpression: '#s = :training AND auc BETWEEN :lo AND :hi AND contains(tags, :a) AND size(meta.steps) < :ten',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':done': { S: 'done' },
          ':training': { S: 'training' },
          ':delta': { N: '0.1' },
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':more': { L: [{ S: 'train' }] },
          ':tag': { SS: ['c'] },
          ':lo': { N: '0.5' },
          ':hi': { N: '1' },
          ':a': { S: 'a' },
          ':ten': { N: '10' },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.deepEqual(updated.Attributes, {
      model: { S: 'census' },
      version: { N: '1' },
      status: { S: 'done' },
      auc: { N: '0.95' },
      runs: { N: '1' },
      attempts: { N: '1' },
      tags: { SS: ['a', 'b', 'c'] },
      meta: { M: { steps: { L: [{ S: 'pre' }, { S: 'train' }] } } },
    });
    const old = await ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET attempts = attempts + :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_OLD' }));
    assert.deepEqual(old.Attributes, { attempts: { N: '1' } });
    // An UpdateItem of a missing item creates it from the key.
    await ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: { model: { S: 'new' }, version: { N: '2' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '5' } } }));
    const scanned = await ddb.send(new ScanCommand({ TableName: 'runs', FilterExpression: 'n > :four', ExpressionAttributeValues: { ':four': { N: '4' } } }));
    assert.deepEqual(scanned.Items, [{ model: { S: 'new' }, version: { N: '2' }, n: { N: '5' } }]);
    assert.equal(scanned.ScannedCount, 2);

    // DeleteItem with a condition, returning the old item.
    await rejectsWith(ddb.send(new DeleteItemCommand({ TableName: 'runs', Key: key, ConditionExpression: 'attempts > :five', ExpressionAttributeValues: { ':five': { N: '5' } } })), 'ConditionalCheckFailedException', 'The conditional request failed');
    const deleted = await ddb.send(new DeleteItemCommand({ TableName: 'runs', Key: key, ReturnValues: 'ALL_OLD' }));
    assert.equal(deleted.Attributes?.['status']?.S, 'done');

    // DynamoDB's errors, as its SDK raises them.
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'nope', Key: key })), 'ResourceNotFoundException', 'Requested resource not found');
    assert.ok(ResourceNotFoundException);
    const v = 'ValidationException';
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'runs', Key: { model: { S: 'census' } } })), v, 'The provided key element does not match the schema');
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'runs', Key: { model: { S: 'census' }, version: { S: '1' } } })), v, 'The provided key element does not match the schema');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { model: { S: 'x' } } })), v, 'One or more parameter values were invalid: Missing the key version in the item');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { model: { S: 'x' }, version: { S: '1' } } })), v, 'One or more parameter values were invalid: Type mismatch for key version expected: N actual: S');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { model: { S: '' }, version: { N: '1' } } })), v, /The AttributeValue for a key attribute cannot contain an empty string value\. Key: model/);
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { ...key, n: { N: 'ten' } } })), v, 'A value provided cannot be converted into a number');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { ...key, s: { SS: ['a', 'a'] } } })), v, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: { ...key, big: { S: 'x'.repeat(410_000) } } })), v, 'Item size has exceeded the maximum allowed size');
    await rejectsWith(
      ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': { N: '2' } } })),
      v,
      'One or more parameter values were invalid: Cannot update attribute version. This attribute is part of the key',
    );
    await rejectsWith(
      ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { N: '1' }, ':unused': { N: '2' } } })),
      v,
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
    );
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET #a = :a', ExpressionAttributeValues: { ':a': { N: '1' } } })), v, 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a');
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = :b' })), v, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :b');
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = = :a', ExpressionAttributeValues: { ':a': { N: '1' } } })), v, /^Invalid UpdateExpression: Syntax error; token: "=", near: /);
    await rejectsWith(
      ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = :a REMOVE a.b', ExpressionAttributeValues: { ':a': { N: '1' } } })),
      v,
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    );
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = :a SET b = :a', ExpressionAttributeValues: { ':a': { N: '1' } } })), v, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'runs', Key: key, UpdateExpression: 'SET a = b + :a', ExpressionAttributeValues: { ':a': { N: '1' } } })), v, 'The provided expression refers to an attribute that does not exist in the item');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: key, ExpressionAttributeValues: { ':a': { N: '1' } } })), v, 'ExpressionAttributeValues can only be specified when using expressions');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'runs', Item: key, ReturnValues: 'ALL_NEW' })), v, 'Return values set to invalid value');
  } finally {
    ddb.destroy();
    await h.close();
  }
});

test('DynamoDB client: hostile inputs are refused with DynamoDB errors, never a hang or an internal error', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const ddb = new DynamoDBClient(clientConfig(h.api));
  try {
    await ddb.send(new CreateTableCommand({ TableName: 'hostile', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    const key = { id: { S: 'x' } };
    const nested = '('.repeat(3000) + 'a = :a' + ')'.repeat(3000);
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'hostile', Item: key, ConditionExpression: nested, ExpressionAttributeValues: { ':a': { N: '1' } } })), 'ValidationException', /^Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 6006$/);
    let deep: Record<string, unknown> = { S: 'leaf' };
    for (let i = 0; i < 40; i++) deep = { M: { d: deep } };
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'hostile', Item: { ...key, deep: deep as never } })), 'ValidationException', 'Nesting Levels have exceeded supported limits');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'hostile', Item: { ...key, n: { N: '1'.repeat(39) } } })), 'ValidationException', 'Attempting to store more than 38 significant digits in a Number');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'hostile', Item: { ...key, n: { N: '1e200' } } })), 'ValidationException', /Number overflow/);
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'hostile', Key: key, UpdateExpression: 'SET a = :a', ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':a': { N: '1' }, ':hi': { N: '5' }, ':lo': { N: '1' } } })), 'ValidationException', /The BETWEEN operator requires upper bound to be greater than or equal to lower bound/);
    await rejectsWith(ddb.send(new UpdateItemCommand({ TableName: 'hostile', Key: key, UpdateExpression: 'SET a.b.c = :a', ExpressionAttributeValues: { ':a': { N: '1' } } })), 'ValidationException', 'The document path provided in the update expression is invalid for update');
    // Numbers stay exact where a double would not: 0.1 + 0.2 is 0.3.
    await ddb.send(new PutItemCommand({ TableName: 'hostile', Item: { ...key, n: { N: '0.1' } } }));
    const sum = await ddb.send(new UpdateItemCommand({ TableName: 'hostile', Key: key, UpdateExpression: 'SET n = n + :b', ExpressionAttributeValues: { ':b': { N: '0.2' } }, ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(sum.Attributes, { n: { N: '0.3' } });
    assert.deepEqual(h.logged, []);
  } finally {
    ddb.destroy();
    await h.close();
  }
});
