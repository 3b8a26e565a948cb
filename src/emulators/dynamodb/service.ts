/**
 * The local DynamoDB: tables in the home's state database, and the actions ML pipelines use —
 * CreateTable/DescribeTable/ListTables/DeleteTable, GetItem/PutItem/UpdateItem/DeleteItem with
 * condition, update and projection expressions, and Scan — with DynamoDB's request checks, result
 * shapes and error texts. Inputs and outputs are the API's JSON shapes (DynamoDB's JSON 1.0), so the
 * local API answers SDKs with them and the Step Functions integrations pass them through. Every
 * conditional write reads and writes in one SQLite transaction: two writers never both pass a
 * condition only one of them should.
 */
import { randomUUID } from 'node:crypto';
import { formatArn, type AwsLocation } from '../../core/arn.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import type { ItemKey, Store } from '../../store/index.js';
import { checkItem, checkValue, itemSize, keyText, MAX_ITEM_BYTES, typeOf, type AttributeValue, type Item } from './attribute-values.js';
import { conditionalCheckFailed, DynamoDbError, resourceNotFound, validation } from './errors.js';
import { applyUpdate, evaluateCondition, project } from './evaluate.js';
import { parseCondition, parseProjection, parseUpdate, Placeholders, type Condition } from './expressions.js';

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface TableDescription extends JsonObject {
  TableName: string;
  KeySchema: JsonObject[];
  AttributeDefinitions: JsonObject[];
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

function field(input: JsonObject, name: string): Json | undefined {
  const v = input[name];
  return v === null ? undefined : v;
}

function required(input: JsonObject, name: string): Json {
  const v = field(input, name);
  if (v === undefined) throw validation(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function tableName(input: JsonObject): string {
  const name = required(input, 'TableName');
  if (typeof name !== 'string' || !TABLE_NAME.test(name)) {
    throw validation(
      `1 validation error detected: Value '${String(name)}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+` +
        (typeof name === 'string' && (name.length < 3 || name.length > 255) ? '; Member must have length greater than or equal to 3' : ''),
    );
  }
  return name;
}

export class DynamoDbService {
  constructor(
    private readonly store: Store,
    private readonly location: AwsLocation,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- tables ----------------------------------------------------------------------------------

  createTable(input: JsonObject): JsonObject {
    const name = tableName(input);
    const keySchema = required(input, 'KeySchema');
    const defs = required(input, 'AttributeDefinitions');
    if (!Array.isArray(keySchema) || keySchema.length < 1 || keySchema.length > 2) {
      throw validation("1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
    }
    const keys = keySchema.map((k) => (isJsonObject(k) ? k : {})) as unknown as KeyElement[];
    if (keys[0]?.KeyType !== 'HASH' || (keys[1] !== undefined && keys[1].KeyType !== 'RANGE')) {
      throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    }
    if (!Array.isArray(defs) || defs.some((d) => !isJsonObject(d) || typeof d['AttributeName'] !== 'string' || !['S', 'N', 'B'].includes(String(d['AttributeType'])))) {
      throw validation("1 validation error detected: Value at 'attributeDefinitions' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
    }
    const defined = (defs as JsonObject[]).map((d) => d['AttributeName'] as string);
    const keyNames = keys.map((k) => k.AttributeName);
    if (keyNames.some((k) => !defined.includes(k)) || defined.length !== keyNames.length) {
      throw validation(
        `One or more parameter values were invalid: ${keyNames.some((k) => !defined.includes(k)) ? 'Some index key attributes are not defined in AttributeDefinitions' : 'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'}. Keys: [${keyNames.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
      );
    }
    const billing = field(input, 'BillingMode') ?? 'PROVISIONED';
    const throughput = field(input, 'ProvisionedThroughput');
    if (billing === 'PROVISIONED' && !isJsonObject(throughput)) {
      throw validation('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    }
    if (billing === 'PAY_PER_REQUEST' && throughput !== undefined) {
      throw validation('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    const createdAt = this.now();
    const description: TableDescription = {
      AttributeDefinitions: defs as JsonObject[],
      TableName: name,
      KeySchema: keySchema as JsonObject[],
      TableStatus: 'ACTIVE',
      CreationDateTime: createdAt / 1000,
      ProvisionedThroughput: {
        NumberOfDecreasesToday: 0,
        ReadCapacityUnits: billing === 'PROVISIONED' ? (((throughput as JsonObject)['ReadCapacityUnits'] as number) ?? 0) : 0,
        WriteCapacityUnits: billing === 'PROVISIONED' ? (((throughput as JsonObject)['WriteCapacityUnits'] as number) ?? 0) : 0,
      },
      TableSizeBytes: 0,
      ItemCount: 0,
      TableArn: formatArn(this.location, 'dynamodb', `table/${name}`),
      TableId: randomUUID(),
      ...(billing === 'PAY_PER_REQUEST' ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: createdAt / 1000 } } : {}),
      DeletionProtectionEnabled: false,
    };
    if (!this.store.dynamodb.insertTable(name, JSON.stringify(description), createdAt)) {
      throw new DynamoDbError('ResourceInUseException', `Table already exists: ${name}`);
    }
    // The table is usable at once; CreateTable answers CREATING as DynamoDB does, DescribeTable ACTIVE.
    return { TableDescription: { ...description, TableStatus: 'CREATING' } };
  }

  describeTable(input: JsonObject): JsonObject {
    const name = tableName(input);
    const d = this.describe(name);
    if (!d) throw new DynamoDbError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    return { Table: d };
  }

  listTables(input: JsonObject): JsonObject {
    const limit = field(input, 'Limit') ?? 100;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw validation(`1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
    }
    const start = field(input, 'ExclusiveStartTableName');
    const names = this.store.dynamodb.listTables(typeof start === 'string' ? start : undefined, limit + 1);
    const page = names.slice(0, limit);
    return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1]! } : {}) };
  }

  deleteTable(input: JsonObject): JsonObject {
    const name = tableName(input);
    const d = this.describe(name);
    if (!d || !this.store.dynamodb.deleteTable(name)) throw new DynamoDbError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    return { TableDescription: { ...d, TableStatus: 'DELETING' } };
  }

  // ---- items -----------------------------------------------------------------------------------

  getItem(input: JsonObject): JsonObject {
    const name = tableName(input);
    const table = this.table(name);
    const key = this.key(table, input);
    const ph = placeholders(input);
    const projection = field(input, 'ProjectionExpression');
    const paths = typeof projection === 'string' ? parseProjection(projection, ph) : undefined;
    if (field(input, 'AttributesToGet') !== undefined) throw legacy('AttributesToGet', 'ProjectionExpression');
    ph.checkAllUsed(paths !== undefined);
    const stored = this.store.dynamodb.getItem(name, key);
    if (stored === undefined) return {};
    const item = JSON.parse(stored) as Item;
    return { Item: paths ? project(item, paths) : item };
  }

  putItem(input: JsonObject): JsonObject {
    const name = tableName(input);
    const table = this.table(name);
    const item = checkItem(required(input, 'Item'));
    const key = this.keyOfItem(table, item);
    const returnValues = returns(input, ['NONE', 'ALL_OLD']);
    const ph = placeholders(input);
    const condition = this.condition(input, ph);
    ph.checkAllUsed(condition !== undefined);
    if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    return this.store.transaction((): JsonObject => {
      const old = this.read(name, key);
      if (condition && !evaluateCondition(old ?? {}, condition)) throw conditionalCheckFailed();
      this.store.dynamodb.putItem(name, key, JSON.stringify(item));
      return returnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
    });
  }

  updateItem(input: JsonObject): JsonObject {
    const name = tableName(input);
    const table = this.table(name);
    const keyItem = this.keyItem(table, input);
    const key = this.key(table, input);
    const returnValues = returns(input, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
    if (field(input, 'AttributeUpdates') !== undefined) throw legacy('AttributeUpdates', 'UpdateExpression');
    const ph = placeholders(input);
    const expr = field(input, 'UpdateExpression');
    const update = typeof expr === 'string' ? parseUpdate(expr, ph) : undefined;
    const condition = this.condition(input, ph);
    ph.checkAllUsed(update !== undefined || condition !== undefined);
    const keyNames = Object.keys(keyItem);
    if (update) {
      for (const p of [...update.set.map((s) => s.path), ...update.remove, ...update.add.map((a) => a.path), ...update.delete.map((d) => d.path)]) {
        const top = (p[0] as { name: string }).name;
        if (keyNames.includes(top)) throw validation(`One or more parameter values were invalid: Cannot update attribute ${top}. This attribute is part of the key`);
      }
    }
    return this.store.transaction((): JsonObject => {
      const old = this.read(name, key);
      if (condition && !evaluateCondition(old ?? {}, condition)) throw conditionalCheckFailed();
      const base: Item = old ?? { ...keyItem };
      const next = update ? applyUpdate(base, update) : base;
      if (itemSize(next) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
      this.store.dynamodb.putItem(name, key, JSON.stringify(next));
      const touched = new Set(update ? [...update.set.map((s) => s.path), ...update.remove, ...update.add.map((a) => a.path), ...update.delete.map((d) => d.path)].map((p) => (p[0] as { name: string }).name) : []);
      const only = (i: Item | undefined): Item => Object.fromEntries(Object.entries(i ?? {}).filter(([k]) => touched.has(k)));
      let attributes: Item | undefined;
      if (returnValues === 'ALL_OLD') attributes = old;
      else if (returnValues === 'ALL_NEW') attributes = next;
      else if (returnValues === 'UPDATED_OLD') attributes = only(old);
      else if (returnValues === 'UPDATED_NEW') attributes = only(next);
      return attributes && Object.keys(attributes).length ? { Attributes: attributes } : {};
    });
  }

  deleteItem(input: JsonObject): JsonObject {
    const name = tableName(input);
    const table = this.table(name);
    const key = this.key(table, input);
    const returnValues = returns(input, ['NONE', 'ALL_OLD']);
    const ph = placeholders(input);
    const condition = this.condition(input, ph);
    ph.checkAllUsed(condition !== undefined);
    return this.store.transaction((): JsonObject => {
      const old = this.read(name, key);
      if (condition && !evaluateCondition(old ?? {}, condition)) throw conditionalCheckFailed();
      this.store.dynamodb.deleteItem(name, key);
      return returnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
    });
  }

  /** Scan with an optional FilterExpression, ProjectionExpression, Limit and ExclusiveStartKey. */
  scan(input: JsonObject): JsonObject {
    const name = tableName(input);
    const table = this.table(name);
    const limit = field(input, 'Limit');
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
      throw validation(`1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    }
    const ph = placeholders(input);
    const filterText = field(input, 'FilterExpression');
    const filter = typeof filterText === 'string' ? parseCondition(filterText, ph, 'FilterExpression') : undefined;
    const projection = field(input, 'ProjectionExpression');
    const paths = typeof projection === 'string' ? parseProjection(projection, ph) : undefined;
    ph.checkAllUsed(filter !== undefined || paths !== undefined);
    const startKey = field(input, 'ExclusiveStartKey');
    const after = startKey === undefined ? undefined : this.itemKey(table, checkItem(startKey, 'ExclusiveStartKey'));
    const rows = this.store.dynamodb.scan(name, after, typeof limit === 'number' ? limit : 1_000_000);
    const items: Item[] = [];
    for (const r of rows) {
      const item = JSON.parse(r.item) as Item;
      if (filter && !evaluateCondition(item, filter, 'FilterExpression')) continue;
      items.push(paths ? project(item, paths) : item);
    }
    const out: JsonObject = { Items: items, Count: items.length, ScannedCount: rows.length };
    if (typeof limit === 'number' && rows.length === limit) {
      const last = JSON.parse(rows[rows.length - 1]!.item) as Item;
      out['LastEvaluatedKey'] = Object.fromEntries(keySchema(table).map((k) => [k.AttributeName, last[k.AttributeName]!]));
    }
    return out;
  }

  // ---- internals -------------------------------------------------------------------------------

  private describe(name: string): TableDescription | undefined {
    const row = this.store.dynamodb.getTable(name);
    if (!row) return undefined;
    const d = JSON.parse(row.description) as TableDescription;
    return { ...d, ItemCount: this.store.dynamodb.itemCount(name) };
  }

  private table(name: string): TableDescription {
    const row = this.store.dynamodb.getTable(name);
    if (!row) throw resourceNotFound();
    return JSON.parse(row.description) as TableDescription;
  }

  private read(name: string, key: ItemKey): Item | undefined {
    const stored = this.store.dynamodb.getItem(name, key);
    return stored === undefined ? undefined : (JSON.parse(stored) as Item);
  }

  /** The request's Key: exactly the table's key attributes, of their defined types. */
  private keyItem(table: TableDescription, input: JsonObject): Item {
    const raw = required(input, 'Key');
    if (!isJsonObject(raw)) throw validation('The provided key element does not match the schema');
    const key: Item = {};
    for (const [k, v] of Object.entries(raw)) key[k] = checkValue(v);
    const schema = keySchema(table);
    if (Object.keys(key).length !== schema.length) throw validation('The provided key element does not match the schema');
    for (const k of schema) {
      const v = key[k.AttributeName];
      if (!v || typeOf(v) !== attributeType(table, k.AttributeName)) throw validation('The provided key element does not match the schema');
      if ((typeOf(v) === 'S' && v['S'] === '') || (typeOf(v) === 'B' && v['B'] === '')) {
        throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${typeOf(v) === 'S' ? 'string' : 'binary'} value. Key: ${k.AttributeName}`);
      }
    }
    return key;
  }

  private key(table: TableDescription, input: JsonObject): ItemKey {
    return this.itemKey(table, this.keyItem(table, input));
  }

  private itemKey(table: TableDescription, item: Item): ItemKey {
    const [hash, range] = keySchema(table);
    return { hash: keyText(item[hash!.AttributeName]!), range: range ? keyText(item[range.AttributeName]!) : '' };
  }

  /** PutItem's item must carry the key attributes, of their defined types. */
  private keyOfItem(table: TableDescription, item: Item): ItemKey {
    for (const k of keySchema(table)) {
      const v = item[k.AttributeName];
      if (!v) throw validation(`One or more parameter values were invalid: Missing the key ${k.AttributeName} in the item`);
      const expected = attributeType(table, k.AttributeName);
      if (typeOf(v) !== expected) throw validation(`One or more parameter values were invalid: Type mismatch for key ${k.AttributeName} expected: ${expected} actual: ${typeOf(v)}`);
      if ((typeOf(v) === 'S' && v['S'] === '') || (typeOf(v) === 'B' && v['B'] === '')) {
        throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${typeOf(v) === 'S' ? 'string' : 'binary'} value. Key: ${k.AttributeName}`);
      }
    }
    return this.itemKey(table, item);
  }

  private condition(input: JsonObject, ph: Placeholders): Condition | undefined {
    if (field(input, 'Expected') !== undefined) throw legacy('Expected', 'ConditionExpression');
    const text = field(input, 'ConditionExpression');
    if (text === undefined) return undefined;
    if (typeof text !== 'string') throw validation("1 validation error detected: Value at 'conditionExpression' failed to satisfy constraint: Member must be a string");
    return parseCondition(text, ph);
  }
}

function keySchema(table: TableDescription): KeyElement[] {
  return table.KeySchema as unknown as KeyElement[];
}

function attributeType(table: TableDescription, name: string): string {
  return String(table.AttributeDefinitions.find((d) => d['AttributeName'] === name)?.['AttributeType']);
}

function returns(input: JsonObject, allowed: string[]): string {
  const v = field(input, 'ReturnValues') ?? 'NONE';
  if (typeof v !== 'string' || !allowed.includes(v)) throw validation('Return values set to invalid value');
  return v;
}

function legacy(param: string, instead: string): DynamoDbError {
  return validation(`The local DynamoDB does not support the legacy parameter ${param}; use ${instead}`);
}

/** ExpressionAttributeNames/Values, checked as DynamoDB checks them. */
function placeholders(input: JsonObject): Placeholders {
  const rawNames = field(input, 'ExpressionAttributeNames');
  const rawValues = field(input, 'ExpressionAttributeValues');
  let names: Record<string, string> | undefined;
  let values: Record<string, AttributeValue> | undefined;
  if (rawNames !== undefined) {
    if (!isJsonObject(rawNames)) throw validation('ExpressionAttributeNames must be a map');
    if (Object.keys(rawNames).length === 0) throw validation('ExpressionAttributeNames must not be empty');
    names = {};
    for (const [k, v] of Object.entries(rawNames)) {
      if (!/^#[A-Za-z0-9_]+$/.test(k)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
      if (typeof v !== 'string' || v === '') throw validation(`ExpressionAttributeNames contains invalid value: Empty attribute name; for key: "${k}"`);
      names[k] = v;
    }
  }
  if (rawValues !== undefined) {
    if (!isJsonObject(rawValues)) throw validation('ExpressionAttributeValues must be a map');
    if (Object.keys(rawValues).length === 0) throw validation('ExpressionAttributeValues must not be empty');
    values = {};
    for (const [k, v] of Object.entries(rawValues)) {
      if (!/^:[A-Za-z0-9_]+$/.test(k)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
      try {
        values[k] = checkValue(v);
      } catch (e) {
        if (e instanceof DynamoDbError && e.code === 'ValidationException') throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`);
        throw e;
      }
    }
  }
  return new Placeholders(names, values);
}
