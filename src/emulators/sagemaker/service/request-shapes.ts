/**
 * The request shapes of the SageMaker actions the local service implements: member names, required
 * members and constraints as the SageMaker API (2017-07-24) defines them. Deep structures the local
 * service does not act on (VPC, KMS, debugger, ...) are accepted as any JSON, so a request
 * AWS accepts is never refused here for a member we do not emulate.
 */
import { anyJson, bool, enumOf, float, int, list, long, map, str, struct, type Shape } from './shape.js';

// ---- common members ----------------------------------------------------------------------------

const JOB_NAME = '[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}';
/** Processing, training, transform, endpoint, endpoint config, variant, model package group names. */
export const jobName = str({ min: 1, max: 63, pattern: JOB_NAME, shown: `^${JOB_NAME}` });
export const endpointName = str({ max: 63, pattern: JOB_NAME, shown: `^${JOB_NAME}` });
const MODEL_NAME = '[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?';
export const modelName = str({ max: 63, pattern: MODEL_NAME, shown: `^${MODEL_NAME}` });
const ROLE = 'arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
export const roleArn = str({ min: 20, max: 2048, pattern: ROLE, shown: `^${ROLE}$` });
const S3_URI = '(https|s3)://([^/]+)/?(.*)';
export const s3Uri = str({ max: 1024, pattern: S3_URI, shown: `^${S3_URI}$` });
const kmsKeyId = str({ max: 2048, pattern: '[a-zA-Z0-9:/_-]*', shown: '^[a-zA-Z0-9:/_-]*$' });
const TAG_TEXT = '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)';
export const tags = list(
  struct({ Key: str({ min: 1, max: 128, pattern: TAG_TEXT, shown: `^${TAG_TEXT}$` }), Value: str({ max: 256, pattern: TAG_TEXT, shown: `^${TAG_TEXT}$` }) }, ['Key', 'Value']),
  0,
  50,
);
const vpcConfig = struct(
  {
    SecurityGroupIds: list(str({ max: 32, pattern: '[-0-9a-zA-Z]+' }), 1, 5),
    Subnets: list(str({ max: 32, pattern: '[-0-9a-zA-Z]+' }), 1, 16),
  },
  ['SecurityGroupIds', 'Subnets'],
);
const experimentName = str({ min: 1, max: 120, pattern: '[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}', shown: '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}' });
const experimentConfig = struct({ ExperimentName: experimentName, TrialName: experimentName, TrialComponentDisplayName: experimentName, RunName: experimentName });
const ENV_KEY = '[a-zA-Z_][a-zA-Z0-9_]*';
function envMap(keyMax: number, valueMax: number, entries: number, keyPattern = ENV_KEY) {
  return map(str({ max: keyMax, pattern: keyPattern, shown: keyPattern }), str({ max: valueMax, pattern: '[\\S\\s]*', shown: '[\\S\\s]*' }), 0, entries);
}
const entrypoint = list(str({ min: 1, max: 256, pattern: '.*' }), 1, 100);
const arguments_ = list(str({ min: 1, max: 256, pattern: '.*' }), 1, 100);

// Instance types change often; any `ml.*` type is accepted, since the local machine is the instance.
const ML_INSTANCE = 'ml\\.[a-z0-9-]+\\.[a-z0-9]+';
const instanceType = str({ pattern: ML_INSTANCE });

// ---- processing ---------------------------------------------------------------------------------

const processingS3Input = struct(
  {
    S3Uri: s3Uri,
    LocalPath: str({ max: 256, pattern: '.*' }),
    S3DataType: enumOf('ManifestFile', 'S3Prefix'),
    S3InputMode: enumOf('Pipe', 'File'),
    S3DataDistributionType: enumOf('FullyReplicated', 'ShardedByS3Key'),
    S3CompressionType: enumOf('None', 'Gzip'),
  },
  ['S3Uri', 'S3DataType'],
);
const processingInput = struct(
  {
    InputName: str(),
    AppManaged: bool,
    S3Input: processingS3Input,
    DatasetDefinition: anyJson,
  },
  ['InputName'],
);
const processingOutput = struct(
  {
    OutputName: str(),
    S3Output: struct(
      { S3Uri: s3Uri, LocalPath: str({ max: 256, pattern: '.*' }), S3UploadMode: enumOf('Continuous', 'EndOfJob') },
      ['S3Uri', 'S3UploadMode'],
    ),
    FeatureStoreOutput: anyJson,
    AppManaged: bool,
  },
  ['OutputName'],
);

