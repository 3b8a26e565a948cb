import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsonata from 'jsonata';
import { metricsOfReport } from '../../../src/config/index.js';
import type { Json } from '../../../src/core/json.js';
import { METRICS_OF } from '../../../src/definition/metrics-states.js';

/** What the generated state machine reads from a report (the same JSONata it runs, in the cloud too). */
async function machineReads(report: Json): Promise<Record<string, number>> {
  return (await jsonata(`( ${METRICS_OF} $type($) = 'object' ? $merge([$groups($), $one($)]) : {} )`).evaluate(report)) as Record<string, number>;
}

test('validate reads the same metrics from a report as the state machine does', async () => {
  const reports: Json[] = [
    { binary_classification_metrics: { accuracy: { value: 0.94, standard_deviation: 'NaN' }, roc_auc: { value: 0.9 }, f1: { value: null } } },
    { accuracy: 0.91, loss: { value: 0.2 }, note: 'text', nested: { deep: 1 } },
    { accuracy: 0.5, regression_metrics: { mse: { value: 3 }, accuracy: 0.7 }, other: { r2: 1 }, _metrics: { x: 1 } },
    { metrics: { a: 1 } },
    [1, 2],
    'text',
  ];
  for (const r of reports) assert.deepEqual({ ...metricsOfReport(r) }, { ...(await machineReads(r)) }, JSON.stringify(r));
  assert.deepEqual(metricsOfReport(reports[2]!), { accuracy: 0.5, mse: 3, x: 1 });
});
