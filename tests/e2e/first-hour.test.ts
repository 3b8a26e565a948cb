/**
 * The first hour of a new user, as they meet it: the CLI run as a child process against a fresh
 * home and a pipeline folder of their own (a copy of the census example, changed the way users
 * change it).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;
const work = mkdtempSync(join(tmpdir(), 'mlops-sfn-first-hour-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mlops(home: string, args: string[], timeout = 120_000): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

let seq = 0;
/** A copy of the census example, its pipeline.yaml changed by `edit`. */
function censusCopy(edit: (yaml: string) => string = (y) => y): string {
  const dir = join(work, `census-${++seq}`);
  cpSync(join(root, 'examples/census'), dir, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.endsWith('/data') });
  const yaml = join(dir, 'pipeline.yaml');
  writeFileSync(yaml, edit(readFileSync(yaml, 'utf8')));
  return dir;
}

function replaced(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  assert.notEqual(out, text, `the example still has ${String(from)}`);
  return out;
}

test('item 4: the scripts prefix mirrors the pipeline folder: a file deleted locally is deleted from it', { timeout: 120_000 }, async () => {
  const home = join(work, 'home-mirror');
  const dir = join(work, 'mirror');
  mkdirSync(dir);
  // No stage runs: only the upload matters here.
  writeFileSync(join(dir, 'pipeline.yaml'), 'app_id: demo\nmodel_id: mirror\njob_prefix: mlops\n');
  writeFileSync(join(dir, 'keep.py'), 'print("kept")\n');
  writeFileSync(join(dir, 'helper.py'), 'print("helper")\n');
  const first = await mlops(home, ['run', dir]);
  assert.equal(first.code, 0, first.stderr);
  const listing = async () => (await mlops(home, ['s3', 'ls', 's3://mlops-local/mirror/scripts/', '--recursive'])).stdout;
  assert.match(await listing(), /helper\.py/);
  rmSync(join(dir, 'helper.py'));
  const second = await mlops(home, ['run', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /removed 1 script no longer in the pipeline folder: helper\.py/);
  const after = await listing();
  assert.doesNotMatch(after, /helper\.py/);
  assert.match(after, /keep\.py/);
});

test('item 4: validate reports entry point scripts (ContainerEntrypoint, sagemaker_program, SAGEMAKER_PROGRAM) missing from the folder', { timeout: 60_000 }, async () => {
  const dir = censusCopy((y) => {
    let out = replaced(y, '/opt/ml/processing/code/preprocessing.py', '/opt/ml/processing/code/prep.py');
    out = replaced(out, '      max_iter: "1000"\n', '      max_iter: "1000"\n      sagemaker_program: \'"fit.py"\'\n      sagemaker_submit_directory: s3://MLOPS_BUCKET/census/scripts/source.tar.gz\n');
    out = replaced(out, 'SAGEMAKER_PROGRAM: inference.py\n        SAGEMAKER_SUBMIT_DIRECTORY: /opt/ml/model/code', 'SAGEMAKER_PROGRAM: serve.py\n        SAGEMAKER_SUBMIT_DIRECTORY: s3://MLOPS_BUCKET/census/scripts/source.tar.gz');
    return out;
  });
  const r = await mlops(join(work, 'home-validate'), ['validate', dir]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 4, r.stdout);
  assert.match(lines[0]!, /preprocessing\.input\.AppSpecification\.ContainerEntrypoint\[1\]: \/opt\/ml\/processing\/code\/prep\.py is not in the pipeline folder/);
  assert.match(lines[1]!, /training\.input\.HyperParameters\.sagemaker_program: fit\.py is not in the pipeline folder/);
  assert.match(lines[2]!, /CreateModel\.input\.PrimaryContainer\.Environment\.SAGEMAKER_PROGRAM: serve\.py is not in the pipeline folder/);
  assert.match(lines[0]!, /the folder's scripts: evaluation\.py, generate_data\.py, inference\.py, preprocessing\.py, train\.py/);
  assert.match(lines[3]!, /3 problems/);
});

/** One census run whose training script raises, shared by the tests that look at a failure. */
let failing: Promise<{ home: string; run: Ran }> | undefined;
function failingRun(): Promise<{ home: string; run: Ran }> {
  failing ??= (async () => {
    const dir = censusCopy();
    const train = join(dir, 'train.py');
    writeFileSync(train, replaced(readFileSync(train, 'utf8'), /^def main\(\):$/m, 'def main():\n    raise ValueError("bad hyperparameter C")'));
    const home = join(work, 'home-failing');
    return { home, run: await mlops(home, ['run', dir, '--rows', '1000'], 180_000) };
  })();
  return failing;
}

test('item 5: progress says a failed stage failed, with the cause, never "done"', { timeout: 240_000 }, async () => {
  const { run } = await failingRun();
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /Training done/);
  assert.match(run.stderr, /Training failed after \d\d:\d\d\.\d: States\.TaskFailed: AlgorithmError: , exit code: 1 — ValueError: bad hyperparameter C \(mlops-sfn logs mlops-census-\d+\)/);
  assert.match(run.stderr, /Preprocessing done in/);
  // The summary names the job to read, with its exception.
  assert.match(run.stdout, /failed job: mlops-census-\d+: ValueError: bad hyperparameter C/);
});

test('item 6: executions list shows the error of a failed execution', { timeout: 240_000 }, async () => {
  const { home } = await failingRun();
  const r = await mlops(home, ['executions', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const row = r.stdout.split('\n').find((l) => /\bFAILED\b/.test(l));
  assert.ok(row, r.stdout);
  assert.match(row, /States\.TaskFailed: Stage training failed \(training job mlops-census-\d+\): AlgorithmError/);
});

test('item 6: executions list shows the error of an aborted execution (StopExecution with an error and cause)', { timeout: 120_000 }, async () => {
  const home = join(work, 'home-aborted');
  const child = spawn(process.execPath, [cli, '--home', home, 'serve', '--no-schedule', '--port', '0'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((r) => child.on('close', r));
  try {
    const serveFile = join(home, 'serve.json');
    for (let i = 0; i < 200 && !existsSync(serveFile); i++) await new Promise((r) => setTimeout(r, 100));
    const { url } = JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string };
    const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({ name: 'slow', roleArn: 'arn:aws:iam::111111111111:role/r', definition: JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, End: true } } }) }),
      );
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'held' }));
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Stopped', cause: 'stopped by hand to redeploy' }));
    } finally {
      sfn.destroy();
    }
    const r = await mlops(home, ['executions', 'list', '--state-machine', 'slow']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /held +ABORTED .*Operator\.Stopped: stopped by hand to redeploy/);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

