import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateDefinition } from '../../../src/asl/validation/index.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import { packageFile } from '../../../src/core/package-root.js';
import { definitionPlaceholders, MissingSubstitutionError, renderPipelineDefinition, substituteDefinition } from '../../../src/definition/index.js';

const SNAPSHOT = packageFile('tests', 'src', 'definition', '__snapshots__', 'pipeline-definition.json');
const LOCAL_VALUES = {
  ApprovalFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:mlops-sfn-approval',
  CacheFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:mlops-cache',
  StageFailureFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:mlops-stage-failure',
};

test('the rendered definition is valid ASL, as CreateStateMachine checks it, before and after substitution', () => {
  const { definition } = renderPipelineDefinition();
  assert.deepEqual(validateDefinition(definition), []);
  assert.deepEqual(validateDefinition(JSON.stringify(definition)), []);
  const local = substituteDefinition(definition, LOCAL_VALUES);
  assert.deepEqual(validateDefinition(local), []);
  assert.doesNotThrow(() => loadStateMachine(local));
});

test('the definition matches the committed golden snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
  const text = JSON.stringify(renderPipelineDefinition().definition, null, 2) + '\n';
  if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(SNAPSHOT, text);
  assert.equal(readFileSync(SNAPSHOT, 'utf8'), text, 'tests/src/definition/__snapshots__/pipeline-definition.json is out of date: rerun with UPDATE_SNAPSHOTS=1 and review the diff');
});

test('the only ${...} in the definition are the declared substitutions, and every one needs a value', () => {
  const { definition, substitutions } = renderPipelineDefinition();
  assert.deepEqual(definitionPlaceholders(definition), [...substitutions].sort());
  assert.deepEqual(substitutions, ['ApprovalFunctionArn', 'CacheFunctionArn', 'StageFailureFunctionArn']);
  assert.throws(() => substituteDefinition(definition, {}), (e: unknown) => e instanceof MissingSubstitutionError && /\$\{ApprovalFunctionArn\}/.test(e.message));
  assert.deepEqual(definitionPlaceholders(substituteDefinition(definition, LOCAL_VALUES)), []);
  assert.ok(JSON.stringify(substituteDefinition(definition, LOCAL_VALUES)).includes(LOCAL_VALUES.ApprovalFunctionArn));
});

test('the definition is generic: rendering twice gives the same document, with nothing from a pipeline in it', () => {
  const a = JSON.stringify(renderPipelineDefinition().definition);
  assert.equal(JSON.stringify(renderPipelineDefinition().definition), a);
  for (const word of ['census', 'aiops', 'ml.m5', 'MLOPS_BUCKET', 'SFN_EXECUTION_ID']) assert.ok(!a.includes(word), word);
  assert.ok(Buffer.byteLength(a) < 1024 * 1024, 'AWS limits definitions to 1 MB');
});

test('SageMaker jobs run with .sync and retry throttling and capacity API errors with AWS names', () => {
  const { definition } = renderPipelineDefinition();
  const states = definition['States'] as Record<string, { Resource?: string; Retry?: { ErrorEquals: string[] }[] }>;
  for (const name of ['Preprocessing', 'Training', 'Evaluation', 'BatchTransform']) {
    assert.match(states[name]!.Resource!, /^arn:aws:states:::sagemaker:create(Processing|Training|Transform)Job\.sync$/);
    const errors = states[name]!.Retry!.flatMap((r) => r.ErrorEquals);
    assert.ok(errors.includes('SageMaker.AmazonSageMakerException') && errors.includes('SageMaker.ResourceLimitExceededException'), name);
  }
  assert.equal(states['RequestManualApproval']!.Resource, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
  assert.equal(states['ReadMetrics']!.Resource, 'arn:aws:states:::aws-sdk:s3:getObject');
});
