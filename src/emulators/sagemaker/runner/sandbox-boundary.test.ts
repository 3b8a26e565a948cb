/**
 * The job sandbox is a boundary, also when mlops-sfn runs as root (as here and in CI): a processing
 * job and a training job each run the escape probe (real bubblewrap, real /usr/bin/python3) and
 * must find no way to the host: no capabilities, no remount/umount, no file handles, no host
 * processes, none of the host's secrets or folders, nothing written outside /opt/ml and /tmp, and
 * the network cut (loopback included) exactly when the request asks for network isolation.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { JsonObject } from '../../../core/json.js';
import { Store } from '../../../store/index.js';
import { assertContained, ESCAPE_PROBE_PY, helloServer, probeArgs, type ProbeReport } from '../sandbox/escape-probe.fixture.js';
import { createJobRunner } from './job-runner.js';
import { BUCKET, channel, processingJob, readTarGz, s3Input, s3Output, testHome, trainingJob, type TestHome } from './test-helpers.js';

let h: TestHome;
let hello: Awaited<ReturnType<typeof helloServer>>;
before(async () => {
  // Outside /tmp: the home must be hidden by the sandbox itself, not merely by the private /tmp.
  h = await testHome(existsSync('/var/tmp') ? '/var/tmp' : undefined);
  Store.open(h.home).close();
  await h.put('probe/probe.py', ESCAPE_PROBE_PY);
  hello = await helloServer();
});
after(async () => {
  await hello.close();
  h.cleanup();
});

const runner = createJobRunner({ stopGraceMs: 1000 });

async function processingProbe(name: string, networkIsolation: boolean): Promise<ProbeReport> {
  const args = probeArgs(h.home, hello.port);
  const outcome = await runner.run(
    processingJob(name, {
      AppSpecification: {
        ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/probe.py', JSON.stringify(args), '/opt/ml/processing/output/report.json'],
      },
      ProcessingInputs: [s3Input('code', `s3://${BUCKET}/probe/probe.py`, '/opt/ml/processing/input/code')],
      ProcessingOutputConfig: { Outputs: [s3Output('report', `s3://${BUCKET}/reports/${name}/`, '/opt/ml/processing/output')] },
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
      ...(networkIsolation ? { NetworkConfig: { EnableNetworkIsolation: true } } : {}),
    }),
    h.context(name),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const report = JSON.parse((await h.get(`reports/${name}/report.json`)).toString()) as ProbeReport;
  assertContained(report, args, { networkIsolation });
  return report;
}

async function trainingProbe(name: string, networkIsolation: boolean): Promise<ProbeReport> {
  const args = probeArgs(h.home, hello.port);
  const request: JsonObject = {
    AlgorithmSpecification: {
      TrainingInputMode: 'File',
      ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/probe.py', JSON.stringify(args), '/opt/ml/model/report.json'],
    },
    InputDataConfig: [channel('code', `s3://${BUCKET}/probe/`)],
    StoppingCondition: { MaxRuntimeInSeconds: 60 },
  };
  if (networkIsolation) request['EnableNetworkIsolation'] = true;
  const outcome = await runner.run(trainingJob(name, request), h.context(name));
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const members = readTarGz(await h.get(`models/${name}/output/model.tar.gz`));
  const report = JSON.parse(members.find((m) => m.name.replace(/^\.\//, '') === 'report.json')!.content) as ProbeReport;
  assertContained(report, args, { networkIsolation });
  return report;
}

test('a processing job with network isolation finds no way out of its sandbox, and no network', { timeout: 60_000 }, async () => {
  await processingProbe('probe-proc-isolated', true);
});

test('a processing job without network isolation finds no way out either, and reaches the host network', { timeout: 60_000 }, async () => {
  await processingProbe('probe-proc-net', false);
});

test('a training job with network isolation finds no way out of its sandbox, and no network', { timeout: 60_000 }, async () => {
  await trainingProbe('probe-train-isolated', true);
});

test('a training job without network isolation finds no way out either, and reaches the host network', { timeout: 60_000 }, async () => {
  await trainingProbe('probe-train-net', false);
});
