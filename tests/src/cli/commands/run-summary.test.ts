import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary, runJson } from '../../../../src/cli/commands/run.js';
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

test('the summary says per job stage whether it was reused (from which execution) or ran, and why; --json lists the stages', () => {
  const entered = (id: number, name: string) => ({ id, previousEventId: id - 1, timestamp: id, type: 'TaskStateEntered', stateEnteredEventDetails: { name } });
  const succeeded = (id: number, output: JsonObject) => ({ id, previousEventId: id - 1, timestamp: id, type: 'TaskSucceeded', taskSucceededEventDetails: { output: JSON.stringify(output) } });
  const r = result({ decision: 'Approved', decidedBy: 'rules', reason: 'ok' });
  r.execution = {
    ...r.execution,
    input: { preprocessing: { run: true }, training: { run: true }, evaluation: { run: true }, batchTransform: { run: false } },
    history: [
      entered(1, 'CheckPreprocessingCache'),
      succeeded(2, { Payload: { hit: true, reason: 'reused (from run-0)', key: 'k1', parts: [], source: { execution: 'run-0', jobName: 'run-0' } } }),
      entered(3, 'CheckTrainingCache'),
      succeeded(4, { Payload: { hit: true, reason: 'reused (from run-0)', key: 'k2', parts: [], source: { execution: 'run-0', jobName: 'run-0' } } }),
      entered(5, 'CheckEvaluationCache'),
      succeeded(6, { Payload: { hit: false, reason: 'code changed: evaluation.py', key: 'k3', parts: [] } }),
      entered(7, 'Evaluation'),
      succeeded(8, { ProcessingJobName: 'evaluation-run-1' }),
    ],
  } as unknown as PipelineRunResult['execution'];
  const text = formatSummary(r);
  assert.match(text, /stages:\n {4}preprocessing +reused \(from run-0\)\n {4}training +reused \(from run-0\)\n {4}evaluation +ran: code changed: evaluation\.py \(job evaluation-run-1\)\n {4}batchTransform +skipped: run: false/);
  assert.deepEqual((runJson(r)['stages'] as JsonObject[]).map((s) => [s['name'], s['status'], s['reason'], s['job'] ?? null]), [
    ['preprocessing', 'reused', 'reused (from run-0)', 'run-0'],
    ['training', 'reused', 'reused (from run-0)', 'run-0'],
    ['evaluation', 'ran', 'code changed: evaluation.py', 'evaluation-run-1'],
    ['batchTransform', 'skipped', 'run: false', null],
  ]);
});
