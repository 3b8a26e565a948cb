/**
 * Activities through the AWS SDK v3 client: the activity actions, and a Task state whose Resource is
 * an activity ARN, worked by a worker that polls GetActivityTask and answers with SendTask*; the
 * history records the Activity* events as AWS writes them (LocalStack's AWS-validated snapshots).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ActivityDoesNotExist,
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidName,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { apiHarness, clientConfig, eventually, ROLE } from '../../support/local-api.js';

const activityTask = (arn: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ StartAt: 'ActivityTask', States: { ActivityTask: { Type: 'Task', Resource: arn, ...extra, End: true } } });

async function finished(sfn: SFNClient, executionArn: string) {
  return eventually(
    'the execution to end',
    async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    },
    20_000,
  );
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
}

/** The events from ActivityScheduled on, without ids and timestamps. */
function activityEvents(events: HistoryEvent[]): unknown[] {
  return events
    .filter((e) => e.type!.startsWith('Activity') || e.type === 'ExecutionFailed' || e.type === 'ExecutionSucceeded')
    .map(({ timestamp: _t, id: _i, previousEventId: _p, ...rest }) => rest);
}

test('activity actions: create (idempotent, with tags), describe, list, delete, and AWS errors', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const created = await sfn.send(new CreateActivityCommand({ name: 'train-worker', tags: [{ key: 'team', value: 'ml' }] }));
    assert.equal(created.activityArn, 'arn:aws:states:us-east-1:111111111111:activity:train-worker');
    assert.ok(created.creationDate instanceof Date);
    const again = await sfn.send(new CreateActivityCommand({ name: 'train-worker' }));
    assert.equal(again.creationDate!.getTime(), created.creationDate!.getTime());
    const d = await sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    assert.deepEqual(
      { arn: d.activityArn, name: d.name, enc: d.encryptionConfiguration, date: d.creationDate!.getTime() },
      { arn: created.activityArn, name: 'train-worker', enc: { type: 'AWS_OWNED_KEY' }, date: created.creationDate!.getTime() },
    );
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: created.activityArn }))).tags, [{ key: 'team', value: 'ml' }]);
    await sfn.send(new CreateActivityCommand({ name: 'second' }));
    assert.deepEqual((await sfn.send(new ListActivitiesCommand({}))).activities!.map((a) => a.name), ['train-worker', 'second']);

    await assert.rejects(sfn.send(new CreateActivityCommand({ name: 'activity name' })), (e: unknown) => e instanceof InvalidName && e.message === "Invalid Name: 'activity name'");
    await assert.rejects(
      sfn.send(new DescribeActivityCommand({ activityArn: 'no_an_activity_arn' })),
      (e: unknown) => e instanceof InvalidArn && e.message === "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'",
    );
    await assert.rejects(sfn.send(new GetActivityTaskCommand({ activityArn: 'no_an_activity_arn' })), InvalidArn);
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    for (const call of [new DescribeActivityCommand({ activityArn: created.activityArn }), new GetActivityTaskCommand({ activityArn: created.activityArn })]) {
      await assert.rejects(sfn.send(call as never), (e: unknown) => e instanceof ActivityDoesNotExist && e.message === `Activity Does Not Exist: '${created.activityArn!}'`);
    }
  } finally {
    await h.close();
  }
});

test('a worker polling GetActivityTask gets the task and answers it: ActivityScheduled, Started, Succeeded / Failed', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'worker' }));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'act', definition: activityTask(activityArn!), roleArn: ROLE }));

    // The worker polls first: the long poll answers as soon as the execution queues the task.
    const poll = sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'BASE_ID_ACTIVITY_CONSUMER' }));
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ Value1: 'HelloWorld' }) }));
    const task = await poll;
    assert.equal(task.input, '{"Value1":"HelloWorld"}');
    assert.ok(task.taskToken);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.parse(task.input!).Value1 === 'HelloWorld' ? task.input : '{}' }));
    const done = await finished(sfn, ok.executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"Value1":"HelloWorld"}');
    assert.deepEqual(activityEvents(await history(sfn, ok.executionArn!)), [
      { type: 'ActivityScheduled', activityScheduledEventDetails: { resource: activityArn, input: '{"Value1":"HelloWorld"}', inputDetails: { truncated: false } } },
      { type: 'ActivityStarted', activityStartedEventDetails: { workerName: 'BASE_ID_ACTIVITY_CONSUMER' } },
      { type: 'ActivitySucceeded', activitySucceededEventDetails: { output: '{"Value1":"HelloWorld"}', outputDetails: { truncated: false } } },
      { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"Value1":"HelloWorld"}', outputDetails: { truncated: false } } },
    ]);
    // The token is spent.
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })), TaskTimedOut);

    // The execution starts first; a worker without a name takes it later and fails it.
    const failed = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":2}' }));
    const t2 = await eventually('the task to be queued', async () => {
      const t = await sfn.send(new GetActivityTaskCommand({ activityArn }));
      return t.taskToken ? t : undefined;
    });
    await sfn.send(new SendTaskFailureCommand({ taskToken: t2.taskToken, error: 'Programmatic Error', cause: '{"n":2}' }));
    const f = await finished(sfn, failed.executionArn!);
    assert.equal(f.status, 'FAILED');
    assert.deepEqual(activityEvents(await history(sfn, failed.executionArn!)).slice(1), [
      { type: 'ActivityStarted', activityStartedEventDetails: {} },
      { type: 'ActivityFailed', activityFailedEventDetails: { error: 'Programmatic Error', cause: '{"n":2}' } },
      { type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Programmatic Error', cause: '{"n":2}' } },
    ]);
  } finally {
    await h.close();
  }
});

