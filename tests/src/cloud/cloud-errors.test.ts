/**
 * The cloud commands' failures, through the real CLI in a child process with an empty AWS
 * environment (no credentials, no config files, no instance metadata): each ends at once with one
 * line that says what to do. AWS's answers (a missing stack, an expired token, a denied call) come
 * from a server on 127.0.0.1 replying with AWS's error documents; nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { explainCloudError, isLoopbackEndpoint } from '../../../src/cloud/cloud-errors.js';
import { CLI } from '../../support/cli.js';

const MAIN = CLI;
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:mlops-pipeline';
let home: string;

before(() => {
  home = mkdtempSync(join(tmpdir(), 'mlops-sfn-cloud-errors-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

/** An environment with nothing AWS in it: the SDK can only find what a test adds. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, '--home', home, ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function assertOneLine(r: { code: number; stderr: string }, expected: string | RegExp, code = 2): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line, no stack trace:\n${r.stderr}`);
  if (typeof expected === 'string') assert.equal(lines[0], expected);
  else assert.match(lines[0]!, expected);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Answers every request with one AWS error document (and records what was asked). */
async function awsErrorServer(status: number, contentType: string, body: string): Promise<{ url: string; server: Server; targets: string[] }> {
  const targets: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      targets.push(String(req.headers['x-amz-target'] ?? /Action=(\w+)/.exec(data)?.[1] ?? req.url));
      res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'c0ffee00-0000-4000-8000-000000000000' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, targets };
}

test('without a region, start --cloud says how to set one', { timeout: 60_000 }, async () => {
  const r = await cli(['start', '--cloud'], bareEnv(KEYS));
  assertOneLine(r, 'mlops-sfn: no AWS region: set AWS_REGION (e.g. export AWS_REGION=us-east-1), pass --region, or give your profile a region (aws configure)');
});

test('without credentials, start and approve --cloud say how to get them', { timeout: 60_000 }, async () => {
  const r = await cli(['start', '--cloud'], bareEnv({ AWS_REGION: 'eu-west-1' }));
  assertOneLine(
    r,
    'mlops-sfn: no AWS credentials found: set AWS_PROFILE (or pass --profile) to a configured profile, run `aws configure`, or `aws sso login` for an SSO profile',
  );
  const p = await cli(['approve', 'census-1', '--cloud', '--region', 'eu-west-1', '--profile', 'ml-dev'], bareEnv());
  assertOneLine(p, /^mlops-sfn: profile ml-dev gives no usable AWS credentials: set AWS_PROFILE/);
});

test('an endpoint nobody listens on: cannot reach it (local endpoints need no credentials or region)', { timeout: 60_000 }, async () => {
  const port = await closedPort();
  const r = await cli(['start', '--cloud', '--endpoint-url', `http://127.0.0.1:${port}`], bareEnv());
  assertOneLine(r, `mlops-sfn: cannot reach http://127.0.0.1:${port} calling cloudformation:DescribeStacks (ECONNREFUSED): is the local API running (\`mlops-sfn serve\`)?`);
});

test('a stack that does not exist: deploy it or name another', { timeout: 60_000 }, async () => {
  const aws = await awsErrorServer(
    400,
    'text/xml',
    '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code>' +
      '<Message>Stack with id mlops-sfn-census does not exist</Message></Error><RequestId>c0ffee00-0000-4000-8000-000000000000</RequestId></ErrorResponse>',
  );
  try {
    const r = await cli(['start', '--cloud', '--model-name', 'census', '--endpoint-url', aws.url], bareEnv({ ...KEYS, AWS_REGION: 'eu-west-1' }));
    assertOneLine(r, 'mlops-sfn: no stack mlops-sfn-census in region eu-west-1: run `mlops-sfn deploy` or pass --stack-name (and --region)');
    assert.deepEqual(aws.targets, ['DescribeStacks']);
  } finally {
    aws.server.close();
  }
});

test('expired credentials and a denied call are one line each, with AWS reason kept', { timeout: 60_000 }, async () => {
  const expired = await awsErrorServer(
    400,
    'application/x-amz-json-1.0',
    JSON.stringify({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'The security token included in the request is expired' }),
  );
  const denied = await awsErrorServer(
    400,
    'application/x-amz-json-1.0',
    JSON.stringify({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      Message: `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: states:DescribeExecution on resource: ${SM.replace(':stateMachine:', ':execution:')}:census-1`,
    }),
  );
  try {
    const env = bareEnv({ ...KEYS, AWS_REGION: 'eu-west-1' });
    const r = await cli(['approve', 'census-1', '--cloud', '--state-machine-arn', SM, '--endpoint-url', expired.url], env);
    assertOneLine(r, 'mlops-sfn: the AWS credentials have expired (ExpiredTokenException): refresh them (`aws sso login`, or new temporary credentials) and try again');
    assert.deepEqual(expired.targets, ['AWSStepFunctions.DescribeExecution']);
    const d = await cli(['reject', 'census-1', '--cloud', '--state-machine-arn', SM, '--endpoint-url', denied.url], env);
    assertOneLine(d, /^mlops-sfn: access denied calling states:DescribeExecution: User: arn:aws:iam::123456789012:user\/dev is not authorized to perform: states:DescribeExecution on resource: .*:census-1 \(the credentials need this permission\)$/);
  } finally {
    expired.server.close();
    denied.server.close();
  }
});

test('start without --cloud and with no serve running points to --cloud, serve and the local run', { timeout: 60_000 }, async () => {
  const r = await cli(['start'], bareEnv());
  assertOneLine(
    r,
    'mlops-sfn: start talks to a deployed stack: add --cloud (or --endpoint-url for a local API), or run `mlops-sfn serve <pipeline>` for this --home first; to run the pipeline once here use `mlops-sfn run <pipeline>`',
  );
});

test('errors that are not AWS errors are left alone (a bug stays a bug)', () => {
  assert.equal(explainCloudError(new TypeError('x is undefined'), {}, 'states:ListExecutions'), undefined);
  assert.ok(isLoopbackEndpoint('http://localhost:4566') && isLoopbackEndpoint('http://127.0.0.1:1') && isLoopbackEndpoint('http://[::1]:80'));
  assert.ok(!isLoopbackEndpoint('https://states.eu-west-1.amazonaws.com') && !isLoopbackEndpoint(undefined));
});
