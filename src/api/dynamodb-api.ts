/**
 * DynamoDB over AWS JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Action>`): the tables and items of
 * the local DynamoDB that the `dynamodb:*` Task integrations use, so a table created with the AWS CLI
 * or an SDK is the one a state machine reads and writes. Answers carry DynamoDB's `x-amz-crc32`.
 */
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import { isDynamoDbError, type DynamoDbService } from '../emulators/dynamodb/index.js';
import { send } from './http-io.js';
import type { DynamoDbErrorCode, ProtocolErrorName } from '../core/error-catalogue.js';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
/** An item is at most 400 KB; a request carries a few of them at most. */
export const DYNAMODB_BODY_LIMIT = 16 * 1024 * 1024;

const ACTIONS: Record<string, (s: DynamoDbService, input: JsonObject) => JsonObject> = {
  CreateTable: (s, i) => s.createTable(i),
  DescribeTable: (s, i) => s.describeTable(i),
  ListTables: (s, i) => s.listTables(i),
  DeleteTable: (s, i) => s.deleteTable(i),
  GetItem: (s, i) => s.getItem(i),
  PutItem: (s, i) => s.putItem(i),
  UpdateItem: (s, i) => s.updateItem(i),
  DeleteItem: (s, i) => s.deleteItem(i),
  Scan: (s, i) => s.scan(i),
};

function answer(res: ServerResponse, status: number, body: string): void {
  send(res, status, { 'Content-Type': CONTENT_TYPE, 'x-amz-crc32': String(crc32(body)) }, body);
}

function error(res: ServerResponse, status: number, code: DynamoDbErrorCode | ProtocolErrorName, message: string): void {
  const body = JSON.stringify({ __type: `${NAMESPACE}#${code}`, message });
  res.setHeader('x-amzn-ErrorType', code);
  answer(res, status, body);
}

export function handleDynamoDb(service: DynamoDbService, action: string, body: Buffer, res: ServerResponse): void {
  const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!handler) return error(res, 400, 'UnknownOperationException', `The local DynamoDB does not implement ${action}.`);
  let input: Json;
  try {
    input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Json);
  } catch {
    return error(res, 400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (!isJsonObject(input)) return error(res, 400, 'SerializationException', 'The request body must be a JSON object.');
  try {
    answer(res, 200, JSON.stringify(handler(service, input)));
  } catch (e) {
    if (isDynamoDbError(e)) return error(res, e.statusCode, e.code, e.message);
    throw e;
  }
}
