/**
 * The optimized DynamoDB and SNS integrations (and their AWS SDK forms) in state machines run by the
 * local Step Functions service through the SFN SDK: AWS's result shapes (SdkHttpMetadata recorded on
 * AWS), error names and causes, caught by Catch as on AWS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { apiHarness, clientConfig, ROLE } from '../../support/local-api.js';

const DEFINITION = {
  StartAt: 'Put',
  States: {
    Put: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: 'models', Item: { id: { 'S.$': '$.id' }, status: { S: 'pending' } }, ConditionExpression: 'attribute_not_exists(id)' },
      ResultPath: '$.put',
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.exists', Next: 'Get' }],
      Next: 'Update',
    },
    Update: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: 'models',
        Key: { id: { 'S.$': '$.id' } },
        UpdateExpression: 'SET #s = :s ADD runs :one',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'approved' }, ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      },
      ResultSelector: { 'attributes.$': '$.Attributes' },
      ResultPath: '$.update',
      Next: 'Get',
    },
    Get: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'models', Key: { id: { 'S.$': '$.id' } } },
      ResultPath: '$.get',
      Next: 'SdkGet',
    },
    SdkGet: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
      Parameters: { TableName: 'models', Key: { id: { 'S.$': '$.id' } }, ProjectionExpression: 'runs' },
      ResultPath: '$.sdkGet',
      Next: 'Notify',
    },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:111111111111:approvals', Subject: 'approved', Message: { 'model.$': '$.id', status: 'approved' } },
      ResultPath: '$.notify',
      End: true,
    },
  },
};

test('dynamodb:putItem/updateItem/getItem, aws-sdk:dynamodb:getItem and sns:publish: AWS shapes, errors caught by name', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const cfg = clientConfig(h.api);
  const sfn = new SFNClient(cfg);
  const ddb = new DynamoDBClient(cfg);
  const sns = new SNSClient(cfg);
  try {
    await ddb.send(new CreateTableCommand({ TableName: 'models', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await sns.send(new CreateTopicCommand({ Name: 'approvals' }));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'registry', type: 'EXPRESS', roleArn: ROLE, definition: JSON.stringify(DEFINITION) }));

    const first = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: 'census' }) }));
    assert.equal(first.status, 'SUCCEEDED', first.cause);
    const out = JSON.parse(first.output!) as Record<string, Record<string, unknown>>;
    // putItem answers {} plus the SDK's HTTP metadata, as recorded on AWS.
    assert.deepEqual(Object.keys(out['put']!), ['SdkHttpMetadata', 'SdkResponseMetadata']);
    const meta = out['put']!['SdkHttpMetadata'] as { AllHttpHeaders: Record<string, string[]>; HttpHeaders: Record<string, string>; HttpStatusCode: number };
    assert.equal(meta.HttpStatusCode, 200);
    assert.deepEqual(Object.keys(meta.AllHttpHeaders), ['Server', 'Connection', 'x-amzn-RequestId', 'x-amz-crc32', 'Content-Length', 'Date', 'Content-Type']);
    assert.deepEqual(Object.keys(meta.HttpHeaders), ['Connection', 'Content-Length', 'Content-Type', 'Date', 'Server', 'x-amz-crc32', 'x-amzn-RequestId']);
    assert.equal(meta.HttpHeaders['Content-Length'], '2');
    assert.deepEqual(meta.AllHttpHeaders['Content-Type'], ['application/x-amz-json-1.0']);
    assert.equal((out['put']!['SdkResponseMetadata'] as { RequestId: string }).RequestId, meta.HttpHeaders['x-amzn-RequestId']);
    assert.deepEqual(out['update']!['attributes'], { id: { S: 'census' }, status: { S: 'approved' }, runs: { N: '1' } });
    assert.deepEqual(out['get']!['Item'], { id: { S: 'census' }, status: { S: 'approved' }, runs: { N: '1' } });
    assert.equal((out['get']!['SdkHttpMetadata'] as { HttpHeaders: Record<string, string> }).HttpHeaders['Content-Length'], String(JSON.stringify({ Item: out['get']!['Item'] }).length));
    // The AWS SDK integration answers the bare API response.
    assert.deepEqual(out['sdkGet'], { Item: { runs: { N: '1' } } });
    // sns:publish answers MessageId with the metadata of SNS's XML answer (294 bytes, as recorded).
    assert.match(out['notify']!['MessageId'] as string, /^[0-9a-f-]{36}$/);
    const snsMeta = out['notify']!['SdkHttpMetadata'] as { HttpHeaders: Record<string, string> };
    assert.equal(snsMeta.HttpHeaders['Content-Length'], '294');
    assert.equal(snsMeta.HttpHeaders['Content-Type'], 'text/xml');
    // The JSON Message was sent as its text and kept on the topic.
    const kept = h.services.sns.messages('approvals');
    assert.equal(kept.length, 1);
    assert.deepEqual(JSON.parse(kept[0]!.message), { model: 'census', status: 'approved' });
    assert.equal(kept[0]!.messageId, out['notify']!['MessageId']);
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'models', Key: { id: { S: 'census' } } }))).Item?.['status']?.S, 'approved');

    // Second run: the condition fails; Catch matches DynamoDB.ConditionalCheckFailedException with AWS's cause.
    const second = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: 'census' }) }));
    assert.equal(second.status, 'SUCCEEDED', second.cause);
    const caught = (JSON.parse(second.output!) as Record<string, { Error: string; Cause: string }>)['exists']!;
    assert.equal(caught.Error, 'DynamoDB.ConditionalCheckFailedException');
    assert.match(caught.Cause, /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: [A-Z0-9]{52}; Proxy: null\)$/);

    // A missing table and a missing topic fail with the services' exceptions.
    const failing = async (resource: string, parameters: unknown) => {
      const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } } };
      const name = `f${Math.random().toString(36).slice(2, 8)}`;
      const sm = await sfn.send(new CreateStateMachineCommand({ name, type: 'EXPRESS', roleArn: ROLE, definition: JSON.stringify(def) }));
      return sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm.stateMachineArn }));
    };
    const noTable = await failing('arn:aws:states:::dynamodb:getItem', { TableName: 'nope', Key: { id: { S: 'x' } } });
    assert.equal(noTable.error, 'DynamoDB.ResourceNotFoundException');
    assert.match(noTable.cause!, /^Requested resource not found \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException;/);
    const sdkNoTable = await failing('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 'nope', Key: { id: { S: 'x' } } });
    assert.equal(sdkNoTable.error, 'DynamoDb.ResourceNotFoundException');
    const noTopic = await failing('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:111111111111:missing', Message: 'm' });
    assert.equal(noTopic.error, 'SNS.NotFoundException');
    assert.match(noTopic.cause!, /^Topic does not exist \(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    const sdkNoTopic = await failing('arn:aws:states:::aws-sdk:sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:111111111111:missing', Message: 'm' });
    assert.equal(sdkNoTopic.error, 'Sns.NotFoundException');
    const badField = await failing('arn:aws:states:::dynamodb:putItem', { TableName: 'models', Item: { id: { S: 'x' } }, Bogus: 1 });
    assert.equal(badField.error, 'States.Runtime');
    assert.match(badField.cause!, /The field "Bogus" is not supported by Step Functions/);
  } finally {
    sfn.destroy();
    ddb.destroy();
    sns.destroy();
    await h.close();
  }
});
