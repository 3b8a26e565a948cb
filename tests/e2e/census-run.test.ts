import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;

function mlops(home: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the census pipeline runs end to end locally, and runs again cleanly', { timeout: 600_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-census-'));
  // A small data set keeps the test quick; the stages, jobs and endpoint are the real ones.
  const first = mlops(home, ['run', 'examples/census', '--rows', '3000', '--json']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  for (const stage of ['Preprocessing', 'Training', 'Evaluation', 'BatchTransform']) assert.match(first.stderr, new RegExp(`${stage} \\.\\.\\.`));
  // --json: the human summary goes to standard error, standard output is one JSON document.
  assert.match(first.stderr, /Pipeline succeeded/);
  assert.match(first.stderr, /approval: Approved/);
  assert.match(first.stderr, /endpoint: census \(InService\)/);
  // The job names, for `mlops-sfn logs`.
  assert.match(first.stderr, /jobs: +preprocessing mlops-census-\d+, training mlops-census-\d+, evaluation evaluation-mlops-census-\d+, batchTransform batch-mlops-census-\d+ +\(their logs: mlops-sfn logs <job>\)/);
  // The endpoint answers a test row with "<label>,<probability>".
  assert.match(first.stderr, /sample prediction: [01](\.0)?,0?\.\d+/);
  const summary = JSON.parse(first.stdout) as {
    metrics: Record<string, number>;
    batchOutput: string;
    model: { modelPackageArn: string };
    endpoint: { DataCaptureUri: string };
  };
  // endpoint.data_capture: the summary says where captures land, and an InvokeEndpoint call lands there.
  assert.match(summary.endpoint.DataCaptureUri, /^s3:\/\/\S+\/census\/datacapture\/census\/AllTraffic\/$/);
  assert.ok(first.stderr.includes(`data capture: ${summary.endpoint.DataCaptureUri}yyyy/mm/dd/hh/*.jsonl`), first.stderr);
  // A row of the test features the batch transform read, sent as a client would.
  const bucket = /^s3:\/\/([^/]+)\//.exec(summary.endpoint.DataCaptureUri)![1]!;
  const processed = mlops(home, ['s3', 'ls', '--recursive', `s3://${bucket}/census/processing/`]);
  const features = /(\S*test_features\.csv)\s*$/m.exec(processed.stdout)?.[1];
  assert.ok(features, processed.stdout);
  const firstRow = mlops(home, ['s3', 'cp', features.startsWith('s3://') ? features : `s3://${bucket}/${features}`, '-']).stdout.split('\n')[0]!;
  const row = join(home, 'row.csv');
  writeFileSync(row, firstRow + '\n');
  const invoked = mlops(home, ['invoke', 'census', '--body', row, '--content-type', 'text/csv', '--accept', 'text/csv', '--inference-id', 'census-check']);
  assert.equal(invoked.code, 0, invoked.stderr);
  const listed = mlops(home, ['s3', 'ls', '--recursive', summary.endpoint.DataCaptureUri]);
  assert.equal(listed.code, 0, listed.stderr);
  const file = /(\S+\/AllTraffic\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl)/.exec(listed.stdout)?.[1];
  assert.ok(file, listed.stdout);
  const record = JSON.parse(mlops(home, ['s3', 'cp', file.startsWith('s3://') ? file : `s3://${bucket}/${file}`, '-']).stdout.trim().split('\n').at(-1)!);
  assert.equal(record.eventMetadata.inferenceId, 'census-check');
  assert.deepEqual(record.captureData.endpointInput, { observedContentType: 'text/csv', mode: 'INPUT', data: firstRow + '\n', encoding: 'CSV' });
  assert.equal(record.captureData.endpointOutput.encoding, 'CSV');
  // The example's rules: ones a model that never predicts the positive class fails.
  assert.ok(summary.metrics['roc_auc']! >= 0.8, `roc_auc ${summary.metrics['roc_auc']}`);
  assert.ok(summary.metrics['recall']! >= 0.5, `recall ${summary.metrics['recall']}`);
  assert.ok(summary.metrics['precision']! >= 0.15, `precision ${summary.metrics['precision']}`);
  assert.match(summary.model.modelPackageArn, /model-package\/census\/1$/);
  // The batch output has one prediction line per test row.
  const out = mlops(home, ['s3', 'cp', `${summary.batchOutput}test_features.csv.out`, '-']);
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split('\n');
  assert.equal(lines.length, 900, 'a 30% test split of 3,000 rows');
  assert.match(lines[0]!, /^[01](\.0)?,/);

  // validate now knows the metrics the evaluation step writes (its report in this home), so a rule
  // naming another one is refused with the names it could use; without a report newer than the
  // scripts, it cannot know and checks nothing.
  assert.equal(mlops(home, ['validate', 'examples/census']).code, 0);
  const copy = join(mkdtempSync(join(tmpdir(), 'mlops-sfn-census-copy-')), 'census');
  cpSync(join(root, 'examples', 'census'), copy, { recursive: true, preserveTimestamps: true });
  const yaml = join(copy, 'pipeline.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('- recall >= 0.5', '- recal >= 0.5'));
  const typo = mlops(home, ['validate', copy]);
  assert.equal(typo.code, 2, typo.stdout + typo.stderr);
  const [problem] = typo.stdout.split('\n');
  assert.match(
    problem!,
    /^\S+census\/pipeline\.yaml:\d+:\d+: approval\.rules\[1\]: the evaluation step does not write a metric named "recal", so this rule would reject every model \(its report s3:\/\/\S+\/census\/evaluation\/mlops-census-\d+\/evaluation\.json \(evaluation job evaluation-mlops-census-\d+\) has: accuracy, f1, precision, recall, roc_auc; name one of those\)$/,
  );
  utimesSync(join(copy, 'evaluation.py'), new Date(), new Date(Date.now() + 60_000));
  assert.equal(mlops(home, ['validate', copy]).code, 0, 'an evaluation script changed since the report: its metrics cannot be known');

  const second = mlops(home, ['run', 'examples/census', '--rows', '3000']);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stdout, /model-package\/census\/2/, 'the second run registers version 2');
});

