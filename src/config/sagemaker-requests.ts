/**
 * The SageMaker requests a pipeline stage may hold as its `input`, as field tables checked
 * against the AWS SDK's types (see sagemaker-fields.ts). Shapes a pipeline commonly writes are
 * described field by field (so misspellings are caught and completed in editors); rarely used
 * nested shapes (Athena/Redshift datasets, Debugger, profiler...) are accepted as any object and
 * left for SageMaker to check.
 *
 * Names the pipeline sets itself (job names, model names) are marked `managed`: the state
 * machine derives them from the execution name, as the seed's state machine did.
 */
import type {
  AlgorithmSpecification,
  AppSpecification,
  BatchDataCaptureConfig,
  BatchStrategy,
  AssemblyType,
  Channel,
  CheckpointConfig,
  CompressionType,
  ContainerDefinition,
  ContainerMode,
  CreateModelInput,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
  CreateTransformJobRequest,
  DataProcessing,
  DataSource,
  ExperimentConfig,
  InferenceExecutionConfig,
  InferenceExecutionMode,
  InstanceGroup,
  JoinSource,
  MetricDefinition,
  ModelClientConfig,
  ModelCompressionType,
  ModelDataSource,
  NetworkConfig,
  OutputCompressionType,
  OutputDataConfig,
  ProcessingClusterConfig,
  ProcessingInput,
  ProcessingOutput,
  ProcessingOutputConfig,
  ProcessingResources,
  ProcessingS3CompressionType,
  ProcessingS3DataDistributionType,
  ProcessingS3DataType,
  ProcessingS3Input,
  ProcessingS3InputMode,
  ProcessingS3Output,
  ProcessingS3UploadMode,
  ProcessingStoppingCondition,
  RecordWrapper,
  ResourceConfig,
  RetryStrategy,
  S3DataDistribution,
  S3DataSource,
  S3DataType,
  S3ModelDataSource,
  S3ModelDataType,
  ShuffleConfig,
  SplitType,
  StoppingCondition,
  TrainingInputMode,
  TransformDataSource,
  TransformInput,
  TransformOutput,
  TransformResources,
  TransformS3DataSource,
  VpcConfig,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { compileMetricRegex, MetricRegexError } from '../core/metric-regex.js';
import { exactlyOneOf, managed, opt, req, sagemakerShape } from './sagemaker-fields.js';
import {
  anyObject,
  environmentMap,
  hyperParameters,
  imageUri,
  instanceType,
  nonNegativeInt,
  positiveInt,
  processingLocalPath,
  roleArn,
  s3OutputUri,
  s3Uri,
  stringList,
  tags,
} from './values.js';

/** A zod enum of an SDK enum type's values; the compiler checks the list is complete and correct. */
function enumOf<T extends string>() {
  return <const V extends readonly [T, ...T[]]>(values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never)) => z.enum(values);
}

const stoppingProcessing = sagemakerShape<ProcessingStoppingCondition>({ MaxRuntimeInSeconds: req(positiveInt(777_600)) });
const vpcConfig = sagemakerShape<VpcConfig>({
  SecurityGroupIds: req(z.array(z.string()).min(1).max(5)),
  Subnets: req(z.array(z.string()).min(1).max(16)),
});
const networkConfig = sagemakerShape<NetworkConfig>({
  EnableInterContainerTrafficEncryption: opt(z.boolean()),
  EnableNetworkIsolation: opt(z.boolean()),
  VpcConfig: opt(vpcConfig),
});
const experimentConfig = sagemakerShape<ExperimentConfig>({
  ExperimentName: opt(z.string()),
  TrialName: opt(z.string()),
  TrialComponentDisplayName: opt(z.string()),
  RunName: opt(z.string()),
});

// ---- CreateProcessingJob ----------------------------------------------------------------------

const appSpecification = sagemakerShape<AppSpecification>({
  ImageUri: req(imageUri),
  ContainerEntrypoint: opt(z.array(z.string()).min(1).max(100)),
  ContainerArguments: opt(z.array(z.string()).min(1).max(100)),
});

