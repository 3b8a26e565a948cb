/**
 * The seed pipeline's shape with real scikit-learn: a training job (FastFile channels "training"
 * and "code", its own ContainerEntrypoint) writes model.joblib, and an evaluation processing job
 * reads the model.tar.gz by its S3 object URI. Proves the runtime profile works inside the sandbox.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJobRunner } from '../../../../../src/emulators/sagemaker/runner/job-runner.js';
import { BUCKET, channel, processingJob, s3Input, s3Output, testHome, trainingJob, type TestHome } from '../../../../support/runner.js';

let h: TestHome;
before(async () => {
  h = await testHome();
});
after(() => h.cleanup());

// Written for this test: a tiny separable data set, a logistic regression, and its evaluation.
const TRAIN_PY = `
import os, joblib, pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv('/opt/ml/input/data/training/train.csv')
model = LogisticRegression().fit(df[['x1', 'x2']], df['y'])
joblib.dump(model, os.path.join(os.environ['SM_MODEL_DIR'], 'model.joblib'))
print('train_accuracy=%.4f' % model.score(df[['x1', 'x2']], df['y']))
`;
const EVAL_PY = `
import json, os, tarfile, joblib, sklearn, pandas as pd
with tarfile.open('/opt/ml/processing/model/model.tar.gz') as tar:
    tar.extractall('/tmp/model')
model = joblib.load('/tmp/model/model.joblib')
df = pd.read_csv('/opt/ml/processing/test/train.csv')
os.makedirs('/opt/ml/processing/evaluation', exist_ok=True)
json.dump({'accuracy': model.score(df[['x1', 'x2']], df['y']), 'sklearn': sklearn.__version__},
          open('/opt/ml/processing/evaluation/evaluation.json', 'w'))
`;

test('a scikit-learn training job and an evaluation job run on the built-in runtime, in the seed pipeline shape', { timeout: 300_000 }, async () => {
  const rows = ['x1,x2,y'];
  for (let i = 0; i < 200; i++) {
    const y = i % 2;
    rows.push(`${(y * 2 - 1) * (1 + (i % 7) / 10)},${((i * 37) % 11) / 10},${y}`);
  }
  await h.put('demo/processing/train/train.csv', rows.join('\n') + '\n');
  await h.put('demo/scripts/train.py', TRAIN_PY);
  await h.put('demo/scripts/evaluation.py', EVAL_PY);
  const runner = createJobRunner();
  const trained = await runner.run(
    trainingJob('mlops-demo-1', {
      AlgorithmSpecification: {
        ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
        TrainingInputMode: 'FastFile',
        MetricDefinitions: [{ Name: 'train:accuracy', Regex: 'train_accuracy=([0-9.]+)' }],
      },
      InputDataConfig: [channel('training', `s3://${BUCKET}/demo/processing/train`), channel('code', `s3://${BUCKET}/demo/scripts`)],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/demo/model/` },
    }),
    h.context('mlops-demo-1'),
  );
  assert.equal(trained.status, 'Completed', trained.failureReason);
  assert.equal(trained.s3ModelArtifacts, `s3://${BUCKET}/demo/model/mlops-demo-1/output/model.tar.gz`);
  assert.equal(trained.finalMetricDataList?.[0].Value, 1);

  const evaluated = await runner.run(
    processingJob('mlops-demo-eval-1', {
      AppSpecification: { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/evaluation.py'] },
      ProcessingInputs: [
        s3Input('input', trained.s3ModelArtifacts!, '/opt/ml/processing/model'),
        s3Input('Code', `s3://${BUCKET}/demo/scripts`, '/opt/ml/processing/code'),
        s3Input('test', `s3://${BUCKET}/demo/processing/train`, '/opt/ml/processing/test'),
      ],
      ProcessingOutputConfig: { Outputs: [s3Output('evaluation', `s3://${BUCKET}/demo/evaluation/output`, '/opt/ml/processing/evaluation')] },
    }),
    h.context('mlops-demo-eval-1'),
  );
  assert.equal(evaluated.status, 'Completed', evaluated.failureReason);
  const report = JSON.parse((await h.get('demo/evaluation/output/evaluation.json')).toString());
  assert.equal(report.sklearn, '1.2.1');
  assert.equal(report.accuracy, 1);
});
