import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../../../../src/core/json.js';
import { compileJsonataValue } from '../../../../src/asl/jsonata/index.js';
import { bindings } from '../../../support/jsonata.js';

/** True when `v` is made only of JSON data (no functions, symbols, exotic prototypes). */
function isPlainData(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isPlainData);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(isPlainData);
  return false;
}

// Shapes from the jsonata prototype-pollution / sandbox-escape advisories and their variations.
const PAYLOADS = [
  '$$.constructor',
  '$string.constructor',
  '$sum.constructor("return process")()',
  '$string.constructor.constructor("return process")()',
  '$lookup($string, "constructor")',
  '$lookup($states.input, "constructor")',
  '$states.input.constructor.prototype',
  '$states.input.__proto__',
  '$states.__proto__',
  '$__proto__',
  '$constructor',
  '$constructor("x")',
  '$toString()',
  '$states.input ~> | __proto__ | {"polluted": true} |',
  '$states.input ~> | $ | {"__proto__": {"polluted": true}} |',
  '$states.input ~> | constructor | {"prototype": {"polluted": true}} |',
  '$states.input ~> | constructor.prototype | {"polluted": true} |',
  '$states.input.nested ~> | $ | {"constructor": {"prototype": {"polluted": true}}} |',
  '{"__proto__": {"polluted": true}}',
  '$merge([{}, $parse(\'{"__proto__": {"polluted": true}}\')])',
  '$spread($parse(\'{"__proto__": {"polluted": true}}\'))',
  '$sift($states.input, function($v, $k){ true })',
  '$each($states.input, function($v, $k){ $k })',
  '$clone($states.input)',
  '$map([1], $string.constructor)',
];

test('advisory-style payloads neither pollute Object.prototype nor return functions', async () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  const input = JSON.parse('{"__proto__": {"a": 1}, "nested": {}}') as Json;
  for (const expr of PAYLOADS) {
    let result: Json | undefined;
    try {
      result = await compileJsonataValue(`{% ${expr} %}`, 'Output').evaluate(bindings(input));
    } catch (e) {
      assert.equal((e as { error?: string }).error, 'States.QueryEvaluationError', `${expr}: ${String(e)}`);
    }
    if (result !== undefined) assert.ok(isPlainData(result), `${expr} returned non-JSON data`);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, expr);
    assert.equal((Object.prototype as Record<string, unknown>)['a'], undefined, expr);
  }
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
});

const RUNAWAY = [
  '[1..10000].([1..10000])',
  '$count([1..10000].([1..10000]))',
  '($f := function($x){ $f($x) }; $f(1))',
  '($f := function($x){ $x + $f($x) }; $f(1))',
  '[1..20000000]',
  '$reduce([1..100000], function($acc, $v){ $append($acc, [1..100]) }, [])',
];

// How long each takes to be stopped is measured by `npm run bench`; the time limit catches one that is not.
test('runaway expressions fail the field with QueryEvaluationError', { timeout: 120_000 }, async () => {
  for (const expr of RUNAWAY) {
    await assert.rejects(
      compileJsonataValue(`{% ${expr} %}`, 'Output').evaluate(bindings()),
      (e: { error?: string; cause?: string }) => {
        assert.equal(e.error, 'States.QueryEvaluationError', expr);
        assert.match(e.cause!, /threw an error during evaluation\. D\d{4}: /, expr);
        return true;
      },
    );
  }
});

test('legitimate recursion and large-but-bounded data still evaluate', async () => {
  const fact = compileJsonataValue('{% ($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(30)) %}', 'Output');
  assert.equal(await fact.evaluate(bindings()), 2.6525285981219103e32);
  const sum = compileJsonataValue('{% $sum([1..100000]) %}', 'Output');
  assert.equal(await sum.evaluate(bindings()), 5000050000);
});