const processingS3Input = sagemakerShape<ProcessingS3Input>({
  S3Uri: req(s3Uri()),
  LocalPath: opt(processingLocalPath),
  S3DataType: req(enumOf<ProcessingS3DataType>()(['ManifestFile', 'S3Prefix'])),
  S3InputMode: opt(enumOf<ProcessingS3InputMode>()(['File', 'Pipe'])),
  S3DataDistributionType: opt(enumOf<ProcessingS3DataDistributionType>()(['FullyReplicated', 'ShardedByS3Key'])),
  S3CompressionType: opt(enumOf<ProcessingS3CompressionType>()(['Gzip', 'None'])),
});

const processingInput = sagemakerShape<ProcessingInput>(
  {
    InputName: req(z.string().min(1)),
    AppManaged: opt(z.boolean()),
    S3Input: opt(processingS3Input),
    DatasetDefinition: opt(anyObject),
  },
  { refine: exactlyOneOf('S3Input', 'DatasetDefinition') },
);

const processingS3Output = sagemakerShape<ProcessingS3Output>({
  S3Uri: req(s3OutputUri()),
  LocalPath: opt(processingLocalPath),
  S3UploadMode: req(enumOf<ProcessingS3UploadMode>()(['Continuous', 'EndOfJob'])),
});

const processingOutput = sagemakerShape<ProcessingOutput>(
  {
    OutputName: req(z.string().min(1)),
    S3Output: opt(processingS3Output),
    FeatureStoreOutput: opt(anyObject),
    AppManaged: opt(z.boolean()),
  },
  { refine: exactlyOneOf('S3Output', 'FeatureStoreOutput') },
);

const processingOutputConfig = sagemakerShape<ProcessingOutputConfig>({
  Outputs: req(z.array(processingOutput).max(10)),
  KmsKeyId: opt(z.string()),
});

const processingClusterConfig = sagemakerShape<ProcessingClusterConfig>({
  InstanceCount: opt(positiveInt(100)),
  InstanceType: opt(instanceType),
  VolumeSizeInGB: req(positiveInt(16_384)),
  VolumeKmsKeyId: opt(z.string()),
  InstancePreferences: opt(z.array(anyObject)),
  SelectedInstanceType: opt(instanceType),
  SelectedInstanceCount: opt(positiveInt(100)),
});

const processingResources = sagemakerShape<ProcessingResources>({ ClusterConfig: req(processingClusterConfig) });

/** The seed's files carry `AppManaged: false` at the top of processing requests; it was never sent. */
const SEED_APP_MANAGED = {
  schema: z.boolean(),
  description: "Accepted for compatibility with the seed's input.yaml, which writes it here; it is not part of CreateProcessingJob and is not sent.",
};

export const processingJobRequest = sagemakerShape<CreateProcessingJobRequest>(
  {
    ProcessingInputs: opt(z.array(processingInput).max(10)),
    ProcessingOutputConfig: opt(processingOutputConfig),
    ProcessingJobName: managed('preprocessing: the execution name; evaluation: "evaluation-" + the execution name'),
    ProcessingResources: req(processingResources),
    StoppingCondition: opt(stoppingProcessing),
    AppSpecification: req(appSpecification),
    Environment: opt(environmentMap(100, 256)),
    NetworkConfig: opt(networkConfig),
    RoleArn: req(roleArn),
    Tags: opt(tags),
    ExperimentConfig: opt(experimentConfig),
  },
  {
    extras: { AppManaged: SEED_APP_MANAGED },
    description: 'A CreateProcessingJob request (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateProcessingJob.html).',
  },
);

// ---- CreateTrainingJob ------------------------------------------------------------------------

/** The linear-time engine the regex will run on must accept it, or CreateTrainingJob refuses the job (core/metric-regex.ts). */
const metricRegex = z
  .string()
  .min(1)
  .max(500)
  .superRefine((v, ctx) => {
    try {
      compileMetricRegex(v);
    } catch (err) {
      if (!(err instanceof MetricRegexError)) throw err;
      ctx.addIssue({ code: 'custom', message: `this regular expression cannot be used for a metric: ${err.problem} (rewrite it)` });
    }
  });

