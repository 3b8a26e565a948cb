import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonObject, ownValue, type Json, type JsonObject } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import type { PathScope } from '../../../../src/asl/scope.js';
import { ChoiceRuleError } from '../../../../src/asl/choice/choice-rule-error.js';
import { compileRuleWith, MAX_RULE_DEPTH, type PathCompiler } from '../../../../src/asl/choice/compile-rule.js';

/**
 * A tiny stand-in for src/asl/jsonpath, enough for these tests: `$`, `$.a.b`, `$$.a`, `$name.a`.
 * The conformance test exercises the real path module.
 */
const stubPaths: PathCompiler = (source) => {
  const m = /^(\$\$|\$[A-Za-z_][A-Za-z0-9_]*|\$)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/.exec(source);
  if (m === null) throw new Error(`unsupported path '${source}'`);
  const root = m[1]!;
  const keys = m[2] === '' ? [] : m[2]!.slice(1).split('.');
  return (scope) => {
    let v: Json | undefined =
      root === '$' ? scope.input : root === '$$' ? scope.context : scope.variables.lookup(root.slice(1));
    for (const k of keys) {
      if (v === undefined || !isJsonObject(v)) return undefined;
      v = ownValue(v, k);
    }
    return v;
  };
};

function scopeOf(input: Json, variables: JsonObject = {}, context: JsonObject = {}): PathScope {
  return { input, context, variables: { lookup: (name) => ownValue(variables, name) } };
}

function rule(r: JsonObject): (input: Json) => boolean {
  const compiled = compileRuleWith(r, '/States/C/Choices/0', stubPaths);
  return (input) => compiled.evaluate(scopeOf(input));
}

function rejects(r: Json, pattern: RegExp): void {
  assert.throws(
    () => compileRuleWith(r as JsonObject, '/States/C/Choices/0', stubPaths),
    (e: unknown) => e instanceof ChoiceRuleError && pattern.test(e.message),
  );
}

function runtimeFailure(fn: () => unknown, cause: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatesError);
    assert.equal(e.error, 'States.Runtime');
    assert.equal(e.cause, cause);
    assert.equal(e.inStateContext, true);
    return true;
  });
}

test('NumericEquals compares numbers by value and never matches other types', () => {
  const eq = rule({ Variable: '$.v', NumericEquals: 1 });
  assert.equal(eq({ v: 1 }), true);
  assert.equal(eq({ v: 1.0 }), true);
  assert.equal(eq({ v: 1.5 }), false);
  for (const v of ['1', '', true, null, [], [1], {}, { A: 1 }] as Json[]) assert.equal(eq({ v }), false, JSON.stringify(v));
  assert.equal(rule({ Variable: '$.v', NumericEquals: 2.22 })({ v: 2.22 }), true);
});

test('numeric orderings', () => {
  const cases: [string, number, boolean][] = [
    ['NumericLessThan', 0, true],
    ['NumericLessThan', 1, false],
    ['NumericLessThanEquals', 1, true],
    ['NumericLessThanEquals', 2, false],
    ['NumericGreaterThan', 2, true],
    ['NumericGreaterThan', 1, false],
    ['NumericGreaterThanEquals', 1, true],
    ['NumericGreaterThanEquals', 0, false],
  ];
  for (const [op, v, expected] of cases) {
    assert.equal(rule({ Variable: '$.v', [op]: 1 })({ v }), expected, `${v} ${op} 1`);
  }
  assert.equal(rule({ Variable: '$.v', NumericLessThan: 1 })({ v: '0' }), false);
  assert.equal(rule({ Variable: '$.v', NumericGreaterThan: -1e308 })({ v: 1e308 }), true);
});

test('string comparisons are exact and ordered by code unit', () => {
  assert.equal(rule({ Variable: '$.v', StringEquals: 'Hello' })({ v: 'Hello' }), true);
  assert.equal(rule({ Variable: '$.v', StringEquals: '     ' })({ v: ' ' }), false);
  assert.equal(rule({ Variable: '$.v', StringEquals: 'HelloWorld' })({ v: 0 }), false);
  assert.equal(rule({ Variable: '$.v', StringLessThan: 'AB' })({ v: 'A' }), true);
  assert.equal(rule({ Variable: '$.v', StringLessThan: '' })({ v: '' }), false);
  assert.equal(rule({ Variable: '$.v', StringLessThanEquals: '' })({ v: '' }), true);
  assert.equal(rule({ Variable: '$.v', StringGreaterThan: 'A\t\n\r' })({ v: 'A' }), false);
  assert.equal(rule({ Variable: '$.v', StringGreaterThanEquals: 'a' })({ v: 'b' }), true);
  assert.equal(rule({ Variable: '$.v', StringGreaterThan: 'Z' })({ v: 'a' }), true, 'lowercase sorts after uppercase');
  assert.equal(rule({ Variable: '$.v', StringLessThan: '\uFF61' })({ v: '\uD83D\uDE00' }), true, 'UTF-16 order');
  assert.equal(rule({ Variable: '$.v', StringGreaterThan: 'a' })({ v: 5 }), false);
});

