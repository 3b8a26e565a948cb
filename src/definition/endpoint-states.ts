/**
 * Real-time endpoint deployment for an approved model: a new endpoint configuration per run
 * ("endpoint-<execution>"), then CreateEndpoint when the endpoint does not exist or UpdateEndpoint
 * when it does, and a Wait/DescribeEndpoint loop until it is InService on the new configuration.
 * CreateEndpoint and UpdateEndpoint return at once (Step Functions has no .sync for them).
 *
 * An endpoint that is busy (Creating, Updating, ...) is waited for before updating; one that is
 * Failed cannot be updated, so it is deleted and created again. The run fails when the endpoint
 * ends Failed, when an update is rolled back, or when it is not InService within the timeout.
 */
import type { JsonObject } from '../core/json.js';
import { failureAssign, jsonata } from './jsonata.js';
import { SAGEMAKER_API_RETRY, SAGEMAKER_SDK_RETRY, SAGEMAKER_SDK_THROTTLE_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { PIPELINE_ERRORS, STATES_ERRORS as States } from '../core/error-catalogue.js';

const NAME = '$config.endpoint.name';
const CONFIG_NAME = `'endpoint-' & $execution`;
const BUSY = `['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']`;

export const ENDPOINT_FAILED_ERROR = PIPELINE_ERRORS.EndpointFailed;
export const ENDPOINT_TIMED_OUT_ERROR = PIPELINE_ERRORS.EndpointTimedOut;

function failWith(error: string, cause: string): Record<string, string> {
  return { failure: jsonata(`{'stage': 'endpoint', 'resource': 'endpoint ' & ${NAME}, 'error': '${error}', 'cause': ${cause}}`) };
}

export function renderEndpointStates(next: string): Record<string, JsonObject> {
  return {
    [STATE.checkEndpoint]: {
      Type: 'Choice',
      Comment: 'Deploys the created model when the endpoint section is on.',
      Choices: [{ Condition: jsonata(`$config.endpoint.run = true and $modelName != null`), Next: STATE.createEndpointConfig }],
      Default: next,
    },
    [STATE.createEndpointConfig]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sagemaker:createEndpointConfig',
      Arguments: {
        EndpointConfigName: jsonata(CONFIG_NAME),
        ProductionVariants: jsonata(`[{
          'VariantName': $config.endpoint.variant_name,
          'ModelName': $modelName,
          'InitialInstanceCount': $config.endpoint.instance_count,
          'InstanceType': $config.endpoint.instance_type,
          'InitialVariantWeight': 1
        }]`),
        // null (no data_capture in the YAML) is an unset member, as the SDK's model classes read it.
        DataCaptureConfig: jsonata('$config.endpoint.data_capture'),
      },
      Assign: { endpointConfigName: jsonata(CONFIG_NAME), polls: 0 },
      Retry: SAGEMAKER_API_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('endpoint', `'endpoint configuration ' & ${CONFIG_NAME}`), Next: STATE.stageFailed }],
      Next: STATE.findEndpoint,
    },
    [STATE.findEndpoint]: {
      Type: 'Task',
      Comment: 'Does the endpoint exist, and in which state? "Could not find endpoint" means create it.',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeEndpoint',
      Arguments: { EndpointName: jsonata(NAME) },
      Assign: { endpointStatus: jsonata('$states.result.EndpointStatus') },
      Retry: SAGEMAKER_SDK_THROTTLE_RETRY,
      Catch: [
        {
          ErrorEquals: [States.ALL],
          Assign: { endpointStatus: 'Missing', endpointError: jsonata('$states.errorOutput') },
          Next: STATE.chooseEndpointAction,
        },
      ],
      Next: STATE.chooseEndpointAction,
    },
    [STATE.chooseEndpointAction]: {
      Type: 'Choice',
      Choices: [
        {
          Condition: jsonata(
            `$endpointStatus = 'Missing' and $exists($endpointError.Cause) and $contains($lowercase($endpointError.Cause), 'could not find endpoint')`,
          ),
          Next: STATE.createEndpoint,
        },
        {
          Condition: jsonata(`$endpointStatus = 'Missing'`),
          Assign: { failure: jsonata(`{'stage': 'endpoint', 'resource': 'endpoint ' & ${NAME}, 'error': $endpointError.Error, 'cause': $endpointError.Cause}`) },
          Next: STATE.stageFailed,
        },
        { Condition: jsonata(`$endpointStatus = 'Failed'`), Next: STATE.deleteFailedEndpoint },
        { Condition: jsonata(`$endpointStatus in ${BUSY} and $polls < $config.endpoint.max_polls`), Next: STATE.waitBeforeUpdate },
        {
          Condition: jsonata(`$endpointStatus in ${BUSY}`),
          Assign: failWith(ENDPOINT_TIMED_OUT_ERROR, `'The endpoint stayed ' & $endpointStatus & ' for ' & $string($polls * $config.endpoint.poll_seconds) & ' seconds, so it could not be updated'`),
          Next: STATE.stageFailed,
        },
      ],
      Default: STATE.updateEndpoint,
    },
    [STATE.waitBeforeUpdate]: {
      Type: 'Wait',
      Comment: 'The endpoint is busy (or being deleted): look again shortly.',
      Seconds: jsonata('$config.endpoint.poll_seconds'),
      Assign: { polls: jsonata('$polls + 1') },
      Next: STATE.findEndpoint,
    },
    [STATE.deleteFailedEndpoint]: {
      Type: 'Task',
      Comment: 'A Failed endpoint cannot be updated: delete it, then create it again.',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:deleteEndpoint',
      Arguments: { EndpointName: jsonata(NAME) },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('endpoint', `'endpoint ' & ${NAME}`), Next: STATE.stageFailed }],
      Next: STATE.waitBeforeUpdate,
    },
    [STATE.createEndpoint]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sagemaker:createEndpoint',
      Arguments: { EndpointName: jsonata(NAME), EndpointConfigName: jsonata('$endpointConfigName') },
      Assign: { polls: 0 },
      Retry: SAGEMAKER_API_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('endpoint', `'endpoint ' & ${NAME}`), Next: STATE.stageFailed }],
      Next: STATE.waitForEndpoint,
    },
    [STATE.updateEndpoint]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sagemaker:updateEndpoint',
      Arguments: { EndpointName: jsonata(NAME), EndpointConfigName: jsonata('$endpointConfigName') },
      Assign: { polls: 0 },
      Retry: SAGEMAKER_API_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('endpoint', `'endpoint ' & ${NAME}`), Next: STATE.stageFailed }],
      Next: STATE.waitForEndpoint,
    },
    [STATE.waitForEndpoint]: {
      Type: 'Wait',
      Seconds: jsonata('$config.endpoint.poll_seconds'),
      Next: STATE.describeEndpoint,
    },
    [STATE.describeEndpoint]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeEndpoint',
      Arguments: { EndpointName: jsonata(NAME) },
      Assign: {
        endpoint: jsonata(`{
          'EndpointName': $states.result.EndpointName,
          'EndpointArn': $states.result.EndpointArn,
          'EndpointStatus': $states.result.EndpointStatus,
          'EndpointConfigName': $states.result.EndpointConfigName,
          'FailureReason': $exists($states.result.FailureReason) ? $states.result.FailureReason : null,
          'DataCaptureUri': $exists($states.result.DataCaptureConfig) ? ($uri := $states.result.DataCaptureConfig.DestinationS3Uri; $substring($uri, -1) = '/' ? $substring($uri, 0, $length($uri) - 1) : $uri) & '/' & $states.result.EndpointName & '/' & $config.endpoint.variant_name & '/' : null
        }`),
        polls: jsonata('$polls + 1'),
      },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('endpoint', `'endpoint ' & ${NAME}`), Next: STATE.stageFailed }],
      Next: STATE.checkEndpointStatus,
    },
    [STATE.checkEndpointStatus]: {
      Type: 'Choice',
      Choices: [
        {
          Condition: jsonata(`$endpoint.EndpointStatus = 'InService' and $endpoint.EndpointConfigName = $endpointConfigName`),
          Next: next,
        },
        {
          Condition: jsonata(`$endpoint.EndpointStatus in ['Failed', 'UpdateRollbackFailed', 'OutOfService']`),
          Assign: failWith(
            ENDPOINT_FAILED_ERROR,
            `'The endpoint is ' & $endpoint.EndpointStatus & ($endpoint.FailureReason != null ? ': ' & $endpoint.FailureReason : '')`,
          ),
          Next: STATE.stageFailed,
        },
        {
          Condition: jsonata(`$endpoint.EndpointStatus = 'InService' and $endpoint.FailureReason != null`),
          Assign: failWith(
            ENDPOINT_FAILED_ERROR,
            `'The update to ' & $endpointConfigName & ' was rolled back; the endpoint still serves ' & $endpoint.EndpointConfigName & ': ' & $endpoint.FailureReason`,
          ),
          Next: STATE.stageFailed,
        },
        {
          Condition: jsonata('$polls >= $config.endpoint.max_polls'),
          Assign: failWith(
            ENDPOINT_TIMED_OUT_ERROR,
            `'The endpoint was not InService after ' & $string($polls * $config.endpoint.poll_seconds) & ' seconds (status: ' & $endpoint.EndpointStatus & ')'`,
          ),
          Next: STATE.stageFailed,
        },
      ],
      Default: STATE.waitForEndpoint,
    },
  };
}