const metricDefinition = sagemakerShape<MetricDefinition>({ Name: req(z.string().min(1).max(255)), Regex: req(metricRegex) });

const algorithmSpecification = sagemakerShape<AlgorithmSpecification>(
  {
    TrainingImage: opt(imageUri),
    AlgorithmName: opt(z.string()),
    TrainingInputMode: req(enumOf<TrainingInputMode>()(['FastFile', 'File', 'Pipe'])),
    MetricDefinitions: opt(z.array(metricDefinition).max(40)),
    EnableSageMakerMetricsTimeSeries: opt(z.boolean()),
    ContainerEntrypoint: opt(z.array(z.string()).min(1).max(10)),
    ContainerArguments: opt(z.array(z.string()).min(1).max(100)),
    TrainingImageConfig: opt(anyObject),
  },
  { refine: exactlyOneOf('TrainingImage', 'AlgorithmName') },
);

const s3DataSource = sagemakerShape<S3DataSource>({
  S3DataType: req(enumOf<S3DataType>()(['AugmentedManifestFile', 'Converse', 'ManifestFile', 'S3Prefix'])),
  S3Uri: req(s3Uri()),
  S3DataDistributionType: opt(enumOf<S3DataDistribution>()(['FullyReplicated', 'ShardedByS3Key'])),
  AttributeNames: opt(stringList(16)),
  InstanceGroupNames: opt(stringList(5)),
  ModelAccessConfig: opt(anyObject),
  HubAccessConfig: opt(anyObject),
});

const dataSource = sagemakerShape<DataSource>(
  {
    S3DataSource: opt(s3DataSource),
    FileSystemDataSource: opt(anyObject),
    DatasetSource: opt(anyObject),
  },
  { refine: exactlyOneOf('S3DataSource', 'FileSystemDataSource', 'DatasetSource') },
);

const shuffleConfig = sagemakerShape<ShuffleConfig>({ Seed: req(z.number().int()) });

const channel = sagemakerShape<Channel>({
  ChannelName: req(z.string().regex(/^[A-Za-z0-9.\-_]{1,64}$/, { message: 'a channel name is 1 to 64 letters, digits, dots, hyphens and underscores' })),
  DataSource: req(dataSource),
  ContentType: opt(z.string()),
  CompressionType: opt(enumOf<CompressionType>()(['Gzip', 'None'])),
  RecordWrapperType: opt(enumOf<RecordWrapper>()(['None', 'RecordIO'])),
  InputMode: opt(enumOf<TrainingInputMode>()(['FastFile', 'File', 'Pipe'])),
  ShuffleConfig: opt(shuffleConfig),
});

const outputDataConfig = sagemakerShape<OutputDataConfig>({
  KmsKeyId: opt(z.string()),
  S3OutputPath: req(s3OutputUri('Where SageMaker writes <job name>/output/model.tar.gz.')),
  CompressionType: opt(enumOf<OutputCompressionType>()(['GZIP', 'NONE'])),
});

const instanceGroup = sagemakerShape<InstanceGroup>({
  InstanceType: req(instanceType),
  InstanceCount: req(nonNegativeInt(100)),
  InstanceGroupName: req(z.string().min(1).max(64)),
});

const resourceConfig = sagemakerShape<ResourceConfig>({
  InstanceType: opt(instanceType),
  InstanceCount: opt(nonNegativeInt(100)),
  VolumeSizeInGB: opt(nonNegativeInt(16_384)),
  VolumeKmsKeyId: opt(z.string()),
  KeepAlivePeriodInSeconds: opt(nonNegativeInt(3600)),
  InstanceGroups: opt(z.array(instanceGroup).max(5)),
  TrainingPlanArn: opt(z.string()),
  InstancePlacementConfig: opt(anyObject),
  InstancePreferences: opt(z.array(anyObject)),
  SelectedInstanceType: opt(instanceType),
  SelectedInstanceCount: opt(nonNegativeInt(100)),
});

const stoppingCondition = sagemakerShape<StoppingCondition>({
  MaxRuntimeInSeconds: opt(positiveInt(2_419_200)),
  MaxWaitTimeInSeconds: opt(positiveInt(3_628_800)),
  MaxPendingTimeInSeconds: opt(z.number().int().min(7200).max(2_419_200)),
});

