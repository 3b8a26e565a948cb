/**
 * `mlops-sfn serve`: the local API answering real AWS SDK clients from another process, the schedule
 * firing the trigger Lambda as EventBridge Scheduler would, and a clean stop on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { VirtualClock } from '../../src/core/clock.js';
import { startLocalServer } from '../../src/serve/local-server.js';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;

/** The census pipeline with every job switched off: a run goes through the whole definition quickly. */
function quickPipeline(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-quick-pipeline-'));
  cpSync(join(root, 'examples/census'), dir, { recursive: true });
  const yaml = join(dir, 'pipeline.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^( {2}run:) true$/gm, '$1 false'));
  rmSync(join(dir, 'generate_data.py'));
  return dir;
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('serve answers AWS SDK clients from another process, lists executions for the CLI, and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-serve-'));
  const pipeline = quickPipeline();
  const child = spawn(process.execPath, [cli, '--home', home, 'serve', pipeline, '--no-schedule', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const serveFile = join(home, 'serve.json');
    const { url, pid } = await waitFor('serve.json', () => (existsSync(serveFile) ? (JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string; pid: number }) : undefined));
    assert.equal(pid, child.pid);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'hello',
        roleArn: 'arn:aws:iam::111111111111:role/r',
        definition: JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true } } }),
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"who":"world"}' }));
    let described;
    for (let i = 0; i < 100; i++) {
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(described?.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(described!.output!), { greeting: 'hello world' });
    sfn.destroy();

    // The CLI of the same home reads through the running serve.
    const listed = spawnSync(process.execPath, [cli, '--home', home, 'executions', '--state-machine', 'hello'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /^first\s+SUCCEEDED/m);

    // Without --cloud, `start` triggers the pipeline this serve deployed, through its API.
    const started = spawnSync(process.execPath, [cli, '--home', home, 'start', '--wait', '--interval', '0.2'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(started.status, 0, started.stderr + started.stdout);
    assert.match(started.stdout, /mlops-census-\d+ succeeded/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /SIGTERM: stopping/);
  assert.equal(existsSync(join(home, 'serve.json')), false, 'serve.json is removed on the way out');

  // The record outlives the process: the CLI reads it with no serve running.
  const again = spawnSync(process.execPath, [cli, '--home', home, 'executions', 'describe', 'first', '--state-machine', 'hello', '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(again.status, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { status: string }).status, 'SUCCEEDED');
  rmSync(home, { recursive: true, force: true });
  rmSync(pipeline, { recursive: true, force: true });
});

test("the schedule fires the trigger Lambda at the cron time with the deployment's event, and the run is named for that time", { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-schedule-'));
  const dir = quickPipeline();
  const logs: string[] = [];
  const clock = new VirtualClock(Date.parse('2026-03-28T05:59:00Z'));
  const server = await startLocalServer({
    home,
    pipeline: dir,
    port: 0,
    schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Paris' },
    clock,
    log: (l) => logs.push(l),
  });
  try {
    const ended = await waitFor('the scheduled run', () => logs.find((l) => / ended: /.test(l)));
    // 06:00 in Paris on 28 March 2026 is 05:00Z: the first fire time after the clock's start is the next day's.
    const fired = Date.parse('2026-03-29T04:00:00Z');
    assert.match(logs.join('\n'), /schedule fired for 2026-03-29T04:00:00.000Z: invoking the trigger with \{"config":\{"bucket":"mlops-local","prefix":"census\/scripts\/input.yaml"\}\}/);
    assert.match(ended, new RegExp(`^mlops-census-${fired / 1000} ended: SUCCEEDED`));
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
