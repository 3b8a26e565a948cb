import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRunSummary, renderPipelineDefinition } from '../../../src/definition/index.js';
import { PIPELINE_STATES } from '../../../src/definition/index.js';

test("the Done state's output names every run summary field, in the summary's order", () => {
  const states = renderPipelineDefinition().definition['States'] as Record<string, { Output?: string }>;
  const output = states[PIPELINE_STATES.done]!.Output!;
  const fields = ['executionName', 'stages', 'model', 'metrics', 'metricsUri', 'metricsError', 'approval', 'endpoint', 'batchOutput'];
  const at = fields.map((f) => output.indexOf(`'${f}': `));
  assert.ok(at.every((i) => i > 0), output);
  assert.deepEqual([...at].sort((a, b) => a - b), at);
});

test('an output that is not a run summary reads as none (a failed run, or a resumed execution of another machine)', () => {
  assert.equal(readRunSummary(undefined), undefined);
  assert.equal(readRunSummary(null), undefined);
  assert.equal(readRunSummary([1, 2]), undefined);
  assert.equal(readRunSummary({ greeting: 'hello' }), undefined);
  assert.equal(readRunSummary({ executionName: 'x', stages: [] }), undefined);
});

test('wrongly typed fields read as absent rather than as values of the wrong type', () => {
  const s = readRunSummary({
    executionName: 'run-1',
    stages: { training: { TrainingJobName: 'run-1' }, broken: 'not an object' },
    model: { modelDataUrl: 7, trained: 'yes' },
    metrics: { accuracy: 0.9, note: 'n/a' },
    approval: { decision: 'Maybe' },
    endpoint: { EndpointStatus: 'InService' },
    batchOutput: false,
  })!;
  assert.deepEqual(Object.keys(s.stages), ['training']);
  assert.deepEqual(s.model, { modelDataUrl: null, trained: false, modelName: null, modelPackageArn: null });
  assert.deepEqual(s.metrics, { accuracy: 0.9 });
  assert.equal(s.approval, null, 'a decision other than Approved or Rejected is no decision');
  assert.equal(s.endpoint, null, 'an endpoint without a name is none');
  assert.equal(s.batchOutput, null);
});
