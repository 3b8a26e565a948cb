import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { packageFile } from '../../../../src/core/package-root.js';

const home = mkdtempSync(join(tmpdir(), 'doctor-cmd-'));
after(() => rmSync(home, { recursive: true, force: true }));

function doctor(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [packageFile('dist', 'src', 'cli', 'main.js'), '--home', home, 'doctor', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('doctor lists each built-in runtime with its versions beside the image\'s, and the sandbox', { timeout: 90_000 }, () => {
  const r = doctor();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok {3}SageMaker scikit-learn 1\.2-1$/m);
  assert.match(r.stdout, /^ {5}scikit-learn {2}1\.2\.1 \(image: 1\.2\.1\)$/m);
  assert.match(r.stdout, /^ok {3}SageMaker XGBoost 1\.7-1/m);
  assert.match(r.stdout, /^ {5}xgboost {7}1\.7\.4 \(image: 1\.7\.4\)$/m);
  assert.match(r.stdout, /^ {5}train: {3}xgboost-algorithm {3}serve: xgboost$/m);
  assert.match(r.stdout, /^ok {3}sandbox: \S*bwrap/m);
});

test('doctor names what to install for a mapped image whose Python or modules are missing, and exits 1', { timeout: 90_000 }, () => {
  writeFileSync(
    join(home, 'runtimes.json'),
    JSON.stringify({
      profiles: [
        { name: 'my-venv', images: ['*/my-image:*'], python: '/nonexistent/venv/bin/python3', modules: ['xgboost'] },
        { name: 'system', images: ['*/other:*'], python: '/usr/bin/python3', modules: ['json', 'mlops_sfn_missing_mod'], install: { mlops_sfn_missing_mod: 'python3-mlops-missing' } },
      ],
    }),
  );
  const r = doctor();
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^FAIL my-venv \(runtimes\.json\)\n {5}images: {2}\*\/my-image:\*\n {5}python: {2}\/nonexistent\/venv\/bin\/python3 MISSING$/m);
  assert.match(r.stdout, /^ {5}install: apt-get install python3 python3-xgboost$/m);
  assert.match(r.stdout, /^ {5}mlops_sfn_missing_mod MISSING$/m);
  assert.match(r.stdout, /^ {5}install: apt-get install python3-mlops-missing$/m);

  const json = JSON.parse(doctor('--json').stdout) as { runtimes: { name: string; ready: boolean; modules: { module: string; localVersion: string | null }[] }[]; sandbox: { available: boolean } };
  assert.deepEqual(
    json.runtimes.map((x) => [x.name, x.ready]),
    [
      ['sagemaker-scikit-learn-1.2-1', true],
      ['sagemaker-xgboost-1.7-1', true],
      ['my-venv', false],
      ['system', false],
    ],
  );
  assert.equal(json.runtimes[1]!.modules.find((m) => m.module === 'xgboost')?.localVersion, '1.7.4');
  assert.equal(json.sandbox.available, true);

  writeFileSync(join(home, 'runtimes.json'), '{not json');
  const bad = doctor();
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^FAIL .*runtimes\.json is not valid JSON/m);
});

test('doctor --help says where runtimes come from and how to map an image', { timeout: 60_000 }, () => {
  const r = doctor('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /data\/runtimes\.json and from <home>\/runtimes\.json/);
  assert.match(r.stdout, /"python": "\/opt\/venv\/bin\/python3"/);
});
