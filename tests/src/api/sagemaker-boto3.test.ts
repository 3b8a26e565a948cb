/**
 * SageMaker driven by boto3 alone, no state machine: the SageMaker Python SDK's script-mode flow
 * (sourcedir.tar.gz uploaded through the local S3, `sagemaker_program` and
 * `sagemaker_submit_directory` hyperparameters), a real scikit-learn training job waited for with
 * boto3's waiter, a model, endpoint config and endpoint served by a real model server, invoked
 * through sagemaker-runtime, the model registry and tags. Skipped, saying why, where the machine
 * has no Python with boto3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalApi } from '../../../src/api/index.js';
import { openLocalServices } from '../../../src/engine/local-services.js';
import { LocalStepFunctions } from '../../../src/engine/step-functions/index.js';

const python = ['python3', 'python3.11'].find((p) => spawnSync(p, ['-c', 'import boto3'], { timeout: 30_000 }).status === 0);

// Written for this test: a script-mode entry point that trains and also serves (model_fn), as
// SageMaker's scikit-learn estimators use one script for both.
const ENTRY_PY = `
import argparse, os, joblib, pandas as pd
from sklearn.linear_model import LogisticRegression

def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, 'model.joblib'))

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--reg-c', type=float, default=1.0)
    args = p.parse_args()
    df = pd.read_csv(os.path.join(os.environ['SM_CHANNEL_TRAIN'], 'train.csv'))
    model = LogisticRegression(C=args.reg_c).fit(df[['x1', 'x2']], df['y'])
    joblib.dump(model, os.path.join(os.environ['SM_MODEL_DIR'], 'model.joblib'))
    print('train_accuracy=%.4f' % model.score(df[['x1', 'x2']], df['y']))
`;

const SCRIPT_PY = `
import io, json, sys, tarfile, time, boto3
url, entry = sys.argv[1], sys.argv[2]
IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'
ROLE = 'arn:aws:iam::111111111111:role/sagemaker'
s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1')
sm = boto3.client('sagemaker', endpoint_url=url, region_name='us-east-1')
rt = boto3.client('sagemaker-runtime', endpoint_url=url, region_name='us-east-1')
out = {}
s3.create_bucket(Bucket='sdk-flow')
rows = ['x1,x2,y'] + ['%s,%s,%d' % ((y * 2 - 1) * (1 + (i % 7) / 10), ((i * 37) % 11) / 10, y) for i in range(200) for y in [i % 2]]
s3.put_object(Bucket='sdk-flow', Key='data/train/train.csv', Body=('\\n'.join(rows) + '\\n').encode())
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w:gz') as tar:
    tar.add(entry, arcname='entry.py')
s3.put_object(Bucket='sdk-flow', Key='code/sourcedir.tar.gz', Body=buf.getvalue())

sm.create_training_job(
    TrainingJobName='boto-train-1', RoleArn=ROLE,
    AlgorithmSpecification={'TrainingImage': IMAGE, 'TrainingInputMode': 'File',
                            'MetricDefinitions': [{'Name': 'train:accuracy', 'Regex': 'train_accuracy=([0-9.]+)'}]},
    HyperParameters={'sagemaker_program': '"entry.py"', 'sagemaker_submit_directory': '"s3://sdk-flow/code/sourcedir.tar.gz"', 'reg-c': '0.5'},
    InputDataConfig=[{'ChannelName': 'train', 'DataSource': {'S3DataSource': {'S3DataType': 'S3Prefix', 'S3Uri': 's3://sdk-flow/data/train/', 'S3DataDistributionType': 'FullyReplicated'}}}],
    OutputDataConfig={'S3OutputPath': 's3://sdk-flow/output/'},
    ResourceConfig={'InstanceType': 'ml.m5.large', 'InstanceCount': 1, 'VolumeSizeInGB': 10},
    StoppingCondition={'MaxRuntimeInSeconds': 600},
    Tags=[{'Key': 'team', 'Value': 'ml'}])
try:
    sm.get_waiter('training_job_completed_or_stopped').wait(TrainingJobName='boto-train-1', WaiterConfig={'Delay': 1, 'MaxAttempts': 300})
except Exception:
    pass
job = sm.describe_training_job(TrainingJobName='boto-train-1')
out['trainingStatus'] = job['TrainingJobStatus']
out['failure'] = job.get('FailureReason')
out['artifacts'] = job['ModelArtifacts']['S3ModelArtifacts']
out['metrics'] = {m['MetricName']: m['Value'] for m in job.get('FinalMetricDataList', [])}
out['listed'] = [j['TrainingJobName'] for j in sm.list_training_jobs()['TrainingJobSummaries']]
out['tags'] = sm.list_tags(ResourceArn=job['TrainingJobArn'])['Tags']
sm.add_tags(ResourceArn=job['TrainingJobArn'], Tags=[{'Key': 'stage', 'Value': 'dev'}])
out['tagsAfter'] = sorted(t['Key'] for t in sm.list_tags(ResourceArn=job['TrainingJobArn'])['Tags'])

sm.create_model(ModelName='boto-model', ExecutionRoleArn=ROLE, PrimaryContainer={
    'Image': IMAGE, 'ModelDataUrl': out['artifacts'],
    'Environment': {'SAGEMAKER_PROGRAM': 'entry.py', 'SAGEMAKER_SUBMIT_DIRECTORY': 's3://sdk-flow/code/sourcedir.tar.gz'}})
sm.create_endpoint_config(EndpointConfigName='boto-config', ProductionVariants=[{
    'VariantName': 'AllTraffic', 'ModelName': 'boto-model', 'InitialInstanceCount': 1, 'InstanceType': 'ml.m5.large'}])
sm.create_endpoint(EndpointName='boto-endpoint', EndpointConfigName='boto-config')
sm.get_waiter('endpoint_in_service').wait(EndpointName='boto-endpoint', WaiterConfig={'Delay': 1, 'MaxAttempts': 120})
out['endpointStatus'] = sm.describe_endpoint(EndpointName='boto-endpoint')['EndpointStatus']
answer = rt.invoke_endpoint(EndpointName='boto-endpoint', ContentType='text/csv', Accept='text/csv', Body=b'1.5,0.2\\n-1.5,0.3\\n')
out['prediction'] = answer['Body'].read().decode()

sm.create_model_package_group(ModelPackageGroupName='boto-group')
pkg = sm.create_model_package(ModelPackageGroupName='boto-group', ModelApprovalStatus='PendingManualApproval',
    InferenceSpecification={'Containers': [{'Image': IMAGE, 'ModelDataUrl': out['artifacts']}],
                            'SupportedContentTypes': ['text/csv'], 'SupportedResponseMIMETypes': ['text/csv']})
sm.update_model_package(ModelPackageArn=pkg['ModelPackageArn'], ModelApprovalStatus='Approved', ApprovalDescription='good enough')
out['packages'] = [(p['ModelPackageVersion'], p['ModelApprovalStatus']) for p in sm.list_model_packages(ModelPackageGroupName='boto-group')['ModelPackageSummaryList']]
try:
    sm.describe_training_job(TrainingJobName='nope')
except sm.exceptions.ClientError as e:
    out['missing'] = [e.response['Error']['Code'], e.response['Error']['Message']]
sm.delete_endpoint(EndpointName='boto-endpoint')
sm.get_waiter('endpoint_deleted').wait(EndpointName='boto-endpoint', WaiterConfig={'Delay': 1, 'MaxAttempts': 60})
out['endpointsLeft'] = [e['EndpointName'] for e in sm.list_endpoints()['Endpoints']]
print(json.dumps(out))
`;

test('boto3 alone: a script-mode training job, an endpoint invoked, the model registry and tags', { timeout: 300_000, skip: !python && 'no Python with boto3 on PATH (pip install boto3)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-boto3-sm-'));
  const services = openLocalServices(join(dir, 'home'), { fsync: false });
  const sfn = new LocalStepFunctions(services, {});
  const logged: string[] = [];
  const api = await startLocalApi({ services, stepFunctions: sfn, log: (l) => logged.push(l) });
  try {
    writeFileSync(join(dir, 'entry.py'), ENTRY_PY);
    writeFileSync(join(dir, 'script.py'), SCRIPT_PY);
    const stdout = await new Promise<string>((resolve, reject) => {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
      const child = spawn(python!, [join(dir, 'script.py'), api.url, join(dir, 'entry.py')], { env });
      let out = '';
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (err += c));
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`boto3 script exited ${code}: ${err.slice(-3000)}`));
      });
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.trainingStatus, 'Completed', String(out.failure));
    assert.equal(out.artifacts, 's3://sdk-flow/output/boto-train-1/output/model.tar.gz');
    assert.deepEqual(out.metrics, { 'train:accuracy': 1 });
    assert.deepEqual(out.listed, ['boto-train-1']);
    assert.deepEqual(out.tags, [{ Key: 'team', Value: 'ml' }]);
    assert.deepEqual(out.tagsAfter, ['stage', 'team']);
    assert.equal(out.endpointStatus, 'InService');
    assert.deepEqual(String(out.prediction).trim().split(/\s+/).map(Number), [1, 0]);
    assert.deepEqual(out.packages, [[1, 'Approved']]);
    assert.equal((out.missing as string[])[0], 'ValidationException');
    assert.deepEqual(out.endpointsLeft, []);
    assert.deepEqual(logged, []);
  } finally {
    await api.close();
    await sfn.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
