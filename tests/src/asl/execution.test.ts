import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock.js';
import type { Json } from '../../../src/core/json.js';
import { LambdaFunctions, LambdaIntegration, type LambdaHandler } from '../../../src/integrations/lambda.js';
import { IntegrationRegistry } from '../../../src/integrations/registry.js';
import { runExecution, type ExecutionOptions } from '../../../src/asl/execution.js';
import { InvalidDefinitionError, loadStateMachine } from '../../../src/asl/machine.js';

function tasksWith(fns: Record<string, LambdaHandler>): IntegrationRegistry {
  const f = new LambdaFunctions();
  for (const [k, v] of Object.entries(fns)) f.register(k, v);
  return new IntegrationRegistry().add(new LambdaIntegration(f));
}

async function run(definition: unknown, input: Json = {}, opts: Partial<ExecutionOptions> = {}) {
  return runExecution(loadStateMachine(definition), input, { tasks: tasksWith({}), clock: new VirtualClock(), ...opts });
}

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;

test('a Choice + Pass loop with States.MathAdd counts to its limit', async () => {
  const r = await run({
    StartAt: 'Check',
    States: {
      Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 50, Next: 'Done' }], Default: 'Inc' },
      Inc: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Check' },
      Done: { Type: 'Succeed' },
    },
  }, { n: 0 }, { type: 'EXPRESS' });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { n: 50 });
  assert.equal(r.history.length, 0, 'EXPRESS executions keep no history');
});

test('a runaway loop fails at AWS history limit with ExecutionFailed as event 25,000', async () => {
  const r = await run({
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Next: 'B' },
      B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' },
      Done: { Type: 'Succeed' },
    },
  });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.Runtime');
  assert.equal(r.cause, 'The execution reached the maximum number of history events (25000).');
  assert.equal(r.history.length, 25_000);
  assert.equal(r.history.at(-1)!.type, 'ExecutionFailed');
});

test('previousEventId chains every event of a simple run', async () => {
  const r = await run({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } });
  assert.deepEqual(
    r.history.map((e) => [e.id, e.previousEventId, e.type]),
    [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'SucceedStateEntered'],
      [5, 4, 'SucceedStateExited'],
      [6, 5, 'ExecutionSucceeded'],
    ],
  );
});

test('an inline Map never runs more than 40 iterations at once, even when MaxConcurrency is 0', async () => {
  let running = 0;
  let peak = 0;
  const clock = new VirtualClock();
  const tasks = tasksWith({
    slow: async (e) => {
      running++;
      peak = Math.max(peak, running);
      await clock.sleep(10);
      running--;
      return e;
    },
  });
  const items = Array.from({ length: 200 }, (_, i) => i);
  const r = await run(
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 0,
          ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('slow'), End: true } } },
          End: true,
        },
      },
    },
    items,
    { tasks, clock, type: 'EXPRESS' },
  );
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, items);
  assert.equal(peak, 40);
});

test('Task TimeoutSeconds beats a slower handler on virtual time and fails with States.Timeout', async () => {
  const clock = new VirtualClock();
  const tasks = tasksWith({
    sleepy: async (e, ctx) => {
      await clock.sleep(60_000, ctx.signal);
      return e;
    },
  });
  const started = clock.now();
  const r = await run(
    { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('sleepy'), TimeoutSeconds: 5, End: true } } },
    {},
    { tasks, clock },
  );
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.Timeout');
  assert.equal(r.stopDate - started, 5_000, 'virtual time advanced exactly to the timeout');
  assert.ok(r.history.some((e) => e.type === 'LambdaFunctionTimedOut'));
});

test('Retry re-runs a failing task MaxAttempts times with backoff, then Catch takes over', async () => {
  let calls = 0;
  const clock = new VirtualClock();
  const tasks = tasksWith({
    flaky: () => {
      calls++;
      throw new Error('boom');
    },
  });
  const started = clock.now();
  const r = await run(
    {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fnArn('flaky'),
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 3 }],
          Catch: [{ ErrorEquals: ['Error'], ResultPath: '$.err', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    { a: 1 },
    { tasks, clock },
  );
  assert.equal(calls, 4);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal((r.output as { err: { Error: string } }).err.Error, 'Error');
  assert.equal(r.stopDate - started, (2 + 6 + 18) * 1000);
});

test('a task result over 256 KiB fails with States.DataLimitExceeded, which Catch can take', async () => {
  const tasks = tasksWith({ big: () => 'x'.repeat(262_145) });
  const r = await run(
    {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'big' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
        C: { Type: 'Pass', End: true },
      },
    },
    {},
    { tasks },
  );
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal((r.output as { Error: string }).Error, 'States.DataLimitExceeded');
});

