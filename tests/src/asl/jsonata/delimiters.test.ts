import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expressionSource, isJsonataString } from '../../../../src/asl/jsonata/delimiters.js';

test('a string wrapped in {% %} is an expression, with or without inner spaces', () => {
  assert.equal(isJsonataString('{% $states.input %}'), true);
  assert.equal(isJsonataString('{%$states.input%}'), true);
  assert.equal(isJsonataString('{%\n  1 + 2\n%}'), true);
});

test('strings that merely contain the delimiters, or other types, are literals', () => {
  for (const v of ['', '{%}', '{% x', 'x %}', ' {% x %}', '{% x %} ', 'Hello {% x %}', '$.a', '$x']) {
    assert.equal(isJsonataString(v), false, JSON.stringify(v));
  }
  for (const v of [null, 1, true, ['{% x %}'], { a: '{% x %}' }, undefined]) assert.equal(isJsonataString(v), false);
});

test('the expression text is what lies between the delimiters, trimmed', () => {
  assert.equal(expressionSource('{% $fn := function($x){$x} %}'), '$fn := function($x){$x}');
  assert.equal(expressionSource('{%1%}'), '1');
  assert.equal(expressionSource('{%  \t$a\n %}'), '$a');
});
