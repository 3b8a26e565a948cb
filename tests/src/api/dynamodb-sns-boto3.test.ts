/**
 * DynamoDB, SNS and InvokeEndpointAsync driven by boto3 (botocore's own protocol code: JSON 1.0 for
 * DynamoDB, Query for SNS, restJson1 for the runtime), with its waiters and error classes. Skipped,
 * saying why, where the machine has no Python with boto3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiHarness } from '../../support/local-api.js';

const python = ['python3', 'python3.11'].find((p) => spawnSync(p, ['-c', 'import boto3'], { timeout: 30_000 }).status === 0);

const SCRIPT_PY = `
import json, sys, boto3
from botocore.exceptions import ClientError
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='x')
ddb = boto3.client('dynamodb', **kw)
sns = boto3.client('sns', **kw)
out = {}
ddb.create_table(TableName='runs', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                 AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
ddb.get_waiter('table_exists').wait(TableName='runs', WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
ddb.put_item(TableName='runs', Item={'id': {'S': 'a'}, 'n': {'N': '1'}})
out['updated'] = ddb.update_item(TableName='runs', Key={'id': {'S': 'a'}}, UpdateExpression='ADD n :one',
                                 ExpressionAttributeValues={':one': {'N': '41'}}, ReturnValues='ALL_NEW')['Attributes']
try:
    ddb.put_item(TableName='runs', Item={'id': {'S': 'a'}}, ConditionExpression='attribute_not_exists(id)')
except ddb.exceptions.ConditionalCheckFailedException as e:
    out['conditional'] = e.response['Error']['Code']
try:
    ddb.get_item(TableName='nope', Key={'id': {'S': 'a'}})
except ddb.exceptions.ResourceNotFoundException as e:
    out['missing_table'] = e.response['Error']['Message']
out['tables'] = ddb.list_tables()['TableNames']
arn = sns.create_topic(Name='alerts')['TopicArn']
out['topic'] = arn
out['message_id'] = sns.publish(TopicArn=arn, Message='hello', Subject='s',
                                MessageAttributes={'k': {'DataType': 'String', 'StringValue': 'v'}})['MessageId']
out['topics'] = [t['TopicArn'] for t in sns.list_topics()['Topics']]
try:
    sns.publish(TopicArn='arn:aws:sns:us-east-1:111111111111:missing', Message='m')
except sns.exceptions.NotFoundException as e:
    out['missing_topic'] = e.response['Error']['Message']
print(json.dumps(out))
`;

test('boto3: DynamoDB tables and items with waiters and error classes, SNS topics and Publish', { timeout: 120_000, skip: python ? false : 'no python3 with boto3 on PATH' }, async () => {
  const h = await apiHarness();
  const dir = mkdtempSync(join(tmpdir(), 'mlops-boto3-'));
  try {
    const script = join(dir, 'script.py');
    writeFileSync(script, SCRIPT_PY);
    // Asynchronous: the API answers from this very process.
    const child = spawn(python!, [script, h.api.url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    clearTimeout(timer);
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(out['updated'], { id: { S: 'a' }, n: { N: '42' } });
    assert.equal(out['conditional'], 'ConditionalCheckFailedException');
    assert.equal(out['missing_table'], 'Requested resource not found');
    assert.deepEqual(out['tables'], ['runs']);
    assert.equal(out['topic'], 'arn:aws:sns:us-east-1:111111111111:alerts');
    assert.deepEqual(out['topics'], ['arn:aws:sns:us-east-1:111111111111:alerts']);
    assert.equal(out['missing_topic'], 'Topic does not exist');
    const kept = h.services.sns.messages('alerts');
    assert.deepEqual(
      kept.map((m) => [m.messageId, m.subject, m.message, JSON.parse(m.attributes!)]),
      [[out['message_id'], 's', 'hello', { k: { DataType: 'String', StringValue: 'v' } }]],
    );
    assert.deepEqual(h.logged, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  }
});
