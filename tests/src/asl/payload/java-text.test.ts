import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaJson as printJson, javaNumber, javaText as printText } from '../../../../src/core/java-text.js';
import { MAX_JSON_DEPTH, throwTooDeep } from '../../../../src/asl/payload/json-values.js';
import type { Json } from '../../../../src/core/json.js';

const javaText = (v: Json) => printText(v, MAX_JSON_DEPTH, throwTooDeep);
const javaJson = (v: Json) => printJson(v, MAX_JSON_DEPTH, throwTooDeep);

test('integers print without a fraction, as a Java long', () => {
  assert.equal(javaNumber(1), '1');
  assert.equal(javaNumber(-0), '0');
  assert.equal(javaNumber(-42), '-42');
  assert.equal(javaNumber(2 ** 60), '1152921504606846976');
});

test('non-integers print as Java Double.toString does', () => {
  assert.equal(javaNumber(1.1), '1.1');
  assert.equal(javaNumber(0.001), '0.001');
  assert.equal(javaNumber(0.0001), '1.0E-4');
  assert.equal(javaNumber(1.5e-7), '1.5E-7');
  assert.equal(javaNumber(12345678.5), '1.23456785E7');
  assert.equal(javaNumber(1e300), '1.0E300');
});

test('Format text: strings bare, containers like Java Map and List toString', () => {
  assert.equal(javaText('a b'), 'a b');
  assert.equal(javaText(null), 'null');
  assert.equal(javaText({ Arg1: 1, Arg2: [] }), '{Arg1=1, Arg2=[]}');
  assert.equal(javaText([1, 'x', { a: null, b: [true, 2.5] }]), '[1, x, {a=null, b=[true, 2.5]}]');
});

test('JsonToString text is compact JSON with upper-case unicode escapes', () => {
  assert.equal(javaJson([1, 2, 'HelloWorld']), '[1,2,"HelloWorld"]');
  assert.equal(javaJson({ a: { b: 'q"\\\n\u0001' } }), '{"a":{"b":"q\\"\\\\\\n\\u0001"}}');
  assert.equal(javaJson({ '\u001f': 1 }), '{"\\u001F":1}');
});
