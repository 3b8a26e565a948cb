import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsonata from 'jsonata';
import { AWS_FUNCTIONS } from '../../../../src/asl/jsonata/aws-functions.js';
import { analyseExpression, BUILTIN_FUNCTIONS } from '../../../../src/asl/jsonata/ast-scan.js';

const analyse = (expr: string) => analyseExpression(jsonata(expr).ast());
const sorted = (s: Iterable<string>) => [...s].sort();

test('workflow variables are the $names read, minus $states and built-in functions', () => {
  const a = analyse('$sum($states.input.values) + $bonus + $string($count($items))');
  assert.deepEqual(sorted(a.variables), ['bonus', 'items']);
  assert.deepEqual(sorted(a.bindNames), ['bonus', 'items']);
  assert.ok(a.mentioned.has('sum') && a.mentioned.has('string') && a.mentioned.has('states'));
});

test('names bound inside the expression are not workflow variables', () => {
  const a = analyse('($total := $sum($states.input.v); $map($list, function($x, $i){ $x * $total + $i }))');
  assert.deepEqual(sorted(a.variables), ['list']);
});

test('a recursive lambda refers to itself, not to a workflow variable', () => {
  const a = analyse('($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f($depth))');
  assert.deepEqual(sorted(a.variables), ['depth']);
});

test('a block binding does not hide the same name outside the block', () => {
  const a = analyse('($x := 1; $x) + $x');
  assert.deepEqual(sorted(a.variables), ['x']);
});

test('focus and index bindings in a path are local', () => {
  const a = analyse('$states.input.items@$it#$pos.{"v": $it.v, "i": $pos, "o": $other}');
  assert.deepEqual(sorted(a.variables), ['other']);
});

test('a called name is a function, never a workflow variable', () => {
  const a = analyse('$randomSeeded(1) + $v');
  assert.deepEqual(sorted(a.variables), ['v']);
  assert.ok(a.mentioned.has('randomSeeded'));
});

test('the names read before a local binding shadows them are still bound from the workflow', () => {
  assert.deepEqual(analyse('($x := $x + 1; $x)').bindNames, ['x']);
});

test('top-level context reads are reported; anchored reads, predicates and lambda parameters are not', () => {
  assert.deepEqual(analyse('phone').topLevelReferences, ['phone']);
  assert.deepEqual(analyse('$states.input.phone').topLevelReferences, []);
  assert.deepEqual(analyse('$states.input.items[value > 3].name').topLevelReferences, []);
  assert.deepEqual(analyse('$$.Execution').topLevelReferences, ['$$']);
  assert.deepEqual(analyse('$').topLevelReferences, ['$']);
  assert.deepEqual(analyse('$map($states.input.a, function($x){ b })').topLevelReferences, ['b']);
  assert.deepEqual(analyse('a.b + c').topLevelReferences, ['a', 'c']);
  assert.deepEqual(analyse('$states.input ~> | items | {"done": true} |').topLevelReferences, []);
  assert.deepEqual(analyse('$states.input^(name)').topLevelReferences, []);
});

test('plain $var.field paths are recognised for the direct path; anything richer is not', () => {
  assert.deepEqual(analyse('$states.input.a.b').fastPath, { head: 'states', steps: ['input', 'a', 'b'] });
  assert.deepEqual(analyse('$myVar').fastPath, { head: 'myVar', steps: [] });
  assert.deepEqual(analyse('$v.`a b`').fastPath, { head: 'v', steps: ['a b'] });
  for (const e of ['$states.input.a[0]', '$states.input.a[]', '$states.input.*', '$sum', '$states.input.a.$x', '$', 'a.b', '$v.a{"k": 1}', '1']) {
    assert.equal(analyse(e).fastPath, undefined, e);
  }
});

test('every listed built-in is a function in jsonata or one Step Functions adds', async () => {
  for (const name of BUILTIN_FUNCTIONS) {
    if (AWS_FUNCTIONS.has(name)) continue;
    const v: unknown = await jsonata(`$${name}`).evaluate(undefined);
    assert.equal(typeof v, 'object', name);
    assert.ok(v !== null && (v as { _jsonata_function?: boolean })._jsonata_function === true, name);
  }
});
