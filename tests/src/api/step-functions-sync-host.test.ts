/**
 * StartSyncExecution (and TestState) carry the endpoint host prefix `sync-`. These tests drive the
 * local API with real clients both ways: with the prefix kept (the client resolves `sync-localhost`
 * / `sync-127.0.0.1` to this machine, as a hosts entry would) and with it turned off
 * (SDK v3 `disableHostPrefix: true`, botocore `inject_host_prefix=False`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { apiHarness, clientConfig, ROLE } from '../../support/local-api.js';

const EXPRESS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'got.$': '$.n' }, End: true } } });
const PYTHON = 'python3.11';

function boto3Missing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${PYTHON} with boto3 is not available (${(r.error?.message ?? r.stderr).trim().split('\n').at(-1)})`;
}

test('SDK v3: StartSyncExecution with the sync- host prefix kept, and with disableHostPrefix', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  try {
    const plain = new SFNClient(clientConfig(h.api));
    const { stateMachineArn } = await plain.send(new CreateStateMachineCommand({ name: 'sync', definition: EXPRESS, roleArn: ROLE, type: 'EXPRESS' }));

    // disableHostPrefix: true, endpoint on the IP address (what the README tells SDK users to do).
    const viaIp = await plain.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
    assert.equal(viaIp.status, 'SUCCEEDED');
    assert.equal(viaIp.output, '{"got":1}');

    // The prefix kept: the SDK calls sync-localhost, which this client resolves to the loopback address.
    const looked: string[] = [];
    const lookup = ((hostname: string, options: unknown, callback: (e: Error | null, address: string, family: number) => void) => {
      looked.push(hostname);
      const cb = typeof options === 'function' ? (options as typeof callback) : callback;
      if ((options as { all?: boolean })?.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    const port = new URL(h.api.url).port;
    const prefixed = new SFNClient({
      ...clientConfig(h.api),
      endpoint: `http://localhost:${port}`,
      disableHostPrefix: false,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup }) }),
    });
    const viaPrefix = await prefixed.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"n":2}' }));
    assert.equal(viaPrefix.output, '{"got":2}');
    assert.ok(looked.includes('sync-localhost'), `the SDK addressed ${looked.join(', ')}`);
  } finally {
    await h.close();
  }
});

test('a Host of sync-<a foreign name> is still refused (only loopback names are served)', { timeout: 30_000 }, async () => {
  const h = await apiHarness();
  try {
    const { port } = new URL(h.api.url);
    for (const [host, expected] of [
      ['sync-evil.example', 403],
      ['sync-localhost.evil.example', 403],
      [`sync-127.0.0.1:${port}`, 200],
    ] as const) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { Host: host, 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines', 'Content-Type': 'application/x-amz-json-1.0' } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      assert.equal(status, expected, host);
    }
  } finally {
    await h.close();
  }
});

const BOTO3 = `
import json, socket, sys, boto3
from botocore.config import Config
url, arn = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
out = {}
# inject_host_prefix=False: the request goes to the endpoint as given.
plain = boto3.client("stepfunctions", config=Config(inject_host_prefix=False), **kw)
out["plain"] = plain.start_sync_execution(stateMachineArn=arn, input='{"n": 3}')["output"]
# The default keeps the prefix: sync-127.0.0.1 must resolve to this machine (a hosts entry would do it).
seen = []
real = socket.getaddrinfo
def getaddrinfo(host, *a, **k):
    seen.append(host)
    return real("127.0.0.1" if host.startswith("sync-") else host, *a, **k)
socket.getaddrinfo = getaddrinfo
prefixed = boto3.client("stepfunctions", **kw)
out["prefixed"] = prefixed.start_sync_execution(stateMachineArn=arn, input='{"n": 4}')["output"]
out["seen"] = seen
print(json.dumps(out))
`;

test('boto3: start_sync_execution with inject_host_prefix=False, and with the sync- prefix resolved locally', { timeout: 60_000 }, async (t) => {
  const missing = boto3Missing();
  if (missing) return t.skip(missing);
  const h = await apiHarness();
  try {
    const sfn = new SFNClient(clientConfig(h.api));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'sync-py', definition: EXPRESS, roleArn: ROLE, type: 'EXPRESS' }));
    const { spawn } = await import('node:child_process');
    const child = spawn(PYTHON, ['-c', BOTO3, h.api.url, stateMachineArn!], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as { plain: string; prefixed: string; seen: string[] };
    assert.equal(out.plain, '{"got":3}');
    assert.equal(out.prefixed, '{"got":4}');
    assert.ok(out.seen.includes('sync-127.0.0.1'), `boto3 addressed ${out.seen.join(', ')}`);
  } finally {
    await h.close();
  }
});
