/** Shared setup for the service tests: a temp home, an in-memory store, the local S3 and test doubles. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_LOCATION } from '../../src/core/arn.js';
import type { JsonObject } from '../../src/core/json.js';
import { Store } from '../../src/store/index.js';
import { s3StoreForHome } from '../../src/emulators/s3/index.js';
import { SageMakerService } from '../../src/emulators/sagemaker/service/service.js';
import { FakeHosting, FakeJobRunner, type FakeBehaviour } from './sagemaker-doubles.js';

export const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecutionRole';
export const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

export interface Harness {
  home: string;
  store: Store;
  sm: SageMakerService;
  runner: FakeJobRunner;
  hosting: FakeHosting;
  close(): Promise<void>;
}

export function harness(behaviours: Record<string, FakeBehaviour> = {}, opts: { store?: Store; now?: () => number } = {}): Harness {
  const store = opts.store ?? Store.memory();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sm-'));
  const runner = new FakeJobRunner(behaviours);
  const hosting = new FakeHosting();
  const sm = new SageMakerService({ store, s3: s3StoreForHome(home, { fsync: false }), home, location: LOCAL_LOCATION, runner, hosting, pollMs: 50, ...(opts.now ? { now: opts.now } : {}) });
  return {
    home,
    store,
    sm,
    runner,
    hosting,
    async close() {
      await sm.close();
      store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The seed pipeline's preprocessing request, nulls included. */
export function processingRequest(name: string): JsonObject {
  return {
    ProcessingJobName: name,
    AppSpecification: { ImageUri: IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/code/preprocessing.py'] },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 } },
    ProcessingInputs: [
      {
        InputName: 'input',
        AppManaged: false,
        S3Input: { S3Uri: 's3://sagemaker-sample-data-us-east-1/processing/census', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' },
      },
    ],
    ProcessingOutputConfig: {
      Outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: 's3://mlops-bucket/demo/processing/train', LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }],
    },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
    Environment: null,
    NetworkConfig: null,
    RoleArn: ROLE,
  };
}

/** The seed pipeline's training request, nulls included. */
export function trainingRequest(name: string): JsonObject {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'], TrainingInputMode: 'FastFile' },
    HyperParameters: null,
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
    InputDataConfig: [
      { ChannelName: 'training', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://mlops-bucket/demo/processing/train', S3DataDistributionType: 'FullyReplicated' } } },
    ],
    OutputDataConfig: { S3OutputPath: 's3://mlops-bucket/demo/model/' },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
    Environment: null,
    RetryStrategy: null,
    VpcConfig: null,
    RoleArn: ROLE,
  };
}

export function modelRequest(name: string, image = IMAGE): JsonObject {
  return {
    ModelName: name,
    EnableNetworkIsolation: null,
    Containers: null,
    VpcConfig: null,
    PrimaryContainer: {
      Image: image,
      ModelDataUrl: 's3://mlops-bucket/demo/model/mlops-demo-1/output/model.tar.gz',
      Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://mlops-bucket/demo/scripts/source.tar.gz' },
    },
    ExecutionRoleArn: ROLE,
  };
}

export function transformRequest(name: string, model: string): JsonObject {
  return {
    TransformJobName: name,
    ModelName: model,
    BatchStrategy: 'MultiRecord',
    Environment: { APP_ID: 'aiops' },
    MaxConcurrentTransforms: 2,
    MaxPayloadInMB: 50,
    TransformInput: { ContentType: 'text/csv', SplitType: 'Line', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://mlops-bucket/demo/processing/test/test_features.csv' } } },
    TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line', S3OutputPath: 's3://mlops-bucket/demo/batch-output/x/' },
    TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
    Tags: [{ Key: 'APP_ID', Value: 'aiops' }],
  };
}
