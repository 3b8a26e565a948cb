/**
 * The rest of the Step Functions control plane through the AWS SDK v3 client: logging and tracing
 * configuration, tags, ValidateStateMachineDefinition, versions, aliases,
 * DescribeStateMachineForExecution and DeleteStateMachine's DELETING phase. Shapes and error texts
 * are AWS's as recorded (LocalStack's AWS-validated snapshots, the API reference).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConflictException,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidLoggingConfiguration,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  ResourceNotFound,
  SFNClient,
  StartExecutionCommand,
  StateMachineDeleting,
  StateMachineDoesNotExist,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { apiHarness, clientConfig, eventually, ROLE } from '../../support/local-api.js';

const passDef = (result: string) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const LOG_GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:sfn-logs:*';

async function finished(sfn: SFNClient, executionArn: string) {
  return eventually('the execution to end', async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
}

test('logging and tracing configuration are kept and returned; invalid ones get InvalidLoggingConfiguration', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const plain = await sfn.send(new CreateStateMachineCommand({ name: 'plain', definition: passDef('a'), roleArn: ROLE }));
    const d0 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: plain.stateMachineArn }));
    assert.deepEqual(d0.loggingConfiguration, { includeExecutionData: false, level: 'OFF' });
    assert.deepEqual(d0.tracingConfiguration, { enabled: false });
    assert.equal(d0.revisionId, undefined);

    const logging = { level: 'ALL' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } }] };
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: 'logged', definition: passDef('a'), roleArn: ROLE, loggingConfiguration: logging, tracingConfiguration: { enabled: true } }),
    );
    const d1 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual(d1.loggingConfiguration, { destinations: logging.destinations, includeExecutionData: true, level: 'ALL' });
    assert.deepEqual(d1.tracingConfiguration, { enabled: true });

    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, loggingConfiguration: { level: 'OFF' } }));
    assert.match(updated.revisionId!, /^[0-9a-f-]{36}$/);
    const d2 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual(d2.loggingConfiguration, { includeExecutionData: false, level: 'OFF' });
    assert.deepEqual(d2.tracingConfiguration, { enabled: true }, 'what the update did not name is kept');
    assert.equal(d2.revisionId, updated.revisionId);

    for (const bad of [{ level: 'ALL' as const }, { level: 'ERROR' as const, destinations: [] }, { level: 'ALL' as const, destinations: [logging.destinations[0]!, logging.destinations[0]!] }]) {
      await assert.rejects(sfn.send(new CreateStateMachineCommand({ name: 'bad-log', definition: passDef('a'), roleArn: ROLE, loggingConfiguration: bad })), (e: unknown) => {
        assert.ok(e instanceof InvalidLoggingConfiguration);
        assert.equal(e.message, 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
        return true;
      });
    }
    await assert.rejects(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, loggingConfiguration: { level: 'FATAL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'not-an-arn' } }] } })),
      (e: unknown) => e instanceof InvalidLoggingConfiguration && e.message === 'Invalid Logging Configuration: Log Destination not found.',
    );
  } finally {
    await h.close();
  }
});

test('tags: on create, TagResource overwrites by key, UntagResource, ListTagsForResource; a version cannot be tagged', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'tagged', definition: passDef('a'), roleArn: ROLE, tags: [{ key: 'team', value: 'ml' }], publish: true }),
    );
    await sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'team', value: 'data' }, { key: 'stage', value: '' }] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags, [
      { key: 'stage', value: '' },
      { key: 'team', value: 'data' },
    ]);
    await sfn.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team', 'never-set'] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags, [{ key: 'stage', value: '' }]);
    await assert.rejects(sfn.send(new TagResourceCommand({ resourceArn: `${stateMachineArn!}:1`, tags: [{ key: 'a', value: 'b' }] })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFound);
      assert.equal(e.message, `Resource not found: '${stateMachineArn!}:1'`);
      return true;
    });
    await assert.rejects(sfn.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:nope' })), ResourceNotFound);
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await assert.rejects(sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: many })), (e: unknown) => (e as Error).name === 'TooManyTags');
  } finally {
    await h.close();
  }
});

test('ValidateStateMachineDefinition answers OK or FAIL with AWS diagnostics', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: passDef('a') }));
    assert.deepEqual({ result: ok.result, diagnostics: ok.diagnostics, truncated: ok.truncated }, { result: 'OK', diagnostics: [], truncated: false });

    const noStart = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ States: { P: { Type: 'Pass', End: true } } }) }));
    assert.equal(noStart.result, 'FAIL');
    assert.deepEqual(noStart.diagnostics, [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [StartAt]', location: '/' }]);

    const empty = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{}' }));
    assert.deepEqual(empty.diagnostics, [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }]);

    const notJson = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: 'not a definition' }));
    assert.equal(notJson.result, 'FAIL');
    assert.equal(notJson.diagnostics![0]!.code, 'INVALID_JSON_DESCRIPTION');

    const wftt = JSON.stringify({
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'T.$': '$$.Task.Token' } }, End: true } },
    });
    assert.equal((await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: wftt, type: 'STANDARD' }))).result, 'OK');
    const express = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: wftt, type: 'EXPRESS' }));
    assert.equal(express.result, 'FAIL');
    assert.equal(express.diagnostics![0]!.location, '/States/Send/Resource');

    // Many problems, capped by maxResults.
    const states: Record<string, unknown> = { S: { Type: 'Pass', End: true } };
    for (let i = 0; i < 5; i++) states[`X${i}`] = { Type: 'Pass', Next: `missing${i}` };
    const many = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'S', States: states }), maxResults: 2 }));
    assert.equal(many.diagnostics!.length, 2);
    assert.equal(many.truncated, true);
    await assert.rejects(sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{}', maxResults: 101 })), ValidationException);
  } finally {
    await h.close();
  }
});

test('versions: publish on create and update, PublishStateMachineVersion, list, describe, start by version ARN, delete', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    await assert.rejects(
      sfn.send(new CreateStateMachineCommand({ name: 'v', definition: passDef('one'), roleArn: ROLE, versionDescription: 'first' })),
      (e: unknown) => e instanceof ValidationException && e.message === 'Version description can only be set when publish is true',
    );
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'v', definition: passDef('one'), roleArn: ROLE, publish: true, versionDescription: 'first' }));
    const smArn = created.stateMachineArn!;
    assert.equal(created.stateMachineVersionArn, `${smArn}:1`);

    const v1 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${smArn}:1` }));
    assert.equal(v1.stateMachineArn, `${smArn}:1`);
    assert.equal(v1.description, 'first');
    assert.equal(v1.definition, passDef('one'));
    assert.equal(v1.name, 'v');

    const upd = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDef('two'), publish: true, versionDescription: 'second' }));
    assert.equal(upd.stateMachineVersionArn, `${smArn}:2`);
    assert.ok(upd.revisionId);
    // Publishing an unchanged revision names the version made of it.
    const again = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDef('two'), publish: true }));
    assert.equal(again.stateMachineVersionArn, `${smArn}:2`);
    assert.equal(again.revisionId, undefined);
    assert.equal((await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn }))).stateMachineVersionArn, `${smArn}:2`);
    await assert.rejects(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn, revisionId: 'stale' })), (e: unknown) => {
      assert.ok(e instanceof ConflictException);
      assert.equal(e.message, `Failed to publish the State Machine version for revision stale. The current State Machine revision is ${upd.revisionId!}.`);
      return true;
    });
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDef('three') }));
    const p3 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn, description: 'third' }));
    assert.equal(p3.stateMachineVersionArn, `${smArn}:3`);
    assert.ok(p3.creationDate instanceof Date);

    const page1 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: smArn, maxResults: 2 }));
    assert.deepEqual(page1.stateMachineVersions!.map((v) => v.stateMachineVersionArn), [`${smArn}:3`, `${smArn}:2`]);
    const page2 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: smArn, maxResults: 2, nextToken: page1.nextToken }));
    assert.deepEqual(page2.stateMachineVersions!.map((v) => v.stateMachineVersionArn), [`${smArn}:1`]);
    assert.equal(page2.nextToken, undefined);

    // An execution of version 1 runs version 1's definition, whatever the machine says now.
    const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${smArn}:1`, name: 'on-v1' }));
    assert.equal(ex.executionArn, 'arn:aws:states:us-east-1:111111111111:execution:v:on-v1');
    const done = await finished(sfn, ex.executionArn!);
    assert.equal(done.output, '"one"');
    assert.equal(done.stateMachineArn, smArn);
    assert.equal(done.stateMachineVersionArn, `${smArn}:1`);
    assert.equal(done.stateMachineAliasArn, undefined);
    const started = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: ex.executionArn }))).events![0]!;
    assert.equal(started.executionStartedEventDetails!.stateMachineVersionArn, `${smArn}:1`);
    const forExec = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: ex.executionArn }));
    assert.equal(forExec.definition, passDef('one'));
    assert.equal(forExec.stateMachineArn, smArn);
    assert.equal(forExec.name, 'v');
    assert.equal(forExec.roleArn, ROLE);
    assert.ok(forExec.updateDate instanceof Date);
    assert.deepEqual(forExec.loggingConfiguration, { includeExecutionData: false, level: 'OFF' });
    const byVersion = await sfn.send(new ListExecutionsCommand({ stateMachineArn: `${smArn}:1` }));
    assert.deepEqual(byVersion.executions!.map((e) => [e.name, e.stateMachineVersionArn]), [['on-v1', `${smArn}:1`]]);
    assert.deepEqual((await sfn.send(new ListExecutionsCommand({ stateMachineArn: `${smArn}:2` }))).executions, []);

    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${smArn}:3` }));
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${smArn}:3` }));
    await assert.rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${smArn}:3` })), StateMachineDoesNotExist);
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${smArn}:3` })), StateMachineDoesNotExist);
    // Numbers are never reused.
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDef('four') }));
    assert.equal((await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn }))).stateMachineVersionArn, `${smArn}:4`);
  } finally {
    await h.close();
  }
});

test('aliases: routing by weight, CRUD with AWS errors, executions through an alias, a referenced version cannot be deleted', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const smArn = (await sfn.send(new CreateStateMachineCommand({ name: 'al', definition: passDef('one'), roleArn: ROLE, publish: true }))).stateMachineArn!;
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDef('two'), publish: true }));
    const [v1, v2] = [`${smArn}:1`, `${smArn}:2`];

    const bad = async (routing: { stateMachineVersionArn: string; weight: number }[], message: string, name = 'prod') =>
      assert.rejects(sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration: routing })), (e: unknown) => {
        assert.ok(e instanceof ValidationException, String(e));
        assert.equal(e.message, message);
        return true;
      });
    await bad([{ stateMachineVersionArn: v1, weight: 70 }, { stateMachineVersionArn: v2, weight: 29 }], 'Sum of routing configuration weights must equal 100. Received: [70,29]');
    await bad([{ stateMachineVersionArn: smArn, weight: 100 }], `Routing configuration must contain state machine version ARNs. Received: [${smArn}]`);
    await bad([{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v1, weight: 50 }], `Routing configuration must contain distinct state machine version ARNs. Received: [${v1}, ${v1}]`);
    await bad([{ stateMachineVersionArn: v1, weight: 101 }], "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
    await bad(
      [{ stateMachineVersionArn: v1, weight: 100 }],
      "1 validation error detected: Value 'INVALID ALIAS' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
      'INVALID ALIAS',
    );

    const routing = [
      { stateMachineVersionArn: v1, weight: 50 },
      { stateMachineVersionArn: v2, weight: 50 },
    ];
    const created = await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'live', routingConfiguration: routing }));
    const aliasArn = `${smArn}:prod`;
    assert.equal(created.stateMachineAliasArn, aliasArn);
    // Idempotent with the same routing; a different one conflicts.
    assert.equal((await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'live', routingConfiguration: routing }))).creationDate!.getTime(), created.creationDate!.getTime());
    await assert.rejects(
      sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] })),
      (e: unknown) => e instanceof ConflictException && e.message === 'Failed to create alias because an alias with the same name and a different routing configuration already exists.',
    );
    const described = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
    assert.deepEqual(
      { arn: described.stateMachineAliasArn, name: described.name, description: described.description, routing: described.routingConfiguration },
      { arn: aliasArn, name: 'prod', description: 'live', routing },
    );

    // Executions through the alias land on both versions (50/50: 40 starts miss one with odds 2^-39).
    const outputs = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: aliasArn, name: `a${i}` }));
      const d = await finished(sfn, ex.executionArn!);
      assert.equal(d.stateMachineAliasArn, aliasArn);
      assert.equal(d.output, d.stateMachineVersionArn === v1 ? '"one"' : '"two"');
      outputs.add(d.output!);
    }
    assert.deepEqual([...outputs].sort(), ['"one"', '"two"']);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: aliasArn, maxResults: 1000 }));
    assert.equal(listed.executions!.length, 40);
    assert.ok(listed.executions!.every((e) => e.stateMachineAliasArn === aliasArn));

    await sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: aliasArn, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    const d = await finished(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: aliasArn }))).executionArn!);
    assert.equal(d.stateMachineVersionArn, v2);
    assert.equal((await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }))).description, 'live');

    await assert.rejects(sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 })), (e: unknown) => {
      assert.ok(e instanceof ConflictException);
      assert.equal(e.message, 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [prod]');
      return true;
    });
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    assert.deepEqual((await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: smArn }))).stateMachineAliases!.map((a) => a.stateMachineAliasArn), [aliasArn]);
    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
    assert.deepEqual((await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: smArn }))).stateMachineAliases, []);
    await assert.rejects(
      sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: aliasArn, description: 'x' })),
      (e: unknown) => e instanceof ResourceNotFound && e.message === 'Request references a resource that does not exist.',
    );
  } finally {
    await h.close();
  }
});

test('DeleteStateMachine: DELETING while an execution runs, which is aborted at its next transition; then the machine is gone', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sfn = new SFNClient(clientConfig(h.api));
  try {
    const loop = JSON.stringify({
      StartAt: 'Hold',
      States: {
        Hold: { Type: 'Wait', Seconds: 1, Next: 'Again' },
        Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Hold' },
        Done: { Type: 'Succeed' },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'doomed', definition: loop, roleArn: ROLE, publish: true }));
    const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'running' }));
    await eventually('the Wait to start', async () => {
      const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: ex.executionArn }))).events!;
      return events.some((e) => e.type === 'WaitStateEntered') ? true : undefined;
    });
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const deleting = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    assert.equal(deleting.status, 'DELETING');
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }))).status, 'RUNNING', 'it runs until its next transition');
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn })), StateMachineDeleting);

    const ended = await finished(sfn, ex.executionArn!);
    assert.equal(ended.status, 'ABORTED');
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: ex.executionArn, reverseOrder: true, maxResults: 2 }))).events!;
    assert.deepEqual(events.map((e) => e.type), ['ExecutionAborted', 'WaitStateExited']);
    await eventually('the machine to go', async () => {
      try {
        await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
        return undefined;
      } catch (e) {
        return e instanceof StateMachineDoesNotExist ? true : undefined;
      }
    });
    await assert.rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn!}:1` })), StateMachineDoesNotExist);
    // The execution's record stays, as on AWS.
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }))).status, 'ABORTED');
  } finally {
    await h.close();
  }
});
