import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../../src/core/json.js';
import { compilePath } from '../../../../src/asl/jsonpath/index.js';

const miss = (path: string, doc: Json): string => {
  const p = compilePath(path);
  assert.equal(p.select(doc), undefined, `${path} should select nothing`);
  return p.describeMiss(doc);
};

test('a missing last name reports "No results for path" with the whole path', () => {
  // Recorded: OutputPath '$.NoSuchOutputPath' → "No results for path: $['NoSuchOutputPath']".
  assert.equal(miss('$.NoSuchOutputPath', { 'int-literal': 0 }), "No results for path: $['NoSuchOutputPath']");
  assert.equal(miss('$.a.b', { a: {} }), "No results for path: $['a']['b']");
});

test('a missing name before the last reports "Missing property" up to that name', () => {
  // Recorded: OutputPath '$.no.such.result.path' on {} → "Missing property in path $['no']".
  assert.equal(miss('$.no.such.result.path', {}), "Missing property in path $['no']");
  assert.equal(miss('$.a.missing.x', { a: { b: 1 } }), "Missing property in path $['a']['missing']");
  assert.equal(miss("$['a'][0]", {}), "Missing property in path $['a']");
});

test('an index out of range reports no results for the whole path', () => {
  assert.equal(miss('$.a[5]', { a: [1] }), "No results for path: $['a'][5]");
  assert.equal(miss('$.a[-2].b', { a: [1] }), "No results for path: $['a'][-2]['b']");
});

test('a name on a non-object reports what was found, as a Java class', () => {
  assert.equal(
    miss('$.a.b', { a: 5 }),
    "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'. " +
      "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.",
  );
  assert.match(miss('$.a.b', { a: null }), /but found 'null'\./);
  assert.match(miss('$.a.b', { a: [1] }), /but found 'java\.util\.ArrayList'\./);
  assert.match(miss('$.x', 'str'), /property \['x'\] in path \$ but found 'java\.lang\.String'/);
  assert.match(miss('$.a.b', { a: 1.5 }), /'java\.lang\.Double'/);
});

test('an index on a non-array names the rest of the path and the value', () => {
  assert.equal(miss('$.a[0].b', { a: { k: 'v', n: [1, 2] } }), "Filter: [0]['b'] can only be applied to arrays. Current context is: {k=v, n=[1, 2]}");
  assert.equal(miss('$.a[0]', { a: null }), "The path $['a'] is null");
});

test('a name list that is not last is an error', () => {
  // Observed on AWS: "Invalid path '$['a', 'b'].v' : Multi properties can only be used as path leafs: $['a', 'b']".
  assert.equal(miss("$['a', 'b'].v", { a: { v: 1 }, b: { v: 2 } }), "Multi properties can only be used as path leafs: $['a', 'b']");
});

test('paths on the context object and variables are described from $', () => {
  assert.equal(miss('$$.Execution.Input.no_such_jsonpath', { Execution: { Input: {} } }), "No results for path: $['Execution']['Input']['no_such_jsonpath']");
  assert.equal(miss('$v.a.b', {}), "Missing property in path $['a']");
});

test('an aggregate over no numbers reports the empty array', () => {
  assert.equal(miss('$.a.max()', { a: [] }), 'Aggregation function attempted to calculate value using empty array');
});