export const CreateProcessingJob = struct(
  {
    ProcessingInputs: list(processingInput, 0, 10),
    ProcessingOutputConfig: struct({ Outputs: list(processingOutput, 0, 10), KmsKeyId: kmsKeyId }, ['Outputs']),
    ProcessingJobName: jobName,
    ProcessingResources: struct(
      {
        ClusterConfig: struct(
          { InstanceCount: int(1, 100), InstanceType: instanceType, VolumeSizeInGB: int(1, 16384), VolumeKmsKeyId: kmsKeyId },
          ['InstanceCount', 'InstanceType', 'VolumeSizeInGB'],
        ),
      },
      ['ClusterConfig'],
    ),
    StoppingCondition: struct({ MaxRuntimeInSeconds: int(1, 777600) }, ['MaxRuntimeInSeconds']),
    AppSpecification: struct({ ImageUri: str({ max: 255, pattern: '.*' }), ContainerEntrypoint: entrypoint, ContainerArguments: arguments_ }, ['ImageUri']),
    Environment: envMap(256, 256, 100),
    NetworkConfig: struct({ EnableInterContainerTrafficEncryption: bool, EnableNetworkIsolation: bool, VpcConfig: vpcConfig }),
    RoleArn: roleArn,
    Tags: tags,
    ExperimentConfig: experimentConfig,
  },
  ['ProcessingJobName', 'ProcessingResources', 'AppSpecification', 'RoleArn'],
);

// ---- training -----------------------------------------------------------------------------------

const trainingInputMode = enumOf('Pipe', 'File', 'FastFile');
const channel = struct(
  {
    ChannelName: str({ min: 1, max: 64, pattern: '[A-Za-z0-9\\.\\-_]+', shown: '[A-Za-z0-9\\.\\-_]+' }),
    DataSource: struct({
      S3DataSource: struct(
        {
          S3DataType: enumOf('ManifestFile', 'S3Prefix', 'AugmentedManifestFile', 'Converse'),
          S3Uri: s3Uri,
          S3DataDistributionType: enumOf('FullyReplicated', 'ShardedByS3Key'),
          AttributeNames: list(str({ min: 1, max: 256 }), 0, 16),
          InstanceGroupNames: list(str({ min: 1, max: 64 }), 0, 5),
          ModelAccessConfig: anyJson,
          HubAccessConfig: anyJson,
        },
        ['S3DataType', 'S3Uri'],
      ),
      FileSystemDataSource: anyJson,
      DatasetSource: anyJson,
    }),
    ContentType: str({ max: 256, pattern: '.*' }),
    CompressionType: enumOf('None', 'Gzip'),
    RecordWrapperType: enumOf('None', 'RecordIO'),
    InputMode: trainingInputMode,
    ShuffleConfig: struct({ Seed: long() }, ['Seed']),
  },
  ['ChannelName', 'DataSource'],
);

