import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownValue, type Json, type JsonObject } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import type { PathScope } from '../../../../src/asl/scope.js';
import { ChoiceRuleError, compileChoiceRule, parseAwsTimestamp } from '../../../../src/asl/choice/index.js';

function scopeOf(input: Json, variables: JsonObject = {}, context: JsonObject = {}): PathScope {
  return { input, context, variables: { lookup: (name) => ownValue(variables, name) } };
}

const WHERE = '/States/MyChoice/Choices/0';

test('reads Variable through the JSONPath module: brackets, indexes, context and variables', () => {
  const bracket = compileChoiceRule({ Variable: "$['a b'][1].c", StringEquals: 'x', Next: 'N' }, WHERE);
  assert.equal(bracket.evaluate(scopeOf({ 'a b': [{}, { c: 'x' }] })), true);
  assert.equal(bracket.evaluate(scopeOf({ 'a b': [{}, { c: 'y' }] })), false);

  const ctx = compileChoiceRule({ Variable: '$$.Execution.Input.flag', BooleanEquals: true, Next: 'N' }, WHERE);
  assert.equal(ctx.evaluate(scopeOf({}, {}, { Execution: { Input: { flag: true } } })), true);

  const variable = compileChoiceRule({ Variable: '$count', NumericGreaterThanPath: '$.limit', Next: 'N' }, WHERE);
  assert.equal(variable.evaluate(scopeOf({ limit: 3 }, { count: 4 })), true);
  assert.equal(variable.evaluate(scopeOf({ limit: 5 }, { count: 4 })), false);

  const whole = compileChoiceRule({ Variable: '$', IsNumeric: true, Next: 'N' }, WHERE);
  assert.equal(whole.evaluate(scopeOf(3)), true);
  assert.equal(whole.evaluate(scopeOf({})), false);
});

test('keys like __proto__ and constructor are plain data', () => {
  const r = compileChoiceRule({ Variable: '$.constructor', IsPresent: true, Next: 'N' }, WHERE);
  assert.equal(r.evaluate(scopeOf({})), false);
  assert.equal(r.evaluate(scopeOf(JSON.parse('{"constructor": 1}') as Json)), true);
  const p = compileChoiceRule({ Variable: "$['__proto__']", NumericEquals: 1, Next: 'N' }, WHERE);
  assert.equal(p.evaluate(scopeOf(JSON.parse('{"__proto__": 1}') as Json)), true);
});

test('a missing Variable fails with AWS\'s States.Runtime cause', () => {
  const r = compileChoiceRule({ Variable: '$.foo', NumericEquals: 1, Next: 'N' }, WHERE);
  assert.throws(
    () => r.evaluate(scopeOf({})),
    (e: unknown) =>
      e instanceof StatesError &&
      e.error === 'States.Runtime' &&
      e.inStateContext &&
      e.cause === "Invalid path '$.foo': The choice state's condition path references an invalid value.",
  );
});

test('an invalid JSONPath is a ChoiceRuleError naming the field', () => {
  assert.throws(
    () => compileChoiceRule({ Variable: '$.a[', IsNull: true, Next: 'N' }, WHERE),
    (e: unknown) => e instanceof ChoiceRuleError && e.location === `${WHERE}/Variable` && e.message.includes('$.a['),
  );
  assert.throws(
    () => compileChoiceRule({ Variable: '$.a', StringEqualsPath: 'a.b', Next: 'N' }, WHERE),
    (e: unknown) => e instanceof ChoiceRuleError && e.location === `${WHERE}/StringEqualsPath`,
  );
});

test('exports the shared timestamp parser', () => {
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00Z'), Date.UTC(2016, 2, 14, 1, 59));
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00'), undefined);
});