test('a pipeline with a broken YAML stops before anything runs, with the file, line and field', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-bad-'));
  const r = mlops(home, ['run', 'no/such/pipeline']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('manual approval: the run waits, and `approve` from a second process lets it deploy', { timeout: 300_000 }, async () => {
  const { cpSync, readFileSync, writeFileSync } = await import('node:fs');
  const { spawn } = await import('node:child_process');
  const work = mkdtempSync(join(tmpdir(), 'mlops-sfn-manual-'));
  const home = join(work, 'home');
  cpSync(join(root, 'examples/census'), join(work, 'census'), { recursive: true });
  const yaml = join(work, 'census', 'pipeline.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^ {2}mode: auto$/m, '  mode: manual'));
  const child = spawn(process.execPath, [cli, '--home', home, 'run', join(work, 'census'), '--rows', '2000'], { cwd: root });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  for (let i = 0; i < 240 && !/waiting for a manual approval of (\S+)/.test(stderr); i++) await new Promise((r) => setTimeout(r, 500));
  const execution = /waiting for a manual approval of (\S+)/.exec(stderr)?.[1];
  assert.ok(execution, `the run asked for an approval:\n${stderr}`);
  const decided = mlops(home, ['approve', execution, '--comment', 'metrics look right', '--approver', 'alice']);
  assert.equal(decided.code, 0, decided.stderr);
  assert.equal(await exited, 0, stderr + stdout);
  assert.match(stdout, /approval: Approved/);
  assert.match(stdout, /endpoint: census \(InService\)/);
  const again = mlops(home, ['approve', execution]);
  assert.equal(again.code, 2, 'a decision is taken once');
  assert.match(again.stderr, /already approved by alice/);
});
