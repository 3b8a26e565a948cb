import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../../src/core/clock.js';
import type { Json } from '../../../../src/core/json.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';
import { runExecution } from '../../../../src/asl/execution.js';
import { loadStateMachine } from '../../../../src/asl/machine.js';

/*
 * What a user sees when an intrinsic gets a bad argument in a running state machine: as on AWS,
 * the execution fails with States.Runtime, whose cause carries AWS's state prefix and
 * "Invalid arguments in <function>". States.Runtime is not retriable and no Catch takes it, not
 * even one on States.ALL or on the ASL specification's States.IntrinsicFailure.
 */

const PICK = { Type: 'Pass', Parameters: { 'item.$': 'States.ArrayGetItem($.items, $.index)' }, End: true };

/** The Pass state, alone or as the only branch of a Parallel state with a Catch. */
function machine(catchOn?: string[]): unknown {
  if (catchOn === undefined) return { StartAt: 'Pick', States: { Pick: PICK } };
  return {
    StartAt: 'Guard',
    States: {
      Guard: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'Pick', States: { Pick: PICK } }],
        Catch: [{ ErrorEquals: catchOn, ResultPath: '$.err', Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    },
  };
}

async function run(definition: unknown, input: Json) {
  return runExecution(loadStateMachine(definition), input, { tasks: new IntegrationRegistry(), clock: new VirtualClock() });
}

test('an out-of-range ArrayGetItem index fails the execution with States.Runtime', async () => {
  const r = await run(machine(), { items: [1, 2], index: 5 });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.Runtime');
  assert.equal(
    r.cause,
    "An error occurred while executing the state 'Pick' (entered at the event id #2). " +
      'Invalid arguments in States.ArrayGetItem: the index 5 is out of bounds for an array of 2 items.',
  );
  assert.deepEqual(r.history.map((e) => e.type), ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
});

test('a wrong argument type fails the execution the same way', async () => {
  const r = await run(machine(), { items: 'not an array', index: 0 });
  assert.equal(r.error, 'States.Runtime');
  assert.equal(
    r.cause,
    "An error occurred while executing the state 'Pick' (entered at the event id #2). " +
      'Invalid arguments in States.ArrayGetItem: the first argument must be an array, but was string "not an array".',
  );
});

for (const catchOn of [['States.ALL'], ['States.Runtime'], ['States.IntrinsicFailure']]) {
  test(`a Catch on ${catchOn[0]} around the state does not take the failure`, async () => {
    const r = await run(machine(catchOn), { items: [1, 2], index: 5 });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.Runtime');
    assert.match(r.cause ?? '', /^An error occurred while executing the state 'Pick' \(entered at the event id #4\)\. Invalid arguments in States\.ArrayGetItem: /);
    assert.ok(!r.history.some((e) => e.type === 'ParallelStateExited'), 'the Catch must not route to Handled');
  });
}