test('item 7: the history of a local run shows how long each job really worked', { timeout: 240_000 }, async () => {
  const { home, run } = await failingRun();
  const name = /execution (mlops-census-\d+)/.exec(run.stdout)![1]!;
  const r = await mlops(home, ['executions', 'history', name]);
  assert.equal(r.code, 0, r.stderr);
  const at = (type: string, state: string) => {
    const line = r.stdout.split('\n').find((l) => l.includes(`${type}  ${state}`));
    assert.ok(line, `${type} ${state} in\n${r.stdout}`);
    const [, mm, ss] = /\+(\d\d):(\d\d\.\d)/.exec(line)!;
    return Number(mm) * 60 + Number(ss);
  };
  // The preprocessing job runs Python for a second or more; its state spans that time.
  assert.ok(at('TaskStateExited', 'Preprocessing') - at('TaskStateEntered', 'Preprocessing') >= 0.5, r.stdout);
  const d = await mlops(home, ['executions', 'describe', name]);
  assert.match(d.stdout, /stopped: .*\(after 00:0[1-9]\.\d|\(after 00:[1-9]\d\.\d/);
});

test('item 9: usage errors exit 2 everywhere; --timezone is the flag (with --tz as its alias); local hints name local commands', { timeout: 60_000 }, async () => {
  const home = join(work, 'home-contract');
  for (const args of [['run'], ['invoke', 'census'], ['logs'], ['s3', 'cp'], ['executions', 'describe', 'x', '--limit']]) {
    const r = await mlops(home, args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  const byName = await mlops(home, ['schedule', 'preview', '0 6 * * ? *', '--timezone', 'Europe/Berlin', '-n', '1', '--from', '2026-01-01T00:00:00Z']);
  const byAlias = await mlops(home, ['schedule', 'preview', '0 6 * * ? *', '--tz', 'Europe/Berlin', '-n', '1', '--from', '2026-01-01T00:00:00Z']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(byAlias.stdout, byName.stdout);
  assert.match(byName.stdout, /2026-01-01 06:00 \(\+01:00\)/);
  const missing = await mlops(home, ['executions', 'describe', 'nope']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /`mlops-sfn executions` lists the recent ones/);
  assert.doesNotMatch(missing.stderr, /--cloud/);
});