export const CreateTrainingJob = struct(
  {
    TrainingJobName: jobName,
    HyperParameters: map(str({ max: 256, pattern: '.*' }), str({ max: 2500, pattern: '.*' }), 0, 100),
    AlgorithmSpecification: struct(
      {
        TrainingImage: str({ max: 255, pattern: '.*' }),
        AlgorithmName: str({ min: 1, max: 170 }),
        TrainingInputMode: trainingInputMode,
        MetricDefinitions: list(struct({ Name: str({ min: 1, max: 255, pattern: '.+' }), Regex: str({ min: 1, max: 500, pattern: '.+' }) }, ['Name', 'Regex']), 0, 40),
        EnableSageMakerMetricsTimeSeries: bool,
        ContainerEntrypoint: entrypoint,
        ContainerArguments: arguments_,
        TrainingImageConfig: anyJson,
      },
      ['TrainingInputMode'],
    ),
    RoleArn: roleArn,
    InputDataConfig: list(channel, 1, 20),
    OutputDataConfig: struct({ KmsKeyId: kmsKeyId, S3OutputPath: s3Uri, CompressionType: enumOf('GZIP', 'NONE') }, ['S3OutputPath']),
    ResourceConfig: struct({
      InstanceType: instanceType,
      InstanceCount: int(0),
      VolumeSizeInGB: int(0),
      VolumeKmsKeyId: kmsKeyId,
      KeepAlivePeriodInSeconds: int(0, 3600),
      InstanceGroups: anyJson,
      TrainingPlanArn: anyJson,
      InstancePlacementConfig: anyJson,
    }),
    VpcConfig: vpcConfig,
    StoppingCondition: struct({ MaxRuntimeInSeconds: int(1), MaxWaitTimeInSeconds: int(1), MaxPendingTimeInSeconds: int(7200, 2419200) }),
    Tags: tags,
    EnableNetworkIsolation: bool,
    EnableInterContainerTrafficEncryption: bool,
    EnableManagedSpotTraining: bool,
    CheckpointConfig: struct({ S3Uri: s3Uri, LocalPath: str({ max: 4096, pattern: '.*' }) }, ['S3Uri']),
    DebugHookConfig: anyJson,
    DebugRuleConfigurations: anyJson,
    TensorBoardOutputConfig: anyJson,
    ExperimentConfig: experimentConfig,
    ProfilerConfig: anyJson,
    ProfilerRuleConfigurations: anyJson,
    Environment: envMap(512, 512, 100),
    RetryStrategy: struct({ MaximumRetryAttempts: int(1, 30) }, ['MaximumRetryAttempts']),
    RemoteDebugConfig: anyJson,
    InfraCheckConfig: anyJson,
    SessionChainingConfig: anyJson,
    ServerlessJobConfig: anyJson,
    MlflowConfig: anyJson,
    ModelPackageConfig: anyJson,
  },
  ['TrainingJobName', 'RoleArn', 'OutputDataConfig'],
);

// ---- transform ----------------------------------------------------------------------------------

export const CreateTransformJob = struct(
  {
    TransformJobName: jobName,
    ModelName: modelName,
    MaxConcurrentTransforms: int(0),
    ModelClientConfig: struct({ InvocationsTimeoutInSeconds: int(1, 3600), InvocationsMaxRetries: int(0, 3) }),
    MaxPayloadInMB: int(0),
    BatchStrategy: enumOf('MultiRecord', 'SingleRecord'),
    Environment: envMap(1024, 10240, 16, '[a-zA-Z_][a-zA-Z0-9_]{0,1023}'),
    TransformInput: struct(
      {
        DataSource: struct(
          { S3DataSource: struct({ S3DataType: enumOf('ManifestFile', 'S3Prefix', 'AugmentedManifestFile', 'Converse'), S3Uri: s3Uri }, ['S3DataType', 'S3Uri']) },
          ['S3DataSource'],
        ),
        ContentType: str({ max: 256, pattern: '.*' }),
        CompressionType: enumOf('None', 'Gzip'),
        SplitType: enumOf('None', 'Line', 'RecordIO', 'TFRecord'),
      },
      ['DataSource'],
    ),
    TransformOutput: struct({ S3OutputPath: s3Uri, Accept: str({ max: 256, pattern: '.*' }), AssembleWith: enumOf('None', 'Line'), KmsKeyId: kmsKeyId }, ['S3OutputPath']),
    DataCaptureConfig: struct({ DestinationS3Uri: s3Uri, KmsKeyId: kmsKeyId, GenerateInferenceId: bool }, ['DestinationS3Uri']),
    TransformResources: struct(
      { InstanceType: instanceType, InstanceCount: int(1), VolumeKmsKeyId: kmsKeyId, TransformAmiVersion: str({ min: 1, max: 63 }) },
      ['InstanceType', 'InstanceCount'],
    ),
    DataProcessing: struct({ InputFilter: str({ max: 63 }), OutputFilter: str({ max: 63 }), JoinSource: enumOf('Input', 'None') }),
    Tags: tags,
    ExperimentConfig: experimentConfig,
  },
  ['TransformJobName', 'ModelName', 'TransformInput', 'TransformOutput', 'TransformResources'],
);

// ---- models and endpoints -----------------------------------------------------------------------

