/**
 * The census example's Python scripts, run as SageMaker runs them: each job sees only its own
 * /opt/ml (a bubblewrap mount of a temporary folder), with Debian's python3 and scikit-learn
 * 1.2.1 (the SageMaker scikit-learn 1.2-1 image's version), on a 2,000-row generated sample.
 * Five Python starts: generate, preprocess, train, evaluate, infer.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { DeploymentValues } from '../../src/config/index.js';
import type { JsonObject } from '../../src/core/json.js';
import { packageFile } from '../../src/core/package-root.js';
import { LocalPipeline } from '../support/local-pipeline.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const EXAMPLE = packageFile('examples', 'census');
const CENSUS_COLUMNS = 42;

/** Runs argv with `root` mounted at /opt/ml, everything else read-only (argv arrays only, no shell). */
function inSandbox(root: string, argv: string[]) {
  return run(
    'bwrap',
    ['--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--tmpfs', '/opt', '--bind', root, '/opt/ml', '--dev', '/dev', '--proc', '/proc', '--chdir', '/opt/ml', ...argv],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}

/**
 * What the pipeline's approval step decides on `report` as the evaluation job's output: the census
 * example's own rules, run by the generated state machine (its status, or its error when it failed).
 */
async function approvalOf(report: JsonObject): Promise<string> {
  const local = new LocalPipeline({ deployment: DEPLOYMENT });
  try {
    local.runner.evaluationMetrics = report;
    const { result } = await local.run(readFileSync(join(EXAMPLE, 'pipeline.yaml'), 'utf8'));
    return result.status === 'SUCCEEDED' ? result.status : `${result.error}`;
  } finally {
    await local.close();
  }
}

const DEPLOYMENT: DeploymentValues = {
  bucket: 'mlops-local',
  modelName: 'census',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
  roleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
  region: 'us-east-1',
};

const available = existsSync(PYTHON) && ['/usr/bin/bwrap', '/bin/bwrap'].some((p) => existsSync(p));

test('the census scripts run end to end under SageMaker paths and meet the example\'s approval rules, which a model that never predicts the positive class fails', { timeout: 300_000, skip: !available && 'needs /usr/bin/python3 and bubblewrap' }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'census-scripts-'));
  try {
    const code = join(work, 'code');
    mkdirSync(code);
    for (const f of ['generate_data.py', 'preprocessing.py', 'train.py', 'evaluation.py', 'inference.py']) copyFileSync(join(EXAMPLE, f), join(code, f));

    // 1. Generate 2,000 rows (and check the generator is deterministic and census-shaped).
    const pre = join(work, 'pre');
    const csv = join(pre, 'processing', 'input', 'census-income.csv');
    const gen = await run(PYTHON, [
      '-c',
      [
        'import sys',
        `sys.path.insert(0, ${JSON.stringify(code)})`,
        'import generate_data as g',
        'a = g.generate(500, 7); b = g.generate(500, 7); c = g.generate(500, 8)',
        'assert a.equals(b) and not a.equals(c), "not deterministic"',
        'print(len(g.COLUMNS), g.ROWS)',
        `g.main(["--rows", "2000", "--output", ${JSON.stringify(csv)}])`,
      ].join('\n'),
    ]);
    assert.equal(gen.stdout.trim(), `${CENSUS_COLUMNS} 199523`);
    assert.match(gen.stderr, /Wrote 2000 SYNTHETIC census-income-shaped rows \(42 columns, \d+ labelled 50000\+\)/);
    const [header, first] = readFileSync(csv, 'utf8').split('\n');
    assert.equal(header!.split(',').length, CENSUS_COLUMNS);
    assert.ok(header!.startsWith('age,class of worker,detailed industry recode,') && header!.endsWith(',weeks worked in year,year,income'));
    assert.match(first!, /, (- 50000\.|50000\+\.)$/);

    // 2. Preprocessing: a processing job with the data at /opt/ml/processing/input.
    const prep = await inSandbox(pre, [PYTHON, join(code, 'preprocessing.py'), '--train-test-split-ratio', '0.3']);
    assert.match(prep.stdout, /train rows: 1400, test rows: 600/);
    const testFeatures = readFileSync(join(pre, 'processing', 'test', 'test_features.csv'), 'utf8').trim().split('\n');
    assert.equal(testFeatures.length, 600);
    assert.deepEqual(readdirSync(join(pre, 'processing', 'train')).sort(), ['train_features.csv', 'train_labels.csv']);

    // 3. Training: channels under /opt/ml/input/data, string hyperparameters, the model in /opt/ml/model.
    const train = join(work, 'train');
    mkdirSync(join(train, 'input', 'data', 'training'), { recursive: true });
    mkdirSync(join(train, 'input', 'data', 'code'), { recursive: true });
    mkdirSync(join(train, 'input', 'config'), { recursive: true });
    for (const f of ['train_features.csv', 'train_labels.csv']) copyFileSync(join(pre, 'processing', 'train', f), join(train, 'input', 'data', 'training', f));
    copyFileSync(join(code, 'inference.py'), join(train, 'input', 'data', 'code', 'inference.py'));
    writeFileSync(join(train, 'input', 'config', 'hyperparameters.json'), JSON.stringify({ C: '1.0', max_iter: '1000' }));
    const trained = await inSandbox(train, [PYTHON, join(code, 'train.py')]);
    assert.match(trained.stdout, /on 1400 rows, \d+ features/);
    assert.ok(existsSync(join(train, 'model', 'model.joblib')) && existsSync(join(train, 'model', 'code', 'inference.py')));

    // 4. Evaluation: model.tar.gz at /opt/ml/processing/model, the test split at /opt/ml/processing/test.
    const evaluation = join(work, 'eval');
    mkdirSync(join(evaluation, 'processing', 'model'), { recursive: true });
    mkdirSync(join(evaluation, 'processing', 'test'), { recursive: true });
    await run('tar', ['-czf', join(evaluation, 'processing', 'model', 'model.tar.gz'), '-C', join(train, 'model'), '.']);
    for (const f of ['test_features.csv', 'test_labels.csv']) copyFileSync(join(pre, 'processing', 'test', f), join(evaluation, 'processing', 'test', f));
    await inSandbox(evaluation, [PYTHON, join(code, 'evaluation.py')]);
    const reportFile = join(evaluation, 'processing', 'evaluation', 'evaluation.json');
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonObject;
    const metrics = report['binary_classification_metrics'] as Record<string, { value: number; standard_deviation: string }>;
    assert.deepEqual(Object.keys(metrics), ['accuracy', 'precision', 'recall', 'f1', 'roc_auc']);
    assert.equal(await approvalOf(report), 'SUCCEEDED', `the trained model meets the example's rules: ${JSON.stringify(metrics)}`);

    // 4b. A useless model, evaluated by the same script, fails the example's rules: one that always
    // predicts the majority class ("- 50000.") scores a high accuracy on 6% positives, and is rejected.
    const useless = join(work, 'useless');
    mkdirSync(join(useless, 'model'), { recursive: true });
    await run(PYTHON, [
      '-c',
      [
        'import joblib, pandas as pd',
        'from sklearn.dummy import DummyClassifier',
        `x = pd.read_csv(${JSON.stringify(join(train, 'input', 'data', 'training', 'train_features.csv'))}, header=None)`,
        `y = pd.read_csv(${JSON.stringify(join(train, 'input', 'data', 'training', 'train_labels.csv'))}, header=None).iloc[:, 0]`,
        `joblib.dump(DummyClassifier(strategy="most_frequent").fit(x.values, y.values), ${JSON.stringify(join(useless, 'model', 'model.joblib'))})`,
      ].join('\n'),
    ]);
    await run('tar', ['-czf', join(evaluation, 'processing', 'model', 'model.tar.gz'), '-C', join(useless, 'model'), '.']);
    await inSandbox(evaluation, [PYTHON, join(code, 'evaluation.py')]);
    const uselessReport = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonObject;
    const uselessMetrics = uselessReport['binary_classification_metrics'] as Record<string, { value: number }>;
    assert.ok(uselessMetrics['accuracy']!.value > 0.9, 'accuracy alone would have passed it');
    assert.equal(uselessMetrics['recall']!.value, 0);
    assert.equal(await approvalOf(uselessReport), 'Pipeline.ModelRejected');

    // 5. Inference handlers, as the scikit-learn serving container calls them.
    const rowsFile = join(work, 'rows.csv');
    writeFileSync(rowsFile, testFeatures.slice(0, 3).join('\n') + '\n');
    const inferred = await run(PYTHON, [
      '-c',
      [
        'import sys',
        `sys.path.insert(0, ${JSON.stringify(join(train, 'model', 'code'))})`,
        'import inference as i',
        `m = i.model_fn(${JSON.stringify(join(train, 'model'))})`,
        `body, ctype = i.output_fn(i.predict_fn(i.input_fn(open(${JSON.stringify(rowsFile)}).read(), "text/csv"), m), "text/csv")`,
        'one, _ = i.output_fn(i.predict_fn(i.input_fn(b"' + testFeatures[0] + '", "text/csv; charset=utf-8"), m), "*/*")',
        'sys.stdout.write(ctype + "\\n" + body + one)',
      ].join('\n'),
    ]);
    const out = inferred.stdout.split('\n');
    assert.equal(out[0], 'text/csv');
    assert.equal(out.length, 1 + 3 + 1 + 1);
    for (const line of out.slice(1, 5)) assert.match(line, /^[01],0\.\d{6}$/);
    assert.equal(out[4], out[1], 'a single-row request predicts the same as in a batch');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
