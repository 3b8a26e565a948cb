import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { BUCKET, processingJob, s3Input, s3Output, testHome, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  // Outside /tmp (which every job gets a private copy of), so hiding the home is what keeps it out of sight.
  h = await testHome(existsSync('/var/tmp') ? '/var/tmp' : undefined);
});
after(() => h.cleanup());

// Written for this test: what one job can see of the machine and of the other job.
const PEEK_PY = `
import json, os, sys, time
me, other, other_dir = sys.argv[1], sys.argv[2], sys.argv[3]
open('/opt/ml/processing/out/%s.marker' % me, 'w').write(me)
open('/tmp/%s.tmp' % me, 'w').write(me)
start = time.time()
time.sleep(0.6)
seen = []
for root in ('/opt/ml', '/tmp'):
    for d, dirs, files in os.walk(root):
        seen += [os.path.join(d, f) for f in files]
def can_write(path):
    try:
        open(path, 'w').close()
        return True
    except OSError:
        return False
json.dump({
    "start": start, "end": time.time(),
    "sees_other": any(other in p for p in seen),
    "own_marker": '/opt/ml/processing/out/%s.marker' % me in seen,
    "other_dir_visible": os.path.exists(other_dir),
    "home_visible": os.path.exists(os.path.dirname(os.path.dirname(os.path.dirname(other_dir)))),
    "processes": sorted(int(p) for p in os.listdir('/proc') if p.isdigit()),
    "write_usr": can_write('/usr/mlops-sfn-test'),
    "write_etc": can_write('/etc/mlops-sfn-test'),
}, open('/opt/ml/processing/out/report.json', 'w'))
`;

test('two concurrent jobs each see their own /opt/ml and /tmp, not the other job, the home or the host processes', { timeout: 60_000 }, async () => {
  await h.put('iso/peek.py', PEEK_PY);
  const job = (me: string, other: string) =>
    processingJob(me, {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/peek.py', me, other, h.context(other).workDir] },
      ProcessingInputs: [s3Input('code', `s3://${BUCKET}/iso/peek.py`, '/opt/ml/processing/code')],
      ProcessingOutputConfig: { Outputs: [s3Output('out', `s3://${BUCKET}/iso/${me}/`, '/opt/ml/processing/out')] },
    });
  const runner = createJobRunner();
  const [a, b] = await Promise.all([runner.run(job('job-a', 'job-b'), h.context('job-a')), runner.run(job('job-b', 'job-a'), h.context('job-b'))]);
  assert.equal(a.status, 'Completed', a.failureReason);
  assert.equal(b.status, 'Completed', b.failureReason);
  const ra = JSON.parse((await h.get('iso/job-a/report.json')).toString());
  const rb = JSON.parse((await h.get('iso/job-b/report.json')).toString());
  assert.ok(ra.start < rb.end && rb.start < ra.end, 'the two jobs ran at the same time');
  for (const r of [ra, rb]) {
    assert.equal(r.own_marker, true);
    assert.equal(r.sees_other, false);
    assert.equal(r.other_dir_visible, false);
    assert.equal(r.home_visible, false, 'the local home (S3 store, other jobs) is not in the sandbox');
    assert.ok(r.processes.length <= 3, `only the job's own processes: ${r.processes}`);
    assert.equal(r.write_usr, false);
    assert.equal(r.write_etc, false);
  }
  assert.deepEqual(await h.keys('iso/job-a/'), ['iso/job-a/job-a.marker', 'iso/job-a/report.json']);
  assert.equal(existsSync('/usr/mlops-sfn-test'), false);
});

test('MLOPS_SFN_SANDBOX=off runs without a namespace: SAGEMAKER_BASE_DIR and /opt/ml arguments point at the real folder', { timeout: 60_000 }, async () => {
  // Written for this test: a script that finds its folders the toolkit way.
  await h.put(
    'none/run.py',
    `import os, sys
base = os.environ['SAGEMAKER_BASE_DIR']
out = os.path.join(base, 'processing', 'out')
open(os.path.join(out, 'report.txt'), 'w').write('\\n'.join([base, sys.argv[0], os.environ['SM_MODEL_DIR'], os.environ['TMPDIR'], os.environ['HOME']]))
`,
  );
  const ctx = h.context('none-1');
  const before = process.env['MLOPS_SFN_SANDBOX'];
  process.env['MLOPS_SFN_SANDBOX'] = 'off';
  let outcome;
  try {
    outcome = await createJobRunner({ warn: () => undefined }).run(
      processingJob('none-1', {
        AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/run.py'] },
        ProcessingInputs: [s3Input('code', `s3://${BUCKET}/none/run.py`, '/opt/ml/processing/code')],
        ProcessingOutputConfig: { Outputs: [s3Output('out', `s3://${BUCKET}/none/out/`, '/opt/ml/processing/out')] },
      }),
      ctx,
    );
  } finally {
    if (before === undefined) delete process.env['MLOPS_SFN_SANDBOX'];
    else process.env['MLOPS_SFN_SANDBOX'] = before;
  }
  assert.equal(outcome.status, 'Completed', outcome.failureReason);
  const optMl = join(ctx.workDir, 'opt', 'ml');
  assert.deepEqual((await h.get('none/out/report.txt')).toString().split('\n'), [
    optMl,
    join(optMl, 'processing', 'code', 'run.py'),
    join(optMl, 'model'),
    join(ctx.workDir, 'tmp'),
    join(ctx.workDir, 'home'),
  ]);
});

