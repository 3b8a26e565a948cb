/**
 * Model approval. The rules from the pipeline (`accuracy >= 0.8`, parsed into
 * {metric, op, threshold} by the trigger) are evaluated generically over the metrics, plus the
 * optional comparison with the approved model; then, by `approval.mode`:
 *   auto              approve when every check passes, else reject;
 *   manual            ask a person (the approval Lambda, with a task token), whatever the checks say;
 *   auto-then-manual  reject when a check fails, else ask a person.
 * A person answers with SendTaskSuccess {"decision": "Approved"|"Rejected", "approver", "comment"};
 * no answer within `timeout_seconds` rejects. The decision is recorded on the model package, and a
 * rejected model ends the run with Pipeline.ModelRejected before anything is deployed.
 */
import type { JsonObject } from '../core/json.js';
import { failureAssign, jsonata } from './jsonata.js';
import { LAMBDA_RETRY, SAGEMAKER_SDK_RETRY } from './retry-policies.js';
import { STATE } from './state-names.js';
import { PIPELINE_ERRORS, STATES_ERRORS as States } from '../core/error-catalogue.js';

/** The substitution that names the approval Lambda (its ARN differs between AWS and local runs). */
export const APPROVAL_FUNCTION_SUBSTITUTION = 'ApprovalFunctionArn';

/** The error a rejected model ends the run with; a reject command may also send it as a task failure. */
export const MODEL_REJECTED_ERROR = PIPELINE_ERRORS.ModelRejected;

const CHECKS = `(
  $m := $metrics;
  $passes := function($v, $op, $t) {
    $op = '>=' ? $v >= $t : $op = '>' ? $v > $t : $op = '<=' ? $v <= $t : $op = '<' ? $v < $t : $op = '==' ? $v = $t : $v != $t
  };
  $rule := function($r) {(
    $v := $lookup($m, $r.metric);
    {'rule': $r.text, 'value': $type($v) = 'number' ? $v : null, 'passed': $type($v) = 'number' and $passes($v, $r.op, $r.threshold)}
  )};
  $c := $config.approval.compare_to_approved;
  $compare := ($type($c) = 'object' and $type($baseline) = 'number') ? (
    $v := $lookup($m, $c.metric);
    $target := $c.higher_is_better ? $baseline + $c.min_improvement : $baseline - $c.min_improvement;
    $op := $c.higher_is_better ? '>=' : '<=';
    {
      'rule': $c.metric & ' ' & $op & ' ' & $string($target) & ' (approved model: ' & $string($baseline) & ')',
      'value': $type($v) = 'number' ? $v : null,
      'passed': $type($v) = 'number' and $passes($v, $op, $target)
    }
  ) : null;
  $append($append([], $map($config.approval.rules, $rule)), $compare != null ? [$compare] : [])
)`;

/** "accuracy >= 0.8 (got 0.71); roc_auc >= 0.75 (no value)", for the failed checks. */
const FAILED_CHECKS = `$join($map($checks[passed = false], function($c) { $c.rule & ($c.value = null ? ' (no value' & ($metricsError != null ? ': ' & $metricsError : '') & ')' : ' (got ' & $string($c.value) & ')') }), '; ')`;

