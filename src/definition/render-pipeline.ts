/**
 * The pipeline's state machine: ONE generic definition for every pipeline. Nothing from a
 * pipeline file is baked in: the execution input is the pipeline configuration (see
 * `pipelineExecutionInput` in src/config), each stage runs when its `run` flag says so, and
 * outputs flow between stages through workflow variables: training's
 * `ModelArtifacts.S3ModelArtifacts` becomes evaluation's model input, the registered model
 * version and CreateModel's `ModelDataUrl`. Changing the YAML therefore never needs a redeploy,
 * and this exact document is what CDK deploys and what the local engine runs.
 *
 * Values that differ between AWS and a local run (the approval Lambda's ARN) are `${Name}`
 * placeholders, filled by CDK's definitionSubstitutions or by `substituteDefinition`.
 */
import type { JsonObject } from '../core/json.js';
import { EVALUATION_MODEL_PATH } from '../config/index.js';
import { APPROVAL_FUNCTION_SUBSTITUTION, renderApprovalStates } from './approval-states.js';
import { renderEndpointStates } from './endpoint-states.js';
import { renderFailureStates, STAGE_FAILURE_FUNCTION_SUBSTITUTION } from './failure-states.js';
import { CACHE_FUNCTION_SUBSTITUTION, CACHE_SUMMARY, checkStateName, renderJobStage, type JobStage } from './job-stage.js';
import { jsonata, requestOf } from './jsonata.js';
import { renderMetricsStates } from './metrics-states.js';
import { MODEL_REQUEST, renderModelStates } from './model-states.js';
import { renderRegistryStates } from './registry-states.js';
import { STATE } from './state-names.js';
import { renderDoneState, renderInitState } from './summary-states.js';

export interface RenderedDefinition {
  definition: JsonObject;
  /** The `${Name}` placeholders in the definition, to be given values before it is created. */
  substitutions: string[];
}


/** The stage's entry in the run summary: its job's fields and whether it was reused or ran, and why. */
const summaryOf = (stage: string, fields: string) => `$merge([$stages, {'${stage}': {${fields}, ${CACHE_SUMMARY}}}])`;

const METRICS_URI = `(
  $outs := $append([], $states.result.ProcessingOutputConfig.Outputs);
  $wanted := $type($config.approval.metrics_output) = 'string' ? $config.approval.metrics_output : 'evaluation';
  $file := $type($config.approval.metrics_file) = 'string' ? $config.approval.metrics_file : 'evaluation.json';
  $named := $filter($outs, function($o) { $o.OutputName = $wanted });
  $o := $exists($named) ? $named[0] : $outs[0];
  $u := $o.S3Output.S3Uri;
  $type($u) = 'string' ? ($substring($u, -1) = '/' ? $u : $u & '/') & $file : null
)`;