test('without a sandbox a stop ends the whole process group, children included', { timeout: 60_000 }, async () => {
  await h.put('none/spawn.py', "import subprocess, time\np = subprocess.Popen(['sleep', '60'])\nprint(p.pid, flush=True)\ntime.sleep(60)\n");
  const ac = new AbortController();
  let child = 0;
  const outcome = await createJobRunner({ sandbox: 'none', stopGraceMs: 2000, warn: () => undefined }).run(
    processingJob('none-2', {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/spawn.py'] },
      ProcessingInputs: [s3Input('code', `s3://${BUCKET}/none/spawn.py`, '/opt/ml/processing/code')],
    }),
    h.context('none-2', {
      signal: ac.signal,
      onLog: (line) => {
        if (!/^\d+$/.test(line)) return; // the unsandboxed warning comes first
        child = Number(line);
        ac.abort();
      },
    }),
  );
  assert.equal(outcome.status, 'Stopped');
  assert.ok(child > 0);
  assert.equal(await gone(child), true, "the script's child is gone too");
});

/** Whether a process has exited (a zombie not yet reaped by init counts as gone), waiting up to 2 s. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('a missing bubblewrap fails the job with the command that installs it', { timeout: 60_000 }, async () => {
  const outcome = await createJobRunner({ bwrapPath: '/nonexistent/bwrap' }).run(
    processingJob('nobwrap-1', { AppSpecification: { ContainerEntrypoint: ['true'] } }),
    h.context('nobwrap-1'),
  );
  assert.equal(outcome.status, 'Failed');
  assert.match(outcome.failureReason ?? '', /^InternalServerError: bubblewrap \(\/nonexistent\/bwrap\) is not installed.*apt-get install bubblewrap.*MLOPS_SFN_SANDBOX=off/);
  assert.doesNotMatch(outcome.failureReason ?? '', /\n/, 'one line');
  assert.equal(readFileSync(h.context('nobwrap-1').logFile, 'utf8'), `mlops-sfn: ${outcome.failureReason!.replace(/^InternalServerError: /, '')}\n`);
});

test('MLOPS_SFN_SANDBOX=off: every job warns that it runs unsandboxed, in its log and on standard error', { timeout: 60_000 }, async () => {
  const warnings: string[] = [];
  const before = process.env['MLOPS_SFN_SANDBOX'];
  process.env['MLOPS_SFN_SANDBOX'] = 'off';
  try {
    const runner = createJobRunner({ warn: (line) => warnings.push(line) });
    for (const name of ['warn-1', 'warn-2']) {
      const outcome = await runner.run(processingJob(name, { AppSpecification: { ContainerEntrypoint: ['true'] } }), h.context(name));
      assert.equal(outcome.status, 'Completed', outcome.failureReason);
      const log = readFileSync(h.context(name).logFile, 'utf8');
      assert.match(log, new RegExp(`^mlops-sfn: WARNING: processing job ${name} runs WITHOUT a sandbox \\(MLOPS_SFN_SANDBOX=off\\)`));
    }
  } finally {
    if (before === undefined) delete process.env['MLOPS_SFN_SANDBOX'];
    else process.env['MLOPS_SFN_SANDBOX'] = before;
  }
  assert.equal(warnings.length, 2, 'one warning per job');
  assert.match(warnings[1]!, /warn-2 runs WITHOUT a sandbox/);
});

/** Processes whose command line holds `marker` (read from /proc). */
function withArgument(marker: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) out.push(Number(pid));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

test('a stop at any moment of the sandbox set-up ends the job Stopped at once and leaves no process behind', { timeout: 120_000 }, async () => {
  // Signalling bwrap while it builds the sandbox used to orphan the half-built sandbox, which held
  // the job's pipes open: the job then stayed Stopping for ever.
  const runner = createJobRunner({ stopGraceMs: 30_000 });
  for (let delay = 0; delay <= 60; delay += 3) {
    const marker = `mlops-sfn-early-stop-${process.pid}-${delay}`;
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), delay);
    const outcome = await runner.run(
      processingJob(`early-${delay}`, { AppSpecification: { ContainerEntrypoint: ['python3', '-c', 'import time; time.sleep(120)', marker] } }),
      h.context(`early-${delay}`, { signal: ac.signal }),
    );
    assert.equal(outcome.status, 'Stopped', `stopped after ${delay} ms`);
    assert.ok(Date.now() - started < 20_000, `a stop after ${delay} ms did not wait for the 30 s grace period`);
    const deadline = Date.now() + 5_000;
    while (withArgument(marker).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(withArgument(marker), [], `nothing of the job is left after a stop at ${delay} ms`);
  }
});