export function renderApprovalStates(next: string): Record<string, JsonObject> {
  return {
    [STATE.evaluateRules]: {
      Type: 'Pass',
      Comment: 'Evaluates the approval rules (and the comparison with the approved model) over the metrics.',
      Assign: { checks: jsonata(CHECKS) },
      Next: STATE.decideApproval,
    },
    [STATE.decideApproval]: {
      Type: 'Choice',
      Comment: 'Decides by approval.mode: automatic on the checks, a person, or the checks then a person.',
      Choices: [
        { Condition: jsonata(`$config.approval.mode = 'manual'`), Next: STATE.requestApproval },
        {
          Condition: jsonata(`$count($checks[passed = false]) > 0`),
          Assign: {
            approval: jsonata(`{'decision': 'Rejected', 'decidedBy': 'rules', 'reason': 'Approval rules failed: ' & ${FAILED_CHECKS}, 'checks': $checks}`),
          },
          Next: STATE.recordDecision,
        },
        { Condition: jsonata(`$config.approval.mode = 'auto-then-manual'`), Next: STATE.requestApproval },
        {
          Condition: jsonata('true'),
          Assign: {
            approval: jsonata(
              `{'decision': 'Approved', 'decidedBy': 'rules', 'reason': $count($checks) > 0 ? 'All approval rules passed: ' & $join($checks.rule, '; ') : 'No approval rules: approved automatically', 'checks': $checks}`,
            ),
          },
          Next: STATE.recordDecision,
        },
      ],
    },
    [STATE.requestApproval]: {
      Type: 'Task',
      Comment: 'Asks a person: the approval Lambda stores the request and notifies; the run waits for SendTaskSuccess with the decision.',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: `\${${APPROVAL_FUNCTION_SUBSTITUTION}}`,
        Payload: jsonata(`{
          'taskToken': $states.context.Task.Token,
          'executionArn': $states.context.Execution.Id,
          'executionName': $execution,
          'stateMachineArn': $states.context.StateMachine.Id,
          'requestedAt': $states.context.State.EnteredTime,
          'timeoutSeconds': $config.approval.timeout_seconds,
          'modelPackageGroup': $config.registry.run = true ? $config.registry.model_package_group : null,
          'modelPackageArn': $modelPackageArn,
          'modelDataUrl': $modelDataUrl,
          'metrics': $metrics,
          'checks': $checks
        }`),
      },
      TimeoutSeconds: jsonata('$config.approval.timeout_seconds'),
      Assign: {
        approval: jsonata(`(
          $r := $states.result;
          $d := $r.decision;
          $by := $type($r.approver) = 'string' ? $r.approver : 'unknown';
          {
            'decision': $d = 'Approved' ? 'Approved' : 'Rejected',
            'decidedBy': $by,
            'comment': $type($r.comment) = 'string' ? $r.comment : null,
            'decidedAt': $type($r.decidedAt) = 'string' ? $r.decidedAt : null,
            'reason': $d = 'Approved' ? 'Approved by ' & $by
              : $d = 'Rejected' ? 'Rejected by ' & $by & ($type($r.comment) = 'string' ? ': ' & $r.comment : '')
              : 'Rejected: the approval answer had no decision Approved or Rejected (got ' & $string($d) & ')',
            'checks': $checks
          }
        )`),
      },
      Retry: LAMBDA_RETRY,
      Catch: [
        {
          ErrorEquals: [States.Timeout],
          Assign: {
            approval: jsonata(
              `{'decision': 'Rejected', 'decidedBy': 'timeout', 'reason': 'Nobody approved or rejected the model within ' & $string($config.approval.timeout_seconds / 3600) & ' hours', 'checks': $checks}`,
            ),
          },
          Next: STATE.recordDecision,
        },
        {
          ErrorEquals: [MODEL_REJECTED_ERROR],
          Assign: {
            approval: jsonata(
              `{'decision': 'Rejected', 'decidedBy': 'manual', 'reason': $exists($states.errorOutput.Cause) ? 'Rejected: ' & $states.errorOutput.Cause : 'Rejected', 'checks': $checks}`,
            ),
          },
          Next: STATE.recordDecision,
        },
        { ErrorEquals: [States.ALL], Assign: failureAssign('approval', `'approval request'`), Next: STATE.stageFailed },
      ],
      Next: STATE.recordDecision,
    },
    [STATE.recordDecision]: {
      Type: 'Choice',
      Comment: 'Records the decision on the registered model version, when there is one.',
      Choices: [{ Condition: jsonata('$modelPackageArn != null'), Next: STATE.updateModelPackage }],
      Default: STATE.checkDecision,
    },
    [STATE.updateModelPackage]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:updateModelPackage',
      Arguments: {
        ModelPackageArn: jsonata('$modelPackageArn'),
        ModelApprovalStatus: jsonata('$approval.decision'),
        ApprovalDescription: jsonata('$substring($approval.reason, 0, 1024)'),
      },
      Retry: SAGEMAKER_SDK_RETRY,
      Catch: [{ ErrorEquals: [States.ALL], Assign: failureAssign('registry', `'model package ' & $modelPackageArn`), Next: STATE.stageFailed }],
      Next: STATE.checkDecision,
    },
    [STATE.checkDecision]: {
      Type: 'Choice',
      Comment: 'A rejected model is never deployed.',
      Choices: [{ Condition: jsonata(`$approval.decision = 'Rejected'`), Next: STATE.modelRejected }],
      Default: next,
    },
    [STATE.modelRejected]: {
      Type: 'Fail',
      Comment: 'The model was rejected; nothing was deployed.',
      Error: MODEL_REJECTED_ERROR,
      Cause: jsonata('$approval.reason'),
    },
  };
}
