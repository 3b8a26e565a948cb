import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonataString, jsonataProblems } from '../../../../src/asl/validation/jsonata-expressions.js';

const problemsOf = (expr: string, inCatcher = false) => jsonataProblems(`{%${expr}%}`, inCatcher);

describe('JSONata strings', () => {
  it('treats only strings wrapped in {% %} as expressions', () => {
    assert.equal(isJsonataString('{% 1 %}'), true);
    assert.equal(isJsonataString(' {% 1 %}'), false);
    assert.equal(isJsonataString('{%}'), false);
    assert.equal(isJsonataString(5), false);
  });

  const parseErrors: Array<[string, string]> = [
    ['a[1,2)', 'Expected "]", got ","'],
    ['"unterminated', 'String literal must be terminated by a matching quote'],
    ['{"a":}', 'The symbol "}" cannot be used as a unary operator'],
    ['$x :=', 'Unexpected end of expression'],
    ['', 'Unexpected end of expression'],
  ];
  for (const [expr, message] of parseErrors) {
    it(`reports ${JSON.stringify(expr)} as unparseable with jsonata's message minus its code`, () => {
      assert.deepEqual(problemsOf(expr), [{ code: 'INVALID_JSONATA_EXPRESSION', message }]);
    });
  }

  it('reports each name read from the absent context once', () => {
    assert.deepEqual(problemsOf(' a + b * a ').map((p) => p.message), [
      "Reference to 'a' at the top level is not supported.",
      "Reference to 'b' at the top level is not supported.",
    ]);
  });
  for (const expr of ['{"k": name}', '[name]', '$count(name)', 'x = 1 ? 2 : 3', '($v := name; $v)', '-name']) {
    it(`finds the top-level read in ${expr}`, () => {
      assert.equal(problemsOf(expr)[0]?.code, 'UNSUPPORTED_JSONATA_EXPRESSION');
    });
  }
  for (const expr of ['$states.input.a.b', '$states.input.items[price > 1]', '$states.input.(a + b)', '$states.input{name: value}', '$x.y', '"lit"', '$states.context.Execution.Id', '$states.input ~> |a|{"b": c}|', '$map($states.input, function($v) { $v.a + other })']) {
    it(`accepts the relative or variable reads in ${expr}`, () => assert.deepEqual(problemsOf(expr), []));
  }
  it('refuses $$ anywhere', () => assert.equal(problemsOf('$states.input[$$.x]')[0]?.message, "Reference to '$$' is not supported."));
  it('allows $states.errorOutput only in a catcher', () => {
    assert.deepEqual(problemsOf('$states.errorOutput.Cause'), [{ code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Field '$states.errorOutput' does not exist." }]);
    assert.deepEqual(problemsOf('$states.errorOutput.Cause', true), []);
  });
});
