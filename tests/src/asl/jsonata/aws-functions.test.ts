import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { evaluate, failure } from '../../../support/jsonata.js';

test('$partition splits into chunks, the last holding the remainder', async () => {
  assert.deepEqual(await evaluate('{% $partition([1,2,3,4,5], 2) %}'), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(await evaluate('{% $partition([0], 3) %}'), [[0]]);
  assert.deepEqual(await evaluate('{% $partition($states.input.a, $states.input.n) %}', { a: [0, 1, 2, 3], n: 1 }), [[0], [1], [2], [3]]);
});

test('$partition truncates a fractional chunk size and answers nothing for an empty array or size 0', async () => {
  assert.deepEqual(await evaluate('{% $partition([1,2,3,4,5], 2.9) %}'), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(await evaluate('{% $partition([1,2,3]) %}'), [[1, 2, 3]]);
  assert.match((await failure('{% $partition([], 2) %}')).cause!, /returned nothing \(undefined\)/);
  assert.match((await failure('{% $partition([1,2], 0) %}')).cause!, /returned nothing \(undefined\)/);
  assert.match((await failure('{% $partition([1,2], -2) %}')).cause!, /threw an error during evaluation\. D3137: /);
});

test('$range is inclusive and collapses a single value to the bare number (recorded on AWS)', async () => {
  assert.deepEqual(await evaluate('{% $range(0, 9, 3) %}'), [0, 3, 6, 9]);
  assert.deepEqual(await evaluate('{% $range(0, 10, 3) %}'), [0, 3, 6, 9]);
  assert.deepEqual(await evaluate('{% $range(1, 9, 2) %}'), [1, 3, 5, 7, 9]);
  assert.equal(await evaluate('{% $range(1, 9, 9) %}'), 1);
  assert.deepEqual(await evaluate('{% $range(10, 0, -5) %}'), [10, 5, 0]);
  assert.deepEqual(await evaluate('{% $range(-1.7, 2, 1) %}'), [-1, 0, 1, 2]);
});

test('$range with no step, a zero step or a step pointing away from the end answers nothing', async () => {
  for (const e of ['$range(1, 5)', '$range(1, 5, 0)', '$range(5, 1, 1)', '$range(1, 5, -1)']) {
    assert.match((await failure(`{% ${e} %}`)).cause!, /returned nothing \(undefined\)/, e);
  }
});

test('$range refuses to allocate past the sequence limit instead of exhausting memory', async () => {
  const e = await failure('{% $range(0, 1e15, 1) %}');
  assert.equal(e.error, 'States.QueryEvaluationError');
  assert.match(e.cause!, /threw an error during evaluation\. D3137: \$range would generate/);
});

test('$hash gives the hex digest for each supported algorithm, over UTF-8', async () => {
  for (const [alg, node] of [['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']]) {
    const expected = createHash(node!).update('Hello ñ', 'utf8').digest('hex');
    assert.equal(await evaluate(`{% $hash('Hello ñ', '${alg}') %}`), expected, alg);
  }
  assert.equal(await evaluate("{% $hash('Hello', 'MD5') %}"), '8b1a9953c4611296a827abf8c47804d7');
});

test('$hash algorithm names are case-sensitive; a missing algorithm answers nothing', async () => {
  assert.match((await failure("{% $hash('a', 'md5') %}")).cause!, /D3137: Unsupported hash algorithm 'md5'/);
  assert.match((await failure("{% $hash('a', 'SHA3-256') %}")).cause!, /D3137: Unsupported hash algorithm/);
  assert.match((await failure("{% $hash('a') %}")).cause!, /returned nothing/);
  assert.match((await failure("{% $hash(42, 'MD5') %}")).cause!, /T0410: Argument 1 of function "hash" does not match function signature/);
});

test('$random without a seed is in [0, 1); with a seed it is java.util.Random(seed).nextDouble()', async () => {
  const r = await evaluate('{% $random() %}');
  assert.ok(typeof r === 'number' && r >= 0 && r < 1);
  assert.equal(await evaluate('{% $random(42) %}'), 0.7275636800328681);
  assert.equal(await evaluate('{% $random(0) %}'), 0.730967787376657);
  assert.equal(await evaluate('{% $random(0.9) %}'), 0.730967787376657);
  assert.equal(await evaluate('{% $random(42) = $random(42) %}'), true);
});

test('$uuid returns a fresh version 4 UUID on each call', async () => {
  const u = await evaluate('{% $uuid() %}');
  assert.match(String(u), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await evaluate('{% $uuid() = $uuid() %}'), false);
});

test('$parse turns a JSON string into its value', async () => {
  assert.deepEqual(await evaluate('{% $parse($states.input.s) %}', { s: '{"Arg1": 1, "Arg2": []}' }), { Arg1: 1, Arg2: [] });
  assert.equal(await evaluate('{% $parse("\\"HelloWorld\\"") %}'), 'HelloWorld');
  assert.equal(await evaluate("{% $parse('1.1') %}"), 1.1);
  assert.equal(Object.is(await evaluate("{% $parse('-0') %}"), 0), true);
  assert.equal(await evaluate("{% $exists($parse('null')) %}"), true);
  assert.deepEqual(await evaluate('{% $map([\'{"a":1}\', \'{"a":2}\'], $parse).a %}'), [1, 2]);
});

test('$parse of invalid JSON fails the field', async () => {
  const e = await failure("{% $parse('not json') %}");
  assert.equal(e.error, 'States.QueryEvaluationError');
  assert.match(e.cause!, /threw an error during evaluation\. D3137: Invalid JSON string passed to \$parse/);
});

test('$eval is not available: calling it fails like calling a non-function', async () => {
  const e = await failure("{% $eval('1 + 1') %}");
  assert.equal(
    e.cause,
    "The JSONata expression '$eval('1 + 1')' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function",
  );
});

test('the other JSONata built-ins keep working', async () => {
  assert.equal(await evaluate('{% $sum([1,2,3]) & "-" & $uppercase("a") %}'), '6-A');
  assert.deepEqual(await evaluate('{% $merge([{"a": 1}, {"b": 2}]) %}'), { a: 1, b: 2 });
});
