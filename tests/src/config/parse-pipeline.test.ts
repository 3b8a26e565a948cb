import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePipelineText } from '../../../src/config/parse-pipeline.js';
import { formatProblem } from '../../../src/config/problems.js';
import { editDistance, nearestName } from '../../../src/config/suggest.js';

const problemsOf = (text: string) => parsePipelineText(text, 'pipeline.yaml').problems.map(formatProblem);

/** A pipeline in the seed's own shape: JSON, nulls for unused fields, AppManaged at the top of processing requests. */
const SEED_FORMAT = JSON.stringify({
  app_id: 'aiops',
  model_id: 'demo',
  job_prefix: 'mlops',
  preprocessing: {
    run: true,
    input: {
      AppSpecification: { ImageUri: 'IMAGE_URI', ContainerEntrypoint: ['python3', '/opt/ml/processing/code/preprocessing.py'] },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 } },
      ProcessingInputs: [
        {
          InputName: 'input',
          AppManaged: false,
          S3Input: {
            S3Uri: 's3://sagemaker-sample-data-us-east-1/processing/census',
            LocalPath: '/opt/ml/processing/input',
            S3DataType: 'S3Prefix',
            S3InputMode: 'File',
            S3DataDistributionType: 'FullyReplicated',
          },
        },
      ],
      ProcessingOutputConfig: {
        Outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: 's3://MLOPS_BUCKET/demo/processing/train', LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }],
      },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      AppManaged: false,
      Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
      Environment: null,
      NetworkConfig: null,
      RoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecutionRole',
    },
  },
  training: {
    run: true,
    input: {
      AlgorithmSpecification: { TrainingImage: 'IMAGE_URI', ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'], TrainingInputMode: 'FastFile' },
      HyperParameters: null,
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
      InputDataConfig: [
        { ChannelName: 'training', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://MLOPS_BUCKET/demo/processing/train', S3DataDistributionType: 'FullyReplicated' } } },
      ],
      OutputDataConfig: { S3OutputPath: 's3://MLOPS_BUCKET/demo/model/' },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
      Environment: null,
      RetryStrategy: null,
      VpcConfig: null,
      RoleArn: 'SAGEMAKER_EXECUTION_ROLE',
    },
  },
  CreateModel: {
    run: true,
    input: {
      EnableNetworkIsolation: null,
      Containers: null,
      VpcConfig: null,
      PrimaryContainer: {
        Image: 'IMAGE_URI',
        ModelDataUrl: 's3://MLOPS_BUCKET/demo/model/SFN_EXECUTION_ID/output/model.tar.gz',
        Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://MLOPS_BUCKET/demo/scripts/source.tar.gz' },
      },
      ExecutionRoleArn: 'SAGEMAKER_EXECUTION_ROLE',
    },
  },
  batchTransform: {
    run: true,
    input: {
      BatchStrategy: 'MultiRecord',
      Environment: { APP_ID: 'aiops' },
      MaxConcurrentTransforms: 2,
      MaxPayloadInMB: 50,
      TransformInput: { ContentType: 'text/csv', SplitType: 'Line', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://MLOPS_BUCKET/demo/processing/test/test_features.csv' } } },
      TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line', S3OutputPath: 's3://MLOPS_BUCKET/demo/batch-output/SFN_EXECUTION_ID/' },
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
      Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
    },
  },
}, null, 2);

test("the seed's format is accepted unchanged, with defaults for the new sections", () => {
  const r = parsePipelineText(SEED_FORMAT, 'input.yaml');
  assert.deepEqual(r.problems, []);
  const c = r.config!;
  assert.equal(c.training?.run, true);
  assert.deepEqual(c.approval, { mode: 'auto', rules: [], metrics_output: 'evaluation', metrics_file: 'evaluation.json', timeout_hours: 24 });
  assert.deepEqual(c.registry, { run: true, content_types: ['text/csv'], response_types: ['text/csv'] });
  assert.equal(c.endpoint.run, false);
  // Requests are kept exactly as written, field order included.
  assert.deepEqual(Object.keys(c.preprocessing!.input!), Object.keys(JSON.parse(SEED_FORMAT).preprocessing.input));
});

test('every problem is reported at once, located, with the field path and what to do', () => {
  const text = [
    'app_id: aiops', //                                          1
    'model_id: demo',
    'job_prefix: mlops',
    'preprocesing:', //                                          4
    '  run: true',
    'training:',
    '  run: "yes"', //                                           7
    '  input:',
    '    AlgorithmSpecification:',
    '      TrainingImage: IMAGE_URI',
    '      TrainingInputMode: file', //                          11
    '    ResourceConfig:',
    '      InstanceTyp: ml.m5.xlarge', //                        13
    '      InstanceCount: "1"',
    '    OutputDataConfig:',
    '      S3OutputPath: s3:/MLOPS_BUCKET/model', //             16
    '    HyperParameters:',
    '      epochs: 10', //                                       18
    '    TrainingJobName: my-job',
    '    RoleArn: SAGEMAKER_EXECUTION_ROLE',
    'evaluation:', //                                            21
    '  input: {}',
    'approval:',
    '  mode: automatic', //                                      24
    '  rules: ["accuracy => 0.8", "auc >= 0.7", "f1 > high"]',
  ].join('\n');
  assert.deepEqual(problemsOf(text), [
    'pipeline.yaml:4:1: preprocesing: unknown stage or setting (did you mean preprocessing?)',
    'pipeline.yaml:7:8: training.run: must be true or false, not the string "yes" (write true or false without quotes)',
    'pipeline.yaml:11:26: training.input.AlgorithmSpecification.TrainingInputMode: "file" is not accepted (did you mean File? accepted: FastFile, File, Pipe)',
    'pipeline.yaml:13:7: training.input.ResourceConfig.InstanceTyp: unknown field (did you mean InstanceType?)',
    'pipeline.yaml:14:22: training.input.ResourceConfig.InstanceCount: must be a number, not the string "1" (write 1 without quotes)',
    'pipeline.yaml:16:21: training.input.OutputDataConfig.S3OutputPath: "s3:/MLOPS_BUCKET/model" is not an S3 URI (write s3:// followed by the bucket name, e.g. s3://my-bucket/data)',
    'pipeline.yaml:18:15: training.input.HyperParameters.epochs: must be a string, not number 10 (put it in quotes: "10")',
    'pipeline.yaml:19:5: training.input.TrainingJobName: is set by the pipeline, not the file (the execution name, as in the seed, so artifacts land in <S3OutputPath>/<execution name>/output/model.tar.gz; remove it)',
    'pipeline.yaml:21:1: evaluation.run: is required but missing (add run: true or run: false)',
    'pipeline.yaml:22:3: evaluation.input.AppSpecification: is required but missing (add AppSpecification)',
    'pipeline.yaml:22:3: evaluation.input.ProcessingResources: is required but missing (add ProcessingResources)',
    'pipeline.yaml:22:3: evaluation.input.RoleArn: is required but missing (add RoleArn)',
    'pipeline.yaml:24:9: approval.mode: "automatic" is not accepted (did you mean auto? accepted: auto, manual, auto-then-manual)',
    'pipeline.yaml:25:11: approval.rules[0]: "accuracy => 0.8" is not a rule (write >= or <=)',
    'pipeline.yaml:25:44: approval.rules[2]: "f1 > high" is not a rule (write <metric> <operator> <number>, e.g. "accuracy >= 0.8"; operators: >= > <= < == !=)',
  ]);
});

test('misspelt nested SageMaker fields suggest the nearest known name of that request', () => {
  const base = SEED_FORMAT.replace('"S3DataDistributionType": "FullyReplicated"', '"S3DataDistrib": "FullyReplicated"').replace('"LocalPath": "/opt/ml/processing/train"', '"Localpath": "/opt/ml/processing/train"');
  const lines = problemsOf(base);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /preprocessing\.input\.ProcessingInputs\[0\]\.S3Input\.S3DataDistrib: unknown field \(did you mean S3DataDistributionType\?\)$/);
  assert.match(lines[1]!, /preprocessing\.input\.ProcessingOutputConfig\.Outputs\[0\]\.S3Output\.Localpath: unknown field \(did you mean LocalPath\?\)$/);
});

