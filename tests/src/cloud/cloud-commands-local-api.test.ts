/**
 * The cloud commands end to end against the local API, as they would run against a deployed stack:
 * a state machine with a waitForTaskToken approval task is created through the Step Functions API,
 * the real trigger Lambda (reading the pipeline YAML from the local S3) and the real approval Lambda
 * are registered locally, and the CLI — in a child process with no AWS credentials or region —
 * starts an execution (`start --cloud`), finds it (`executions --cloud`), and decides it
 * (`approve|reject --cloud`), all with `--endpoint-url`. CloudFormation is not emulated, so the
 * stack's outputs are passed as flags.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalApi, type LocalApi } from '../../../src/api/index.js';
import type { Json } from '../../../src/core/json.js';
import { packageFile } from '../../../src/core/package-root.js';
import { localS3Reader } from '../../../src/engine/local-aws-clients.js';
import { openLocalServices, type LocalServices } from '../../../src/engine/local-services.js';
import { LocalStepFunctions } from '../../../src/engine/step-functions/index.js';
import type { LambdaHandler } from '../../../src/integrations/lambda.js';
import { createApprovalHandler, InMemoryApprovalStore } from '../../../src/lambda/approval.js';
import { createTriggerHandler } from '../../../src/lambda/trigger.js';
import { decideCloud } from '../../../src/cli/commands/approve.js';
import { startCommand } from '../../../src/cli/commands/start.js';
import { UserError } from '../../../src/core/errors.js';
import { cloudExecutionsCommand } from '../../../src/cloud/executions-command.js';
import { CLI } from '../../support/cli.js';

// The SDK's notice about Node 20 is not what these tests are about.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
const MAIN = CLI;
const BUCKET = 'mlops-bucket';

/** The pipeline's approval step in miniature: ask through the approval Lambda, then act on the decision. */
const DEFINITION = {
  QueryLanguage: 'JSONata',
  StartAt: 'RequestManualApproval',
  States: {
    RequestManualApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: 'approval',
        Payload: "{% {'taskToken': $states.context.Task.Token, 'executionArn': $states.context.Execution.Id, 'executionName': $states.context.Execution.Name, 'timeoutSeconds': 3600} %}",
      },
      TimeoutSeconds: 3600,
      Output: '{% $states.result %}',
      Next: 'CheckDecision',
    },
    CheckDecision: {
      Type: 'Choice',
      Choices: [{ Condition: "{% $states.input.decision = 'Approved' %}", Next: 'Deploy' }],
      Default: 'ModelRejected',
    },
    Deploy: { Type: 'Succeed' },
    ModelRejected: { Type: 'Fail', Error: 'Pipeline.ModelRejected', Cause: "{% 'Rejected by ' & $states.input.approver & ': ' & $states.input.comment %}" },
  },
};

let home: string;
let services: LocalServices;
let stepFunctions: LocalStepFunctions;
let api: LocalApi;
let sfn: SFNClient;
let stateMachineArn: string;
const approvals = new InMemoryApprovalStore();

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'mlops-sfn-cloud-e2e-'));
  services = openLocalServices(join(home, 'mlops'), { fsync: false });
  stepFunctions = new LocalStepFunctions(services, { pollMs: 20 });
  api = await startLocalApi({ services, stepFunctions, log: () => {} });
  sfn = new SFNClient({ endpoint: api.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const created = await sfn.send(
    new CreateStateMachineCommand({ name: 'mlops-pipeline', definition: JSON.stringify(DEFINITION), roleArn: 'arn:aws:iam::111111111111:role/mlops-sfn' }),
  );
  stateMachineArn = created.stateMachineArn!;

  const census = readFileSync(packageFile('examples', 'census', 'pipeline.yaml'), 'utf8');
  await services.s3.createBucket({ Bucket: BUCKET });
  await services.s3.putObject({ Bucket: BUCKET, Key: 'census/scripts/input.yaml', Body: Buffer.from(census) });
  await services.s3.putObject({ Bucket: BUCKET, Key: 'other/scripts/input.yaml', Body: Buffer.from(census.replace(/^model_id: census$/m, 'model_id: other')) });
  await services.s3.putObject({ Bucket: BUCKET, Key: 'third/scripts/input.yaml', Body: Buffer.from(census.replace(/^model_id: census$/m, 'model_id: third')) });

  const trigger = createTriggerHandler({
    s3: localS3Reader(services.s3),
    sfn,
    stateMachineArn,
    deployment: { bucket: BUCKET, modelName: 'census', imageUri: 'image', roleArn: 'arn:aws:iam::111111111111:role/SageMaker', region: 'us-east-1' },
    log: () => {},
  });
  services.lambda.register('trigger', ((event: Json) => trigger(event)) as unknown as LambdaHandler);
  services.lambda.register('approval', createApprovalHandler({ store: approvals, log: () => {} }) as unknown as LambdaHandler);
});

