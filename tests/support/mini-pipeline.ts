/** A small real pipeline (preprocessing, training, evaluation) whose evaluation script raises until FIXED_EVALUATION replaces it. */
export const PIPELINE = `
app_id: mini
model_id: mini
job_prefix: mlops
preprocessing:
  run: true
  input:
    AppSpecification:
      ImageUri: IMAGE_URI
      ContainerEntrypoint: ["python3", "/opt/ml/processing/code/preprocessing.py"]
    ProcessingResources:
      ClusterConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
    ProcessingInputs:
      - InputName: code
        S3Input: {S3Uri: s3://MLOPS_BUCKET/mini/scripts, LocalPath: /opt/ml/processing/code, S3DataType: S3Prefix, S3InputMode: File}
    ProcessingOutputConfig:
      Outputs:
        - OutputName: train
          S3Output: {S3Uri: s3://MLOPS_BUCKET/mini/processing/SFN_EXECUTION_ID/train, LocalPath: /opt/ml/processing/train, S3UploadMode: EndOfJob}
    StoppingCondition: {MaxRuntimeInSeconds: 600}
    RoleArn: SAGEMAKER_EXECUTION_ROLE
training:
  run: true
  input:
    AlgorithmSpecification:
      TrainingImage: IMAGE_URI
      ContainerEntrypoint: ["python3", "/opt/ml/input/data/code/train.py"]
      TrainingInputMode: File
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
    InputDataConfig:
      - ChannelName: training
        DataSource: {S3DataSource: {S3DataType: S3Prefix, S3Uri: s3://MLOPS_BUCKET/mini/processing/SFN_EXECUTION_ID/train}}
      - ChannelName: code
        DataSource: {S3DataSource: {S3DataType: S3Prefix, S3Uri: s3://MLOPS_BUCKET/mini/scripts}}
    OutputDataConfig: {S3OutputPath: s3://MLOPS_BUCKET/mini/model/}
    StoppingCondition: {MaxRuntimeInSeconds: 600}
    RoleArn: SAGEMAKER_EXECUTION_ROLE
evaluation:
  run: true
  input:
    AppSpecification:
      ImageUri: IMAGE_URI
      ContainerEntrypoint: ["python3", "/opt/ml/processing/code/evaluation.py"]
    ProcessingResources:
      ClusterConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
    ProcessingInputs:
      - InputName: model
        S3Input: {S3Uri: s3://MLOPS_BUCKET/mini/model/SFN_EXECUTION_ID/output/model.tar.gz, LocalPath: /opt/ml/processing/model, S3DataType: S3Prefix, S3InputMode: File}
      - InputName: code
        S3Input: {S3Uri: s3://MLOPS_BUCKET/mini/scripts, LocalPath: /opt/ml/processing/code, S3DataType: S3Prefix, S3InputMode: File}
    ProcessingOutputConfig:
      Outputs:
        - OutputName: evaluation
          S3Output: {S3Uri: s3://MLOPS_BUCKET/mini/evaluation/SFN_EXECUTION_ID, LocalPath: /opt/ml/processing/evaluation, S3UploadMode: EndOfJob}
    StoppingCondition: {MaxRuntimeInSeconds: 600}
    RoleArn: SAGEMAKER_EXECUTION_ROLE
approval:
  mode: auto
  rules: ["accuracy >= 0.5"]
registry:
  run: false
`;

export const SCRIPTS: Record<string, string> = {
  'preprocessing.py': "import os\nos.makedirs('/opt/ml/processing/train', exist_ok=True)\nopen('/opt/ml/processing/train/rows.csv', 'w').write('x,y\\n1,1\\n2,0\\n')\n",
  'train.py': "rows = open('/opt/ml/input/data/training/rows.csv').read().splitlines()[1:]\nopen('/opt/ml/model/model.txt', 'w').write(str(len(rows)))\n",
  'evaluation.py': "import tarfile\ntarfile.open('/opt/ml/processing/model/model.tar.gz').extractall('/tmp/model')\nraise ValueError('the evaluation script has a bug')\n",
};

export const FIXED_EVALUATION = `import json, os, tarfile
tarfile.open('/opt/ml/processing/model/model.tar.gz').extractall('/tmp/model')
os.makedirs('/opt/ml/processing/evaluation', exist_ok=True)
json.dump({'accuracy': 0.9}, open('/opt/ml/processing/evaluation/evaluation.json', 'w'))
`;

