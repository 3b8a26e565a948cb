/**
 * `mlops-sfn gc` on a real home: runs of a small pipeline (real jobs in the sandbox, the real SQLite
 * store, the real S3 folder), then gc as a child process, as a user runs it. Also `run`'s notice
 * when the home grows past its threshold.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = join(root, 'dist/src/cli/main.js');

function mlops(home: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small pipeline in the census example's shape: preprocessing, training, evaluation, approval on a
// metric and a registry version; no model, endpoint or batch transform (they are not gc's business).
const PREPROCESSING = `import os, glob
rows = open(glob.glob("/opt/ml/processing/input/*.csv")[0]).read().splitlines()
for d, part in (("train", rows[:6]), ("test", rows[6:])):
    os.makedirs("/opt/ml/processing/" + d, exist_ok=True)
    open("/opt/ml/processing/%s/%s_features.csv" % (d, d), "w").write("\\n".join(part) + "\\n")
`;
const TRAIN = `import json, os
hp = json.load(open("/opt/ml/input/config/hyperparameters.json"))
if hp.get("C") == "fail":
    raise SystemExit("training failed on purpose")
open("/opt/ml/model/model.joblib", "w").write("a model")
`;
const EVALUATION = `import json, os
os.makedirs("/opt/ml/processing/evaluation", exist_ok=True)
json.dump({"score": 0.9}, open("/opt/ml/processing/evaluation/evaluation.json", "w"))
`;

/** The pipeline folder; without `cached`, step caching is off so every run runs (and owns) its own jobs. */
function pipelineFolder(base: string, name: string, edit: (yaml: string) => string = (y) => y, cached = false): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const census = readFileSync(join(root, 'examples', 'census', 'pipeline.yaml'), 'utf8');
  const yaml = census
    .replace(/^(CreateModel|batchTransform):\n  run: true/gm, '$1:\n  run: false')
    .replace(/^endpoint:\n  run: true/m, 'endpoint:\n  run: false')
    .replace(/^  rules:\n(?: {4}- .*\n)+/m, '  rules:\n    - score >= 0.5\n');
  writeFileSync(join(dir, 'pipeline.yaml'), edit(yaml) + (cached ? '' : '\ncache:\n  enabled: false\n'));
  writeFileSync(join(dir, 'preprocessing.py'), PREPROCESSING);
  writeFileSync(join(dir, 'train.py'), TRAIN);
  writeFileSync(join(dir, 'evaluation.py'), EVALUATION);
  writeFileSync(join(dir, 'inference.py'), '');
  writeFileSync(join(dir, 'data', 'census-income.csv'), Array.from({ length: 10 }, (_, i) => `${i},${i % 2}`).join('\n') + '\n');
  return dir;
}

let base: string;
let home: string;
const runs: string[] = [];

/** The execution name a run printed. */
function executionOf(out: string): string {
  const m = /(mlops-census-\d+)/.exec(out);
  assert.ok(m, out);
  return m[1]!;
}

function objectKeys(): string[] {
  const r = mlops(home, ['s3', 'ls', 's3://mlops-local/census/', '--recursive']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop()!);
}

before(() => {
  base = mkdtempSync(join(tmpdir(), 'mlops-sfn-gc-'));
  home = join(base, 'home');
});
after(() => rmSync(base, { recursive: true, force: true }));

test('run says how much the home holds past the threshold, and names gc', { timeout: 240_000 }, () => {
  const ok = pipelineFolder(base, 'ok');
  const first = mlops(home, ['run', ok], { MLOPS_SFN_HOME_SIZE_NOTICE: '1KiB' });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^note: the home \S+ holds [\d.]+ (KiB|MiB) \(over 1\.0 KiB\); `mlops-sfn gc --older-than 30d` shows what old runs it could remove/m);
  runs.push(executionOf(first.stdout));
  // The size is measured at most every few minutes (home-size.json), and the default threshold is 5 GiB.
  assert.ok(existsSync(join(home, 'home-size.json')));
  const second = mlops(home, ['run', ok]);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /note: the home/);
  runs.push(executionOf(second.stdout));
  const failing = pipelineFolder(base, 'failing', (y) => y.replace('C: "1.0"', 'C: "fail"'));
  const third = mlops(home, ['run', failing], { MLOPS_SFN_HOME_SIZE_NOTICE: 'lots' });
  assert.equal(third.code, 1, third.stderr);
  assert.match(third.stderr, /note: MLOPS_SFN_HOME_SIZE_NOTICE="lots" is not a size \(write e\.g\. 5GiB, 500MB or off\); using 5 GiB/);
  runs.push(executionOf(third.stdout + third.stderr));
});