after(
  async () => {
    sfn.destroy();
    await api.close();
    await stepFunctions.close();
    await services.close();
    rmSync(home, { recursive: true, force: true });
  },
  { timeout: 30_000 },
);

/** No AWS anything: a loopback endpoint needs neither credentials nor a region. */
function bareEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    USER: 'tester',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function flags(): string[] {
  return ['--cloud', '--endpoint-url', api.url, '--state-machine-arn', stateMachineArn];
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, '--home', join(home, 'cli'), ...args], { env: bareEnv(), timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('start --cloud invokes the trigger Lambda with the schedule event; approve --cloud answers the pending approval', { timeout: 60_000 }, async () => {
  const started = await cli(['start', ...flags(), '--function-name', 'trigger', '--bucket', BUCKET, '--model-name', 'census']);
  assert.equal(started.code, 0, started.stderr);
  const name = /^started (mlops-census-\d+) from s3:\/\/mlops-bucket\/census\/scripts\/input\.yaml$/m.exec(started.stdout)?.[1];
  assert.ok(name, started.stdout);
  const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  assert.match(started.stdout, new RegExp(`^  execution: ${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(started.stdout, new RegExp(`^  follow:    npx mlops-sfn executions --cloud --model-name census --state-machine-arn \\S+ --endpoint-url \\S+ describe ${name} `, 'm'));
  assert.ok(!/console:/.test(started.stdout), 'no AWS console link for a local endpoint');

  await until('the approval request', () => approvals.pending.get(arn));
  const executions = await cli(['executions', ...flags()]);
  assert.equal(executions.code, 0, executions.stderr);
  const listed = executions.stdout;
  assert.match(listed, /^NAME +STATUS +STARTED +STOPPED +ERROR$/m);
  assert.match(listed, new RegExp(`^${name} +RUNNING +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +-$`, 'm'));

  // A wrong name lists the executions that are waiting.
  await assert.rejects(
    decideCloud('mlops-census-0', 'Approved', { endpointUrl: api.url, stateMachineArn }, bareEnv()),
    (e: unknown) => e instanceof UserError && e.exitCode === 2 && e.message === `no execution mlops-census-0 in ${stateMachineArn} (waiting for an approval: ${name})`,
  );

  const approved = await cli(['approve', name, ...flags(), '--comment', 'metrics look right']);
  assert.equal(approved.code, 0, approved.stderr);
  assert.equal(
    approved.stdout,
    `approved ${name} (by tester): the decision was sent to RequestManualApproval; follow it with \`mlops-sfn executions --cloud describe ${name}\`\n`,
  );
  const done = await until('the execution to end', async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
  assert.equal(done.status, 'SUCCEEDED');
  const output = JSON.parse(done.output!) as Record<string, unknown>;
  assert.deepEqual({ ...output, decidedAt: typeof output['decidedAt'] }, { decision: 'Approved', approver: 'tester', comment: 'metrics look right', decidedAt: 'string' });

  const described = await cloudExecutionsCommand('describe', name, { endpointUrl: api.url, stateMachineArn }, bareEnv());
  assert.match(described, /^status: +SUCCEEDED$/m);
  const history = await cloudExecutionsCommand('history', arn, { endpointUrl: api.url, stateMachineArn }, bareEnv());
  assert.match(history, /^ *\d+ +\+\d\d:\d\d\.\d +TaskScheduled +lambda:invoke\.waitForTaskToken$/m);
  assert.match(history, /ExecutionSucceeded$/);

  await assert.rejects(
    decideCloud(name, 'Rejected', { endpointUrl: api.url, stateMachineArn }, bareEnv()),
    new RegExp(`^UserError: ${name} is not running \\(SUCCEEDED\\): there is nothing to decide; its approval was approved by tester at \\S+: metrics look right$`),
  );
});

test('start --cloud --wait follows the execution, says how to decide, and exits 1 when the model is rejected', { timeout: 60_000 }, async () => {
  const child = spawn(
    process.execPath,
    [MAIN, '--home', join(home, 'cli'), 'start', ...flags(), '--function-name', 'trigger', '--bucket', BUCKET, '--model-name', 'other', '--wait', '--interval', '0.2'],
    { env: bareEnv() },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  try {
    const name = await until('the start line', () => /^started (mlops-other-\d+) /m.exec(stdout)?.[1]);
    await until('the approval hint', () => (/waiting for a manual approval/.test(stdout) ? true : undefined));
    assert.match(stdout, new RegExp(`^\\[\\d\\d:\\d\\d\\.\\d\\] RequestManualApproval \\.\\.\\.$`, 'm'));
    assert.match(
      stdout,
      new RegExp(`^waiting for a manual approval \\(RequestManualApproval\\): npx mlops-sfn approve ${name} --cloud --model-name other --state-machine-arn \\S+ --endpoint-url \\S+ \\[--comment "\\.\\.\\."\\]  \\(or reject\\)$`, 'm'),
    );
    const rejected = await cli(['reject', name, ...flags(), '--approver', 'bob', '--comment', 'too slow']);
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.equal(await exited, 1, stderr);
    assert.match(stdout, /RequestManualApproval done in /);
    assert.match(stdout, /execution failed: Pipeline\.ModelRejected: Rejected by bob: too slow$/m);
    assert.match(stderr, new RegExp(`^mlops-sfn: ${name} failed in \\d\\d:\\d\\d\\.\\d: error: Pipeline\\.ModelRejected; cause: Rejected by bob: too slow\\n$`));
  } finally {
    child.kill();
  }
});

test('a trigger that cannot read the pipeline fails start with its reason (exit 1), starting nothing', { timeout: 60_000 }, async () => {
  const opts = { endpointUrl: api.url, stateMachineArn, bucket: BUCKET };
  const io = { env: bareEnv(), log: () => assert.fail('nothing is printed') };
  await assert.rejects(
    startCommand({ ...opts, functionName: 'trigger', modelName: 'missing' }, io),
    (e: unknown) =>
      e instanceof UserError &&
      e.exitCode === 1 &&
      e.message ===
        'the trigger trigger could not start the pipeline from s3://mlops-bucket/missing/scripts/input.yaml: Pipeline.ConfigurationNotFound: s3://mlops-bucket/missing/scripts/input.yaml: no such object (upload the pipeline YAML there, or fix "prefix" in the event)',
  );
  await assert.rejects(
    startCommand({ ...opts, functionName: 'nope' }, io),
    (e: unknown) => e instanceof UserError && e.exitCode === 2 && e.message === 'no trigger function nope in region us-east-1: check the stack (mlops-sfn deploy) or --function-name',
  );
});

test('approve --cloud on an execution whose approval timed out, or that never asked, says so', { timeout: 60_000 }, async () => {
  const hold = { Type: 'Wait', Seconds: 3600, End: true };
  const short = await sfn.send(
    new CreateStateMachineCommand({
      name: 'short-approval',
      roleArn: 'arn:aws:iam::111111111111:role/mlops-sfn',
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'Ask',
        States: {
          Ask: { ...DEFINITION.States.RequestManualApproval, TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Hold' }], Next: 'Hold' },
          Hold: hold,
        },
      }),
    }),
  );
  const idle = await sfn.send(
    new CreateStateMachineCommand({ name: 'no-approval', roleArn: 'arn:aws:iam::111111111111:role/mlops-sfn', definition: JSON.stringify({ StartAt: 'Hold', States: { Hold: hold } }) }),
  );
  const { StartExecutionCommand, GetExecutionHistoryCommand } = await import('@aws-sdk/client-sfn');
  const late = await sfn.send(new StartExecutionCommand({ stateMachineArn: short.stateMachineArn, name: 'late' }));
  const quiet = await sfn.send(new StartExecutionCommand({ stateMachineArn: idle.stateMachineArn, name: 'quiet' }));
  try {
    await until('the approval task to time out', async () => {
      const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: late.executionArn, reverseOrder: true }));
      return h.events?.some((e) => e.type === 'TaskTimedOut') ? true : undefined;
    });
    const opts = { endpointUrl: api.url, approver: 'alice' };
    await assert.rejects(
      decideCloud('late', 'Approved', { ...opts, stateMachineArn: short.stateMachineArn! }, bareEnv()),
      /^UserError: the approval of late expired at \S+ \(the task timed out\): nobody decided in time, so the model is rejected$/,
    );
    await assert.rejects(
      decideCloud(quiet.executionArn!, 'Rejected', opts, bareEnv()),
      /^UserError: quiet is not waiting for an approval \(it is running and has not asked for one yet\)$/,
    );
  } finally {
    await sfn.send(new StopExecutionCommand({ executionArn: late.executionArn }));
    await sfn.send(new StopExecutionCommand({ executionArn: quiet.executionArn }));
  }
});

