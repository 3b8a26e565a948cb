import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../src/core/json.js';
import { checkTestCase, MockConfigError, outcomeOf, parseMockConfig, testCaseFor } from '../../../src/integrations/mock-config.js';

const F = 'mocks.json';

/** The example of AWS's "Configuration file for mocked service integrations" page. */
const DOCS_EXAMPLE = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    LambdaMockedResourceNotReady: { '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } } },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e-7h85-4375-b0bc-1a59812c6e51', MessageId: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
  },
};

const DEFINITION = {
  StartAt: 'LambdaState',
  States: {
    LambdaState: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'Payload.$': '$', FunctionName: 'f' }, Next: 'Fan' },
    Fan: {
      Type: 'Map',
      ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } },
      Next: 'SQSState',
    },
    SQSState: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', 'MessageBody.$': '$' }, Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
};

function rejects(config: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseMockConfig(config as Json, F),
    (e: unknown) => {
      assert.ok(e instanceof MockConfigError, String(e));
      assert.match(e.message, pattern);
      assert.ok(e.message.startsWith(`${F}: `), e.message);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    },
  );
}

test("AWS's documented example reads as written: ranges, Return of any JSON, Throw with Error and Cause", () => {
  const config = parseMockConfig(DOCS_EXAMPLE, F);
  const tc = testCaseFor(config, 'LambdaSQSIntegration', 'RetryPath');
  const retry = tc.states.get('LambdaState')!;
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((n) => outcomeOf(retry, n)?.kind ?? 'none'),
    ['throw', 'throw', 'throw', 'return', 'none'],
  );
  assert.deepEqual(outcomeOf(retry, 1), { kind: 'throw', error: 'Lambda.TimeoutException', cause: 'Lambda timed out.' });
  const scalar = parseMockConfig({ StateMachines: {}, MockedResponses: { S: { '0': { Return: 'text' } } } }, F);
  assert.deepEqual(outcomeOf(scalar.responses.get('S')!, 0), { kind: 'return', value: 'text' });
});

test('a huge range is kept as a range, not expanded', () => {
  const config = parseMockConfig({ StateMachines: {}, MockedResponses: { Many: { '0-2147483646': { Return: 1 }, '2147483647': { Return: 2 } } } }, F);
  assert.deepEqual(outcomeOf(config.responses.get('Many')!, 2147483647), { kind: 'return', value: 2 });
});

test('the mistakes a user makes each get one line naming the file, the place and what to do', () => {
  const withResponse = (r: unknown) => ({ StateMachines: {}, MockedResponses: { R: r } });
  rejects([], /\(the top level\) must be an object/);
  rejects({ StateMachines: {}, MockedResponse: {} }, /MockedResponse: unknown field.*did you mean "MockedResponses"/);
  rejects(withResponse({ '0': { Return: 1, Throw: { Error: 'E', Cause: 'C' } } }), /MockedResponses\.R\["0"\] has both "Return" and "Throw"; .*keep one/);
  rejects(withResponse({ '0': {} }), /MockedResponses\.R\["0"\] has neither "Return" nor "Throw"/);
  rejects(withResponse({ '0': { Returns: 1 } }), /\["0"\]\.Returns: unknown field.*did you mean "Return"/);
  rejects(withResponse({ '0': { Throw: { Error: 'E' } } }), /\["0"\]\.Throw\.Cause must be a string \(it is missing\)/);
  rejects(withResponse({ '0': { Throw: { Error: 5, Cause: 'c' } } }), /Throw\.Error must be a string \(not number 5\)/);
  rejects(withResponse({ '0': { Throw: 'boom' } }), /\["0"\]\.Throw must be an object/);
  rejects(withResponse({ first: { Return: 1 } }), /MockedResponses\.R\.first: "first" is not an invocation number or range; use a number such as "0"/);
  rejects(withResponse({ '-1': { Return: 1 } }), /"-1" is not an invocation number or range/);
  rejects(withResponse({ '0-1-2': { Return: 1 } }), /"0-1-2" is not an invocation number/);
  rejects(withResponse({ '2-1': { Return: 1 } }), /the range "2-1" ends before it starts; write it as "1-2"/);
  rejects(withResponse({ '1': { Return: 1 } }), /MockedResponses\.R skips invocation "0": invocations are numbered consecutively from 0/);
  rejects(withResponse({ '0': { Return: 1 }, '3-4': { Return: 1 } }), /skips invocation "1-2"/);
  rejects(withResponse({ '0-2': { Return: 1 }, '2': { Return: 1 } }), /MockedResponses\.R\["2"\] overlaps the invocations before it/);
  rejects(withResponse({ '99999999999': { Return: 1 } }), /invocation numbers go up to 2147483647/);
  rejects(withResponse({}), /MockedResponses\.R mocks no invocation; add at least "0"/);
  rejects({ StateMachines: { M: { TestCases: { T: { S: 'Nope' } } } }, MockedResponses: { R: { '0': { Return: 1 } } } }, /StateMachines\.M\.TestCases\.T\.S names the mocked response "Nope", which MockedResponses does not define \(it defines: R\)/);
  rejects({ StateMachines: { M: { TestCases: { T: { S: { '0': { Return: 1 } } } } } } }, /TestCases\.T\.S must be the name of a mocked response \(a string\), not an object/);
  rejects({ StateMachines: { M: { TestCase: {} } } }, /StateMachines\.M\.TestCase: unknown field; .*did you mean "TestCases"/);
  rejects({ StateMachines: { M: {} } }, /StateMachines\.M\.TestCases must be an object .* not missing/);
  rejects({ StateMachines: { 'my machine': { TestCases: { 'case 1': [] } } } }, /StateMachines\["my machine"\]\.TestCases\["case 1"\] must be an object/);
});

test('a test case is checked against the definition it runs: unknown states and non-Task states are refused', () => {
  const config = parseMockConfig(
    {
      StateMachines: { M: { TestCases: { Typo: { LambaState: 'R' }, Pass: { Done: 'R' }, Nested: { Inner: 'R' } } } },
      MockedResponses: { R: { '0': { Return: 1 } } },
    },
    F,
  );
  assert.throws(() => checkTestCase(testCaseFor(config, 'M', 'Typo'), DEFINITION), /mocks\.json: StateMachines\.M\.TestCases\.Typo mocks the state "LambaState", which state machine M does not have \(its Task states: LambdaState, Inner, SQSState\)/);
  assert.throws(() => checkTestCase(testCaseFor(config, 'M', 'Pass'), DEFINITION), /mocks the state "Done", a Pass state: only Task states call services/);
  checkTestCase(testCaseFor(config, 'M', 'Nested'), DEFINITION);
  assert.throws(() => testCaseFor(config, 'Other', 'Typo'), /mocks\.json: StateMachines has no state machine named "Other" \(it has: M\)/);
  assert.throws(() => testCaseFor(config, 'M', 'Happy'), /StateMachines\.M\.TestCases has no test case "Happy" \(it has: Typo, Pass, Nested\)/);
});
