import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { BUCKET, channel, processingJob, readTarGz, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  h = await testHome();
});
after(() => h.cleanup());

// The scripts sleep for an hour: only the stop under test can end them within the tests' time limits.
test('MaxRuntimeInSeconds stops a training job with SIGTERM, and what it saved in the grace period is uploaded', { timeout: 60_000 }, async () => {
  // Written for this test: saves a checkpoint model when told to stop, as SageMaker's docs advise.
  await h.put(
    'stop/code/long.py',
    `import signal, sys, time
def on_term(*_):
    open('/opt/ml/model/partial.txt', 'w').write('saved on SIGTERM')
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
print('training', flush=True)
time.sleep(3600)
`,
  );
  const started = Date.now();
  const outcome = await createJobRunner().run(
    trainingJob('timeout-1', {
      AlgorithmSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/long.py'] },
      InputDataConfig: [channel('code', `s3://${BUCKET}/stop/code/`)],
      StoppingCondition: { MaxRuntimeInSeconds: 1 },
    }),
    h.context('timeout-1'),
  );
  const took = Date.now() - started;
  assert.equal(outcome.status, 'Stopped');
  assert.equal(outcome.failureReason, 'Training job runtime exceeded MaxRuntimeInSeconds provided');
  const extra = outcome.extra as { SecondaryStatus: string; SecondaryStatusTransitions: { Status: string }[] };
  assert.equal(extra.SecondaryStatus, 'MaxRuntimeExceeded');
  assert.equal(extra.SecondaryStatusTransitions.at(-1)?.Status, 'MaxRuntimeExceeded');
  assert.ok(took >= 1000, `stopped after ${took} ms, before MaxRuntimeInSeconds`);
  const model = readTarGz(await h.get('models/timeout-1/output/model.tar.gz'));
  assert.deepEqual(
    model.map((m) => [m.name, m.content]),
    [['partial.txt', 'saved on SIGTERM']],
  );
});

test('a stop request ends a job that ignores SIGTERM with SIGKILL after the grace period', { timeout: 60_000 }, async () => {
  await h.put('stop/code/stubborn.py', "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('running', flush=True)\ntime.sleep(3600)\n");
  const ac = new AbortController();
  const outcome = await createJobRunner({ stopGraceMs: 300 }).run(
    processingJob('abort-1', {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/stubborn.py'] },
      ProcessingInputs: [
        { InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/stop/code/stubborn.py`, LocalPath: '/opt/ml/processing/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
      ],
    }),
    h.context('abort-1', {
      signal: ac.signal,
      onLog: (line) => {
        if (line === 'running') ac.abort();
      },
    }),
  );
  assert.equal(outcome.status, 'Stopped');
  assert.equal(outcome.failureReason, undefined);
});

test('a job whose signal is already aborted never starts', async () => {
  const ac = new AbortController();
  ac.abort();
  const outcome = await createJobRunner().run(processingJob('abort-2', { AppSpecification: { ContainerEntrypoint: ['true'] } }), h.context('abort-2', { signal: ac.signal }));
  assert.equal(outcome.status, 'Stopped');
});
