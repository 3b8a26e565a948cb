import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsonata from 'jsonata';
import { toPlainJson, UnsupportedResultType } from '../../../../src/asl/jsonata/to-json.js';

test('plain data is returned as is, without copying', () => {
  const data = { a: [1, { b: 'x' }], c: null, d: true };
  assert.equal(toPlainJson(data), data);
  const arr = [1, [2], { e: 3 }];
  assert.equal(toPlainJson(arr), arr);
});

test('jsonata sequences become plain arrays with no extra properties', async () => {
  const raw: unknown = await jsonata('$.a.b').evaluate({ a: [{ b: 1 }, { b: 2 }] });
  assert.ok(Array.isArray(raw) && Object.prototype.hasOwnProperty.call(raw, 'sequence'));
  const plain = toPlainJson(raw);
  assert.deepStrictEqual(plain, [1, 2]);
  assert.deepEqual(Object.keys(plain as object), ['0', '1']);
});

test('objects built by jsonata get the ordinary prototype, including nested ones', async () => {
  const raw: unknown = await jsonata('{"a": {"b": [{"c": 1}]}}').evaluate(undefined);
  assert.notEqual(Object.getPrototypeOf(raw), Object.prototype);
  const plain = toPlainJson(raw) as { a: { b: { c: number }[] } };
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  assert.equal(Object.getPrototypeOf(plain.a), Object.prototype);
  assert.equal(Object.getPrototypeOf(plain.a.b[0]), Object.prototype);
  assert.deepStrictEqual(plain, { a: { b: [{ c: 1 }] } });
});

test('a "__proto__" key stays an own data property and does not become the prototype', () => {
  const raw = Object.create(null) as Record<string, unknown>;
  raw['__proto__'] = { polluted: true };
  const plain = toPlainJson(raw) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  assert.ok(Object.prototype.hasOwnProperty.call(plain, '__proto__'));
  assert.equal(JSON.stringify(plain), '{"__proto__":{"polluted":true}}');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('non-finite numbers are written as the strings AWS uses, and -0 as 0', () => {
  assert.deepStrictEqual(toPlainJson([Infinity, -Infinity, NaN, -0]), ['Infinity', '-Infinity', 'NaN', 0]);
  assert.deepStrictEqual(toPlainJson({ k: -0 }), { k: 0 });
});

test('undefined is dropped from objects and becomes null in arrays', () => {
  assert.deepStrictEqual(toPlainJson({ a: undefined, b: 1 }), { b: 1 });
  assert.deepStrictEqual(toPlainJson([undefined, 1]), [null, 1]);
});

test('a function anywhere in the result is an unsupported result type', async () => {
  const lambda: unknown = await jsonata('function($x){$x}').evaluate(undefined);
  assert.throws(() => toPlainJson(lambda), UnsupportedResultType);
  assert.throws(() => toPlainJson({ a: [lambda] }), UnsupportedResultType);
  const builtin: unknown = await jsonata('$sum').evaluate(undefined);
  assert.throws(() => toPlainJson(builtin), UnsupportedResultType);
  assert.throws(() => toPlainJson(() => 1), UnsupportedResultType);
});
