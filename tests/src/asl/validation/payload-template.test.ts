import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPayloadTemplate, isDynamicValue, isIntrinsicCall } from '../../../../src/asl/validation/payload-template.js';
import { ProblemList } from '../../../../src/asl/validation/problem.js';

describe('payload template values', () => {
  for (const value of ['$.a', '$$.Execution.Id', '$var.x', 'States.UUID()', "States.Format('{} and {}', $.a, States.JsonToString($.b))", "States.Format('a \\'quoted\\' (paren')"]) {
    it(`accepts ${value} as a ".$" value`, () => assert.equal(isDynamicValue(value), true));
  }
  for (const value of ['plain text', 'States.Unknown($.a)', 'States.Format($.a', 'States.UUID() extra', "States.Format('unterminated)", '$.a[']) {
    it(`refuses ${value} as a ".$" value`, () => assert.equal(isDynamicValue(value), false));
  }
  it('needs a known intrinsic name before the parenthesis', () => {
    assert.equal(isIntrinsicCall('States.ArrayRange(1, 10, 2)'), true);
    assert.equal(isIntrinsicCall('Format(1)'), false);
  });
  it('reports nested ".$" keys with their location and leaves literal keys alone', () => {
    const problems = new ProblemList();
    checkPayloadTemplate({ ok: 'literal $ text', list: [{ 'bad.$': 1 }], deep: { 'good.$': '$.x', 'also.$': { not: 'a string' } } }, '/States/A/Parameters', problems);
    assert.deepEqual(problems.items.map((p) => p.location), ['/States/A/Parameters/list[0]/bad.$', '/States/A/Parameters/deep/also.$']);
  });
  it('stops looking at templates nested beyond a fixed depth', () => {
    let value: Record<string, unknown> = { 'bad.$': 1 };
    for (let i = 0; i < 1000; i++) value = { n: value };
    const problems = new ProblemList();
    checkPayloadTemplate(value as never, '', problems);
    assert.equal(problems.items.length, 0);
  });
});
