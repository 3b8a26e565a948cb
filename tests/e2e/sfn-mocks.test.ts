/**
 * Step Functions Local's mock configuration, driven as its users drive it: `serve` started with
 * SFN_MOCK_CONFIG, the AWS SDK v3 creating state machines and starting `<arn>#<TestCase>`, reading
 * the results and histories; and `exec --mock-config --test-case` as a child process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  ValidationException,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = join(root, 'dist/src/cli/main.js');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/LambdaSQSIntegration';

/** AWS's documented example machine, with retry intervals of a second so the test stays short. */
const LAMBDA_SQS = {
  StartAt: 'LambdaState',
  States: {
    LambdaState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'Payload.$': '$', FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:HelloWorldFunction' },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
      Next: 'SQSState',
    },
    SQSState: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/myQueue', 'MessageBody.$': '$' }, End: true },
  },
};

/** Callback, job and Map states: what an ML pipeline mocks. */
const PIPELINE = {
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'approver', Payload: { 'token.$': '$$.Task.Token' } },
      ResultPath: '$.approval',
      Next: 'Train',
    },
    Train: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
      Parameters: { TrainingJobName: 'job' },
      ResultSelector: { 'status.$': '$.TrainingJobStatus' },
      ResultPath: '$.training',
      Next: 'Fan',
    },
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 1,
      ItemProcessor: { StartAt: 'Score', States: { Score: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'MessageBody.$': '$' }, End: true } } },
      ResultPath: '$.scores',
      Catch: [{ ErrorEquals: ['Custom.Error'], ResultPath: '$.caught', Next: 'Done' }],
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};

const MOCKS = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
    Pipeline: {
      TestCases: {
        Approved: { Approve: 'Approval', Train: 'TrainingCompleted', Score: 'ThreeScores' },
        TooFewScores: { Approve: 'Approval', Train: 'TrainingCompleted', Score: 'TwoScores' },
        ScoreFails: { Approve: 'Approval', Train: 'TrainingCompleted', Score: 'SecondScoreThrows' },
      },
    },
    Misconfigured: { TestCases: { Typo: { LambaState: 'MockedLambdaSuccess' } } },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e-7h85-4375-b0bc-1a59812c6e51', MessageId: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
    Approval: { '0': { Return: { decision: 'approved' } } },
    TrainingCompleted: { '0': { Return: { TrainingJobStatus: 'Completed', TrainingJobName: 'job' } } },
    ThreeScores: { '0': { Return: 0.5 }, '1': { Return: 0.7 }, '2': { Return: 0.9 } },
    TwoScores: { '0-1': { Return: 0.5 } },
    SecondScoreThrows: { '0': { Return: 0.5 }, '1-2': { Throw: { Error: 'Custom.Error', Cause: 'scoring failed' } } },
  },
};

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