const retryStrategy = sagemakerShape<RetryStrategy>({ MaximumRetryAttempts: req(z.number().int().min(1).max(30)) });
const checkpointConfig = sagemakerShape<CheckpointConfig>({ S3Uri: req(s3OutputUri()), LocalPath: opt(z.string()) });

export const trainingJobRequest = sagemakerShape<CreateTrainingJobRequest>(
  {
    TrainingJobName: managed('the execution name, as in the seed, so artifacts land in <S3OutputPath>/<execution name>/output/model.tar.gz'),
    HyperParameters: opt(hyperParameters),
    AlgorithmSpecification: opt(algorithmSpecification),
    RoleArn: req(roleArn),
    InputDataConfig: opt(z.array(channel).min(1).max(20)),
    OutputDataConfig: req(outputDataConfig),
    ResourceConfig: opt(resourceConfig),
    VpcConfig: opt(vpcConfig),
    StoppingCondition: opt(stoppingCondition),
    Tags: opt(tags),
    EnableNetworkIsolation: opt(z.boolean()),
    EnableInterContainerTrafficEncryption: opt(z.boolean()),
    EnableManagedSpotTraining: opt(z.boolean()),
    CheckpointConfig: opt(checkpointConfig),
    DebugHookConfig: opt(anyObject),
    DebugRuleConfigurations: opt(z.array(anyObject)),
    TensorBoardOutputConfig: opt(anyObject),
    ExperimentConfig: opt(experimentConfig),
    ProfilerConfig: opt(anyObject),
    ProfilerRuleConfigurations: opt(z.array(anyObject)),
    Environment: opt(environmentMap(100, 512)),
    RetryStrategy: opt(retryStrategy),
    RemoteDebugConfig: opt(anyObject),
    InfraCheckConfig: opt(anyObject),
    SessionChainingConfig: opt(anyObject),
    ServerlessJobConfig: opt(anyObject),
    MlflowConfig: opt(anyObject),
    ModelPackageConfig: opt(anyObject),
  },
  { description: 'A CreateTrainingJob request (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html).' },
);

// ---- CreateModel ------------------------------------------------------------------------------

const s3ModelDataSource = sagemakerShape<S3ModelDataSource>({
  S3Uri: req(s3Uri()),
  S3DataType: req(enumOf<S3ModelDataType>()(['S3Object', 'S3Prefix'])),
  CompressionType: req(enumOf<ModelCompressionType>()(['Gzip', 'None'])),
  ModelAccessConfig: opt(anyObject),
  HubAccessConfig: opt(anyObject),
  ManifestS3Uri: opt(s3Uri()),
  ETag: opt(z.string()),
  ManifestEtag: opt(z.string()),
});
const modelDataSource = sagemakerShape<ModelDataSource>({ S3DataSource: opt(s3ModelDataSource) });

const containerDefinition = sagemakerShape<ContainerDefinition>({
  ContainerHostname: opt(z.string()),
  Image: opt(imageUri),
  ImageConfig: opt(anyObject),
  Mode: opt(enumOf<ContainerMode>()(['MultiModel', 'SingleModel'])),
  ModelDataUrl: opt(s3Uri('The model.tar.gz; replaced at run time by the artifact of the training stage when it runs.')),
  ModelDataSource: opt(modelDataSource),
  AdditionalModelDataSources: opt(z.array(anyObject)),
  Environment: opt(environmentMap(100, 1024)),
  ModelPackageName: opt(z.string()),
  InferenceSpecificationName: opt(z.string()),
  MultiModelConfig: opt(anyObject),
  ContainerMetricsConfig: opt(anyObject),
});

const inferenceExecutionConfig = sagemakerShape<InferenceExecutionConfig>({ Mode: req(enumOf<InferenceExecutionMode>()(['Direct', 'Serial'])) });