test('gc: a dry run lists what it would remove and how much it frees; --yes removes it and nothing else', { timeout: 240_000 }, () => {
  assert.equal(runs.length, 3, 'the runs of the first test');
  const [oldest, middle, failed] = runs as [string, string, string];
  const before = objectKeys();
  // Leftovers of interrupted work: a temp file of a writer that died (made after the listing above,
  // since every command that opens the local S3 removes those), a work folder without its job.
  mkdirSync(join(home, 's3', 'buckets', 'mlops-local', 'tmp'), { recursive: true });
  writeFileSync(join(home, 's3', 'buckets', 'mlops-local', 'tmp', '999999999.1-deadbeef.tmp'), 'half an upload');
  const ghost = join(home, 'sagemaker', 'jobs', 'ghost-job');
  mkdirSync(ghost, { recursive: true });
  writeFileSync(join(ghost, 'x'), 'x');
  utimesSync(ghost, new Date(Date.now() - 7200_000), new Date(Date.now() - 7200_000));

  const dry = mlops(home, ['gc', '--keep', '0']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^gc: would remove from /);
  assert.match(dry.stdout, /2 executions with their histories/);
  assert.match(dry.stdout, new RegExp(`${oldest}  SUCCEEDED`));
  assert.match(dry.stdout, new RegExp(`${failed}: FAILED, can still be redriven until \\S+ \\(--include-redrivable removes it\\)`));
  assert.match(dry.stdout, /temp file: \S+999999999\.1-deadbeef\.tmp/);
  assert.match(dry.stdout, /job work folder: \S+ghost-job/);
  assert.match(dry.stdout, /this frees [\d.]+ (B|KiB|MiB); run again with --yes to remove it$/m);
  const planned = JSON.parse(mlops(home, ['gc', '--keep', '0', '--json']).stdout) as {
    dryRun: boolean;
    plan: { executions: { name: string }[]; jobs: { name: string }[]; objects: { uri: string }[]; bytes: number };
  };
  assert.equal(planned.dryRun, true);
  assert.deepEqual(planned.plan.executions.map((e) => e.name).sort(), [oldest, middle].sort());
  // Each run's three jobs go with it; the failed run's stay with it.
  assert.deepEqual(planned.plan.jobs.map((j) => j.name).sort(), [oldest, middle, `evaluation-${oldest}`, `evaluation-${middle}`, oldest, middle].sort());
  const removedUris = planned.plan.objects.map((o) => o.uri);
  assert.ok(removedUris.length > 0 && removedUris.every((u) => u.includes(`/${oldest}/`) || u.includes(`/${middle}/`)), removedUris.join('\n'));
  assert.ok(!removedUris.some((u) => u.endsWith('model.tar.gz')), 'model artifacts the registry refers to stay');
  // A kept job protects what it reads and wrote, not its whole output folder (census/model/).
  assert.ok(removedUris.includes(`s3://mlops-local/census/model/${oldest}/output/output.tar.gz`), removedUris.join('\n'));
  assert.ok(planned.plan.bytes > 0);
  assert.equal(JSON.parse(mlops(home, ['executions', 'list', '--json']).stdout).length, 3);
  assert.deepEqual(objectKeys(), before, 'a dry run removes nothing');

  const done = mlops(home, ['gc', '--keep', '0', '--yes']);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /^gc: removed from /);
  assert.match(done.stdout, /^removed [\d.]+ (B|KiB|MiB)$/m);
  const left = JSON.parse(mlops(home, ['executions', 'list', '--json']).stdout) as { name: string; status: string }[];
  assert.deepEqual(
    left.map((e) => [e.name, e.status]),
    [[failed, 'FAILED']],
  );
  assert.notEqual(mlops(home, ['executions', 'history', oldest]).code, 0, 'the history went with it');
  assert.equal(existsSync(join(home, 'logs', `${oldest}.log`)), false);
  assert.equal(existsSync(join(home, 'logs', `evaluation-${middle}.log`)), false);
  assert.equal(existsSync(join(home, 'logs', `${failed}.log`)), true, "the kept run's logs stay");
  assert.equal(existsSync(ghost), false);
  const after = objectKeys();
  for (const u of removedUris) assert.ok(!after.includes(u.replace('s3://mlops-local/', '')), u);
  for (const key of ['census/data/census-income.csv', 'census/scripts/train.py', `census/model/${oldest}/output/model.tar.gz`]) {
    assert.ok(after.includes(key), `${key} stays (uploaded data, scripts, registered model)`);
  }
  assert.ok(after.some((k) => k.includes(`/${failed}/`)), "the kept run's objects stay");
  assert.equal(mlops(home, ['gc', '--keep', '0']).stdout.split('\n')[0], `gc: nothing to remove in ${home}`);

  // Asked to, gc removes the failed execution too.
  const all = mlops(home, ['gc', '--keep', '0', '--include-redrivable', '--yes']);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(JSON.parse(mlops(home, ['executions', 'list', '--json']).stdout).length, 0);
});

