/**
 * The model registry: a model package group named after the model (created on the first run;
 * "already exists" afterwards is expected), optionally the latest approved version's metric for
 * champion/challenger comparison, and a new model package version per trained model, registered
 * as PendingManualApproval with its metrics. approval-states.ts records the decision on it.
 */
import type { JsonObject } from '../core/json.js';
import { failureAssign, jsonata } from './jsonata.js';
import { SAGEMAKER_SDK_RETRY, SAGEMAKER_SDK_THROTTLE_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { STATES_ERRORS as States } from '../core/error-catalogue.js';

const GROUP = '$config.registry.model_package_group';

/** Custom metadata keys for metrics ("metric:accuracy"); the comparison reads them back. */
export const METRIC_PROPERTY_PREFIX = 'metric:';

export function renderRegistryStates(next: string): Record<string, JsonObject> {
  return {
    [STATE.checkRegistry]: {
      Type: 'Choice',
      Comment: 'Registers the trained model when the registry is on.',
      Choices: [{ Condition: jsonata(`$config.registry.run = true`), Next: STATE.createModelPackageGroup }],
      Default: next,
    },
    [STATE.createModelPackageGroup]: {
      Type: 'Task',
      Comment: 'Creates the model package group on the first run; later runs find it exists.',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModelPackageGroup',
      Arguments: {
        ModelPackageGroupName: jsonata(GROUP),
        ModelPackageGroupDescription: jsonata(`$config.registry.description`),
      },
      Retry: SAGEMAKER_SDK_THROTTLE_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: { groupError: jsonata('$states.errorOutput') }, Next: STATE.checkModelPackageGroup }],
      Next: STATE.checkCompare,
    },
    [STATE.checkModelPackageGroup]: {
      Type: 'Choice',
      Comment: 'A group that already exists is the normal case after the first run; any other error fails the run.',
      Choices: [
        {
          Condition: jsonata(`$exists($groupError.Cause) and $contains($lowercase($groupError.Cause), 'already exist')`),
          Next: STATE.checkCompare,
        },
        {
          Condition: jsonata('true'),
          Assign: {
            failure: jsonata(`{'stage': 'registry', 'resource': 'model package group ' & ${GROUP}, 'error': $groupError.Error, 'cause': $groupError.Cause}`),
          },
          Next: STATE.stageFailed,
        },
      ],
    },
    [STATE.checkCompare]: {
      Type: 'Choice',
      Comment: 'Looks up the approved model when the new one must beat it.',
      Choices: [{ Condition: jsonata(`$type($config.approval.compare_to_approved) = 'object'`), Next: STATE.findApprovedModel }],
      Default: STATE.registerModel,
    },
    [STATE.findApprovedModel]: {
      Type: 'Task',
      Comment: 'The latest approved version in the group, if any.',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:listModelPackages',
      Arguments: {
        ModelPackageGroupName: jsonata(GROUP),
        ModelApprovalStatus: 'Approved',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      },
      Assign: {
        baselineArn: jsonata(`( $a := $states.result.ModelPackageSummaryList[0].ModelPackageArn; $exists($a) ? $a : null )`),
      },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('registry', `'model package group ' & ${GROUP}`), Next: STATE.stageFailed }],
      Next: STATE.checkApprovedModel,
    },
    [STATE.checkApprovedModel]: {
      Type: 'Choice',
      Choices: [{ Condition: jsonata('$baselineArn != null'), Next: STATE.describeApprovedModel }],
      Default: STATE.registerModel,
    },
    [STATE.describeApprovedModel]: {
      Type: 'Task',
      Comment: "Reads the approved version's metric from its custom metadata (written when it was registered).",
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeModelPackage',
      Arguments: { ModelPackageName: jsonata('$baselineArn') },
      Assign: {
        baseline: jsonata(
          `( $v := $lookup($states.result.CustomerMetadataProperties, '${METRIC_PROPERTY_PREFIX}' & $config.approval.compare_to_approved.metric); $type($v) = 'string' ? $number($v) : null )`,
        ),
      },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('registry', `'model package ' & $baselineArn`), Next: STATE.stageFailed }],
      Next: STATE.registerModel,
    },
    [STATE.registerModel]: {
      Type: 'Task',
      Comment: 'Registers the trained model as a new version, pending approval, with its metrics.',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModelPackage',
      Arguments: jsonata(`(
        $pc := $config.CreateModel.input.PrimaryContainer;
        $image := $exists($pc.Image) ? $pc.Image : $config.training.input.AlgorithmSpecification.TrainingImage;
        $container := $merge([{'Image': $image, 'ModelDataUrl': $modelDataUrl}, $type($pc.Environment) = 'object' ? {'Environment': $pc.Environment} : {}]);
        $properties := $merge($append([{'execution': $execution}], $each($metrics, function($v, $k) { {'${METRIC_PROPERTY_PREFIX}' & $k: $string($v)} })));
        $merge([
          {
            'ModelPackageGroupName': ${GROUP},
            'ModelPackageDescription': 'Trained by execution ' & $execution,
            'ModelApprovalStatus': 'PendingManualApproval',
            'InferenceSpecification': {
              'Containers': [$container],
              'SupportedContentTypes': $append([], $config.registry.content_types),
              'SupportedResponseMIMETypes': $append([], $config.registry.response_types)
            },
            'CustomerMetadataProperties': $properties
          },
          ($metricsUri != null and $count($keys($metrics)) > 0)
            ? {'ModelMetrics': {'ModelQuality': {'Statistics': {'ContentType': 'application/json', 'S3Uri': $metricsUri}}}}
            : {}
        ])
      )`),
      Assign: { modelPackageArn: jsonata('$states.result.ModelPackageArn') },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('registry', `'model package group ' & ${GROUP}`), Next: STATE.stageFailed }],
      Next: next,
    },
  };
}
