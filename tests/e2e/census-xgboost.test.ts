import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

function mlops(home: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  stages: { name: string; status: string; job?: string }[];
  metrics: Record<string, number>;
  model: { modelPackageArn: string };
  approval: { decision: string; checks: { rule: string; value: number | null; passed: boolean }[] };
  endpoint: { EndpointName: string; EndpointStatus: string };
  batchOutput: string;
}

test('the census XGBoost variant runs end to end with the built-in algorithm, and is compared with the approved scikit-learn model', { timeout: 900_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-census-xgb-'));
  try {
    // The scikit-learn pipeline first: its model is the approved version the variant must match.
    const sklearn = mlops(home, ['run', 'examples/census', '--rows', '3000', '--json']);
    assert.equal(sklearn.code, 0, sklearn.stderr + sklearn.stdout);
    const approvedAuc = (JSON.parse(sklearn.stdout) as Summary).metrics['roc_auc']!;

    const run = mlops(home, ['run', 'examples/census/pipeline-xgboost.yaml', '--rows', '3000', '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const summary = JSON.parse(run.stdout) as Summary;
    for (const stage of ['Preprocessing', 'Training', 'Evaluation', 'BatchTransform']) assert.match(run.stderr, new RegExp(`${stage} \\.\\.\\.`));

    // Algorithm mode: every round logged in the container's format, the image's metric names.
    const training = summary.stages.find((st) => st.name === 'training');
    assert.equal(training?.status, 'ran', 'the variant trains (its key differs from the scikit-learn run)');
    const log = mlops(home, ['logs', training.job!]);
    assert.equal(log.code, 0, log.stderr);
    assert.match(log.stdout, /Running XGBoost Sagemaker in algorithm mode/);
    assert.match(log.stdout, /^\[0\]#011train-auc:0\.\d{5}#011validation-auc:0\.\d{5}$/m);

    // The approval: the example's rules, plus the comparison with the approved scikit-learn model.
    const comparison = summary.approval.checks.find((c) => c.rule.includes('(approved model: '));
    assert.ok(comparison, JSON.stringify(summary.approval));
    assert.equal(comparison.rule, `roc_auc >= ${approvedAuc} (approved model: ${approvedAuc})`);
    assert.equal(comparison.value, summary.metrics['roc_auc']);
    assert.equal(summary.approval.decision, summary.approval.checks.every((c) => c.passed) ? 'Approved' : 'Rejected');
    assert.equal(summary.approval.decision, 'Approved', `the XGBoost model ranks at least as well (${summary.metrics['roc_auc']} vs ${approvedAuc})`);
    assert.match(summary.model.modelPackageArn, /model-package\/census\/2$/, 'the second version of the shared group');

    // The census endpoint now serves the booster with the XGBoost image's server: one probability per row.
    assert.deepEqual([summary.endpoint.EndpointName, summary.endpoint.EndpointStatus], ['census', 'InService']);
    assert.match(run.stderr, /sample prediction: 0\.\d+\n/);
    const out = mlops(home, ['s3', 'cp', `${summary.batchOutput}test_features.csv.out`, '-']);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.length, 900, 'a 30% test split of 3,000 rows');
    for (const l of lines) assert.ok(Number(l) >= 0 && Number(l) <= 1, l);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
