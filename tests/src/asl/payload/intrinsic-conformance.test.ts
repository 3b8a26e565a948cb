import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { compilePath, compileReferencePath } from '../../../../src/asl/jsonpath/index.js';
import { NO_VARIABLES, type PathScope } from '../../../../src/asl/scope.js';
import { compilePayloadTemplate } from '../../../../src/asl/payload/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

/*
 * Replays the recorded AWS cases of conformance/asl/intrinsic_functions: each is a one-state
 * JSONPath machine whose Pass state computes intrinsics in Parameters. The state's InputPath,
 * Parameters, ResultPath and OutputPath are applied here; JSONata cases belong to another module.
 */

const DIR = join(conformanceCasesDir(), 'intrinsic_functions');

interface RecordedCase {
  name: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json };
  placeholders?: string[];
}

/** Placeholder tokens the recording used for values that differ per run, and what they stand for. */
const WILDCARDS: Record<string, (v: Json) => boolean> = {
  RandomNumberGenerated: (v) => typeof v === 'number' && Number.isInteger(v),
  'generated-uuid': (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(v),
};

function matches(actual: Json, expected: Json, placeholders: readonly string[]): boolean {
  if (typeof expected === 'string' && placeholders.includes(expected) && WILDCARDS[expected] !== undefined) {
    return WILDCARDS[expected]!(actual);
  }
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(expected)) {
    const a = actual as Json[];
    return a.length === expected.length && expected.every((e, i) => matches(a[i]!, e, placeholders));
  }
  const a = actual as JsonObject;
  const keys = Object.keys(expected);
  return keys.length === Object.keys(a).length && keys.every((k) => Object.prototype.hasOwnProperty.call(a, k) && matches(a[k]!, expected[k]!, placeholders));
}

function usesJsonata(definition: JsonObject): boolean {
  return JSON.stringify(definition).includes('"QueryLanguage":"JSONata"');
}

/** Runs the single Pass state of a case the way the engine's JSONPath I/O would. */
function runPassState(c: RecordedCase): Json {
  const states = c.definition['States'] as JsonObject;
  const state = states[c.definition['StartAt'] as string] as JsonObject;
  const context: JsonObject = {
    Execution: { Id: 'arn:aws:states:us-east-1:111111111111:execution:sm:exec', Input: c.input, Name: 'exec', StartTime: '2024-01-01T00:00:00.000Z' },
    State: { EnteredTime: '2024-01-01T00:00:00.000Z', Name: c.definition['StartAt'] as string },
    StateMachine: { Id: 'arn:aws:states:us-east-1:111111111111:stateMachine:sm', Name: 'sm' },
  };
  const scope: PathScope = { input: c.input, context, variables: NO_VARIABLES };
  const inputPath = state['InputPath'];
  const effective = typeof inputPath === 'string' ? compilePath(inputPath).select(c.input)! : c.input;
  const params = state['Parameters'];
  const result = params === undefined ? effective : compilePayloadTemplate(params, 'Parameters').evaluate({ ...scope, input: effective });
  const resultPath = state['ResultPath'];
  const combined = typeof resultPath === 'string' ? compileReferencePath(resultPath).assign(c.input, result) : result;
  const outputPath = state['OutputPath'];
  return typeof outputPath === 'string' ? compilePath(outputPath).select(combined)! : combined;
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

if (files.length === 0) {
  test('recorded intrinsic cases', { skip: sharedCasesAbsent() ?? `${DIR} is not present` }, () => {});
} else {
  const cases = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as RecordedCase);
  const skipped = cases.filter((c) => usesJsonata(c.definition) || Object.keys(c.definition['States'] as JsonObject).length !== 1 || c.expected.status !== 'SUCCEEDED');
  const runnable = cases.filter((c) => !skipped.includes(c));

  test(`recorded intrinsic cases: ${runnable.length} replayed, ${skipped.length} skipped (JSONata, several states or not SUCCEEDED)`, () => {
    assert.ok(runnable.length > 0);
  });

  for (const c of runnable) {
    test(`recorded: ${c.name}`, () => {
      const actual = runPassState(c);
      const expected = c.expected.output!;
      assert.ok(matches(actual, expected, c.placeholders ?? []), `got ${JSON.stringify(actual)}, AWS gave ${JSON.stringify(expected)}`);
    });
  }
}
