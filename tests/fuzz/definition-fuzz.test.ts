import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../src/core/clock.js';
import type { Json } from '../../src/core/json.js';
import { runExecution } from '../../src/asl/execution.js';
import { InvalidDefinitionError, loadStateMachine } from '../../src/asl/machine.js';
import { findCases } from '../../src/conformance/case-runner.js';
import { IntegrationRegistry } from '../../src/integrations/registry.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../src/conformance/shared-folder.js';

const CASES = conformanceCasesDir();

/** A small deterministic PRNG, so a failure reproduces from its iteration number. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: Json[] = [null, true, 0, -1, 1.5, 1e308, '', '$', '$.', '$$', '$[', '{% %}', '{% $x( %}', 'States.Format(', '[]', {}, [], { '__proto__': 1 }, 'x'.repeat(300)];

function mutate(v: Json, r: () => number, depth = 0): Json {
  if (v === null || typeof v !== 'object' || depth > 12) return r() < 0.15 ? ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]! : v;
  if (Array.isArray(v)) return v.map((x) => mutate(x, r, depth + 1));
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = r();
    if (p < 0.03) continue; // drop a field
    out[p < 0.05 ? k + 'X' : k] = mutate(x, r, depth + 1);
  }
  return out;
}

test('mutated definitions and inputs never crash the engine: every failure is a definition error or a States error', { timeout: 120_000 }, async (t) => {
  const absent = sharedCasesAbsent();
  if (absent !== undefined) {
    t.skip(`${absent}: nothing to mutate`);
    return;
  }
  const seeds = findCases(CASES).filter((_, i) => i % 4 === 0).map((f) => JSON.parse(readFileSync(f, 'utf8')) as { definition: Json; input: Json });
  const r = rng(20261125);
  let ran = 0;
  let rejected = 0;
  for (let i = 0; i < 1200; i++) {
    const base = seeds[i % seeds.length]!;
    const def = mutate(base.definition, r);
    const input = r() < 0.5 ? base.input : mutate(base.input, r);
    let machine;
    try {
      machine = loadStateMachine(def);
    } catch (e) {
      assert.ok(e instanceof InvalidDefinitionError, `iteration ${i}: loading threw a ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      assert.doesNotMatch((e as Error).message, /\n/, `iteration ${i}: a definition error must be one line`);
      rejected++;
      continue;
    }
    const result = await runExecution(machine, input, { tasks: new IntegrationRegistry(), clock: new VirtualClock(), type: 'EXPRESS' });
    ran++;
    assert.ok(['SUCCEEDED', 'FAILED', 'TIMED_OUT'].includes(result.status));
    if (result.status === 'FAILED') {
      assert.doesNotMatch(result.cause ?? '', /Internal error in the local engine/, `iteration ${i}: ${result.cause}`);
    }
  }
  t.diagnostic(`${ran} mutated executions ran, ${rejected} definitions rejected`);
  assert.ok(ran > 100 && rejected > 100, 'the mutations exercise both paths');
});
