/**
 * The first and last states. Init keeps the pipeline configuration (the execution input) and the
 * execution name in workflow variables and gives every variable the definition reads a value, so
 * each expression can rely on it; Done returns the run summary (`run-summary.ts`) as the execution output.
 */
import type { JsonObject } from '../core/json.js';
import { jsonata } from './jsonata.js';
import { runSummaryExpression } from './run-summary.js';
import { STATE } from './state-names.js';

export function renderInitState(next: string): Record<string, JsonObject> {
  return {
    [STATE.init]: {
      Type: 'Pass',
      Comment: 'The execution input is the pipeline configuration (placeholders filled in by the trigger).',
      Assign: {
        config: jsonata('$states.input'),
        execution: jsonata('$states.context.Execution.Name'),
        // Until training runs, the model is the one the file names (the seed's hard-coded URI).
        modelDataUrl: jsonata(`( $u := $states.input.CreateModel.input.PrimaryContainer.ModelDataUrl; $type($u) = 'string' ? $u : null )`),
        trained: false,
        attempt: 0,
        stages: {},
        metrics: {},
        metricsUri: null,
        metricsError: null,
        checks: [],
        approval: null,
        groupError: null,
        baselineArn: null,
        baseline: null,
        modelPackageArn: null,
        modelName: null,
        endpointConfigName: null,
        endpointStatus: null,
        endpointError: null,
        endpoint: null,
        polls: 0,
        failure: null,
        cache: null,
      },
      Next: next,
    },
  };
}

export function renderDoneState(): Record<string, JsonObject> {
  return {
    [STATE.done]: {
      Type: 'Succeed',
      Comment: 'The run summary: jobs, model, metrics, approval, endpoint and batch output.',
      Output: jsonata(runSummaryExpression()),
    },
  };
}