test('waitForTaskToken pauses until SendTaskSuccess, and a token completes only once', async () => {
  const tasks = tasksWith({ notify: () => null });
  const p = runExecution(
    loadStateMachine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    }),
    {},
    { tasks, clock: new VirtualClock() },
  );
  let token: string | undefined;
  for (let i = 0; i < 100 && !token; i++) {
    await new Promise((r) => setImmediate(r));
    token = tasks.tokens.pending()[0];
  }
  assert.ok(token, 'the task registered its token');
  tasks.tokens.sendTaskSuccess(token, { approved: true });
  const r = await p;
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { approved: true });
  // AWS records the accepted request as TaskSubmitted (with the service's response) before the outcome.
  assert.deepEqual(
    r.history.map((e) => [e.id, e.previousEventId, e.type]),
    [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskSubmitted'],
      [6, 5, 'TaskSucceeded'],
      [7, 6, 'TaskStateExited'],
      [8, 7, 'ExecutionSucceeded'],
    ],
  );
  const submitted = r.history[4]!['taskSubmittedEventDetails'] as { output: string; resource: string; resourceType: string };
  assert.equal(submitted.resource, 'invoke.waitForTaskToken');
  assert.equal(submitted.resourceType, 'lambda');
  assert.equal((JSON.parse(submitted.output) as { StatusCode: number }).StatusCode, 200);
  assert.throws(() => tasks.tokens.sendTaskSuccess(token!, {}), { name: 'TaskTimedOut' });
  assert.throws(() => tasks.tokens.sendTaskSuccess('not-a-token', {}), { name: 'InvalidToken' });
});

test('execution TimeoutSeconds ends a long Wait as TIMED_OUT', async () => {
  const r = await run({ TimeoutSeconds: 3, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } });
  assert.equal(r.status, 'TIMED_OUT');
  assert.equal(r.history.at(-1)!.type, 'ExecutionTimedOut');
});

test('a task on a service nobody emulates fails when it runs, naming the resource', async () => {
  const r = await run({ StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } } });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.TaskFailed');
  assert.match(r.cause!, /arn:aws:states:::sqs:sendMessage/);
});

test('a definition AWS would reject is refused before running, naming the state and field', () => {
  assert.throws(
    () => loadStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } }),
    (e: unknown) => e instanceof InvalidDefinitionError && /Missing/.test(e.message) && /\/States\/A/.test(e.message),
  );
});

test('Parallel branches read outer variables but cannot change them', async () => {
  const r = await run({
    StartAt: 'Set',
    States: {
      Set: { Type: 'Pass', Assign: { x: 1 }, Next: 'P' },
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'B1', States: { B1: { Type: 'Pass', Parameters: { 'seen.$': '$x' }, Assign: { x: 2 }, End: true } } },
        ],
        Next: 'After',
      },
      After: { Type: 'Pass', Parameters: { 'branches.$': '$', 'x.$': '$x' }, End: true },
    },
  });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { branches: [{ seen: 1 }], x: 1 });
});

test('a runaway JSONata expression fails the state with States.QueryEvaluationError, not the process', async () => {
  const r = await run({
    QueryLanguage: 'JSONata',
    StartAt: 'P',
    States: { P: { Type: 'Pass', Output: '{% ($f := function($x){ $f($x + 1) }; $f(1)) %}', End: true } },
  });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.QueryEvaluationError');
});

test('$$.Execution carries RedriveCount where AWS writes it, and RedriveTime only once redriven', async () => {
  const def = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'e.$': '$$.Execution' }, OutputPath: '$.e', End: true } } };
  const execution = async (opts: Partial<ExecutionOptions>) => (await run(def, {}, opts)).output as Record<string, unknown>;
  assert.equal((await execution({})).RedriveCount, 0);
  assert.equal('RedriveTime' in (await execution({})), false);
  assert.equal((await execution({ type: 'EXPRESS' })).RedriveCount, 0, 'an asynchronous EXPRESS start has the counter');
  assert.equal('RedriveCount' in (await execution({ type: 'EXPRESS', sync: true })), false, 'StartSyncExecution has none');
  const redriven = await execution({ redrive: { count: 2, time: Date.parse('2026-01-02T03:04:05.006Z') } });
  assert.equal(redriven.RedriveCount, 2);
  assert.equal(redriven.RedriveTime, '2026-01-02T03:04:05.006Z');
});

test('ExecutionStarted names the version or alias an execution was started through', async () => {
  const def = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  const plain = await run(def, { a: 1 });
  assert.deepEqual(Object.keys(plain.history[0]!['executionStartedEventDetails'] as object).sort(), ['input', 'inputDetails', 'roleArn']);
  const version = 'arn:aws:states:us-east-1:111111111111:stateMachine:m:3';
  const alias = 'arn:aws:states:us-east-1:111111111111:stateMachine:m:prod';
  const viaAlias = await run(def, { a: 1 }, { stateMachineVersionArn: version, stateMachineAliasArn: alias });
  const d = viaAlias.history[0]!['executionStartedEventDetails'] as Record<string, unknown>;
  assert.equal(d['stateMachineVersionArn'], version);
  assert.equal(d['stateMachineAliasArn'], alias);
  assert.equal(d['input'], '{"a":1}');
});
