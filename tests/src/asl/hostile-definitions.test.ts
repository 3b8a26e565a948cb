import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/core/clock.js';
import type { JsonObject } from '../../../src/core/json.js';
import { StatesError } from '../../../src/asl/errors.js';
import { runExecution } from '../../../src/asl/execution.js';
import { InvalidDefinitionError, loadStateMachine } from '../../../src/asl/machine.js';
import type { TaskInvoker } from '../../../src/asl/task-invoker.js';

const alwaysFails: TaskInvoker = {
  describe: () => ({ resourceType: 'lambda', resource: 'invoke', eventStyle: 'task', waitForTaskToken: false }),
  invoke: async () => {
    throw new StatesError('Boom', 'it always fails');
  },
};

function retrying(retrier: JsonObject): JsonObject {
  return {
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Retry: [{ ErrorEquals: ['States.ALL'], ...retrier }], End: true } },
  };
}

function refusal(definition: unknown): string {
  try {
    loadStateMachine(definition);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) return e.message;
    throw e;
  }
  throw new Error('the definition was accepted');
}

test('a huge BackoffRate with AWS largest MaxAttempts ends with AWS errors, not an engine crash', { timeout: 60_000 }, async () => {
  const machine = loadStateMachine(retrying({ IntervalSeconds: 1, MaxAttempts: 99_999_999, BackoffRate: 1e300 }));
  const standard = await runExecution(machine, {}, { tasks: alwaysFails, clock: new VirtualClock(0) });
  assert.equal(standard.status, 'FAILED');
  assert.equal(standard.error, 'States.Runtime');
  assert.match(standard.cause!, /maximum number of history events \(25000\)/);
  const express = await runExecution(machine, {}, { tasks: alwaysFails, clock: new VirtualClock(0), type: 'EXPRESS' });
  assert.equal(express.status, 'TIMED_OUT');
  assert.equal(express.error, 'States.Timeout');
});

test('retrier values past AWS bounds are refused with AWS schema messages', () => {
  assert.match(refusal(retrying({ IntervalSeconds: 100_000_000 })), /Maximum value is 99999999 at \/States\/T\/Retry\[0\]\/IntervalSeconds/);
  assert.match(refusal(retrying({ MaxAttempts: 100_000_000 })), /Maximum value is 99999999 at \/States\/T\/Retry\[0\]\/MaxAttempts/);
  assert.match(refusal(retrying({ MaxDelaySeconds: 31_622_402 })), /Maximum value is 31622401 at \/States\/T\/Retry\[0\]\/MaxDelaySeconds/);
  assert.doesNotThrow(() => loadStateMachine(retrying({ IntervalSeconds: 99_999_999, MaxAttempts: 99_999_999, MaxDelaySeconds: 31_622_401, BackoffRate: 1e308 })));
});

const deepObject = (n: number, leaf: string) => '{"a":'.repeat(n) + leaf + '}'.repeat(n);

test('definitions nested thousands deep are refused at validation, as text or parsed', () => {
  for (const [field, leaf] of [['Parameters', '1'], ['Result', '1'], ['ResultSelector', '1']] as const) {
    const text = `{"StartAt":"P","States":{"P":{"Type":"Pass","${field}":${deepObject(20_000, leaf)},"End":true}}}`;
    assert.match(refusal(text), /TOO_DEEPLY_NESTED: The definition nests objects and arrays more than 1000 levels deep/, field);
    assert.match(refusal(JSON.parse(text)), /TOO_DEEPLY_NESTED/, field);
  }
  const jsonata = `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":${deepObject(20_000, '"{% 1 %}"')},"End":true}}}`;
  assert.match(refusal(jsonata), /TOO_DEEPLY_NESTED/);
  let parallel = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}';
  let map = parallel;
  for (let i = 0; i < 5000; i++) {
    parallel = `{"StartAt":"P${i}","States":{"P${i}":{"Type":"Parallel","Branches":[${parallel}],"End":true}}}`;
    map = `{"StartAt":"M${i}","States":{"M${i}":{"Type":"Map","ItemProcessor":${map},"End":true}}}`;
  }
  assert.match(refusal(parallel), /TOO_DEEPLY_NESTED/);
  assert.match(refusal(map), /TOO_DEEPLY_NESTED/);
});

test('data nested thousands deep made at run time fails the state with States.DataLimitExceeded', async () => {
  const machine = loadStateMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.s)' }, End: true } } });
  const r = await runExecution(machine, { s: '['.repeat(50_000) + ']'.repeat(50_000) }, { tasks: alwaysFails, clock: new VirtualClock(0) });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.DataLimitExceeded');
  assert.match(r.cause!, /nested more than 1000 levels deep/);
});
