import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { NO_VARIABLES, type PathScope } from '../../../../src/asl/scope.js';
import { compilePath, selectInScope } from '../../../../src/asl/jsonpath/index.js';

const select = (path: string, doc: Json): Json | undefined => compilePath(path).select(doc);

const STORE: JsonObject = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord', isbn: '0-395', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};

test('a definite path returns the selected value itself', () => {
  assert.equal(select('$.store.bicycle.color', STORE), 'red');
  assert.deepEqual(select("$['store']['bicycle']", STORE), { color: 'red', price: 19.95 });
  assert.equal(select('$.store.book[0].author', STORE), 'Nigel Rees');
  assert.equal(select('$', 42), 42);
});

test('a present null is a value, a missing member is undefined', () => {
  assert.equal(select('$.a', { a: null }), null);
  assert.equal(select('$.b', { a: null }), undefined);
  assert.equal(select('$.a.b', { a: null }), undefined);
});

test('names may contain dashes, underscores, unicode and quote characters', () => {
  assert.equal(select('$.delivery-partner', { 'delivery-partner': 'UQS' }), 'UQS');
  assert.equal(select('$.naïve_ключ', { naïve_ключ: 1 }), 1);
  assert.equal(select('$["a b"]', { 'a b': 2 }), 2);
  assert.equal(select("$['a.b']", { 'a.b': 3, a: { b: 4 } }), 3);
});

test('bracket names are taken verbatim, backslashes included (as AWS does)', () => {
  // Recorded on AWS: $['Test\""Name"'] selects the key Test\""Name".
  assert.equal(select(`$['Test\\""Name"']`, { 'Test\\""Name"': 'v' }), 'v');
  assert.equal(select(`$["it's"]`, { "it's": 1 }), 1);
});

test('indexes: negative counts from the end, out of range selects nothing', () => {
  const doc = { a: [10, 20, 30] };
  assert.equal(select('$.a[0]', doc), 10);
  assert.equal(select('$.a[-1]', doc), 30);
  assert.equal(select('$.a[-3]', doc), 10);
  assert.equal(select('$.a[3]', doc), undefined);
  assert.equal(select('$.a[-4]', doc), undefined);
  assert.equal(select('$.a[0]', { a: { 0: 'x' } }), undefined);
});

test('an index list collects the existing elements in the order given', () => {
  assert.deepEqual(select('$.a[2,0,9]', { a: ['x', 'y', 'z'] }), ['z', 'x']);
});