test('gc never removes a RUNNING execution waiting for an approval, nor its jobs', { timeout: 240_000 }, async () => {
  const manual = pipelineFolder(base, 'manual', (y) => y.replace(/^ {2}mode: auto$/m, '  mode: manual'));
  const child = spawn(process.execPath, [cli, '--home', home, 'run', manual], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  try {
    for (let i = 0; i < 240 && !/waiting for a manual approval of (\S+)/.test(stderr); i++) await new Promise((r) => setTimeout(r, 500));
    const execution = /waiting for a manual approval of (\S+)/.exec(stderr)?.[1];
    assert.ok(execution, stderr);
    const gc = mlops(home, ['gc', '--keep', '0', '--include-redrivable', '--yes', '--json']);
    assert.equal(gc.code, 0, gc.stderr);
    const out = JSON.parse(gc.stdout) as { plan: { executions: unknown[]; jobs: unknown[]; kept: { name: string; reason: string }[] } };
    assert.deepEqual(out.plan.executions, []);
    assert.deepEqual(out.plan.jobs, []);
    assert.deepEqual(out.plan.kept, [{ name: execution, reason: 'RUNNING (it may still be resumed)' }]);
    assert.equal(mlops(home, ['reject', execution, '--comment', 'done testing']).code, 0);
    assert.equal(await ended, 1, 'the rejected run ends as failed');
  } finally {
    child.kill('SIGKILL');
  }
});

test('gc keeps the jobs and objects a kept execution reused from a removed one (step cache)', { timeout: 240_000 }, () => {
  const cacheHome = join(base, 'cache-home');
  const cached = pipelineFolder(base, 'cached', (y) => y, true);
  const a = mlops(cacheHome, ['run', cached]);
  assert.equal(a.code, 0, a.stderr);
  const b = mlops(cacheHome, ['run', cached]);
  assert.equal(b.code, 0, b.stderr);
  const [first, second] = [executionOf(a.stdout), executionOf(b.stdout)];
  const jobsOfFirst = [first, `evaluation-${first}`];
  // The second run reused the first one's stages: it ran no job of its own.
  assert.equal(existsSync(join(cacheHome, 'logs', `${second}.log`)), false, b.stderr);

  const gc = mlops(cacheHome, ['gc', '--keep', '1', '--yes', '--json']);
  assert.equal(gc.code, 0, gc.stderr);
  const out = JSON.parse(gc.stdout) as { plan: { executions: { name: string }[]; jobs: unknown[]; objects: unknown[] } };
  assert.deepEqual(out.plan.executions.map((e) => e.name), [first]);
  assert.deepEqual(out.plan.jobs, [], 'the kept run reused them');
  assert.deepEqual(out.plan.objects, [], 'and names what it copied from');
  for (const job of jobsOfFirst) assert.equal(mlops(cacheHome, ['logs', job]).code, 0, `logs ${job} still works`);

  const rest = JSON.parse(mlops(cacheHome, ['gc', '--keep', '0', '--yes', '--json']).stdout) as { plan: { executions: { name: string }[]; jobs: { name: string }[] } };
  assert.deepEqual(rest.plan.executions.map((e) => e.name), [second]);
  assert.deepEqual([...new Set(rest.plan.jobs.map((j) => j.name))].sort(), jobsOfFirst.sort(), 'with the last execution that used them, they go');
  assert.equal(existsSync(join(cacheHome, 'logs', `evaluation-${first}.log`)), false);
});

test('gc: bad flags get one line and exit 2; --help explains the rules', { timeout: 60_000 }, () => {
  const cases: [string[], RegExp][] = [
    [['gc'], /^mlops-sfn: say what to remove: --older-than <age> \(e\.g\. 30d\), --keep <n> newest executions per state machine, or both$/],
    [['gc', '--older-than', '30x'], /^mlops-sfn: --older-than takes an age like 30d, 12h, 45m or 2w \(got "30x"\)$/],
    [['gc', '--keep', '-1'], /^mlops-sfn: --keep takes a whole number of executions to keep per state machine, 0 or more \(got "-1"\)$/],
    [['gc', '--keep', 'ten'], /--keep takes a whole number/],
  ];
  for (const [args, message] of cases) {
    const r = mlops(home, args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  const nohome = mlops(join(base, 'no-such-home'), ['gc', '--older-than', '1d']);
  assert.equal(nohome.code, 2);
  assert.match(nohome.stderr, /is not an mlops-sfn home \(no state\.db; is --home right\?\)/);
  assert.equal(existsSync(join(base, 'no-such-home')), false, 'gc creates no home');
  const help = mlops(home, ['gc', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--older-than <age>/);
  assert.match(help.stdout, /Never removed: RUNNING executions/);
  assert.equal(mlops(home, ['gc', '--older-than', '12h']).code, 0, 'nothing old enough: a dry run that lists nothing');
});