async function startServe(home: string, mockFile: string): Promise<{ url: string; stop(): Promise<void>; stderr(): string }> {
  const child = spawn(process.execPath, [cli, '--home', home, 'serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SFN_MOCK_CONFIG: mockFile } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const serveFile = join(home, 'serve.json');
  for (let i = 0; i < 300 && !existsSync(serveFile) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(serveFile)) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`serve did not start:\n${stderr}`);
  }
  const { url } = JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string };
  return {
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function finished(sfn: SFNClient, executionArn: string) {
  for (let i = 0; i < 300; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${executionArn} did not end`);
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

test('serve with SFN_MOCK_CONFIG: StartExecution on <arn>#<TestCase> runs the mocked path, seen through the SDK', { timeout: 120_000 }, async () => {
  const home = tempDir('mlops-sfn-mocks-');
  const mockFile = join(home, 'MockConfigFile.json');
  writeFileSync(mockFile, JSON.stringify(MOCKS, null, 2));
  const serve = await startServe(home, mockFile);
  const sfn = new SFNClient({ endpoint: serve.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, disableHostPrefix: true });
  try {
    assert.match(serve.stderr(), /mock configuration .*MockConfigFile\.json: LambdaSQSIntegration \(HappyPath, RetryPath, HybridPath\)/);
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', roleArn: ROLE, definition: JSON.stringify(LAMBDA_SQS) }));

    // HappyPath: both states answer from the mock; the execution ARN is the machine's, without the test case.
    const happy = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HappyPath`, name: 'executionWithHappyPathMockedServices', input: '{"who":"me"}' }));
    assert.equal(happy.executionArn, `${stateMachineArn!.replace(':stateMachine:', ':execution:')}:executionWithHappyPathMockedServices`);
    const happyEnd = await finished(sfn, happy.executionArn!);
    assert.equal(happyEnd.status, 'SUCCEEDED', happyEnd.cause);
    assert.deepEqual(JSON.parse(happyEnd.output!), MOCKS.MockedResponses.MockedSQSSuccess['0'].Return);
    const happyEvents = await history(sfn, happy.executionArn!);
    assert.deepEqual(
      happyEvents.map((e) => e.type),
      ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded'],
    );
    const lambdaDone = happyEvents.find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!;
    assert.equal(lambdaDone.resourceType, 'lambda');
    assert.equal(lambdaDone.resource, 'invoke');
    assert.deepEqual(JSON.parse(lambdaDone.output!), MOCKS.MockedResponses.MockedLambdaSuccess['0'].Return);
    // The scheduled parameters are the real ones (what the service would have been sent).
    assert.deepEqual(JSON.parse(happyEvents.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).Payload, { who: 'me' });

    // RetryPath: invocations 0, 1-2 throw (three retries a second apart), 3 returns.
    const retry = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#RetryPath` }));
    const retryEnd = await finished(sfn, retry.executionArn!);
    assert.equal(retryEnd.status, 'SUCCEEDED', retryEnd.cause);
    const outcomes = (await history(sfn, retry.executionArn!))
      .filter((e) => e.type === 'TaskFailed' || e.type === 'TaskSucceeded')
      .map((e) => e.taskFailedEventDetails?.error ?? e.type);
    assert.deepEqual(outcomes, ['Lambda.ResourceNotReadyException', 'Lambda.TimeoutException', 'Lambda.TimeoutException', 'TaskSucceeded', 'TaskSucceeded']);

    // HybridPath: SQSState is not mocked, so it calls the service: SQS is not emulated locally.
    const hybrid = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HybridPath` }));
    const hybridEnd = await finished(sfn, hybrid.executionArn!);
    assert.equal(hybridEnd.status, 'FAILED');
    assert.equal(hybridEnd.error, 'States.TaskFailed');
    assert.match(hybridEnd.cause!, /does not emulate the resource 'arn:aws:states:::sqs:sendMessage'/);

    // Without a test case the machine runs for real (the Lambda function does not exist here).
    const plain = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    assert.equal((await finished(sfn, plain.executionArn!)).status, 'FAILED');

    // Bad test case names are the caller's error, answered at StartExecution.
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#SadPath` })), (e: unknown) => {
      assert.ok(e instanceof ValidationException);
      assert.match(e.message, /MockConfigFile\.json: StateMachines\.LambdaSQSIntegration\.TestCases has no test case "SadPath" \(it has: HappyPath, RetryPath, HybridPath\)/);
      return true;
    });
    const { stateMachineArn: misArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Misconfigured', roleArn: ROLE, definition: JSON.stringify(LAMBDA_SQS) }));
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${misArn}#Typo` })), /mocks the state "LambaState", which state machine Misconfigured does not have \(its Task states: LambdaState, SQSState\)/);
    const { stateMachineArn: otherArn } = await sfn.send(new CreateStateMachineCommand({ name: 'NotInTheFile', roleArn: ROLE, definition: JSON.stringify(LAMBDA_SQS) }));
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${otherArn}#HappyPath` })), /StateMachines has no state machine named "NotInTheFile"/);
  } finally {
    sfn.destroy();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('mocked callback, .sync and Map states: no waiting, TaskSubmitted recorded, Map iterations counted in turn', { timeout: 120_000 }, async () => {
  const home = tempDir('mlops-sfn-mocks-');
  const mockFile = join(home, 'mocks.json');
  writeFileSync(mockFile, JSON.stringify(MOCKS));
  const serve = await startServe(home, mockFile);
  const sfn = new SFNClient({ endpoint: serve.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, disableHostPrefix: true });
  try {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Pipeline', roleArn: ROLE, definition: JSON.stringify(PIPELINE) }));
    const run = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved`, input: JSON.stringify({ items: ['a', 'b', 'c'] }) }));
    const end = await finished(sfn, run.executionArn!);
    assert.equal(end.status, 'SUCCEEDED', end.cause);
    const out = JSON.parse(end.output!) as Record<string, unknown>;
    assert.deepEqual(out['approval'], { decision: 'approved' });
    assert.deepEqual(out['training'], { status: 'Completed' });
    assert.deepEqual(out['scores'], [0.5, 0.7, 0.9]);
    const events = await history(sfn, run.executionArn!);
    const approve = events.filter((e) => e.type?.startsWith('Task') && !e.type.startsWith('TaskState')).slice(0, 4);
    assert.deepEqual(approve.map((e) => e.type), ['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']);
    assert.equal(approve[0]!.taskScheduledEventDetails!.resource, 'invoke.waitForTaskToken');
    // The token was generated and given to the (mocked) call, as Step Functions Local does.
    assert.match(JSON.parse(approve[0]!.taskScheduledEventDetails!.parameters!).Payload.token, /^[A-Za-z0-9_-]{20,}$/);
    assert.deepEqual(JSON.parse(approve[2]!.taskSubmittedEventDetails!.output!), { decision: 'approved' });
    const train = events.filter((e) => e.taskScheduledEventDetails?.resource === 'createTrainingJob.sync' || e.taskSubmittedEventDetails?.resource === 'createTrainingJob.sync');
    assert.equal(train.length, 2, 'scheduled and submitted');

    // The Map's third iteration has no mocked response: the execution fails as Step Functions Local's does.
    const few = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#TooFewScores`, input: JSON.stringify({ items: ['a', 'b', 'c'] }) }));
    const fewEnd = await finished(sfn, few.executionArn!);
    assert.equal(fewEnd.status, 'FAILED');
    assert.equal(fewEnd.error, 'States.Runtime');
    assert.match(fewEnd.cause!, /No mocked response for invocation 2 of state 'Score': the mocked response 'TwoScores' of test case 'TooFewScores' covers invocations 0-1\. Add "2" to it in .*mocks\.json/);

    // A mocked Throw inside a Map is caught by the Map's Catch, as a real failure would be.
    const caught = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#ScoreFails`, input: JSON.stringify({ items: ['a', 'b'] }) }));
    const caughtEnd = await finished(sfn, caught.executionArn!);
    assert.equal(caughtEnd.status, 'SUCCEEDED', caughtEnd.cause);
    assert.deepEqual((JSON.parse(caughtEnd.output!) as Record<string, unknown>)['caught'], { Error: 'Custom.Error', Cause: 'scoring failed' });

    // EXPRESS machines through StartSyncExecution take a test case too.
    const { stateMachineArn: expressArn } = await sfn.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', type: 'EXPRESS', roleArn: ROLE, definition: JSON.stringify(LAMBDA_SQS) }));
    const sync = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${expressArn}#HappyPath` }));
    assert.equal(sync.status, 'SUCCEEDED', sync.cause);
    assert.equal(JSON.parse(sync.output!).MessageId, '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51');
  } finally {
    sfn.destroy();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('serve refuses a bad SFN_MOCK_CONFIG with one line and exit 2, before opening anything', { timeout: 60_000 }, () => {
  const home = tempDir('mlops-sfn-mocks-');
  try {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ StateMachines: {}, MockedResponses: { R: { '0': { Return: 1, Throw: { Error: 'E', Cause: 'C' } } } } }));
    const r = spawnSync(process.execPath, [cli, '--home', join(home, 'h'), 'serve', '--port', '0'], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SFN_MOCK_CONFIG: bad } });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /bad\.json: MockedResponses\.R\["0"\] has both "Return" and "Throw"/);
    assert.equal(existsSync(join(home, 'h', 'state.db')), false);
    const missing = spawnSync(process.execPath, [cli, '--home', join(home, 'h'), 'serve', '--port', '0'], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SFN_MOCK_CONFIG: join(home, 'nope.json') } });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.json: cannot read the mock configuration file/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('exec --mock-config --test-case runs a test case as a child process; mistakes exit 2 with one line', { timeout: 60_000 }, () => {
  const dir = tempDir('mlops-sfn-mocks-');
  const env = { ...process.env, MLOPS_SFN_HOME: join(dir, 'home') };
  const mlops = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000, env });
  try {
    const def = join(dir, 'definition.json');
    writeFileSync(def, JSON.stringify(PIPELINE));
    const mocks = join(dir, 'MockConfigFile.json');
    writeFileSync(mocks, JSON.stringify(MOCKS));
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ items: [1, 2, 3] }));
    const r = mlops(['exec', def, '--input', input, '--mock-config', mocks, '--test-case', 'Approved', '--history']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { items: [1, 2, 3], approval: { decision: 'approved' }, training: { status: 'Completed' }, scores: [0.5, 0.7, 0.9] });
    assert.match(r.stderr, /"type":"TaskSubmitted"/);
    // Nothing was called, so the home was never opened.
    assert.equal(existsSync(join(dir, 'home', 'state.db')), false);

    const named = mlops(['exec', def, '--input', input, '--mock-config', mocks, '--test-case', 'Pipeline#TooFewScores']);
    assert.equal(named.status, 1);
    assert.match(named.stderr, /error: States\.Runtime/);
    assert.match(named.stderr, /No mocked response for invocation 2 of state 'Score'/);

    const cases: [string[], RegExp][] = [
      [['--test-case', 'Approved'], /--test-case needs --mock-config <file>/],
      [['--mock-config', mocks], /--mock-config needs --test-case <name>/],
      [['--mock-config', mocks, '--test-case', 'Nope'], /--test-case Nope: .*MockConfigFile\.json defines no such test case \(it has: LambdaSQSIntegration#HappyPath/],
      [['--mock-config', mocks, '--test-case', 'HappyPath'], /StateMachines\.LambdaSQSIntegration\.TestCases\.HappyPath mocks the state "LambdaState", which state machine LambdaSQSIntegration does not have/],
      [['--mock-config', def, '--test-case', 'X'], /definition\.json: StartAt: unknown field; a mock configuration has "StateMachines" and "MockedResponses"/],
      [['--mock-config', dir, '--test-case', 'X'], /cannot read the mock configuration file|is a folder|not a regular file/],
    ];
    for (const [args, pattern] of cases) {
      const bad = mlops(['exec', def, ...args]);
      assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
      assert.match(bad.stderr, pattern);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    }
    writeFileSync(mocks, '{"StateMachines": {,}}');
    const broken = mlops(['exec', def, '--mock-config', mocks, '--test-case', 'X']);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /MockConfigFile\.json: the mock configuration is not valid JSON at line 1, column 20/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
