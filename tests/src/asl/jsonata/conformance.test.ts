import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isJsonObject, type Json, type JsonObject } from '../../../../src/core/json.js';
import { compileJsonataValue, resultTypeError } from '../../../../src/asl/jsonata/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

/**
 * Replays recorded AWS cases that are chains of JSONata Pass states (Output and/or Assign only,
 * possibly ending in a Map that just lists its Items) through this module alone, and compares with
 * what AWS produced. The cases are read at runtime, never copied.
 */
const ROOT = conformanceCasesDir();
const PREFIX = /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /;
const PASS_FIELDS: ReadonlySet<string> = new Set(['Type', 'Next', 'End', 'Output', 'Assign', 'QueryLanguage', 'Comment']);

interface Case {
  file: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json; error?: string | null; cause?: Json };
  placeholders?: unknown[];
}

/**
 * The states of a JSONata chain of Pass states, optionally ending in a Map whose `Items` is given
 * and whose iterations are a bare Pass (so the Map's output is its items), or undefined when the
 * case is anything else.
 */
function chainOf(c: Case): JsonObject[] | undefined {
  const states = c.definition['States'];
  if (!isJsonObject(states) || c.placeholders !== undefined) return undefined;
  const machineQl = c.definition['QueryLanguage'];
  const chain: JsonObject[] = [];
  let name: Json | undefined = c.definition['StartAt'];
  while (typeof name === 'string') {
    const s: Json | undefined = states[name];
    if (!isJsonObject(s) || chain.length > 20) return undefined;
    if ((s['QueryLanguage'] ?? machineQl) !== 'JSONata') return undefined;
    if (s['Type'] === 'Map') {
      if (!isIdentityMap(s) || s['End'] !== true) return undefined;
    } else if (s['Type'] !== 'Pass' || Object.keys(s).some((k) => !PASS_FIELDS.has(k))) {
      return undefined;
    }
    chain.push(s);
    name = s['End'] === true ? undefined : s['Next'];
  }
  return chain.some((s) => s['Output'] !== undefined || s['Assign'] !== undefined || s['Items'] !== undefined) ? chain : undefined;
}

const MAP_NUMBER_FIELDS = ['MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage'] as const;
const MAP_FIELDS: ReadonlySet<string> = new Set(['Type', 'End', 'Items', 'ItemProcessor', 'QueryLanguage', 'Comment', ...MAP_NUMBER_FIELDS]);

function isIdentityMap(s: JsonObject): boolean {
  if (s['Items'] === undefined) return false;
  if (Object.keys(s).some((k) => !MAP_FIELDS.has(k))) return false;
  const proc = s['ItemProcessor'];
  if (!isJsonObject(proc) || !isJsonObject(proc['States'])) return false;
  const inner = Object.values(proc['States']);
  return inner.length === 1 && isJsonObject(inner[0]) && inner[0]['Type'] === 'Pass' && Object.keys(inner[0]).every((k) => k === 'Type' || k === 'End');
}

type Outcome = { status: 'SUCCEEDED'; output: Json } | { status: 'FAILED'; error: string | undefined; cause: string | undefined };

async function run(chain: JsonObject[], input: Json): Promise<Outcome> {
  const vars = new Map<string, Json>();
  const variables = { lookup: (n: string) => vars.get(n) };
  let current = input;
  try {
    for (const s of chain) {
      const b = { input: current, context: { Execution: { Input: input } }, variables };
      const assigned: [string, Json][] = [];
      const assign = s['Assign'];
      if (isJsonObject(assign)) {
        for (const [k, v] of Object.entries(assign)) assigned.push([k, await compileJsonataValue(v, `Assign/${k}`).evaluate(b)]);
      }
      let output: Json;
      if (s['Type'] === 'Map') {
        const c = compileJsonataValue(s['Items']!, 'Items');
        output = await c.evaluate(b);
        if (!Array.isArray(output)) throw resultTypeError(c, 'array', output);
        for (const f of MAP_NUMBER_FIELDS) {
          const v = s[f] === undefined ? 0 : await compileJsonataValue(s[f]!, f).evaluate(b);
          assert.equal(typeof v, 'number', f);
        }
      } else {
        output = s['Output'] === undefined ? current : await compileJsonataValue(s['Output'], 'Output').evaluate(b);
      }
      for (const [k, v] of assigned) vars.set(k, v);
      current = output;
    }
    return { status: 'SUCCEEDED', output: current };
  } catch (e) {
    const err = e as { error?: string; cause?: string };
    if (err.error === undefined) throw e;
    return { status: 'FAILED', error: err.error, cause: err.cause };
  }
}

function casesIn(dir: string): Case[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<Case, 'file'>) }));
}

async function replay(cases: Case[]): Promise<number> {
  let covered = 0;
  for (const c of cases) {
    const chain = chainOf(c);
    if (chain === undefined) continue;
    covered++;
    const got = await run(chain, c.input);
    if (c.expected.status === 'SUCCEEDED') {
      assert.deepStrictEqual(got, { status: 'SUCCEEDED', output: c.expected.output }, c.file);
    } else {
      const cause = typeof c.expected.cause === 'string' ? c.expected.cause.replace(PREFIX, '') : undefined;
      assert.deepStrictEqual(got, { status: 'FAILED', error: c.expected.error ?? undefined, cause }, c.file);
    }
  }
  return covered;
}

const skip = sharedCasesAbsent() ?? false;

test('recorded evaluate_jsonata cases (Pass Output, Map Items and numeric fields) produce AWS\'s output', { skip }, async (t) => {
  const covered = await replay(casesIn(join(ROOT, 'evaluate_jsonata')));
  t.diagnostic(`covered ${covered} evaluate_jsonata cases`);
  assert.ok(covered >= 3);
});

test('recorded JSONata Pass chains (and Map Items) in every other group produce AWS\'s output or error', { skip }, async (t) => {
  let covered = 0;
  for (const group of readdirSync(ROOT, { withFileTypes: true })) {
    if (!group.isDirectory() || group.name === 'evaluate_jsonata') continue;
    const n = await replay(casesIn(join(ROOT, group.name)));
    if (n > 0) t.diagnostic(`${group.name}: ${n}`);
    covered += n;
  }
  t.diagnostic(`covered ${covered} cases in other groups`);
  assert.ok(covered >= 15);
});
