/**
 * What a Task's failure is: an integration's task error (a StatesError with AWS's name) is the
 * task's failure, which Retry and Catch handle; anything else an integration throws is a bug in it,
 * States.Runtime, which they must not handle (the ASL: "States.Runtime ... is never retried";
 * States.ALL does not match it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../../src/core/clock.js';
import type { Json } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import { runExecution } from '../../../../src/asl/execution.js';
import { loadStateMachine } from '../../../../src/asl/machine.js';
import type { TaskInvoker } from '../../../../src/asl/task-invoker.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';

/** A task invoker whose every call fails as `fail` says, counting the calls. */
function failingTasks(fail: () => never): TaskInvoker & { calls: number } {
  const registry = new IntegrationRegistry();
  const t = {
    calls: 0,
    describe: (resource: string) => registry.describe(resource),
    invoke: async (): Promise<Json> => {
      t.calls++;
      fail();
    },
  };
  return t;
}

const guarded = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f', Payload: {} },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Pass', Result: 'caught', End: true },
  },
};

test('an integration that throws a plain JS error fails the execution with States.Runtime: not retried, not caught', async () => {
  const tasks = failingTasks(() => {
    throw new TypeError("Cannot read properties of undefined (reading 'TrainingJobName')");
  });
  const r = await runExecution(loadStateMachine(guarded), {}, { tasks, clock: new VirtualClock() });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.Runtime');
  assert.equal(
    r.cause,
    "An error occurred while executing the state 'Call' (entered at the event id #2). Internal error in the local engine: Cannot read properties of undefined (reading 'TrainingJobName')",
  );
  assert.equal(tasks.calls, 1, 'no retry');
  assert.ok(!r.history.some((e) => e.type === 'PassStateEntered'), 'the Catch did not take it');
  // As for AWS's runtime errors in a task: no TaskFailed event, the execution fails.
  assert.deepEqual(
    r.history.map((e) => e.type),
    ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionFailed'],
  );
});

test("an integration's task error is the task's failure: retried, then caught", async () => {
  const tasks = failingTasks(() => {
    throw new StatesError('Lambda.ServiceException', 'Lambda is unavailable');
  });
  const r = await runExecution(loadStateMachine(guarded), {}, { tasks, clock: new VirtualClock() });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output, 'caught');
  assert.equal(tasks.calls, 4, 'the first call and three retries');
  assert.equal(r.history.filter((e) => e.type === 'TaskFailed').length, 4);
});
