import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../../src/core/json.js';
import { LambdaFunctions, LambdaIntegration, pythonStyleJson, type LambdaRuntimeStyle } from '../../../src/integrations/lambda.js';
import { parseResource } from '../../../src/integrations/resource-arn.js';

async function invoke(result: Json, style: LambdaRuntimeStyle): Promise<JsonObject> {
  const fns = new LambdaFunctions();
  fns.register('fn', () => result, style);
  const r = parseResource('arn:aws:states:::lambda:invoke')!;
  return (await new LambdaIntegration(fns).invoke(r, {
    resource: 'arn:aws:states:::lambda:invoke',
    parameters: { FunctionName: 'fn', Payload: {} },
    stateName: 'T',
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    context: {},
  })) as JsonObject;
}

test('lambda:invoke answers with Content-Length computed from the body the runtime wrote', async () => {
  // Recorded on AWS (Python functions): {} → 2, "HelloWorld!" → 13, {"body": "string body"} → 23.
  const cases: Array<[Json, string]> = [[{}, '2'], ['HelloWorld!', '13'], [{ body: 'string body' }, '23'], [null, '4'], [[], '2']];
  for (const [payload, length] of cases) {
    const r = await invoke(payload, 'python');
    const meta = r['SdkHttpMetadata'] as { HttpHeaders: JsonObject; AllHttpHeaders: JsonObject; HttpStatusCode: number };
    assert.equal(meta.HttpHeaders['Content-Length'], length, JSON.stringify(payload));
    assert.deepEqual(meta.AllHttpHeaders['Content-Length'], [length]);
    assert.equal(meta.HttpStatusCode, 200);
    assert.deepEqual(r['Payload'], payload);
    assert.equal((r['SdkResponseMetadata'] as JsonObject)['RequestId'], meta.HttpHeaders['x-amzn-RequestId']);
    assert.equal(r['StatusCode'], 200);
    assert.equal(r['ExecutedVersion'], '$LATEST');
  }
});

test('a Python function escapes non-ASCII characters (json.dumps ensure_ascii); a Node.js one writes them as UTF-8', async () => {
  const payload = { 'clé': 'été 🎉' };
  assert.equal(pythonStyleJson(payload), '{"cl\\u00e9": "\\u00e9t\\u00e9 \\ud83c\\udf89"}');
  const py = (await invoke(payload, 'python'))['SdkHttpMetadata'] as { HttpHeaders: JsonObject };
  assert.equal(py.HttpHeaders['Content-Length'], String(pythonStyleJson(payload).length));
  const node = (await invoke(payload, 'nodejs'))['SdkHttpMetadata'] as { HttpHeaders: JsonObject };
  assert.equal(node.HttpHeaders['Content-Length'], String(Buffer.byteLength(JSON.stringify(payload))));
});
