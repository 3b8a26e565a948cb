import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary } from '../../../../src/cli/commands/run.js';
import type { JsonObject } from '../../../../src/core/json.js';
import { readRunSummary } from '../../../../src/definition/index.js';
import type { PipelineRunResult } from '../../../../src/engine/pipeline-run.js';

function result(approval: JsonObject): PipelineRunResult {
  return {
    execution: { status: 'SUCCEEDED', name: 'run-1' } as unknown as PipelineRunResult['execution'],
    summary: readRunSummary({
      executionName: 'run-1',
      stages: {},
      model: {},
      approval: { checks: [], ...approval },
      endpoint: { EndpointName: 'census-ep', EndpointStatus: 'InService' },
    }),
    samplePrediction: { input: '39,State-gov,77516,Bachelors,13', output: '0' },
    elapsedMs: 12_000,
  };
}

test('the run summary shows who approved a model, when, and their comment, and says what the sample prediction is', () => {
  const text = formatSummary(
    result({ decision: 'Approved', decidedBy: 'alice', decidedAt: '2026-12-07T23:30:00.000Z', comment: 'recall is fine', reason: 'Approved by alice' }),
  );
  assert.match(text, /approval: Approved \(Approved by alice\)/);
  assert.match(text, /decided by alice at 2026-12-07T23:30:00.000Z, comment: "recall is fine"/);
  assert.match(text, /sample prediction: 0\n.*first row of the batch transform input, sent as text\/csv: 39,State-gov,77516,Bachelors,13/);
});

test('an automatic decision names no person', () => {
  const text = formatSummary(result({ decision: 'Approved', decidedBy: 'rules', reason: 'All approval rules passed: roc_auc >= 0.8' }));
  assert.match(text, /approval: Approved \(All approval rules passed: roc_auc >= 0.8\)/);
  assert.doesNotMatch(text, /decided by/);
});