test('values SageMaker would refuse are caught with the rule they break', () => {
  const text = SEED_FORMAT.replace('"LocalPath": "/opt/ml/processing/input"', '"LocalPath": "/data/input"')
    .replace('"s3://sagemaker-sample-data-us-east-1/processing/census"', '"S3://Bad_Bucket/census"')
    .replace('"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50', '"InstanceType": "m5.xlarge", "InstanceCount": 0, "VolumeSizeInGB": 50')
    .replace('"RoleArn": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"', '"RoleArn": "SageMakerExecutionRole"');
  const lines = problemsOf(text);
  assert.ok(lines.some((l) => /S3Input\.S3Uri: "S3:\/\/Bad_Bucket\/census" is not an S3 URI \(write the scheme in lower case: s3:\/\/\)$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /S3Input\.LocalPath: "\/data\/input" is not under \/opt\/ml\/processing\//.test(l)));
  assert.ok(lines.some((l) => /preprocessing\.input\.RoleArn: "SageMakerExecutionRole" is not an IAM role ARN/.test(l)));
  assert.ok(lines.some((l) => /^pipeline\.yaml:\d+:\d+: preprocessing\.input\.RoleArn/.test(l)));
});

test('checks across sections: the endpoint and batch transform need CreateModel, comparisons need the registry', () => {
  const text = [
    'app_id: aiops',
    'model_id: demo',
    'job_prefix: mlops',
    'batchTransform:',
    '  run: true',
    '  input:',
    '    TransformInput: {DataSource: {S3DataSource: {S3DataType: S3Prefix, S3Uri: "s3://bkt/in"}}}',
    '    TransformOutput: {S3OutputPath: "s3://bkt/out"}',
    '    TransformResources: {InstanceType: ml.m5.large, InstanceCount: 1}',
    'registry:',
    '  run: false',
    'approval:',
    '  compare_to_approved: {metric: roc_auc}',
    'endpoint:',
    '  name: demo',
  ].join('\n');
  assert.deepEqual(problemsOf(text), [
    'pipeline.yaml:5:3: batchTransform.run: batch transform uses the model the CreateModel stage creates, which is not run (set CreateModel.run: true, or batchTransform.run: false)',
    'pipeline.yaml:12:1: approval: warning: approval applies to a model trained in the run, and training does not run, so approval is skipped (set training.run: true)',
    'pipeline.yaml:13:3: approval.compare_to_approved: comparing with the approved model needs the model registry (set registry.run: true, or remove compare_to_approved)',
    'pipeline.yaml:14:1: endpoint.run: the endpoint serves the model the CreateModel stage creates, which is not run (set CreateModel.run: true, or endpoint.run: false)',
  ]);
});

test('warnings alone leave the configuration usable', () => {
  const r = parsePipelineText('app_id: a\nmodel_id: demo\njob_prefix: mlops\n', 'p.yaml');
  assert.ok(r.config);
  assert.deepEqual(r.problems.map(formatProblem), ['p.yaml:1:1: warning: no stage has run: true, so a run does nothing (set run: true on the stages to run)']);
});

test('names that would not fit SageMaker job names are refused', () => {
  const lines = problemsOf(`app_id: a\nmodel_id: ${'m'.repeat(30)}\njob_prefix: ${'p'.repeat(10)}\n`).filter((l) => !l.includes('warning'));
  assert.match(lines[0]!, /^pipeline\.yaml:2:1: model_id: job_prefix and model_id together are 40 characters; at most 37 fit/);
  assert.match(problemsOf('app_id: a\nmodel_id: my_model\njob_prefix: mlops\n')[0]!, /model_id: "my_model" cannot be used as part of execution and job names/);
});

test('empty files, lists and scalars are refused with a hint', () => {
  assert.match(problemsOf('')[0]!, /^pipeline\.yaml:1:1: the file is empty/);
  assert.match(problemsOf('- a\n- b\n')[0]!, /must be a mapping of settings and stages/);
  assert.match(problemsOf('app_id: [1\n')[0]!, /invalid YAML/);
});

test('nearest names: typos, case and transpositions', () => {
  assert.equal(nearestName('InstanceTyp', ['InstanceType', 'InstanceCount']), 'InstanceType');
  assert.equal(nearestName('instancetype', ['InstanceType']), 'InstanceType');
  assert.equal(nearestName('S3Url', ['S3Uri', 'LocalPath']), 'S3Uri');
  assert.equal(nearestName('Zebra', ['InstanceType', 'S3Uri']), undefined);
  assert.equal(editDistance('ab', 'ba'), 1);
});

test('a MetricDefinitions regex that would need backtracking is refused at its line, before any job runs', async () => {
  const { readFileSync } = await import('node:fs');
  const { packageFile } = await import('../../../src/core/package-root.js');
  const census = readFileSync(packageFile('examples', 'census', 'pipeline.yaml'), 'utf8').replace(
    /^( {6}TrainingInputMode: FastFile)$/m,
    '$1\n      MetricDefinitions:\n        - Name: loss\n          Regex: "loss=([0-9.]+)"\n        - Name: repeat\n          Regex: "(\\\\d+) \\\\1"',
  );
  const line = census.split('\n').findIndex((l) => l.includes('(\\\\d+) \\\\1')) + 1;
  assert.deepEqual(problemsOf(census), [
    `pipeline.yaml:${line}:18: training.input.AlgorithmSpecification.MetricDefinitions[1].Regex: this regular expression cannot be used for a metric: the backreference \\1 at position 6 cannot run in linear time, so it would let a log line hang the job (rewrite it)`,
  ]);
});
