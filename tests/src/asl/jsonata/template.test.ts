import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../../../../src/core/json.js';
import {
  compileJsonataValue,
  jsonataExpressions,
  JsonataSyntaxError,
  referencedVariables,
  resultTypeError,
} from '../../../../src/asl/jsonata/index.js';
import { bindings, evaluate, failure, variables } from '../../../support/jsonata.js';

test('$states exposes input, context, result and errorOutput', async () => {
  const b = bindings({ n: 1 }, { result: { r: 2 }, errorOutput: { Error: 'E', Cause: 'c' } });
  const c = compileJsonataValue(
    { i: '{% $states.input.n %}', x: '{% $states.context.Execution.Id %}', r: '{% $states.result.r %}', e: '{% $states.errorOutput.Error %}' },
    'Output',
  );
  assert.deepEqual(await c.evaluate(b), { i: 1, x: 'arn:exec', r: 2, e: 'E' });
});

test('$states.result outside a task, or errorOutput outside Catch, returns nothing', async () => {
  const e = await failure('{% $states.result %}');
  assert.equal(e.cause, "The JSONata expression '$states.result' specified for the field 'Output' returned nothing (undefined).");
  assert.match((await failure('{% $states.errorOutput.Error %}')).cause!, /returned nothing/);
});

test('workflow variables are read as $name, and only the referenced ones are looked up', async () => {
  const vars = variables({ a: 2, b: { c: [1, 2] }, unused: 'x' });
  const c = compileJsonataValue('{% $a * $sum($b.c) %}', 'Output');
  assert.equal(await c.evaluate(bindings({}, { variables: vars })), 6);
  assert.deepEqual([...vars.looked].sort(), ['a', 'b']);
  assert.deepEqual([...referencedVariables(c)].sort(), ['a', 'b']);
});

test('an unassigned variable gives AWS\'s "returned nothing" error naming the field (recorded)', async () => {
  const e = await failure('{% $doesNotExist %}', {}, {}, 'Assign/result');
  assert.equal(e.error, 'States.QueryEvaluationError');
  assert.equal(e.cause, "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).");
  assert.equal(e.inStateContext, true);
  assert.equal(e.location, 'Assign/result');
});

test('a function result is an unsupported result type (recorded message)', async () => {
  const e = await failure('{% $fn := function($x){$x} %}', {}, {}, 'Items');
  assert.equal(e.cause, "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.");
});

test('a runtime error names the nested field and appends jsonata\'s code and message (recorded format)', async () => {
  const e = await failure({ FunctionResult: '{% $randomSeeded($states.input.fst) %}' }, { fst: 1 });
  assert.equal(
    e.cause,
    "The JSONata expression '$randomSeeded($states.input.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
  );
  assert.equal(e.location, 'Output/FunctionResult');
  const t = await failure('{% $states.input.s + 1 %}', { s: 'x' });
  assert.match(t.cause!, /threw an error during evaluation\. T2001: The left side of the "\+" operator must evaluate to a number$/);
});

test('nested fields are named with /key for objects and [index] for arrays', async () => {
  const e = await failure({ a: { b: [1, '{% $nothing %}'] } }, {}, {}, 'Arguments');
  assert.equal(e.location, 'Arguments/a/b[1]');
  assert.match(e.cause!, /for the field 'Arguments\/a\/b\[1\]' returned nothing/);
});

