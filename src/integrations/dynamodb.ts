/**
 * DynamoDB Task resources against the local DynamoDB: the optimized integration
 * (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`, whose results carry the SDK's
 * HTTP metadata and whose errors are `DynamoDB.<Exception>`) and the AWS SDK integration
 * (`arn:aws:states:::aws-sdk:dynamodb:<action>`: the bare API response, errors `DynamoDb.<Exception>`).
 * Parameters are DynamoDB's request as the API takes it (attribute-value JSON).
 */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import { isDynamoDbError, type DynamoDbService } from '../emulators/dynamodb/index.js';
import { parametersRejected } from './aws-sdk-output.js';
import type { Integration } from './integration.js';
import type { ParsedResource } from './resource-arn.js';
import { httpDate, javaV1Cause, sdkHttpMetadata } from './sdk-http-metadata.js';
import { dynamoDbTaskError } from '../core/error-catalogue.js';

const COMMON = ['TableName', 'ReturnConsumedCapacity', 'ExpressionAttributeNames'];
const WRITE = [...COMMON, 'ConditionExpression', 'ExpressionAttributeValues', 'ReturnValues', 'ReturnItemCollectionMetrics', 'ReturnValuesOnConditionCheckFailure', 'Expected', 'ConditionalOperator'];

/** The members each action's request has (Step Functions refuses others). */
const MEMBERS: Record<string, string[]> = {
  getItem: [...COMMON, 'Key', 'ConsistentRead', 'ProjectionExpression', 'AttributesToGet'],
  putItem: [...WRITE, 'Item'],
  updateItem: [...WRITE, 'Key', 'UpdateExpression', 'AttributeUpdates'],
  deleteItem: [...WRITE, 'Key'],
};

/** The AWS SDK integration also reaches the table-level reads and Scan. */
const SDK_ONLY: Record<string, string[]> = {
  describeTable: ['TableName'],
  scan: [...COMMON, 'Limit', 'ExclusiveStartKey', 'FilterExpression', 'ProjectionExpression', 'ExpressionAttributeValues', 'ConsistentRead', 'Select', 'Segment', 'TotalSegments', 'IndexName'],
};

export class DynamoDbIntegration implements Integration {
  constructor(
    private readonly dynamodb: DynamoDbService,
    private readonly now: () => number = Date.now,
  ) {}

  supports(r: ParsedResource): boolean {
    if (r.pattern !== 'request-response') return false;
    if (r.service === 'dynamodb') return Object.prototype.hasOwnProperty.call(MEMBERS, r.action);
    return r.service === 'aws-sdk:dynamodb' && (Object.prototype.hasOwnProperty.call(MEMBERS, r.action) || Object.prototype.hasOwnProperty.call(SDK_ONLY, r.action));
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const optimized = r.service === 'dynamodb';
    const members = MEMBERS[r.action] ?? SDK_ONLY[r.action]!;
    const input = checked(req.parameters, members);
    const requestId = randomBytes(26).toString('hex').toUpperCase().slice(0, 52);
    let out: JsonObject;
    try {
      out = (this.dynamodb as unknown as Record<string, (i: JsonObject) => JsonObject>)[r.action]!.call(this.dynamodb, input);
    } catch (e) {
      if (!isDynamoDbError(e)) throw e;
      if (optimized) throw new StatesError(dynamoDbTaskError(e.code, true), javaV1Cause(e.message, 'AmazonDynamoDBv2', e.statusCode, e.code, requestId));
      throw new StatesError(dynamoDbTaskError(e.code, false), `${e.message} (Service: DynamoDb, Status Code: ${e.statusCode}, Request ID: ${requestId})`);
    }
    if (!optimized) return out;
    const body = JSON.stringify(out);
    return {
      ...out,
      ...sdkHttpMetadata(
        [
          ['Server', 'Server'],
          ['Connection', 'keep-alive'],
          ['x-amzn-RequestId', requestId],
          ['x-amz-crc32', String(crc32(body))],
          ['Content-Length', String(Buffer.byteLength(body))],
          ['Date', httpDate(this.now())],
          ['Content-Type', 'application/x-amz-json-1.0'],
        ],
        requestId,
      ),
    };
  }
}

function checked(parameters: Json, members: string[]): JsonObject {
  if (!isJsonObject(parameters)) throw parametersRejected(parameters, 'The Parameters must be a JSON object');
  for (const k of Object.keys(parameters)) {
    if (!members.includes(k)) throw parametersRejected(parameters, `The field "${k}" is not supported by Step Functions`);
  }
  return parameters;
}
