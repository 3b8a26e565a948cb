import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../../src/core/json.js';
import { compilePath } from '../../../../src/asl/jsonpath/index.js';

const select = (path: string, doc: Json): Json | undefined => compilePath(path).select(doc);

const BOOKS: Json = {
  limit: 10,
  book: [
    { title: 'A', price: 8.95, tags: ['x', 'y'] },
    { title: 'B', price: 12.99, isbn: '0-1', tags: [] },
    { title: 'C', price: 8.99, isbn: null, tags: ['y'] },
    { title: 'D', price: '9', available: true },
  ],
};
const titles = (path: string): Json[] => (select(path, BOOKS) as { title: string }[]).map((b) => b.title);

test('numeric comparisons keep the elements that satisfy them', () => {
  assert.deepEqual(titles('$.book[?(@.price < 10)]'), ['A', 'C']);
  assert.deepEqual(titles('$.book[?(@.price <= 8.99)]'), ['A', 'C']);
  assert.deepEqual(titles('$.book[?(@.price > 10)]'), ['B']);
  assert.deepEqual(titles('$.book[?(@.price >= 12.99)]'), ['B']);
  assert.deepEqual(titles('$.book[?(@.price == 8.95)]'), ['A']);
  assert.deepEqual(titles('$.book[?(@.price<10)]'), ['A', 'C']);
});

test('ordering needs two numbers or two strings; mixed types never compare', () => {
  assert.deepEqual(titles("$.book[?(@.title > 'B')]"), ['C', 'D']);
  // D's price is the string '9': not < 10 as a number.
  assert.deepEqual(titles('$.book[?(@.price < 100)]'), ['A', 'B', 'C']);
});

test('equality between a number and a string goes through the text, as in Jayway', () => {
  assert.deepEqual(titles("$.book[?(@.price == '9')]"), ['D']);
  assert.deepEqual(titles('$.book[?(@.price == 9)]'), ['D']);
  assert.deepEqual(titles("$.book[?(@.price == '8.95')]"), ['A']);
  assert.deepEqual(titles('$.book[?(@.price === 9)]'), []);
});

test('strings may be single or double quoted, with escapes', () => {
  assert.deepEqual(titles("$.book[?(@.title == 'B')]"), ['B']);
  assert.deepEqual(titles('$.book[?(@.title == "B")]'), ['B']);
  assert.deepEqual(select(`$.a[?(@.s == 'it\\'s')]`, { a: [{ s: "it's" }, { s: 'x' }] }), [{ s: "it's" }]);
});

test('true, false and null literals compare by type', () => {
  assert.deepEqual(titles('$.book[?(@.available == true)]'), ['D']);
  assert.deepEqual(titles('$.book[?(@.isbn == null)]'), ['C']);
  assert.deepEqual(titles("$.book[?(@.available == 'true')]"), []);
});

test('a bare path tests existence; a present null exists', () => {
  assert.deepEqual(titles('$.book[?(@.isbn)]'), ['B', 'C']);
  assert.deepEqual(titles('$.book[?(!@.isbn)]'), ['A', 'D']);
});

test('a path that finds nothing equals nothing, so != holds for it', () => {
  assert.deepEqual(titles("$.book[?(@.isbn == '0-1')]"), ['B']);
  assert.deepEqual(titles("$.book[?(@.isbn != '0-1')]"), ['A', 'C', 'D']);
});

test('&& binds tighter than ||, ! negates, parentheses group', () => {
  assert.deepEqual(titles('$.book[?(@.price < 9 && @.isbn || @.title == "B")]'), ['B', 'C']);
  assert.deepEqual(titles('$.book[?(@.price < 9 && (@.isbn || @.title == "B"))]'), ['C']);
  assert.deepEqual(titles('$.book[?(!(@.price < 9))]'), ['B', 'D']);
});

test('$ inside a filter refers to the document root', () => {
  assert.deepEqual(titles('$.book[?(@.price < $.limit)]'), ['A', 'C']);
  assert.deepEqual(titles('$.book[?(@.price > $.nolimit)]'), []);
});

