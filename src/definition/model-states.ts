/**
 * The CreateModel stage: a SageMaker model from the stage's request, named "model-<execution>"
 * (the seed's name), serving this run's trained model: the artifact replaces
 * PrimaryContainer.ModelDataUrl, so the seed's hard-coded URI no longer has to match the job name.
 */
import type { JsonObject } from '../core/json.js';
import { checkStateName } from './job-stage.js';
import { failureAssign, jsonata, requestOf } from './jsonata.js';
import { SAGEMAKER_API_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { STATES_ERRORS as States } from '../core/error-catalogue.js';

export const MODEL_NAME = `'model-' & $execution`;

/** The CreateModel request (batch transform's cache key includes it: the model is part of what the job runs). */
export const MODEL_REQUEST = `(
  $pc := $config.CreateModel.input.PrimaryContainer;
  $merge([
    ${requestOf('CreateModel')},
    ($type($pc) = 'object' and $modelDataUrl != null) ? {'PrimaryContainer': $merge([$pc, {'ModelDataUrl': $modelDataUrl}])} : {},
    {'ModelName': ${MODEL_NAME}}
  ])
)`;

export function renderModelStates(next: string): Record<string, JsonObject> {
  return {
    [checkStateName(STATE.createModel)]: {
      Type: 'Choice',
      Comment: 'Runs the CreateModel stage when its run flag is true.',
      Choices: [{ Condition: jsonata(`$config.CreateModel.run = true`), Next: STATE.createModel }],
      Default: next,
    },
    [STATE.createModel]: {
      Type: 'Task',
      Comment: 'The CreateModel stage: a SageMaker model for the endpoint and batch transform.',
      Resource: 'arn:aws:states:::sagemaker:createModel',
      Arguments: jsonata(MODEL_REQUEST),
      Assign: {
        modelName: jsonata(MODEL_NAME),
        stages: jsonata(`$merge([$stages, {'CreateModel': {'ModelName': ${MODEL_NAME}, 'ModelArn': $states.result.ModelArn}}])`),
      },
      Retry: SAGEMAKER_API_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('CreateModel', `'model ' & ${MODEL_NAME}`), Next: STATE.stageFailed }],
      Next: next,
    },
  };
}