/**
 * CloudFormation is not emulated: this front answers DescribeStacks with AWS's response document
 * for one stack and passes every other call through to the local API.
 */
async function withStack(stackName: string, outputs: Record<string, string>): Promise<{ url: string; server: Server }> {
  const members = Object.entries(outputs)
    .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue><Description>${k}</Description></member>`)
    .join('');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString());
      if (form.get('Action') === 'DescribeStacks') {
        if (form.get('StackName') !== stackName) {
          res.writeHead(400, { 'content-type': 'text/xml' });
          return res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${form.get('StackName')} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        return res.end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>' +
            `<StackName>${stackName}</StackName><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/${stackName}/0b8e2c50-0000-11f0-8000-000000000000</StackId>` +
            `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs>` +
            '</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>',
        );
      }
      const target = new URL(req.url ?? '/', api.url);
      const headers = { ...req.headers, host: target.host };
      const forward = request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test("without overrides, start and executions --cloud take the state machine, trigger, bucket and key from the stack's outputs", { timeout: 60_000 }, async () => {
  const stack = await withStack('ml-prod', {
    MlOpsBucket: BUCKET,
    StateMachine: stateMachineArn,
    LambdaFunction: 'arn:aws:lambda:us-east-1:111111111111:function:trigger',
    PipelineKey: 'third/scripts/input.yaml',
    ModelName: 'third',
  });
  try {
    const lines: string[] = [];
    await startCommand({ endpointUrl: stack.url, stackName: 'ml-prod' }, { env: bareEnv(), log: (l) => lines.push(l) });
    const name = /^started (mlops-third-\d+) from s3:\/\/mlops-bucket\/third\/scripts\/input\.yaml$/.exec(lines[0] ?? '')?.[1];
    assert.ok(name, lines.join('\n'));
    const listed = await cloudExecutionsCommand('list', undefined, { endpointUrl: stack.url, stackName: 'ml-prod', status: 'RUNNING' }, bareEnv());
    assert.match(listed, new RegExp(`^${name} +RUNNING `, 'm'));
    // The default stack is the one `deploy` creates for the model name.
    await assert.rejects(
      cloudExecutionsCommand('list', undefined, { endpointUrl: stack.url, modelName: 'census' }, bareEnv()),
      /^UserError: no stack mlops-sfn-census in region us-east-1: run `mlops-sfn deploy` or pass --stack-name \(and --region\)$/,
    );
    await sfn.send(new StopExecutionCommand({ executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}` }));
  } finally {
    stack.server.closeAllConnections();
    stack.server.close();
  }
});
