import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RealClock, VirtualClock, type Clock } from '../../../src/core/clock.js';
import type { Json, JsonObject } from '../../../src/core/json.js';
import { runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import type { TaskInvoker } from '../../../src/asl/task-invoker.js';

const DAY_S = 86_400;

/** A task that works for `Parameters.days` days of the execution's clock (forever when absent). */
function slowTasks(clock: Clock): TaskInvoker {
  return {
    describe: () => ({ resourceType: 'lambda', resource: 'invoke', eventStyle: 'task', waitForTaskToken: false }),
    invoke: async (req) => {
      const days = (req.parameters as JsonObject)['days'];
      if (typeof days !== 'number') return new Promise<Json>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)));
      await clock.sleep(days * DAY_S * 1000, req.signal);
      return { worked: days };
    },
  };
}

function task(params: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: params, End: true, ...extra } } };
}

async function run(definition: JsonObject, clock: Clock = new VirtualClock(0), signal?: AbortSignal) {
  return runExecution(loadStateMachine(definition), {}, { tasks: slowTasks(clock), clock, ...(signal ? { signal } : {}) });
}

const days = (from: number, to: number) => (to - from) / (DAY_S * 1000);

test('a year-long Wait waits a year of virtual time', async () => {
  const r = await run({ StartAt: 'Year', States: { Year: { Type: 'Wait', Seconds: 365 * DAY_S, End: true } } });
  assert.equal(r.status, 'SUCCEEDED');
  const entered = r.history.find((e) => e.type === 'WaitStateEntered')!;
  const exited = r.history.find((e) => e.type === 'WaitStateExited')!;
  assert.equal(days(entered.timestamp, exited.timestamp), 365);
});

test('a 30-day task timeout fires after 30 days, and not before a 29-day task ends', async () => {
  const timedOut = await run(task({}, { TimeoutSeconds: 30 * DAY_S }));
  assert.equal(timedOut.status, 'FAILED');
  assert.equal(timedOut.error, 'States.Timeout');
  assert.equal(days(timedOut.startDate, timedOut.stopDate), 30);

  const finished = await run(task({ days: 29 }, { TimeoutSeconds: 30 * DAY_S }));
  assert.equal(finished.status, 'SUCCEEDED');
  assert.deepEqual(finished.output, { worked: 29 });
});

test('a 720-hour heartbeat lets a 29-day task end, and times out a silent 31-day one', async () => {
  const ok = await run(task({ days: 29 }, { HeartbeatSeconds: 720 * 3600, TimeoutSeconds: 40 * DAY_S }));
  assert.equal(ok.status, 'SUCCEEDED');
  const silent = await run(task({ days: 31 }, { HeartbeatSeconds: 720 * 3600, TimeoutSeconds: 40 * DAY_S }));
  assert.equal(silent.error, 'States.HeartbeatTimeout');
  assert.equal(days(silent.startDate, silent.stopDate), 30);
});

test('on the real clock a 30-day Wait is still waiting when the execution is stopped', { timeout: 10_000 }, async () => {
  const stop = new AbortController();
  setTimeout(() => stop.abort({ error: 'Stopped', cause: 'test over' }), 300);
  const r = await run({ StartAt: 'Month', States: { Month: { Type: 'Wait', Seconds: 30 * DAY_S, End: true } } }, new RealClock(), stop.signal);
  assert.equal(r.status, 'ABORTED');
});
