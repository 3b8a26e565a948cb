import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../../src/core/clock.js';
import { runExecution } from '../../../../src/asl/execution.js';
import { loadStateMachine } from '../../../../src/asl/machine.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';
import { eventMatches, formatDuration, readExecution, sagemakerJob, type WireEvent } from '../../../../src/console/model/state-runs.js';

const DEF = {
  StartAt: 'Items',
  States: {
    Items: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', End: true } } }, ResultPath: '$.doubled', Next: 'Try' },
    Try: {
      Type: 'Task',
      Resource: 'arn:aws:states:::nosuchservice:doThing',
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle', ResultPath: '$.err' }],
      Next: 'Done',
    },
    Handle: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Boom' }], Default: 'Done' },
    Boom: { Type: 'Fail', Error: 'Custom.Boom', Cause: 'it broke' },
    Done: { Type: 'Succeed' },
  },
};

async function history(input: unknown): Promise<WireEvent[]> {
  const r = await runExecution(loadStateMachine(DEF), input as never, { tasks: new IntegrationRegistry(), clock: new VirtualClock(Date.parse('2026-01-01T00:00:00Z')), name: 'x' });
  // As the JSON protocol sends them: timestamps in epoch seconds.
  return r.history.map((e) => ({ ...e, timestamp: e.timestamp / 1000 }) as WireEvent);
}

test('each state gets the Step Functions console status: succeeded, caught error with its retries, failed, not run', async () => {
  const view = readExecution(await history({ items: [1, 2, 3], fail: true }));
  assert.equal(view.states.get('Items')?.status, 'Succeeded');
  assert.equal(view.states.get('Double')?.entries.length, 3, 'one entry per Map iteration');
  assert.equal(view.states.get('Double')?.status, 'Succeeded');
  const tried = view.states.get('Try')!;
  assert.equal(tried.status, 'CaughtError');
  assert.equal(tried.entries[0]!.retries, 2);
  assert.equal(tried.entries[0]!.error, 'States.TaskFailed');
  assert.match(tried.entries[0]!.cause ?? '', /nosuchservice/);
  assert.equal(view.states.get('Handle')?.status, 'Succeeded');
  const boom = view.states.get('Boom')!;
  assert.equal(boom.status, 'Failed');
  assert.equal(boom.entries[0]!.error, 'Custom.Boom');
  assert.equal(boom.entries[0]!.cause, 'it broke');
  assert.equal(view.states.has('Done'), false, 'Done did not run');
  assert.equal(view.end?.type, 'ExecutionFailed');
  // 2 s of retry backoff on the virtual clock (1 s, then 2 s... capped by MaxAttempts 2: 1 + 2).
  const t = tried.entries[0]!;
  assert.equal(t.exitedAt! - t.enteredAt, 3000);
});

test('a running execution: the state being run is in progress; a stopped one is cancelled', async () => {
  const events = await history({ items: [1], fail: false });
  const cut = events.findIndex((e) => e.type === 'TaskScheduled');
  const running = readExecution(events.slice(0, cut + 1));
  assert.equal(running.states.get('Try')?.status, 'InProgress');
  assert.equal(running.end, undefined);
  const aborted = readExecution([...events.slice(0, cut + 1), { id: 999, previousEventId: events[cut]!.id, type: 'ExecutionAborted', timestamp: events[cut]!.timestamp }]);
  assert.equal(aborted.states.get('Try')?.status, 'Cancelled');
  const succeeded = readExecution(events);
  assert.equal(succeeded.states.get('Done')?.status, 'Succeeded');
  assert.equal(succeeded.end?.type, 'ExecutionSucceeded');
});

test('the event filters of the console: state transitions, tasks, failures, text', async () => {
  const events = await history({ items: [1], fail: true });
  const types = (f: Parameters<typeof eventMatches>[1], text = '') => events.filter((e) => eventMatches(e, f, text)).map((e) => e.type);
  assert.ok(types('state').every((t) => /State(Entered|Exited)$/.test(t)));
  assert.deepEqual([...new Set(types('task'))].sort(), ['TaskFailed', 'TaskScheduled', 'TaskStarted'].filter((t) => events.some((e) => e.type === t)).sort());
  assert.ok(types('failures').includes('ExecutionFailed'));
  assert.ok(types('failures').every((t) => /(Failed|TimedOut|Aborted)$/.test(t)));
  assert.deepEqual([...new Set(types('all', 'boom'))], ['FailStateEntered']);
});

test('a SageMaker task names its job; durations read as people write them', () => {
  const entry = { enteredEventId: 1, enteredAt: 0, status: 'Succeeded' as const, retries: 0, resourceType: 'sagemaker', resource: 'createTrainingJob.sync', parameters: '{"TrainingJobName":"census-train-1"}' };
  assert.deepEqual(sagemakerJob(entry), { kind: 'TrainingJob', name: 'census-train-1' });
  assert.equal(sagemakerJob({ ...entry, resourceType: 'lambda', resource: 'invoke' }), undefined);
  assert.equal(sagemakerJob({ ...entry, parameters: 'not json' }), undefined);
  assert.equal(formatDuration(450), '450 ms');
  assert.equal(formatDuration(4_500), '4.5 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(3_900_000), '1 h 5 min');
});