test('@.a.b and @[n] reach into the candidate', () => {
  const doc = { a: [{ p: { q: 1 } }, { p: { q: 2 } }, { p: [5, 6] }] };
  assert.deepEqual(select('$.a[?(@.p.q == 2)]', doc), [{ p: { q: 2 } }]);
  assert.deepEqual(select('$.a[?(@.p[1] == 6)]', doc), [{ p: [5, 6] }]);
  assert.deepEqual(select('$.n[?(@ > 2)]', { n: [1, 3, 5] }), [3, 5]);
});

test('a filter on an object tests the object itself; on a scalar it selects nothing', () => {
  assert.deepEqual(select('$.o[?(@.color == "red")]', { o: { color: 'red' } }), [{ color: 'red' }]);
  assert.deepEqual(select('$.o[?(@.color == "blue")]', { o: { color: 'red' } }), []);
  assert.deepEqual(select('$.o[?(@.color)]', { o: 5 }), []);
});

test('a filter followed by more segments continues from each kept element', () => {
  assert.deepEqual(select('$.book[?(@.price < 10)].title', BOOKS), ['A', 'C']);
  assert.deepEqual(select('$..[?(@.price > 12)].title', BOOKS), ['B']);
});

test('regex matches must cover the whole text; flag i folds ASCII case', () => {
  const doc = { a: [{ n: 'Herman' }, { n: 'herbert' }, { n: 'Sherman' }] };
  assert.deepEqual(select('$.a[?(@.n =~ /her.*/)]', doc), [{ n: 'herbert' }]);
  assert.deepEqual(select('$.a[?(@.n =~ /her.*/i)]', doc), [{ n: 'Herman' }, { n: 'herbert' }]);
  assert.deepEqual(select('$.a[?(@.n =~ /.*man/)]', doc), [{ n: 'Herman' }, { n: 'Sherman' }]);
  assert.deepEqual(select('$.a[?(@.v =~ /1\\d/)]', { a: [{ v: 12 }, { v: 2 }] }), [{ v: 12 }]);
});

test('in, nin, contains, subsetof, anyof, noneof, size and empty', () => {
  assert.deepEqual(titles("$.book[?(@.title in ['A', 'C'])]"), ['A', 'C']);
  assert.deepEqual(titles("$.book[?(@.title nin ['A', 'C'])]"), ['B', 'D']);
  assert.deepEqual(titles("$.book[?(@.tags contains 'y')]"), ['A', 'C']);
  assert.deepEqual(titles("$.book[?(@.title contains 'A')]"), ['A']);
  assert.deepEqual(titles("$.book[?(@.tags subsetof ['x', 'y', 'z'])]"), ['A', 'B', 'C']);
  assert.deepEqual(titles("$.book[?(@.tags anyof ['x'])]"), ['A']);
  assert.deepEqual(titles("$.book[?(@.tags noneof ['x'])]"), ['B', 'C']);
  assert.deepEqual(titles('$.book[?(@.tags size 2)]'), ['A']);
  assert.deepEqual(titles('$.book[?(@.tags empty true)]'), ['B']);
  assert.deepEqual(titles('$.book[?(@.tags empty false)]'), ['A', 'C']);
});

test('objects and arrays compare structurally', () => {
  const doc: Json = { a: [{ p: { x: 1, y: [2] } }, { p: { y: [2], x: 1 } }, { p: { x: 2 } }] };
  assert.equal((select("$.a[?(@.p == {'y': [2], 'x': 1})]", doc) as Json[]).length, 2);
  assert.deepEqual(select('$.a[?(@.p.y == [2])]', doc), [{ p: { x: 1, y: [2] } }, { p: { y: [2], x: 1 } }]);
});

test('a filter applies to every element even when some are not objects', () => {
  assert.deepEqual(select('$.a[?(@.x == 1)]', { a: [null, 1, 'x', [1], { x: 1 }] }), [{ x: 1 }]);
});
