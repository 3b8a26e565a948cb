import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../../src/core/clock.js';
import type { Json } from '../../../../src/core/json.js';
import { LambdaFunctions, LambdaIntegration } from '../../../../src/integrations/lambda.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';
import { runExecution } from '../../../../src/asl/execution.js';
import type { HistoryEvent } from '../../../../src/asl/history.js';
import { loadStateMachine } from '../../../../src/asl/machine.js';

/**
 * History threads when Map iterations and Parallel branches run at once (the rules recorded on AWS
 * for an inline Map whose tasks time out together): the first wave of MapIterationStarted comes
 * before any iteration runs, every TaskScheduled before the first TaskStarted, and a failure aborts
 * the siblings with <Type>StateAborted and MapIterationAborted chained to the failing event.
 */

const short = (h: HistoryEvent[]) => h.map((e) => `${e.id}:${e.type}<${e.previousEventId}`);

function lambdaTasks(clock: VirtualClock): IntegrationRegistry {
  const fns = new LambdaFunctions();
  // Item 0 fails after one second; the others would take a minute (they stop when aborted).
  fns.register('work', async (event, ctx) => {
    const item = (event as { item: number }).item;
    await clock.sleep(item === 0 ? 1000 : 60_000, ctx.signal);
    if (item === 0) throw new Error('item 0 is broken');
    return event;
  });
  return new IntegrationRegistry().add(new LambdaIntegration(fns));
}

test('an inline Map: the wave starts together, and the first failure aborts the other iterations', async () => {
  const clock = new VirtualClock();
  const machine = loadStateMachine({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'item.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          StartAt: 'T',
          States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work', 'Payload.$': '$' }, End: true } },
        },
        End: true,
      },
    },
  });
  const r = await runExecution(machine, { items: [0, 1, 2] }, { tasks: lambdaTasks(clock), clock });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'Error');
  assert.deepEqual(short(r.history), [
    '1:ExecutionStarted<0',
    '2:MapStateEntered<0',
    '3:MapStateStarted<2',
    '4:MapIterationStarted<3',
    '5:MapIterationStarted<3',
    '6:MapIterationStarted<3',
    '7:TaskStateEntered<4',
    '8:TaskScheduled<7',
    '9:TaskStateEntered<5',
    '10:TaskScheduled<9',
    '11:TaskStateEntered<6',
    '12:TaskScheduled<11',
    '13:TaskStarted<8',
    '14:TaskStarted<10',
    '15:TaskStarted<12',
    '16:TaskFailed<13',
    '17:MapIterationFailed<16',
    '18:TaskStateAborted<16',
    '19:MapIterationAborted<16',
    '20:TaskStateAborted<16',
    '21:MapIterationAborted<16',
    '22:TaskStateAborted<16',
    '23:MapStateFailed<16',
    '24:ExecutionFailed<23',
  ]);
});

test('MaxConcurrency 1 keeps iterations in sequence, each chained to the end of the one before', async () => {
  const machine = loadStateMachine({
    StartAt: 'M',
    States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
  });
  const r = await runExecution(machine, [1, 2] as Json, { tasks: new IntegrationRegistry(), clock: new VirtualClock() });
  assert.deepEqual(short(r.history), [
    '1:ExecutionStarted<0',
    '2:MapStateEntered<0',
    '3:MapStateStarted<2',
    '4:MapIterationStarted<3',
    '5:PassStateEntered<4',
    '6:PassStateExited<5',
    '7:MapIterationSucceeded<6',
    '8:MapIterationStarted<6',
    '9:PassStateEntered<8',
    '10:PassStateExited<9',
    '11:MapIterationSucceeded<10',
    '12:MapStateSucceeded<11',
    '13:MapStateExited<11',
    '14:ExecutionSucceeded<13',
  ]);
});

test('a Parallel branch that fails aborts a sibling waiting in a Wait state, which runs no further', async () => {
  const machine = loadStateMachine({
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Short', States: { Short: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom', Cause: 'failed on purpose' } } },
          { StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 100, Next: 'After' }, After: { Type: 'Pass', End: true } } },
        ],
        End: true,
      },
    },
  });
  const clock = new VirtualClock();
  const t0 = clock.now();
  const r = await runExecution(machine, {}, { tasks: new IntegrationRegistry(), clock });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'Boom');
  assert.ok(clock.now() - t0 < 100_000, 'the long Wait was cut short');
  assert.deepEqual(short(r.history), [
    '1:ExecutionStarted<0',
    '2:ParallelStateEntered<0',
    '3:ParallelStateStarted<2',
    '4:WaitStateEntered<3',
    '5:WaitStateEntered<3',
    '6:WaitStateExited<4',
    '7:FailStateEntered<6',
    '8:WaitStateAborted<7',
    '9:ParallelStateFailed<7',
    '10:ExecutionFailed<9',
  ]);
});

test('an aborted branch does not retry or catch: its Catch would otherwise keep it running', async () => {
  const machine = loadStateMachine({
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } },
          {
            StartAt: 'Inner',
            States: {
              Inner: {
                Type: 'Parallel',
                Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 50, End: true } } }],
                Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5 }],
                Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
                End: true,
              },
              Caught: { Type: 'Pass', End: true },
            },
          },
        ],
        End: true,
      },
    },
  });
  const r = await runExecution(machine, {}, { tasks: new IntegrationRegistry(), clock: new VirtualClock() });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'Boom');
  assert.equal(r.history.filter((e) => e.type === 'PassStateEntered').length, 0, 'the Catch of an aborted branch did not run');
});
