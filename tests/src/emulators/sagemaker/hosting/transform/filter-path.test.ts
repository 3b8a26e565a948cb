import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilterPath } from '../../../../../../src/emulators/sagemaker/hosting/transform/filter-path.js';
import { JNum, parseJson, stringifyJson, type JValue } from '../../../../../../src/emulators/sagemaker/hosting/transform/jackson-json.js';

const row = ['id', 'a', 'b', 'c', 'd', 'e', 'f'];
const csv = (path: string): JValue => compileFilterPath(path).apply(row);
const json = (path: string, doc: string): string => stringifyJson(compileFilterPath(path).apply(parseJson(doc)));

describe('DataProcessing JSONPath subset', () => {
  it('treats "$" as the whole record', () => {
    assert.equal(compileFilterPath('$').identity, true);
    assert.deepEqual(csv('$'), row);
  });

  it('selects CSV columns by index, index list, negative index and end-inclusive slices', () => {
    assert.equal(csv('$[0]'), 'id');
    assert.equal(csv('$[-1]'), 'f');
    assert.deepEqual(csv('$[0,-1]'), ['id', 'f']);
    assert.deepEqual(csv('$[1:]'), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(csv('$[:2]'), ['id', 'a', 'b']);
    assert.deepEqual(csv('$[1:4]'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(csv('$[0,5:]'), ['id', 'e', 'f']);
    assert.deepEqual(csv('$[*]'), row);
  });

  it('fails on an index outside the record', () => {
    assert.throws(() => csv('$[7]'), /index 7 is outside a record of 7 columns/);
    assert.throws(() => csv('$[-8]'), /outside/);
  });

  it('selects JSON members, keeping the order of the listed names', () => {
    const doc = '{"id": 7, "features": [1, 2.50], "SageMakerOutput": {"p": 0.1}}';
    assert.equal(json('$.features', doc), '[1,2.5]');
    assert.equal(json("$['SageMakerOutput','id']", doc), '{"SageMakerOutput":{"p":0.1},"id":7}');
    assert.equal(json('$.features[1]', doc), '2.5');
    assert.equal(json('$.*', doc), '[7,[1,2.5],{"p":0.1}]');
  });

  it('rejects what SageMaker does not support', () => {
    for (const bad of ['features', '$..a', '$[?(@.a)]', '$.a[', '$[a]']) assert.throws(() => compileFilterPath(bad), /Invalid JSONPath/);
  });
});

describe('Jackson-style JSON records', () => {
  it('keeps member order, integers, and prints doubles as Java does', () => {
    assert.equal(stringifyJson(parseJson('{"b": 1, "1": 2.0, "a": [1e3, -0.5, 1E-5, 12345678.9, 100]}')), '{"b":1,"1":2.0,"a":[1000.0,-0.5,1.0E-5,1.23456789E7,100]}');
    assert.ok(parseJson('3') instanceof JNum);
    assert.throws(() => parseJson('{"a": 1,}'), /position/);
    assert.throws(() => parseJson('[1] x'), /unexpected text/);
  });
});
