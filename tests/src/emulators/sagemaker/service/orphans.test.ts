import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LOCAL_LOCATION } from '../../../../../src/core/arn.js';
import type { JsonObject } from '../../../../../src/core/json.js';
import { Store } from '../../../../../src/store/index.js';
import { S3Store } from '../../../../../src/emulators/s3/index.js';
import { processesWithArgument } from '../../../../support/hosting.js';
import { SageMakerService } from '../../../../../src/emulators/sagemaker/service/service.js';
import { currentOwner, ownerToJson, processStartTicks } from '../../../../../src/core/process-owner.js';
import { harness } from '../../../../support/sagemaker-service.js';

const FIXTURE = fileURLToPath(new URL('../../../../fixtures/sagemaker-orphans.js', import.meta.url));

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('work left in progress by a killed process is settled as a lost instance; work of a live process is not touched', { timeout: 90_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sm-orphans-'));
  const marker = `orphan-marker-${process.pid}-${Date.now()}`;
  // stdin: the fixture ends when this process does; stderr is forwarded, not inherited, so a fixture
  // that outlived this process could not hold the test runner's output open.
  const child = spawn(process.execPath, [FIXTURE, home, marker], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.pipe(process.stderr);
  // Runs also when the test times out (a `finally` after a stuck await would not).
  t.after(() => child.kill('SIGKILL'));
  const exited = new Promise((r) => child.once('exit', r));
  const store = Store.open(home);
  const sm = new SageMakerService({ store, s3: new S3Store(join(home, 's3'), { fsync: false }), home, location: LOCAL_LOCATION, pollMs: 50 });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`the fixture exited (${code})`)));
    });
    const status = (name: string) => sm.describeProcessingJob({ ProcessingJobName: name })['ProcessingJobStatus'];

    // Its owner runs: nothing is settled, and a stop from this process reaches the owner through the record.
    assert.deepEqual(sm.settleOrphanedWork(), []);
    assert.equal(status('lost-job'), 'InProgress');
    assert.equal(sm.describeEndpoint({ EndpointName: 'lost-ep' })['EndpointStatus'], 'Creating');
    sm.call('StopProcessingJob', { ProcessingJobName: 'stop-me' });
    assert.equal(status('stop-me'), 'Stopping');
    const stopped = (await sm.waitFor('processing-job', 'stop-me'))!;
    assert.equal(stopped['ProcessingJobStatus'], 'Stopped');
    assert.equal(stopped['FailureReason'], undefined);

    child.kill('SIGKILL');
    await exited;
    const settled = sm.settleOrphanedWork();
    assert.deepEqual(
      settled.map((s) => [s.kind, s.name, s.from, s.to, s.pid]),
      [
        ['processing-job', 'lost-job', 'InProgress', 'Failed', child.pid],
        ['endpoint', 'lost-ep', 'Creating', 'Failed', child.pid],
      ],
    );
    const job = sm.describeProcessingJob({ ProcessingJobName: 'lost-job' });
    assert.equal(job['ProcessingJobStatus'], 'Failed');
    assert.equal(
      job['FailureReason'],
      `InternalServerError: The local mlops-sfn process that ran it (pid ${child.pid}) ended before the job finished, so the job was lost. Run the job again.`,
    );
    assert.equal(typeof job['ProcessingEndTime'], 'number');
    const ep = sm.describeEndpoint({ EndpointName: 'lost-ep' });
    assert.equal(ep['EndpointStatus'], 'Failed');
    assert.match(ep['FailureReason'] as string, new RegExp(`\\(pid ${child.pid}\\) ended before the endpoint was InService\\. Delete the endpoint and create it again\\.$`));
    assert.deepEqual(sm.settleOrphanedWork(), [], 'settled once');
    // The job's own processes died with their owner (bubblewrap's --die-with-parent).
    await until(() => processesWithArgument(marker) === 0);
  } finally {
    child.kill('SIGKILL');
    await sm.close();
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('an interrupted update goes back InService on the deployment it had, a delete completes, and records without an owner count as orphans', { timeout: 60_000 }, async () => {
  const h = harness();
  const dead = ownerToJson({ ...currentOwner(), pid: spawnSync('true').pid!, startTicks: -1 });
  const parent = process.ppid;
  const alive = ownerToJson({ ...currentOwner(), pid: parent, ...(processStartTicks(parent) !== undefined ? { startTicks: processStartTicks(parent)! } : {}) });
  const endpoint = (name: string, status: string, extra: JsonObject) =>
    h.store.resources.insert({
      kind: 'endpoint',
      name,
      arn: `arn:aws:sagemaker:us-east-1:111111111111:endpoint/${name}`,
      status,
      record: { Description: { EndpointName: name, EndpointConfigName: 'cfg-old', EndpointStatus: status, CreationTime: 1, LastModifiedTime: 2 }, Tags: [], ...extra },
    });
  const deployment = { Id: 'd1', EndpointConfigName: 'cfg-old', Variants: [{ VariantName: 'AllTraffic', Model: { Name: 'm', Image: 'img', Environment: {} } }] };
  endpoint('updating', 'Updating', { Owner: dead, Deployment: deployment });
  endpoint('deleting', 'Deleting', { Owner: dead });
  endpoint('busy', 'Updating', { Owner: alive, Deployment: deployment });
  h.store.resources.insert({
    kind: 'training-job',
    name: 'old',
    arn: 'arn:aws:sagemaker:us-east-1:111111111111:training-job/old',
    status: 'Stopping',
    record: { Description: { TrainingJobName: 'old', TrainingJobStatus: 'Stopping', CreationTime: 1, TrainingStartTime: 5, LastModifiedTime: 6 }, Tags: [] },
  });
  const settled = h.sm.settleOrphanedWork();
  assert.deepEqual(
    settled.map((s) => [s.kind, s.name, s.from, s.to]).sort(),
    [
      ['endpoint', 'deleting', 'Deleting', 'Deleted'],
      ['endpoint', 'updating', 'Updating', 'InService'],
      ['training-job', 'old', 'Stopping', 'Stopped'],
    ],
  );
  const updating = h.sm.describeEndpoint({ EndpointName: 'updating' });
  assert.equal(updating['EndpointConfigName'], 'cfg-old');
  assert.match(updating['FailureReason'] as string, /ended before the update finished; the endpoint keeps its previous configuration\. Update it again\.$/);
  assert.throws(() => h.sm.describeEndpoint({ EndpointName: 'deleting' }), /Could not find endpoint/);
  assert.equal(h.sm.describeEndpoint({ EndpointName: 'busy' })['EndpointStatus'], 'Updating');
  const old = h.sm.call('DescribeTrainingJob', { TrainingJobName: 'old' });
  assert.equal(old['TrainingJobStatus'], 'Stopped');
  assert.equal(old['SecondaryStatus'], 'Stopped');
  await h.close();
});

test("model server folders of ended processes are removed; this process's are kept", { timeout: 60_000 }, async () => {
  const h = harness();
  const root = join(h.home, 'sagemaker', 'endpoints', 'ep');
  const gone = join(root, `AllTraffic-p${spawnSync('true').pid}-1`);
  const mine = join(root, `AllTraffic-p${process.pid}-1`);
  mkdirSync(join(gone, 'server-1'), { recursive: true });
  mkdirSync(mine, { recursive: true });
  h.sm.settleOrphanedWork();
  assert.equal(spawnSync('test', ['-e', gone]).status, 1);
  assert.equal(spawnSync('test', ['-e', mine]).status, 0);
  await h.close();
});
