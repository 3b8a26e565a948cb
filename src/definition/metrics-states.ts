/**
 * Reading the evaluation job's metrics: the metrics file (evaluation.json by default) in the
 * evaluation output, fetched with the AWS SDK integration for S3 and parsed with `$parse`.
 *
 * Metric values are read from the file's top level (`{"accuracy": 0.91}` or
 * `{"accuracy": {"value": 0.91}}`) and from groups whose name ends in `_metrics` — SageMaker's
 * model-quality format (`{"binary_classification_metrics": {"accuracy": {"value": 0.91, ...}}}`),
 * which Studio shows for a registered model. Top-level values win over grouped ones.
 */
import type { JsonObject } from '../core/json.js';
import { jsonata } from './jsonata.js';
import { STATE } from './state-names.js';
import { STATES_ERRORS as States } from '../core/error-catalogue.js';

/** JSONata: the metrics of a parsed metrics file, as a flat {name: number} object. */
export const METRICS_OF = `
  $one := function($o) {
    $merge($append([{}], $each($o, function($v, $k) {
      $type($v) = 'number' ? {$k: $v}
      : ($type($v) = 'object' and $type($v.value) = 'number') ? {$k: $v.value}
      : {}
    })))
  };
  $groups := function($o) {
    $merge($append([{}], $each($o, function($v, $k) {
      ($type($v) = 'object' and $substring($k, -8) = '_metrics') ? $one($v) : {}
    })))
  };`;

export function renderMetricsStates(next: string): Record<string, JsonObject> {
  return {
    [STATE.checkMetrics]: {
      Type: 'Choice',
      Comment: 'Reads the metrics when the evaluation stage ran and has an output to read them from.',
      Choices: [{ Condition: jsonata(`$config.evaluation.run = true and $metricsUri != null`), Next: STATE.readMetrics }],
      Default: next,
    },
    [STATE.readMetrics]: {
      Type: 'Task',
      Comment: 'Reads the metrics file the evaluation job wrote. A missing or unreadable file leaves the metrics empty: approval rules then fail and say why.',
      Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
      Arguments: jsonata(`( $rest := $substringAfter($metricsUri, 's3://'); {'Bucket': $substringBefore($rest, '/'), 'Key': $substringAfter($rest, '/')} )`),
      Assign: {
        metrics: jsonata(`( ${METRICS_OF} $raw := $parse($states.result.Body); $type($raw) = 'object' ? $merge([$groups($raw), $one($raw)]) : {} )`),
      },
      Catch: [
        {
          ErrorEquals: [States.ALL],
          Assign: { metricsError: jsonata(`'Could not read the metrics file ' & $metricsUri & ': ' & $states.errorOutput.Error & ' ' & $states.errorOutput.Cause`) },
          Next: next,
        },
      ],
      Next: next,
    },
  };
}
