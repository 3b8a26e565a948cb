/**
 * Where every stage's Catch leads. A job that failed for lack of capacity ("CapacityError: Unable
 * to provision requested ML compute capacity") is run again under a new name after a wait; any
 * other failure ends the run with the task's own error name and a cause that names the stage, the
 * job and SageMaker's reason (the FailureReason inside a `.sync` task's cause, which is the JSON
 * of the Describe* response).
 *
 * The run ends in a Task, not a Fail state, so that it can be redriven: RedriveExecution restarts
 * an execution's failed state, and a Fail state would only fail again. PipelineFailed calls the
 * stage-failure Lambda, which raises the stage's error; when the execution is redriven the Task
 * runs again with a higher redrive count, the Lambda answers instead, and RedriveFailedState goes
 * back to the state that failed (its job named with "-d<redrive count>": SageMaker never reuses a
 * name). A failure no state can be run again for (an endpoint that ended Failed) fails again.
 */
import type { JsonObject } from '../core/json.js';
import { retryStateName } from './job-stage.js';
import { jsonata, quote } from './jsonata.js';
import { CAPACITY_ERROR, CAPACITY_RETRIES, LAMBDA_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { STATES_ERRORS as States } from '../core/error-catalogue.js';

/** The substitution that names the stage-failure Lambda (its ARN differs between AWS and local runs). */
export const STAGE_FAILURE_FUNCTION_SUBSTITUTION = 'StageFailureFunctionArn';

/** Cause text: "Stage training failed (training job mlops-census-1724940337): AlgorithmError: ...". */
export const FAILURE_CAUSE = `(
  $c := $failure.cause;
  $reason := ($type($c) = 'string' and $substring($c, 0, 1) = '{' and $contains($c, '"FailureReason"'))
    ? $parse($c).FailureReason
    : ($type($c) = 'string' ? $c : 'no cause was reported');
  $substring('Stage ' & $failure.stage & ' failed' & ($type($failure.resource) = 'string' ? ' (' & $failure.resource & ')' : '') & ': ' & $string($reason), 0, 32000)
)`;

const FAILURE_ERROR = `$type($failure.error) = 'string' ? $failure.error : '${States.TaskFailed}'`;

/**
 * @param jobStages the job stages that may be retried after a capacity error: pipeline section → Task state.
 * @param redrivable the states whose Catch records the failure: a redrive goes back to them.
 */
export function renderFailureStates(
  jobStages: ReadonlyArray<{ stage: string; state: string }>,
  redrivable: readonly string[],
): Record<string, JsonObject> {
  return {
    [STATE.stageFailed]: {
      Type: 'Choice',
      Comment: `Runs a job again (at most ${CAPACITY_RETRIES} times) when SageMaker had no capacity for it; anything else fails the run.`,
      Choices: jobStages.map(({ stage, state }) => ({
        Condition: jsonata(
          `$failure.stage = ${quote(stage)} and $attempt < ${CAPACITY_RETRIES} and $type($failure.cause) = 'string' and $contains($failure.cause, '${CAPACITY_ERROR}')`,
        ),
        Next: retryStateName(state),
      })),
      Default: STATE.pipelineFailed,
    },
    [STATE.pipelineFailed]: {
      Type: 'Task',
      Comment:
        "Ends the run with the failed task's error and a cause naming the stage and the reason (raised by the stage-failure Lambda, so that a redrive runs this Task again and goes back to the failed state).",
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: `\${${STAGE_FAILURE_FUNCTION_SUBSTITUTION}}`,
        Payload: jsonata(`{
          'error': ${FAILURE_ERROR},
          'cause': ${FAILURE_CAUSE},
          'raise': $states.context.Execution.RedriveCount = $failure.redriveCount or $type($failure.state) != 'string'
        }`),
      },
      Retry: LAMBDA_RETRY,
      Next: STATE.redriveFailedState,
    },
    [STATE.redriveFailedState]: {
      Type: 'Choice',
      Comment: 'A redriven execution goes back to the state that failed.',
      Choices: redrivable.map((state) => ({
        Condition: jsonata(`$failure.state = ${quote(state)}`),
        Assign: { failure: null },
        Next: state,
      })),
      Default: STATE.notRedrivable,
    },
    [STATE.notRedrivable]: {
      Type: 'Fail',
      Comment: 'A failure no state can be run again for (e.g. an endpoint that ended Failed) fails the redrive too.',
      Error: jsonata(FAILURE_ERROR),
      Cause: jsonata(FAILURE_CAUSE),
    },
  };
}