const CAPTURE_CONTENT_TYPE = '[a-zA-Z0-9](-*[a-zA-Z0-9])*\\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*';
const captureContentTypes = list(str({ min: 1, max: 256, pattern: CAPTURE_CONTENT_TYPE, shown: `^${CAPTURE_CONTENT_TYPE}` }), 1, 10);
const DESTINATION_S3_URI = '(https|s3)://([^/])/?(.*)';
/** An endpoint configuration's DataCaptureConfig (what the local capture writer acts on). */
export const dataCaptureConfig = struct(
  {
    EnableCapture: bool,
    InitialSamplingPercentage: int(0, 100),
    DestinationS3Uri: str({ max: 512, pattern: DESTINATION_S3_URI, shown: `^${DESTINATION_S3_URI}$` }),
    KmsKeyId: kmsKeyId,
    CaptureOptions: list(struct({ CaptureMode: enumOf('Input', 'Output', 'InputAndOutput') }, ['CaptureMode']), 1, 32),
    CaptureContentTypeHeader: struct({ CsvContentTypes: captureContentTypes, JsonContentTypes: captureContentTypes }),
  },
  ['InitialSamplingPercentage', 'DestinationS3Uri', 'CaptureOptions'],
);

const containerDefinition = struct({
  ContainerHostname: str({ max: 63, pattern: JOB_NAME, shown: `^${JOB_NAME}` }),
  Image: str({ max: 255, pattern: '[\\S]+', shown: '[\\S]+' }),
  ImageConfig: anyJson,
  Mode: enumOf('SingleModel', 'MultiModel'),
  ModelDataUrl: str({ max: 1024, pattern: S3_URI, shown: `^${S3_URI}$` }),
  ModelDataSource: anyJson,
  AdditionalModelDataSources: anyJson,
  Environment: envMap(1024, 1024, 100),
  ModelPackageName: str({ min: 1, max: 176 }),
  InferenceSpecificationName: str({ min: 1, max: 63 }),
  MultiModelConfig: anyJson,
});

export const CreateModel = struct(
  {
    ModelName: modelName,
    PrimaryContainer: containerDefinition,
    Containers: list(containerDefinition, 0, 15),
    InferenceExecutionConfig: struct({ Mode: enumOf('Serial', 'Direct') }, ['Mode']),
    ExecutionRoleArn: roleArn,
    Tags: tags,
    VpcConfig: vpcConfig,
    EnableNetworkIsolation: bool,
  },
  ['ModelName'],
);

const productionVariant = struct(
  {
    VariantName: endpointName,
    ModelName: modelName,
    InitialInstanceCount: int(1),
    InstanceType: instanceType,
    InstancePools: anyJson,
    VariantInstanceProvisionTimeoutInSeconds: int(300, 3600),
    InitialVariantWeight: float(0),
    AcceleratorType: str(),
    CoreDumpConfig: anyJson,
    ServerlessConfig: anyJson,
    VolumeSizeInGB: int(1, 512),
    ModelDataDownloadTimeoutInSeconds: int(60, 3600),
    ContainerStartupHealthCheckTimeoutInSeconds: int(60, 3600),
    EnableSSMAccess: bool,
    ManagedInstanceScaling: anyJson,
    RoutingConfig: anyJson,
    InferenceAmiVersion: str(),
    CapacityReservationConfig: anyJson,
  },
  ['VariantName'],
);

export const CreateEndpointConfig = struct(
  {
    EndpointConfigName: endpointName,
    ProductionVariants: list(productionVariant, 1, 10),
    DataCaptureConfig: dataCaptureConfig,
    Tags: tags,
    KmsKeyId: kmsKeyId,
    AsyncInferenceConfig: anyJson,
    ExplainerConfig: anyJson,
    ShadowProductionVariants: anyJson,
    ExecutionRoleArn: roleArn,
    VpcConfig: vpcConfig,
    EnableNetworkIsolation: bool,
    MetricsConfig: anyJson,
  },
  ['EndpointConfigName', 'ProductionVariants'],
);

export const CreateEndpoint = struct(
  { EndpointName: endpointName, EndpointConfigName: endpointName, DeploymentConfig: anyJson, Tags: tags },
  ['EndpointName', 'EndpointConfigName'],
);

