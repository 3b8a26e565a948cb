/**
 * What the overhead benchmark (bench/job-overhead-bench.ts, `npm run bench`) relies on: no-op jobs
 * complete, one after another, and report where their time went. Timings are measured by the
 * benchmark, not asserted here: these machines are noisy.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJobRunner, type JobTimings } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { BUCKET, processingJob, s3Input, s3Output, testHome, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  h = await testHome();
});
after(() => h.cleanup());

test('no-op processing jobs complete one after another and report where their time went', { timeout: 180_000 }, async () => {
  const timings: JobTimings[] = [];
  const runner = createJobRunner({ onTimings: (_job, t) => timings.push(t) });
  await h.put('code/noop.py', 'pass\n');
  for (const name of ['noop-1', 'noop-2']) {
    const outcome = await runner.run(
      processingJob(name, {
        AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/noop.py'] },
        ProcessingInputs: [s3Input('code', `s3://${BUCKET}/code/noop.py`, '/opt/ml/processing/input/code')],
      }),
      h.context(name),
    );
    assert.equal(outcome.status, 'Completed', outcome.failureReason);
    assert.ok(outcome.endTime >= outcome.startTime);
  }
  assert.equal(timings.length, 2);
  for (const t of timings) {
    assert.equal(t.stagedFiles, 1);
    assert.equal(t.stagedBytes, 5);
    assert.equal(t.uploadedFiles, 0);
    for (const ms of [t.setupMs, t.runMs, t.uploadMs]) assert.ok(ms >= 0 && ms <= t.totalMs, `${ms} within ${t.totalMs}`);
  }
});

test('staging and uploading 200 small files', { timeout: 180_000 }, async (t) => {
  await Promise.all(Array.from({ length: 200 }, (_, i) => h.put(`perf/in/part-${String(i).padStart(3, '0')}.csv`, 'x,y\n'.repeat(256))));
  let timings: JobTimings | undefined;
  const outcome = await createJobRunner({ onTimings: (_job, tm) => (timings = tm) }).run(
    processingJob('stage-200', {
      AppSpecification: { ContainerEntrypoint: ['cp', '-r', '/opt/ml/processing/input/.', '/opt/ml/processing/out/'] },
      ProcessingInputs: [s3Input('in', `s3://${BUCKET}/perf/in/`, '/opt/ml/processing/input')],
      ProcessingOutputConfig: { Outputs: [s3Output('out', `s3://${BUCKET}/perf/out/`, '/opt/ml/processing/out')] },
    }),
    h.context('stage-200'),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  assert.equal((await h.keys('perf/out/')).length, 200);
  const tm = timings!;
  t.diagnostic(`staged ${tm.stagedFiles} files (${tm.stagedBytes} bytes) in ${tm.setupMs} ms; ran ${tm.runMs} ms; uploaded ${tm.uploadedFiles} files (${tm.uploadedBytes} bytes) in ${tm.uploadMs} ms`);
  assert.equal(tm.stagedFiles, 200);
  assert.equal(tm.uploadedFiles, 200);
});
