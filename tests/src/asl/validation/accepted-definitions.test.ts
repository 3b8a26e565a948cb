import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../../src/core/json.js';
import { formatProblems, validateDefinition } from '../../../../src/asl/validation/index.js';

/**
 * Shapes AWS creates although a stricter reading of the spec (or another validator) would refuse
 * them. Refusing any of these locally would block a definition that deploys.
 */

const subMachine = (states: JsonObject): JsonObject => ({ StartAt: Object.keys(states)[0], States: states });
const jsonata = (states: JsonObject): JsonObject => ({ QueryLanguage: 'JSONata', ...subMachine(states) });
const jsonpath = (states: JsonObject): JsonObject => subMachine(states);

const ACCEPTED: Array<{ name: string; definition: JsonObject }> = [
  ...[true, 0, 'str', [], null].map((literal) => ({
    name: `a JSONata Output that is the literal ${JSON.stringify(literal)}`,
    definition: jsonata({ A: { Type: 'Pass', Output: literal, End: true } }),
  })),
  {
    name: 'a constant boolean Condition',
    definition: jsonata({
      C: { Type: 'Choice', Choices: [{ Condition: true, Next: 'Done' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    }),
  },
  {
    name: 'a fractional ToleratedFailurePercentage',
    definition: jsonpath({
      M: {
        Type: 'Map',
        ToleratedFailurePercentage: 12.5,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...subMachine({ P: { Type: 'Pass', End: true } }) },
        End: true,
      },
    }),
  },
  { name: 'escaped quotes in Output keys', definition: jsonata({ A: { Type: 'Pass', Output: { 'say "hi"': '{% "hi" %}', "it's": 1 }, End: true } }) },
  { name: 'literals inside an Assign array', definition: jsonpath({ A: { Type: 'Pass', Assign: { xs: [1, 'two', null, { k: true }], 'y.$': '$.y' }, End: true } }) },
  { name: 'literals inside a JSONata Assign array', definition: jsonata({ A: { Type: 'Pass', Assign: { xs: [1, '{% $states.input %}', 'plain'] }, End: true } }) },
  { name: 'a Task whose service this project does not emulate', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', End: true } }) },
  { name: 'an AWS SDK integration', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2', End: true } }) },
  { name: 'a nested execution waiting with .sync:2', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', End: true } }) },
  { name: 'a callback task', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 60, TimeoutSeconds: 600, End: true } }) },
  { name: 'a Lambda ARN with an alias', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod', End: true } }) },
  { name: 'a Lambda ARN in another partition', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:fn', End: true } }) },
  { name: 'an activity', definition: jsonpath({ T: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:approve', End: true } }) },
  { name: 'End: false next to Next', definition: jsonpath({ A: { Type: 'Pass', End: false, Next: 'B' }, B: { Type: 'Succeed' } }) },
  { name: 'context, variable and root paths', definition: jsonpath({ A: { Type: 'Pass', InputPath: '$$', OutputPath: '$v.field', ResultPath: null, End: true } }) },
  { name: 'general paths in InputPath', definition: jsonpath({ A: { Type: 'Pass', InputPath: "$.items[?(@.price < 10)]..name", OutputPath: "$['a b'][0]", End: true } }) },
  {
    name: 'intrinsic functions with nested calls and escaped quotes',
    definition: jsonpath({
      A: {
        Type: 'Pass',
        Parameters: { 'msg.$': "States.Format('it\\'s {} ({})', States.ArrayGetItem($.xs, 0), $$.Execution.Name)", 'id.$': 'States.UUID()' },
        End: true,
      },
    }),
  },
  { name: 'a Wait of zero seconds', definition: jsonpath({ W: { Type: 'Wait', Seconds: 0, End: true } }) },
  { name: 'a Wait until a nanosecond timestamp', definition: jsonpath({ W: { Type: 'Wait', Timestamp: '2016-03-05T21:29:29.243167252Z', End: true } }) },
  { name: 'JSONata numbers given as expressions', definition: jsonata({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: '{% $states.input.t %}', End: true } }) },
  {
    name: 'a JSONata Map inside a JSONPath machine',
    definition: jsonpath({
      M: { Type: 'Map', QueryLanguage: 'JSONata', Items: '{% [1, 2] %}', Output: { n: '{% $count($states.result) %}' }, ItemProcessor: subMachine({ P: { Type: 'Pass', End: true } }), End: true },
    }),
  },
  {
    name: 'a loop without a terminal state inside an ItemProcessor',
    definition: jsonpath({
      M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: subMachine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }), End: true },
    }),
  },
  {
    name: '$states.errorOutput in a catcher of its own',
    definition: jsonata({
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Assign: { e: '{% $states.errorOutput.Error %}' }, Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    }),
  },
  {
    name: 'names relative to a real context inside paths, predicates and lambdas',
    definition: jsonata({
      A: { Type: 'Pass', Output: '{% $map($states.input.items[price > 5], function($v) { $v.name }) ~> $join(",") %}', End: true },
    }),
  },
  { name: 'the legacy Iterator', definition: jsonpath({ M: { Type: 'Map', Iterator: subMachine({ I: { Type: 'Pass', End: true } }), MaxConcurrency: 0, End: true } }) },
  {
    name: 'Assign and JSONPath rules on a Choice',
    definition: jsonpath({
      C: {
        Type: 'Choice',
        Choices: [{ Not: { Variable: '$.x', IsPresent: false }, Assign: { seen: true }, Next: 'Done' }, { Or: [{ Variable: '$.n', NumericGreaterThanPath: '$.m' }, { Variable: '$.s', StringMatches: 'a*' }], Next: 'Done' }],
        Default: 'Done',
        Assign: { 'c.$': '$.x' },
      },
      Done: { Type: 'Succeed' },
    }),
  },
  { name: 'a state named with slashes and spaces', definition: jsonpath({ 'a/b c': { Type: 'Pass', End: true } }) },
  { name: 'a state named "__proto__"', definition: jsonpath({ ['__proto__']: { Type: 'Pass', Next: 'constructor' }, constructor: { Type: 'Succeed' } }) },
];

describe('definitions AWS accepts', () => {
  for (const c of ACCEPTED) {
    it(`accepts ${c.name}`, () => {
      // Round-trip through JSON so keys like "__proto__" are own data properties, as when parsed.
      const problems = validateDefinition(JSON.parse(JSON.stringify(c.definition)));
      assert.deepEqual(problems, [], problems.length > 0 ? formatProblems(problems) : '');
    });
  }
});

describe('paths AWS accepts (Jayway trims blanks around a path before compiling it)', () => {
  const pass = (fields: JsonObject): JsonObject => jsonpath({ A: { Type: 'Pass', End: true, ...fields } });
  const PATHS: Array<[string, JsonObject]> = [
    ['a trailing blank in InputPath', pass({ InputPath: '$.config.size ' })],
    ['blanks around OutputPath', pass({ OutputPath: '  $.a  ' })],
    ['a trailing blank in ResultPath', pass({ ResultPath: '$.result ' })],
    ['a trailing blank after a bracket name', pass({ InputPath: "$['a b'] " })],
    ['a trailing blank in a payload template path', pass({ Parameters: { 'size.$': '$.config.size ' } })],
    ['a trailing blank in a context path', pass({ Parameters: { 'id.$': '$$.Execution.Id ' } })],
    ['blanks inside brackets', pass({ InputPath: "$[ 'a' ][ 0 ]" })],
    ['an empty bracket name', pass({ InputPath: "$['']" })],
    ['double quotes in brackets', pass({ InputPath: '$["a"]' })],
    ['a trailing blank in a Choice Variable', jsonpath({ C: { Type: 'Choice', Choices: [{ Variable: '$.n ', NumericEquals: 1, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } })],
    ['a trailing blank in ItemsPath', jsonpath({ M: { Type: 'Map', ItemsPath: '$.items ', ItemProcessor: subMachine({ P: { Type: 'Pass', End: true } }), End: true } })],
    ['a trailing blank in SecondsPath', jsonpath({ W: { Type: 'Wait', SecondsPath: '$.s ', End: true } })],
    ['a Wait Timestamp with nanoseconds', jsonpath({ W: { Type: 'Wait', Timestamp: '2016-03-05T21:29:29.243167252Z', End: true } })],
    ['a Wait Timestamp with an offset', jsonpath({ W: { Type: 'Wait', Timestamp: '2016-03-05T21:29:29+02:00', End: true } })],
  ];
  for (const [name, definition] of PATHS) {
    it(`accepts ${name}`, () => assert.equal(formatProblems(validateDefinition(definition)), formatProblems([])));
  }
});
