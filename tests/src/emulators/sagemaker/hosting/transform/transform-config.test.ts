import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../../../../src/core/json.js';
import { parseExecutionParameters, parseTransformRequest, resolveExecutionParameters } from '../../../../../../src/emulators/sagemaker/hosting/transform/transform-config.js';

const base = (extra: JsonObject = {}): JsonObject => ({
  TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bkt/in/' } }, ContentType: 'text/csv', SplitType: 'Line' },
  TransformOutput: { S3OutputPath: 's3://bkt/out/', AssembleWith: 'Line', Accept: 'text/csv' },
  ...extra,
});

describe('transform job settings', () => {
  it('takes the request first, then the container\'s execution parameters, then the defaults', () => {
    const none = parseTransformRequest(base());
    assert.deepEqual(resolveExecutionParameters(none, {}), { batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 1 });
    const container = parseExecutionParameters('{"MaxConcurrentTransforms": 8, "BatchStrategy": "SINGLE_RECORD", "MaxPayloadInMB": 2}');
    assert.deepEqual(resolveExecutionParameters(none, container), { batchStrategy: 'SingleRecord', maxPayloadInMB: 2, maxConcurrentTransforms: 8 });
    const set = parseTransformRequest(base({ BatchStrategy: 'MultiRecord', MaxPayloadInMB: 50, MaxConcurrentTransforms: 2 }));
    assert.deepEqual(resolveExecutionParameters(set, container), { batchStrategy: 'MultiRecord', maxPayloadInMB: 50, maxConcurrentTransforms: 2 });
  });

  it('defaults InvocationsTimeoutInSeconds to 600 and InvocationsMaxRetries to 3', () => {
    const c = parseTransformRequest(base());
    assert.equal(c.invocationsTimeoutMs, 600_000);
    assert.equal(c.invocationsMaxRetries, 3);
  });

  it('refuses data processing on CSV unless both SplitType and AssembleWith are Line, and on other formats', () => {
    const noLine = base({ DataProcessing: { JoinSource: 'Input' } });
    (noLine['TransformOutput'] as JsonObject)['AssembleWith'] = 'None';
    assert.throws(() => parseTransformRequest(noLine), /requires SplitType Line and AssembleWith Line/);
    const npy = base({ DataProcessing: { InputFilter: '$[1:]' } });
    (npy['TransformInput'] as JsonObject)['ContentType'] = 'application/x-npy';
    assert.throws(() => parseTransformRequest(npy), /supports only text\/csv/);
    assert.throws(() => parseTransformRequest(base({ DataProcessing: { InputFilter: 'nope' } })), /InputFilter: Invalid JSONPath/);
  });
});