test('expressions nested at any depth are evaluated, other values are literals', async () => {
  const value: Json = [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', '{% $states.input %}', { key: '{% true %}' }];
  const input = { input_value: 'stringliteral' };
  assert.deepEqual(await evaluate(value, input), [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', input, { key: true }]);
  assert.equal(await evaluate(null), null);
  assert.equal(await evaluate(' {% 1 %}'), ' {% 1 %}');
});

test('a JSON null result is a value, kept at its key', async () => {
  assert.deepEqual(await evaluate({ v: '{% $states.input.bar %}' }, { bar: null }), { v: null });
  assert.deepEqual(await evaluate(['{% null %}']), [null]);
});

test('object keys keep their order, and a "__proto__" key stays data', async () => {
  const out = (await evaluate(JSON.parse('{"z": "{% 1 %}", "__proto__": {"polluted": "{% true %}"}, "a": 2}') as Json)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['z', '__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(out['__proto__'], { polluted: true });
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('a value without expressions is constant: a copy of the literal, shared by every evaluation', async () => {
  const literal = { a: [1, { b: 2 }] };
  const c = compileJsonataValue(literal, 'Output');
  assert.equal(c.isConstant, true);
  assert.equal(c.source, undefined);
  const one = await c.evaluate(bindings());
  assert.deepEqual(one, literal);
  assert.notEqual(one, literal);
  assert.equal(await c.evaluate(bindings()), one);
  literal.a.push(3);
  assert.deepEqual(await c.evaluate(bindings()), { a: [1, { b: 2 }] });
});

test('a literal array that reached a variable can go through jsonata operators that flag arrays', async () => {
  const list = await compileJsonataValue([7], 'Assign/list').evaluate(bindings());
  const vars = variables({ list });
  assert.deepEqual(await evaluate('{% $list[] %}', {}, { variables: vars }), [7]);
  assert.deepEqual(await evaluate('{% $states.input.items[] %}', { items: [7] }), [7]);
});

test('literal siblings of an expression are shared, only the path to the expression is rebuilt', async () => {
  const c = compileJsonataValue({ big: { deep: [1, 2, 3] }, v: '{% $states.input %}' }, 'Output');
  assert.equal(c.isConstant, false);
  const one = (await c.evaluate(bindings(1))) as { big: Json; v: Json };
  const two = (await c.evaluate(bindings(2))) as { big: Json; v: Json };
  assert.notEqual(one, two);
  assert.equal(one.big, two.big);
  assert.deepEqual([one.v, two.v], [1, 2]);
});

test('source is the expression text when the whole value is one expression', () => {
  assert.equal(compileJsonataValue('{%  $states.input.items  %}', 'Items').source, '$states.input.items');
  assert.equal(compileJsonataValue(['{% 1 %}'], 'Items').source, undefined);
  assert.equal(compileJsonataValue('{% 1 %}', 'Items').field, 'Items');
});

test('resultTypeError reproduces AWS\'s recorded "unexpected result type" message', () => {
  const c = compileJsonataValue("{% 'string' %}", 'Items');
  const e = resultTypeError(c, 'array', 'string');
  assert.equal(e.error, 'States.QueryEvaluationError');
  assert.equal(
    e.cause,
    "The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\"",
  );
  assert.equal(e.location, 'Items');
  assert.match(resultTypeError(compileJsonataValue('{% $ItemsVar %}', 'Items'), 'array', null).cause!, /but was 'null' for value: null$/);
});

test('an expression that does not parse fails compilation with the field and the parser message', () => {
  assert.throws(
    () => compileJsonataValue({ v: '{% a[1,2) %}' }, 'Output'),
    (e: unknown) => {
      assert.ok(e instanceof JsonataSyntaxError);
      assert.equal(e.field, 'Output/v');
      assert.equal(e.expression, 'a[1,2)');
      assert.equal(e.detail, 'Expected "]", got ","');
      assert.equal(e.code, 'S0202');
      assert.match(e.message, /'Output\/v'.*Expected "\]", got ","/);
      return true;
    },
  );
  assert.throws(() => compileJsonataValue('{%   %}', 'Output'), JsonataSyntaxError);
  const deep = '{% ' + '('.repeat(50_000) + '1' + ')'.repeat(50_000) + ' %}';
  assert.throws(() => compileJsonataValue(deep, 'Output'), JsonataSyntaxError);
});

test('jsonataExpressions lists each expression with its field, variables and top-level reads', () => {
  const c = compileJsonataValue({ a: '{% phone %}', b: ['{% $x + $states.input.y %}'] }, 'Output');
  const info = jsonataExpressions(c).map((e) => ({ ...e, variables: [...e.variables] }));
  assert.deepEqual(info, [
    { field: 'Output/a', source: 'phone', variables: [], topLevelReferences: ['phone'] },
    { field: 'Output/b[0]', source: '$x + $states.input.y', variables: ['x'], topLevelReferences: [] },
  ]);
});

test('the direct path agrees with jsonata when a step crosses an array or a missing key', async () => {
  const input = { a: [{ b: 1 }, { b: 2 }], o: { p: [1] }, s: 'str' };
  assert.deepEqual(await evaluate('{% $states.input.a.b %}', input), [1, 2]);
  assert.deepEqual(await evaluate('{% $states.input.o.p %}', input), [1]);
  assert.deepEqual(await evaluate('{% $states.input.a %}', input), input.a);
  assert.match((await failure('{% $states.input.s.length %}', input)).cause!, /returned nothing/);
  assert.match((await failure('{% $states.input.missing.x %}', input)).cause!, /returned nothing/);
  assert.match((await failure('{% $states.input.constructor %}', input)).cause!, /returned nothing/);
  const vars = variables({ v: [{ k: 'x' }, { k: 'y' }] });
  assert.deepEqual(await evaluate('{% $v.k %}', {}, { variables: vars }), ['x', 'y']);
});

test('the same expression text in two fields reports each field in its own errors', async () => {
  assert.equal((await failure('{% $states.input.nope %}', {}, {}, 'Arguments')).location, 'Arguments');
  assert.equal((await failure('{% $states.input.nope %}', {}, {}, 'Output')).location, 'Output');
  assert.equal((await failure('{% $states.input.nope + 1 %}', {}, {}, 'Assign/a')).location, 'Assign/a');
  assert.equal((await failure('{% $states.input.nope + 1 %}', {}, {}, 'Assign/b')).location, 'Assign/b');
});

test('a path-looking expression that jsonata refuses is still a syntax error', () => {
  assert.throws(() => compileJsonataValue('{% $states.input.true %}', 'Output'), JsonataSyntaxError);
});

test('results read straight from the input are the input values (no copy)', async () => {
  const input = { items: [1, 2, 3] };
  assert.equal(await evaluate('{% $states.input.items %}', input), input.items);
  assert.equal(await evaluate('{% $states.input %}', input), input);
});