test('activity timeouts: TimeoutSeconds with no worker, HeartbeatSeconds kept alive by heartbeats, then missed', { timeout: 60_000 }, async () => {
  const h = await apiHarness({ activityLongPollMs: 300 });
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'slow' }));
    // Nothing queued: the long poll ends with no task.
    const empty = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    assert.equal(empty.taskToken, undefined);
    assert.equal(empty.input, undefined);

    const timeout = await sfn.send(new CreateStateMachineCommand({ name: 'timeout', definition: activityTask(activityArn!, { TimeoutSeconds: 1 }), roleArn: ROLE }));
    const t = await sfn.send(new StartExecutionCommand({ stateMachineArn: timeout.stateMachineArn }));
    const timedOut = await finished(sfn, t.executionArn!);
    assert.equal(timedOut.status, 'FAILED');
    assert.equal(timedOut.error, 'States.Timeout');
    assert.deepEqual(activityEvents(await history(sfn, t.executionArn!)).slice(-2), [
      { type: 'ActivityTimedOut', activityTimedOutEventDetails: { error: 'States.Timeout' } },
      { type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Timeout' } },
    ]);
    // The timed-out task is no longer handed out.
    assert.equal((await sfn.send(new GetActivityTaskCommand({ activityArn }))).taskToken, undefined);

    const hb = await sfn.send(
      new CreateStateMachineCommand({ name: 'heartbeat', definition: activityTask(activityArn!, { TimeoutSeconds: 30, HeartbeatSeconds: 1 }), roleArn: ROLE }),
    );
    const alive = await sfn.send(new StartExecutionCommand({ stateMachineArn: hb.stateMachineArn }));
    const task = await eventually('the task', async () => {
      const x = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'w' }));
      return x.taskToken ? x : undefined;
    });
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"kept alive"' }));
    const aliveDone = await finished(sfn, alive.executionArn!);
    assert.equal(aliveDone.status, 'SUCCEEDED', 'heartbeats every 0.5 s keep a 1 s heartbeat deadline');
    const scheduled = (await history(sfn, alive.executionArn!)).find((e) => e.type === 'ActivityScheduled')!;
    assert.deepEqual(scheduled.activityScheduledEventDetails, { resource: activityArn, input: '{}', inputDetails: { truncated: false }, timeoutInSeconds: 30, heartbeatInSeconds: 1 });

    const missed = await sfn.send(new StartExecutionCommand({ stateMachineArn: hb.stateMachineArn }));
    await eventually('the task', async () => ((await sfn.send(new GetActivityTaskCommand({ activityArn }))).taskToken ? true : undefined));
    const m = await finished(sfn, missed.executionArn!);
    assert.equal(m.error, 'States.HeartbeatTimeout');
    assert.deepEqual(activityEvents(await history(sfn, missed.executionArn!)).at(-2), {
      type: 'ActivityTimedOut',
      activityTimedOutEventDetails: { error: 'States.HeartbeatTimeout' },
    });
  } finally {
    await h.close();
  }
});

test('an activity deleted before its Task runs fails the execution with States.Runtime, as AWS', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'gone' }));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orphan', definition: activityTask(activityArn!), roleArn: ROLE }));
    await sfn.send(new DeleteActivityCommand({ activityArn }));
    const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const d = await finished(sfn, ex.executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.Runtime');
    assert.equal(d.cause, `An error occurred while executing the state 'ActivityTask' (entered at the event id #2). The activity ${activityArn!} does not exist.`);
    assert.deepEqual((await history(sfn, ex.executionArn!)).map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
  } finally {
    await h.close();
  }
});
