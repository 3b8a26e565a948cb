/**
 * Where bubblewrap is missing or cannot create namespaces, jobs and model servers refuse to run,
 * with one line saying what to install or allow; nothing runs unsandboxed unless
 * MLOPS_SFN_SANDBOX=off says so. The "cannot create namespaces" machine is real: mlops-sfn itself,
 * run inside its own sandbox (no capabilities, no further user namespaces), where the real bwrap
 * fails as it does in a locked-down container.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../../../../src/core/package-root.js';
import { sandboxArgs, sandboxModeFrom, sandboxSupport, SandboxUnavailable } from '../../../../../src/emulators/sagemaker/sandbox/index.js';

test('MLOPS_SFN_SANDBOX=off (or none, 0, false, no) turns the sandbox off; anything else keeps it on', () => {
  for (const v of ['off', 'OFF', ' none ', '0', 'false', 'no']) assert.equal(sandboxModeFrom(v), 'none', v);
  for (const v of [undefined, '', 'on', 'bwrap', '1', 'of', 'nope']) assert.equal(sandboxModeFrom(v), 'bwrap', String(v));
});

test('a missing bubblewrap is refused with the command that installs it, in one line', { timeout: 30_000 }, async () => {
  await assert.rejects(sandboxSupport('/nonexistent/bwrap'), (e: unknown) => {
    assert.ok(e instanceof SandboxUnavailable);
    assert.match(e.message, /^bubblewrap \(\/nonexistent\/bwrap\) is not installed.*apt-get install bubblewrap.*MLOPS_SFN_SANDBOX=off/);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
});

/** Runs `script` (an ES module) with node inside the sandbox, where namespaces cannot be created. */
async function insideSandbox(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const support = await sandboxSupport();
  const tmp = mkdtempSync(join(tmpdir(), 'mlops-sfn-nested-'));
  try {
    writeFileSync(join(tmp, 'script.mjs'), script);
    const root = packageRoot();
    const args = [
      ...sandboxArgs({
        // /tmp first, the package after it: a checkout under /tmp (a CI clone) stays visible.
        binds: [
          { host: tmp, visible: '/tmp' },
          { host: root, visible: root, readOnly: true },
        ],
        runtimeFolders: [],
        network: false,
        cwd: '/tmp',
        support,
      }),
      '--',
      process.execPath,
      '/tmp/script.mjs',
    ];
    const child = spawn(support.bwrap, args, { env: { PATH: '/usr/bin:/bin', HOME: '/root' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('where bwrap cannot create namespaces, the first job fails with what to allow, and runs nothing', { timeout: 60_000 }, async () => {
  const dist = join(packageRoot(), 'dist', 'src', 'emulators');
  const r = await insideSandbox(`
import { mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { S3Store } from '${dist}/s3/index.js';
import { createJobRunner } from '${dist}/sagemaker/runner/index.js';
const home = mkdtempSync('/tmp/home-');
const s3 = new S3Store(join(home, 's3'), { fsync: false });
const runner = createJobRunner();
const out = [];
for (const name of ['first', 'second']) {
  const outcome = await runner.run({
    kind: 'processing', name, arn: 'arn:aws:sagemaker:us-east-1:111111111111:processing-job/' + name,
    request: { ProcessingJobName: name, RoleArn: 'arn:aws:iam::111111111111:role/R',
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      AppSpecification: { ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
        ContainerEntrypoint: ['python3', '-c', 'open("/tmp/ran", "w").write("ran")'] } },
  }, { home, workDir: join(home, 'jobs', name), logFile: join(home, 'logs', name + '.log'), s3, region: 'us-east-1',
       accountId: '111111111111', signal: new AbortController().signal });
  out.push({ status: outcome.status, reason: outcome.failureReason, ran: existsSync(join(home, 'jobs', name, 'tmp', 'ran')) || existsSync('/tmp/ran') });
}
console.log(JSON.stringify(out));
`);
  assert.equal(r.code, 0, r.stderr);
  const outcomes = JSON.parse(r.stdout.trim().split('\n').pop()!) as { status: string; reason: string; ran: boolean }[];
  for (const o of outcomes) {
    assert.equal(o.status, 'Failed');
    assert.match(o.reason, /^InternalServerError: bubblewrap cannot create the sandbox's namespaces here \(bwrap: .+\)\. Allow them: .*MLOPS_SFN_SANDBOX=off/);
    assert.doesNotMatch(o.reason, /\n/, 'one line');
    assert.equal(o.ran, false, 'nothing ran unsandboxed');
  }
});
