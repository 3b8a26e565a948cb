import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { packageFile } from '../../../src/core/package-root.js';
import { pipelineJsonSchema, pipelineJsonSchemaText } from '../../../src/config/json-schema.js';

test('schema/pipeline.schema.json is what the zod schema generates (run write-json-schema.js when this fails)', () => {
  const committed = readFileSync(packageFile('schema', 'pipeline.schema.json'), 'utf8');
  assert.equal(committed, pipelineJsonSchemaText(), 'schema/pipeline.schema.json is out of date: npx tsc && node dist/src/config/write-json-schema.js');
});

test('the JSON Schema describes the stages, the SageMaker fields and the new sections for editors', () => {
  const schema = pipelineJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown>; description?: string }>; required: string[]; additionalProperties: boolean };
  assert.deepEqual(schema.required, ['app_id', 'model_id', 'job_prefix']);
  assert.equal(schema.additionalProperties, false);
  for (const stage of ['preprocessing', 'training', 'evaluation', 'CreateModel', 'batchTransform', 'approval', 'registry', 'endpoint']) {
    assert.ok(schema.properties[stage], stage);
  }
  const text = JSON.stringify(schema);
  for (const field of ['S3DataDistributionType', 'TrainingInputMode', 'ModelDataUrl', 'TransformResources', 'auto-then-manual', 'compare_to_approved']) {
    assert.ok(text.includes(field), field);
  }
});
