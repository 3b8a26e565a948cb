/**
 * How each Create* request becomes the Describe* response SageMaker returns for it: members in the
 * order SageMaker answers with, and the defaults it fills in (input modes, distribution types,
 * AppManaged flags, the 1-day stopping condition, ...). Timestamps are epoch milliseconds, the form
 * Step Functions passes on; the AWS SDK integration renders them as ISO strings.
 */
import { builtinMetricDefinitions } from '../../../core/runtime-images.js';
import type { Json, JsonObject } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';

/** Copies the listed members of `from` that are set, in the listed order. */
function pick(from: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k]!;
  return out;
}

function obj(v: Json | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

export function processingJobDescription(req: JsonObject, arn: string, now: number): JsonObject {
  const inputs = arr(req['ProcessingInputs']).map((raw) => {
    const i = obj(raw);
    const out: JsonObject = { InputName: i['InputName']!, AppManaged: i['AppManaged'] ?? false };
    if (isJsonObject(i['S3Input'])) {
      const s = i['S3Input'];
      out['S3Input'] = {
        S3Uri: s['S3Uri']!,
        ...(s['LocalPath'] !== undefined ? { LocalPath: s['LocalPath'] } : {}),
        S3DataType: s['S3DataType']!,
        S3InputMode: s['S3InputMode'] ?? 'File',
        S3DataDistributionType: s['S3DataDistributionType'] ?? 'FullyReplicated',
        S3CompressionType: s['S3CompressionType'] ?? 'None',
      };
    }
    if (i['DatasetDefinition'] !== undefined) out['DatasetDefinition'] = i['DatasetDefinition']!;
    return out;
  });
  const d: JsonObject = {};
  if (req['ProcessingInputs'] !== undefined) d['ProcessingInputs'] = inputs;
  if (isJsonObject(req['ProcessingOutputConfig'])) {
    const oc = req['ProcessingOutputConfig'];
    d['ProcessingOutputConfig'] = {
      Outputs: arr(oc['Outputs']).map((raw) => {
        const o = obj(raw);
        return { ...pick(o, ['OutputName', 'S3Output', 'FeatureStoreOutput']), AppManaged: o['AppManaged'] ?? false };
      }),
      ...pick(oc, ['KmsKeyId']),
    };
  }
  Object.assign(
    d,
    pick(req, ['ProcessingJobName', 'ProcessingResources']),
    { StoppingCondition: req['StoppingCondition'] ?? { MaxRuntimeInSeconds: 86400 } },
    pick(req, ['AppSpecification', 'Environment', 'NetworkConfig', 'RoleArn', 'ExperimentConfig']),
    { ProcessingJobArn: arn, ProcessingJobStatus: 'InProgress', LastModifiedTime: now, CreationTime: now },
  );
  return d;
}

export function trainingJobDescription(req: JsonObject, arn: string, now: number): JsonObject {
  const name = req['TrainingJobName'] as string;
  const output = obj(req['OutputDataConfig']);
  const algorithm = obj(req['AlgorithmSpecification']);
  const d: JsonObject = {
    TrainingJobName: name,
    TrainingJobArn: arn,
    ModelArtifacts: { S3ModelArtifacts: modelArtifactsUri(output['S3OutputPath'] as string, name, output['CompressionType']) },
    TrainingJobStatus: 'InProgress',
    SecondaryStatus: 'Starting',
  };
  if (req['HyperParameters'] !== undefined) d['HyperParameters'] = req['HyperParameters']!;
  // SageMaker's own algorithm images come with their metric definitions (the request may give none).
  const builtin = builtinMetricDefinitions(algorithm['TrainingImage'] as string | undefined);
  d['AlgorithmSpecification'] = {
    ...algorithm,
    ...(builtin.length > 0 ? { MetricDefinitions: builtin.map((m) => ({ Name: m.Name, Regex: m.Regex })) } : {}),
    EnableSageMakerMetricsTimeSeries: algorithm['EnableSageMakerMetricsTimeSeries'] ?? false,
  };
  d['RoleArn'] = req['RoleArn']!;
  if (req['InputDataConfig'] !== undefined) {
    d['InputDataConfig'] = arr(req['InputDataConfig']).map((raw) => {
      const c = obj(raw);
      const ds = obj(c['DataSource']);
      const s3 = isJsonObject(ds['S3DataSource'])
        ? { S3DataSource: { ...ds['S3DataSource'], S3DataDistributionType: ds['S3DataSource']['S3DataDistributionType'] ?? 'FullyReplicated' } }
        : ds;
      return {
        ...c,
        DataSource: s3,
        CompressionType: c['CompressionType'] ?? 'None',
        RecordWrapperType: c['RecordWrapperType'] ?? 'None',
      };
    });
  }
  d['OutputDataConfig'] = { KmsKeyId: output['KmsKeyId'] ?? '', ...pick(output, ['S3OutputPath']), CompressionType: output['CompressionType'] ?? 'GZIP' };
  Object.assign(d, pick(req, ['ResourceConfig', 'VpcConfig']));
  d['StoppingCondition'] = req['StoppingCondition'] ?? { MaxRuntimeInSeconds: 86400 };
  Object.assign(d, { CreationTime: now, LastModifiedTime: now, SecondaryStatusTransitions: [] });
  d['EnableNetworkIsolation'] = req['EnableNetworkIsolation'] ?? false;
  d['EnableInterContainerTrafficEncryption'] = req['EnableInterContainerTrafficEncryption'] ?? false;
  d['EnableManagedSpotTraining'] = req['EnableManagedSpotTraining'] ?? false;
  Object.assign(d, pick(req, ['CheckpointConfig', 'ExperimentConfig', 'Environment', 'RetryStrategy']));
  return d;
}

/** Where SageMaker puts a training job's model archive: `<S3OutputPath>/<job>/output/model.tar.gz`. */
export function modelArtifactsUri(outputPath: string, jobName: string, compression?: Json): string {
  const base = outputPath.replace(/\/+$/, '');
  return compression === 'NONE' ? `${base}/${jobName}/output/model/` : `${base}/${jobName}/output/model.tar.gz`;
}

export function transformJobDescription(req: JsonObject, arn: string, now: number): JsonObject {
  const input = obj(req['TransformInput']);
  const output = obj(req['TransformOutput']);
  const dp = obj(req['DataProcessing']);
  return {
    TransformJobName: req['TransformJobName']!,
    TransformJobArn: arn,
    TransformJobStatus: 'InProgress',
    ...pick(req, ['ModelName', 'MaxConcurrentTransforms', 'ModelClientConfig', 'MaxPayloadInMB', 'BatchStrategy', 'Environment']),
    TransformInput: { ...input, CompressionType: input['CompressionType'] ?? 'None', SplitType: input['SplitType'] ?? 'None' },
    TransformOutput: { ...output, AssembleWith: output['AssembleWith'] ?? 'None' },
    ...pick(req, ['DataCaptureConfig']),
    TransformResources: req['TransformResources']!,
    CreationTime: now,
    LastModifiedTime: now,
    DataProcessing: { InputFilter: dp['InputFilter'] ?? '$', OutputFilter: dp['OutputFilter'] ?? '$', JoinSource: dp['JoinSource'] ?? 'None' },
    ...pick(req, ['ExperimentConfig']),
  };
}

function container(c: JsonObject): JsonObject {
  return { ...c, Mode: c['Mode'] ?? 'SingleModel' };
}

export function modelDescription(req: JsonObject, arn: string, now: number): JsonObject {
  const d: JsonObject = { ModelName: req['ModelName']! };
  if (isJsonObject(req['PrimaryContainer'])) d['PrimaryContainer'] = container(req['PrimaryContainer']);
  if (Array.isArray(req['Containers'])) d['Containers'] = req['Containers'].map((c) => container(obj(c)));
  Object.assign(d, pick(req, ['InferenceExecutionConfig', 'ExecutionRoleArn', 'VpcConfig']), {
    CreationTime: now,
    ModelArn: arn,
    EnableNetworkIsolation: req['EnableNetworkIsolation'] ?? false,
  });
  return d;
}

export function endpointConfigDescription(req: JsonObject, arn: string, now: number): JsonObject {
  return {
    EndpointConfigName: req['EndpointConfigName']!,
    EndpointConfigArn: arn,
    ProductionVariants: arr(req['ProductionVariants']).map((raw) => {
      const v = obj(raw);
      return { ...v, InitialVariantWeight: v['InitialVariantWeight'] ?? 1.0 };
    }),
    ...pick(req, ['DataCaptureConfig', 'KmsKeyId']),
    CreationTime: now,
    ...pick(req, ['AsyncInferenceConfig', 'ExplainerConfig', 'ShadowProductionVariants', 'ExecutionRoleArn', 'VpcConfig', 'EnableNetworkIsolation']),
  };
}