export const createModelRequest = sagemakerShape<CreateModelInput>(
  {
    ModelName: managed('"model-" + the execution name, as in the seed'),
    PrimaryContainer: opt(containerDefinition),
    Containers: opt(z.array(containerDefinition).max(15)),
    InferenceExecutionConfig: opt(inferenceExecutionConfig),
    ExecutionRoleArn: opt(roleArn),
    Tags: opt(tags),
    VpcConfig: opt(vpcConfig),
    EnableNetworkIsolation: opt(z.boolean()),
  },
  {
    refine: exactlyOneOf('PrimaryContainer', 'Containers'),
    description: 'A CreateModel request (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html).',
  },
);

// ---- CreateTransformJob -----------------------------------------------------------------------

const transformS3DataSource = sagemakerShape<TransformS3DataSource>({
  S3DataType: req(enumOf<S3DataType>()(['AugmentedManifestFile', 'Converse', 'ManifestFile', 'S3Prefix'])),
  S3Uri: req(s3Uri()),
});
const transformDataSource = sagemakerShape<TransformDataSource>({ S3DataSource: req(transformS3DataSource) });
const transformInput = sagemakerShape<TransformInput>({
  DataSource: req(transformDataSource),
  ContentType: opt(z.string().max(256)),
  CompressionType: opt(enumOf<CompressionType>()(['Gzip', 'None'])),
  SplitType: opt(enumOf<SplitType>()(['Line', 'None', 'RecordIO', 'TFRecord'])),
});
const transformOutput = sagemakerShape<TransformOutput>({
  S3OutputPath: req(s3OutputUri()),
  Accept: opt(z.string().max(256)),
  AssembleWith: opt(enumOf<AssemblyType>()(['Line', 'None'])),
  KmsKeyId: opt(z.string()),
});
const transformResources = sagemakerShape<TransformResources>({
  InstanceType: req(instanceType),
  InstanceCount: req(positiveInt(100)),
  VolumeKmsKeyId: opt(z.string()),
  TransformAmiVersion: opt(z.string()),
});
const dataProcessing = sagemakerShape<DataProcessing>({
  InputFilter: opt(z.string().max(63)),
  OutputFilter: opt(z.string().max(63)),
  JoinSource: opt(enumOf<JoinSource>()(['Input', 'None'])),
});
const modelClientConfig = sagemakerShape<ModelClientConfig>({
  InvocationsTimeoutInSeconds: opt(positiveInt(3600)),
  InvocationsMaxRetries: opt(nonNegativeInt(3)),
});
const batchDataCaptureConfig = sagemakerShape<BatchDataCaptureConfig>({
  DestinationS3Uri: req(s3OutputUri()),
  KmsKeyId: opt(z.string()),
  GenerateInferenceId: opt(z.boolean()),
});

export const transformJobRequest = sagemakerShape<CreateTransformJobRequest>(
  {
    TransformJobName: managed('"batch-" + the execution name, as in the seed'),
    ModelName: managed('the model the CreateModel stage created ("model-" + the execution name)'),
    MaxConcurrentTransforms: opt(nonNegativeInt(1000)),
    ModelClientConfig: opt(modelClientConfig),
    MaxPayloadInMB: opt(nonNegativeInt(100)),
    BatchStrategy: opt(enumOf<BatchStrategy>()(['MultiRecord', 'SingleRecord'])),
    Environment: opt(environmentMap(16, 10_240)),
    TransformInput: req(transformInput),
    TransformOutput: req(transformOutput),
    DataCaptureConfig: opt(batchDataCaptureConfig),
    TransformResources: req(transformResources),
    DataProcessing: opt(dataProcessing),
    Tags: opt(tags),
    ExperimentConfig: opt(experimentConfig),
  },
  {
    refine: (v, ctx) => {
      const c = typeof v['MaxConcurrentTransforms'] === 'number' ? v['MaxConcurrentTransforms'] : 1;
      const p = typeof v['MaxPayloadInMB'] === 'number' ? v['MaxPayloadInMB'] : 6;
      if (c * p > 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['MaxPayloadInMB'],
          message: `MaxConcurrentTransforms × MaxPayloadInMB is ${c * p}; SageMaker accepts at most 100 (lower one of them)`,
        });
      }
    },
    description: 'A CreateTransformJob request (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html).',
  },
);
