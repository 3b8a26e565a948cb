/**
 * Redrive of a pipeline whose evaluation failed, through a real AWS SDK (boto3, in Python) against
 * `serve`: boto3 triggers the pipeline (Lambda Invoke of the trigger, as the schedule does), the
 * evaluation script raises, the user uploads the fixed script and redrives with
 * stepfunctions.redrive_execution. The execution SUCCEEDS with redriveCount 1, and the jobs that had
 * succeeded (preprocessing, training) are not run again: SageMaker lists each once. The jobs are
 * real (small Python scripts in the sandbox). Skipped, saying why, without Python's boto3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../../src/serve/local-server.js';
import { FIXED_EVALUATION, PIPELINE, SCRIPTS } from '../../support/mini-pipeline.js';

const python = ['python3', 'python3.11'].find((p) => spawnSync(p, ['-c', 'import boto3'], { timeout: 30_000 }).status === 0);

const BOTO3 = `
import json, sys, time, boto3
url, fixed = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
sfn, s3, sm, lam = (boto3.client(s, **kw) for s in ("stepfunctions", "s3", "sagemaker", "lambda"))
def wait(arn):
    for _ in range(1200):
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.1)
    raise SystemExit("the execution did not end")
event = {"config": {"bucket": "mlops-local", "prefix": "mini/scripts/input.yaml"}}
started = json.loads(lam.invoke(FunctionName="mlops-trigger", Payload=json.dumps(event))["Payload"].read())
arn = started["executionArn"]
failed = wait(arn)
s3.put_object(Bucket="mlops-local", Key="mini/scripts/evaluation.py", Body=open(fixed, "rb").read())
sfn.redrive_execution(executionArn=arn)
done = wait(arn)
print(json.dumps({
    "name": started["executionName"],
    "failed": [failed["status"], failed.get("error"), failed.get("redriveStatus")],
    "done": [done["status"], done.get("redriveCount"), json.loads(done.get("output") or "null")],
    "processing": sorted((j["ProcessingJobName"], j["ProcessingJobStatus"]) for j in sm.list_processing_jobs()["ProcessingJobSummaries"]),
    "training": sorted((j["TrainingJobName"], j["TrainingJobStatus"]) for j in sm.list_training_jobs()["TrainingJobSummaries"]),
}))
`;

test('boto3 redrives a pipeline whose evaluation failed, after the script is fixed: SUCCEEDED, redriveCount 1, earlier jobs not re-run', { timeout: 240_000 }, async (t) => {
  if (!python) return t.skip('no Python with boto3 on this machine (install python3-boto3 to run this test)');
  const work = mkdtempSync(join(tmpdir(), 'mlops-sfn-pipeline-redrive-'));
  const dir = join(work, 'mini');
  mkdirSync(dir);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  for (const [file, body] of Object.entries(SCRIPTS)) writeFileSync(join(dir, file), body);
  writeFileSync(join(work, 'evaluation-fixed.py'), FIXED_EVALUATION);
  const server = await startLocalServer({ home: join(work, 'home'), pipeline: dir, port: 0, schedule: false, log: () => {} });
  try {
    // Asynchronously: the API answering boto3 runs in this process.
    const r = await runPython(python, ['-c', BOTO3, server.url, join(work, 'evaluation-fixed.py')], 200_000);
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { name: string; failed: unknown[]; done: [string, number, Record<string, unknown>]; processing: string[][]; training: string[][] };
    const name = got.name;
    assert.deepEqual(got.failed, ['FAILED', 'States.TaskFailed', 'REDRIVABLE']);
    assert.equal(got.done[0], 'SUCCEEDED');
    assert.equal(got.done[1], 1);
    assert.deepEqual(got.done[2]['metrics'], { accuracy: 0.9 });
    // Preprocessing and training ran once; evaluation failed, then ran again under a new name.
    assert.deepEqual(got.processing, [
      [`evaluation-${name}`, 'Failed'],
      [`evaluation-${name}-d1`, 'Completed'],
      [name, 'Completed'],
    ]);
    assert.deepEqual(got.training, [[name, 'Completed']]);
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
});

function runPython(python: string, args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