export const UpdateEndpoint = struct(
  {
    EndpointName: endpointName,
    EndpointConfigName: endpointName,
    RetainAllVariantProperties: bool,
    ExcludeRetainedVariantProperties: anyJson,
    DeploymentConfig: anyJson,
    RetainDeploymentConfig: bool,
  },
  ['EndpointName', 'EndpointConfigName'],
);

// ---- model registry -------------------------------------------------------------------------------

const ENTITY = '[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}';
export const entityName = str({ min: 1, max: 63, pattern: ENTITY, shown: `^${ENTITY}` });
const DESCRIPTION = '[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*';
const description = str({ max: 1024, pattern: DESCRIPTION, shown: DESCRIPTION });
const ARN_OR_NAME = '(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)';
export const arnOrName = str({ min: 1, max: 170, pattern: ARN_OR_NAME, shown: ARN_OR_NAME });
const VERSIONED = `${ARN_OR_NAME}(\\/[0-9]{1,9})?`;
export const versionedArnOrName = str({ min: 1, max: 176, pattern: VERSIONED, shown: VERSIONED });
const MODEL_PACKAGE_ARN = 'arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]{9,16}:[0-9]{12}:model-package/[\\S]{1,2048}';
const approvalStatus = enumOf('Approved', 'Rejected', 'PendingManualApproval');
const CUSTOMER_KEY = '([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)';
const customerMetadata = map(
  str({ min: 1, max: 128, pattern: CUSTOMER_KEY, shown: `^${CUSTOMER_KEY}\${1,128}` }),
  str({ min: 1, max: 256, pattern: CUSTOMER_KEY, shown: `^${CUSTOMER_KEY}\${1,256}` }),
  1,
  50,
);
const metricsSource = struct({ ContentType: str({ max: 256, pattern: '.*' }), ContentDigest: str({ max: 72 }), S3Uri: s3Uri }, ['ContentType', 'S3Uri']);
const modelMetrics = struct({
  ModelQuality: struct({ Statistics: metricsSource, Constraints: metricsSource }),
  ModelDataQuality: struct({ Statistics: metricsSource, Constraints: metricsSource }),
  Bias: struct({ Report: metricsSource, PreTrainingReport: metricsSource, PostTrainingReport: metricsSource }),
  Explainability: struct({ Report: metricsSource }),
});
const modelPackageContainer = struct(
  {
    ContainerHostname: str({ max: 63 }),
    Image: str({ max: 255, pattern: '[\\S]+' }),
    ImageDigest: str({ max: 72 }),
    ModelDataUrl: str({ max: 1024 }),
    ModelDataSource: anyJson,
    ProductId: str({ max: 256 }),
    Environment: envMap(1024, 1024, 100),
    ModelInput: anyJson,
    Framework: str(),
    FrameworkVersion: str({ min: 3, max: 10 }),
    NearestModelName: str(),
    AdditionalS3DataSource: anyJson,
    ModelDataETag: str(),
    IsCheckpoint: bool,
    BaseModel: anyJson,
  },
  ['Image'],
);
const inferenceSpecification = struct(
  {
    Containers: list(modelPackageContainer, 1, 15),
    SupportedTransformInstanceTypes: list(str(), 1),
    SupportedRealtimeInferenceInstanceTypes: list(str()),
    SupportedContentTypes: list(str({ max: 256 })),
    SupportedResponseMIMETypes: list(str({ max: 1024 })),
  },
  ['Containers'],
);
const modelLifeCycle = struct({ Stage: entityName, StageStatus: entityName, StageDescription: str({ max: 1024 }) }, ['Stage', 'StageStatus']);

export const CreateModelPackageGroup = struct(
  { ModelPackageGroupName: entityName, ModelPackageGroupDescription: description, Tags: tags, ManagedConfiguration: anyJson },
  ['ModelPackageGroupName'],
);