test('StringMatches applies the wildcard pattern to strings only', () => {
  const m = rule({ Variable: '$.v', StringMatches: 'log-*.txt' });
  assert.equal(m({ v: 'log-1.txt' }), true);
  assert.equal(m({ v: 'log-.txt' }), true);
  assert.equal(m({ v: 'log-1.csv' }), false);
  assert.equal(m({ v: 12 }), false);
});

test('BooleanEquals matches booleans only', () => {
  const t = rule({ Variable: '$.v', BooleanEquals: true });
  const f = rule({ Variable: '$.v', BooleanEquals: false });
  assert.equal(t({ v: true }), true);
  assert.equal(t({ v: false }), false);
  assert.equal(f({ v: false }), true);
  for (const v of [0, 1, '', 'true', null, [], {}] as Json[]) {
    assert.equal(t({ v }), false);
    assert.equal(f({ v }), false);
  }
});

test('timestamp comparisons compare instants and ignore non-timestamps', () => {
  const eq = rule({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' });
  assert.equal(eq({ v: '2012-10-09T19:00:55Z' }), true);
  assert.equal(eq({ v: '2012-10-09T20:00:55+01:00' }), true);
  assert.equal(eq({ v: '2012-10-09T19:00:55.000Z' }), true);
  assert.equal(eq({ v: '2012-10-09T19:00:55.000000001Z' }), false);
  assert.equal(eq({ v: '2012-10-09T19:00:55' }), false);
  for (const v of [0, 1, ' ', true, false, null, {}, []] as Json[]) assert.equal(eq({ v }), false, JSON.stringify(v));
  assert.equal(rule({ Variable: '$.v', TimestampLessThan: '2012-10-09T19:00:56Z' })({ v: '2012-10-09T19:00:55Z' }), true);
  assert.equal(rule({ Variable: '$.v', TimestampLessThan: '2012-10-09T19:00:55Z' })({ v: '2012-10-09T19:00:55Z' }), false);
  assert.equal(rule({ Variable: '$.v', TimestampLessThanEquals: '2012-10-09T19:00:55Z' })({ v: '2012-10-09T19:00:55Z' }), true);
  assert.equal(rule({ Variable: '$.v', TimestampGreaterThan: '2012-10-09T19:00:56Z' })({ v: '2012-10-09T19:00:55Z' }), false);
  assert.equal(rule({ Variable: '$.v', TimestampGreaterThanEquals: '2012-10-09T19:00:55Z' })({ v: '2012-10-09T19:00:56Z' }), true);
});

test('Is* operators test the type and accept false as well as true', () => {
  const values: [string, Json, boolean][] = [
    ['IsNull', null, true],
    ['IsNull', 0, false],
    ['IsNumeric', 1.1, true],
    ['IsNumeric', '1', false],
    ['IsString', '', true],
    ['IsString', {}, false],
    ['IsBoolean', false, true],
    ['IsBoolean', 0, false],
    ['IsTimestamp', '2016-03-14T01:59:00Z', true],
    ['IsTimestamp', '2016-03-14T01:59:00', false],
    ['IsTimestamp', 1457920740, false],
    ['IsPresent', null, true],
  ];
  for (const [op, v, is] of values) {
    assert.equal(rule({ Variable: '$.v', [op]: true })({ v }), is, `${op}: true on ${JSON.stringify(v)}`);
    assert.equal(rule({ Variable: '$.v', [op]: false })({ v }), !is, `${op}: false on ${JSON.stringify(v)}`);
  }
});

test('IsPresent tells whether the Variable selects anything', () => {
  assert.equal(rule({ Variable: '$.v', IsPresent: true })({}), false);
  assert.equal(rule({ Variable: '$.v', IsPresent: false })({}), true);
  assert.equal(rule({ Variable: '$.a.b', IsPresent: false })({ a: 3 }), true);
  assert.equal(rule({ Variable: '$', IsPresent: true })({}), true);
});

test('a Variable that selects nothing fails the execution with AWS\'s cause, except for IsPresent', () => {
  const cause = "Invalid path '$.v': The choice state's condition path references an invalid value.";
  for (const r of [
    { Variable: '$.v', NumericEquals: 1 },
    { Variable: '$.v', NumericLessThan: 1 },
    { Variable: '$.v', StringEquals: 'a' },
    { Variable: '$.v', StringGreaterThan: 'a' },
    { Variable: '$.v', StringMatches: '*' },
    { Variable: '$.v', BooleanEquals: true },
    { Variable: '$.v', TimestampEquals: '2016-03-14T01:59:00Z' },
    { Variable: '$.v', IsNull: false },
    { Variable: '$.v', IsString: false },
    { Variable: '$.v', IsNumeric: false },
    { Variable: '$.v', IsBoolean: false },
    { Variable: '$.v', IsTimestamp: false },
    { Variable: '$.v', NumericEqualsPath: '$.w' },
  ] as JsonObject[]) {
    runtimeFailure(() => rule(r)({ w: 1 }), cause);
  }
});

test('...Path operators read the comparand from the input', () => {
  assert.equal(rule({ Variable: '$.v', NumericEqualsPath: '$.w' })({ v: 0, w: 0.0 }), true);
  assert.equal(rule({ Variable: '$.v', NumericEqualsPath: '$.w' })({ v: 1.1, w: 1 }), false);
  assert.equal(rule({ Variable: '$.v', NumericEqualsPath: '$.w' })({ v: 1, w: '1' }), false);
  assert.equal(rule({ Variable: '$.v', NumericLessThanPath: '$.w' })({ v: 0, w: 1 }), true);
  assert.equal(rule({ Variable: '$.v', NumericGreaterThanEqualsPath: '$.w' })({ v: 1, w: 1 }), true);
  assert.equal(rule({ Variable: '$.v', StringEqualsPath: '$.w' })({ v: ' ', w: '     ' }), false);
  assert.equal(rule({ Variable: '$.v', StringLessThanPath: '$.w' })({ v: 'A', w: 'AB' }), true);
  assert.equal(rule({ Variable: '$.v', StringGreaterThanPath: '$.w' })({ v: 'A', w: 'A ' }), false);
  assert.equal(rule({ Variable: '$.v', BooleanEqualsPath: '$.w' })({ v: false, w: false }), true);
  assert.equal(rule({ Variable: '$.v', BooleanEqualsPath: '$.w' })({ v: 0, w: false }), false);
  assert.equal(rule({ Variable: '$.v', BooleanEqualsPath: '$.w' })({ v: null, w: null }), false);
  assert.equal(rule({ Variable: '$.v', TimestampEqualsPath: '$.w' })({ v: '2012-10-09T19:00:55Z', w: '2012-10-09T19:00:55Z' }), true);
  assert.equal(rule({ Variable: '$.v', TimestampLessThanPath: '$.w' })({ v: '2012-10-09T19:00:55Z', w: '2012-10-09T19:00:56Z' }), true);
  assert.equal(rule({ Variable: '$.v', TimestampEqualsPath: '$.w' })({ v: '2012-10-09T19:00:55Z', w: 'soon' }), false);
});

test('a ...Path comparand that selects nothing fails the execution', () => {
  runtimeFailure(
    () => rule({ Variable: '$.v', StringEqualsPath: '$.missing' })({ v: 'a' }),
    "Invalid path '$.missing': The choice state's condition path references an invalid value.",
  );
});

test('Variable and comparands may read workflow variables and the context object', () => {
  const r = compileRuleWith({ Variable: '$guess', StringEqualsPath: '$answer' }, '/States/C/Choices/0', stubPaths);
  assert.equal(r.evaluate(scopeOf({}, { guess: 'x', answer: 'x' })), true);
  assert.equal(r.evaluate(scopeOf({}, { guess: 'x', answer: 'y' })), false);
  runtimeFailure(() => r.evaluate(scopeOf({}, { answer: 'y' })), "Invalid path '$guess': The choice state's condition path references an invalid value.");

  const c = compileRuleWith({ Variable: '$$.State.RetryCount', NumericEquals: 0 }, '/States/C/Choices/0', stubPaths);
  assert.equal(c.evaluate(scopeOf({}, {}, { State: { RetryCount: 0 } })), true);
});

test('And, Or and Not combine nested rules and short-circuit left to right', () => {
  const and = rule({
    And: [
      { Variable: '$.v', IsPresent: true },
      { Variable: '$.v', NumericEquals: 3 },
    ],
  });
  assert.equal(and({ v: 3 }), true);
  assert.equal(and({ v: 4 }), false);
  assert.equal(and({}), false, 'IsPresent guards the comparison that would fail');

  const or = rule({
    Or: [
      { Variable: '$.v', IsPresent: false },
      { Variable: '$.v', StringEquals: 'x' },
      { Variable: '$.v', StringEquals: 'y' },
    ],
  });
  assert.equal(or({}), true);
  assert.equal(or({ v: 'y' }), true);
  assert.equal(or({ v: 'z' }), false);

  assert.equal(rule({ Not: { Variable: '$.type', StringEquals: 'Private' } })({ type: 'Public' }), true);
  assert.equal(rule({ And: [{ Variable: '$.type', StringEquals: 'Public' }] })({ type: 'Public' }), true);
  assert.equal(rule({ And: [{ Variable: '$', IsNumeric: true }, { And: [{ Not: { Variable: '$', NumericEquals: 3 } }] }] })(3), false);
  const three = rule({ And: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', BooleanEquals: true }, { Variable: '$.c', BooleanEquals: true }] });
  assert.equal(three({ a: true, b: true, c: true }), true);
  assert.equal(three({ a: true, b: false }), false);
});

test('Next, Assign, Output and Comment are not part of the condition', () => {
  const r = rule({ Variable: '$.v', NumericEquals: 1, Next: 'X', Assign: { a: 1 }, Output: {}, Comment: 'c' });
  assert.equal(r({ v: 1 }), true);
});

test('structural problems are rejected at compile time, naming the location and the field', () => {
  rejects({ Next: 'X' }, /needs a Variable and a comparison operator.* at \/States\/C\/Choices\/0$/);
  rejects({ Variable: '$.v', Next: 'X' }, /needs a comparison operator at \/States\/C\/Choices\/0$/);
  rejects({ NumericEquals: 1 }, /'NumericEquals' needs a 'Variable' field/);
  rejects({ Variable: '$.v', NumericEquals: 1, StringEquals: 'a' }, /only one comparison operator.* at \/States\/C\/Choices\/0\/StringEquals$/);
  rejects({ Variable: '$.v', NumericEquals: '1' }, /'NumericEquals' must be a number, not string at \/States\/C\/Choices\/0\/NumericEquals$/);
  rejects({ Variable: '$.v', StringEquals: 1 }, /'StringEquals' must be a string/);
  rejects({ Variable: '$.v', StringMatches: null }, /'StringMatches' must be a string/);
  rejects({ Variable: '$.v', BooleanEquals: 'true' }, /'BooleanEquals' must be a boolean/);
  rejects({ Variable: '$.v', IsPresent: 'yes' }, /'IsPresent' must be a boolean/);
  rejects({ Variable: '$.v', TimestampEquals: '2016-03-14' }, /'TimestampEquals' must be a timestamp.*\/TimestampEquals$/);
  rejects({ Variable: '$.v', NumericEqualsPath: 3 }, /Expected a JSONPath string.*\/NumericEqualsPath$/);
  rejects({ Variable: 'v', NumericEquals: 3 }, /Invalid JSONPath "v".*\/Variable$/);
  rejects({ Variable: '$.v', NumericEqualsPath: 'nope' }, /Invalid JSONPath "nope".*\/NumericEqualsPath$/);
  rejects({ Variable: '$.v', NumericEqual: 3 }, /The field 'NumericEqual' is not supported.*\/NumericEqual$/);
  rejects({ Variable: '$.v', StringMatchesPath: '$.p' }, /'StringMatchesPath' is not supported/);
  rejects({ Condition: '{% true %}', Next: 'X' }, /'Condition' is not supported/);
  rejects(JSON.parse('{"__proto__": {"Variable": "$.v"}, "Next": "X"}') as JsonObject, /The field '__proto__' is not supported/);
});

test('combinators are rejected when malformed or mixed with a comparison', () => {
  rejects({ And: [], Next: 'X' }, /'And' must contain at least one choice rule at \/States\/C\/Choices\/0\/And$/);
  rejects({ Or: {}, Next: 'X' }, /'Or' must be an array/);
  rejects({ Not: [], Next: 'X' }, /'Not' must be a choice rule object/);
  rejects({ And: [{ Variable: '$.v', IsNull: true }], Or: [{ Variable: '$.v', IsNull: true }] }, /only one of And, Or, Not/);
  rejects({ And: [{ Variable: '$.v', IsNull: true }], Variable: '$.v' }, /cannot also have 'Variable'/);
  rejects({ Not: { Variable: '$.v', IsNull: true }, IsNull: true }, /cannot also have 'IsNull'/);
  rejects({ And: [{ Variable: '$.v', IsNull: true }, 3] }, /must be an object, not number at \/States\/C\/Choices\/0\/And\/1$/);
  rejects({ Or: [{ Not: { Variable: '$.v', NumericEquals: 'x' } }] }, /at \/States\/C\/Choices\/0\/Or\/0\/Not\/NumericEquals$/);
});

test('nesting depth is bounded', () => {
  let deep: JsonObject = { Variable: '$.v', IsNull: true };
  for (let i = 0; i < MAX_RULE_DEPTH; i++) deep = { Not: deep };
  assert.equal(rule(deep)({ v: null }), MAX_RULE_DEPTH % 2 === 0);
  rejects({ Not: deep }, /nested more than/);
});
