/**
 * The job sandbox is a boundary, also when mlops-sfn runs as root (as here and in CI): a processing
 * job and a training job each run the escape probe (real bubblewrap, real /usr/bin/python3) and
 * must find no way to the host: no capabilities, no remount/umount, no file handles, no host
 * processes, none of the host's secrets or folders, nothing written outside /opt/ml and /tmp, and
 * the network cut (loopback included) exactly when the request asks for network isolation.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { JsonObject } from '../../../../../src/core/json.js';
import { Store } from '../../../../../src/store/index.js';
import { assertContained, ESCAPE_PROBE_PY, helloServer, probeArgs, type ProbeReport } from '../../../../support/escape-probe.js';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { builtinProfiles } from '../../../../../src/emulators/sagemaker/runtimes/index.js';
const BUILTIN_PROFILES = builtinProfiles();
import { BUCKET, channel, processingJob, readTarGz, s3Input, s3Output, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

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

test("a runtime in a virtual environment inside the home is visible to the job, read-only, and the rest of the home is not", { timeout: 60_000 }, async () => {
  const venv = join(h.home, 'venvs', 'v1');
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', '--system-site-packages', venv]);
  const site = join(venv, 'lib', `python3.${execFileSync('/usr/bin/python3', ['-c', 'import sys; print(sys.version_info[1])']).toString().trim()}`, 'site-packages');
  writeFileSync(join(site, 'venvmarker.py'), 'VALUE = 42\n');
  const profile = { ...BUILTIN_PROFILES[0]!, name: 'venv-in-home', images: ['*/venv-image:1'], python: join(venv, 'bin', 'python3') };
  const script = [
    'import json, os, sys, venvmarker',
    `home = ${JSON.stringify(h.home)}`,
    'def can_write(p):',
    '    try:',
    '        open(p, "w").close(); return True',
    '    except OSError:',
    '        return False',
    'json.dump({"prefix": sys.prefix, "marker": venvmarker.VALUE, "state_db": os.path.exists(os.path.join(home, "state.db")),',
    '           "home": sorted(os.listdir(home)), "venv_writable": can_write(os.path.join(sys.prefix, "x"))}, open("/opt/ml/processing/output/r.json", "w"))',
  ].join('\n');
  const outcome = await createJobRunner({ profiles: [profile] }).run(
    processingJob('venv-job', {
      AppSpecification: { ImageUri: 'example.com/venv-image:1', ContainerEntrypoint: ['python3', '-c', script] },
      ProcessingOutputConfig: { Outputs: [s3Output('r', `s3://${BUCKET}/venv/`, '/opt/ml/processing/output')] },
    }),
    h.context('venv-job'),
  );
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const r = JSON.parse((await h.get('venv/r.json')).toString()) as Record<string, unknown>;
  assert.deepEqual(r, { prefix: venv, marker: 42, state_db: false, home: ['venvs'], venv_writable: false });
});

test('a runtime whose installation folder would be the home itself is refused, not bound', { timeout: 60_000 }, async () => {
  mkdirSync(join(h.home, 'bin'), { recursive: true });
  symlinkSync('/usr/bin/python3', join(h.home, 'bin', 'python3'));
  const profile = { ...BUILTIN_PROFILES[0]!, name: 'python-in-home', images: ['*/home-image:1'], python: join(h.home, 'bin', 'python3') };
  const outcome = await createJobRunner({ profiles: [profile] }).run(
    processingJob('home-runtime', { AppSpecification: { ImageUri: 'example.com/home-image:1', ContainerEntrypoint: ['python3', '-c', 'pass'] } }),
    h.context('home-runtime'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason ?? '', /^InternalServerError: Runtime profile "python-in-home": the runtime's interpreter .* holds the mlops-sfn home/);
});
