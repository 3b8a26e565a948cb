import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import type { PathScope } from '../../../../src/asl/scope.js';
import { compileDynamicValue, compilePayloadTemplate, TemplateSyntaxError } from '../../../../src/asl/payload/index.js';

function scope(input: Json, context: JsonObject = {}, vars: Record<string, Json> = {}): PathScope {
  return { input, context, variables: { lookup: (n) => (Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : undefined) } };
}

const CONTEXT: JsonObject = { Execution: { Id: 'arn:exec', Input: { FunctionInput: 'a,b' } }, Map: { Item: { Index: 2, Value: 'Pikachu' } } };

test('keys ending in .$ are computed and lose the suffix; other keys are copied as written', () => {
  const t = compilePayloadTemplate(
    {
      'name.$': '$.user.name',
      literal: '$.not.a.path',
      number: 1.5,
      'ctx.$': '$$.Execution.Id',
      'var.$': '$greeting',
      'call.$': "States.Format('{} {}', $greeting, $.user.name)",
    },
    'Parameters',
  );
  assert.deepEqual(t.evaluate(scope({ user: { name: 'Ann' } }, CONTEXT, { greeting: 'Hi' })), {
    name: 'Ann',
    literal: '$.not.a.path',
    number: 1.5,
    ctx: 'arn:exec',
    var: 'Hi',
    call: 'Hi Ann',
  });
});

test('nested objects and objects inside arrays are templates too; strings in arrays stay literal', () => {
  const t = compilePayloadTemplate({ outer: { 'inner.$': '$.a' }, list: [{ 'x.$': '$.b' }, '$.a', 3, [{ 'y.$': '$.a' }]] }, 'Parameters');
  assert.deepEqual(t.evaluate(scope({ a: 1, b: 2 })), { outer: { inner: 1 }, list: [{ x: 2 }, '$.a', 3, [{ y: 1 }]] });
});

test('the whole input, the context object and variables with member paths are reachable', () => {
  const t = compilePayloadTemplate({ 'all.$': '$', 'ctx.$': '$$.Map.Item.Value', 'v.$': '$cfg.limits[1]' }, 'ItemSelector');
  assert.deepEqual(t.evaluate(scope({ k: 'v' }, CONTEXT, { cfg: { limits: [5, 10] } })), { all: { k: 'v' }, ctx: 'Pikachu', v: 10 });
});

test('an indefinite path gives an array, [] when nothing matches', () => {
  const t = compilePayloadTemplate({ 'ids.$': '$.items[*].id', 'none.$': '$.missing[*].id', 'deep.$': '$..id' }, 'Parameters');
  assert.deepEqual(t.evaluate(scope({ items: [{ id: 1 }, { id: 2 }] })), { ids: [1, 2], none: [], deep: [1, 2] });
});

test("a definite path that selects nothing fails with AWS's States.Runtime message quoting the input", () => {
  const t = compilePayloadTemplate({ ok: 1, nested: { 'value.$': '$.nope' } }, 'Parameters');
  assert.throws(
    () => t.evaluate(scope({ a: 1 })),
    (e: unknown) =>
      e instanceof StatesError &&
      e.error === 'States.Runtime' &&
      e.inStateContext &&
      e.cause === `The JSONPath '$.nope' specified for the field 'value.$' could not be found in the input '{"a":1}'`,
  );
});

test('a context path that selects nothing quotes the context object', () => {
  const t = compilePayloadTemplate({ 'value.$': '$$.Execution.Input.no_such_jsonpath' }, 'Parameters');
  assert.throws(
    () => t.evaluate(scope({ 'int-literal': 0 }, CONTEXT)),
    (e: unknown) =>
      e instanceof StatesError &&
      e.cause === `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '${JSON.stringify(CONTEXT)}'`,
  );
});

test('a missing path inside an intrinsic call fails the same way, naming the template key', () => {
  const t = compilePayloadTemplate({ 'r.$': 'States.ArrayLength($.list)' }, 'Parameters');
  assert.throws(() => t.evaluate(scope({})), /The JSONPath '\$.list' specified for the field 'r.\$' could not be found in the input '\{\}'/);
});

test('an unassigned variable is a run-time failure naming the variable', () => {
  const t = compilePayloadTemplate({ 'v.$': '$nothing.x' }, 'Assign');
  assert.throws(
    () => t.evaluate(scope({})),
    (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime' && /variable 'nothing', which has not been assigned/.test(e.cause ?? ''),
  );
});

test('ErrorPath-style dynamic values use the field name in messages', () => {
  const errorPath = compileDynamicValue('$.ErrorX', 'ErrorPath');
  assert.throws(() => errorPath.evaluate(scope({ Error: 'E' })), /specified for the field 'ErrorPath' could not be found in the input '\{"Error":"E"\}'/);
  assert.equal(compileDynamicValue("States.Format('{}!', $.Error)", 'CausePath').evaluate(scope({ Error: 'E' })), 'E!');
});

test('a .$ value that is not a path or an intrinsic call is a definition error naming the key and place', () => {
  for (const [value, what] of [
    ['just text', /neither a path starting with '\$' nor an intrinsic call/],
    ['$.a[', /Invalid JSONPath/],
    ['States.Format(', /missing argument/],
  ] as const) {
    assert.throws(
      () => compilePayloadTemplate({ outer: { 'bad.$': value } }, 'Parameters'),
      (e: unknown) => e instanceof TemplateSyntaxError && e.field === 'bad.$' && e.message.includes("'bad.$'") && e.message.includes('Parameters/outer/bad.$') && what.test(e.message),
    );
  }
  assert.throws(() => compilePayloadTemplate({ 'n.$': 5 }, 'ResultSelector'), /'n.\$' must be a valid JSONPath or a valid intrinsic function call, but was 5 \(at ResultSelector\/n.\$\)/);
});

test('"__proto__" and "constructor" in a template are plain keys', () => {
  const t = compilePayloadTemplate(JSON.parse('{"__proto__": {"polluted": 1}, "constructor.$": "$.a", "x": {"__proto__.$": "$.a"}}') as Json, 'Parameters');
  const out = t.evaluate(scope({ a: 7 })) as JsonObject;
  assert.deepEqual(Object.keys(out), ['__proto__', 'constructor', 'x']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out['x'] as JsonObject), ['__proto__']);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('each evaluation returns fresh copies of the constant parts', () => {
  const t = compilePayloadTemplate({ fixed: { list: [1] }, 'v.$': '$.a' }, 'Parameters');
  const first = t.evaluate(scope({ a: 1 })) as JsonObject;
  ((first['fixed'] as JsonObject)['list'] as Json[]).push(2);
  assert.deepEqual(t.evaluate(scope({ a: 1 })), { fixed: { list: [1] }, v: 1 });
  const constant = compilePayloadTemplate({ only: ['constants'] }, 'Parameters');
  assert.notEqual(constant.evaluate(scope({})), constant.evaluate(scope({})));
});

test('non-object templates are allowed and copied', () => {
  assert.equal(compilePayloadTemplate('text', 'Parameters').evaluate(scope({})), 'text');
  assert.deepEqual(compilePayloadTemplate([1, { 'a.$': '$.x' }], 'Parameters').evaluate(scope({ x: 2 })), [1, { a: 2 }]);
});