export const CreateModelPackage = struct({
  ModelPackageName: entityName,
  ModelPackageGroupName: arnOrName,
  ModelPackageDescription: description,
  ModelPackageRegistrationType: enumOf('Logged', 'Registered'),
  InferenceSpecification: inferenceSpecification,
  ValidationSpecification: anyJson,
  SourceAlgorithmSpecification: anyJson,
  CertifyForMarketplace: bool,
  Tags: tags,
  ModelApprovalStatus: approvalStatus,
  MetadataProperties: struct({ CommitId: str({ max: 1024 }), Repository: str({ max: 1024 }), GeneratedBy: str({ max: 1024 }), ProjectId: str({ max: 1024 }) }),
  ModelMetrics: modelMetrics,
  ClientToken: str({ min: 1, max: 36, pattern: '[a-zA-Z0-9-]+' }),
  Domain: str(),
  Task: str(),
  SamplePayloadUrl: s3Uri,
  CustomerMetadataProperties: customerMetadata,
  DriftCheckBaselines: anyJson,
  AdditionalInferenceSpecifications: anyJson,
  SkipModelValidation: enumOf('All', 'None'),
  SourceUri: str({ max: 1024 }),
  SecurityConfig: anyJson,
  ModelCard: anyJson,
  ModelLifeCycle: modelLifeCycle,
  ManagedStorageType: anyJson,
});

export const UpdateModelPackage = struct(
  {
    ModelPackageArn: str({ min: 1, max: 2048, pattern: MODEL_PACKAGE_ARN, shown: MODEL_PACKAGE_ARN }),
    ModelApprovalStatus: approvalStatus,
    ModelPackageRegistrationType: enumOf('Logged', 'Registered'),
    ApprovalDescription: str({ max: 1024, pattern: '.*' }),
    CustomerMetadataProperties: customerMetadata,
    CustomerMetadataPropertiesToRemove: list(str({ min: 1, max: 128 })),
    AdditionalInferenceSpecificationsToAdd: anyJson,
    InferenceSpecification: inferenceSpecification,
    SourceUri: str({ max: 1024 }),
    ModelCard: anyJson,
    ModelLifeCycle: modelLifeCycle,
    ClientToken: str({ min: 1, max: 36, pattern: '[a-zA-Z0-9-]+' }),
  },
  ['ModelPackageArn'],
);

// ---- describe / delete / stop / list ----------------------------------------------------------------

export function byName(field: string, shape: Shape = jobName) {
  return struct({ [field]: shape }, [field]);
}

export const DescribeModelPackageGroup = byName('ModelPackageGroupName', arnOrName);
export const DescribeModelPackage = byName('ModelPackageName', versionedArnOrName);

const timeFilter = anyJson; // a timestamp (epoch seconds, ISO string or Date): normalised by the service
function listRequest(statuses: readonly string[] | undefined, sortBy: readonly string[], extra: Record<string, Shape> = {}) {
  return struct({
    NextToken: str({ max: 8192, pattern: '.*' }),
    MaxResults: int(1, 100),
    CreationTimeAfter: timeFilter,
    CreationTimeBefore: timeFilter,
    ...(statuses ? { LastModifiedTimeAfter: timeFilter, LastModifiedTimeBefore: timeFilter, StatusEquals: enumOf(...statuses) } : {}),
    NameContains: str({ max: 63, pattern: '[a-zA-Z0-9\\-]+', shown: '[a-zA-Z0-9\\-]+' }),
    SortBy: enumOf(...sortBy),
    SortOrder: enumOf('Ascending', 'Descending'),
    ...extra,
  });
}
const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];
export const ListProcessingJobs = listRequest(JOB_STATUSES, ['Name', 'CreationTime', 'Status']);
export const ListTrainingJobs = listRequest(JOB_STATUSES, ['Name', 'CreationTime', 'Status'], { WarmPoolStatusEquals: anyJson, TrainingPlanArnEquals: anyJson });
export const ListTransformJobs = listRequest(JOB_STATUSES, ['Name', 'CreationTime', 'Status']);
export const ListModels = listRequest(undefined, ['Name', 'CreationTime']);
export const ListEndpoints = listRequest(
  ['OutOfService', 'Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'InService', 'Deleting', 'Failed', 'UpdateRollbackFailed'],
  ['Name', 'CreationTime', 'Status'],
);
export const ListEndpointConfigs = listRequest(undefined, ['Name', 'CreationTime']);
export const ListModelPackageGroups = listRequest(undefined, ['Name', 'CreationTime'], { CrossAccountFilterOption: anyJson });
export const ListModelPackages = listRequest(undefined, ['Name', 'CreationTime'], {
  ModelApprovalStatus: approvalStatus,
  ModelPackageGroupName: arnOrName,
  ModelPackageType: enumOf('Versioned', 'Unversioned', 'Both'),
});