test('a wildcard over an object returns its values, over an array its elements', () => {
  assert.deepEqual(select('$.o[*]', { o: { a: 1, b: [2] } }), [1, [2]]);
  assert.deepEqual(select('$.o.*', { o: { a: 1, b: [2] } }), [1, [2]]);
  assert.deepEqual(select('$.a[*]', { a: [1, 2] }), [1, 2]);
  assert.deepEqual(select('$.store.book[*].author', STORE), ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
  assert.deepEqual(select('$.a[*]', { a: 'str' }), []);
});

test('wildcards and slices on missing data return [] (recorded AWS behaviour)', () => {
  for (const p of ['$[*]', '$.items[*]', '$.items[1:]', '$.items[:1].itemValue', '$.item.items[1:5]', '$.item.items[1:5].itemValue', '$..x', '$.a[?(@.b)]']) {
    assert.deepEqual(select(p, {}), [], p);
  }
});

test('slices follow Jayway: [from:], [:to], [from:to], and a step part is ignored', () => {
  const a = { a: [0, 1, 2, 3, 4] };
  assert.deepEqual(select('$.a[1:]', a), [1, 2, 3, 4]);
  assert.deepEqual(select('$.a[-2:]', a), [3, 4]);
  assert.deepEqual(select('$.a[-9:]', a), [0, 1, 2, 3, 4]);
  assert.deepEqual(select('$.a[:2]', a), [0, 1]);
  assert.deepEqual(select('$.a[:-1]', a), [0, 1, 2, 3]);
  assert.deepEqual(select('$.a[1:3]', a), [1, 2]);
  assert.deepEqual(select('$.a[1:99]', a), [1, 2, 3, 4]);
  assert.deepEqual(select('$.a[3:1]', a), []);
  assert.deepEqual(select('$.a[1:5:2]', a), [1, 2, 3, 4]);
  // [from:to] does not normalise negative bounds: a negative end selects nothing...
  assert.deepEqual(select('$.a[1:-1]', a), []);
  // ...and a negative start walks through negative indexes, which count from the end.
  assert.deepEqual(select('$.a[-2:1]', a), [3, 4, 0]);
  assert.deepEqual(select('$.a[-2147483648:1]', a), [0, 1, 2, 3, 4, 0]);
  assert.deepEqual(select('$.a[1:]', { a: [] }), []);
});

test('slices on non-arrays select nothing', () => {
  assert.deepEqual(select('$.a[1:]', { a: { 1: 'x' } }), []);
  assert.deepEqual(select('$.a[:1]', { a: 'string' }), []);
  assert.deepEqual(select('$[0:1]', 5), []);
});

test('a name list at the end merges the present members into one object', () => {
  const doc = { a: { v: 1 }, b: { v: 2 }, c: { v: 3 } };
  assert.deepEqual(select("$['a', 'b']", doc), { a: { v: 1 }, b: { v: 2 } });
  assert.deepEqual(select("$['a', 'zz']", doc), { a: { v: 1 } });
  assert.deepEqual(select("$['y', 'zz']", doc), {});
  // Not at the end it is an error on AWS ("Multi properties can only be used as path leafs").
  assert.equal(select("$['a', 'b'].v", doc), undefined);
  assert.deepEqual(select("$[*]['v','w']", doc), [{ v: 1 }, { v: 2 }, { v: 3 }]);
});

test('deep scan collects matches in document pre-order', () => {
  assert.deepEqual(select('$..author', STORE), ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
  assert.deepEqual(select('$..price', STORE), [8.95, 12.99, 8.99, 22.99, 19.95]);
  assert.deepEqual(select('$.store..price', STORE), [8.95, 12.99, 8.99, 22.99, 19.95]);
  assert.deepEqual(select('$..book[2].title', STORE), ['Moby Dick']);
  assert.deepEqual(select('$..[0]', { a: [[1, 2], [3]] }), [[1, 2], 1, 3]);
  assert.deepEqual(select('$..*', { a: { b: 1 }, c: [2] }), [{ b: 1 }, [2], 1, 2]);
  assert.deepEqual(select("$..['x','y']", { x: 1, y: 2, n: { x: 3 } }), [{ x: 1, y: 2 }]);
});

test('deep scan handles documents deeper than the call stack', () => {
  let doc: Json = { leaf: 'bottom' };
  for (let i = 0; i < 20000; i++) doc = { n: doc };
  assert.deepEqual(select('$..leaf', doc), ['bottom']);
});

test('length() and the aggregate functions apply to the selected node', () => {
  assert.equal(select('$.a.length()', { a: [1, 2, 3] }), 3);
  assert.equal(select('$.o.length()', { o: { x: 1, y: 2 } }), 2);
  assert.equal(select('$.s.length()', { s: 'abc' }), null);
  assert.equal(select('$.a.min()', { a: [3, 1, 2] }), 1);
  assert.equal(select('$.a.max()', { a: [3, 1, 'x', 2] }), 3);
  assert.equal(select('$.a.sum()', { a: [1, 2, 3] }), 6);
  assert.equal(select('$.a.avg()', { a: [1, 2, 3] }), 2);
  assert.equal(select('$.a.stddev()', { a: [2, 4, 4, 4, 5, 5, 7, 9] }), 2);
  assert.equal(select('$.a.sum()', { a: [] }), undefined);
  assert.deepEqual(select('$.a[*].length()', { a: [[1], [1, 2]] }), [1, 2]);
});

test('indefinite results are fresh arrays of the matched values', () => {
  const doc = { a: [{ x: 1 }] };
  const r1 = select('$.a[*]', doc) as Json[];
  const r2 = select('$.a[*]', doc) as Json[];
  assert.notEqual(r1, r2);
  assert.equal(r1[0], doc.a[0]);
});

test('selectInScope picks the input, the context object or a variable by the root', () => {
  const scope: PathScope = {
    input: { a: 1 },
    context: { Execution: { Id: 'arn:x' }, Map: { Item: { Value: { v: [5, 6] } } } },
    variables: { lookup: (n) => (n === 'myVar' ? { list: ['p', 'q'] } : undefined) },
  };
  assert.equal(selectInScope(compilePath('$.a'), scope), 1);
  assert.equal(selectInScope(compilePath('$$.Execution.Id'), scope), 'arn:x');
  assert.equal(selectInScope(compilePath('$$.Map.Item.Value.v[1]'), scope), 6);
  assert.deepEqual(selectInScope(compilePath('$myVar'), scope), { list: ['p', 'q'] });
  assert.equal(selectInScope(compilePath('$myVar.list[1]'), scope), 'q');
  assert.deepEqual(selectInScope(compilePath('$myVar.list[*]'), scope), ['p', 'q']);
  assert.equal(selectInScope(compilePath('$nope.x'), scope), undefined);
  assert.deepEqual(selectInScope(compilePath('$nope[*]'), scope), []);
  assert.equal(selectInScope(compilePath('$.a'), { ...scope, variables: NO_VARIABLES }), 1);
});

test('names after a bracket or wildcard need no dot, as in Jayway', () => {
  assert.equal(select("$['a']b", { a: { b: 7 } }), 7);
  assert.equal(select('$.[0]', [9]), 9);
});
