import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { LOCAL_LOCATION } from '../../../../src/core/arn.js';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { LambdaFunctions, LambdaIntegration } from '../../../../src/integrations/lambda.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';
import { Store } from '../../../../src/store/index.js';
import { LocalStepFunctions } from '../../../../src/engine/step-functions/service.js';
import { ROLE, tempHome } from '../../../support/step-functions.js';

const call = (who: string): JsonObject => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'work', Payload: { 'who.$': who } },
  ResultSelector: { 'who.$': '$.Payload' },
});

const DEFINITION = JSON.stringify({
  StartAt: 'Par',
  States: {
    Par: {
      Type: 'Parallel',
      ResultPath: '$.par',
      Next: 'Fan',
      Branches: [
        { StartAt: 'A', States: { A: { ...call("States.Format('a')"), End: true } } },
        { StartAt: 'B', States: { B: { ...call("States.Format('b')"), End: true } } },
      ],
    },
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      ResultPath: '$.fan',
      ItemProcessor: { StartAt: 'M', States: { M: { ...call("States.Format('m{}', $$.Map.Item.Value)"), End: true } } },
      Next: 'Done',
    },
    Done: { Type: 'Pass', Parameters: { 'par.$': '$.par', 'fan.$': '$.fan', 'redriveCount.$': '$$.Execution.RedriveCount' }, End: true },
  },
});

function service(home: string, broken: Set<string>, calls: Map<string, number>) {
  const store = Store.open(home);
  const lambda = new LambdaFunctions();
  lambda.register('work', (event: Json) => {
    const who = String((event as JsonObject)['who']);
    calls.set(who, (calls.get(who) ?? 0) + 1);
    if (broken.has(who)) throw new Error(`${who} is broken`);
    return who;
  });
  const tasks = new IntegrationRegistry().add(new LambdaIntegration(lambda));
  const sfn = new LocalStepFunctions({ store, location: LOCAL_LOCATION, tasks }, { pollMs: 20 });
  return { sfn, close: async () => (await sfn.close(), store.close()) };
}

test('RedriveExecution re-runs only what failed: the failed Parallel branch, then only the failed Map iteration; RedriveCount counts', async () => {
  const home = tempHome();
  const broken = new Set(['b', 'm1']);
  const calls = new Map<string, number>();
  const { sfn, close } = service(home, broken, calls);
  try {
    const { stateMachineArn } = sfn.createStateMachine({ name: 'redrive', definition: DEFINITION, roleArn: ROLE });
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: 'r1', input: '{"items":[0,1,2]}' });
    assert.equal((await sfn.result(executionArn!)).status, 'FAILED');
    assert.equal(sfn.describeExecution({ executionArn }).redriveStatus, 'REDRIVABLE');
    assert.throws(() => sfn.redriveExecution({ executionArn: executionArn!.replace('r1', 'nope') }), { name: 'ExecutionDoesNotExist' });

    broken.delete('b');
    const { redriveDate } = sfn.redriveExecution({ executionArn });
    assert.ok(redriveDate instanceof Date);
    assert.equal((await sfn.result(executionArn!)).status, 'FAILED', 'm1 still fails');
    broken.delete('m1');
    sfn.redriveExecution({ executionArn });
    const r = await sfn.result(executionArn!);
    assert.equal(r.status, 'SUCCEEDED');
    assert.deepEqual(r.output, { par: [{ who: 'a' }, { who: 'b' }], fan: [{ who: 'm0' }, { who: 'm1' }, { who: 'm2' }], redriveCount: 2 });
    // What succeeded never ran again.
    assert.deepEqual(Object.fromEntries(calls), { a: 1, b: 2, m0: 1, m1: 2, m2: 1 });

    const d = sfn.describeExecution({ executionArn });
    assert.equal(d.redriveCount, 2);
    assert.ok(d.redriveDate instanceof Date);
    assert.equal(d.redriveStatus, 'NOT_REDRIVABLE');
    assert.equal(d.redriveStatusReason, 'Execution is SUCCEEDED and cannot be redriven');
    const listed = sfn.listExecutions({ stateMachineArn }).executions![0]!;
    assert.equal(listed.redriveCount, 2);
    assert.ok(listed.redriveDate instanceof Date);
    assert.throws(() => sfn.redriveExecution({ executionArn }), { name: 'ExecutionNotRedrivable', message: 'Execution is SUCCEEDED and cannot be redriven' });

    const events = sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events!;
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
    const redriven = events.filter((e) => e.type === 'ExecutionRedriven');
    assert.deepEqual(redriven.map((e) => e.executionRedrivenEventDetails), [{ redriveCount: 1 }, { redriveCount: 2 }]);
    // Each redrive follows the failure it continues.
    for (const e of redriven) assert.equal(events[e.id! - 2]!.type, 'ExecutionFailed');
    assert.equal(events.at(-1)!.type, 'ExecutionSucceeded');
    assert.equal(events.filter((e) => e.type === 'ExecutionStarted').length, 1);
    const succeededFor = (who: string) => events.filter((e) => e.type === 'TaskSucceeded' && JSON.parse(e.taskSucceededEventDetails!.output!).Payload === who).length;
    assert.deepEqual(['a', 'b', 'm0', 'm1', 'm2'].map(succeededFor), [1, 1, 1, 1, 1]);
  } finally {
    await close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('what states computed before a redrive keeps the redrive count of its time: a caught failure assigned RedriveCount 0, and a second redrive replays 1 where it was 1', async () => {
  const home = tempHome();
  const broken = new Set(['x', 'y', 'z']);
  const calls = new Map<string, number>();
  const { sfn, close } = service(home, broken, calls);
  const work = (who: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'work', Payload: { who } } });
  const definition = JSON.stringify({
    QueryLanguage: 'JSONata',
    StartAt: 'Try',
    States: {
      Try: { ...work('x'), Catch: [{ ErrorEquals: ['States.ALL'], Assign: { caughtAt: '{% $states.context.Execution.RedriveCount %}' }, Next: 'Second' }], Next: 'Second' },
      Second: { ...work('y'), Assign: { secondAt: '{% $states.context.Execution.RedriveCount %}' }, Next: 'Third' },
      Third: { ...work('z'), Output: '{% {"caughtAt": $caughtAt, "secondAt": $secondAt, "now": $states.context.Execution.RedriveCount} %}', End: true },
    },
  });
  try {
    const { stateMachineArn } = sfn.createStateMachine({ name: 'counts', definition, roleArn: ROLE });
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: 'c1', input: '{}' });
    assert.equal((await sfn.result(executionArn!)).status, 'FAILED', 'Second fails');
    broken.delete('y');
    sfn.redriveExecution({ executionArn });
    assert.equal((await sfn.result(executionArn!)).status, 'FAILED', 'Third fails');
    broken.delete('z');
    sfn.redriveExecution({ executionArn });
    const r = await sfn.result(executionArn!);
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(r.output, { caughtAt: 0, secondAt: 1, now: 2 });
  } finally {
    await close();
    rmSync(home, { recursive: true, force: true });
  }
});
