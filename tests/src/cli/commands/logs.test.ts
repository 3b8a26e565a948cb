import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import type { JsonObject } from '../../../../src/core/json.js';
import { ownerToJson } from '../../../../src/core/process-owner.js';
import { Store } from '../../../../src/store/index.js';
import { jobLogPath, printJobLog, registerLogsCommand } from '../../../../src/cli/commands/logs.js';
import { CLI } from '../../../support/cli.js';

const home = mkdtempSync(join(tmpdir(), 'logs-cmd-'));
after(() => rmSync(home, { recursive: true, force: true }));
mkdirSync(join(home, 'logs'));

test("logs prints a job's log as it is", { timeout: 60_000 }, async () => {
  writeFileSync(join(home, 'logs', 'prep-1.log'), 'line 1\nline 2\n');
  let out = '';
  await printJobLog(home, 'prep-1', { write: (t) => (out += t) });
  assert.equal(out, 'line 1\nline 2\n');
});

test('logs refuses names that are not job names and reports a missing log clearly', { timeout: 60_000 }, async () => {
  assert.throws(() => jobLogPath(home, '../state'), (e: unknown) => e instanceof UserError && e.code === 'INVALID_JOB_NAME');
  await assert.rejects(printJobLog(home, 'never-ran', { write: () => undefined }), (e: unknown) => e instanceof UserError && /No log for "never-ran"/.test(e.message));
});

test('logs --follow waits for the log, prints lines as they are appended and stops when the job is done', { timeout: 60_000 }, async () => {
  const file = join(home, 'logs', 'train-1.log');
  let done = false;
  const chunks: string[] = [];
  const following = printJobLog(home, 'train-1', {
    follow: true,
    pollMs: 10,
    write: (t) => chunks.push(t),
    isJobDone: async () => done,
  });
  await new Promise((r) => setTimeout(r, 40));
  writeFileSync(file, 'epoch 1\nepo');
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(chunks, ['epoch 1\n'], 'a partial line waits for its end');
  appendFileSync(file, 'ch 2\nfinal\n');
  done = true;
  await following;
  assert.equal(chunks.join(''), 'epoch 1\nepoch 2\nfinal\n');
});

test('logs --follow ends on Ctrl-C', { timeout: 60_000 }, async () => {
  writeFileSync(join(home, 'logs', 'svc.log'), 'a\n');
  const ac = new AbortController();
  let out = '';
  const p = printJobLog(home, 'svc', { follow: true, pollMs: 10, signal: ac.signal, write: (t) => (out += t) });
  setTimeout(() => ac.abort(), 30);
  await p;
  assert.equal(out, 'a\n');
});

test('the logs command is registered with its argument and --follow', () => {
  const program = new Command();
  registerLogsCommand(program, () => home);
  const cmd = program.commands.find((c) => c.name() === 'logs');
  assert.ok(cmd);
  assert.deepEqual(
    cmd.options.map((o) => o.long),
    ['--follow'],
  );
});

// The command as a user runs it: a child process reading the home's records.
const cli = CLI;

function logsCli(args: string[], timeout = 20_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--home', home, 'logs', ...args], { timeout, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

function record(kind: string, name: string, status: string, record: JsonObject): void {
  const store = Store.open(home);
  try {
    if (store.resources.get(kind, name)) store.resources.update(kind, name, () => ({ record, status }));
    else store.resources.insert({ kind, name, arn: `arn:aws:sagemaker:us-east-1:111111111111:${kind}/${name}`, status, record });
  } finally {
    store.close();
  }
}

test('logs -f ends once the job has ended (its record says so), after printing every line', { timeout: 30_000 }, async () => {
  // The job's owner is a live process, so the job is really in progress until its record changes.
  const owner = spawn('sleep', ['30']);
  try {
    record('training-job', 'train-live', 'InProgress', { Description: { TrainingJobStatus: 'InProgress' }, Owner: ownerToJson({ pid: owner.pid! }) });
    writeFileSync(join(home, 'logs', 'train-live.log'), 'epoch 1\n');
    const following = logsCli(['-f', 'train-live']);
    await new Promise((r) => setTimeout(r, 1500));
    appendFileSync(join(home, 'logs', 'train-live.log'), 'epoch 2\n');
    record('training-job', 'train-live', 'Completed', { Description: { TrainingJobStatus: 'Completed' } });
    const r = await following;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'epoch 1\nepoch 2\n');
  } finally {
    owner.kill();
  }
});

test('logs -f ends for a job left InProgress by a process that was killed', { timeout: 30_000 }, async () => {
  const gone = spawnSync('true').pid!;
  record('processing-job', 'prep-orphan', 'InProgress', { Description: { ProcessingJobStatus: 'InProgress' }, Owner: ownerToJson({ pid: gone }) });
  writeFileSync(join(home, 'logs', 'prep-orphan.log'), 'started\n');
  const r = await logsCli(['-f', 'prep-orphan']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'started\n');
});

test("logs <endpoint> prints the endpoint's model server log, and -f ends once no process serves it", { timeout: 30_000 }, async () => {
  const gone = spawnSync('true').pid!;
  record('endpoint', 'census', 'InService', {
    Description: { EndpointName: 'census', EndpointStatus: 'InService', ProductionVariants: [{ VariantName: 'AllTraffic' }] },
    Owner: ownerToJson({ pid: gone }),
  });
  writeFileSync(join(home, 'logs', 'census-AllTraffic.log'), 'model loaded\n');
  const plain = await logsCli(['census']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stdout, 'model loaded\n');
  const followed = await logsCli(['-f', 'census']);
  assert.equal(followed.code, 0, followed.stderr);
  assert.equal(followed.stdout, 'model loaded\n');
  const byVariant = await logsCli(['-f', 'census-AllTraffic']);
  assert.equal(byVariant.stdout, 'model loaded\n');
});

test('logs of a name nothing has written: exit 1 with where it looked; a name that cannot be a job: exit 2', { timeout: 30_000 }, async () => {
  const missing = await logsCli(['nothing-here']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No log for "nothing-here"/);
  const bad = await logsCli(['../state']);
  assert.equal(bad.code, 2);
});