function jobStages(): JobStage[] {
  const checkTraining = checkStateName(STATE.training);
  const checkEvaluation = checkStateName(STATE.evaluation);
  return [
    {
      stage: 'preprocessing',
      state: STATE.preprocessing,
      kind: 'processing',
      assign: {
        stages: jsonata(
          summaryOf(
            'preprocessing',
            `'ProcessingJobName': $states.result.ProcessingJobName, 'ProcessingJobArn': $states.result.ProcessingJobArn,
             'Outputs': $append([], $states.result.ProcessingOutputConfig.Outputs.{'OutputName': OutputName, 'S3Uri': S3Output.S3Uri})`,
          ),
        ),
      },
      next: checkTraining,
    },
    {
      stage: 'training',
      state: STATE.training,
      kind: 'training',
      assign: {
        modelDataUrl: jsonata('$states.result.ModelArtifacts.S3ModelArtifacts'),
        trained: true,
        stages: jsonata(
          summaryOf(
            'training',
            `'TrainingJobName': $states.result.TrainingJobName, 'TrainingJobArn': $states.result.TrainingJobArn,
             'S3ModelArtifacts': $states.result.ModelArtifacts.S3ModelArtifacts`,
          ),
        ),
      },
      next: checkEvaluation,
    },
    {
      stage: 'evaluation',
      state: STATE.evaluation,
      kind: 'processing',
      namePrefix: 'evaluation',
      // This run's model replaces the URI written for the input at /opt/ml/processing/model.
      request: (name) => `(
        $in := $config.evaluation.input;
        $merge([
          ${requestOf('evaluation')},
          $trained ? {'ProcessingInputs': $append([], $map($in.ProcessingInputs, function($i) {
            ($type($i.S3Input) = 'object' and $i.S3Input.LocalPath = '${EVALUATION_MODEL_PATH}')
              ? $merge([$i, {'S3Input': $merge([$i.S3Input, {'S3Uri': $modelDataUrl}])}])
              : $i
          }))} : {},
          {'ProcessingJobName': ${name}}
        ])
      )`,
      assign: {
        metricsUri: jsonata(METRICS_URI),
        stages: jsonata(
          summaryOf(
            'evaluation',
            `'ProcessingJobName': $states.result.ProcessingJobName, 'ProcessingJobArn': $states.result.ProcessingJobArn,
             'Outputs': $append([], $states.result.ProcessingOutputConfig.Outputs.{'OutputName': OutputName, 'S3Uri': S3Output.S3Uri})`,
          ),
        ),
      },
      next: STATE.checkMetrics,
    },
    {
      stage: 'batchTransform',
      state: STATE.batchTransform,
      kind: 'transform',
      namePrefix: 'batch',
      extraRequest: `'ModelName': $modelName`,
      cacheModel: `$config.CreateModel.run = true ? ${MODEL_REQUEST} : {'ModelName': $modelName}`,
      assign: {
        stages: jsonata(
          summaryOf(
            'batchTransform',
            `'TransformJobName': $states.result.TransformJobName, 'TransformJobArn': $states.result.TransformJobArn,
             'S3OutputPath': $states.result.TransformOutput.S3OutputPath`,
          ),
        ),
      },
      next: STATE.done,
    },
  ];
}

export function renderPipelineDefinition(): RenderedDefinition {
  const stages = jobStages();
  const [preprocessing, training, evaluation, batchTransform] = stages.map(renderJobStage) as [
    Record<string, JsonObject>,
    Record<string, JsonObject>,
    Record<string, JsonObject>,
    Record<string, JsonObject>,
  ];
  const checkCreateModel = checkStateName(STATE.createModel);
  const states: Record<string, JsonObject> = {
    ...renderInitState(checkStateName(STATE.preprocessing)),
    ...preprocessing,
    ...training,
    ...evaluation,
    ...renderMetricsStates(STATE.checkTrained),
    [STATE.checkTrained]: {
      Type: 'Choice',
      Comment: 'Registry and approval apply to a model trained in this run.',
      Choices: [{ Condition: jsonata('$trained = true'), Next: STATE.checkRegistry }],
      Default: checkCreateModel,
    },
    ...renderRegistryStates(STATE.evaluateRules),
    ...renderApprovalStates(checkCreateModel),
    ...renderModelStates(STATE.checkEndpoint),
    ...renderEndpointStates(checkStateName(STATE.batchTransform)),
    ...batchTransform,
    ...renderDoneState(),
  };
  Object.assign(
    states,
    renderFailureStates(
      stages.map(({ stage, state }) => ({ stage, state })),
      statesCatchingInto(states, STATE.stageFailed),
    ),
  );
  return {
    definition: {
      Comment:
        'mlops-sfn MLOps pipeline: preprocessing, training, evaluation, approval, model registry, CreateModel, endpoint and batch transform, each switched by the pipeline configuration given as the execution input.',
      QueryLanguage: 'JSONata',
      StartAt: STATE.init,
      States: states,
    },
    substitutions: [APPROVAL_FUNCTION_SUBSTITUTION, CACHE_FUNCTION_SUBSTITUTION, STAGE_FAILURE_FUNCTION_SUBSTITUTION],
  };
}

/** The states whose Catch records a failure and goes to `target`: a redrive goes back to them. */
function statesCatchingInto(states: Record<string, JsonObject>, target: string): string[] {
  return Object.entries(states)
    .filter(([, st]) => Array.isArray(st['Catch']) && st['Catch'].some((c) => (c as JsonObject)['Next'] === target))
    .map(([name]) => name);
}
