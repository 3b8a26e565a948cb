/**
 * Replays the recorded AWS cases that only need Choice rules: every choice_operators case, and any
 * other JSONPath case made of Choice, Pass (Result only), Succeed and Fail states. A tiny driver
 * walks the states; the rules are compiled and evaluated by this module. Skips when the shared
 * conformance folder is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, type Json, type JsonObject } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import { NO_VARIABLES } from '../../../../src/asl/scope.js';
import { compileChoiceRule, type CompiledRule } from '../../../../src/asl/choice/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

const ROOT = conformanceCasesDir();

interface RecordedCase {
  name: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json; error?: string | null; cause?: Json };
}

const DRIVER_FIELDS: Record<string, ReadonlySet<string>> = {
  Choice: new Set(['Type', 'Choices', 'Default', 'Comment']),
  Pass: new Set(['Type', 'Result', 'Next', 'End', 'Comment']),
  Succeed: new Set(['Type', 'Comment']),
  Fail: new Set(['Type', 'Error', 'Cause', 'Comment']),
};
const RULE_EXTRAS = ['Assign', 'Output'];

/** Whether the tiny driver below can run the definition exactly as AWS would. */
function drivable(def: JsonObject): boolean {
  if (def['QueryLanguage'] !== undefined || !isJsonObject(def['States'])) return false;
  let hasChoice = false;
  for (const state of Object.values(def['States'])) {
    if (!isJsonObject(state)) return false;
    const allowed = DRIVER_FIELDS[String(state['Type'])];
    if (allowed === undefined || Object.keys(state).some((k) => !allowed.has(k))) return false;
    if (state['Type'] === 'Choice') {
      hasChoice = true;
      const choices = state['Choices'];
      if (!Array.isArray(choices) || choices.some((c) => !isJsonObject(c) || RULE_EXTRAS.some((k) => k in c))) return false;
    }
  }
  return hasChoice;
}

type Outcome = { status: 'SUCCEEDED'; output: Json } | { status: 'FAILED'; error: string | undefined; cause: string | undefined };

function run(def: JsonObject, input: Json): Outcome {
  const states = def['States'] as JsonObject;
  const compiled = new Map<string, CompiledRule[]>();
  for (const [name, s] of Object.entries(states)) {
    const state = s as JsonObject;
    if (state['Type'] !== 'Choice') continue;
    const choices = state['Choices'] as JsonObject[];
    compiled.set(name, choices.map((c, i) => compileChoiceRule(c, `/States/${name}/Choices/${i}`)));
  }
  let current = String(def['StartAt']);
  let value = input;
  for (let step = 0; step < 1000; step++) {
    const state = states[current] as JsonObject;
    switch (state['Type']) {
      case 'Choice': {
        const scope = { input: value, context: {}, variables: NO_VARIABLES };
        let next: Json | undefined;
        try {
          const rules = compiled.get(current)!;
          const choices = state['Choices'] as JsonObject[];
          const hit = rules.findIndex((r) => r.evaluate(scope));
          next = hit >= 0 ? choices[hit]!['Next'] : state['Default'];
        } catch (e) {
          if (e instanceof StatesError) return { status: 'FAILED', error: e.error, cause: e.cause };
          throw e;
        }
        if (next === undefined) return { status: 'FAILED', error: 'States.NoChoiceMatched', cause: undefined };
        current = String(next);
        break;
      }
      case 'Pass':
        if (state['Result'] !== undefined) value = state['Result'];
        if (state['End'] === true) return { status: 'SUCCEEDED', output: value };
        current = String(state['Next']);
        break;
      case 'Succeed':
        return { status: 'SUCCEEDED', output: value };
      case 'Fail':
        return { status: 'FAILED', error: state['Error'] as string | undefined, cause: state['Cause'] as string | undefined };
      default:
        throw new Error(`driver cannot run ${String(state['Type'])}`);
    }
  }
  throw new Error('driver step limit reached');
}

function loadCases(): { file: string; c: RecordedCase }[] {
  const found: { file: string; c: RecordedCase }[] = [];
  for (const group of readdirSync(ROOT, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const f of readdirSync(join(ROOT, group.name)).sort()) {
      if (!f.endsWith('.json')) continue;
      const c = JSON.parse(readFileSync(join(ROOT, group.name, f), 'utf8')) as RecordedCase;
      if (group.name === 'choice_operators' || drivable(c.definition)) found.push({ file: `${group.name}/${f}`, c });
    }
  }
  return found;
}

test('recorded AWS Choice cases take the branch AWS took', { skip: sharedCasesAbsent() ?? false }, () => {
  const cases = loadCases();
  const operatorCases = cases.filter((x) => x.file.startsWith('choice_operators/')).length;
  assert.ok(operatorCases >= 200, `expected the choice_operators group, found ${operatorCases} cases`);
  const failures: string[] = [];
  for (const { file, c } of cases) {
    assert.ok(drivable(c.definition), `${file}: the driver cannot run this definition`);
    let outcome: Outcome;
    try {
      outcome = run(c.definition, c.input);
    } catch (e) {
      failures.push(`${file}: threw ${String(e)}`);
      continue;
    }
    try {
      assert.equal(outcome.status, c.expected.status);
      if (outcome.status === 'SUCCEEDED') {
        assert.deepEqual(outcome.output, c.expected.output);
      } else {
        assert.equal(outcome.error ?? null, c.expected.error ?? null);
        const cause = c.expected.cause;
        // Runtime errors carry the engine's state prefix; our part is the tail.
        if (typeof cause === 'string' && outcome.cause !== undefined) assert.ok(cause.endsWith(outcome.cause), `${cause} vs ${outcome.cause}`);
      }
    } catch (e) {
      failures.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`choice conformance: ${cases.length - failures.length}/${cases.length} passed (${operatorCases} choice_operators cases)`);
  assert.deepEqual(failures, []);
});
